"""Every stream against the sandbox (2 shops): ground truth, schemas, keys, the identities between the settlement,
unsettled and affiliate streams and the orders and statements (on what the connector read), and incremental
follow-ups."""

import json
import re
from collections import Counter, defaultdict
from decimal import Decimal

import jsonschema
import pytest
from airbyte_cdk.models import SyncMode

from integration_tests.harness import STREAM_NAMES, catalog_of, config_for, every_stream, run
from integration_tests.truth import (
    CURSORS,
    PRIMARY_KEYS,
    by_key,
    expected_rows,
    key_of,
    platforms_of,
    without_snapshot_time,
)
from tiktok_shop_sandbox import Sandbox

UNSETTLED_SINCE = 1735689600  # TikTok keeps no unsettled transaction created before 2025-01-01
TOUCHED = {"orders": ("orders", "order_line_items"), "products": ("products", "skus", "product_details"),
           "returns": ("returns",), "cancellations": ("cancellations",), "packages": ("packages",)}  # fmt: skip


@pytest.fixture(scope="module")
def world():
    with Sandbox(seed=5, shops=2, orders=150) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def catalog(world):
    streams = run("discover", config_for(world)).output.catalog.catalog.streams
    modes = {
        stream.name: SyncMode.incremental
        if SyncMode.incremental in stream.supported_sync_modes
        else SyncMode.full_refresh
        for stream in streams
    }
    return {stream.name: stream for stream in streams}, catalog_of(modes)


@pytest.fixture(scope="module")
def first_sync(world, catalog):
    # Every platform the sandbox's orders have references on: the external order references are its ground truth.
    config = {**config_for(world), "external_order_platforms": platforms_of(world)}
    result = run("read", config, catalog[1])
    assert not result.output.errors, result.output.errors
    # The sandbox checks every request against TikTok's 2026 rules, refusing with 36009004 naming the parameter.
    refused = [(entry["path"], entry["query"], entry["body"]) for entry in world.requests if entry["code"] == 36009004]
    assert not refused, refused[:3]
    return config, result


def test_discover_lists_every_stream(catalog):
    assert sorted(catalog[0]) == sorted(STREAM_NAMES)


def test_discover_declares_the_keys_and_cursors_of_tiktoks_records(catalog):
    """The ground truth's keys and cursors (TikTok's id and time fields, integration_tests/truth.py) are discover's."""
    discovered = catalog[0]
    keys = {name: tuple(path[0] for path in stream.source_defined_primary_key) for name, stream in discovered.items()}
    assert keys == dict(PRIMARY_KEYS)
    cursors = {
        name: stream.default_cursor_field[0] for name, stream in discovered.items() if stream.default_cursor_field
    }
    assert cursors == {name: field for name, (field, _) in CURSORS.items()}


@pytest.mark.parametrize("stream", STREAM_NAMES)
def test_stream_equals_the_ground_truth(world, first_sync, stream):
    rows = first_sync[1].records(stream)
    keys = [key_of(stream, row) for row in rows]
    assert len(keys) == len(set(keys)), f"{stream}: a primary key repeats"
    platforms = first_sync[0]["external_order_platforms"]
    expected = by_key(stream, expected_rows(world, stream, platforms=platforms))
    assert expected, f"the sandbox has no {stream} to compare with"
    assert by_key(stream, without_snapshot_time(stream, rows)) == expected


@pytest.mark.parametrize("stream", STREAM_NAMES)
def test_every_record_validates_against_its_published_schema(catalog, first_sync, stream):
    published = catalog[0][stream]
    validator = jsonschema.Draft7Validator(published.json_schema)
    for row in first_sync[1].records(stream):
        errors = sorted(validator.iter_errors(row), key=str)
        assert not errors, f"{stream}: {errors[0].message} at {list(errors[0].absolute_path)}"
    pk_fields = [path[0] for path in published.source_defined_primary_key]
    assert all(field in published.json_schema["properties"] for field in pk_fields)
    if published.default_cursor_field:
        cursor = published.json_schema["properties"][published.default_cursor_field[0]]
        assert cursor["type"] in ("integer", ["null", "integer"]) or (cursor["type"], cursor["format"]) == (
            "string",
            "date",
        )


