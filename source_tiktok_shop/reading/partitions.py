"""Partitions of a stream, one per shop and window, read as windows → pages (shared through the spool) → rows."""

import itertools
import logging
import threading
import time
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any, Protocol

from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.streams.concurrent.partitions.partition_generator import PartitionGenerator
from airbyte_cdk.sources.types import Record, StreamSlice

from ..tiktok.endpoints import DAY_SECONDS, Query, Shop, Window, day_of
from ..tiktok.envelope import Page, dotted
from ..tiktok.errors import DateTooOld, MissingScopeError, RecordGone, ShopNotEligible
from ..tiktok.rate import Settled
from .counts import NOT_COUNTED, Counts, QueryCount
from .cursor import ShopCursor
from .declarations import AsIs, Batched, ChildPages, Detail, Followed, IdBatches, Nested, StreamDeclaration
from .estimates import Estimates
from .page_records import joined, of_variant
from .parallel_windows import PartsRead, ReaderPool, WindowPlan, cut, parts_for, readers_for, resumed_parts
from .shared_pages import SharedPages
from .shops import ShopDirectory
from .windows import (
    SyncBounds,
    day_window_for,
    latest_day_at,
    lookback_minutes,
    midnight_of,
    not_before,
    oldest_kept,
    over_result_cap,
    past_saved,
    utc,
    window_for,
)

Row = Mapping[str, Any]


class Api(Protocol):
    """What reading needs of TikTok (implemented by `tiktok.client.TikTokClient`)."""

    def pages(self, query: Query, page_token: str | None = None) -> Generator[Page, None, None]: ...

    def call(self, query: Query) -> Page: ...

    def settled(self, query: Query) -> Settled: ...

    def parallelism(self, query: Query) -> int:
        """How many requests of the query's shop and endpoint can usefully be in flight at once."""
        ...


class Tally:
    """The records a partition's rows came from, where a record gives several rows or none, and the latest cursor
    value among them (for a cursor kept client side)."""

    def __init__(self) -> None:
        self.count = 0
        self.latest: int | None = None

    def saw(self, value: Any) -> None:
        if isinstance(value, int) and not isinstance(value, bool) and (self.latest is None or value > self.latest):
            self.latest = value


