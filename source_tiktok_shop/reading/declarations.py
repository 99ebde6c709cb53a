"""What a stream is, as data: the endpoint it reads, its key, its cursor and how a record becomes rows."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..tiktok.endpoints import Endpoint
from .shapes import AsIs, RowShape

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
        """The endpoint's queries that list records giving rows (by the row shape)."""
        return self.rows.queries(self.endpoint)

    @property
    def scopes(self) -> tuple[str, ...]:
        """The scopes the stream needs: its endpoint's, and that of the endpoint its rows are read from."""
        endpoints = [self.endpoint, self.rows.origin(self.endpoint, self.by_day).endpoint]
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
        return self.rows.rows_are_records

    @property
    def total_count_counts_rows(self) -> bool:
        """Whether the endpoint's `total_count` counts this stream's rows (for estimates)."""
        return self.rows.counted_by(self.endpoint.total_count_of)

    @property
    def paged_endpoints(self) -> tuple[str, ...]:
        """The endpoints whose pages the stream reads (and may share with other streams reading them)."""
        read = (self.endpoint.name, *self.rows.paged_endpoints())
        return (*read, self.enrolment.endpoint.name) if self.enrolment else read

    @property
    def splittable(self) -> bool:
        """A window can be read in consecutive parts: the endpoint filters and sorts on the cursor field."""
        return self.advances_per_record and self.endpoint.time_filter == self.cursor_field

    @property
    def advances_per_record(self) -> bool:
        """Records come in ascending cursor order, so the cursor may move after every row, not only per window."""
        return self.incremental is not None and self.endpoint.sort_field == self.incremental.field
