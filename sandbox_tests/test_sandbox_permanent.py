"""What a retry does not cure: an endpoint failing for good, and a total_count that promises more than the pages
hold (issue #21)."""

from __future__ import annotations

import pytest

from tiktok_shop_sandbox.__main__ import build_parser, main

from .truth import by_id

ORDERS = "/order/202309/orders/search"
STATEMENTS = "/finance/202309/statements"
PAGE = {"page_size": 5, "sort_field": "update_time", "sort_order": "ASC"}


def statements(c, cipher):
    r = c.request("GET", STATEMENTS, {"page_size": 5, "sort_field": "statement_time"}, None, shop_cipher=cipher)
    return r.status_code, r.json()["code"]


def test_an_endpoint_can_fail_for_good_for_one_shop(clean_box):
    s, c = clean_box
    shop0, shop1 = s.shops
    s.fail_always("/finance/", shop_id=shop0["id"])
    assert {statements(c, shop0["cipher"]) for _ in range(20)} == {(500, 36009003)}
    assert statements(c, shop1["cipher"]) == (200, 0)  # the other shop
    assert c.call("POST", ORDERS, PAGE, {}, shop_cipher=shop0["cipher"])["code"] == 0  # another endpoint
    assert {e.get("fault") for e in s.requests if "/finance/" in e["path"] and e["shop_cipher"] == shop0["cipher"]} == {
        "server_error"
    }
    s.clear_faults()
    assert statements(c, shop0["cipher"]) == (200, 0)


def test_any_kind_can_be_made_permanent(clean_box):
    s, c = clean_box
    cipher = s.shops[0]["cipher"]
    s.inject("internal", count=None, path_contains="/finance/")
    assert {statements(c, cipher) for _ in range(5)} == {(200, 36009003)}
    s.inject("rate_limit")  # queued after the permanent one, it still comes to the paths that one leaves
    orders = [c.request("POST", ORDERS, PAGE, {}, shop_cipher=cipher).status_code for _ in range(2)]
    assert orders == [429, 200]
    assert statements(c, cipher) == (200, 36009003)


def test_total_count_can_overstate_what_the_pages_hold(clean_box):
    s, c = clean_box
    cipher, shop_id = s.shops[0]["cipher"], s.shops[0]["id"]
    truth = by_id(s.records("orders")[shop_id])
    s.overstate_total_count(7, path_contains="/orders/search", shop_id=shop_id)
    served, pages = c.page_all("POST", ORDERS, PAGE, {}, key="orders", shop_cipher=cipher)
    assert by_id(served) == truth  # the pages hold everything, and no more
    counts = {e["total_count_excess"] for e in s.requests[-pages:]}
    assert counts == {7}
    page = c.call("POST", ORDERS, PAGE, {}, shop_cipher=cipher)["data"]
    assert page["total_count"] == len(truth) + 7
    other = c.call("POST", ORDERS, PAGE, {}, shop_cipher=s.shops[1]["cipher"])["data"]
    assert other["total_count"] == len(s.records("orders")[s.shops[1]["id"]])
    s.clear_faults()
    assert c.call("POST", ORDERS, PAGE, {}, shop_cipher=cipher)["data"]["total_count"] == len(truth)
    with pytest.raises(ValueError):
        s.overstate_total_count(0)


def test_the_cli_takes_permanent_failures_and_overstated_counts(capsys):
    args = build_parser().parse_args(
        ["--fail-always", "/finance/", "--fail-always", "/returns=internal", "--overstate-total-count", "/orders=3"]
    )
    assert args.fail_always == ["/finance/", "/returns=internal"]
    assert args.overstate_total_count == ["/orders=3"]
    assert main(["--shops", "1", "--orders", "1", "--fail-always", "/x=meteor"]) == 2
    assert "meteor" in capsys.readouterr().err
    assert main(["--shops", "1", "--orders", "1", "--overstate-total-count", "/orders"]) == 2
    assert "PATH=EXTRA" in capsys.readouterr().err
