"""Injected faults, random fault rates, per-shop rate limits, latency."""

from __future__ import annotations

import json
import time

import pytest
import requests

from tiktok_shop_sandbox.faults import Faults, RateLimiter

SHOPS = "/authorization/202309/shops"
ORDERS = "/order/202309/orders/search"


def _classify(client, path=SHOPS, **kw):
    try:
        r = client.request("GET", path, timeout=5, **kw)
    except requests.RequestException:
        return "drop"
    if r.status_code == 503:
        assert "text/html" in r.headers["Content-Type"]
        with pytest.raises(ValueError):
            json.loads(r.text)
        return "unavailable"
    if r.status_code == 429:
        assert r.json()["code"] == 36009002
        return "rate_limit"
    body = r.json()
    if body["code"] == 36009003:
        assert r.status_code == 200
        return "internal"
    assert body["code"] == 0, body
    return "ok"


@pytest.fixture
def sbx(box):
    s, c = box
    yield s, c
    s.set_fault_rate(0.0)
    s.set_qps_per_shop(None)
    s.set_latency_ms(0)
    s.timeout_fault_s = 30
    s.clear_faults()  # leave no queued fault behind


def test_random_fault_rate(sbx):
    s, c = sbx
    s.set_fault_rate(0.25)
    n = 400
    kinds = [_classify(c) for _ in range(n)]
    faults = [k for k in kinds if k != "ok"]
    # expected 100, sd ~ 8.7: allow 4.5 sd
    assert 60 <= len(faults) <= 140, len(faults)
    for k in ("rate_limit", "unavailable", "internal", "drop"):
        assert 8 <= faults.count(k) <= 50, (k, faults.count(k))
    s.set_fault_rate(0.0)
    assert all(_classify(c) == "ok" for _ in range(30))


def test_fault_kinds_restriction(sbx):
    s, c = sbx
    s.set_fault_rate(0.5, kinds="internal")
    kinds = {_classify(c) for _ in range(60)}
    assert kinds == {"ok", "internal"}
    s.set_fault_rate(1.0, kinds=["rate_limit"])
    assert {_classify(c) for _ in range(10)} == {"rate_limit"}
    with pytest.raises(ValueError):
        s.set_fault_rate(0.1, kinds="meteor")


def test_faults_only_hit_api_calls_at_random(sbx):
    s, c = sbx
    s.set_fault_rate(1.0)
    for _ in range(5):
        assert c.token_get(s.new_auth_code())["code"] == 0


@pytest.mark.parametrize("kind", ["rate_limit", "unavailable", "internal", "drop"])
def test_inject_basic_kinds(sbx, kind):
    s, c = sbx
    s.inject(kind, count=2)
    assert [_classify(c), _classify(c), _classify(c)] == [kind, kind, "ok"]


def test_inject_path_contains(sbx):
    s, c = sbx
    cipher = s.shops[0]["cipher"]
    s.inject("internal", count=1, path_contains="/orders/search")
    assert _classify(c) == "ok"  # not matching
    r = c.call("POST", ORDERS, {"page_size": 5}, {}, shop_cipher=cipher)
    assert r["code"] == 36009003
    assert c.call("POST", ORDERS, {"page_size": 5}, {}, shop_cipher=cipher)["code"] == 0
    # token endpoints can be targeted explicitly
    s.inject("unavailable", path_contains="/api/v2/token/refresh")
    r = c.session.get(s.base_url + "/api/v2/token/refresh", params={"app_key": "x"}, timeout=5)
    assert r.status_code == 503


def test_inject_malformed_variants(sbx):
    s, c = sbx
    s.inject("malformed")
    r = c.request("GET", SHOPS)
    assert r.status_code == 200 and r.text.startswith("{")
    with pytest.raises(ValueError):
        json.loads(r.text)
    s.inject("malformed_html")
    r = c.request("GET", SHOPS)
    assert r.status_code == 200 and r.text.lstrip().startswith("<")
    s.inject("malformed_empty")
    r = c.request("GET", SHOPS)
    assert r.status_code == 200 and r.content == b""
    assert _classify(c) == "ok"


def test_inject_expired_token_once(sbx):
    s, c = sbx
    s.inject("expired_token")
    r = c.request("GET", SHOPS)
    assert r.status_code == 401 and r.json()["code"] == 105002
    assert _classify(c) == "ok"


