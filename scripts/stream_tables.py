"""Write the stream tables of README.md and docs/tiktok-shop.md from the stream declarations.

    .venv/bin/python scripts/stream_tables.py          # rewrites both tables
    .venv/bin/python scripts/stream_tables.py --check  # exits 1, naming the file, where a table is not the fresh one

Each table sits between the two marker comments below; everything in it comes from source_tiktok_shop/catalog.py and
the endpoints it names (tiktok/endpoints.py): versions, fallbacks and retirements included. Edit those, then run
this; unit_tests/test_stream_tables.py fails while a table differs from a fresh one.
"""

import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from source_tiktok_shop.catalog import STREAMS  # noqa: E402
from source_tiktok_shop.reading.declarations import DEFAULT_LOOKBACK_MINUTES, StreamDeclaration  # noqa: E402
from source_tiktok_shop.reading.shapes import (  # noqa: E402
    AsIs,
    Batched,
    ChildPages,
    Detail,
    Followed,
    IdBatches,
    Nested,
)
from source_tiktok_shop.tiktok.endpoints import Endpoint  # noqa: E402

BEGIN = "<!-- stream table: written by scripts/stream_tables.py from the stream declarations; edit those -->"
END = "<!-- end of the stream table -->"
FILES = (ROOT / "README.md", ROOT / "docs" / "tiktok-shop.md")
HEADER = (
    "| stream | primary key | cursor | sync modes | endpoint (version) | read as | scope |",
    "|---|---|---|---|---|---|---|",
)
DAY_MINUTES = 24 * 60


def code(values: Iterable[str]) -> str:
    return ", ".join(f"`{value}`" for value in values)


def lookback(minutes: int) -> str:
    if minutes == DEFAULT_LOOKBACK_MINUTES:
        return ""
    if minutes == 0:
        return "no lookback"
    return f"{minutes // DAY_MINUTES}-day lookback" if minutes % DAY_MINUTES == 0 else f"{minutes}-minute lookback"


def parent_stream(declared: StreamDeclaration) -> str:
    """The stream whose records this one's rows come from: the one reading the same endpoint's records as rows."""
    (parent,) = [s.name for s in STREAMS if s.endpoint == declared.endpoint and isinstance(s.rows, AsIs)]
    return parent


def cursor(declared: StreamDeclaration) -> str:
    if declared.incremental is None:
        return "—"
    rows = declared.rows
    own = isinstance(rows, AsIs) or (isinstance(rows, Detail) and rows.parent_key is None)
    of = "" if own else f" of its `{parent_stream(declared)}` record"
    if isinstance(rows, Batched):
        of = f" (the `{declared.endpoint.time_filter}` of the first `{parent_stream(declared)}` record naming it)"
    window = lookback(declared.incremental.lookback_minutes)
    return f"`{declared.incremental.field}`{of}" + (f" ({window})" if window else "")


def versions(endpoint: Endpoint) -> str:
    """The endpoint's current operation; the older versions a shop falls back to; those TikTok retired."""
    notes = [f"{older} where a market lacks {endpoint.version}" for older in endpoint.versions[1:]]
    notes += [f"{old} retired {when}" for old, when in endpoint.retired.items()]
    return f"`{endpoint.operation()}`" + (f" ({'; '.join(notes)})" if notes else "")


def endpoints(declared: StreamDeclaration) -> str:
    rows = declared.rows
    listed = versions(declared.endpoint)
    if isinstance(rows, (Detail, ChildPages)):
        return f"{listed}, then {versions(rows.endpoint)} per record"
    if isinstance(rows, Followed):
        return f"{listed}, then {versions(rows.via.endpoint)} per record, then {versions(rows.endpoint)}"
    if isinstance(rows, Batched):
        return f"{listed}, then {versions(rows.endpoint)} per batch"
    if isinstance(rows, IdBatches):
        return f"{listed}, then {versions(rows.endpoint)} per {rows.size} records"
    return listed


