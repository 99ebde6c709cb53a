"""Partitions of a stream, one per shop and window, read as windows → pages (shared through the spool) → rows.

The planner (planner.py) decides the shops, windows and queries; the page reader (page_reader.py) reads their pages
and turns them into rows by the stream's row shape (shapes.py).
"""

import logging
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.streams.concurrent.partitions.partition_generator import PartitionGenerator
from airbyte_cdk.sources.types import Record, StreamSlice

from ..tiktok.endpoints import Query, Shop, Window, day_of
from ..tiktok.errors import MissingScopeError, ShopNotEligible
from .counts import Counts
from .cursor import ShopCursor
from .declarations import StreamDeclaration
from .estimates import Estimates
from .page_reader import Api, PageReader, Tally
from .parallel_windows import ReaderPool
from .planner import WindowPlanner
from .shared_pages import SharedPages
from .shops import ShopDirectory
from .windows import SyncBounds, utc


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
        self._cursor = cursor
        self._logger = logger
        options = options or {}  # the config's values of `query_from_config` and `ConfigValues`
        readers = readers or ReaderPool(1)
        self._pages = PageReader(declaration, api, bounds, cursor, shared_pages, logger, options, readers)
        self._counts = Counts(declaration.name, declaration.endpoint, api.pages, logger)
        self._planner = WindowPlanner(self._pages, directory, estimates, self._counts, readers)
        self._scope_lock = threading.Lock()
        self._missing_scope = False

    @property
    def name(self) -> str:
        return self.declaration.name

    def partitions(self) -> Iterator[tuple[Shop | None, Window | None]]:
        return self._planner.partitions()

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
                self._pages.snapshot_at(shop, int(time.time()))
            parents = Tally()
            if window is not None and self.declaration.by_day:
                records = self._planner.records_of_days(shop, window, partition, parents)
                yield from self._counted(shop, window, records, parents)
            else:
                self._pages.since_state(shop)
                records = self._planner.records_of_windows(shop, window, partition, parents)
                yield from self._counted(shop, window, records, parents)
                incremental = self.declaration.incremental
                if incremental and incremental.client_side and self._cursor and parents.latest is not None:
                    self._cursor.read_through(shop.id, parents.latest)  # every record listed was read
        except MissingScopeError as error:
            self._skip_for_missing_scope(error)
        except ShopNotEligible as error:
            if shop is not None:
                self._planner.skip_shop(
                    shop, f"TikTok refused {self.declaration.endpoint.operation()} for this shop ({error})"
                )

    def _enrolled(self, shop: Shop) -> bool:
        """Whether the shop is enrolled in the programme the stream's endpoint needs (asked once per sync, for every
        stream that needs it); a shop that is not is skipped with one warning."""
        enrolment = self.declaration.enrolment
        if enrolment is None:
            return True
        regions = {
            str(record.get(enrolment.field))
            for page in self._pages.read(Query(enrolment.endpoint, shop))
            for record in page.records
        }
        if shop.region in regions:
            return True
        listed = ", ".join(sorted(regions)) or "no region"
        self._planner.skip_shop(
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
        pages = self._pages
        asked = pages.day_query(shop, window.start) if window and self.declaration.by_day else pages.query(shop, window)
        settled = self._api.settled(asked)
        if settled.sent:
            self._logger.info(
                f"Rate: {self.name}, shop {shop.id}: {self.declaration.endpoint.name} settled at {settled.rate} "
                f"requests/s; {settled.throttled} of {settled.sent} requests were throttled."
            )

    @property
    def _parent_noun(self) -> str:
        return self.declaration.endpoint.records_key or f"{self.declaration.endpoint.name} records"

    def _edge(self, time: int) -> str:
        """A window's edge as the log says it (the end excluded, as for times)."""
        return day_of(time) if self.declaration.by_day else utc(time)

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
