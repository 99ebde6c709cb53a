"""One query's window read as consecutive parts, side by side, on the sync's one pool of readers, so a big backfill
uses the quota to its end.

A page is asked for only once the previous one has arrived, so one query never goes faster than one request per
round trip. When the first page of a window says it holds many pages, the window is cut into parts (`WindowPlan`),
read by the readers of the sync's pool (`ReaderPool`, `num_workers` threads for every stream and shop). When a
reader is free, no part is left to start and the shop and endpoint have rate to spare, the part with the most left
is cut again where it has not been read yet: the running part stops at the first record past the cut, a new part
reads the rest. Only endpoints sorted ascending on the field they filter on are cut: the first part goes on with
the query whose first page was already read, so nothing is requested twice.

The plan of a query is shared by every stream reading it (orders and order_line_items read the same pages): each
part is one query whose pages are spooled for all of them (shared_pages.py), and each stream's readers stop at the
same cuts.
"""

import math
import queue
import threading
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TypeVar

from ..tiktok.endpoints import Window
from ..tiktok.envelope import Page
from .cursor import PartRead

MIN_PAGES_PER_READER = 20  # below this, the request a cut costs outweighs what reading side by side gains
# A window is first cut in as many parts as are read at once; where its records are dense is only guessed from its
# first page, and the parts that turn out large are cut again while they are read.
PARTS_PER_READER = 1
MIN_PAGES_PER_PART = 5
# A part is cut again while it is read only if what it has left is worth this many pages: the cut costs about one.
MIN_PAGES_LEFT_TO_CUT = 6
PAGES_QUEUED_PER_READER = 2
HAND_OVER_POLL = 0.1  # seconds; how often a reader waiting to hand a page over looks whether the read was stopped

# Per-record calls a partition keeps going at least, whatever the rate says can usefully be in flight: a call that
# hangs until its timeout holds up the rows after it, not the calls.
CALLS_AHEAD = 4

T = TypeVar("T")


