"""How a stream's records become rows: one class per row shape, declared as data (catalog.py) and carrying its behaviour.

A shape turns the records of one page into rows (`rows`) and gives what it still holds once a window is read
(`rows_at_end`); what it asks of the stream's reader (calls, shared pages, its state for the sync) is `Reading`.
"""

from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from ..tiktok.endpoints import DAY_SECONDS, Endpoint, Filters, Query, Shop, Window, day_of
from ..tiktok.envelope import Page, dotted
from ..tiktok.errors import RecordGone

Row = Mapping[str, Any]


class PendingIds:
    """A shop's ids waiting to be asked for, a batch at a time, in the order they came; `earliest`: the earliest time
    of the records that named each (where the shape keeps it), `latest`: the latest time of the records read."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.earliest: dict[str, int] = {}
        self.latest: int | None = None

    def take(self, size: int) -> list[str]:
        batch, self.ids = self.ids[:size], self.ids[size:]
        return batch


class Reading(Protocol):
    """What a shape needs of the reader of its stream (reading/page_reader.py), for one sync."""

    cursor_field: str | None
    time_field: str  # the field the stream's endpoint filters on (its `time_filter`), "" if none
    options: Mapping[str, Any]  # the config's values of `query_from_config` and `ConfigValues`

    def chosen(self) -> dict[str, str]:
        """The query parameters the user chose in the config (`query_from_config`)."""
        ...

    def call(self, query: Query) -> Page: ...

    def calls(self, queries: Sequence[Query]) -> Iterator[Page | RecordGone]:
        """The answers of one call per query, in their order, made side by side (the calls of a page's records); a
        record gone since it was listed answers with its error."""
        ...

    def pages(self, query: Query) -> Iterator[Page]:
        """The query's pages, fetched for this stream alone."""
        ...

    def read(self, query: Query) -> Iterator[Page]:
        """The query's pages, fetched once for every stream that reads them, where several do."""
        ...

    def first_time(self, shop: Shop, reference: str) -> bool:
        """Whether this sync has not read `reference` for the shop yet (several records may name it)."""
        ...

    def pending(self, shop: Shop) -> PendingIds:
        """The shop's ids waiting for a batch call, kept for the sync."""
        ...

    def read_through(self, shop: Shop, value: int) -> None:
        """Every row up to `value` of the stream's cursor is out, for the shop."""
        ...

    def warn(self, shop: Shop, message: str) -> None: ...


@dataclass(frozen=True)
class RowOrigin:
    """What a shape's rows are in TikTok's terms: the records of `endpoint`'s answers (or the items of their `nested`
    list), with the columns the connector adds beside `shop_id`."""

    endpoint: Endpoint
    nested: str | None = None
    parent_key: str | None = None  # a column naming the record the row came from
    # The stream's cursor column: the day read (by day), else the time of the record the row came from.
    cursor: bool = False
    page_fields: Mapping[str, str] = field(default_factory=dict)  # columns copied from beside the records → field
    # The records are the rows as they are, listed in pages: their pages are checked as they arrive (page_checks.py).
    pages_checked: bool = False


class RowShape:
    """How a record of the stream's endpoint becomes rows."""

    rows_are_records: ClassVar[bool] = False  # each record is one row (progress then counts rows only)

    def rows(self, reading: Reading, records: list[Row], shop: Shop, day: int | None) -> Iterable[Row]:
        """The rows of one page's records (`day`: the day they were read for)."""
        raise NotImplementedError

    def rows_at_end(self, reading: Reading, shop: Shop) -> Iterable[Row]:
        """The rows the shape still holds once the shop's window is read."""
        return ()

    def origin(self, endpoint: Endpoint, by_day: bool) -> RowOrigin:
        """Where the rows come from, for a stream of `endpoint`."""
        raise NotImplementedError

    def counted_by(self, total_count_of: str | None) -> bool:
        """Whether the endpoint's `total_count` (of its records, or of their `total_count_of` list) counts the rows."""
        return False

    def queries(self, endpoint: Endpoint) -> tuple[Mapping[str, str], ...]:
        """The endpoint's queries that list records giving rows."""
        return endpoint.queries

    def paged_endpoints(self) -> tuple[str, ...]:
        """The endpoints besides the stream's whose pages the rows are read from."""
        return ()

    def unread_because(self, options: Mapping[str, Any]) -> str | None:
        """Why the stream has nothing to read with these config values, if it has not."""
        return None


def parent_columns(reading: Reading, record: Row, shop: Shop, day: int | None) -> dict[str, Any]:
    """The columns a row gets from the record it came from: the shop, and the record's cursor (or the day read)."""
    parent: dict[str, Any] = {"shop_id": shop.id}
    cursor_field = reading.cursor_field
    if cursor_field:
        parent[cursor_field] = day_of(day) if day is not None else record.get(cursor_field)
    return parent


@dataclass(frozen=True)
class AsIs(RowShape):
    """Each record is a row."""

    rows_are_records: ClassVar[bool] = True

    def rows(self, reading: Reading, records: list[Row], shop: Shop, day: int | None) -> Iterable[Row]:
        parent: dict[str, Any] = {"shop_id": shop.id}
        if day is not None and reading.cursor_field:
            parent[reading.cursor_field] = day_of(day)
        return [{**record, **parent} for record in records]

    def origin(self, endpoint: Endpoint, by_day: bool) -> RowOrigin:
        return RowOrigin(endpoint, cursor=by_day, pages_checked=True)

    def counted_by(self, total_count_of: str | None) -> bool:
        return total_count_of is None


@dataclass(frozen=True)
class Nested(RowShape):
    """Each element of the record's `items` list is a row, with `parent_key` naming the record (its `id_field`)."""

    items: str
    parent_key: str
    id_field: str = "id"

    def rows(self, reading: Reading, records: list[Row], shop: Shop, day: int | None) -> Iterable[Row]:
        for record in records:
            yield from self.items_of(record, parent_columns(reading, record, shop, day))

    def items_of(self, record: Row, parent: Row) -> list[Row]:
        return [{**item, **parent, self.parent_key: record[self.id_field]} for item in record.get(self.items) or []]

    def origin(self, endpoint: Endpoint, by_day: bool) -> RowOrigin:
        return RowOrigin(endpoint, self.items, self.parent_key, cursor=True)

    def counted_by(self, total_count_of: str | None) -> bool:
        return self.items == total_count_of


@dataclass(frozen=True)
class Detail(RowShape):
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

    def rows(self, reading: Reading, records: list[Row], shop: Shop, day: int | None) -> Iterator[Row]:
        queries = [
            Query(self.endpoint, shop, path_params={self.path_param: self._id(record)})
            for record in records
            if self._called_for(record)
        ]
        details = reading.calls(queries)
        for record in records:
            if record.get("status") in self.listed_statuses:
                yield {**{k: v for k, v in record.items() if k not in self.listed_only}, "shop_id": shop.id}
            elif self._called_for(record):
                yield from self._rows_of(reading, record, next(details), shop, day)

    def _id(self, record: Row) -> str:
        return str(record[self.id_field])

    def _called_for(self, record: Row) -> bool:
        status = record.get("status")
        if status in self.skip_statuses or status in self.listed_statuses:
            return False
        return not self.only_with or bool(record.get(self.only_with))

    def _rows_of(
        self, reading: Reading, record: Row, detail: Page | RecordGone, shop: Shop, day: int | None
    ) -> list[Row]:
        if isinstance(detail, RecordGone):
            reading.warn(
                shop, f"{self._id(record)} was listed but is gone now, deleted in between; skipped ({detail})."
            )
            return []
        if self.parent_key is None:
            return [{**detail.data, "shop_id": shop.id}]
        return [{**detail.data, **parent_columns(reading, record, shop, day), self.parent_key: self._id(record)}]

    def origin(self, endpoint: Endpoint, by_day: bool) -> RowOrigin:
        return RowOrigin(self.endpoint, parent_key=self.parent_key, cursor=self.parent_key is not None)


@dataclass(frozen=True)
class ConfigValues:
    """One query per value the user lists in the config field `config_field`, sent as the query parameter
    `parameter`; with none listed there is nothing to read (the stream says so once)."""

    parameter: str
    config_field: str


@dataclass(frozen=True)
class ChildPages(RowShape):
    """The records of `endpoint`'s pages for each record (its id as `path_param`) are the rows, with
    `parent_key` naming the record and `page_fields` copied from each page (fields beside the list).

    A child endpoint read `by_day` is asked about the day of the parent's row (a video's products on that day)."""

    endpoint: Endpoint
    path_param: str
    parent_key: str
    page_fields: tuple[str, ...] = ()
    per_value: ConfigValues | None = None

    def rows(self, reading: Reading, records: list[Row], shop: Shop, day: int | None) -> Iterator[Row]:
        for record in records:
            parent = {**parent_columns(reading, record, shop, day), self.parent_key: record["id"]}
            for page in self.pages_of(reading, record, shop, day):
                page_fields = {name: page.data.get(name) for name in self.page_fields}
                for child in page.records:
                    yield {**child, **page_fields, **parent}

    def pages_of(self, reading: Reading, record: Row, shop: Shop, day: int | None = None) -> Iterator[Page]:
        """The child's pages for the record: per value the user listed (`ConfigValues`), on the record's day."""
        window = Window(day, day + DAY_SECONDS) if day is not None and self.endpoint.by_day else None
        path_params = {self.path_param: str(record["id"])}
        per_value = self.per_value
        values = (reading.options.get(per_value.config_field) or ()) if per_value else (None,)
        for value in values:
            params = {**reading.chosen(), **({per_value.parameter: value} if per_value and value else {})}
            yield from reading.read(Query(self.endpoint, shop, window, path_params=path_params, params=params))

    def origin(self, endpoint: Endpoint, by_day: bool) -> RowOrigin:
        page_fields = {name: name for name in self.page_fields}
        return RowOrigin(self.endpoint, None, self.parent_key, True, page_fields, pages_checked=True)

    def paged_endpoints(self) -> tuple[str, ...]:
        return (self.endpoint.name,)

    def unread_because(self, options: Mapping[str, Any]) -> str | None:
        per_value = self.per_value
        if per_value is None or options.get(per_value.config_field):
            return None
        return (
            f"it reads {self.endpoint.name} for each {per_value.parameter} listed in `{per_value.config_field}`, "
            "and the config lists none"
        )


@dataclass(frozen=True)
class Followed(RowShape):
    """The records that the rows of `via` name in `reference`, each read once per shop and sync by one call of
    `endpoint` (the id as `path_param`): the records of its answer are the rows, with `page_fields` copied from
    beside them (column: the field's name in the answer)."""

    via: ChildPages
    reference: str
    endpoint: Endpoint
    path_param: str
    page_fields: Mapping[str, str] = field(default_factory=dict)

    def rows(self, reading: Reading, records: list[Row], shop: Shop, day: int | None) -> Iterator[Row]:
        for record in records:
            parent = parent_columns(reading, record, shop, day)
            for page in self.via.pages_of(reading, record, shop):
                references = [str(child.get(self.reference) or "") for child in page.records]
                queries = [
                    Query(self.endpoint, shop, path_params={self.path_param: reference})
                    for reference in references
                    if reference and reading.first_time(shop, reference)
                ]
                for answer in reading.calls(queries):
                    if isinstance(answer, RecordGone):
                        raise answer
                    page_fields = {column: answer.data.get(name) for column, name in self.page_fields.items()}
                    for item in answer.records:
                        yield {**item, **page_fields, **parent}

    def origin(self, endpoint: Endpoint, by_day: bool) -> RowOrigin:
        return RowOrigin(self.endpoint, cursor=True, page_fields=self.page_fields)

    def paged_endpoints(self) -> tuple[str, ...]:
        return self.via.paged_endpoints()


class AskedInBatches(RowShape):
    """Rows asked for by ids, `batch_size` at a time: the ids wait in the shop's `PendingIds` until a batch is full,
    whatever the pages that gave them, and the rest are asked for once the window is read."""

    @property
    def batch_size(self) -> int:
        raise NotImplementedError

    def rows_of_batch(self, reading: Reading, shop: Shop, ids: list[str], pending: PendingIds) -> Iterator[Row]:
        """The rows of one call for `ids`."""
        raise NotImplementedError

    def asked(self, reading: Reading, shop: Shop, everything: bool) -> Generator[Row, None, None]:
        """The rows of the shop's pending ids, a full batch a call (and the rest too, if `everything`)."""
        pending = reading.pending(shop)
        while len(pending.ids) >= self.batch_size or (everything and pending.ids):
            yield from self.rows_of_batch(reading, shop, pending.take(self.batch_size), pending)

    def rows_at_end(self, reading: Reading, shop: Shop) -> Iterable[Row]:
        return self.asked(reading, shop, everything=True)


@dataclass(frozen=True)
class IdBatches(AskedInBatches):
    """The records' own ids (of those in `statuses` if given, never in `skip_statuses`), `size` at a time, as the
    list parameter `ids_param` of one call of `endpoint` (a JSON array in a POST's body, comma-joined in a GET's
    query): the records of its answers are the rows, or the items of their `items` list (inventory, diagnoses)."""

    endpoint: Endpoint
    ids_param: str
    size: int
    statuses: frozenset[str] = frozenset()
    skip_statuses: frozenset[str] = frozenset()
    items: Nested | None = None

    @property
    def batch_size(self) -> int:
        return self.size

    def asks_for(self, status: Any) -> bool:
        return status not in self.skip_statuses and (not self.statuses or status in self.statuses)

    def rows(self, reading: Reading, records: list[Row], shop: Shop, day: int | None) -> Iterable[Row]:
        pending = reading.pending(shop)
        pending.ids += [str(record["id"]) for record in records if self.asks_for(record.get("status"))]
        return self.asked(reading, shop, everything=False)

    def rows_of_batch(self, reading: Reading, shop: Shop, ids: list[str], pending: PendingIds) -> Iterator[Row]:
        filters: Filters = {self.ids_param: tuple(ids)}
        answer = reading.call(Query(self.endpoint, shop, filters=filters))
        parent = {"shop_id": shop.id}
        for record in answer.records:
            yield from self.items.items_of(record, parent) if self.items else [{**record, **parent}]

    def origin(self, endpoint: Endpoint, by_day: bool) -> RowOrigin:
        nested, parent_key = (self.items.items, self.items.parent_key) if self.items else (None, None)
        return RowOrigin(self.endpoint, nested, parent_key)

    def queries(self, endpoint: Endpoint) -> tuple[Mapping[str, str], ...]:
        """The variant queries of the statuses it skips are left out."""
        variants = endpoint.variants
        if not (variants and variants.parameter == "status"):
            return endpoint.queries
        return tuple(
            filters
            for filters in endpoint.queries
            if (status := filters.get("status")) is None or self.asks_for(status)
        )


@dataclass(frozen=True)
class Batched(AskedInBatches):
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

    @property
    def batch_size(self) -> int:
        return self.batch

    def rows(self, reading: Reading, records: list[Row], shop: Shop, day: int | None) -> Iterable[Row]:
        pending = reading.pending(shop)
        time_field = reading.time_field
        for record in records:
            reference, value = dotted(record, self.reference), record.get(time_field)
            if not isinstance(value, int):
                continue
            pending.latest = value if pending.latest is None else max(pending.latest, value)
            if not (reference and all(dotted(record, path) == wanted for path, wanted in self.where.items())):
                continue
            if str(reference) in pending.earliest:
                pending.earliest[str(reference)] = min(pending.earliest[str(reference)], value)
            elif reading.first_time(shop, str(reference)):
                pending.ids.append(str(reference))
                pending.earliest[str(reference)] = value
        return self.asked(reading, shop, everything=False)

    def rows_of_batch(self, reading: Reading, shop: Shop, ids: list[str], pending: PendingIds) -> Iterator[Row]:
        """Each row's cursor is the earliest time of the records that named its id."""
        earliest = {reference: pending.earliest.pop(reference) for reference in ids}
        for page in reading.pages(Query(self.endpoint, shop, params={self.parameter: ",".join(ids)})):
            for item in page.records:
                first = earliest.get(str(item.get(self.id_field) or ""))
                yield {**item, "shop_id": shop.id, reading.cursor_field or "": first}

    def rows_at_end(self, reading: Reading, shop: Shop) -> Iterator[Row]:
        yield from self.asked(reading, shop, everything=True)
        # Every row is out: the window is read up to its latest record, whether that named an id or not.
        pending = reading.pending(shop)
        latest, pending.latest = pending.latest, None
        if latest is not None:
            reading.read_through(shop, latest)

    def origin(self, endpoint: Endpoint, by_day: bool) -> RowOrigin:
        return RowOrigin(self.endpoint, cursor=True)
