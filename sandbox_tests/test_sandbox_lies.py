"""A server that lies: answers that look right at the HTTP level and are not (issue #21).  Each over HTTP, seeded,
logged with its kind, per request (a retry gets the truth) and leaving the ground truth alone."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests

from .truth import by_id

ORDERS = "/order/202309/orders/search"
SHOPS = "/authorization/202309/shops"
ORDER_PAGE = {"page_size": 5, "sort_field": "update_time", "sort_order": "ASC"}


@pytest.fixture
def sbx(box):
    s, c = box
    s.clear_requests()
    yield s, c
    s.clear_faults()
    s.set_fault_rate(0.0)


def orders_page(c, cipher, token=None):
    params = dict(ORDER_PAGE)
    if token:
        params["page_token"] = token
    return c.request("POST", ORDERS, params, {}, shop_cipher=cipher)


def test_truncated_is_a_200_whose_json_stops_short_and_the_retry_is_whole(sbx):
    s, c = sbx
    cipher = s.shops[0]["cipher"]
    whole = orders_page(c, cipher)
    s.inject("truncated")
    cut = orders_page(c, cipher)
    assert cut.status_code == 200 and "application/json" in cut.headers["Content-Type"]
    assert int(cut.headers["Content-Length"]) == len(cut.content)  # the HTTP layer sees a complete answer
    assert 0 < len(cut.content) < len(whole.content)
    assert whole.content.startswith(cut.content.split(b'"request_id"')[0])
    with pytest.raises(ValueError):
        json.loads(cut.content)
    entry = s.requests[-1]
    assert entry["fault"] == "truncated" and entry["fault_detail"]["sent"] == len(cut.content)
    assert orders_page(c, cipher).json()["data"] == whole.json()["data"]  # not sticky


def test_truncated_cuts_where_its_seed_says(sbx):
    s, c = sbx
    cipher = s.shops[0]["cipher"]
    lengths = []
    for _ in range(2):
        s.inject("truncated")
        lengths.append(len(orders_page(c, cipher).content))
    assert lengths[0] == lengths[1]  # the same request, the same cut
    s.inject("truncated")
    params = {"page_size": 7, "sort_field": "update_time", "sort_order": "ASC"}
    other = c.request("POST", ORDERS, params, {}, shop_cipher=cipher)
    assert json.loads(orders_page(c, cipher).content)["code"] == 0
    assert len(other.content) != lengths[0]


def test_html_200_is_an_html_page_sent_as_json(sbx):
    s, c = sbx
    s.inject("html_200")
    r = c.request("GET", SHOPS)
    assert r.status_code == 200 and "application/json" in r.headers["Content-Type"]
    assert r.text.lstrip().lower().startswith("<!doctype html")
    with pytest.raises(ValueError):
        r.json()
    assert s.requests[-1]["fault"] == "html_200"
    assert c.request("GET", SHOPS).json()["code"] == 0


@pytest.mark.parametrize("kind", ["truncated", "html_200"])
def test_random_lies_are_drawn_like_other_faults_and_leave_the_truth_alone(sbx, kind):
    s, c = sbx
    cipher = s.shops[0]["cipher"]
    truth = by_id(s.records("orders")[s.shops[0]["id"]])
    s.set_fault_rate(0.5, kinds=[kind])
    answers = [orders_page(c, cipher) for _ in range(40)]
    lied = [e for e in s.requests if e.get("fault") == kind]
    assert 8 <= len(lied) <= 32, len(lied)
    good = [r for r in answers if r.content.startswith(b"{") and r.content.endswith(b"}")]
    assert len(good) == 40 - len(lied)
    assert all(r.json()["code"] == 0 for r in good)
    s.set_fault_rate(0.0)
    assert by_id(s.records("orders")[s.shops[0]["id"]]) == truth


def test_slow_body_trickles_in_over_longer_than_a_read_timeout_yet_never_trips_it(sbx):
    s, c = sbx
    cipher = s.shops[0]["cipher"]
    whole = orders_page(c, cipher).json()["data"]
    s.slow_body_s = 1.0
    try:
        s.inject("slow_body")
        t0 = time.monotonic()
        r = c.request("POST", ORDERS, ORDER_PAGE, {}, shop_cipher=cipher, timeout=0.5, stream=True)
        first = r.raw.read(1)
        first_after = time.monotonic() - t0
        rest = r.raw.read()  # no read waits 0.5 s for bytes, though all of them take twice that
        took = time.monotonic() - t0
    finally:
        s.slow_body_s = 90
    assert r.status_code == 200 and first_after < 0.3
    assert 0.95 <= took < 3, took
    assert json.loads(first + rest)["data"] == whole  # all there, in the end
    assert s.requests[-1]["fault"] == "slow_body"
    t0 = time.monotonic()
    assert orders_page(c, cipher).json()["data"] == whole
    assert time.monotonic() - t0 < 0.5


def test_a_stopping_sandbox_cuts_a_slow_body_short(fresh):
    s, c = fresh(orders=5, shops=1, slow_body_s=30)
    s.inject("slow_body")
    got: dict = {}

    def read():
        try:
            r = c.request("GET", SHOPS, timeout=5, stream=True)
            got["body"] = b"".join(r.iter_content(chunk_size=None))
        except requests.RequestException as exc:
            got["error"] = exc

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(0.3)
    t0 = time.monotonic()
    s.stop()
    reader.join(timeout=5)
    assert not reader.is_alive() and time.monotonic() - t0 < 2
    assert "error" in got or len(got["body"]) < 200


def test_slow_body_s_is_an_option_of_the_sandbox_and_its_command_line():
    from tiktok_shop_sandbox import Sandbox
    from tiktok_shop_sandbox.__main__ import build_parser

    assert build_parser().parse_args(["--slow-body-s", "2.5"]).slow_body_s == 2.5
    assert build_parser().parse_args([]).slow_body_s == 90.0
    with pytest.raises(ValueError):
        Sandbox(orders=1, shops=1, slow_body_s=0)
