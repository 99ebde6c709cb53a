"""The shops a sync reads: the authorized shops, narrowed to `shop_ids`, listed once per sync.

A failure to list them is remembered too: every stream needs the list, and asking again for each one
would repeat the same retries stream after stream.
"""

import threading
from collections.abc import Callable

from ..config import ConfigError
from ..tiktok.endpoints import Shop


class ShopDirectory:
    def __init__(self, list_shops: Callable[[], list[Shop]], shop_ids: tuple[str, ...] = ()):
        self._list_shops = list_shops
        self._shop_ids = shop_ids
        self._lock = threading.Lock()
        self._shops: list[Shop] | None = None
        self._failure: Exception | None = None

    def shops(self) -> list[Shop]:
        with self._lock:
            if self._failure is not None:
                raise self._failure
            if self._shops is None:
                try:
                    self._shops = self._list_shops()
                except Exception as failure:
                    self._failure = failure
                    raise
            shops = self._shops
        if not shops:
            raise ConfigError(
                "credentials",
                "cover no shop: the seller has not authorized any shop for this app. Have them authorize one.",
            )
        if not self._shop_ids:
            return shops
        known = {shop.id for shop in shops}
        unknown = [shop_id for shop_id in self._shop_ids if shop_id not in known]
        if unknown:
            raise ConfigError(
                "shop_ids",
                f"lists shops this authorization does not cover: {', '.join(unknown)}. "
                f"Authorized: {', '.join(sorted(known))}.",
            )
        return [shop for shop in shops if shop.id in self._shop_ids]
