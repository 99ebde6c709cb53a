"""Counted, not assumed: what a query read, against the `total_count` its first page gave.

A query's records come in pages; its first page says how many there are. Read to its end, in one go or in parts cut
while read (parallel_windows.py: the parts cover the query's window, each record in one part), the query has read
that many. A record updated during the read moves out of a window that ends before the sync started (its new
`update_time` is past the end; the next sync reads it), and none moves in: the total can only fall while a window is
read. So fewer records than the first page said are a shortfall only if they are fewer than the count TikTok gives
when asked again after the read too; more are never one.
"""

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..tiktok.endpoints import Endpoint, Query, Shop, day_of
from ..tiktok.envelope import Page
from .windows import utc

SHORTFALL = (
    "Shortfall: {stream}, shop {shop}: {read} {noun} read{where}, but TikTok's first page counted {total} and it "
    "{again}: {missing} not read. TikTok's pages do not hold what its `total_count` says; if this repeats, "
    "tell TikTok's support, and read the stream again from `start_date` once they have fixed it."
)
LEFT_WHILE_READ = (
    "Progress: {stream}, shop {shop}: {read} {noun} read{where}, {left} fewer than TikTok counted when the read "
    "began: they were updated while it went on, out of the window, and the next sync reads them."
)
COUNTED = "Counted: {stream}, shop {shop}: {read} {noun} read, of the {total} TikTok's first pages counted."

T = TypeVar("T")


class Counts:
    """One stream's counts: each query's, and each shop's sums for the end of its read."""

    def __init__(self, stream: str, endpoint: Endpoint, ask: Callable[[Query], Iterator[Page]], logger: logging.Logger):
        self._stream = stream
        self._endpoint = endpoint
        self._ask = ask  # a query's pages, fresh from TikTok
        self._logger = logger
        self._lock = threading.Lock()
        self._by_shop: dict[str, tuple[int, int]] = {}  # shop → (read, total) of its queries read to their end

    def of(self, first: Page, query: Query) -> "QueryCount":
        """The count of a shop's query, whose first page is `first`."""
        variants = self._endpoint.variants
        if query.shop is None or first.total_count is None:
            return NOT_COUNTED
        if variants and (query.filters or {}).get(variants.parameter) is None:
            return NOT_COUNTED  # the query without the variant's filter counts the records the others read too
        window = query.window
        where = ""
        if window is not None:
            where = (
                f"for {day_of(window.start)}"
                if self._endpoint.by_day
                else f"from {utc(window.start)} to {utc(window.end)}"
            )
        return QueryCount(self, query.shop, first.total_count, lambda: self._ask(query), where)

    @property
    def noun(self) -> str:
        return self._endpoint.total_count_of or self._endpoint.records_key or "records"

    def items(self, page: Page) -> int:
        """What `total_count` counts in the page: its records, or the items of a list in them."""
        nested = self._endpoint.total_count_of
        if nested is None:
            return len(page.records)
        return sum(len(record.get(nested) or ()) for record in page.records)

    def finished(self, count: "QueryCount") -> None:
        """A query read to its end: a shortfall is a warning with both figures."""
        with self._lock:
            read, total = self._by_shop.get(count.shop.id, (0, 0))
            self._by_shop[count.shop.id] = (read + count.read, total + count.total)
        if count.read >= count.total:
            return
        now = count.total_now()
        figures = {"stream": self._stream, "shop": count.shop.id, "read": count.read, "noun": self.noun}
        if now is not None and count.read >= now:
            self._logger.info(LEFT_WHILE_READ.format(**figures, where=count.where, left=count.total - count.read))
            return
        self._logger.warning(
            SHORTFALL.format(
                **figures,
                where=count.where,
                total=count.total,
                again="could not be asked again" if now is None else f"counts {now} now",
                missing=min(count.total, count.total if now is None else now) - count.read,
            )
        )

    def log(self, shop: Shop) -> None:
        """The shop's counts, at the end of its read: records read, and what the first pages counted."""
        with self._lock:
            counted = self._by_shop.get(shop.id)
        if counted is not None:
            read, total = counted
            self._logger.info(COUNTED.format(stream=self._stream, shop=shop.id, read=read, noun=self.noun, total=total))


class QueryCount:
    """The records one query read (in parts too), against its first page's total."""

    def __init__(
        self, counts: Counts | None, shop: Shop, total: int, ask_again: Callable[[], Iterator[Page]], where: str
    ):
        self._counts = counts
        self.shop = shop
        self.total = total
        self._ask_again = ask_again
        self.where = f" {where}" if where else ""
        self.read = 0

    def pages(self, pages: Iterable[Page]) -> Iterator[Page]:
        """The query's pages, counted; compared with the total once they are all read."""
        for page in pages:
            self._add(page)
            yield page
        self.done()

    def parts(self, pages: Iterable[tuple[T, Page | None]]) -> Iterator[tuple[T, Page | None]]:
        """The pages of the query's parts (a part's own, less the records past where it stops), counted likewise."""
        for part, page in pages:
            if page is not None:
                self._add(page)
            yield part, page
        self.done()

    def _add(self, page: Page) -> None:
        if self._counts is not None:
            self.read += self._counts.items(page)

    def done(self) -> None:
        if self._counts is not None:
            self._counts.finished(self)

    def total_now(self) -> int | None:
        """The query's total as TikTok counts it now (None: it could not be asked)."""
        pages = self._ask_again()
        try:
            first = next(iter(pages), None)
        except AirbyteTracedException:
            return None
        finally:
            close = getattr(pages, "close", None)
            if close:
                close()
        return first.total_count if first is not None else 0


NOT_COUNTED = QueryCount(None, Shop("", "", ""), 0, lambda: iter(()), "")
