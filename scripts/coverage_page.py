"""Write docs/coverage.md: every read operation of TikTok's 2026 spec, the streams that read it, or why none does.

    .venv/bin/python scripts/coverage_page.py          # rewrites the page
    .venv/bin/python scripts/coverage_page.py --check  # exits 1 where the page is not a fresh one, or the data and
                                                       # the declarations disagree

The operations and the reasons come from docs/coverage.json; which streams read an operation comes from the stream
declarations (source_tiktok_shop/catalog.py): every endpoint a declaration names, its parents' and per-record calls'
included. An operation the data gives no reason must be read by a stream, one with a reason by none, and every
operation a declaration reads must be in the data. Edit those, then run this; unit_tests/test_coverage_page.py fails
while they disagree or the page differs from a fresh one.
"""

import dataclasses
import json
import sys
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from source_tiktok_shop.catalog import STREAMS  # noqa: E402
from source_tiktok_shop.reading.declarations import StreamDeclaration  # noqa: E402
from source_tiktok_shop.tiktok.endpoints import Endpoint  # noqa: E402

DATA = ROOT / "docs" / "coverage.json"
PAGE = ROOT / "docs" / "coverage.md"


def endpoints_of(value: Any) -> Iterator[Endpoint]:
    """Every endpoint a declaration reaches: its own, and those of its row shape, however nested."""
    if isinstance(value, Endpoint):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from endpoints_of(getattr(value, field.name))
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            yield from endpoints_of(item)


def readers(declarations: tuple[StreamDeclaration, ...] | list[StreamDeclaration]) -> Mapping[str, list[str]]:
    """`METHOD path` (current version) → the streams that read it, in the declarations' order."""
    read: dict[str, list[str]] = defaultdict(list)
    for declared in declarations:
        for endpoint in endpoints_of(declared):
            if declared.name not in read[endpoint.operation()]:
                read[endpoint.operation()].append(declared.name)
    return read


def disagreements(data: Mapping[str, Any], read: Mapping[str, list[str]]) -> list[str]:
    listed = {f"{row['method']} {row['path']}": row for row in data["operations"]}
    problems = [f"{key}: read by {', '.join(read[key])} but not in {DATA.name}" for key in read if key not in listed]
    for key, row in listed.items():
        if "reason" in row and key in read:
            problems.append(
                f"{key}: read by {', '.join(read[key])}, yet {DATA.name} gives it a reason ({row['reason']})"
            )
        if "reason" not in row and key not in read:
            problems.append(f"{key}: no stream reads it, and {DATA.name} gives no reason")
        if "reason" in row and row["reason"] not in data["reasons"]:
            problems.append(f"{key}: the reason {row['reason']!r} is none of {DATA.name}'s reasons")
    return problems


def page(data: Mapping[str, Any], read: Mapping[str, list[str]]) -> str:
    operations = sorted(data["operations"], key=lambda row: (row["path"].split("/")[1], row["path"], row["method"]))
    by_reason: dict[str, int] = defaultdict(int)
    for row in operations:
        by_reason[row.get("reason", "")] += 1
    lines = [
        "# What the connector reads of TikTok's API",
        "",
        "<!-- written by scripts/coverage_page.py from docs/coverage.json and the stream declarations; edit those -->",
        "",
        f"TikTok's 2026 spec has {len(operations)} read operations (every `GET`, and the `POST`s that search, query or "
        f"get). The connector's streams read {by_reason['']} of them, parents and per-record calls included; the "
        "others are left out, each for one of these reasons:",
        "",
        "| reason | operations | what it means |",
        "|---|---|---|",
        *(f"| `{reason}` | {by_reason[reason]} | {meaning} |" for reason, meaning in data["reasons"].items()),
        "",
        "Operations are listed by family (the first part of the path), at the version the connector reads or, for",
        "those it does not read, at TikTok's current one.",
    ]
    family = None
    for row in operations:
        key = f"{row['method']} {row['path']}"
        if row["path"].split("/")[1] != family:
            family = row["path"].split("/")[1]
            lines += ["", f"## {family}", "", "| operation | read by | or why not |", "|---|---|---|"]
        streams = ", ".join(f"`{name}`" for name in read.get(key, ()))
        why = f"`{row['reason']}`: {row['note']}" if "reason" in row else row.get("note", "")
        lines.append(f"| `{key}` | {streams or '—'} | {why or '—'} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    data = json.loads(DATA.read_text())
    read = readers(STREAMS)
    problems = disagreements(data, read)
    if problems:
        print(f"{DATA.name} and the stream declarations disagree:", *problems, sep="\n  ")
        return 1
    fresh = page(data, read)
    if "--check" in argv:
        if PAGE.exists() and PAGE.read_text() == fresh:
            return 0
        print(f"{PAGE.name} differs from the declarations; run scripts/coverage_page.py")
        return 1
    PAGE.write_text(fresh)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
