"""The planner of a stream: which shops and windows it reads, and each window as queries — days, halves over
TikTok's result cap, parts read side by side — whose pages the page reader turns into rows (page_reader.py)."""

import itertools
from collections.abc import Iterator, Mapping

from airbyte_cdk.sources.types import Record, StreamSlice

from ..tiktok.endpoints import DAY_SECONDS, Shop, Window, day_of
from ..tiktok.envelope import Page, dotted
from ..tiktok.errors import DateTooOld
from .counts import NOT_COUNTED, Counts, QueryCount
from .estimates import Estimates
from .page_reader import PageReader, Tally
from .parallel_windows import PartsRead, ReaderPool, WindowPlan, cut, parts_for, readers_for, resumed_parts
from .shops import ShopDirectory
from .windows import (
    day_window_for,
    latest_day_at,
    midnight_of,
    not_before,
    oldest_kept,
    over_result_cap,
    window_for,
)


class WindowPlanner:
    """Plans one stream's reads for one sync: its partitions (shops and windows), then the queries of each window."""

    def __init__(
        self, reader: PageReader, directory: ShopDirectory, estimates: Estimates, counts: Counts, readers: ReaderPool
    ):
        self.declaration, self.name = reader.declaration, reader.name
        self._reader, self._directory, self._estimates, self._counts = reader, directory, estimates, counts
        self._readers = readers  # the sync's readers of window parts
        self._cursor, self._shared_pages, self._logger = reader.cursor, reader.shared_pages, reader.logger

    def partitions(self) -> Iterator[tuple[Shop | None, Window | None]]:
        if not self.declaration.endpoint.shop_scoped:
            yield None, None
            return
        unread = self.declaration.rows.unread_because(self._reader.options)
        if unread is not None:
            self._logger.warning(f"Skipping stream {self.name}: {unread}.")
            return
        for shop in self._directory.shops():
            if shop.region in self.declaration.unavailable_in:
                self.skip_shop(shop, f"TikTok does not offer {self.declaration.endpoint.name} in {shop.region}")
                continue
            yield shop, self._window_for(shop)

    def skip_shop(self, shop: Shop, reason: str) -> None:
        self._logger.warning(f"Skipping stream {self.name} for shop {shop.id} ({shop.region}): {reason}.")

    def _window_for(self, shop: Shop) -> Window | None:
        endpoint = self.declaration.endpoint
        incremental = self.declaration.incremental
        bounds = self._reader.bounds
        if incremental is not None and incremental.client_side:
            return None  # the endpoint lists every record; the cursor filters them (`PageReader._is_new`)
        if incremental is None or self._cursor is None:
            # A full refresh of a time-filtered endpoint sends the sync's bounds, the same for every page.
            window = Window(bounds.start, bounds.end) if endpoint.time_filter else None
        else:
            saved = self._cursor.value_for(shop.id)
            if self.declaration.by_day:
                return day_window_for(bounds, saved if isinstance(saved, str) else None, incremental.lookback_minutes)
            window = window_for(bounds, saved if isinstance(saved, int) else None, incremental.lookback_minutes)
        return not_before(window, endpoint.earliest) if window and endpoint.earliest else window

    def _at_end(self, shop: Shop, partition: StreamSlice) -> Iterator[Record]:
        for row in self._reader.rows_at_end(shop):
            yield Record(row, self.name, partition)

    def records_of_days(self, shop: Shop, window: Window, partition: StreamSlice, parents: Tally) -> Iterator[Record]:
        """One query per day, from the window's first day to its last or TikTok's latest available day, which the
        first answer tells. A day TikTok no longer keeps moves the read on to the oldest day it does.

        Days are read through the shared pages, so streams built on the same days' pages (a video's products on
        the videos of the day) fetch each page once; the oldest day kept is looked for once for all of them."""
        yield from self._records_of_days(shop, window, partition, parents)
        yield from self._at_end(shop, partition)

    def _records_of_days(self, shop: Shop, window: Window, partition: StreamSlice, parents: Tally) -> Iterator[Record]:
        reader = self._reader
        first_pages: dict[int, Iterator[Page]] = {}  # of the days asked about while looking for the oldest day kept
        key = ("oldest day kept", reader.day_query(shop, window.start).key, window.end)
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
            pages = first_pages.pop(day, None) or reader.read(reader.day_query(shop, day))
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
            count = self._counts.of(first, reader.day_query(shop, day))
            for page in count.pages(itertools.chain([first], pages)):
                for row in reader.rows_of_page(page, shop, parents, day):
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
        pages = self._reader.read(self._reader.day_query(shop, day))
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

    def records_of_windows(
        self, shop: Shop, window: Window | None, partition: StreamSlice, parents: Tally
    ) -> Iterator[Record]:
        """The window's records, of each of the endpoint's queries (one, or one per value of its `Variants`), then
        those the row shape still holds (the last ids named, fewer than a batch)."""
        for filters in self.declaration.queries:
            yield from self._records_of_window(shop, window, partition, whole=True, parents=parents, filters=filters)
        yield from self._at_end(shop, partition)

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
        reader = self._reader
        variants = self.declaration.endpoint.variants
        first_query = filters is None or filters == self.declaration.endpoint.queries[0]
        # Only the endpoint's first query is read in parts: the cursor keeps the parts of one query per shop.
        in_parts = whole and first_query
        counted = whole and (first_query or (variants is not None and variants.disjoint))
        if window is not None and in_parts and self._cursor and self._splittable:
            parts_read = self._cursor.parts_read_for(shop.id)
            if parts_read:  # an earlier sync stopped half way through a window read in parts
                resumed = resumed_parts(window, parts_read, reader.lookback_seconds)
                plan = self._shared_pages.plan(
                    (reader.query(shop, window).key, tuple(resumed)), lambda: self._plan(resumed)
                )
                yield from self._records_of_parts(shop, window, plan, partition, parents)
                return
        pages = reader.query_pages(shop, window, filters)
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
            count = self._counts.of(first, reader.query(shop, window, filters))
            if window is not None and in_parts and self._splittable and self._readers.size > 1:
                plan = self._shared_pages.plan(
                    reader.query(shop, window).key, lambda: self._first_plan(shop, window, first)
                )
                started = (0, itertools.chain([first], pages))
                handed_over = True  # a reader of the pool may be reading them still: it closes them
                yield from self._records_of_parts(shop, window, plan, partition, parents, started, count)
                return
            for page in count.pages(itertools.chain([first], pages)):
                for row in reader.rows_of_page(page, shop, parents):
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
        return max(1, min(self._reader.api.parallelism(self._reader.query(shop, window)), self._readers.size))

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
        reader = self._reader
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
            plan,
            lambda query: reader.query_pages(shop, query),
            self._readers,
            lambda: self._in_flight(shop, window),
            started,
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
            for row in reader.rows_of_page(page, shop, parents):
                yield Record(row, self.name, slices[number])
