"""One read of an endpoint for all the selected streams built on it.

`orders` and `order_line_items` read the same Search Orders pages, as do `products`, `skus` and
`product_details`, and `statements` and `statement_transactions`. When several of them are selected, the
first partition to run a query fetches its pages and spools each raw page to a file; the partitions of the
other streams that run the very same query (same endpoint, shop, window) replay the spool, waiting for pages
not fetched yet. No page is fetched twice, and memory stays flat whatever the order in which partitions run.
"""

import threading
from collections.abc import Callable, Generator, Hashable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from ..tiktok.envelope import Page

Fetch = Callable[[str | None], Iterator[Page]]  # the pages of a query from a page token (None: the first)
Parse = Callable[[bytes], Page]  # a spooled page back from its raw body

LENGTH_BYTES = 8
T = TypeVar("T")


class Spool:
    """The raw pages of one query, appended by the partition that fetches them, replayed by the others."""

    def __init__(self, path: Path):
        self._path = path
        self._path.touch()
        self._changed = threading.Condition()
        self._pages = 0
        self._finished = False  # every page is in the spool
        self._abandoned = False  # the fetching partition stopped early (an error); the rest is not coming

    def record(self, pages: Iterator[Page]) -> Iterator[Page]:
        try:
            with self._path.open("ab") as spool:
                for page in pages:
                    spool.write(len(page.raw).to_bytes(LENGTH_BYTES, "big") + page.raw)
                    spool.flush()
                    with self._changed:
                        self._pages += 1
                        self._changed.notify_all()
                    yield page
            with self._changed:
                self._finished = True
        finally:
            with self._changed:
                self._abandoned = not self._finished
                self._changed.notify_all()

    def replay(self, parse: Parse) -> Iterator[Page]:
        """The spooled pages in order; stops early only if the fetching partition gave up."""
        read = 0
        with self._path.open("rb") as spool:
            while True:

                def ready(read: int = read) -> bool:
                    return self._pages > read or self._finished or self._abandoned

                with self._changed:
                    self._changed.wait_for(ready)
                    available, finished = self._pages, self._finished
                if read == available:
                    return
                while read < available:
                    raw = spool.read(int.from_bytes(spool.read(LENGTH_BYTES), "big"))
                    yield parse(raw)
                    read += 1
                if finished and read == available:
                    return

    @property
    def complete(self) -> bool:
        with self._changed:
            return self._finished


class SharedPages:
    """Spools the pages of the `endpoints` read by more than one selected stream, in `folder`."""

    def __init__(self, folder: Path | None = None, endpoints: frozenset[str] | set[str] = frozenset()):
        self._folder = folder
        self._endpoints = endpoints
        self._lock = threading.Lock()
        self._spools: dict[Hashable, Spool] = {}
        self._plans: dict[Hashable, Any] = {}
        self._deciding: dict[Hashable, threading.Lock] = {}

    def plan(self, query: Hashable, decide: Callable[[], T]) -> T:
        """What the first reader of `query` decided about it (how to cut its window, where its days start), for
        every reader; the others wait for the decision, which may read pages itself."""
        with self._lock:
            deciding = self._deciding.setdefault(query, threading.Lock())
        with deciding:
            if query not in self._plans:
                self._plans[query] = decide()
            return self._plans[query]  # type: ignore[no-any-return]

    def shares(self, endpoint: str) -> bool:
        return self._folder is not None and endpoint in self._endpoints

    def pages(self, query: Hashable, fetch: Fetch, parse: Parse) -> Generator[Page, None, None]:
        with self._lock:
            spool = self._spools.get(query)
            leads = spool is None
            if spool is None:
                assert self._folder is not None, "pages are shared only with a folder to spool them to"
                spool = self._spools[query] = Spool(self._folder / f"{len(self._spools)}.pages")
        if leads:
            yield from spool.record(fetch(None))
            return
        last = None
        for last in spool.replay(parse):
            yield last
        if spool.complete:
            return
        # The partition that fetched stopped early: go on from the last page it spooled.
        token = last.next_page_token if last is not None else None
        if last is None or token:
            yield from fetch(token)
