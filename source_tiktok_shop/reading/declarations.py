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


@dataclass(frozen=True)
class Batched:
    """The records that the stream's records name in `reference` (a dotted path), where `where` holds (dotted path →
    value), each read once per shop and sync: `batch` ids comma-joined in the query parameter `parameter` of one call
    of `endpoint` (fewer for the last ones of a window). The records of its answers (their id in `id_field`) are the
    rows, with the stream's cursor field holding the earliest time (the endpoint's `time_filter` field) of the
    records that named them: TikTok's inbound orders, from the FBT inventory records."""

    reference: str
    endpoint: Endpoint
    parameter: str
    batch: int
    id_field: str
    where: Mapping[str, str] = field(default_factory=dict)


RowShape = AsIs | Nested | Detail | ChildPages | Followed | Batched


@dataclass(frozen=True)
class Enrolment:
    """A programme TikTok serves the stream's endpoints to only for the shops enrolled in it (Fulfilled by TikTok):
    `endpoint` lists the regions a shop is enrolled in, as the `field` of its records. A shop whose region is not
    among them is skipped for the stream, with no refused call."""

    endpoint: Endpoint
    field: str
    programme: str


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
    # A full refresh with no time to read from: each row gets `snapshot_time`, the Unix second the sync started
    # reading that shop for this stream (docs/new-streams-design.md, decision 3).
    snapshot: bool = False
    # The programme a shop must be enrolled in for TikTok to serve it the endpoint (None: every shop).
    enrolment: Enrolment | None = None
    # Columns copied from a field nested in each row (column → dotted path), for a key TikTok nests (FBT's goods).
    key_columns: Mapping[str, str] = field(default_factory=dict)

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
        read = (self.endpoint.name, child.endpoint.name) if isinstance(child, ChildPages) else (self.endpoint.name,)
        return (*read, self.enrolment.endpoint.name) if self.enrolment else read

    @property
    def splittable(self) -> bool:
        """A window can be read in consecutive parts: the endpoint filters and sorts on the cursor field."""
        return self.advances_per_record and self.endpoint.time_filter == self.cursor_field

    @property
    def advances_per_record(self) -> bool:
        """Records come in ascending cursor order, so the cursor may move after every row, not only per window."""
        return self.incremental is not None and self.endpoint.sort_field == self.incremental.field
