"""Settlement by order, unsettled money and affiliate streams against the sandbox: the identities between them and
the orders and statements, on what the connector read, and a second sync that reads only the lookback.
Ground-truth equality of every stream is in test_streams.py, the missing scopes in test_reliability.py."""

from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from airbyte_cdk.models import SyncMode

from integration_tests.harness import catalog_of, config_for, run
from source_tiktok_shop.catalog import STREAMS_BY_NAME
from tiktok_shop_sandbox import Sandbox

UNSETTLED_SINCE = 1735689600  # TikTok keeps no unsettled transaction created before 2025-01-01
STREAMS_READ = {
    "orders": SyncMode.incremental,
    "products": SyncMode.incremental,
    "statements": SyncMode.incremental,
    "statement_transactions": SyncMode.incremental,
    "order_settlements": SyncMode.incremental,
    "unsettled_transactions": SyncMode.full_refresh,
    "affiliate_orders": SyncMode.incremental,
    "affiliate_order_skus": SyncMode.incremental,
    "open_collaborations": SyncMode.full_refresh,
    "target_collaborations": SyncMode.full_refresh,
    "sample_applications": SyncMode.full_refresh,
}


@pytest.fixture(scope="module")
def world():
    with Sandbox(seed=8, shops=2, orders=300) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def first(world):
    config = config_for(world)
    result = run("read", config, catalog_of(STREAMS_READ))
    assert not result.output.errors, result.output.errors
    return config, result


def amount(text: str) -> Decimal:
    return Decimal(text or "0")


def by_shop_and(field: str, rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(row["shop_id"], row[field]): row for row in rows}


def test_an_orders_sku_settlements_add_up_to_its_statement_transaction(first):
    result = first[1]
    settlements: dict[tuple, list[dict]] = defaultdict(list)
    for row in result.records("order_settlements"):
        settlements[(row["shop_id"], row["order_id"], row["statement_id"])].append(row)
    transactions = [row for row in result.records("statement_transactions") if row["order_id"]]
    assert transactions and len(settlements) == len(transactions)
    for transaction in transactions:
        skus = settlements[(transaction["shop_id"], transaction["order_id"], transaction["statement_id"])]
        assert skus, f"order {transaction['order_id']} was settled but has no SKU settlement"
        for sku_field, transaction_field, order_field in (
            ("revenue_amount", "revenue_amount", "order_revenue_amount"),
            ("fee_tax_amount", "fee_tax_amount", "order_fee_and_tax_amount"),
            ("shipping_cost_amount", "shipping_cost_amount", "order_shipping_cost_amount"),
            ("settlement_amount", "settlement_amount", "order_settlement_amount"),
        ):
            total = sum(amount(sku[sku_field]) for sku in skus)
            assert total == amount(transaction[transaction_field]), (transaction["order_id"], sku_field)
            assert {amount(sku[order_field]) for sku in skus} == {total}
        assert {sku["currency"] for sku in skus} == {transaction["currency"]}
        assert {sku["order_create_time"] for sku in skus} == {transaction["order_create_time"]}
        assert {sku["statement_time"] for sku in skus} == {transaction["statement_time"]}


def test_an_orders_skus_settled_are_its_line_items(first):
    result = first[1]
    orders = by_shop_and("id", result.records("orders"))
    settled: dict[tuple, Counter] = defaultdict(Counter)
    for row in result.records("order_settlements"):
        settled[(row["shop_id"], row["order_id"])][row["sku_id"]] += int(row["quantity"])
    for key, quantities in settled.items():
        assert quantities == Counter(item["sku_id"] for item in orders[key]["line_items"]), key


def test_unsettled_transactions_are_exactly_the_delivered_orders_no_statement_holds(first):
    result = first[1]
    in_statements = {(row["shop_id"], row["order_id"]) for row in result.records("statement_transactions")}
    delivered = {
        (order["shop_id"], order["id"])
        for order in result.records("orders")
        if order.get("delivery_time") and order["create_time"] >= UNSETTLED_SINCE
    }
    unsettled = [row for row in result.records("unsettled_transactions") if row["type"] == "ORDER"]
    assert unsettled
    assert {(row["shop_id"], row["order_id"]) for row in unsettled} == delivered - in_statements
    assert all(row["status"] == "UNSETTLED" for row in unsettled)
    orders = by_shop_and("id", result.records("orders"))
    for row in unsettled:
        order = orders[(row["shop_id"], row["order_id"])]
        assert (row["order_create_time"], row["order_delivery_time"]) == (order["create_time"], order["delivery_time"])
        assert row["currency"] == order["payment"]["currency"]
        parts = amount(row["est_revenue_amount"]) + amount(row["est_fee_tax_amount"])
        assert amount(row["est_settlement_amount"]) == parts + amount(row["est_shipping_cost_amount"])


