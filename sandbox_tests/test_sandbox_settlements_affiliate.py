"""Settlement by order, unsettled transactions, affiliate searches and the deleted-products setting: what each
endpoint takes and refuses, how it pages, and that its data agrees with the orders and statements."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

ERR = 36009004
UNSETTLED = "/finance/202507/orders/unsettled"
AFFILIATE_ORDERS = "/affiliate_seller/202410/orders/search"
OPEN = "/affiliate_seller/202412/open_collaborations/search"
TARGET = "/affiliate_seller/202508/target_collaborations/search"
SAMPLES = "/affiliate_seller/202508/sample_applications/search"
PRODUCTS = "/product/202502/products/search"


def by_order(path: str) -> str:
    return f"/finance/202501/orders/{path}/statement_transactions"


def call(client, sb, method, path, params=None, body=None, shop=0):
    return client.call(method, path, params, body, shop_cipher=sb.shops[shop]["cipher"])


@pytest.mark.parametrize(
    "method, path, params, body, accepted, refused",
    [
        # TikTok's rules require page_size of the affiliate orders and open collaborations, not of the others
        ("POST", TARGET, {}, {"collaboration_status": "VALID"}, [None, 20, 50, 100], [0, 10, 30, 99, 200]),
        ("POST", SAMPLES, {}, {}, [None, 1, 50], [0, 51]),
        ("POST", OPEN, {}, {}, [1, 100], [None, 0, 101]),
        ("POST", AFFILIATE_ORDERS, {}, {}, [1, 100], [None, 0, 101]),
        ("GET", UNSETTLED, {"sort_field": "order_create_time"}, None, [None, 1, 100], [0, 101]),
    ],
    ids=["target collaborations", "sample applications", "open collaborations", "affiliate orders", "unsettled"],
)
def test_page_sizes(client, sb, method, path, params, body, accepted, refused):
    for size in accepted + refused:
        sized = {**params, **({} if size is None else {"page_size": size})}
        r = call(client, sb, method, path, sized, body)
        assert (r["code"] == 0) is (size in accepted), (size, r["message"])
        if size in refused:
            assert r["code"] == ERR and "page_size" in r["message"]


def test_unsettled_needs_its_sort_field_and_filters_on_order_creation(client, sb):
    r = call(client, sb, "GET", UNSETTLED, {"page_size": 10})
    assert r["code"] == ERR and "sort_field" in r["message"]
    r = call(client, sb, "GET", UNSETTLED, {"sort_field": "create_time"})
    assert r["code"] == ERR
    truth = sb.records("unsettled_transactions")[sb.shops[0]["id"]]
    times = sorted(row["order_create_time"] for row in truth)
    middle = times[len(times) // 2]
    for order in ("ASC", "DESC"):
        recs, _ = client.page_all(
            "GET",
            UNSETTLED,
            {"sort_field": "order_create_time", "sort_order": order, "page_size": 3, "search_time_ge": middle},
            key="transactions",
            shop_cipher=sb.shops[0]["cipher"],
        )
        keys = [(row["order_create_time"], int(row["id"])) for row in recs]
        assert keys == sorted(keys, reverse=order == "DESC")
        assert sorted(row["id"] for row in recs) == sorted(
            row["id"] for row in truth if row["order_create_time"] >= middle
        )
    r = call(client, sb, "GET", UNSETTLED, {"sort_field": "order_create_time", "search_time_lt": middle})
    assert r["data"]["total_count"] == sum(1 for row in truth if row["order_create_time"] < middle)


def test_unsettled_transactions_are_the_delivered_orders_no_statement_holds(sb):
    for shop in sb.shops:
        orders = sb.records("orders")[shop["id"]]
        settled = {t["order_id"] for t in sb.records("statement_transactions")[shop["id"]]}
        delivered = {o["id"] for o in orders if o.get("delivery_time") and o["create_time"] >= 1735689600}
        unsettled = sb.records("unsettled_transactions")[shop["id"]]
        assert {row["order_id"] for row in unsettled} == delivered - settled
        assert len(unsettled) == len({row["id"] for row in unsettled})


def test_transactions_by_order(client, sb):
    shop = sb.shops[0]
    transactions = [t for t in sb.records("statement_transactions")[shop["id"]] if t["order_id"]]
    for transaction in transactions[:20]:
        r = call(client, sb, "GET", by_order(transaction["order_id"]))
        data = r["data"]
        skus = data["sku_transactions"]
        assert data["total_count"] == len(skus) > 0
        assert {sku["statement_id"] for sku in skus} == {transaction["statement_id"]}
        for name in ("revenue_amount", "shipping_cost_amount", "settlement_amount"):
            assert sum(Decimal(sku[name]) for sku in skus) == Decimal(transaction[name]) == Decimal(data[name])
        assert sum(Decimal(sku["fee_tax_amount"]) for sku in skus) == Decimal(data["fee_and_tax_amount"])
    settled = {t["order_id"] for t in transactions}
    waiting = next(o for o in sb.records("orders")[shop["id"]] if o["id"] not in settled)
    data = call(client, sb, "GET", by_order(waiting["id"]))["data"]
    assert data["sku_transactions"] == [] and data["order_id"] == waiting["id"]
    r = call(client, sb, "GET", by_order("123"))
    assert r["code"] == ERR and "order_id" in r["message"]


def test_affiliate_orders_page_by_sku_order_and_group_by_order(client, sb):
    shop = sb.shops[1]
    truth = {o["id"]: o for o in sb.records("affiliate_orders")[shop["id"]]}
    sku_orders = sum(len(o["skus"]) for o in truth.values())
    recs, pages = client.page_all(
        "POST", AFFILIATE_ORDERS, {"page_size": 3}, {}, key="orders", shop_cipher=shop["cipher"]
    )
    assert pages == -(-sku_orders // 3)
    joined: dict[str, dict] = {}
    for record in recs:
        if record["id"] in joined:
            joined[record["id"]]["skus"] += record["skus"]
        else:
            joined[record["id"]] = record
    assert joined == truth
    assert len(recs) > len(truth), "with 3 SKU orders a page, some order's SKUs go on over the next page"
    assert "status" not in recs[0], "status is deprecated and not returned"
    r = call(client, sb, "POST", AFFILIATE_ORDERS, {"page_size": 100}, {}, shop=1)
    assert r["data"]["total_count"] == sku_orders


def test_affiliate_orders_filter_on_creation_and_bind_their_page_token(client, sb):
    shop = sb.shops[0]
    truth = sb.records("affiliate_orders")[shop["id"]]
    middle = sorted(o["create_time"] for o in truth)[len(truth) // 2]
    body = {"create_time_ge": middle}
    r = call(client, sb, "POST", AFFILIATE_ORDERS, {"page_size": 1}, body)
    expected = sum(len(o["skus"]) for o in truth if o["create_time"] >= middle)
    assert r["data"]["total_count"] == expected
    token = r["data"]["next_page_token"]
    other = call(client, sb, "POST", AFFILIATE_ORDERS, {"page_size": 1, "page_token": token}, {"create_time_ge": 1})
    assert other["code"] == ERR and "page_token" in other["message"]
    r = call(client, sb, "POST", AFFILIATE_ORDERS, {"page_size": 1}, {"create_time_lt": "soon"})
    assert r["code"] == ERR and "create_time_lt" in r["message"]


def test_affiliate_orders_are_orders_whose_settled_skus_carry_what_the_settlement_charged(sb):
    for shop in sb.shops:
        orders = {o["id"]: o for o in sb.records("orders")[shop["id"]]}
        charged = {
            (order["order_id"], sku["sku_id"]): -Decimal(sku["fee_tax_breakdown"]["fee"]["affiliate_commission_amount"])
            for order in sb.records("order_transactions")[shop["id"]]
            for sku in order["sku_transactions"]
        }
        for affiliate in sb.records("affiliate_orders")[shop["id"]]:
            order = orders[affiliate["id"]]
            assert affiliate["create_time"] == order["create_time"]
            units = Counter(item["sku_id"] for item in order["line_items"])
            assert {sku["sku_id"]: sku["quantity"] for sku in affiliate["skus"]} == units
            for sku in affiliate["skus"]:
                if sku["settlement_status"] == "SETTLED":
                    assert Decimal(sku["actual_paid_commission"]["amount"]) == charged[(order["id"], sku["sku_id"])]
        affiliate_ids = {o["id"] for o in sb.records("affiliate_orders")[shop["id"]]}
        assert {order_id for (order_id, _), paid in charged.items() if paid} <= affiliate_ids


@pytest.mark.parametrize("path, key", [(OPEN, "open_collaborations"), (SAMPLES, "sample_applications")])
def test_collaborations_and_samples_newest_first(client, sb, path, key):
    shop = sb.shops[0]
    recs, pages = client.page_all("POST", path, {"page_size": 5}, {}, key=key, shop_cipher=shop["cipher"])
    truth = sb.records(key)[shop["id"]]
    assert sorted(r["id"] for r in recs) == sorted(r["id"] for r in truth) and pages == -(-len(truth) // 5)
    rows = {row.id: row for row in getattr(sb.world.shops[0].affiliate, key)}
    created = [(rows[r["id"]].create_time, int(r["id"])) for r in recs]
    assert created == sorted(created, reverse=True)


def test_open_collaborations_sort_by_price(client, sb):
    shop = sb.shops[0]
    recs, _ = client.page_all(
        "POST",
        OPEN,
        {"page_size": 100, "sort_field": "product_original_price", "sort_order": "ASC"},
        {},
        key="open_collaborations",
        shop_cipher=shop["cipher"],
    )
    prices = [Decimal(r["product"]["original_price"]["minimum_amount"]) for r in recs]
    assert prices == sorted(prices)
    r = call(client, sb, "POST", OPEN, {"page_size": 10, "sort_field": "gmv"}, {})
    assert r["code"] == ERR and "sort_field" in r["message"]


@pytest.mark.parametrize("reading", ["listed", "asked"])
def test_search_products_lists_deleted_products_as_set(fresh, reading):
    sb, client = fresh(shops=1, orders=200, deleted_products=reading)
    products = sb.records("products")[sb.shops[0]["id"]]
    deleted = {p["id"] for p in products if p["status"] == "DELETED"}
    assert deleted
    for body in ({}, {"status": "ALL"}):
        recs, _ = client.page_all(
            "POST", PRODUCTS, {"page_size": 7}, body, key="products", shop_cipher=sb.shops[0]["cipher"]
        )
        listed = {p["id"] for p in recs}
        assert listed == ({p["id"] for p in products} - (set() if reading == "listed" else deleted))
    recs, _ = client.page_all(
        "POST", PRODUCTS, {"page_size": 7}, {"status": "DELETED"}, key="products", shop_cipher=sb.shops[0]["cipher"]
    )
    assert {p["id"] for p in recs} == deleted


def test_a_deleted_product_is_deleted_everywhere(fresh):
    sb, client = fresh(shops=1, orders=100)
    (gone,) = sb.delete_products(1)
    product = next(p for p in sb.records("products")[sb.shops[0]["id"]] if p["id"] == gone)
    assert product["status"] == "DELETED"
    r = client.call("GET", f"/product/202309/products/{gone}", shop_cipher=sb.shops[0]["cipher"])
    assert r["code"] == 12052048


def test_affiliate_needs_its_scope(fresh):
    sb, client = fresh(shops=1, orders=20)
    sb.revoke_scope("seller.affiliate_collaboration.read")
    for path in (AFFILIATE_ORDERS, OPEN, TARGET, SAMPLES):
        r = client.call("POST", path, {"page_size": 20}, {}, shop_cipher=sb.shops[0]["cipher"])
        assert r["code"] == 105005 and "seller.affiliate_collaboration.read" in r["message"]
