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
    # The endpoint cannot filter on `field`: every record is listed, and only those whose `field` passed the state
    # (less the lookback) give rows. `milliseconds`: the field is Unix milliseconds (the activities' times).
    client_side: bool = False
    milliseconds: bool = False


@dataclass(frozen=True)
class AsIs:
    """Each record is a row."""


@dataclass(frozen=True)
class Nested:
    """Each element of the record's `items` list is a row, with `parent_key` naming the record (its `id_field`)."""

    items: str
    parent_key: str
    id_field: str = "id"


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
    # The record's id (its `id_field`) as a column of the row, for details that do not name their record, and the
    # record's cursor value beside it (price details, tracking, return records).
    parent_key: str | None = None
    id_field: str = "id"
    # Only records whose `only_with` list is not empty have a detail (the orders with a package have tracking).
    only_with: str | None = None


@dataclass(frozen=True)
class ConfigValues:
    """One query per value the user lists in the config field `config_field`, sent as the query parameter
    `parameter`; with none listed there is nothing to read (the stream says so once)."""

    parameter: str
    config_field: str


@dataclass(frozen=True)
class ChildPages:
    """The records of `endpoint`'s pages for each record (its id as `path_param`) are the rows, with
    `parent_key` naming the record and `page_fields` copied from each page (fields beside the list).

    A child endpoint read `by_day` is asked about the day of the parent's row (a video's products on that day)."""

    endpoint: Endpoint
    path_param: str
    parent_key: str
    page_fields: tuple[str, ...] = ()
    per_value: ConfigValues | None = None


@dataclass(frozen=True)
class IdBatches:
    """The records' own ids (of those in `statuses` if given, never in `skip_statuses`), `size` at a time, as the
    list parameter `ids_param` of one call of `endpoint` (a JSON array in a POST's body, comma-joined in a GET's
    query): the records of its answers are the rows, or the items of their `items` list (inventory, diagnoses)."""

    endpoint: Endpoint
    ids_param: str
    size: int
    statuses: frozenset[str] = frozenset()
    skip_statuses: frozenset[str] = frozenset()
    items: Nested | None = None


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


RowShape = AsIs | Nested | Detail | ChildPages | Followed | Batched | IdBatches


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
    def queries(self) -> tuple[Mapping[str, str], ...]:
        """The endpoint's queries that list records giving rows: an `IdBatches` read leaves out the variant queries of
        the statuses it skips."""
        rows, variants = self.rows, self.endpoint.variants
        if not (isinstance(rows, IdBatches) and variants and variants.parameter == "status"):
            return self.endpoint.queries
        return tuple(
            filters
            for filters in self.endpoint.queries
            if (status := filters.get("status")) is None
            or (status not in rows.skip_statuses and (not rows.statuses or status in rows.statuses))
        )

    @property
    def scopes(self) -> tuple[str, ...]:
        """The scopes the stream needs: its endpoint's, and that of the endpoint its rows are read from."""
        rows = self.rows
        endpoints = [self.endpoint] + ([] if isinstance(rows, (AsIs, Nested)) else [rows.endpoint])
        endpoints += [self.enrolment.endpoint] if self.enrolment else []
        return tuple(dict.fromkeys(endpoint.scope for endpoint in endpoints))

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
