"""The streams read per record of a parent (or per batch of its records), issue #20, against the sandbox: each one
alone, so that the sandbox's request log shows what it costs. The minimum is one request per parent record read
(one per batch of ids for the batched ones, one per order and platform for external order references), none twice;
a second sync asks only for the parents it reads again. Their rows against the ground truth are in test_streams.py.
"""

import math
import re
import time
from collections import Counter
from typing import Any

import pytest
from airbyte_cdk.models import SyncMode

from integration_tests.harness import catalog_of, run, token_config
from integration_tests.truth import CURSORS, SNAPSHOTS, by_key, expected_rows, platforms_of, without_snapshot_time
from tiktok_shop_sandbox import Sandbox

# Each stream's per-record (or per-batch) operation as the sandbox logs its path, ids as `\d+`.
PATHS = {
    "order_price_details": r"/order/202407/orders/\d+/price_detail",
    "external_orders": r"/order/202406/orders/\d+/external_orders",
    "order_tracking": r"/fulfillment/202309/orders/\d+/tracking",
    "return_records": r"/return_refund/202309/returns/\d+/records",
    "promotion_activity_products": r"/promotion/202309/activities/\d+",
    "video_product_performance": r"/analytics/202509/shop_videos/\d+/products/performance",
    "inventory": r"/product/202309/inventory/search",
    "product_diagnoses": r"/product/202405/products/diagnoses",
    "sample_application_fulfillments": r"/affiliate_seller/202409/sample_applications/\d+/fulfillments/search",
}
STREAMS = list(PATHS)
# TikTok's batch limits (its notes): product ids per Inventory Search and per Get Product Diagnoses.
INVENTORY_BATCH, DIAGNOSES_BATCH = 100, 200
# Products Get Product (and so Inventory Search) does not serve.
HIDDEN = {"FREEZE", "DELETED"}
LOOKBACK_MS = 60 * 60 * 1000  # the activities' default lookback, in their milliseconds


class Synced:
    def __init__(self, sandbox: Sandbox, config: dict[str, Any], streams: list[str], state: Any = None):
        sandbox.clear_requests()
        self.started = int(time.time())
        modes = {name: SyncMode.incremental if name in CURSORS else SyncMode.full_refresh for name in streams}
        self.result = run("read", config, catalog_of(modes), state)
        self.ended = int(time.time())
        assert not self.result.output.errors, self.result.output.errors
        self.log = sandbox.requests
        refused = [(entry["path"], entry["query"]) for entry in self.log if entry["code"] not in (0, 66007004)]
        assert not refused, refused[:3]

    def asked(self, stream: str) -> list[dict[str, Any]]:
        return [entry for entry in self.log if re.fullmatch(PATHS[stream], entry["path"])]


@pytest.fixture(scope="module")
def world():
    # Over a batch of products per shop, so that inventory and diagnoses take more than one request.
    with Sandbox(seed=13, shops=2, orders=60, counts={"products": 230}) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def config(world):
    # Tokens, as the platform holds them once the auth code is spent: the module syncs more than once.
    return {**token_config(world), "external_order_platforms": [*platforms_of(world), "AMAZON"]}


@pytest.fixture(scope="module")
def first(world, config):
    return Synced(world, config, STREAMS)


def truth(world: Any, resource: str) -> dict[str, list[dict[str, Any]]]:
    return {str(shop_id): records for shop_id, records in world.records(resource).items()}


def test_each_parent_record_read_costs_one_request_and_none_is_asked_twice(world, config, first):
    orders = [order for records in truth(world, "orders").values() for order in records]
    shipped = [order for order in orders if order.get("packages")]
    activities = sum(len(records) for records in truth(world, "promotion_activities").values())
    applications = sum(len(records) for records in truth(world, "sample_applications").values())
    returns = sum(len(records) for records in truth(world, "returns").values())
    # A video's products on a day: one request, plus one per further page of 100.
    products: Counter = Counter(
        (shop_id, row["video_id"], row["date"])
        for shop_id, rows in truth(world, "video_product_performance").items()
        for row in rows
    )
    video_days = [
        (shop_id, row["id"], row["date"])
        for shop_id, rows in truth(world, "shop_video_performance").items()
        for row in rows
    ]
    served = [sum(p["status"] not in HIDDEN for p in records) for records in truth(world, "products").values()]
    live = [sum(p["status"] == "ACTIVATE" for p in records) for records in truth(world, "products").values()]
    expected = {
        "order_price_details": len(orders),
        "external_orders": len(orders) * len(config["external_order_platforms"]),
        "order_tracking": len(shipped),
        "return_records": returns,
        "promotion_activity_products": activities,
        "video_product_performance": sum(max(1, math.ceil(products[day] / 100)) for day in video_days),
        "inventory": sum(math.ceil(count / INVENTORY_BATCH) for count in served),
        "product_diagnoses": sum(math.ceil(count / DIAGNOSES_BATCH) for count in live),
        "sample_application_fulfillments": applications,
    }
    assert all(expected.values()), expected
    assert {stream: len(first.asked(stream)) for stream in STREAMS} == expected
    assert max(served) > INVENTORY_BATCH, "too few products for more than one inventory batch"
    for stream in STREAMS:
        sent = Counter(
            (entry["path"], tuple(sorted((k, v) for k, v in entry["query"].items() if k not in ("timestamp", "sign"))),
             str(entry["body"]))
            for entry in first.asked(stream)
        )  # fmt: skip
        assert max(sent.values()) == 1, f"{stream}: a request was sent twice"