@pytest.fixture(scope="module")
def second_sync(world, catalog, first_sync):
    """A sync from the first one's state, after touching some records; what it asked TikTok."""
    config, first = first_sync
    touched = {resource: set(world.touch(resource, 4)) for resource in TOUCHED}
    world.clear_requests()
    second = run("read", first.config_after(config), catalog[1], first.state)
    assert not second.output.errors, second.output.errors
    return touched, second, world.requests


def test_second_sync_after_touching_returns_the_touched_records(first_sync, second_sync):
    first = first_sync[1]
    touched, second, _ = second_sync
    for resource, streams in TOUCHED.items():
        for stream in streams:
            parent_field = {"order_line_items": "order_id", "skus": "product_id"}.get(stream, "id")
            key_field = {"returns": "return_id", "cancellations": "cancel_id"}.get(stream, parent_field)
            returned = {row[key_field] for row in second.records(stream)}
            assert touched[resource] <= returned, f"{stream} missed touched {resource}"
    # Nothing else was re-read beyond the lookback: far fewer rows than the first sync.
    assert len(second.records("orders")) < len(first.records("orders")) / 2


def test_a_second_incremental_sync_reads_fewer_rows_of_every_incremental_stream(first_sync, second_sync):
    """From the first sync's state, each incremental stream reads its window only (the lookback and what changed)."""
    first, second = first_sync[1], second_sync[1]
    more = {
        stream: (len(second.records(stream)), len(first.records(stream)))
        for stream in CURSORS
        if len(second.records(stream)) >= len(first.records(stream))
    }
    assert not more, more


def amount(text: str) -> Decimal:
    return Decimal(text or "0")


def by_shop_and(field: str, rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(row["shop_id"], row[field]): row for row in rows}


def test_an_orders_sku_settlements_add_up_to_its_statement_transaction(first_sync):
    result = first_sync[1]
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


def test_an_orders_skus_settled_are_its_line_items(first_sync):
    result = first_sync[1]
    orders = by_shop_and("id", result.records("orders"))
    settled: dict[tuple, Counter] = defaultdict(Counter)
    for row in result.records("order_settlements"):
        settled[(row["shop_id"], row["order_id"])][row["sku_id"]] += int(row["quantity"])
    for key, quantities in settled.items():
        assert quantities == Counter(item["sku_id"] for item in orders[key]["line_items"]), key


def test_unsettled_transactions_are_exactly_the_delivered_orders_no_statement_holds(first_sync):
    result = first_sync[1]
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


def test_affiliate_orders_are_orders_with_their_skus_creators_and_commissions(first_sync):
    result = first_sync[1]
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


def test_a_settled_affiliate_commission_is_what_the_order_settlement_charged_for_it(first_sync):
    result = first_sync[1]
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


def test_affiliate_skus_name_collaborations_that_exist_for_their_products(first_sync):
    result = first_sync[1]
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


def test_a_second_sync_reads_the_settlements_and_affiliate_orders_of_the_lookback_only(first_sync, second_sync):
    first, (_, second, requests) = first_sync[1], second_sync
    for stream in ("order_settlements", "affiliate_orders", "affiliate_order_skus"):
        field, lookback_minutes = CURSORS[stream]
        lookback = 60 * lookback_minutes
        state = first.state_of(stream)
        rows = second.records(stream)
        assert 0 < len(rows) < len(first.records(stream)), stream
        assert all(row[field] >= state[row["shop_id"]][field] - lookback for row in rows), stream
    # One Get Transactions by Order per order the statements of the lookback settled, and no other.
    calls = [entry["path"] for entry in requests if "/finance/202501/orders/" in entry["path"]]
    assert len(calls) == len(set(calls)) == len({row["order_id"] for row in second.records("order_settlements")})