def read_as(declared: StreamDeclaration) -> str:
    rows, endpoint = declared.rows, declared.endpoint
    notes = []
    if isinstance(rows, Nested):
        notes.append(f"the `{rows.items}` of each `{parent_stream(declared)}` record (the same pages)")
    if isinstance(rows, Detail):
        detail = (
            f"the detail of each `{parent_stream(declared)}` record" if rows.parent_key else "the detail of each record"
        )
        if rows.only_with:
            detail += f" with `{rows.only_with}`"
        if rows.skip_statuses:
            detail += f"; {code(sorted(rows.skip_statuses))} ones skipped"
        if rows.listed_statuses:
            detail += f", {code(sorted(rows.listed_statuses))} ones as listed"
        notes.append(detail)
    if isinstance(rows, ChildPages):
        notes.append(f"the `{rows.endpoint.records_key}` of each `{parent_stream(declared)}` record")
        if rows.per_value:
            notes.append(f"one request per `{rows.per_value.parameter}` listed in `{rows.per_value.config_field}`")
    if isinstance(rows, IdBatches):
        items = (
            f"the `{rows.items.items}` of each of the `{rows.endpoint.records_key}`"
            if rows.items
            else (f"the `{rows.endpoint.records_key}`")
        )
        batch = f"{items} of the `{parent_stream(declared)}` records, by `{rows.ids_param}`"
        if rows.statuses:
            batch += f"; only {code(sorted(rows.statuses))} ones"
        if rows.skip_statuses:
            batch += f"; {code(sorted(rows.skip_statuses))} ones left out"
        notes.append(batch)
    incremental = declared.incremental
    if incremental and incremental.client_side:
        notes.append(f"only the records whose `{incremental.field}` passed the state are read")
    if isinstance(rows, Followed):
        answer = rows.endpoint.records_key
        notes.append(
            f"the `{answer}` of each `{rows.reference}` the `{rows.via.endpoint.records_key}` name, once per sync"
        )
    if isinstance(rows, Batched):
        where = ", ".join(f"`{path}` {value}" for path, value in rows.where.items())
        notes.append(
            f"the `{rows.endpoint.records_key}` of each `{rows.reference}` the `{endpoint.records_key}` name"
            f"{f' ({where})' if where else ''}, once per sync, {rows.batch} ids a request"
            + "".join(f", `{name}={value}`" for name, value in rows.endpoint.query.items())
        )
    if declared.enrolment:
        notes.append(
            f"shops onboarded to {declared.enrolment.programme} only (`{declared.enrolment.endpoint.operation()}`)"
        )
    if declared.snapshot:
        notes.append("a snapshot: `snapshot_time` on every row")
    if declared.key_columns:
        notes.append(", ".join(f"`{column}` from `{path}`" for column, path in declared.key_columns.items()))
    if endpoint.page_index_total:
        notes.append("paged by `page_index`")
    if endpoint.variants and len(declared.queries) > 1:
        values = ", ".join("not sent" if value is None else f"`{value}`" for value in endpoint.variants.values)
        notes.append(f"one query per `{endpoint.variants.parameter}`: {values}")
    notes += [f"`{name}={value}`" for name, value in endpoint.query.items()]
    notes += [f"`{name}` from `{setting}`" for name, setting in declared.query_from_config.items()]
    for region, query in declared.query_by_region.items():
        notes.append(f"{region} shops: " + ", ".join(f"`{name}={value}`" for name, value in query.items()))
    if declared.unavailable_in:
        notes.append(f"not offered in {', '.join(sorted(declared.unavailable_in))}")
    if declared.by_day:
        notes.append("one request per day" + days_in(endpoint))
    if declared.incremental and declared.incremental.client_side:
        notes.append(f"every record read, only those past the saved `{declared.incremental.field}` kept")
    return "; ".join(notes) or "—"


def days_in(endpoint: Endpoint) -> str:
    """Where a `by_day` endpoint takes its day, where that is not `start_date_ge` and `end_date_lt`."""
    if endpoint.day_path_parameter:
        return f", the date in the path (`{{{endpoint.day_path_parameter}}}`)"
    if endpoint.day_parameters != Endpoint.day_parameters:
        return f" (`{'`, `'.join(endpoint.day_parameters)}`)"
    return ""


def row(declared: StreamDeclaration) -> str:
    modes = "full refresh, incremental" if declared.incremental else "full refresh"
    cells = (
        f"`{declared.name}`",
        code(declared.primary_key),
        cursor(declared),
        modes,
        endpoints(declared),
        read_as(declared),
        code(declared.scopes),
    )
    return "| " + " | ".join(cells) + " |"


def table() -> str:
    return "\n".join([BEGIN, *HEADER, *(row(declared) for declared in STREAMS), END])


def written(text: str, where: Path) -> str:
    """`text` with its table, between the markers, as a fresh generation writes it."""
    if text.count(BEGIN) != 1 or text.count(END) != 1:
        raise ValueError(f"{where}: needs one line `{BEGIN}` and one `{END}`, around the stream table")
    before, rest = text.split(BEGIN)
    _, after = rest.split(END)
    return before + table() + after


def main(argv: list[str]) -> int:
    stale = []
    for path in FILES:
        text = path.read_text()
        fresh = written(text, path)
        if fresh != text:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(fresh)
    if "--check" in argv and stale:
        print("stream tables differ from the declarations; run scripts/stream_tables.py:", *map(str, stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
