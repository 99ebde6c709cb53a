"""What a query's pages hold for a stream, where that is not simply each page's records: the records of one of an
endpoint's variant queries, and records whose list goes on over the next page made whole."""

from collections.abc import Generator, Mapping
from dataclasses import replace

from ..tiktok.endpoints import Variants
from ..tiktok.envelope import Page

Pages = Generator[Page, None, None]


def of_variant(pages: Pages, variants: Variants, asked: Mapping[str, str]) -> Pages:
    """The pages of the variant query that sent `asked`: less the records holding another query's value (that query
    reads them), each record saying the value its query asked for where TikTok's does not."""
    value = asked.get(variants.parameter)
    others = {other for other in variants.values if other is not None and other != value}
    try:
        for page in pages:
            kept = [record for record in page.records if record.get(variants.parameter) not in others]
            if value is not None:
                kept = [{variants.parameter: value, **record} for record in kept]
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
