"""Sandbox throughput: page through Search Orders with a plain signed keep-alive requests loop.

    python bench/sandbox_throughput.py [--orders 20000] [--seconds 20] [--page-size 100]

Starts the sandbox in-process (1 shop, no latency, no faults), exchanges the auth code, then follows
next_page_token (sort update_time ASC) until done or until the time budget is spent, and prints one JSON line:
{"bench": "sandbox_throughput", "pages": ..., "records": ..., "seconds": ..., "pages_per_s": ..., "records_per_s": ...}
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import sys
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tiktok_shop_sandbox import Sandbox  # noqa: E402

PATH = "/order/202309/orders/search"


def _sign(secret: str, path: str, params: dict, body: bytes) -> str:
    base = path + "".join(f"{k}{v}" for k, v in sorted(params.items()) if k not in ("sign", "access_token"))
    key = secret.encode()
    return hmac.new(key, key + base.encode() + body + key, hashlib.sha256).hexdigest()


def run(orders: int = 20_000, seconds: float = 20.0, page_size: int = 100) -> dict:
    t_gen = time.monotonic()
    sb = Sandbox(seed=1, shops=1, orders=orders)
    gen_s = time.monotonic() - t_gen
    with sb:
        creds = sb.credentials
        app_key, secret = creds["app_key"], creds["app_secret"]
        cipher = sb.shops[0]["cipher"]
        session = requests.Session()
        r = session.get(
            sb.base_url + "/api/v2/token/get",
            params={
                "app_key": app_key,
                "app_secret": secret,
                "auth_code": creds["auth_code"],
                "grant_type": "authorized_code",
            },
            timeout=10,
        ).json()
        token = r["data"]["access_token"]
        body = json.dumps({"update_time_ge": 0}, separators=(",", ":")).encode()
        headers = {"content-type": "application/json", "x-tts-access-token": token}
        pages = records = 0
        page_token = ""
        start = time.monotonic()
        while True:
            q = {
                "app_key": app_key,
                "timestamp": str(int(time.time())),
                "shop_cipher": cipher,
                "page_size": str(page_size),
                "sort_field": "update_time",
                "sort_order": "ASC",
            }
            if page_token:
                q["page_token"] = page_token
            q["sign"] = _sign(secret, PATH, q, body)
            resp = session.post(sb.base_url + PATH, params=q, data=body, headers=headers, timeout=30)
            payload = resp.json()
            if payload["code"] != 0:
                raise RuntimeError(f"unexpected answer: {payload}")
            pages += 1
            records += len(payload["data"]["orders"])
            page_token = payload["data"]["next_page_token"]
            if not page_token or time.monotonic() - start >= seconds:
                break
        elapsed = time.monotonic() - start
    return {
        "bench": "sandbox_throughput",
        "orders": orders,
        "page_size": page_size,
        "complete": not page_token,
        "pages": pages,
        "records": records,
        "seconds": round(elapsed, 3),
        "generation_s": round(gen_s, 3),
        "pages_per_s": round(pages / elapsed, 1),
        "records_per_s": round(records / elapsed, 1),
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--orders", type=int, default=20_000)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--page-size", type=int, default=100)
    args = p.parse_args(argv)
    print(json.dumps(run(args.orders, args.seconds, args.page_size)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
