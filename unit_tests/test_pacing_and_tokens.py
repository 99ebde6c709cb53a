import threading
import time
from datetime import UTC, datetime

import pytest
import requests

from source_tiktok_shop.auth import TikTokShopAuthenticator, parse_expiry
from source_tiktok_shop.config import parse_settings
from source_tiktok_shop.pacing import ShopPacer


def request(cipher: str | None) -> requests.PreparedRequest:
    params = {"shop_cipher": cipher} if cipher else {}
    return requests.Request("GET", "https://api.test/x", params=params).prepare()


def test_a_shops_requests_are_spaced_by_the_pace_across_threads():
    pacer = ShopPacer(requests_per_second=20)
    stamps: list[float] = []
    lock = threading.Lock()

    def send():
        pacer.try_acquire(request("shop-a"), weight=1)
        with lock:
            stamps.append(time.monotonic())

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stamps.sort()
    gaps = [later - earlier for earlier, later in zip(stamps, stamps[1:], strict=False)]
    assert all(gap >= 0.05 - 0.005 for gap in gaps), gaps


def test_shops_are_paced_apart_and_unscoped_calls_not_at_all():
    pacer = ShopPacer(requests_per_second=1)
    assert not pacer.matches(request(None))
    pacer.try_acquire(request("shop-a"), weight=1)
    started = time.monotonic()
    pacer.try_acquire(request("shop-b"), weight=1)
    assert time.monotonic() - started < 0.5, "another shop's request waited for shop-a's pace"


@pytest.mark.parametrize(
    "value, expected",
    [
        (1735689600, datetime(2025, 1, 1, tzinfo=UTC)),
        ("1735689600", datetime(2025, 1, 1, tzinfo=UTC)),
        ("2025-01-01T00:00:00Z", datetime(2025, 1, 1, tzinfo=UTC)),
        ("2025-01-01T02:00:00+02:00", datetime(2025, 1, 1, tzinfo=UTC)),
        ("2025-01-01T00:00:00", datetime(2025, 1, 1, tzinfo=UTC)),
        ("", None),
        (None, None),
        ("next tuesday", None),
    ],
)
def test_expiry_is_read_as_epoch_seconds_or_iso_8601(value, expected):
    assert parse_expiry(value) == expected


def authenticator(**credentials) -> TikTokShopAuthenticator:
    config = {
        "credentials": {"app_key": "key", "app_secret": "secret", "refresh_token": "r", **credentials},
        "start_date": "2025-01-01T00:00:00Z",
    }
    return TikTokShopAuthenticator(config, parse_settings(config), logger=__import__("logging").getLogger("test"))


@pytest.mark.parametrize(
    "seconds_left, expired",
    [(-10, True), (30, True), (3_000, False), (604_800, False)],
    ids=["past", "inside the 60 s margin", "an hour left", "a week left"],
)
def test_the_token_is_renewed_ahead_of_its_expiry(seconds_left, expired):
    expiry = int(time.time()) + seconds_left
    assert authenticator(access_token="t", access_token_expires_at=str(expiry)).token_has_expired() is expired


def test_no_access_token_means_expired_and_one_without_expiry_is_used():
    assert authenticator().token_has_expired()
    assert not authenticator(access_token="t").token_has_expired()