def test_affiliate_orders_are_orders_with_their_skus_creators_and_commissions(first):
    result = first[1]
    orders = by_shop_and("id", result.records("orders"))
    affiliate = result.records("affiliate_orders")
    assert affiliate
    for row in affiliate:
        order = orders[(row["shop_id"], row["id"])]
        assert (row["create_time"], row.get("delivery_time")) == (order["create_time"], order.get("delivery_time"))
        units = Counter((item["sku_id"], item["product_id"]) for item in order["line_items"])
        assert {(sku["sku_id"], sku["product_id"]): sku["quantity"] for sku in row["skus"]} == units
        for sku in row["skus"]:
            assert sku["creator_username"]
            assert sku["open_collaboration_id"] or sku["target_collaboration_id"]
            rate = Decimal(sku["commission_rate"]) / 10_000  # hundredths of a percent
            estimated = amount(sku["estimated_paid_commission"]["amount"])
            assert estimated > 0 and rate == Decimal("0.1")
    skus = [{**sku, "order_id": row["id"]} for row in affiliate for sku in row["skus"]]
    assert sorted((sku["order_id"], sku["sku_id"]) for sku in skus) == sorted(
        (row["order_id"], row["sku_id"]) for row in result.records("affiliate_order_skus")
    )


def test_a_settled_affiliate_commission_is_what_the_order_settlement_charged_for_it(first):
    result = first[1]
    charged = {
        (row["shop_id"], row["order_id"], row["sku_id"]): -amount(
            row["fee_tax_breakdown"]["fee"]["affiliate_commission_amount"]
        )
        for row in result.records("order_settlements")
    }
    paid = {
        (row["shop_id"], row["order_id"], row["sku_id"]): amount(row["actual_paid_commission"]["amount"])
        for row in result.records("affiliate_order_skus")
        if row["settlement_status"] == "SETTLED"
    }
    assert paid
    assert paid == {key: value for key, value in charged.items() if value}


def test_affiliate_skus_name_collaborations_that_exist_for_their_products(first):
    result = first[1]
    open_ones = by_shop_and("id", result.records("open_collaborations"))
    targets = by_shop_and("id", result.records("target_collaborations"))
    products = by_shop_and("id", result.records("products"))
    for sku in result.records("affiliate_order_skus"):
        if sku["open_collaboration_id"]:
            collaboration = open_ones[(sku["shop_id"], sku["open_collaboration_id"])]
            assert collaboration["product"]["id"] == sku["product_id"]
        else:
            assert (sku["shop_id"], sku["target_collaboration_id"]) in targets
    for application in result.records("sample_applications"):
        product = products[(application["shop_id"], application["product"]["id"])]
        assert application["product"]["sku_id"] in {sku["id"] for sku in product["skus"]}


def test_a_second_sync_reads_only_the_lookback(world, first):
    config, first_result = first
    incremental = {name: mode for name, mode in STREAMS_READ.items() if mode == SyncMode.incremental}
    world.clear_requests()
    second = run("read", first_result.config_after(config), catalog_of(incremental), first_result.state)
    assert not second.output.errors, second.output.errors
    for stream in ("order_settlements", "affiliate_orders", "affiliate_order_skus"):
        field = STREAMS_BY_NAME[stream].cursor_field
        lookback = 60 * STREAMS_BY_NAME[stream].incremental.lookback_minutes
        state = first_result.state_of(stream)
        rows = second.records(stream)
        assert 0 < len(rows) < len(first_result.records(stream)), stream
        assert all(row[field] >= state[row["shop_id"]][field] - lookback for row in rows), stream
    # One Get Transactions by Order per order the statements of the lookback settled, and no other.
    calls = [entry["path"] for entry in world.requests if "/finance/202501/orders/" in entry["path"]]
    assert len(calls) == len(set(calls)) == len({row["order_id"] for row in second.records("order_settlements")})
