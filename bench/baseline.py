"""The plainest possible readers of orders, the yardsticks for the connector: run in the measuring process.

One requests Session per shop, the connector's own signing function, page until done, one JSON line per order.
No retries but of a rate-limit answer (after a tenth of a second), no state, no schema: what any hand-written
script would do. `read_orders` reads the shops one after the other, or each on a thread of its own.

    python bench/baseline.py BASE_URL APP_KEY APP_SECRET AUTH_CODE > /dev/null
"""

import json
import sys
import threading
import time
from typing import Any, TextIO

import requests

from source_tiktok_shop.tiktok.signing import sign

RATE_LIMITED_WAIT = 0.1


class PlainClient:
    def __init__(self, base_url: str, app_key: str, app_secret: str, access_token: str):
        self._base_url, self._app_key, self._app_secret = base_url, app_key, app_secret
        self._session = requests.Session()
        self._session.headers.update({"x-tts-access-token": access_token, "content-type": "application/json"})

    def call(self, method: str, path: str, params: dict[str, str], body: str | None = None) -> Any:
        while True:
            signed = {**params, "app_key": self._app_key, "timestamp": str(int(time.time()))}
            signed["sign"] = sign(self._app_secret, path, signed, body)
            response = self._session.request(method, self._base_url + path, params=signed, data=body, timeout=60)
            if response.status_code != 429:
                return response.json()["data"]
            time.sleep(RATE_LIMITED_WAIT)

    def close(self) -> None:
        """Closes its kept-alive connections (a server stopping waits for them)."""
        self._session.close()


def access_token(base_url: str, app_key: str, app_secret: str, auth_code: str) -> str:
    return requests.get(
        f"{base_url}/api/v2/token/get",
        params={"app_key": app_key, "app_secret": app_secret, "auth_code": auth_code, "grant_type": "authorized_code"},
        timeout=60,
    ).json()["data"]["access_token"]


def read_shop(client: PlainClient, shop: dict[str, Any], out: TextIO, lock: threading.Lock) -> None:
    body = json.dumps({"update_time_ge": 0, "update_time_lt": int(time.time()) + 1}, separators=(",", ":"))
    page_token = ""
    while True:
        params = {"shop_cipher": shop["cipher"], "page_size": "100", "sort_field": "update_time", "sort_order": "ASC"}
        if page_token:
            params["page_token"] = page_token
        data = client.call("POST", "/order/202309/orders/search", params, body)
        lines = "".join(json.dumps({**order, "shop_id": shop["id"]}) + "\n" for order in data["orders"])
        with lock:
            out.write(lines)
        page_token = data.get("next_page_token")
        if not page_token:
            return


def read_orders(
    base_url: str, app_key: str, app_secret: str, auth_code: str, out: TextIO, parallel: bool = False
) -> None:
    """Every authorized shop's orders, shop after shop, or (`parallel`) each shop on a thread of its own."""
    token = access_token(base_url, app_key, app_secret, auth_code)
    client = PlainClient(base_url, app_key, app_secret, token)
    clients = [client]
    try:
        shops = client.call("GET", "/authorization/202309/shops", {})["shops"]
        lock = threading.Lock()
        if not parallel:
            for shop in shops:
                read_shop(client, shop, out, lock)
            return
        clients += [PlainClient(base_url, app_key, app_secret, token) for _ in shops]
        threads = [
            threading.Thread(target=read_shop, args=(own, shop, out, lock))
            for own, shop in zip(clients[1:], shops, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for each in clients:
            each.close()


if __name__ == "__main__":
    read_orders(*sys.argv[1:5], out=sys.stdout)
