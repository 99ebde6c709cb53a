"""What a list page must hold for its records to be passed on, checked as it arrives where that is cheap.

A server may lie (issue #21): a record without its cursor field, which no state can cover, or a number where
TikTok's model has a string, which a destination would type differently from the rest of the column. The checks
come from the stream declarations and their schemas (TikTok's models), one per endpoint whose records are rows
as they are; the client asks a page that fails them again (the records of child pages are checked for their types only), and names the mismatch if it persists.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..tiktok.envelope import Page
from .declarations import StreamDeclaration

PageCheck = Callable[[Page], str | None]


@dataclass(frozen=True)
class RecordCheck:
    cursor_fields: tuple[str, ...]  # fields every record carries: the stream's cursor, the field pages sort by
    string_fields: frozenset[str]  # top-level fields TikTok's model types as strings only

    def __call__(self, page: Page) -> str | None:
        """What is wrong with the page's first wrong record, or None."""
        for record in page.records:
            name = f"record {record.get('id')}" if record.get("id") is not None else "a record"
            for field in self.cursor_fields:
                if record.get(field) is None:
                    return f"{name} has no `{field}`, which the pages are read by"
            for field in self.string_fields:
                value = record.get(field)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    return f"`{field}` of {name} is the number {value}, where TikTok's model has a string"
        return None


def _string_only(schema: Mapping[str, Any]) -> bool:
    types = schema.get("type")
    types = [types] if isinstance(types, str) else types or []
    return "string" in types and set(types) <= {"string", "null"}


def page_checks(
    declarations: Iterable[StreamDeclaration], schema_of: Callable[[str], Mapping[str, Any]]
) -> dict[str, PageCheck]:
    """The check of each endpoint's pages (by endpoint name), from the streams that take its records as rows."""
    checks: dict[str, PageCheck] = {}
    for declaration in declarations:
        properties = schema_of(declaration.name).get("properties", {})
        strings = frozenset(name for name, schema in properties.items() if _string_only(schema))
        listed = declaration.rows.origin(declaration.endpoint, declaration.by_day)
        if not listed.pages_checked or listed.endpoint.name in checks:
            continue
        if listed.endpoint != declaration.endpoint:
            # The child records are the rows: their fields are the stream's, their cursor the parent's.
            child_sort = (listed.endpoint.sort_field,) if listed.endpoint.sort_field else ()
            checks[listed.endpoint.name] = RecordCheck(child_sort, strings)
            continue
        # An analytics row's `date` is the day asked for, not a field of TikTok's records.
        cursor = declaration.cursor_field if declaration.incremental and not declaration.by_day else None
        # The field the pages are sorted by too, where the model has it on the record (not inside its intervals).
        sort = declaration.endpoint.sort_field if declaration.endpoint.sort_field in properties else None
        fields = tuple(dict.fromkeys(field for field in (cursor, sort) if field))
        checks[declaration.endpoint.name] = RecordCheck(fields, strings)
    return checks
