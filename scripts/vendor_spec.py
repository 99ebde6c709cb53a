"""Vendor TikTok's request rules into the sandbox package, so that it checks requests on a clean clone.

    python scripts/vendor_spec.py /path/to/reference

The reference folder holds TikTok's published models as JSON: `tiktok-openapi-2026-rules.json` (for each operation
of the 2026 spec: required query parameters, enumerated ones, whether a body is required, its required top-level
fields and their enums), `tiktok-openapi-2026.json` (the current version of every operation) and
`tiktok-sdk-2025.json` (TikTok's Dec 2025 SDK, with older versions). This writes, under
`sandbox/tiktok_shop_sandbox/spec/`:

- `tiktok-openapi-2026-rules.json`, copied as it is;
- `operations.json`: for every operation of the 2026 file, and every operation of the 2025 file that the 2026 file
  does not have (older versions), its query parameter names, those TikTok types as arrays (sent comma-separated),
  and its top-level body field names (`null`: the operation takes no body).

Facts only: TikTok's descriptions are not copied.
"""

import json
import shutil
import sys
from pathlib import Path
from typing import Any

SPEC = Path(__file__).resolve().parents[1] / "sandbox" / "tiktok_shop_sandbox" / "spec"
RULES = "tiktok-openapi-2026-rules.json"
MODELS = (("2026", "tiktok-openapi-2026.json"), ("2025", "tiktok-sdk-2025.json"))
SOURCE = (
    "Names only, vendored by scripts/vendor_spec.py from TikTok's models: tiktok-openapi-2026.json (the 2026 Open "
    "API spec, every operation at its current version) and, for the older versions it does not have, "
    "tiktok-sdk-2025.json (TikTok's generated SDK, Dec 2025). Per operation: the query parameter names, those the "
    "models type as arrays, and the top-level body field names (null: no body)."
)


def arrays(operation: dict[str, Any]) -> list[str]:
    """The query parameters the 2025 SDK types as arrays (the 2026 file gives no query types)."""
    return sorted(name for name, kind in (operation.get("query_types") or {}).items() if "Array" in str(kind))


def names(model: str, operation: dict[str, Any], array_names: dict[str, list[str]]) -> dict[str, Any]:
    key = f"{operation['method']} {operation['path']}"
    body = operation.get("body")
    return {
        "model": model,
        "query": sorted(operation.get("query") or []),
        "query_arrays": array_names.get(key, []),
        "body": sorted(body) if isinstance(body, dict) else None,
    }


def vendor(reference: Path) -> dict[str, Any]:
    models = {tag: json.loads((reference / name).read_text())["operations"] for tag, name in MODELS}
    # A parameter's type does not change between versions of an operation, and only the 2025 SDK gives it.
    array_names: dict[str, list[str]] = {}
    by_unversioned: dict[tuple[str, str], list[str]] = {}
    for operation in models["2025"]:
        found = arrays(operation)
        if found:
            by_unversioned.setdefault((operation["method"], unversioned(operation["path"])), []).extend(found)
    for tag in ("2026", "2025"):
        for operation in models[tag]:
            found = by_unversioned.get((operation["method"], unversioned(operation["path"])), [])
            wanted = sorted(set(found) & set(operation.get("query") or []))
            if wanted:
                array_names[f"{operation['method']} {operation['path']}"] = wanted
    operations: dict[str, Any] = {}
    for tag in ("2026", "2025"):
        for operation in models[tag]:
            key = f"{operation['method']} {operation['path']}"
            if key not in operations:
                operations[key] = names(tag, operation, array_names)
    return {"source": SOURCE, "operations": dict(sorted(operations.items()))}


def unversioned(path: str) -> str:
    parts = path.split("/")
    return "/".join(parts[:2] + ["{version}"] + parts[3:])


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    reference = Path(argv[0])
    missing = [name for name in (RULES, *(name for _, name in MODELS)) if not (reference / name).is_file()]
    if missing:
        print(f"vendor_spec: {reference} has no {', '.join(missing)}", file=sys.stderr)
        return 2
    SPEC.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(reference / RULES, SPEC / RULES)
    vendored = vendor(reference)
    (SPEC / "operations.json").write_text(json.dumps(vendored, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {SPEC / RULES} and {SPEC / 'operations.json'} ({len(vendored['operations'])} operations)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