def test_inject_timeout(sbx):
    s, c = sbx
    s.timeout_fault_s = 1.0
    s.inject("timeout")
    with pytest.raises(requests.exceptions.ReadTimeout):
        c.request("GET", SHOPS, timeout=0.3)
    s.inject("timeout")
    t = time.monotonic()
    assert c.request("GET", SHOPS, timeout=5).json()["code"] == 0  # answers normally after the sleep
    assert time.monotonic() - t >= 0.9


def test_fault_log_entries(sbx):
    s, c = sbx
    s.clear_requests()
    s.inject("internal")
    _classify(c)
    e = s.requests[-1]
    assert e["code"] == 36009003 and e["fault"] == "internal" and e["status"] == 200


def test_qps_per_shop(sbx):
    s, c = sbx
    s.set_qps_per_shop(10)
    c0, c1 = s.shops[0]["cipher"], s.shops[1]["cipher"]
    codes = [c.request("POST", ORDERS, {"page_size": 1}, {}, shop_cipher=c0).status_code for _ in range(25)]
    ok = codes.count(200)
    assert 10 <= ok <= 12, codes
    assert codes.count(429) == 25 - ok
    # another shop has its own bucket
    assert c.request("POST", ORDERS, {"page_size": 1}, {}, shop_cipher=c1).status_code == 200
    r = c.request("POST", ORDERS, {"page_size": 1}, {}, shop_cipher=c0)
    if r.status_code == 429:
        assert r.json()["code"] == 36009002
    # steady state: about qps per second
    time.sleep(1.0)
    t0 = time.monotonic()
    ok = 0
    while time.monotonic() - t0 < 1.0:
        ok += c.request("POST", ORDERS, {"page_size": 1}, {}, shop_cipher=c0).status_code == 200
    assert 15 <= ok <= 23, ok  # 10 (full bucket) + ~10 refilled
    s.set_qps_per_shop(None)
    assert all(c.request("POST", ORDERS, {"page_size": 1}, {}, shop_cipher=c0).status_code == 200 for _ in range(20))


def test_latency(sbx):
    s, c = sbx
    s.set_latency_ms(150)
    t = time.monotonic()
    assert _classify(c) == "ok"
    assert time.monotonic() - t >= 0.14
    s.set_latency_ms(0)
    t = time.monotonic()
    _classify(c)
    assert time.monotonic() - t < 0.1


def test_rate_limiter_unit():
    rl = RateLimiter(0.5)  # capacity max(1, q) = 1
    assert rl.allow("a") and not rl.allow("a") and rl.allow("b")
    f = Faults(0.0)
    f.inject("drop", 2, path_contains="/x")
    assert f.draw("/y", True) is None and f.draw("/x/1", True) == "drop" and f.draw("/x", False) == "drop"
    assert f.draw("/x", True) is None


def test_qps_per_endpoint_counts_each_api_of_a_shop_apart(sbx):
    s, c = sbx
    s.set_qps_per_endpoint(5)
    try:
        c0 = s.shops[0]["cipher"]
        orders = [c.request("POST", ORDERS, {"page_size": 1}, {}, shop_cipher=c0).status_code for _ in range(10)]
        assert 5 <= orders.count(200) <= 6 and orders.count(429) >= 4, orders
        # Another API of the same shop has a bucket of its own.
        assert c.request("GET", "/logistics/202309/warehouses", {}, None, shop_cipher=c0).status_code == 200
    finally:
        s.set_qps_per_endpoint(None)


def test_a_platform_wide_throttle_refuses_every_call_for_its_duration_then_lifts(sbx):
    s, c = sbx
    c0, c1 = s.shops[0]["cipher"], s.shops[1]["cipher"]
    s.throttle_all(after_s=0.3, for_s=0.6)
    assert c.request("POST", ORDERS, {"page_size": 1}, {}, shop_cipher=c0).status_code == 200  # starts the clock
    time.sleep(0.35)
    refused = [
        c.request("POST", ORDERS, {"page_size": 1}, {}, shop_cipher=c1),
        c.request("GET", "/logistics/202309/warehouses", {}, None, shop_cipher=c0),
    ]
    assert [(r.status_code, r.json()["code"]) for r in refused] == [(429, 36009002)] * 2
    time.sleep(0.7)
    assert c.request("POST", ORDERS, {"page_size": 1}, {}, shop_cipher=c1).status_code == 200


def test_the_cli_takes_the_quota_and_throttle_flags():
    from tiktok_shop_sandbox.__main__ import build_parser

    args = build_parser().parse_args(
        ["--qps-per-endpoint", "5", "--throttle-all-after", "2", "--throttle-all-for", "5"]
    )
    assert (args.qps_per_endpoint, args.throttle_all_after, args.throttle_all_for) == (5.0, 2.0, 5.0)
