"""Vendor the models of the TikTok endpoints this repo reads, for tests that must run on a clean clone.

    python scripts/extract_models.py /path/to/reference

The reference folder holds TikTok's published models as JSON: `tiktok-openapi-2026.json` (the current version of
every endpoint) and `tiktok-sdk-2025.json` (TikTok's Dec 2025 SDK, with older versions). For each operation of the
endpoints declared in source_tiktok_shop/tiktok/endpoints.py (every version read, and the retired ones), taken from
the 2026 file when it has it and from the 2025 one otherwise, this writes its method, path, query keys, body tree
and response type tree to unit_tests/resources/tiktok_models.json. Facts only: TikTok's descriptions are not copied.

A type tree is what the references give: a type name ("string", "integer", "boolean", "datetime.date"; the 2025
file says "number" for every number), a one-element list for an array of that, a dict for an object. A null or
an empty dict is a type the reference leaves open (TikTok's enums in request bodies).
"""

import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from source_tiktok_shop.tiktok.endpoints import ENDPOINTS  # noqa: E402

OUTPUT = ROOT / "unit_tests" / "resources" / "tiktok_models.json"
REFERENCES = (("2026", "tiktok-openapi-2026.json"), ("2025", "tiktok-sdk-2025.json"))


def operations() -> list[str]:
    """Every "METHOD path" of the declared endpoints (tiktok/endpoints.py): each version the connector reads, and
    those it no longer reads since TikTok retired them (the sandbox serves them up to their date, and its shape
    tests hold them to their models)."""
    return [
        endpoint.operation(version)
        for endpoint in ENDPOINTS.values()
        for version in (*endpoint.versions, *endpoint.retired)
    ]


def load(reference: Path) -> dict[str, tuple[str, Mapping[str, Any]]]:
    """Every operation by "METHOD path", the 2026 reference first."""
    found: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for year, name in REFERENCES:
        for operation in json.loads((reference / name).read_text())["operations"]:
            found.setdefault(f"{operation['method']} {operation['path']}", (year, operation))
    return found


def extract(key: str, year: str, operation: Mapping[str, Any]) -> dict[str, Any]:
    method, path = key.split(" ", 1)
    return {
        "method": method,
        "path": path,
        "reference": year,
        "query": sorted(operation.get("query") or []),
        "body": operation.get("body"),
        "response_data": operation.get("response_data"),
    }


def json_text(value: Any) -> str:
    """2-space JSON with short lists of scalars (types, `required`) kept on one line."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text) + "\n"


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit(__doc__)
    found = load(Path(argv[0]))
    read = operations()
    unknown = [key for key in read if key not in found]
    if unknown:
        sys.exit(f"not in either reference: {unknown}")
    models = {
        "about": "Written by scripts/extract_models.py from TikTok's published models; edit that script instead.",
        "operations": {key: extract(key, *found[key]) for key in read},
    }
    OUTPUT.write_text(json_text(models))
    print(f"wrote {len(read)} operations to {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
