"""The seeded records hold together: amounts add up as TikTok's notes say they do, and times come in order."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tiktok_shop_sandbox import Sandbox

from .tts_client import Client


def total(*amounts) -> Decimal:
    return sum((Decimal(a) for a in amounts), Decimal(0))


def records(world, resource: str, version: str | None = None) -> list[dict]:
    return [r for rows in world.records(resource, version).values() for r in rows]


def test_order_payments_add_up(every_market):
    for o in records(every_market, "orders"):
        p = o["payment"]
        assert Decimal(p["sub_total"]) == total(p["original_total_product_price"]) - total(
            p["seller_discount"], p["platform_discount"]
        )
        assert Decimal(p["shipping_fee"]) == Decimal(p["original_shipping_fee"]) - total(
            p["shipping_fee_seller_discount"], p["shipping_fee_platform_discount"], p["shipping_fee_cofunded_discount"]
        )
        fees = ("retail_delivery_fee", "small_order_fee", "buyer_service_fee", "handling_fee")
        assert Decimal(p["total_amount"]) == total(p["sub_total"], p["shipping_fee"], p["tax"], *(p[f] for f in fees))
        items = o["line_items"]
        assert total(*(li["sale_price"] for li in items)) == Decimal(p["sub_total"])
        for fee in ("retail_delivery_fee", "small_order_fee", "buyer_service_fee"):
            assert total(*(li[fee] for li in items)) == Decimal(p[fee]), fee
        assert total(*(t["tax_amount"] for li in items for t in li.get("item_tax", []))) == Decimal(p["tax"])
        for li in items:
            assert Decimal(li["sale_price"]) == Decimal(li["original_price"]) - total(
                li["seller_discount"], li["platform_discount"]
            )
            parts = li.get("sub_item_info", [])
            if parts:  # a virtual bundle's parts share its price
                for key in ("sale_price", "original_price", "seller_discount", "platform_discount"):
                    assert total(*(part[key] for part in parts)) == Decimal(li[key]), key
                assert [part["sku_id"] for part in parts] == [s["sku_id"] for s in li["combined_listing_skus"]]


def test_order_times_come_in_order(every_market):
    events = ("create_time", "paid_time", "rts_time", "collection_time", "delivery_time")
    slas = ("rts_sla_time", "shipping_due_time", "tts_sla_time", "collection_due_time", "delivery_sla_time",
            "delivery_option_required_delivery_time", "delivery_due_time")  # fmt: skip
    for o in records(every_market, "orders"):
        happened = [o[e] for e in events if e in o]
        assert happened == sorted(happened) and happened[-1] <= o["update_time"]
        assert [o[s] for s in slas] == sorted(o[s] for s in slas) and o["create_time"] < o["rts_sla_time"]
        if "request_cancel_time" in o:
            assert o["create_time"] <= o["request_cancel_time"] <= o["update_time"]


def refund_parts(r: dict) -> Decimal:
    keys = ("refund_subtotal", "refund_shipping_fee", "refund_tax", "retail_delivery_fee", "buyer_service_fee")
    return total(*(r[k] for k in keys))


@pytest.mark.parametrize(("resource", "items", "subs"), [("returns", "return_line_items", "return_sub_line_items"),
                                                          ("cancellations", "cancel_line_items", "cancel_sub_line_items")])  # fmt: skip
def test_refunds_add_up(every_market, resource, items, subs):
    for r in records(every_market, resource):
        refund = r["refund_amount"]
        assert Decimal(refund["refund_total"]) == refund_parts(refund)
        lines = [li["refund_amount"] for li in r[items]]
        assert all(Decimal(li["refund_total"]) == refund_parts(li) for li in lines)
        assert total(*(li["refund_total"] for li in lines)) == Decimal(refund["refund_total"])
        for li in r[items]:
            if subs in li:
                assert total(*(s["refund_amount"]["refund_total"] for s in li[subs])) == Decimal(
                    li["refund_amount"]["refund_total"]
                )
        if "partial_refund" in r:
            assert r["partial_refund"]["amount"] == refund["refund_total"]


def test_returns_and_cancellations_are_the_same_in_both_versions_but_for_the_new_fields(every_market):
    new = {"is_quick_refund", "return_sub_line_items", "should_replenish_stock", "cancel_sub_line_items"}

    def without_new(value):
        if isinstance(value, dict):
            return {k: without_new(v) for k, v in value.items() if k not in new}
        if isinstance(value, list):
            return [without_new(v) for v in value]
        return value

    for resource in ("returns", "cancellations"):
        assert without_new(every_market.records(resource, "202602")) == every_market.records(resource, "202309")


def breakdown_total(tree: dict) -> Decimal:
    return total(*(v for k, v in tree.items() if k != "supplementary_component" and v != ""))


def test_transactions_and_statements_add_up(every_market):
    statements = {s["id"]: s for s in records(every_market, "statements")}
    by_statement: dict[str, list] = {}
    for t in records(every_market, "statement_transactions"):
        by_statement.setdefault(t["statement_id"], []).append(t)
        assert Decimal(t["revenue_amount"]) == breakdown_total(t["revenue_breakdown"])
        fee = t["fee_tax_breakdown"]
        assert Decimal(t["fee_tax_amount"]) == breakdown_total(fee["fee"]) + breakdown_total(fee["tax"])
        assert Decimal(t["shipping_cost_amount"]) == breakdown_total(t["shipping_cost_breakdown"])
        assert Decimal(t["settlement_amount"]) == total(
            t["revenue_amount"], t["fee_tax_amount"], t["shipping_cost_amount"], t["adjustment_amount"]
        )
        payment = t["supplementary_component"]
        assert Decimal(payment["sales_tax_amount"]) == Decimal(payment["sales_tax_payment_amount"]) - Decimal(
            payment["sales_tax_refund_amount"]
        )
    for sid, txns in by_statement.items():
        s = statements[sid]
        assert Decimal(s["settlement_amount"]) == total(*(t["settlement_amount"] for t in txns))
        assert Decimal(s["fee_amount"]) == total(*(t["fee_tax_amount"] for t in txns))
        assert Decimal(s["revenue_amount"]) == total(*(t["revenue_amount"] for t in txns))
    reserves = [t for ts in by_statement.values() for t in ts if t["type"] == "RESERVE"]
    assert {t["reserve_status"] for t in reserves} == {"COLLECTED", "RELEASED"}


def test_payments_pay_out_the_statement_and_its_reserves(every_market):
    statements = {s["payment_id"]: s for s in records(every_market, "statements")}
    reserves: dict[str, Decimal] = {}
    for t in records(every_market, "statement_transactions"):
        reserves[t["statement_id"]] = reserves.get(t["statement_id"], Decimal(0)) + Decimal(t["reserve_amount"])
    old = {p["id"]: p for p in records(every_market, "payments", "202309")}
    for p in records(every_market, "payments"):
        s = statements[p["id"]]
        payable = Decimal(s["settlement_amount"]) + reserves.get(s["id"], Decimal(0))
        assert Decimal(p["payment_amount_before_exchange"]["value"]) == payable
        assert Decimal(old[p["id"]]["reserve_amount"]["value"]) == reserves.get(s["id"], Decimal(0))
        if p["amount"]["currency"] == s["currency"]:
            assert p["exchange_rate"] == "1.000000" and Decimal(p["amount"]["value"]) == payable
        else:  # a cross-border seller is paid in USD
            rate = Decimal(p["exchange_rate"])
            assert abs(Decimal(p["amount"]["value"]) - payable * rate) <= Decimal("0.01")
        assert (p["paid_time"] > p["create_time"]) == (p["status"] == "PAID")
        assert ("paid_time" in old[p["id"]]) == (p["status"] == "PAID")


def test_promotion_times_are_milliseconds_and_in_order(every_market):
    for resource, begin, end in (("promotion_activities", "begin_time", "end_time"), ("coupons", None, None)):
        for r in records(every_market, resource):
            assert 10**12 <= r["create_time"] <= r["update_time"] < every_market.now_ts * 1000
            if begin and r["duration_type"] == "NORMAL":
                assert r["create_time"] // 1000 < r[begin] < r[end]
    for c in records(every_market, "coupons"):
        claim = c["claim_duration"]
        assert c["create_time"] // 1000 < claim["start_time"] < claim["end_time"]
        if c["redemption_duration"]["type"] == "ABSOLUTE":
            assert c["redemption_duration"]["end_time"] >= claim["end_time"]


def test_the_statement_page_carries_its_totals():
    with Sandbox(seed=3, shops=1, orders=300) as sb:
        client = Client.for_sandbox(sb)
        shop = sb.shops[0]
        statement = next(s for s in sb.records("statements")[shop["id"]])
        data = client.call(
            "GET",
            f"/finance/202501/statements/{statement['id']}/statement_transactions",
            {"sort_field": "order_create_time", "page_size": 100},
            shop_cipher=shop["cipher"],
        )["data"]
    txns = data["transactions"]
    totals = data["total_settlement_breakdown"]
    assert data["currency"] == statement["currency"] and data["status"] == "SETTLED"
    assert data["total_settlement_amount"] == statement["settlement_amount"]
    assert Decimal(totals["total_revenue_amount"]) == total(*(t["revenue_amount"] for t in txns))
    assert Decimal(totals["total_fee_tax_amount"]) == total(*(t["fee_tax_amount"] for t in txns))
    assert Decimal(totals["total_shipping_cost_amount"]) == total(*(t["shipping_cost_amount"] for t in txns))
    assert Decimal(totals["total_adjustment_amount"]) == total(*(t["adjustment_amount"] for t in txns))
    assert Decimal(data["payable_amount"]) == Decimal(data["total_settlement_amount"]) + Decimal(
        data["total_reserve_amount"]
    )