def readers_for(total_count: int | None, page_size: int, in_flight: int, most: int) -> int:
    """How many parts are worth reading side by side: as many as the requests that can usefully be in flight
    (the shop and endpoint's rate × the round trip), while each reader has enough pages to read."""
    if not total_count:
        return 1
    pages = math.ceil(total_count / page_size)
    return max(1, min(pages // MIN_PAGES_PER_READER, in_flight, most))


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


@dataclass
class PlannedPart:
    """One part of a window: one query over `query`, whose records from `stop` on belong to the parts after it."""

    number: int  # the part's name, for as long as the sync runs (parts cut later are numbered on)
    query: Window
    stop: int
    done_before: bool = False  # read by an earlier sync
    total: int | None = None  # its query's total_count, once its first page is in
    received: int = 0  # records of its query received (by the stream furthest on)
    first: int | None = None  # the smallest cursor value received
    reached: int | None = None  # the largest cursor value received
    ended: bool = False  # its records were received up to its stop: it can be cut no more

    @property
    def window(self) -> Window:
        """The part's share of the window."""
        return Window(self.query.start, self.stop)

    @property
    def density(self) -> float | None:
        """Records per second of the cursor field in what was received, once that says anything."""
        if self.first is None or self.reached is None or self.received < 2 or self.reached <= self.first:
            return None
        return (self.received - 1) / (self.reached - self.first)

    @property
    def left(self) -> float:
        """About how many records the part has left before its stop: its query's records not received yet, or fewer
        where the density so far says the stop comes first."""
        density = self.density
        if self.ended or self.total is None or self.reached is None or density is None:
            return 0.0
        return min(float(max(0, self.total - self.received)), density * (self.stop - self.reached))

    def halfway(self) -> int:
        """Where half of what the part has left is expected, at the density so far: past every value received."""
        assert self.reached is not None and self.density
        return self.reached + max(1, min(int(self.left / 2 / self.density), (self.stop - self.reached) // 2))


class WindowPlan:
    """The parts a window is read in, shared by every stream reading its query; they are cut while read."""

    def __init__(self, parts: list[tuple[Window, bool]], field: str, page_size: int, first_query: Window | None = None):
        """`parts`: consecutive windows, each read already by an earlier sync or not; `first_query`: the query the
        first part goes on with, started already over a wider window (the whole window's)."""
        self._lock = threading.Lock()
        self._field = field
        self._page_size = max(1, page_size)
        self._parts = [PlannedPart(number, window, window.end, done) for number, (window, done) in enumerate(parts)]
        if first_query is not None and self._parts:
            self._parts[0].query = first_query
        self.version = 0  # counts the cuts

    def layout(self) -> list[PlannedPart]:
        """The parts in window order, as they are now (copies)."""
        with self._lock:
            return sorted((replace(part) for part in self._parts), key=lambda part: part.query.start)

    def numbers(self) -> set[int]:
        with self._lock:
            return {part.number for part in self._parts}

    def query_of(self, number: int) -> Window:
        with self._lock:
            return self._parts[number].query

    def received(self, number: int, page: Page, received: int) -> tuple[Page, bool]:
        """The page of part `number` less its records from the part's stop on, and whether the part is read to its
        end with it. `received`: the records of the part's query this stream has received so far, this page's too."""
        with self._lock:
            part = self._parts[number]
            if page.total_count is not None and part.total is None:
                part.total = page.total_count
            kept = [
                record
                for record in page.records
                if not isinstance(value := record.get(self._field), int) or value < part.stop
            ]
            values = [value for record in kept if isinstance(value := record.get(self._field), int)]
            if values:
                part.first = min(values) if part.first is None else min(part.first, *values)
                part.reached = max(values) if part.reached is None else max(part.reached, *values)
            part.received = max(part.received, received)
            ended = len(kept) < len(page.records) or not page.next_page_token
            part.ended = part.ended or ended
        return (page if len(kept) == len(page.records) else replace(page, records=kept)), ended

    def cut(self) -> int | None:
        """Cuts the part with the most left in two where it has not been read (a record boundary: the running part
        stops at the first record at or past the cut); the new part's number, or None if no part is worth a cut."""
        with self._lock:
            part = max(self._parts, key=lambda part: part.left)
            if part.left < MIN_PAGES_LEFT_TO_CUT * self._page_size:
                return None
            at = part.halfway()
            if not part.window.start < at < part.stop:
                return None
            new = PlannedPart(len(self._parts), Window(at, part.stop), part.stop)
            part.stop = at
            self._parts.append(new)
            self.version += 1
            return new.number

    def worth_cutting(self) -> bool:
        with self._lock:
            return any(part.left >= MIN_PAGES_LEFT_TO_CUT * self._page_size for part in self._parts)


# What a reader hands over: (part, page), (part, None) once the part is read, or (part, error); with the room its
# reader waits for before it hands over another page.
Handed = tuple[int, Page | None | BaseException, threading.Semaphore | None]
Source = Callable[[Window], Iterator[Page]]  # the pages of one part's query, as the stream reads them


class ReaderPool:
    """The sync's readers: `size` threads for every stream and shop (the spec's `num_workers`) reading window parts,
    and the threads making the per-record calls of a page side by side, `CALLS_AHEAD` for each of the `size`
    partitions the CDK runs at once: a caller spends most of its time waiting for its request's slot of the rate
    (the CDK's limiter waits in the sending thread), and one partition's calls waiting for a slow endpoint must not
    hold up another's. The callers are apart from the parts' readers because a part's reader waits for its pages to
    be taken by a partition whose rows may wait for calls. Every request goes through the one bounded session
    (tiktok/in_flight.py): no more than `size` are in flight, whichever thread sends them."""

    def __init__(self, size: int):
        self.size = max(1, size)
        self._executor = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="window-part-reader")
        self._callers = ThreadPoolExecutor(max_workers=self.size * CALLS_AHEAD, thread_name_prefix="per-record-caller")

    def submit(self, work: Callable[[], None]) -> None:
        self._executor.submit(work)

    def call(self, work: Callable[[], T]) -> Future[T]:
        return self._callers.submit(work)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._callers.shutdown(wait=False, cancel_futures=True)


class PartsRead:
    """One stream's read of a window's plan: its readers take the parts it has not started, cut one when none is
    left, and hand the pages over through one bounded queue; `pages()` yields them as `(part, page)`, and
    `(part, None)` once a part is read.

    `readers()` says how many readers the shop and endpoint can keep busy now (its rate × the round trip); more are
    started as it grows, up to that many at once. While it is one, the parts are read in the thread that reads the
    pages, as a window not cut is: handing pages over between threads costs more than it gains then."""

    def __init__(
        self,
        plan: WindowPlan,
        source: Source,
        pool: ReaderPool,
        readers: Callable[[], int],
        first: tuple[int, Iterator[Page]] | None = None,
    ):
        self._plan = plan
        self._source = source
        self._pool = pool
        self._readers = readers
        # The part whose query was started already, its pages, and how many records of them were received.
        self._first = (*first, 0) if first else None
        self._lock = threading.Lock()
        self._started = {part.number for part in plan.layout() if part.done_before}
        self._active = 0
        self._stop = threading.Event()
        self._queue: queue.Queue[Handed] = queue.Queue()  # each reader has PAGES_QUEUED_PER_READER pages in it at most

    def pages(self) -> Iterator[tuple[int, Page | None]]:
        done = set(self._started)
        try:
            while self._readers() <= 1:
                number = self._take()
                if number is None:
                    break
                if (yield from self._read_here(number)):
                    break  # handed over to the pool
                done.add(number)
            self._start_readers()
            while not self._plan.numbers() <= done:
                number, item, room = self._queue.get()
                if room is not None:
                    room.release()
                if isinstance(item, BaseException):
                    raise item
                if item is None:
                    done.add(number)
                yield number, item
                self._start_readers()
        finally:
            self._stop.set()

    def _take(self) -> int | None:
        """The first part not started yet, taken by this stream's reading thread."""
        with self._lock:
            left = self._plan.numbers() - self._started
            if not left:
                return None
            number = min(left, key=lambda number: self._plan.query_of(number).start)
            self._started.add(number)
            return number

    def _read_here(self, number: int) -> Generator[tuple[int, Page | None], None, bool]:
        """Part `number` read in this thread, until it is read (False) or the rate makes room for more readers: then
        what is left of it is handed over to the pool (True)."""
        pages, received = self._pages_of(number)
        try:
            for page in pages:
                received += len(page.records)
                kept, ended = self._plan.received(number, page, received)
                yield number, kept
                if ended:
                    break
                if self._readers() > 1:
                    with self._lock:
                        self._first = (number, pages, received)
                        self._started.discard(number)
                    pages = iter(())  # not closed: the pool's reader goes on with it
                    return True
        finally:
            close = getattr(pages, "close", None)
            if close:
                close()
        yield number, None
        return False

    def _pages_of(self, number: int) -> tuple[Iterator[Page], int]:
        """The part's pages from where they were left (the part's query started already), or from its first."""
        with self._lock:
            first, self._first = (
                (self._first, None) if self._first and self._first[0] == number else (None, self._first)
            )
        return (first[1], first[2]) if first else (self._source(self._plan.query_of(number)), 0)

    def _start_readers(self) -> None:
        wanted = max(1, min(self._readers(), self._pool.size))
        with self._lock:
            more = wanted - self._active if self._work_left() else 0
            self._active += max(0, more)
        for _ in range(more):
            self._pool.submit(self._work)

    def _work_left(self) -> bool:
        """Whether a part is left to start, or one could be cut (under the lock)."""
        return bool(self._plan.numbers() - self._started) or self._plan.worth_cutting()

    def _next(self) -> int | None:
        """The next part this stream's reader reads: the first not started, else a new one cut from the part with
        the most left, else none."""
        with self._lock:
            left = sorted(self._plan.numbers() - self._started, key=lambda number: self._plan.query_of(number).start)
            if not left and self._active <= max(1, min(self._readers(), self._pool.size)):
                cut = self._plan.cut()
                left = [cut] if cut is not None else []
            if not left:
                self._active -= 1
                return None
            self._started.add(left[0])
            return left[0]

    def _work(self) -> None:
        try:
            while not self._stop.is_set():
                number = self._next()
                if number is None:
                    return
                self._read(number)
        except BaseException as error:  # handed to the reading thread, which raises it
            self._queue.put((-1, error, None))

    def _read(self, number: int) -> None:
        pages, received = self._pages_of(number)
        room = threading.Semaphore(PAGES_QUEUED_PER_READER)
        try:
            for page in pages:
                received += len(page.records)
                kept, ended = self._plan.received(number, page, received)
                if not self._wait_for(room):
                    return
                self._queue.put((number, kept, room))
                if ended:
                    break
        finally:
            close = getattr(pages, "close", None)
            if close:
                close()
        self._queue.put((number, None, None))

    def _wait_for(self, room: threading.Semaphore) -> bool:
        """Waits until the reader may hand over another page, unless the read was stopped; whether it may."""
        while not self._stop.is_set():
            if room.acquire(timeout=HAND_OVER_POLL):
                return True
        return False
