"""One query's window read as consecutive parts, side by side, so a big backfill uses the quota.

A page is asked for only once the previous one has arrived, so one query never goes faster than one
request per round trip. When the first page of a window says it holds many pages, the window is cut into
parts, read on their own threads; their pages come back through one bounded queue as they arrive. Only
endpoints sorted ascending on the field they filter on are cut: the first part goes on with the query whose
first page was already read, up to the first record past its end, so nothing is requested twice.
"""

import itertools
import math
import queue
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import replace

from ..tiktok.endpoints import Window
from ..tiktok.envelope import Page
from .cursor import PartRead

Source = Callable[[], Iterator[Page]]  # the pages of one part, when it is read

MIN_PAGES_PER_READER = 20  # below this, the request a cut costs outweighs what reading side by side gains
MAX_READERS = 8
# A window is cut in more parts than are read at once: where its records are dense is only guessed from its first
# page, so small parts, taken in order by whichever reader is free, keep every reader busy to the end.
PARTS_PER_READER = 4
MIN_PAGES_PER_PART = 5
PAGES_QUEUED_PER_READER = 2


def readers_for(total_count: int | None, page_size: int, in_flight: int, most: int) -> int:
    """How many parts are worth reading side by side: as many as the requests that can usefully be in flight
    (the shop and endpoint's rate × the round trip), while each reader has enough pages to read."""
    if not total_count:
        return 1
    pages = math.ceil(total_count / page_size)
    return max(1, min(pages // MIN_PAGES_PER_READER, in_flight, MAX_READERS, most))


def parts_for(total_count: int | None, page_size: int, readers: int) -> int:
    """How many parts to cut a window in for `readers`: a few each, of a few pages at least."""
    if readers <= 1 or not total_count:
        return 1
    pages = math.ceil(total_count / page_size)
    return max(1, min(readers * PARTS_PER_READER, pages // MIN_PAGES_PER_PART))


def cut(window: Window, first_page: Page, field: str, parts: int) -> list[Window]:
    """`parts` consecutive windows covering `window`, cut where the density of the first page says equal
    shares of the records fall (the first page holds the window's oldest records)."""
    values = [record[field] for record in first_page.records if isinstance(record.get(field), int)]
    total = first_page.total_count or 0
    if parts <= 1 or len(values) < 2 or total <= len(values):
        return [window]
    seconds_per_record = max(1.0, (values[-1] - values[0]) / (len(values) - 1))
    expected_end = min(window.end, values[0] + seconds_per_record * total)
    step = (expected_end - values[0]) / parts
    cuts = sorted({int(values[0] + step * number) for number in range(1, parts)} - {window.start})
    cuts = [point for point in cuts if window.start < point < window.end]
    edges = [window.start, *cuts, window.end]
    return [Window(start, end) for start, end in zip(edges, edges[1:], strict=False)]


def resumed_parts(window: Window, parts_read: list[PartRead], lookback: int) -> list[tuple[Window, bool]]:
    """`window` as consecutive parts, each to read (False) or read by an earlier sync (True): what a part read
    up to, less the lookback, is not read again."""
    parts: list[tuple[Window, bool]] = []
    start = window.start
    for read in parts_read:
        if read.window.end <= start or read.window.start >= window.end:
            continue
        resume = read.window.end if read.read_to >= read.window.end else read.read_to - lookback
        resume = min(read.window.end, max(resume, read.window.start, start))
        if read.window.start > start:
            parts.append((Window(start, read.window.start), False))
        if resume > max(start, read.window.start):
            parts.append((Window(max(start, read.window.start), resume), True))
        start = resume
    if start < window.end:
        parts.append((Window(start, window.end), False))
    return parts


def until(end: int, field: str, first_page: Page, rest: Generator[Page, None, None]) -> Iterator[Page]:
    """The pages of the whole window's query, trimmed to the records before `end`: the first part."""
    try:
        for page in itertools.chain([first_page], rest):
            kept = [record for record in page.records if not isinstance(record.get(field), int) or record[field] < end]
            yield replace(page, records=kept)
            if len(kept) < len(page.records):
                return
    finally:
        rest.close()


DONE = None


class Parts:
    """Reads the parts on `readers` threads, each taking the next part not started yet; `pages()` hands their pages
    over as `(part, page)` as they come, and `(part, None)` once a part has no more."""

    def __init__(self, sources: list[Source], readers: int):
        self._sources = sources
        self._readers = max(1, min(readers, len(sources)))
        self._queue: queue.Queue[tuple[int, Page | None | BaseException]] = queue.Queue(
            maxsize=PAGES_QUEUED_PER_READER * self._readers
        )
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._started = 0

    def pages(self) -> Iterator[tuple[int, Page | None]]:
        threads = [
            threading.Thread(target=self._work, daemon=True, name=f"window-part-reader-{number}")
            for number in range(self._readers)
        ]
        for thread in threads:
            thread.start()
        remaining = len(self._sources)
        try:
            while remaining:
                number, item = self._queue.get()
                if isinstance(item, BaseException):
                    raise item
                if item is DONE:
                    remaining -= 1
                yield number, item
        finally:
            self._stop.set()
            while any(thread.is_alive() for thread in threads):
                try:  # unblock the threads still waiting to hand over a page
                    self._queue.get(timeout=0.05)
                except queue.Empty:
                    pass

    def _work(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                number, self._started = self._started, self._started + 1
            if number >= len(self._sources):
                return
            if not self._read(number, self._sources[number]):
                return

    def _read(self, number: int, source: Source) -> bool:
        """Hands over the part's pages; whether the reader may go on to another part."""
        pages = source()
        try:
            for page in pages:
                if self._stop.is_set():
                    return False
                self._queue.put((number, page))
            self._queue.put((number, DONE))
            return True
        except BaseException as error:  # handed to the reading thread, which raises it
            self._queue.put((number, error))
            return False
        finally:
            close = getattr(pages, "close", None)
            if close:
                close()
