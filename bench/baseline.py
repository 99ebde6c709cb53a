"""The plainest possible reader of orders, the yardstick for the connector's throughput.

    python bench/baseline.py BASE_URL APP_KEY APP_SECRET AUTH_CODE > /dev/null

One requests Session, the connector's own signing function, page until done, one JSON line per order.
No retries, no state, no schema: what any hand-written script would do.
"""

import json
import sys
import time

import requests

from source_tiktok_shop.tiktok.signing import sign


def main(base_url: str, app_key: str, app_secret: str, auth_code: str) -> None:
    session = requests.Session()
    token = session.get(
        f"{base_url}/api/v2/token/get",
        params={"app_key": app_key, "app_secret": app_secret, "auth_code": auth_code, "grant_type": "authorized_code"},
        timeout=60,
    ).json()["data"]["access_token"]
    session.headers.update({"x-tts-access-token": token, "content-type": "application/json"})

    def call(method: str, path: str, params: dict, body: str | None = None) -> dict:
        params = {**params, "app_key": app_key, "timestamp": str(int(time.time()))}
        params["sign"] = sign(app_secret, path, params, body)
        return session.request(method, base_url + path, params=params, data=body, timeout=60).json()["data"]

    out = sys.stdout
    for shop in call("GET", "/authorization/202309/shops", {})["shops"]:
        body = json.dumps({"update_time_ge": 0, "update_time_lt": int(time.time()) + 1}, separators=(",", ":"))
        page_token = ""
        while True:
            params = {
                "shop_cipher": shop["cipher"],
                "page_size": "100",
                "sort_field": "update_time",
                "sort_order": "ASC",
            }
            if page_token:
                params["page_token"] = page_token
            data = call("POST", "/order/202309/orders/search", params, body)
            for order in data["orders"]:
                out.write(json.dumps({**order, "shop_id": shop["id"]}) + "\n")
            page_token = data.get("next_page_token")
            if not page_token:
                break


if __name__ == "__main__":
    main(*sys.argv[1:5])
