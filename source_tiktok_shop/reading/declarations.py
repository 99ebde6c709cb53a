"""What a stream is, as data: the endpoint it reads, its key, its cursor and how a record becomes rows."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..tiktok.endpoints import Endpoint

DEFAULT_LOOKBACK_MINUTES = 60


@dataclass(frozen=True)
class Incremental:
    """Read `[cursor − lookback, end)` per shop, filtering the endpoint on `field`."""

    field: str
    lookback_minutes: int = DEFAULT_LOOKBACK_MINUTES


@dataclass(frozen=True)
class AsIs:
    """Each record is a row."""


@dataclass(frozen=True)
class Nested:
    """Each element of the record's `items` list is a row, with `parent_key` naming the record."""

    items: str
    parent_key: str


@dataclass(frozen=True)
class Detail:
    """One call of `endpoint` per record (its id as `path_param`) gives the row; records in `skip_statuses` have none."""

    endpoint: Endpoint
    path_param: str
    skip_statuses: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ChildPages:
    """The records of `endpoint`'s pages for each record (its id as `path_param`) are the rows, with
    `parent_key` naming the record and `page_fields` copied from each page (fields beside the list)."""

    endpoint: Endpoint
    path_param: str
    parent_key: str
    page_fields: tuple[str, ...] = ()


RowShape = AsIs | Nested | Detail | ChildPages


@dataclass(frozen=True)
class StreamDeclaration:
    name: str
    endpoint: Endpoint
    primary_key: tuple[str, ...] = ("shop_id", "id")
    incremental: Incremental | None = None
    rows: RowShape = AsIs()
    # Extra query parameters for the shops of a region (e.g. the v2 category tree for US shops).
    query_by_region: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Markets (shop regions) TikTok does not offer the endpoint in: their shops are skipped for this stream.
    unavailable_in: frozenset[str] = frozenset()
    # Query parameters the user chooses in the config: parameter → config field (the analytics `currency`).
    query_from_config: Mapping[str, str] = field(default_factory=dict)

    @property
    def cursor_field(self) -> str | None:
        return self.incremental.field if self.incremental else None

    @property
    def by_day(self) -> bool:
        """Read one day per request, the cursor being the day (`YYYY-MM-DD`) each row covers."""
        return self.incremental is not None and self.endpoint.by_day

    @property
    def rows_are_records(self) -> bool:
        """Whether the endpoint's `total_count` counts this stream's rows (for estimates)."""
        return isinstance(self.rows, AsIs)

    @property
    def splittable(self) -> bool:
        """A window can be read in consecutive parts: the endpoint filters and sorts on the cursor field."""
        return self.advances_per_record and self.endpoint.time_filter == self.cursor_field

    @property
    def advances_per_record(self) -> bool:
        """Records come in ascending cursor order, so the cursor may move after every row, not only per window."""
        return self.incremental is not None and self.endpoint.sort_field == self.incremental.field
