"""The seeded world: determinism, shapes, cross-links, touch."""

from __future__ import annotations

import json
import re
import time

import pytest

from tiktok_shop_sandbox import RESOURCES, Sandbox
from tiktok_shop_sandbox.data import World

ID_RE = re.compile(r"^[1-9]\d{17,18}$")
SEA = {"ID", "MY", "PH", "SG", "TH", "VN"}
MONEY_RE = re.compile(r"^-?\d+(\.\d+)?$")


def _dump(world: World) -> dict:
    return {r: json.dumps(world.records(r), sort_keys=False) for r in RESOURCES}


def test_same_seed_byte_identical_other_seed_different():
    a = _dump(World(seed=7, shops=3, orders=300))
    b = _dump(World(seed=7, shops=3, orders=300))
    c = _dump(World(seed=8, shops=3, orders=300))
    assert a == b
    for r in RESOURCES:
        if r != "categories":  # the category tree is shared and fixed
            assert a[r] != c[r], r


def test_dates_bound_the_data():
    w = World(seed=1, shops=1, orders=300, start="2025-03-01", end="2025-03-31")
    lo, hi = w.start_ts, w.now_ts
    for o in w.records("orders")[w.shops[0].id]:
        assert lo <= o["create_time"] <= o["update_time"] < hi
    for s in w.records("statements")[w.shops[0].id]:
        assert lo < s["statement_time"] < hi and s["statement_time"] % 86400 == 0


@pytest.fixture(scope="module")
def world():
    return World(seed=1, shops=3, orders=800)


def test_shops(world):
    shops = world.records("shops")
    regions = [v[0]["region"] for v in shops.values()]
    assert regions == ["US", "GB", "ID"]
    assert {v[0]["seller_type"] for v in shops.values()} == {"LOCAL", "CROSS_BORDER"}
    ciphers = [v[0]["cipher"] for v in shops.values()]
    assert len(set(ciphers)) == 3
    for sid, (s,) in shops.items():
        assert ID_RE.match(s["id"]) and s["id"] == sid


def test_ids_money_times(world):
    currencies = {s.id: s.currency for s in world.shops}
    for sid, orders in world.records("orders").items():
        for o in orders:
            assert ID_RE.match(o["id"]) and isinstance(o["create_time"], int)
            p = o["payment"]
            assert p["currency"] == currencies[sid]
            for k in ("sub_total", "total_amount", "shipping_fee", "tax"):
                assert MONEY_RE.match(p[k])
            for li in o["line_items"]:
                assert ID_RE.match(li["id"]) and ID_RE.match(li["sku_id"]) and ID_RE.match(li["product_id"])
    idr = world.records("orders")[world.shops[2].id][0]["payment"]["total_amount"]
    assert "." not in idr  # IDR has no minor unit
    all_ids = [o["id"] for v in world.records("orders").values() for o in v]
    assert len(all_ids) == len(set(all_ids))  # unique across shops


def test_realistic_spread(world):
    orders = [o for v in world.records("orders").values() for o in v]
    statuses = {o["status"] for o in orders}
    assert {"COMPLETED", "CANCELLED", "AWAITING_SHIPMENT", "IN_TRANSIT", "DELIVERED"} <= statuses
    assert statuses & {"UNPAID", "ON_HOLD"}
    assert sum(len({li["sku_id"] for li in o["line_items"]}) > 1 for o in orders) > len(orders) * 0.1
    assert sum(o["update_time"] - o["create_time"] > 7 * 86400 for o in orders) > len(orders) * 0.3
    n = len(orders)
    returns = sum(len(v) for v in world.records("returns").values())
    cancels = sum(len(v) for v in world.records("cancellations").values())
    assert 0.02 * n <= returns <= 0.08 * n
    assert 0.05 * n <= cancels <= 0.12 * n
    for s in world.shops:
        assert 2 <= len(s.warehouses) <= 3 and len(s.brands) == 10
        assert len(s.activities) == 20 and len(s.coupons) == 20 and len(s.products) == 160
    assert 25 <= len(world.categories) <= 40


