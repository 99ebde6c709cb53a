"""What a stream is, as data: the endpoint it reads, its key, its cursor and how a record becomes rows."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..tiktok.endpoints import Endpoint

DEFAULT_LOOKBACK_MINUTES = 60


@dataclass(frozen=True)
class Incremental:
    """Read `[cursor − lookback, end)` per shop, filtering the endpoint on `field`.

    `client_side`: TikTok cannot filter on `field`, so every record is read and only those past the saved value (less
    the lookback) become rows; a record given again unchanged is not a new row."""

    field: str
    lookback_minutes: int = DEFAULT_LOOKBACK_MINUTES
    client_side: bool = False


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
    """One call of `endpoint` per record (its id as `path_param`) gives the row; records in `skip_statuses` have none.
    Records in `listed_statuses`, which the endpoint does not return, are their own row, less `listed_only` (the
    fields of the list that the detail does not have)."""

    endpoint: Endpoint
    path_param: str
    skip_statuses: frozenset[str] = frozenset()
    listed_statuses: frozenset[str] = frozenset()
    listed_only: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChildPages:
    """The records of `endpoint`'s pages for each record (its id as `path_param`) are the rows, with
    `parent_key` naming the record and `page_fields` copied from each page (fields beside the list)."""

    endpoint: Endpoint
    path_param: str
    parent_key: str
    page_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Followed:
    """The records that the rows of `via` name in `reference`, each read once per shop and sync by one call of
    `endpoint` (the id as `path_param`): the records of its answer are the rows, with `page_fields` copied from
    beside them (column: the field's name in the answer)."""

    via: ChildPages
    reference: str
    endpoint: Endpoint
    path_param: str
    page_fields: Mapping[str, str] = field(default_factory=dict)


RowShape = AsIs | Nested | Detail | ChildPages | Followed


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
        """Each record of the endpoint is one row (progress then counts rows only)."""
        return isinstance(self.rows, AsIs)

    @property
    def total_count_counts_rows(self) -> bool:
        """Whether the endpoint's `total_count` counts this stream's rows (for estimates)."""
        counted = self.endpoint.total_count_of
        if isinstance(self.rows, AsIs):
            return counted is None
        return isinstance(self.rows, Nested) and self.rows.items == counted

    @property
    def paged_endpoints(self) -> tuple[str, ...]:
        """The endpoints whose pages the stream reads (and may share with other streams reading them)."""
        rows = self.rows
        child = rows.via if isinstance(rows, Followed) else rows
        return (self.endpoint.name, child.endpoint.name) if isinstance(child, ChildPages) else (self.endpoint.name,)

    @property
    def splittable(self) -> bool:
        """A window can be read in consecutive parts: the endpoint filters and sorts on the cursor field."""
        return self.advances_per_record and self.endpoint.time_filter == self.cursor_field

    @property
    def advances_per_record(self) -> bool:
        """Records come in ascending cursor order, so the cursor may move after every row, not only per window."""
        return self.incremental is not None and self.endpoint.sort_field == self.incremental.field
