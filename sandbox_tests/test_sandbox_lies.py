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


def orders_page(c, cipher, token=None, **over):
    params = dict(ORDER_PAGE, **over)
    if token:
        params["page_token"] = token
    return c.request("POST", ORDERS, params, {}, shop_cipher=cipher)


def test_truncated_is_a_200_whose_json_stops_short_and_the_retry_is_whole(clean_box):
    s, c = clean_box
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


def test_truncated_cuts_where_its_seed_says(clean_box):
    s, c = clean_box
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


def test_html_200_is_an_html_page_sent_as_json(clean_box):
    s, c = clean_box
    s.inject("html_200")
    r = c.request("GET", SHOPS)
    assert r.status_code == 200 and "application/json" in r.headers["Content-Type"]
    assert r.text.lstrip().lower().startswith("<!doctype html")
    with pytest.raises(ValueError):
        r.json()
    assert s.requests[-1]["fault"] == "html_200"
    assert c.request("GET", SHOPS).json()["code"] == 0


@pytest.mark.parametrize("kind", ["truncated", "html_200"])
def test_random_lies_are_drawn_like_other_faults_and_leave_the_truth_alone(clean_box, kind):
    s, c = clean_box
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


def test_slow_body_trickles_in_over_longer_than_a_read_timeout_yet_never_trips_it(clean_box):
    s, c = clean_box
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


def page_data(c, cipher, token=None, **over):
    r = orders_page(c, cipher, token, **over)
    assert r.status_code == 200
    body = r.json()
    assert body["code"] == 0, body
    return body["data"]


def test_token_loop_leads_back_to_the_first_page_once(clean_box):
    s, c = clean_box
    cipher = s.shops[0]["cipher"]
    first = page_data(c, cipher)
    second = page_data(c, cipher, first["next_page_token"])
    s.inject("token_loop")
    looped = page_data(c, cipher, first["next_page_token"])
    assert looped["orders"] == second["orders"]  # the page itself is right
    assert looped["next_page_token"] not in ("", second["next_page_token"])
    assert s.requests[-1]["fault"] == "token_loop"
    back = page_data(c, cipher, looped["next_page_token"])
    assert back == first  # an earlier page, its real token onwards included
    assert page_data(c, cipher, first["next_page_token"]) == second  # the retry is told the truth
    s.inject("token_loop")
    assert page_data(c, cipher)["next_page_token"] != first["next_page_token"]
    assert page_data(c, cipher, page_data(c, cipher)["next_page_token"]) == second  # the first page: onto itself


def test_a_page_lie_waits_for_a_page_it_can_tell(clean_box):
    s, c = clean_box
    cipher = s.shops[0]["cipher"]
    s.inject("token_loop")
    s.inject("wrong_type")
    assert c.request("GET", SHOPS).json()["code"] == 0  # not a list page
    everything = page_data(c, cipher, page_size=50)  # the last page: no token to lie with
    assert everything["next_page_token"] == ""
    assert [e.get("fault") for e in s.requests] == [None, None]  # one fault a call, in the order injected
    first = page_data(c, cipher)  # the loop, at last: a first page leading onto itself
    again = page_data(c, cipher, first["next_page_token"])  # wrong_type's turn
    assert [r["id"] for r in again["orders"]] == [r["id"] for r in first["orders"]]
    assert [e.get("fault") for e in s.requests[2:]] == ["token_loop", "wrong_type"]


def lied_record(s, c, kind) -> tuple[dict, dict, dict]:
    """A page of orders told with the fault ``kind``: the record it altered, as it is and as it was, and the fault's
    detail; the rest of the page and a retry are the truth."""
    cipher = s.shops[0]["cipher"]
    clean = page_data(c, cipher)
    s.inject(kind)
    lied = page_data(c, cipher)
    entry = s.requests[-1]
    assert entry["fault"] == kind
    i = entry["fault_detail"]["record"]
    assert [n for n, (a, b) in enumerate(zip(clean["orders"], lied["orders"], strict=True)) if a != b] == [i]
    assert page_data(c, cipher) == clean
    return lied["orders"][i], clean["orders"][i], entry["fault_detail"]


def test_missing_cursor_leaves_the_cursor_fields_out_of_one_record(clean_box):
    record, was, detail = lied_record(*clean_box, "missing_cursor")
    assert record["id"] == detail["id"] and set(detail["removed"]) == {"update_time", "create_time"}
    assert {k: v for k, v in was.items() if k not in detail["removed"]} == record


def test_wrong_type_sends_a_string_field_as_a_number(clean_box):
    record, was, detail = lied_record(*clean_box, "wrong_type")
    before, now = was[detail["field"]], record[detail["field"]]
    assert isinstance(before, str) and isinstance(now, int | float) and not isinstance(now, bool)
    assert str(now) == before or float(before) == now
    assert detail["was"] == before and detail["id"] == was["id"]


@pytest.mark.parametrize("kind", ["missing_cursor", "wrong_type"])
def test_page_lies_are_seeded_by_the_request(clean_box, kind):
    s, c = clean_box
    cipher = s.shops[0]["cipher"]
    details = []
    for token in ("", "", page_data(c, cipher)["next_page_token"]):
        s.inject(kind)
        page_data(c, cipher, token)
        details.append(s.requests[-1]["fault_detail"])
    assert details[0] == details[1]
    assert details[2]["id"] != details[0]["id"]


def test_page_lies_at_random_leave_the_ground_truth_alone(clean_box):
    s, c = clean_box
    cipher, shop_id = s.shops[0]["cipher"], s.shops[0]["id"]
    truth = s.records("orders")[shop_id]
    s.set_fault_rate(0.6, kinds=["token_loop", "missing_cursor", "wrong_type"])
    for _ in range(30):
        page_data(c, cipher)
    kinds = {e.get("fault") for e in s.requests}
    assert kinds == {None, "token_loop", "missing_cursor", "wrong_type"}
    s.set_fault_rate(0.0)
    assert s.records("orders")[shop_id] == truth
    served, _pages = c.page_all("POST", ORDERS, ORDER_PAGE, {}, key="orders", shop_cipher=cipher)
    assert by_id(served) == by_id(truth)