def test_product_windows_are_split_below_the_search_cap():
    """Search Products refuses to page past 10,000 results (12052180): the connector splits its window."""
    with Sandbox(seed=6, shops=1, orders=50, counts={"products": 12_500}) as big:
        result = run("read", config_for(big), catalog_of({"products": SyncMode.incremental}))
        refused = [entry for entry in big.requests if entry["code"] == 12052180]
        assert not result.output.errors, result.output.errors
        assert by_key("products", result.records("products")) == by_key("products", expected_rows(big, "products"))
    assert not refused


def test_no_page_is_fetched_twice_in_one_sync():
    """Streams built on the same endpoint (orders and order_line_items, ...) share its pages."""
    with Sandbox(seed=7, shops=2, orders=150) as sandbox:
        result = run("read", config_for(sandbox), every_stream())
        assert not result.output.errors
        queries = [
            (entry["method"], entry["path"], json.dumps(entry["body"], sort_keys=True),
             tuple(sorted((k, v) for k, v in entry["query"].items() if k not in ("timestamp", "sign", "app_key"))))
            for entry in sandbox.requests
            if not entry["path"].startswith("/api/v2/token")
        ]  # fmt: skip
    repeated = [query for query, count in Counter(queries).items() if count > 1]
    assert not repeated, repeated[:3]
    # Search Orders is read once for every stream built on it.
    assert sum(1 for query in queries if re.fullmatch(r"/order/\d+/orders/search", query[1])) == sum(
        max(1, -(-len(orders) // 100)) for orders in sandbox.records("orders").values()
    )


PROGRESS = re.compile(r"^Progress: (\w+), shop (\d+): (\d+) rows(?: from (\d+) (\w+))?(?: up to \S+)?\.$")
# The stream of the records each stream's rows come from, and what its progress lines call them.
PARENTS = {"order_line_items": ("orders", "orders"), "skus": ("products", "products"),
           "product_details": ("products", "products"), "statement_transactions": ("statements", "statements"),
           "order_settlements": ("statements", "statements"), "affiliate_order_skus": ("affiliate_orders", "orders"),
           "fbt_inbound_orders": ("fbt_inventory_records", "inventory_records"),
           "order_price_details": ("orders", "orders"), "external_orders": ("orders", "orders"),
           "order_tracking": ("orders", "orders"), "return_records": ("returns", "return_orders"),
           "promotion_activity_products": ("promotion_activities", "activities"),
           "video_product_performance": ("shop_video_performance", "videos"),
           "inventory": ("products", "products"), "product_diagnoses": ("products", "products"),
           "sample_application_fulfillments": ("sample_applications", "sample_applications")}  # fmt: skip
# The batched reads ask only for the products Search Products lists unasked: the deleted ones are a query of their own.
UNASKED = {"inventory", "product_diagnoses"}


def test_progress_counts_the_rows_emitted_and_the_parent_records_they_came_from(first_sync):
    """What a user sums from the progress lines is what the destination gets (`scripts/demo.py` prints both)."""
    result = first_sync[1]
    rows: Counter = Counter()
    parents: dict[tuple[str, str], int] = {}
    for line in result.logs:
        match = PROGRESS.match(line)
        if match:
            stream, shop, count, parent_count, noun = match.groups()
            rows[stream] += int(count)
            if parent_count is not None:
                assert noun == PARENTS[stream][1], line
                parents[(stream, shop)] = parents.get((stream, shop), 0) + int(parent_count)
    emitted = {stream: len(result.records(stream)) for stream in STREAM_NAMES}
    shop_scoped = [stream for stream in STREAM_NAMES if stream != "shops"]
    assert {stream: rows[stream] for stream in shop_scoped} == {stream: emitted[stream] for stream in shop_scoped}
    assert {stream for stream, _ in parents} == set(PARENTS)
    for (stream, shop), count in parents.items():
        parent_rows = [
            record
            for record in result.records(PARENTS[stream][0])
            if record["shop_id"] == shop and not (stream in UNASKED and record["status"] == "DELETED")
        ]
        assert count == len(parent_rows), f"{stream}, shop {shop}: parents"
