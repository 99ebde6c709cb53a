"""What an order's own calls say (price details, external references, tracking) and stock (Inventory Search, FBT):
each against the records it derives from as the other endpoints serve them (orders, products, activities,
coupons), how each pages and filters, and what it refuses."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from .truth import D, by_id, call, ground_truth

ERR = 36009004
ORDER_NOT_OWNED = 21008111
FBT_NOT_ONBOARDED = 46003001
INVENTORY = "/product/202309/inventory/search"
FBT_STOCK = "/fbt/202408/inventory/search"
FBT_RECORDS = "/fbt/202410/inventory_records/search"
INBOUND = "/fbt/202602/inbound_orders"
UNSHIPPED = {"ON_HOLD", "AWAITING_SHIPMENT", "PARTIALLY_SHIPPING"}
PRICE_FIELDS = (
    "total",
    "payment",
    "sku_list_price",
    "sku_sale_price",
    "subtotal",
    "subtotal_deduction_seller",
    "subtotal_deduction_platform",
    "subtotal_tax_amount",
    "voucher_deduction_platform",
    "voucher_deduction_seller",
    "shipping_list_price",
    "shipping_sale_price",
    "shipping_fee_deduction_seller",
    "shipping_fee_deduction_platform",
    "shipping_fee_deduction_platform_voucher",
    "tax_amount",
    "net_price_amount",
)


# -- price details ---------------------------------------------------------------------------------------------


def test_price_details_itemize_each_orders_payment(every_market):
    details = ground_truth(every_market, "order_price_details")
    for shop_id, orders in ground_truth(every_market, "orders").items():
        priced = by_id(details[shop_id], "order_id")
        assert set(priced) == {o["id"] for o in orders}
        for order in orders:
            pd, pay = priced[order["id"]], order["payment"]
            assert [li["id"] for li in pd["line_items"]] == [li["id"] for li in order["line_items"]]
            for line, item in zip(pd["line_items"], order["line_items"], strict=True):
                assert D(line["sku_list_price"]) == D(item["original_price"])
                assert D(line["subtotal_deduction_seller"]) + D(line["voucher_deduction_seller"]) == D(
                    item["seller_discount"]
                )
                assert D(line["subtotal_deduction_platform"]) + D(line["voucher_deduction_platform"]) == D(
                    item["platform_discount"]
                )
                assert D(line["sku_sale_price"]) == D(line["sku_list_price"]) - D(
                    line["subtotal_deduction_seller"]
                ) - D(line["subtotal_deduction_platform"])
                paid = (
                    D(line["sku_sale_price"])
                    - D(line["voucher_deduction_seller"])
                    - D(line["voucher_deduction_platform"])
                )
                assert paid == D(item["sale_price"])
                assert D(line["subtotal"]) == paid + D(line["subtotal_tax_amount"])
                assert D(line["total"]) == D(line["sku_list_price"]) + D(line["shipping_list_price"])
                assert D(line["shipping_sale_price"]) == D(line["shipping_list_price"]) - D(
                    line["shipping_fee_deduction_seller"]
                ) - D(line["shipping_fee_deduction_platform"])
                assert D(line["net_price_amount"]) == D(line["payment"]) - D(line["tax_amount"])
                assert line["currency"] == pay["currency"]
            for name in PRICE_FIELDS:  # the order's figures are its line items'
                assert D(pd[name]) == sum(D(line[name]) for line in pd["line_items"]), (order["id"], name)
            assert D(pd["payment"]) == D(pay["total_amount"])
            assert D(pd["sku_list_price"]) == D(pay["original_total_product_price"])
            assert D(pd["shipping_list_price"]) == D(pay["original_shipping_fee"])
            assert D(pd["shipping_sale_price"]) == D(pay["shipping_fee"])
            assert D(pd["shipping_fee_deduction_platform"]) == D(pay["shipping_fee_platform_discount"])
            assert D(pd["tax_amount"]) == D(pay["tax"])
            # the fees the price detail does not itemize are the rest of the payment
            fees = D(pay["retail_delivery_fee"]) + D(pay["small_order_fee"]) + D(pay["buyer_service_fee"])
            assert D(pd["payment"]) == D(pd["subtotal"]) + D(pd["shipping_sale_price"]) + fees


def test_price_detail_promotions_name_the_shops_activities_and_coupons(every_market):
    kinds = Counter()
    now = every_market.now_ts
    for shop in every_market.shops:
        activities = by_id(ground_truth(every_market, "promotion_activity_details")[shop.id], "activity_id")
        coupons = {c["id"] for c in ground_truth(every_market, "coupons")[shop.id]}
        orders = by_id(ground_truth(every_market, "orders")[shop.id])
        for pd in ground_truth(every_market, "order_price_details")[shop.id]:
            order = orders[pd["order_id"]]
            for line, item in zip(pd["line_items"], order["line_items"], strict=True):
                for promotion in line["seller_funded_product_promotions"]:
                    kinds[promotion["discount_type"]] += 1
                    if promotion["discount_type"] == "COUPON":
                        assert promotion["activity_id"] in coupons
                        assert promotion["discount_amount"] == line["voucher_deduction_seller"]
                        continue
                    activity = activities[promotion["activity_id"]]
                    assert activity["activity_type"] in ("FIXED_PRICE", "DIRECT_DISCOUNT", "FLASHSALE")
                    assert activity["begin_time"] <= order["create_time"] < activity["end_time"]
                    assert promotion["discount_amount"] == line["subtotal_deduction_seller"]
                    if activity["end_time"] + 180 * 86400 >= now:  # Get Activity keeps its products
                        assert item["product_id"] in {p["id"] for p in activity["products"]}
    assert kinds["ACTIVITY"] and kinds["COUPON"], kinds


def test_price_detail_of_an_order_over_http(client, sb):
    shop = sb.shops[0]["id"]
    for detail in sb.records("order_price_details")[shop][:5]:
        answer = call(client, sb, "GET", f"/order/202407/orders/{detail['order_id']}/price_detail")
        assert answer["code"] == 0
        assert answer["data"] == {k: v for k, v in detail.items() if k != "order_id"}
    other = sb.records("orders")[sb.shops[1]["id"]][0]["id"]
    answer = call(client, sb, "GET", f"/order/202407/orders/{other}/price_detail")
    assert answer["code"] == ORDER_NOT_OWNED and "data" not in answer


# -- external order references --------------------------------------------------------------------------------


def test_external_references_map_each_line_item_of_their_order(every_market):
    for shop in every_market.shops:
        refs = ground_truth(every_market, "external_orders")[shop.id]
        orders = by_id(ground_truth(every_market, "orders")[shop.id])
        assert bool(refs) is (shop.seller_type == "LOCAL")  # cross-border sellers sync no OMS here
        for ref in refs:
            order = orders[ref["order_id"]]
            assert "paid_time" in order
            assert [li["origin_id"] for li in ref["line_items"]] == [li["id"] for li in order["line_items"]]
        assert len({(r["platform"], r["id"]) for r in refs}) == len(refs)


def test_external_references_over_http_by_order_and_by_reference(client, sb):
    shop = sb.shops[0]["id"]
    refs = sb.records("external_orders")[shop]
    platforms = sorted({r["platform"] for r in refs})
    assert len(platforms) == 2  # the shop's OMS, and a warehouse system for some orders
    for ref in refs[:10]:
        for platform in platforms:
            answer = call(
                client, sb, "GET", f"/order/202406/orders/{ref['order_id']}/external_orders", {"platform": platform}
            )
            wanted = [
                {k: v for k, v in r.items() if k != "order_id"}
                for r in refs
                if r["order_id"] == ref["order_id"] and r["platform"] == platform
            ]
            assert answer["data"] == {"external_orders": wanted}
        found = call(
            client,
            sb,
            "POST",
            "/order/202406/orders/external_order_search",
            {"platform": ref["platform"], "external_order_id": ref["id"]},
            {},
        )
        expected = {k: v for k, v in ref.items() if k != "order_id"}
        assert found["data"] == {"orders": [{"id": ref["order_id"], "external_order": expected}]}
    nothing = call(
        client,
        sb,
        "POST",
        "/order/202406/orders/external_order_search",
        {"platform": "AMAZON", "external_order_id": refs[0]["id"]},
        {},
    )
    assert nothing["code"] == 0 and nothing["data"] == {}  # TikTok's notes: `orders` omitted when none match


# -- tracking --------------------------------------------------------------------------------------------------


def test_tracking_follows_the_orders_packages_to_the_buyer(every_market):
    now_ms = every_market.now_ts * 1000
    seen = Counter()
    for shop_id, orders in ground_truth(every_market, "orders").items():
        tracked = by_id(ground_truth(every_market, "order_tracking")[shop_id], "order_id")
        assert set(tracked) == {o["id"] for o in orders if o["packages"]}
        packages = by_id(ground_truth(every_market, "packages")[shop_id])
        of = by_id(orders)
        for order_id, row in tracked.items():
            order, events = of[order_id], row["tracking"]
            times = [e["update_time_millis"] for e in events]
            assert times == sorted(times) and times[-1] <= now_ms
            first_package = min(packages[p["id"]]["create_time"] for p in order["packages"])
            assert events[0]["action_code"] == 101 and times[0] // 1000 == first_package
            codes = [e["action_code"] for e in events]
            if "collection_time" in order:
                assert [e["update_time_millis"] // 1000 for e in events if e["action_code"] == 201] == [
                    order["collection_time"]
                ]
            if "delivery_time" in order:
                assert codes[-1] == 302 and times[-1] // 1000 == order["delivery_time"]
                seen["delivered"] += 1
            elif order["status"] == "CANCELLED":
                assert 401 in codes
                seen["failed"] += 1
            else:
                assert 302 not in codes
    assert seen["delivered"] and seen["failed"]


def test_tracking_of_an_order_not_shipped_is_empty(client, sb):
    shop = sb.shops[0]["id"]
    unshipped = next(o for o in sb.records("orders")[shop] if not o["packages"])
    answer = call(client, sb, "GET", f"/fulfillment/202309/orders/{unshipped['id']}/tracking")
    assert answer["code"] == 0 and answer["data"] == {"tracking": []}


# -- Inventory Search ------------------------------------------------------------------------------------------


def test_inventory_is_get_products_stock_less_what_unshipped_orders_hold(every_market):
    for shop_id, products in ground_truth(every_market, "product_details").items():
        committed = Counter(
            li["sku_id"]
            for o in ground_truth(every_market, "orders")[shop_id]
            if o["status"] in UNSHIPPED
            for li in o["line_items"]
            if not li["package_id"]
        )
        inventory = by_id(ground_truth(every_market, "inventory")[shop_id], "product_id")
        assert set(inventory) == {p["id"] for p in products}
        for product in products:
            skus = by_id(inventory[product["id"]]["skus"])
            assert list(skus) == [s["id"] for s in product["skus"]]
            for sku in product["skus"]:
                row = skus[sku["id"]]
                (stock,) = sku["inventory"]
                (warehouse,) = row["warehouse_inventory"]
                assert (warehouse["warehouse_id"], warehouse["available_quantity"]) == (
                    stock["warehouse_id"],
                    stock["quantity"],
                )
                assert warehouse["committed_quantity"] == committed[sku["id"]] == row["total_committed_quantity"]
                assert row["total_available_quantity"] == warehouse["available_quantity"]
                split = row["total_available_inventory_distribution"]
                held = sum(c["quantity"] for c in split["campaign_inventory"] + split["creator_inventory"])
                assert held + split["in_shop_inventory"]["quantity"] == row["total_available_quantity"]


def test_inventory_search_by_products_or_skus(client, sb):
    shop = sb.shops[0]["id"]
    rows = sb.records("inventory")[shop]
    asked = [rows[3]["product_id"], "1", rows[0]["product_id"], rows[3]["product_id"]]
    answer = call(client, sb, "POST", INVENTORY, body={"product_ids": asked})
    assert answer["data"]["inventory"] == [rows[3], rows[0]]  # in the order asked, unknown ids left out
    multi = next(p for p in rows if len(p["skus"]) > 1)
    sku = multi["skus"][1]
    # SKU ids win over product ids (TikTok's notes)
    answer = call(client, sb, "POST", INVENTORY, body={"product_ids": asked, "sku_ids": [sku["id"]]})
    assert answer["data"]["inventory"] == [{"product_id": multi["product_id"], "skus": [sku]}]
    for body, name in (({"product_ids": ["1"] * 101}, "product_ids"), ({"sku_ids": ["1"] * 601}, "sku_ids"), ({}, "")):
        refused = call(client, sb, "POST", INVENTORY, body=body)
        assert refused["code"] == ERR and name in refused["message"], refused
    assert call(client, sb, "POST", INVENTORY, body={"product_ids": ["1"] * 100})["data"] == {"inventory": []}


# -- Fulfilled by TikTok ---------------------------------------------------------------------------------------


def test_fbt_answers_a_shop_not_onboarded_as_such(client, sb):
    regions = [call(client, sb, "GET", "/fbt/202409/merchants/onboarded_regions", shop=k) for k in (0, 1)]
    assert regions[0]["data"] == {"onboarded_regions": [{"region_code": "US"}]}
    assert regions[1]["code"] == 0 and regions[1]["data"] == {}  # TikTok's notes: empty data
    for method, path, params, body in (
        ("GET", "/fbt/202408/warehouses", {}, None),
        ("POST", FBT_STOCK, {"page_size": 10}, {}),
        ("POST", FBT_RECORDS, {"page_size": 10}, {}),
        ("GET", INBOUND, {"order_ids": "1"}, None),
    ):
        assert call(client, sb, method, path, params, body, shop=0)["code"] == 0
        refused = call(client, sb, method, path, params, body, shop=1)
        assert refused["code"] == FBT_NOT_ONBOARDED and "not onboarded" in refused["message"], path
    gb = sb.shops[1]["id"]
    assert not any(sb.records(r)[gb] for r in ("fbt_warehouses", "fbt_inventory", "fbt_inventory_records"))


def test_fbt_inventory_is_where_its_records_end(every_market):
    for shop in every_market.shops:
        records = ground_truth(every_market, "fbt_inventory_records")[shop.id]
        stock = ground_truth(every_market, "fbt_inventory")[shop.id]
        inbound = by_id(ground_truth(every_market, "fbt_inbound_orders")[shop.id], "order_id")
        warehouses = ground_truth(every_market, "fbt_warehouses")[shop.id]
        assert bool(stock) is (shop.seller_type == "LOCAL" and shop.region in ("US", "ID", "TH", "PH"))
        subscribed = {w["fbt_warehouse_id"] for w in warehouses if w["subscribed"]}
        chains = defaultdict(list)
        for r in sorted(records, key=lambda r: r["create_time"]):
            assert r["fbt_warehouse_id"] in subscribed
            assert r["changed_quantity"] == r["final_on_hand_quantity"] - r["initial_on_hand_quantity"] != 0
            chains[(r["goods"]["id"], r["fbt_warehouse_id"], r["inventory_goods_type"])].append(r)
        for chain in chains.values():  # each change starts where the one before ended
            assert chain[0]["initial_on_hand_quantity"] == 0
            assert all(
                a["final_on_hand_quantity"] == b["initial_on_hand_quantity"]
                for a, b in zip(chain, chain[1:], strict=False)
            )
        received = Counter()
        for r in records:
            if r["order"]["type"] == "INBOUND_ORDER":
                received[(r["order"]["id"], r["goods"]["id"], r["inventory_goods_type"])] += r["changed_quantity"]
        for order in inbound.values():
            for lot in order["inbound_goods_lot_receive_item_details"]:
                key = (order["order_id"], lot["goods_id"])
                assert lot["normal_received_count"] == received[(*key, "NORMAL")]
                assert lot["defective_received_count"] == received[(*key, "DEFECTIVE")]
                assert lot["total_received_count"] == lot["normal_received_count"] + lot["defective_received_count"]
        for row in stock:
            key = (row["goods"]["id"], row["fbt_warehouse_id"])
            last = {
                t: chains[(*key, t)][-1]["final_on_hand_quantity"] if chains[(*key, t)] else 0
                for t in ("NORMAL", "DEFECTIVE")
            }
            on_hand = row["on_hand_detail"]
            assert on_hand["available_quantity"] + on_hand["reserved_quantity"] == last["NORMAL"]
            assert on_hand["unfulfillable_quantity"] == last["DEFECTIVE"]
            assert on_hand["total_quantity"] == last["NORMAL"] + last["DEFECTIVE"]
            (sku,) = row["goods"]["skus"]
            assert sku["on_hand_detail"]["total_quantity"] == last["NORMAL"]
            on_the_way = sum(
                lot["planned_count"]
                for order in inbound.values()
                if "ship_time" in order
                and "actual_arrival_time" not in order
                and order["warehouse"]["fbt_warehouse_id"] == row["fbt_warehouse_id"]
                for lot in order["inbound_goods_lot_receive_item_details"]
                if lot["goods_id"] == row["goods"]["id"]
            )
            assert row["in_transit_quantity"] == on_the_way


def _stock_key(row: dict) -> tuple:
    return row["goods"]["id"], row["fbt_warehouse_id"]


def test_fbt_inventory_pages_and_filters(client, sb):
    shop = sb.shops[0]["id"]
    truth = sb.records("fbt_inventory")[shop]
    stocked = [r for r in truth if r["on_hand_detail"]["total_quantity"] + r["in_transit_quantity"] > 0]
    assert len(stocked) < len(truth)  # some goods have run out
    listed, pages = client.page_all(
        "POST", FBT_STOCK, {"page_size": 7}, {}, key="inventory", shop_cipher=sb.shops[0]["cipher"]
    )
    assert pages > 1 and listed == stocked  # TikTok's notes: unasked, the goods with stock
    goods = [truth[0]["goods"]["id"], truth[-1]["goods"]["id"]]
    listed, _ = client.page_all(
        "POST", FBT_STOCK, {"page_size": 3}, {"goods_ids": goods}, key="inventory", shop_cipher=sb.shops[0]["cipher"]
    )
    assert listed == [r for r in truth if r["goods"]["id"] in goods]  # asked for, with stock or not
    sku = truth[0]["goods"]["skus"][0]["id"]
    warehouse = truth[0]["fbt_warehouse_id"]
    answer = call(
        client, sb, "POST", FBT_STOCK, {"page_size": 100}, {"sku_ids": [sku], "fbt_warehouse_ids": [warehouse]}
    )
    assert answer["data"]["inventory"] == [truth[0]] and answer["data"]["total_count"] == 1
    both = call(client, sb, "POST", FBT_STOCK, {"page_size": 10}, {"goods_ids": goods, "sku_ids": [sku]})
    assert both["code"] == ERR and "goods_ids" in both["message"]
    for size in (0, 101):
        assert call(client, sb, "POST", FBT_STOCK, {"page_size": size}, {})["code"] == ERR
    assert call(client, sb, "POST", FBT_STOCK, {"page_size": 10}, {"goods_ids": ["1"] * 101})["code"] == ERR


def test_fbt_inventory_records_page_oldest_first_within_a_window(client, sb):
    shop, cipher = sb.shops[0]["id"], sb.shops[0]["cipher"]
    truth = sb.records("fbt_inventory_records")[shop]
    times = sorted(r["create_time"] for r in truth)
    low, high = times[len(times) // 4], times[3 * len(times) // 4]
    window = {"create_time_ge": low, "create_time_le": high}  # both inclusive (TikTok's notes)
    listed, pages = client.page_all(
        "POST", FBT_RECORDS, {"page_size": 50}, window, key="inventory_records", shop_cipher=cipher
    )
    wanted = [r for r in truth if low <= r["create_time"] <= high]
    assert pages > 1 and sorted(map(repr, listed)) == sorted(map(repr, wanted))
    assert [r["create_time"] for r in listed] == sorted(r["create_time"] for r in listed)
    goods = truth[0]["goods"]["id"]
    listed, _ = client.page_all(
        "POST", FBT_RECORDS, {"page_size": 100}, {"goods_ids": [goods]}, key="inventory_records", shop_cipher=cipher
    )
    assert listed and all(r["goods"]["id"] == goods for r in listed)
    assert len(listed) == sum(r["goods"]["id"] == goods for r in truth)
    first = call(client, sb, "POST", FBT_RECORDS, {"page_size": 5}, window)
    token = first["data"]["next_page_token"]
    # a page token belongs to the query that made it
    other = call(client, sb, "POST", FBT_RECORDS, {"page_size": 5, "page_token": token}, {"goods_ids": [goods]})
    assert other["code"] == ERR and "page_token" in other["message"]


def test_inbound_orders_by_the_ids_the_records_name(client, sb):
    shop = sb.shops[0]["id"]
    truth = by_id(sb.records("fbt_inbound_orders")[shop], "order_id")
    named = list(
        dict.fromkeys(
            r["order"]["id"] for r in sb.records("fbt_inventory_records")[shop] if r["order"]["type"] == "INBOUND_ORDER"
        )
    )
    assert named and set(named) <= set(truth)
    asked = [named[1], "1", named[0]]
    answer = call(client, sb, "GET", INBOUND, {"order_ids": ",".join(asked), "include_carton_details": "true"})
    assert answer["data"]["inbound_orders"] == [truth[named[1]], truth[named[0]]]
    plain = call(client, sb, "GET", INBOUND, {"order_ids": named[0]})["data"]["inbound_orders"]
    assert plain == [{k: v for k, v in truth[named[0]].items() if k != "carton_details"}]
    for order in truth.values():  # the history in time order, each step from the one before
        logs = order["status_logs"]
        assert [log["operate_time"] for log in logs] == sorted(log["operate_time"] for log in logs)
        assert [log["previous_status"] for log in logs[1:]] == [log["new_status"] for log in logs[:-1]]
        planned = Counter()
        for carton in order["carton_details"]:
            for item in carton["items"]:
                planned[item["goods_id"]] += item["quantity"]
        assert planned == {
            lot["goods_id"]: lot["planned_count"] for lot in order["inbound_goods_lot_receive_item_details"]
        }
    refused = call(client, sb, "GET", INBOUND, {"order_ids": ",".join(str(n) for n in range(51))})
    assert refused["code"] == ERR and "order_ids" in refused["message"]


@pytest.mark.parametrize("flag", ["yes", "2"])
def test_inbound_orders_refuse_a_carton_flag_that_is_not_a_boolean(client, sb, flag):
    answer = call(client, sb, "GET", INBOUND, {"order_ids": "1", "include_carton_details": flag})
    assert answer["code"] == ERR and "include_carton_details" in answer["message"]