class StreamReader:
    """Reads one stream of one sync: which partitions it has, and the rows of each."""

    def __init__(
        self,
        declaration: StreamDeclaration,
        api: Api,
        directory: ShopDirectory,
        bounds: SyncBounds,
        cursor: ShopCursor | None,
        shared_pages: SharedPages,
        estimates: Estimates,
        logger: logging.Logger,
        readers: ReaderPool | None = None,
        options: Mapping[str, Any] | None = None,
    ):
        self.declaration = declaration
        self._api = api
        self._directory = directory
        self._bounds = bounds
        self._cursor = cursor
        self._shared_pages = shared_pages
        self._estimates = estimates
        self._counts = Counts(declaration.name, declaration.endpoint, api.pages, logger)
        self._logger = logger
        self._readers = readers or ReaderPool(1)  # the sync's readers of window parts
        self._options = options or {}  # the config's values of `query_from_config` and `ConfigValues`
        self._scope_lock = threading.Lock()
        self._missing_scope = False
        self._followed_lock = threading.Lock()
        self._followed: dict[str, set[str]] = {}  # per shop, the ids `Followed` rows have read in this sync
        self._batches: dict[str, list[str]] = {}  # per shop, the ids waiting for an `IdBatches` call
        self._since: dict[str, int] = {}  # per shop, where a cursor kept client side reads from
        self._pending: dict[str, dict[str, int]] = {}  # per shop, the ids `Batched` rows have yet to ask: their time
        self._read_to: dict[str, int] = {}  # per shop, the latest time of the records `Batched` rows came from
        self._snapshot_times: dict[str, int] = {}  # per shop, when this sync started reading it (`snapshot`)

    @property
    def name(self) -> str:
        return self.declaration.name

    def partitions(self) -> Iterator[tuple[Shop | None, Window | None]]:
        if not self.declaration.endpoint.shop_scoped:
            yield None, None
            return
        rows = self.declaration.rows
        if isinstance(rows, ChildPages) and rows.per_value and not self._options.get(rows.per_value.config_field):
            self._logger.warning(
                f"Skipping stream {self.name}: it reads {rows.endpoint.name} for each "
                f"{rows.per_value.parameter} listed in `{rows.per_value.config_field}`, and the config lists none."
            )
            return
        for shop in self._directory.shops():
            if shop.region in self.declaration.unavailable_in:
                self._skip_shop(shop, f"TikTok does not offer {self.declaration.endpoint.name} in {shop.region}")
                continue
            yield shop, self._window_for(shop)

    @property
    def _lookback_seconds(self) -> int:
        incremental = self.declaration.incremental
        return 60 * lookback_minutes(self._bounds, incremental.lookback_minutes) if incremental else 0

    def _window_for(self, shop: Shop) -> Window | None:
        endpoint = self.declaration.endpoint
        incremental = self.declaration.incremental
        if incremental is not None and incremental.client_side:
            return None  # the endpoint lists every record; the cursor filters them (`_is_new`)
        if incremental is None or self._cursor is None:
            # A full refresh of a time-filtered endpoint sends the sync's bounds, the same for every page.
            window = Window(self._bounds.start, self._bounds.end) if endpoint.time_filter else None
        else:
            saved = self._cursor.value_for(shop.id)
            if self.declaration.by_day:
                return day_window_for(
                    self._bounds, saved if isinstance(saved, str) else None, incremental.lookback_minutes
                )
            window = window_for(self._bounds, saved if isinstance(saved, int) else None, incremental.lookback_minutes)
        return not_before(window, endpoint.earliest) if window and endpoint.earliest else window

    def records(self, shop: Shop | None, window: Window | None, partition: StreamSlice) -> Iterator[Record]:
        """The partition's rows as records; each says its partition (and part of the window, if cut in parts)."""
        if self._missing_scope:
            return
        try:
            if shop is None:
                for listed in self._directory.shops():
                    yield Record({**listed.record, "shop_id": listed.id}, self.name, partition)
                return
            if not self._enrolled(shop):
                return
            if self.declaration.snapshot:
                with self._followed_lock:
                    self._snapshot_times[shop.id] = int(time.time())
            if window is not None and self.declaration.by_day:
                parents = Tally()
                yield from self._counted(shop, window, self._records_of_days(shop, window, partition, parents), parents)
            else:
                parents = Tally()
                self._since_state(shop)
                records = self._records_of_windows(shop, window, partition, parents)
                yield from self._counted(shop, window, records, parents)
                incremental = self.declaration.incremental
                if incremental and incremental.client_side and self._cursor and parents.latest is not None:
                    self._cursor.read_through(shop.id, parents.latest)  # every record listed was read
        except MissingScopeError as error:
            self._skip_for_missing_scope(error)
        except ShopNotEligible as error:
            if shop is not None:
                self._skip_shop(shop, f"TikTok refused {self.declaration.endpoint.operation()} for this shop ({error})")

    def _enrolled(self, shop: Shop) -> bool:
        """Whether the shop is enrolled in the programme the stream's endpoint needs (asked once per sync, for every
        stream that needs it); a shop that is not is skipped with one warning."""
        enrolment = self.declaration.enrolment
        if enrolment is None:
            return True
        regions = {
            str(record.get(enrolment.field))
            for page in self._read(Query(enrolment.endpoint, shop))
            for record in page.records
        }
        if shop.region in regions:
            return True
        listed = ", ".join(sorted(regions)) or "no region"
        self._skip_shop(
            shop,
            f"it is not onboarded to {enrolment.programme} in its market ({enrolment.endpoint.operation()} lists "
            f"{listed}), so TikTok serves it no {self.declaration.endpoint.operation()}",
        )
        return False

    def _counted(
        self, shop: Shop, window: Window | None, records: Iterator[Record], parents: Tally
    ) -> Iterator[Record]:
        """Logs the partition's progress in rows, the count the destination gets, and the records they came from."""
        count = 0
        if window is not None:
            self._logger.info(
                f"Progress: {self.name}, shop {shop.id}: reading {self.declaration.cursor_field} "
                f"from {self._edge(window.start)} to {self._edge(window.end)}."
            )
        for count, record in enumerate(records, start=1):  # noqa: B007
            yield record
        source = "" if self.declaration.rows_are_records else f" from {parents.count} {self._parent_noun}"
        upto = f" up to {self._edge(window.end)}" if window is not None else ""
        self._logger.info(f"Progress: {self.name}, shop {shop.id}: {count} rows{source}{upto}.")
        self._counts.log(shop)
        # A day's query, for an endpoint that takes the day in its path: a day is one query of the same quota.
        asked = self._day_query(shop, window.start) if window and self.declaration.by_day else self._query(shop, window)
        settled = self._api.settled(asked)
        if settled.sent:
            self._logger.info(
                f"Rate: {self.name}, shop {shop.id}: {self.declaration.endpoint.name} settled at {settled.rate} "
                f"requests/s; {settled.throttled} of {settled.sent} requests were throttled."
            )

    def _since_state(self, shop: Shop) -> None:
        """Where a cursor kept client side reads from for the shop: its saved value less the lookback."""
        incremental = self.declaration.incremental
        if not (incremental and incremental.client_side and self._cursor):
            return
        saved = self._cursor.value_for(shop.id)
        if isinstance(saved, int):
            # The saved value's own rows were emitted: a lookback of 0 reads none of them again.
            self._since[shop.id] = (
                saved - self._lookback_seconds * 1000 + 1
                if incremental.milliseconds
                else past_saved(self._bounds, saved, incremental.lookback_minutes).start
            )

    def _is_new(self, record: Row, shop: Shop) -> bool:
        """Whether the record passed the state of a cursor kept client side (always, without one)."""
        since = self._since.get(shop.id)
        value = record.get(self.declaration.cursor_field or "")
        return since is None or not isinstance(value, int) or value >= since

    @property
    def _parent_noun(self) -> str:
        return self.declaration.endpoint.records_key or f"{self.declaration.endpoint.name} records"

    def _edge(self, time: int) -> str:
        """A window's edge as the log says it (the end excluded, as for times)."""
        return day_of(time) if self.declaration.by_day else utc(time)

    def _records_of_days(self, shop: Shop, window: Window, partition: StreamSlice, parents: Tally) -> Iterator[Record]:
        """One query per day, from the window's first day to its last or TikTok's latest available day, which the
        first answer tells. A day TikTok no longer keeps moves the read on to the oldest day it does.

        Days are read through the shared pages, so streams built on the same days' pages (a video's products on
        the videos of the day) fetch each page once; the oldest day kept is looked for once for all of them."""
        first_pages: dict[int, Iterator[Page]] = {}  # of the days asked about while looking for the oldest day kept
        key = ("oldest day kept", self._day_query(shop, window.start).key, window.end)
        day, refusal = self._shared_pages.plan(key, lambda: self._oldest_day_kept(shop, window, first_pages))
        if refusal is not None:
            self._logger.warning(
                f"{self.name}, shop {shop.id}: TikTok no longer keeps analytics for {day_of(window.start)} "
                f"({refusal}); "
                + (f"reading from {day_of(day)}, the oldest day it keeps." if day is not None else "nothing to read.")
            )
        last = window.end - DAY_SECONDS
        figures_seen = False  # a day with records was read
        while day is not None and day <= last:
            pages = first_pages.pop(day, None) or self._read(self._day_query(shop, day))
            first = next(pages, None)
            if first is None:
                return
            if self.declaration.endpoint.latest_is_last_with_records:
                if first.records:
                    figures_seen = True
                elif figures_seen:
                    self._logger.info(
                        f"Progress: {self.name}, shop {shop.id}: no figures for {day_of(day)} yet; the latest day "
                        f"TikTok has is {day_of(day - DAY_SECONDS)}."
                    )
                    return
            latest = self._latest_day(first)
            last = last if latest is None else min(last, latest)
            if day > last:  # the window starts after the latest day TikTok has
                return
            count = self._counts.of(first, self._day_query(shop, day))
            for page in count.pages(itertools.chain([first], pages)):
                for row in self._rows_of_page(page, shop, parents, day):
                    yield Record(row, self.name, partition)
            if self._cursor:
                self._cursor.read_through(shop.id, day_of(day))
            day += DAY_SECONDS

    def _oldest_day_kept(
        self, shop: Shop, window: Window, first_pages: dict[int, Iterator[Page]]
    ) -> tuple[int | None, str | None]:
        """The window's first day TikTok keeps (None: none), and TikTok's refusal of the window's first day, if it
        refused it; the pages of the days asked are kept in `first_pages` for the read."""
        last = window.end - DAY_SECONDS
        if window.start > last:
            return None, None
        try:
            self._first_of_day(shop, window.start, first_pages)
        except DateTooOld as error:
            kept = oldest_kept(
                window.start + DAY_SECONDS, last, lambda later: self._latest_if_kept(shop, later, first_pages)
            )
            return kept, str(error)
        return window.start, None

    def _first_of_day(self, shop: Shop, day: int, first_pages: dict[int, Iterator[Page]]) -> Page:
        """The day's first page; its pages, that one first again, are kept in `first_pages`."""
        pages = self._read(self._day_query(shop, day))
        first = next(pages)
        first_pages[day] = itertools.chain([first], pages)
        return first

    def _latest_if_kept(self, shop: Shop, day: int, first_pages: dict[int, Iterator[Page]]) -> int | None:
        """None if TikTok refuses the day as too old; else the latest day it has data for (or the day asked)."""
        try:
            first = self._first_of_day(shop, day, first_pages)
        except DateTooOld:
            return None
        latest = self._latest_day(first)
        return day if latest is None else latest

    def _latest_day(self, answer: Page) -> int | None:
        """The latest day (a UTC midnight) TikTok has data for, as the answer says it, if it does."""
        path = self.declaration.endpoint.latest_available_timestamp
        if path is None:
            return midnight_of(answer.latest_available_date)
        latest = dotted(answer.data, path)
        return latest_day_at(latest) if isinstance(latest, int) else None

    def _day_query(self, shop: Shop, day: int) -> Query:
        query = self._query(shop, Window(day, day + DAY_SECONDS))
        in_path = self.declaration.endpoint.day_path_parameter
        return replace(query, path_params={in_path: day_of(day)}) if in_path else query

    def _records_of_windows(
        self, shop: Shop, window: Window | None, partition: StreamSlice, parents: Tally
    ) -> Iterator[Record]:
        """The window's records, of each of the endpoint's queries (one, or one per value of its `Variants`)."""
        for filters in self.declaration.queries:
            yield from self._records_of_window(shop, window, partition, whole=True, parents=parents, filters=filters)
        rows = self.declaration.rows
        if isinstance(rows, IdBatches):  # the last ids, fewer than a batch
            for row in self._with_columns(self._batch_rows(rows, shop, flush=True), shop):
                yield Record(row, self.name, partition)
        if isinstance(rows, Batched):  # the last ids named, fewer than a batch
            for row in self._asked(rows, shop, everything=True):
                yield Record(row, self.name, partition)
            # Every row is out: the window is read up to its latest record, whether that named an id or not.
            latest = self._read_to.pop(shop.id, None)
            if self._cursor and latest is not None:
                self._cursor.read_through(shop.id, latest)

    def _records_of_window(
        self,
        shop: Shop,
        window: Window | None,
        partition: StreamSlice,
        whole: bool,
        parents: Tally,
        filters: Mapping[str, str] | None = None,
    ) -> Iterator[Record]:
        if window is not None and window.start >= window.end:
            return
        variants = self.declaration.endpoint.variants
        first_query = filters is None or filters == self.declaration.endpoint.queries[0]
        # Only the endpoint's first query is read in parts: the cursor keeps the parts of one query per shop.
        in_parts = whole and first_query
        counted = whole and (first_query or (variants is not None and variants.disjoint))
        if window is not None and in_parts and self._cursor and self._splittable:
            parts_read = self._cursor.parts_read_for(shop.id)
            if parts_read:  # an earlier sync stopped half way through a window read in parts
                resumed = resumed_parts(window, parts_read, self._lookback_seconds)
                plan = self._shared_pages.plan(
                    (self._query(shop, window).key, tuple(resumed)), lambda: self._plan(resumed)
                )
                yield from self._records_of_parts(shop, window, plan, partition, parents)
                return
        pages = self._pages(shop, window, filters)
        handed_over = False
        try:
            first = next(pages, None)
            if first is None:
                return
            if window is not None and over_result_cap(first.total_count, self.declaration.endpoint.result_cap, window):
                pages.close()
                for half in window.halves():
                    yield from self._records_of_window(
                        shop, half, partition, whole=False, parents=parents, filters=filters
                    )
                return
            if counted and first.total_count is not None and self.declaration.total_count_counts_rows:
                self._estimates.query_total((shop.id, *sorted((filters or {}).items())), first.total_count)
            count = self._counts.of(first, self._query(shop, window, filters))
            if window is not None and in_parts and self._splittable and self._readers.size > 1:
                plan = self._shared_pages.plan(
                    self._query(shop, window).key, lambda: self._first_plan(shop, window, first)
                )
                started = (0, itertools.chain([first], pages))
                handed_over = True  # a reader of the pool may be reading them still: it closes them
                yield from self._records_of_parts(shop, window, plan, partition, parents, started, count)
                return
            for page in count.pages(itertools.chain([first], pages)):
                for row in self._rows_of_page(page, shop, parents):
                    yield Record(row, self.name, partition)
        finally:
            if not handed_over:
                pages.close()

    @property
    def _splittable(self) -> bool:
        """Whether the stream's windows may be read in parts."""
        endpoint = self.declaration.endpoint
        return bool(self.declaration.splittable and self.declaration.cursor_field and endpoint.page_size)

    def _plan(self, parts: list[tuple[Window, bool]], first_query: Window | None = None) -> WindowPlan:
        return WindowPlan(
            parts, self.declaration.cursor_field or "", self.declaration.endpoint.page_size or 1, first_query
        )

    def _first_plan(self, shop: Shop, window: Window, first: Page) -> WindowPlan:
        """The parts a window is read in from its first page on, decided once per query for every stream reading
        it, so that they share the parts' pages too: as many as the readers the first page's rate can keep busy, cut
        where its density says equal shares fall; the first goes on with the window's query."""
        page_size = self.declaration.endpoint.page_size or 1
        readers = readers_for(first.total_count, page_size, self._in_flight(shop, window), self._readers.size)
        parts = cut(
            window, first, self.declaration.cursor_field or "", parts_for(first.total_count, page_size, readers)
        )
        return self._plan([(part, False) for part in parts], first_query=window)

    def _in_flight(self, shop: Shop, window: Window) -> int:
        """How many requests of the shop and endpoint can usefully be in flight now, at most the pool's readers."""
        return max(1, min(self._api.parallelism(self._query(shop, window)), self._readers.size))

    def _records_of_parts(
        self,
        shop: Shop,
        window: Window,
        plan: WindowPlan,
        partition: StreamSlice,
        parents: Tally,
        started: tuple[int, Iterator[Page]] | None = None,
        count: QueryCount = NOT_COUNTED,
    ) -> Iterator[Record]:
        """The window's records, read in the plan's parts (some read by an earlier sync) on the sync's readers, as
        many at once as the shop and endpoint's rate can keep busy; parts are cut again while they are read."""
        seen = plan.version  # before the layout: a cut made in between is followed, not missed
        layout = plan.layout()
        self._logger.info(
            f"Progress: {self.name}, shop {shop.id}: reading in {len(layout)} parts, "
            f"{self._in_flight(shop, window)} side by side, cut again while read."
        )
        if self._cursor:
            self._cursor.split(shop.id, [(part.number, part.window, part.done_before) for part in layout])
        slices: dict[int, StreamSlice] = {}
        read = PartsRead(
            plan, lambda query: self._pages(shop, query), self._readers, lambda: self._in_flight(shop, window), started
        )
        for number, page in count.parts(read.pages()):
            if self._cursor and plan.version != seen:  # the cursor knows a cut before the part it cut ends
                seen = plan.version
                self._cursor.follow(shop.id, [(part.number, part.window) for part in plan.layout()])
            if page is None:
                if self._cursor:
                    self._cursor.part_done(shop.id, number)
                continue
            if number not in slices:
                cursor_slice = {**partition.cursor_slice, "part": number}
                slices[number] = StreamSlice(partition=partition.partition, cursor_slice=cursor_slice)
            for row in self._rows_of_page(page, shop, parents):
                yield Record(row, self.name, slices[number])

    def _rows_of_page(self, page: Page, shop: Shop, parents: Tally, day: int | None = None) -> Iterator[Row]:
        rows = self.declaration.rows
        if isinstance(rows, Batched):
            parents.count += len(page.records)
            yield from self._batched_rows(rows, page, shop)
            return
        incremental = self.declaration.incremental
        client_side = incremental is not None and incremental.client_side
        for record in page.records:
            parents.count += 1
            if client_side:  # only a cursor kept client side needs the records' latest value and filters them
                parents.saw(record.get(self.declaration.cursor_field or ""))
                if not self._is_new(record, shop):
                    continue
            yield from self._with_columns(self._rows_of(record, shop, day), shop)

    def _chosen(self) -> dict[str, str]:
        """The query parameters the user chose in the config (`query_from_config`)."""
        return {parameter: self._options[name] for parameter, name in self.declaration.query_from_config.items()}

    def _with_columns(self, rows: Iterable[Row], shop: Shop) -> Iterable[Row]:
        """The rows with the columns the declaration adds to every row: the snapshot's time, the key's columns (the
        rows as they are, unwrapped, for a stream that adds none: the most records go this way)."""
        declaration = self.declaration
        if not (declaration.snapshot or declaration.key_columns):
            return rows
        taken = {"snapshot_time": self._snapshot_times[shop.id]} if declaration.snapshot else {}
        return (
            {**row, **{column: dotted(row, path) for column, path in declaration.key_columns.items()}, **taken}
            for row in rows
        )

    def _batched_rows(self, rows: Batched, page: Page, shop: Shop) -> Iterator[Row]:
        """The rows of the ids the page's records name, each id read once per sync: the ids wait until a batch is full
        (or the window is read, `_asked`), so that a call asks `rows.batch` ids whatever the pages that named them."""
        time_field = self.declaration.endpoint.time_filter or ""
        with self._followed_lock:
            pending = self._pending.setdefault(shop.id, {})
        for record in page.records:
            reference, value = dotted(record, rows.reference), record.get(time_field)
            if not isinstance(value, int):
                continue
            self._read_to[shop.id] = max(self._read_to.get(shop.id, value), value)
            if not (reference and all(dotted(record, path) == wanted for path, wanted in rows.where.items())):
                continue
            if str(reference) in pending:
                pending[str(reference)] = min(pending[str(reference)], value)
            elif self._first_time(shop, str(reference)):
                pending[str(reference)] = value
        yield from self._asked(rows, shop, everything=False)

    def _asked(self, rows: Batched, shop: Shop, everything: bool) -> Iterator[Row]:
        """The rows of the shop's pending ids, a full batch a call (and the rest too, if `everything`); each row's
        cursor is the earliest time of the records that named its id."""
        pending = self._pending.get(shop.id, {})
        while len(pending) >= rows.batch or (everything and pending):
            batch = list(pending)[: rows.batch]
            earliest = {reference: pending.pop(reference) for reference in batch}
            params = {rows.parameter: ",".join(batch)}
            for page_read in self._api.pages(Query(rows.endpoint, shop, params=params)):
                for item in page_read.records:
                    first = earliest.get(str(item.get(rows.id_field) or ""))
                    yield {**item, "shop_id": shop.id, self.declaration.cursor_field or "": first}

    def _query(self, shop: Shop, window: Window | None, filters: Mapping[str, str] | None = None) -> Query:
        """The query of the shop and window; its `filters` those of the endpoint's first query unless given."""
        params = {**self._chosen(), **self.declaration.query_by_region.get(shop.region, {})}
        endpoint = self.declaration.endpoint
        asked = endpoint.queries[0] if filters is None else filters
        return Query(endpoint, shop, window, params=params, filters=asked)

    def _pages(
        self, shop: Shop, window: Window | None, filters: Mapping[str, str] | None = None
    ) -> Generator[Page, None, None]:
        """The pages of the stream's query, as the stream reads them (page_records.py)."""
        endpoint = self.declaration.endpoint
        query = self._query(shop, window, filters)
        pages = self._read(query)
        if endpoint.variants:
            pages = of_variant(pages, endpoint.variants, endpoint.queries[0] if filters is None else filters)
        if endpoint.continued_across_pages:
            pages = joined(pages, endpoint.continued_across_pages)
        return pages

    def _read(self, query: Query) -> Generator[Page, None, None]:
        """The pages of a query; fetched once for every stream that reads them, where several do."""

        def fetch(page_token: str | None) -> Generator[Page, None, None]:
            return self._api.pages(query, page_token)

        endpoint = query.endpoint
        if not self._shared_pages.shares(endpoint.name):
            return fetch(None)
        return self._shared_pages.pages(query.key, fetch, lambda raw: Page.parse(raw, endpoint.records_key))

    def _rows_of(self, record: Row, shop: Shop, day: int | None = None) -> Iterable[Row]:
        """The rows one API record becomes, by the stream's row shape (`day`: the day it was read for)."""
        rows = self.declaration.rows
        parent: dict[str, Any] = {"shop_id": shop.id}
        cursor_field = self.declaration.cursor_field
        if day is not None and cursor_field:
            parent[cursor_field] = day_of(day)
        if isinstance(rows, AsIs):
            return [{**record, **parent}]
        if cursor_field and day is None:
            parent[cursor_field] = record.get(cursor_field)
        if isinstance(rows, Nested):
            return self._nested_rows(rows, record, parent)
        if isinstance(rows, Detail):
            return self._detail_rows(rows, record, shop, parent)
        if isinstance(rows, Followed):
            return self._followed_rows(rows, record, shop, parent)
        if isinstance(rows, Batched):
            raise TypeError(f"{self.name}: batched rows are read a page at a time (_batched_rows)")
        if isinstance(rows, IdBatches):
            return self._batched(rows, record, shop)
        return self._child_rows(rows, record, shop, {**parent, rows.parent_key: record["id"]}, day)

    @staticmethod
    def _nested_rows(rows: Nested, record: Row, parent: Row) -> list[Row]:
        return [{**item, **parent, rows.parent_key: record[rows.id_field]} for item in record.get(rows.items) or []]

    def _detail_rows(self, rows: Detail, record: Row, shop: Shop, parent: Row) -> list[Row]:
        if record.get("status") in rows.skip_statuses or (rows.only_with and not record.get(rows.only_with)):
            return []
        if record.get("status") in rows.listed_statuses:
            return [{**{k: v for k, v in record.items() if k not in rows.listed_only}, "shop_id": shop.id}]
        record_id = str(record[rows.id_field])
        try:
            detail = self._api.call(Query(rows.endpoint, shop, path_params={rows.path_param: record_id}))
        except RecordGone as error:
            self._logger.warning(
                f"{self.name}, shop {shop.id}: {record_id} was listed but is gone now, deleted in between; "
                f"skipped ({error})."
            )
            return []
        if rows.parent_key is None:
            return [{**detail.data, "shop_id": shop.id}]
        return [{**detail.data, **parent, rows.parent_key: record_id}]

    def _batched(self, rows: IdBatches, record: Row, shop: Shop) -> Iterator[Row]:
        """Keeps the record's id for the shop's next batch; the rows of a batch once it is full."""
        status = record.get("status")
        if status in rows.skip_statuses or (rows.statuses and status not in rows.statuses):
            return iter(())
        self._batches.setdefault(shop.id, []).append(str(record["id"]))
        return self._batch_rows(rows, shop, flush=False)

    def _batch_rows(self, rows: IdBatches, shop: Shop, flush: bool) -> Iterator[Row]:
        """The rows of one call for the shop's batch, if full (or, `flush`, not empty)."""
        ids = self._batches.get(shop.id, [])
        if not ids or (len(ids) < rows.size and not flush):
            return
        self._batches[shop.id] = []
        answer = self._api.call(Query(rows.endpoint, shop, filters={rows.ids_param: tuple(ids)}))
        parent = {"shop_id": shop.id}
        for record in answer.records:
            yield from self._nested_rows(rows.items, record, parent) if rows.items else [{**record, **parent}]

    def _child_pages(self, rows: ChildPages, record: Row, shop: Shop, day: int | None = None) -> Iterator[Page]:
        """The child's pages for the record: per value the user listed (`ConfigValues`), on the record's day."""
        window = Window(day, day + DAY_SECONDS) if day is not None and rows.endpoint.by_day else None
        path_params = {rows.path_param: str(record["id"])}
        per_value = rows.per_value
        values = (self._options.get(per_value.config_field) or ()) if per_value else (None,)
        for value in values:
            params = {**self._chosen(), **({per_value.parameter: value} if per_value and value else {})}
            yield from self._read(Query(rows.endpoint, shop, window, path_params=path_params, params=params))

    def _child_rows(self, rows: ChildPages, record: Row, shop: Shop, parent: Row, day: int | None) -> Iterator[Row]:
        for page in self._child_pages(rows, record, shop, day):
            page_fields = {field: page.data.get(field) for field in rows.page_fields}
            for child in page.records:
                yield {**child, **page_fields, **parent}

    def _followed_rows(self, rows: Followed, record: Row, shop: Shop, parent: Row) -> Iterator[Row]:
        for page in self._child_pages(rows.via, record, shop):
            for child in page.records:
                reference = str(child.get(rows.reference) or "")
                if not reference or not self._first_time(shop, reference):
                    continue
                answer = self._api.call(Query(rows.endpoint, shop, path_params={rows.path_param: reference}))
                page_fields = {column: answer.data.get(field) for column, field in rows.page_fields.items()}
                for item in answer.records:
                    yield {**item, **page_fields, **parent}

    def _first_time(self, shop: Shop, reference: str) -> bool:
        """Whether this sync has not read `reference` for the shop yet (several records may name it)."""
        with self._followed_lock:
            seen = self._followed.setdefault(shop.id, set())
            first = reference not in seen
            seen.add(reference)
        return first

    def _skip_shop(self, shop: Shop, reason: str) -> None:
        self._logger.warning(f"Skipping stream {self.name} for shop {shop.id} ({shop.region}): {reason}.")

    def _skip_for_missing_scope(self, error: MissingScopeError) -> None:
        with self._scope_lock:
            first, self._missing_scope = not self._missing_scope, True
        if first:
            self._logger.warning(
                f"Skipping stream {self.name}: the app or the seller's authorization lacks scope "
                f"{' or '.join(f'`{scope}`' for scope in self.declaration.scopes)} ({error}). Enable it for the app in TikTok Partner Center and "
                "have the seller authorize the app again."
            )


class ShopPartition(Partition):
    """One shop (none for seller-level streams) and, for incremental streams, one window."""

    def __init__(self, reader: StreamReader, shop: Shop | None, window: Window | None):
        self._reader = reader
        self._shop = shop
        self._window = window
        cursor_slice = {"start": window.start, "end": window.end} if window else {}
        self._slice = StreamSlice(partition={"shop_id": shop.id} if shop else {}, cursor_slice=cursor_slice)

    def read(self) -> Iterable[Record]:
        return self._reader.records(self._shop, self._window, self._slice)

    def to_slice(self) -> StreamSlice:
        return self._slice

    def stream_name(self) -> str:
        return self._reader.name

    def __hash__(self) -> int:
        return hash((self._reader.name, self._shop.id if self._shop else None, self._window))


class ShopPartitions(PartitionGenerator):
    def __init__(self, reader: StreamReader):
        self._reader = reader

    def generate(self) -> Iterable[Partition]:
        for shop, window in self._reader.partitions():
            yield ShopPartition(self._reader, shop, window)
