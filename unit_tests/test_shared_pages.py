import json
import threading

import pytest

from source_tiktok_shop.reading.shared_pages import SharedPages
from source_tiktok_shop.tiktok.envelope import Page

PAGES = 5


def page(number: int) -> bytes:
    token = f"t+{number + 1}/" if number + 1 < PAGES else ""
    return json.dumps({"code": 0, "data": {"orders": [{"id": str(number)}], "next_page_token": token}}).encode()


class Api:
    """Pages 0..4 of one query, chained by page tokens; counts what is fetched."""

    def __init__(self, fail_after: int | None = None):
        self.fetched: list[int] = []
        self._fail_after = fail_after

    def fetch(self, token: str | None):
        number = 0 if token is None else int(token.strip("t+/"))
        while number < PAGES:
            if self._fail_after is not None and len(self.fetched) == self._fail_after:
                self._fail_after = None
                raise ConnectionError("gave up")
            self.fetched.append(number)
            yield parse(page(number))
            number += 1


def parse(raw: bytes) -> Page:
    return Page.parse(raw, "orders")


def ids(pages) -> list[str]:
    return [page.records[0]["id"] for page in pages]


def test_the_second_reader_replays_what_the_first_fetched(tmp_path):
    shared, api = SharedPages(tmp_path, {"orders"}), Api()
    assert (
        ids(shared.pages("q", api.fetch, parse))
        == ids(shared.pages("q", api.fetch, parse))
        == ["0", "1", "2", "3", "4"]
    )
    assert api.fetched == [0, 1, 2, 3, 4]


def test_readers_running_together_share_every_page(tmp_path):
    shared, api = SharedPages(tmp_path, {"orders"}), Api()
    results: dict[int, list[str]] = {}

    def read(reader: int) -> None:
        results[reader] = ids(shared.pages("q", api.fetch, parse))

    threads = [threading.Thread(target=read, args=(reader,)) for reader in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert results == {reader: ["0", "1", "2", "3", "4"] for reader in range(3)}
    assert api.fetched == [0, 1, 2, 3, 4]


def test_different_queries_are_not_shared(tmp_path):
    shared, api = SharedPages(tmp_path, {"orders"}), Api()
    list(shared.pages("shop A", api.fetch, parse))
    list(shared.pages("shop B", api.fetch, parse))
    assert len(api.fetched) == 2 * PAGES


def test_when_the_fetching_reader_fails_the_next_goes_on_from_the_last_spooled_page(tmp_path):
    shared, api = SharedPages(tmp_path, {"orders"}), Api(fail_after=2)
    with pytest.raises(ConnectionError):
        list(shared.pages("q", api.fetch, parse))
    assert ids(shared.pages("q", api.fetch, parse)) == ["0", "1", "2", "3", "4"]
    assert api.fetched == [0, 1, 2, 3, 4]
