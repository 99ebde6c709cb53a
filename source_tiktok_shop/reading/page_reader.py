"""The page reader of a stream: the queries it sends, their pages (shared through the spool) and the rows of a page.

How a page's records become rows is the stream's row shape's (shapes.py); this module gives the shapes what they
ask of a sync (`Reading`): calls, shared pages, the ids they have read or wait to ask for, per shop.
"""

import logging
import threading
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import replace
from functools import partial
from typing import Any, Protocol

from ..tiktok.endpoints import DAY_SECONDS, Query, Shop, Window, day_of
from ..tiktok.envelope import Page, dotted
from ..tiktok.errors import RecordGone
from ..tiktok.rate import Settled
from .cursor import ShopCursor
from .declarations import StreamDeclaration
from .page_records import joined, of_variant
from .parallel_windows import CALLS_AHEAD, ReaderPool
from .shapes import PendingIds, Row
from .shared_pages import SharedPages
from .windows import SyncBounds, lookback_minutes, past_saved


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


class PageReader:
    """Reads the pages of one stream's queries for one sync and turns them into rows, by the stream's row shape."""

    def __init__(
        self,
        declaration: StreamDeclaration,
        api: Api,
        bounds: SyncBounds,
        cursor: ShopCursor | None,
        shared_pages: SharedPages,
        logger: logging.Logger,
        options: Mapping[str, Any],
        readers: ReaderPool,
    ):
        self.declaration, self.api, self.bounds, self.options = declaration, api, bounds, options
        self.readers = readers
        self.cursor, self.shared_pages, self.logger = cursor, shared_pages, logger
        self.name, self.cursor_field = declaration.name, declaration.cursor_field
        self.time_field = declaration.endpoint.time_filter or ""
        incremental = declaration.incremental
        # Only a cursor kept client side needs the records' latest value and filters them.
        self._client_side = incremental is not None and incremental.client_side
        self._lock = threading.Lock()
        self._read_ids: dict[str, set[str]] = {}  # per shop, the ids the shape has read in this sync
        self._pending: dict[str, PendingIds] = {}  # per shop, the ids waiting for the shape's next batch call
        self._since: dict[str, int] = {}  # per shop, where a cursor kept client side reads from
        self._snapshot_times: dict[str, int] = {}  # per shop, when this sync started reading it (`snapshot`)

    @property
    def lookback_seconds(self) -> int:
        incremental = self.declaration.incremental
        return 60 * lookback_minutes(self.bounds, incremental.lookback_minutes) if incremental else 0

    def query(self, shop: Shop, window: Window | None, filters: Mapping[str, str] | None = None) -> Query:
        """The query of the shop and window; its `filters` those of the endpoint's first query unless given."""
        params = {**self.chosen(), **self.declaration.query_by_region.get(shop.region, {})}
        endpoint = self.declaration.endpoint
        asked = endpoint.queries[0] if filters is None else filters
        return Query(endpoint, shop, window, params=params, filters=asked)

    def day_query(self, shop: Shop, day: int) -> Query:
        query = self.query(shop, Window(day, day + DAY_SECONDS))
        in_path = self.declaration.endpoint.day_path_parameter
        return replace(query, path_params={in_path: day_of(day)}) if in_path else query

    def query_pages(
        self, shop: Shop, window: Window | None, filters: Mapping[str, str] | None = None
    ) -> Generator[Page, None, None]:
        """The pages of the stream's query, as the stream reads them (page_records.py)."""
        endpoint = self.declaration.endpoint
        pages = self.read(self.query(shop, window, filters))
        if endpoint.variants:
            pages = of_variant(pages, endpoint.variants, endpoint.queries[0] if filters is None else filters)
        if endpoint.continued_across_pages:
            pages = joined(pages, endpoint.continued_across_pages)
        return pages

    def rows_of_page(self, page: Page, shop: Shop, parents: Tally, day: int | None = None) -> Iterable[Row]:
        records = page.records
        parents.count += len(records)
        if self._client_side:
            for record in records:
                parents.saw(record.get(self.cursor_field or ""))
            records = [record for record in records if self._is_new(record, shop)]
        return self._with_columns(self.declaration.rows.rows(self, records, shop, day), shop)

    def rows_at_end(self, shop: Shop) -> Iterable[Row]:
        """The rows the shape still holds once the shop's window is read (the last ids, fewer than a batch)."""
        return self._with_columns(self.declaration.rows.rows_at_end(self, shop), shop)

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

    def snapshot_at(self, shop: Shop, now: int) -> None:
        with self._lock:
            self._snapshot_times[shop.id] = now

    def since_state(self, shop: Shop) -> None:
        """Where a cursor kept client side reads from for the shop: its saved value less the lookback, never before
        `start_date` (in the field's own unit)."""
        incremental = self.declaration.incremental
        if not (incremental and incremental.client_side and self.cursor):
            return
        saved = self.cursor.value_for(shop.id)
        if isinstance(saved, int):
            # The saved value's own rows were emitted: a lookback of 0 reads none of them again.
            self._since[shop.id] = (
                max(self.bounds.start * 1000, saved - self.lookback_seconds * 1000 + 1)
                if incremental.milliseconds
                else past_saved(self.bounds, saved, incremental.lookback_minutes).start
            )

    def _is_new(self, record: Row, shop: Shop) -> bool:
        """Whether the record passed the state of a cursor kept client side (always, without one)."""
        since = self._since.get(shop.id)
        value = record.get(self.cursor_field or "")
        return since is None or not isinstance(value, int) or value >= since

    # What the row shapes ask of the sync (`shapes.Reading`).

    def chosen(self) -> dict[str, str]:
        return {parameter: self.options[name] for parameter, name in self.declaration.query_from_config.items()}

    def call(self, query: Query) -> Page:
        return self.api.call(query)

    def calls(self, queries: Sequence[Query]) -> Iterator[Page | RecordGone]:
        if not queries:
            return
        at_once = min(self.readers.size, max(CALLS_AHEAD, self.api.parallelism(queries[0])))
        if at_once <= 1:
            yield from map(self._answer, queries)
            return
        # Each call that is answered makes room for the next, whether the calls before it are answered or not: one
        # that hangs until its timeout holds up neither the others nor those after them, only the page's rows.
        waiting: deque[Future[Page | RecordGone]] = deque()  # made or being made, in order, not yet given
        left = iter(queries)
        try:
            while True:
                for future in waiting:
                    if future.done() and future.exception() is not None:
                        raise future.exception()  # type: ignore[misc]
                running = [future for future in waiting if not future.done()]
                while len(running) < at_once and (query := next(left, None)) is not None:
                    running.append(self.readers.call(partial(self._answer, query)))
                    waiting.append(running[-1])
                if not waiting:
                    return
                if waiting[0].done():
                    yield waiting.popleft().result()
                else:
                    wait(running, return_when=FIRST_COMPLETED)
        finally:
            for future in waiting:
                future.cancel()

    def _answer(self, query: Query) -> Page | RecordGone:
        try:
            return self.api.call(query)
        except RecordGone as error:
            return error

    def pages(self, query: Query) -> Iterator[Page]:
        return self.api.pages(query)

    def read(self, query: Query) -> Generator[Page, None, None]:
        def fetch(page_token: str | None) -> Generator[Page, None, None]:
            return self.api.pages(query, page_token)

        endpoint = query.endpoint
        if not self.shared_pages.shares(endpoint.name):
            return fetch(None)
        return self.shared_pages.pages(query.key, fetch, lambda raw: Page.parse(raw, endpoint.records_key))

    def first_time(self, shop: Shop, reference: str) -> bool:
        with self._lock:
            seen = self._read_ids.setdefault(shop.id, set())
            first = reference not in seen
            seen.add(reference)
        return first

    def pending(self, shop: Shop) -> PendingIds:
        with self._lock:
            return self._pending.setdefault(shop.id, PendingIds())

    def read_through(self, shop: Shop, value: int) -> None:
        if self.cursor:
            self.cursor.read_through(shop.id, value)

    def warn(self, shop: Shop, message: str) -> None:
        self.logger.warning(f"{self.name}, shop {shop.id}: {message}")
