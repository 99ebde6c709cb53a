"""Partitions of a stream, one per shop and window, read as windows → pages (shared through the spool) → rows."""

import logging
import threading
from collections.abc import Generator, Iterable, Iterator, Mapping
from typing import Any, Protocol

from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.streams.concurrent.partitions.partition_generator import PartitionGenerator
from airbyte_cdk.sources.types import Record, StreamSlice

from ..tiktok.endpoints import Query, Shop, Window
from ..tiktok.envelope import Page
from ..tiktok.errors import MissingScopeError
from .cursor import ShopCursor
from .declarations import AsIs, ChildPages, Detail, Nested, StreamDeclaration
from .estimates import Estimates
from .shared_pages import SharedPages
from .shops import ShopDirectory
from .windows import SyncBounds, over_result_cap, utc, window_for

Row = Mapping[str, Any]


class Api(Protocol):
    """What reading needs of TikTok (implemented by `tiktok.client.TikTokClient`)."""

    def pages(self, query: Query, page_token: str | None = None) -> Generator[Page, None, None]: ...

    def call(self, query: Query) -> Page: ...


class Tally:
    """The records a partition's rows came from, where a record gives several rows or none."""

    def __init__(self) -> None:
        self.count = 0


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
    ):
        self.declaration = declaration
        self._api = api
        self._directory = directory
        self._bounds = bounds
        self._cursor = cursor
        self._shared_pages = shared_pages
        self._estimates = estimates
        self._logger = logger
        self._scope_lock = threading.Lock()
        self._missing_scope = False

    @property
    def name(self) -> str:
        return self.declaration.name

    def partitions(self) -> Iterator[tuple[Shop | None, Window | None]]:
        if not self.declaration.endpoint.shop_scoped:
            yield None, None
            return
        for shop in self._directory.shops():
            yield shop, self._window_for(shop)

    def _window_for(self, shop: Shop) -> Window | None:
        incremental = self.declaration.incremental
        if incremental is None or self._cursor is None:
            return None
        return window_for(self._bounds, self._cursor.value_for(shop.id), incremental.lookback_minutes)

    def rows(self, shop: Shop | None, window: Window | None) -> Iterator[Row]:
        if self._missing_scope:
            return
        try:
            if shop is None:
                yield from ({**shop.record, "shop_id": shop.id} for shop in self._directory.shops())
            else:
                parents = Tally()
                rows = self._rows_of_window(shop, window, whole=True, parents=parents)
                yield from self._counted(shop, window, rows, parents)
        except MissingScopeError as error:
            self._skip_for_missing_scope(error)

    def _counted(self, shop: Shop, window: Window | None, rows: Iterator[Row], parents: Tally) -> Iterator[Row]:
        """Logs the partition's progress in rows, the count the destination gets, and the records they came from."""
        count = 0
        if window is not None:
            self._logger.info(
                f"Progress: {self.name}, shop {shop.id}: reading {self.declaration.cursor_field} "
                f"from {utc(window.start)} to {utc(window.end)}."
            )
        for count, row in enumerate(rows, start=1):  # noqa: B007
            yield row
        source = "" if self.declaration.rows_are_records else f" from {parents.count} {self._parent_noun}"
        upto = f" up to {utc(window.end)}" if window is not None else ""
        self._logger.info(f"Progress: {self.name}, shop {shop.id}: {count} rows{source}{upto}.")

    @property
    def _parent_noun(self) -> str:
        return self.declaration.endpoint.records_key or f"{self.declaration.endpoint.name} records"

    def _rows_of_window(self, shop: Shop, window: Window | None, whole: bool, parents: Tally) -> Iterator[Row]:
        if window is not None and window.start >= window.end:
            return
        pages = self._pages(shop, window)
        try:
            for number, page in enumerate(pages):
                if number == 0 and window is not None:
                    if over_result_cap(page.total_count, self.declaration.endpoint.result_cap, window):
                        for half in window.halves():
                            yield from self._rows_of_window(shop, half, whole=False, parents=parents)
                        return
                if number == 0 and whole and page.total_count is not None and self.declaration.rows_are_records:
                    self._estimates.shop_total(shop.id, page.total_count)
                for record in page.records:
                    parents.count += 1
                    yield from self._rows_of(record, shop)
        finally:
            pages.close()

    def _pages(self, shop: Shop, window: Window | None) -> Generator[Page, None, None]:
        endpoint = self.declaration.endpoint
        query = Query(endpoint, shop, window, params=self.declaration.query_by_region.get(shop.region, {}))

        def fetch(page_token: str | None) -> Generator[Page, None, None]:
            return self._api.pages(query, page_token)

        if not self._shared_pages.shares(endpoint.name):
            return fetch(None)
        return self._shared_pages.pages(query.key, fetch, lambda raw: Page.parse(raw, endpoint.records_key))

    def _rows_of(self, record: Row, shop: Shop) -> Iterable[Row]:
        """The rows one API record becomes, by the stream's row shape."""
        rows = self.declaration.rows
        parent: dict[str, Any] = {"shop_id": shop.id}
        if isinstance(rows, AsIs):
            return [{**record, **parent}]
        cursor_field = self.declaration.cursor_field
        if cursor_field:
            parent[cursor_field] = record.get(cursor_field)
        if isinstance(rows, Nested):
            parent[rows.parent_key] = record["id"]
            return [{**item, **parent} for item in record.get(rows.items) or []]
        if isinstance(rows, Detail):
            if record.get("status") in rows.skip_statuses:
                return []
            detail = self._api.call(Query(rows.endpoint, shop, path_params={rows.path_param: str(record["id"])}))
            return [{**detail.data, "shop_id": shop.id}]
        return self._child_rows(rows, record, shop, {**parent, rows.parent_key: record["id"]})

    def _child_rows(self, rows: ChildPages, record: Row, shop: Shop, parent: Row) -> Iterator[Row]:
        for page in self._api.pages(Query(rows.endpoint, shop, path_params={rows.path_param: str(record["id"])})):
            page_fields = {field: page.data.get(field) for field in rows.page_fields}
            for child in page.records:
                yield {**child, **page_fields, **parent}

    def _skip_for_missing_scope(self, error: MissingScopeError) -> None:
        with self._scope_lock:
            first, self._missing_scope = not self._missing_scope, True
        if first:
            self._logger.warning(
                f"Skipping stream {self.name}: the app or the seller's authorization lacks scope "
                f"`{self.declaration.endpoint.scope}` ({error}). Enable it for the app in TikTok Partner Center and "
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
        name = self._reader.name
        for row in self._reader.rows(self._shop, self._window):
            yield Record(data=row, stream_name=name, associated_slice=self._slice)

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
