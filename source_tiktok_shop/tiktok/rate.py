"""The rate policy: keeps each shop's requests under TikTok's per app × shop quota instead of bouncing off it."""

import threading
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from airbyte_cdk.sources.streams.call_rate import APIBudget, BaseCallRatePolicy


class ShopPacer(BaseCallRatePolicy):
    """Spaces the requests of each shop evenly, `1 / requests_per_second` apart, across all streams.

    TikTok counts requests per app × shop and asks for smooth traffic rather than sub-second bursts
    (reference §5.2). Each request reserves the next free slot of its shop, so waiting threads are
    served in order. Requests without a shop (the shop list, the token host) are not paced.
    """

    def __init__(self, requests_per_second: float):
        super().__init__(matchers=[])
        self._interval = 1.0 / requests_per_second
        self._next_slot: dict[str, float] = {}
        self._lock = threading.Lock()

    @staticmethod
    def shop_cipher(request: Any) -> str | None:
        ciphers = parse_qs(urlsplit(getattr(request, "url", "") or "").query).get("shop_cipher")
        return ciphers[0] if ciphers else None

    def matches(self, request: Any) -> bool:
        return self.shop_cipher(request) is not None

    def try_acquire(self, request: Any, weight: int) -> None:
        cipher = self.shop_cipher(request) or ""
        with self._lock:
            now = time.monotonic()
            slot = max(self._next_slot.get(cipher, now), now)
            self._next_slot[cipher] = slot + self._interval * weight
        if slot > now:
            time.sleep(slot - now)

    def update(self, available_calls: int | None, call_reset_ts: Any) -> None:
        """TikTok publishes no quota headers to sync with (reference §5.2)."""


def shop_budget(requests_per_second: float) -> APIBudget:
    return APIBudget(policies=[ShopPacer(requests_per_second)])