def test_batches_are_as_large_as_tiktok_allows_and_ask_only_for_what_it_answers(world, first):
    statuses = {p["id"]: p["status"] for records in truth(world, "products").values() for p in records}
    inventory = [entry["body"]["product_ids"] for entry in first.asked("inventory")]
    diagnoses = [entry["query"]["product_ids"].split(",") for entry in first.asked("product_diagnoses")]
    assert all(len(ids) <= INVENTORY_BATCH for ids in inventory) and max(map(len, inventory)) == INVENTORY_BATCH
    assert all(len(ids) <= DIAGNOSES_BATCH for ids in diagnoses)
    assert {statuses[i] for ids in inventory for i in ids}.isdisjoint(HIDDEN)
    assert {statuses[i] for ids in diagnoses for i in ids} == {"ACTIVATE"}


def test_rows_are_the_ground_truth(world, config, first):
    """The same check as test_streams.py's, on this module's own sync of these streams alone."""
    for stream in STREAMS:
        expected = by_key(stream, expected_rows(world, stream, platforms=config["external_order_platforms"]))
        assert expected, stream
        assert by_key(stream, without_snapshot_time(stream, first.result.records(stream))) == expected, stream


def test_a_snapshot_says_when_the_sync_read_each_shop(first):
    for stream in SNAPSHOTS:
        if stream not in STREAMS:
            continue
        times: dict[str, set] = {}
        for row in first.result.records(stream):
            times.setdefault(row["shop_id"], set()).add(row["snapshot_time"])
        assert times, stream
        for shop_id, values in times.items():
            (value,) = values  # one per shop and sync
            assert isinstance(value, int) and first.started <= value <= first.ended, (stream, shop_id, value)


@pytest.fixture(scope="module")
def second(world, config, first):
    """A sync from the first one's state, after some orders and returns changed."""
    touched = {resource: set(world.touch(resource, 3)) for resource in ("orders", "returns")}
    return touched, Synced(world, config, STREAMS, first.result.state)


def test_a_second_sync_asks_only_for_the_parents_it_reads_again(world, first, second):
    touched, again = second
    rows = {stream: again.result.records(stream) for stream in STREAMS}
    for stream in CURSORS:
        if stream in STREAMS:
            assert len(rows[stream]) < len(first.result.records(stream)), stream
    read_orders = {row["order_id"] for row in rows["order_price_details"]}
    assert touched["orders"] <= read_orders
    assert len(again.asked("order_price_details")) == len(read_orders)
    assert len(again.asked("order_tracking")) == len(rows["order_tracking"])
    assert touched["returns"] <= {row["return_id"] for row in rows["return_records"]}
    assert len(again.asked("return_records")) == len(rows["return_records"])
    # Activities: only those changed since the state, less the lookback (Search Activities lists them all).
    state = first.result.state_of("promotion_activity_products")
    changed = sum(
        activity["update_time"] >= state[shop_id]["update_time"] - LOOKBACK_MS
        for shop_id, records in truth(world, "promotion_activities").items()
        for activity in records
    )
    assert len(again.asked("promotion_activity_products")) == changed
    assert 0 < changed < len(first.asked("promotion_activity_products"))


def test_external_orders_without_platforms_reads_nothing_and_says_so_once(world):
    quiet = Synced(world, token_config(world), ["external_orders"])
    assert not quiet.result.records("external_orders")
    assert not quiet.asked("external_orders")
    warnings = [line for line in quiet.result.logs if "external_order_platforms" in line]
    assert len(warnings) == 1, warnings