def test_cross_links(world):
    for shop in world.shops:
        sid = shop.id
        orders = {o["id"]: o for o in world.records("orders")[sid]}
        products = {p["id"]: p for p in world.records("products")[sid]}
        line_items = {li["id"]: (o, li) for o in orders.values() for li in o["line_items"]}
        for o in orders.values():
            for li in o["line_items"]:
                p = products[li["product_id"]]
                assert li["sku_id"] in {s["id"] for s in p["skus"]}
                assert p["create_time"] <= o["create_time"]
        packages = world.records("packages")[sid]
        for pk in packages:
            (po,) = pk["orders"]
            o = orders[po["id"]]
            assert pk["id"] in {x["id"] for x in o["packages"]}
            for lid in pk["order_line_item_ids"]:
                assert line_items[lid][0] is o and line_items[lid][1]["package_id"] == pk["id"]
            assert sum(s["quantity"] for s in po["skus"]) == len(pk["order_line_item_ids"])
        shipped = {"AWAITING_COLLECTION", "IN_TRANSIT", "DELIVERED", "COMPLETED"}
        assert all(o["packages"] for o in orders.values() if o["status"] in shipped)
        for r in world.records("returns")[sid]:
            o = orders[r["order_id"]]
            assert o["status"] in ("DELIVERED", "COMPLETED") and r["create_time"] >= o["delivery_time"]
            for item in r["return_line_items"]:
                assert line_items[item["order_line_item_id"]][0] is o
        for c in world.records("cancellations")[sid]:
            o = orders[c["order_id"]]
            if c["cancel_status"] in ("CANCELLATION_REQUEST_SUCCESS", "CANCELLATION_REQUEST_COMPLETE"):
                assert o["status"] == "CANCELLED"
            for item in c["cancel_line_items"]:
                assert line_items[item["order_line_item_id"]][0] is o
        statements = {s["id"]: s for s in world.records("statements")[sid]}
        payments = {p["id"]: p for p in world.records("payments")[sid]}
        if shop.region in SEA:  # TikTok has no payments API there
            assert not payments
        else:
            assert len(statements) == len(payments)
            for s in statements.values():
                p = payments[s["payment_id"]]
                assert p["status"] == s["payment_status"]
                assert p["settlement_amount"] == {"value": s["settlement_amount"], "currency": s["currency"]}
        txns = world.records("statement_transactions")[sid]
        dec = shop.dec
        sums = {}
        for t in txns:
            assert t["statement_id"] in statements
            if t["type"] == "ORDER":
                o = orders[t["order_id"]]
                assert o["status"] == "COMPLETED" and t["order_create_time"] == o["create_time"]
            elif t["type"] == "RESERVE":  # held back from a payout, or released to one
                assert t["associated_order_id"] in orders and t["settlement_amount"] in ("0.00", "0")
            else:
                assert t["adjustment_order_id"] in orders
            sums[t["statement_id"]] = sums.get(t["statement_id"], 0) + round(float(t["settlement_amount"]) * 10**dec)
        for st_id, s in statements.items():
            assert sums[st_id] == round(float(s["settlement_amount"]) * 10**dec)
        settled = {t["order_id"] for t in txns if t["type"] == "ORDER"}
        days = {s["statement_time"] for s in statements.values()}
        assert len(days) == len(statements)  # one statement per day
        assert settled <= {o["id"] for o in orders.values() if o["status"] == "COMPLETED"}
        brands = {b["id"] for b in world.records("brands")[sid]}
        cats = {c["id"]: c for c in world.categories}
        for p in world.records("product_details")[sid]:
            assert "brand" not in p or p["brand"]["id"] in brands
            assert p["category_chains"][-1]["is_leaf"] and p["category_chains"][0]["parent_id"] == "0"
            assert all(c["id"] in cats for c in p["category_chains"])


def test_records_are_deep_copies(world):
    a = world.records("orders")
    sid = world.shops[0].id
    a[sid][0]["line_items"][0]["sku_id"] = "mutated"
    a[sid][0]["status"] = "mutated"
    b = world.records("orders")
    assert b[sid][0]["status"] != "mutated" and b[sid][0]["line_items"][0]["sku_id"] != "mutated"
    world.records("warehouses")[sid][0]["address"]["city"] = "x"
    assert world.records("warehouses")[sid][0]["address"]["city"] != "x"


@pytest.mark.parametrize(
    "resource,key",
    [
        ("orders", "id"),
        ("products", "id"),
        ("product_details", "id"),
        ("returns", "return_id"),
        ("cancellations", "cancel_id"),
        ("packages", "id"),
        ("promotion_activities", "id"),
        ("coupons", "id"),
    ],
)
def test_touch_update_time(resource, key):
    w = World(seed=3, shops=2, orders=200)
    before = {r[key]: r["update_time"] for v in w.records(resource).values() for r in v}
    sid = w.shops[1].id
    ids = w.touch(resource, 5, shop_id=sid)
    assert len(ids) == len(set(ids)) == 5
    after_shop = {r[key]: r["update_time"] for r in w.records(resource)[sid]}
    now = int(time.time())
    for i in ids:
        assert after_shop[i] > before[i] and after_shop[i] >= now - 2
    after = {r[key]: r["update_time"] for v in w.records(resource).values() for r in v}
    assert {k for k in after if after[k] != before[k]} == set(ids)
    # touching again within the same second still moves forward
    again = w.touch(resource, 50, shop_id=sid)
    after2 = {r[key]: r["update_time"] for r in w.records(resource)[sid]}
    for i in set(ids) & set(again):
        assert after2[i] > after_shop[i]


