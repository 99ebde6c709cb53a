"""Result-window caps: Search Products (12052180) and Search Activities (17029059)."""

from __future__ import annotations

import pytest

from tiktok_shop_sandbox import Sandbox

from .tts_client import Client

PRODUCTS = "/product/202502/products/search"


@pytest.fixture(scope="module")
def big():
    with Sandbox(shops=1, orders=20, counts={"products": 10_050, "promotion_activities": 10_001}) as s:
        yield s, Client.for_sandbox(s)


def test_products_cap(big):
    s, c = big
    cipher = s.shops[0]["cipher"]
    tok, seen = "", 0
    for _ in range(100):  # 100 pages x 100 = the first 10,000 results are reachable
        p = {"page_size": 100}
        if tok:
            p["page_token"] = tok
        r = c.call("POST", PRODUCTS, p, {}, shop_cipher=cipher)
        assert r["code"] == 0, r
        assert r["data"]["total_count"] == 10_050
        seen += len(r["data"]["products"])
        tok = r["data"]["next_page_token"]
    assert seen == 10_000 and tok
    r = c.call("POST", PRODUCTS, {"page_size": 100, "page_token": tok}, {}, shop_cipher=cipher)
    assert r["code"] == 12052180 and "10000" in r["message"]
    # a smaller page that still stays within the window works, one that crosses it does not
    r = c.call("POST", PRODUCTS, {"page_size": 1, "page_token": tok}, {}, shop_cipher=cipher)
    assert r["code"] == 12052180


def test_products_cap_avoided_by_time_windows(big):
    s, c = big
    cipher = s.shops[0]["cipher"]
    truth = s.records("products")[s.shops[0]["id"]]
    times = sorted(p["update_time"] for p in truth)
    mid = times[len(times) // 2]
    got = []
    for body in ({"update_time_le": mid - 1}, {"update_time_ge": mid}):
        tok = ""
        while True:
            p = {"page_size": 100}
            if tok:
                p["page_token"] = tok
            r = c.call("POST", PRODUCTS, p, body, shop_cipher=cipher)
            assert r["code"] == 0, r
            got += [x["id"] for x in r["data"]["products"]]
            tok = r["data"]["next_page_token"]
            if not tok:
                break
    assert len(got) == len(set(got)) == 10_050


def test_activities_cap(big):
    s, c = big
    cipher = s.shops[0]["cipher"]
    path = "/promotion/202309/activities/search"
    tok, seen = "", 0
    for _ in range(99):
        r = c.call("POST", path, None, {"page_size": 100, "page_token": tok}, shop_cipher=cipher)
        assert r["code"] == 0, r
        seen += len(r["data"]["activities"])
        tok = r["data"]["next_page_token"]
    assert seen == 9_900
    # offset 9,900 + page_size 100 = 10,000: refused
    r = c.call("POST", path, None, {"page_size": 100, "page_token": tok}, shop_cipher=cipher)
    assert r["code"] == 17029059
    r = c.call("POST", path, None, {"page_size": 99, "page_token": tok}, shop_cipher=cipher)
    assert r["code"] == 0 and len(r["data"]["activities"]) == 99
