"""What a query's pages hold for a stream, where that is not simply each page's records: records asked for by a
query of their own left out of the other, and records whose list goes on over the next page made whole."""

from collections.abc import Generator, Mapping
from dataclasses import replace

from ..tiktok.envelope import Page

Pages = Generator[Page, None, None]


def without(pages: Pages, values: Mapping[str, str]) -> Pages:
    """The pages less the records that have every one of `values` (those are read by a query of their own)."""
    try:
        for page in pages:
            kept = [record for record in page.records if any(record.get(k) != v for k, v in values.items())]
            yield replace(page, records=kept)
    finally:
        pages.close()


def joined(pages: Pages, items: str) -> Pages:
    """The pages with each record whose `items` go on over the next page made whole.

    A page is handed on once the next one has shown whether its last record goes on: a record with the same id
    first in the next page holds the rest of its items (TikTok pages the items and groups them by record).
    """
    held: Page | None = None
    try:
        for page in pages:
            if held is None:
                held = page
                continue
            head, rest = list(held.records), list(page.records)
            if head and rest and rest[0].get("id") == head[-1].get("id"):
                more = rest.pop(0)
                head[-1] = {**head[-1], items: [*(head[-1].get(items) or []), *(more.get(items) or [])]}
            if not rest:  # the whole page went on with the held record, which may go on further still
                held = replace(held, records=head)
                continue
            yield replace(held, records=head)
            held = replace(page, records=rest)
        if held is not None:
            yield held
    finally:
        pages.close()