def test_touch_products_consistent_with_details():
    w = World(seed=3, shops=1, orders=200)
    sid = w.shops[0].id
    ids = w.touch("products", 20, shop_id=sid)
    summary = {p["id"]: p["update_time"] for p in w.records("products")[sid]}
    detail = {p["id"]: p["update_time"] for p in w.records("product_details")[sid]}
    for i in ids:
        if i in detail:
            assert detail[i] == summary[i]


@pytest.mark.parametrize("resource", ["statements", "payments"])
def test_touch_payment_status(resource):
    w = World(seed=3, shops=1, orders=300)
    sid = w.shops[0].id
    before = {s["id"]: s["payment_status"] for s in w.records("statements")[sid]}
    ids = w.touch(resource, 3)
    statements = w.records("statements")[sid]
    payments = {p["id"]: p for p in w.records("payments")[sid]}
    changed = {s["id"] for s in statements if s["payment_status"] != before[s["id"]]}
    assert len(changed) == 3
    if resource == "statements":
        assert changed == set(ids)
    else:
        assert {s["payment_id"] for s in statements if s["id"] in changed} == set(ids)
    for s in statements:
        assert payments[s["payment_id"]]["status"] == s["payment_status"]
        assert ("payment_time" in s) == (s["payment_status"] == "PAID")


def test_touch_refuses_static_resources():
    w = World(seed=3, shops=1, orders=20)
    with pytest.raises(ValueError):
        w.touch("warehouses", 1)
    with pytest.raises(ValueError):
        w.records("nope")


def test_sandbox_touch_is_served(fresh):
    s, c = fresh(shops=1, orders=50)
    shop = s.shops[0]
    ids = s.touch("orders", 3)
    t = max(o["update_time"] for o in s.records("orders")[shop["id"]] if o["id"] in ids)
    r = c.call(
        "POST", "/order/202309/orders/search", {"page_size": 50}, {"update_time_ge": t - 5}, shop_cipher=shop["cipher"]
    )
    assert set(ids) <= {o["id"] for o in r["data"]["orders"]}


def test_large_generation_is_fast():
    t = time.monotonic()
    w = World(seed=1, shops=1, orders=20_000)
    assert time.monotonic() - t < 5
    assert len(w.shops[0].orders) == 20_000


def test_sandbox_shops_property():
    sb = Sandbox(shops=4, orders=5)
    assert [s["region"] for s in sb.shops] == ["US", "GB", "ID", "MY"]
    assert sb.records("shops") == {s["id"]: [s] for s in sb.shops}


def test_no_shops(fresh):
    s, c = fresh(shops=0, orders=10)
    assert s.shops == [] and s.records("orders") == {}
    assert c.call("GET", "/authorization/202309/shops")["data"] == {"shops": []}


def _get_product(client, shop, product_id):
    return client.call("GET", f"/product/202309/products/{product_id}", shop_cipher=shop["cipher"])


def test_a_deleted_product_is_gone_from_get_product(fresh):
    s, c = fresh(shops=1, orders=50)
    shop = s.shops[0]
    product = next(p for p in s.records("products")[shop["id"]] if p["status"] == "ACTIVATE")
    assert _get_product(c, shop, product["id"])["code"] == 0
    s.delete_product(product["id"])
    assert _get_product(c, shop, product["id"])["code"] == 12052048
    (after,) = [p for p in s.records("products")[shop["id"]] if p["id"] == product["id"]]
    assert after["status"] == "DELETED" and after["update_time"] > product["update_time"]
    assert product["id"] not in {p["id"] for p in s.records("product_details")[shop["id"]]}
    with pytest.raises(ValueError):
        s.delete_product("1")


def test_a_product_deleted_once_listed_is_listed_then_gone(fresh):
    """What a client meets when a product is deleted between the search that lists it and Get Product."""
    s, c = fresh(shops=1, orders=50)
    shop = s.shops[0]
    product = next(p for p in s.records("products")[shop["id"]] if p["status"] == "ACTIVATE")
    s.delete_product(product["id"], once_listed=True)
    assert _get_product(c, shop, product["id"])["code"] == 0  # not listed yet
    listed, _pages = c.page_all(
        "POST", "/product/202502/products/search", {"page_size": 100}, {}, key="products", shop_cipher=shop["cipher"]
    )
    (seen,) = [p for p in listed if p["id"] == product["id"]]
    assert seen["status"] == "ACTIVATE"
    gone = _get_product(c, shop, product["id"])
    assert gone["code"] == 12052048 and product["id"] in gone["message"]


def test_brand_status_is_told_of_a_category(client, sb):
    cipher = sb.shops[0]["cipher"]
    query = {"page_size": 100}
    plain = client.call("GET", "/product/202309/brands", query, shop_cipher=cipher)["data"]["brands"]
    in_category = client.call("GET", "/product/202309/brands", {**query, "category_id": "601102"}, shop_cipher=cipher)[
        "data"
    ]["brands"]
    assert plain and not any("brand_status" in b for b in plain)
    for brand in in_category:
        assert ("brand_status" in brand) == (brand["authorized_status"] == "AUTHORIZED")
