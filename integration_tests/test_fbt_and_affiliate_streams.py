"""Fulfilled by TikTok and the affiliate marketplace and outreach (issue #20) against a sandbox of two shops: a US one
onboarded to FBT and a cross-border GB one that is not. The GB shop is skipped for each FBT stream with one warning and
the sync succeeds; snapshots say when each shop was read; inbound orders are found through the inventory records, in
batches, each once; a second sync reads only the records (and inbound orders) of its window."""

import dataclasses
import time
from collections import Counter

import pytest
from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.state_builder import StateBuilder

from integration_tests.harness import catalog_of, config_for, run
from integration_tests.truth import (
    CURSORS,
    SNAPSHOTS,
    by_key,
    expected_rows,
    inbound_orders_named,
    key_of,
    without_snapshot_time,
)
from source_tiktok_shop import source
from tiktok_shop_sandbox import Sandbox

FBT_STREAMS = ("fbt_warehouses", "fbt_inventory", "fbt_inventory_records", "fbt_inbound_orders")
STREAMS = (*FBT_STREAMS, "open_collaboration_products", "creator_outreach_records")
INCREMENTAL = ("fbt_inventory_records", "fbt_inbound_orders")
# The FBT operations each stream reads, as TikTok names them.
OPERATIONS = {
    "fbt_warehouses": "GET /fbt/202408/warehouses",
    "fbt_inventory": "POST /fbt/202408/inventory/search",
    "fbt_inventory_records": "POST /fbt/202410/inventory_records/search",
    "fbt_inbound_orders": "POST /fbt/202410/inventory_records/search",
}
ONBOARDED_REGIONS = "/fbt/202409/merchants/onboarded_regions"
INBOUND_ORDERS = "/fbt/202602/inbound_orders"
NOT_ONBOARDED = 46003001  # the sandbox's refusal of a shop not onboarded to FBT (UNCONFIRMED, docs/sandbox.md)


def catalog():
    return catalog_of(
        {name: SyncMode.incremental if name in INCREMENTAL else SyncMode.full_refresh for name in STREAMS}
    )


def warnings_with(result, text: str) -> list[str]:
    return [m.log.message for m in result.output.logs if m.log.level.value == "WARN" and text in m.log.message]


@pytest.fixture(scope="module")
def world():
    with Sandbox(seed=21, shops=2, orders=60, start="2025-01-01", end="2025-03-31") as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def shops(world):
    onboarded, not_onboarded = world.shops  # US LOCAL, GB CROSS_BORDER
    assert world.records("fbt_warehouses")[onboarded["id"]] and not world.records("fbt_warehouses")[not_onboarded["id"]]
    return onboarded, not_onboarded


@pytest.fixture(scope="module")
def first_sync(world):
    config = config_for(world)
    before = int(time.time())
    result = run("read", config, catalog())
    after = int(time.time())
    assert not result.output.errors, result.output.errors
    return config, result, world.requests, (before, after)


def test_each_stream_reads_the_ground_truth_with_unique_keys(world, first_sync):
    result = first_sync[1]
    for stream in STREAMS:
        rows = result.records(stream)
        keys = [key_of(stream, row) for row in rows]
        assert rows and len(keys) == len(set(keys)), stream
        assert by_key(stream, without_snapshot_time(stream, rows)) == by_key(stream, expected_rows(world, stream))


def test_a_shop_not_onboarded_to_fbt_is_skipped_once_per_fbt_stream_without_a_refused_call(shops, first_sync):
    onboarded, not_onboarded = shops
    result, requests = first_sync[1], first_sync[2]
    for stream in FBT_STREAMS:
        (warning,) = warnings_with(result, f"Skipping stream {stream} for shop")
        assert not_onboarded["id"] in warning and OPERATIONS[stream] in warning, warning
        assert "not onboarded to Fulfilled by TikTok" in warning and ONBOARDED_REGIONS in warning, warning
        assert {row["shop_id"] for row in result.records(stream)} == {onboarded["id"]}, stream
    fbt_asked = [entry for entry in requests if entry["path"].startswith("/fbt/")]
    # Asked once per shop for every FBT stream; the other FBT operations only for the onboarded shop, never refused.
    asked_regions = [entry["shop_cipher"] for entry in fbt_asked if entry["path"] == ONBOARDED_REGIONS]
    assert sorted(asked_regions) == sorted([onboarded["cipher"], not_onboarded["cipher"]])
    others = [entry for entry in fbt_asked if entry["path"] != ONBOARDED_REGIONS]
    assert others and {entry["shop_cipher"] for entry in others} == {onboarded["cipher"]}
    assert not [entry for entry in requests if entry["code"] != 0]


def test_a_refusal_for_not_being_onboarded_skips_the_shop_where_the_connector_did_not_ask_first(monkeypatch, shops):
    """Without the onboarded-regions check, TikTok's refusal (46003001, the sandbox's code) skips the shop with one
    warning naming it, the endpoint and the code; the onboarded shop is read."""
    onboarded, not_onboarded = shops
    unchecked = dataclasses.replace(source.STREAMS_BY_NAME["fbt_warehouses"], enrolment=None)
    monkeypatch.setitem(source.STREAMS_BY_NAME, "fbt_warehouses", unchecked)
    with Sandbox(seed=21, shops=2, orders=60, start="2025-01-01", end="2025-03-31") as sandbox:
        result = run("read", config_for(sandbox), catalog_of({"fbt_warehouses": SyncMode.full_refresh}))
        refused = [entry for entry in sandbox.requests if entry["code"] == NOT_ONBOARDED]
        expected = by_key("fbt_warehouses", expected_rows(sandbox, "fbt_warehouses"))
    assert not result.output.errors, result.output.errors
    assert [entry["shop_cipher"] for entry in refused] == [not_onboarded["cipher"]]
    (warning,) = warnings_with(result, "Skipping stream fbt_warehouses")
    assert not_onboarded["id"] in warning and OPERATIONS["fbt_warehouses"] in warning and "46003001" in warning
    rows = [{k: v for k, v in row.items() if k != "snapshot_time"} for row in result.records("fbt_warehouses")]
    assert by_key("fbt_warehouses", rows) == expected


def test_snapshot_rows_say_when_their_shop_was_read(first_sync):
    result, (before, after) = first_sync[1], first_sync[3]
    for stream in (name for name in SNAPSHOTS if name in STREAMS):  # the snapshots this module reads
        rows = result.records(stream)
        times: dict[str, set[int]] = {}
        for row in rows:
            times.setdefault(row["shop_id"], set()).add(row["snapshot_time"])
        assert rows and all(len(taken) == 1 for taken in times.values()), (stream, times)
        assert all(before <= taken <= after for (taken,) in times.values()), (stream, times, before, after)


def test_inbound_orders_are_asked_in_batches_each_once_with_their_cartons(first_sync):
    result, requests = first_sync[1], first_sync[2]
    calls = [entry["query"] for entry in requests if entry["path"] == INBOUND_ORDERS]
    asked = [order_id for query in calls for order_id in query["order_ids"].split(",")]
    assert calls and all(query["include_carton_details"] == "true" for query in calls)
    assert all(len(query["order_ids"].split(",")) <= 50 for query in calls)
    # The fewest calls: 50 ids each but the last of each shop's window.
    named = Counter(row["shop_id"] for row in result.records("fbt_inbound_orders"))
    assert len(calls) == sum(-(-count // 50) for count in named.values())
    assert len(asked) == len(set(asked)) == len(result.records("fbt_inbound_orders"))
    assert all(row["carton_details"] for row in result.records("fbt_inbound_orders"))


def test_creator_outreach_is_read_page_by_page_to_its_total(world, first_sync):
    """Paged by `page_index` up to `data.data.total`: one page of 50 here per shop, none beyond the last."""
    requests = first_sync[2]
    pages = [entry for entry in requests if entry["path"].endswith("/creator_outreach/records/query")]
    for shop in world.shops:
        asked = sorted(entry["body"]["page_index"] for entry in pages if entry["shop_cipher"] == shop["cipher"])
        total = len(world.records("creator_outreach_records")[shop["id"]])
        assert asked == list(range(1, -(-total // 50) + 1)), (shop["id"], asked, total)


@pytest.fixture(scope="module")
def second_sync(world, first_sync):
    config, first = first_sync[0], first_sync[1]
    world.clear_requests()
    second = run("read", first.config_after(config), catalog(), first.state)
    assert not second.output.errors, second.output.errors
    return second


def test_a_second_sync_reads_only_the_records_and_inbound_orders_of_its_window(world, shops, first_sync, second_sync):
    first = first_sync[1]
    onboarded = shops[0]["id"]
    for stream in INCREMENTAL:
        field, lookback_minutes = CURSORS[stream]
        since = first.state_of(stream)[onboarded][field] - 60 * lookback_minutes
        rows = second_sync.records(stream)
        assert len(rows) < len(first.records(stream)), stream
        assert all(row[field] >= since for row in rows), stream
    since = first.state_of("fbt_inventory_records")[onboarded]["create_time"] - 60 * CURSORS["fbt_inventory_records"][1]
    records = [row for row in expected_rows(world, "fbt_inventory_records") if row["create_time"] >= since]
    assert by_key("fbt_inventory_records", second_sync.records("fbt_inventory_records")) == by_key(
        "fbt_inventory_records", records
    )
    since = (
        first.state_of("fbt_inbound_orders")[onboarded]["record_create_time"] - 60 * CURSORS["fbt_inbound_orders"][1]
    )
    assert by_key("fbt_inbound_orders", second_sync.records("fbt_inbound_orders")) == by_key(
        "fbt_inbound_orders", list(inbound_orders_named(world, since))
    )


def test_a_sync_from_an_earlier_state_reads_the_inbound_orders_the_records_since_then_name(world, shops):
    """From a state half way through the records: the inbound orders named by the records since then (less the
    lookback), each with the time of the first of them, and none named only before."""
    onboarded = shops[0]["id"]
    times = sorted(row["create_time"] for row in world.records("fbt_inventory_records")[onboarded])
    middle = times[len(times) // 2]
    state = StateBuilder().with_stream_state("fbt_inbound_orders", {onboarded: {"record_create_time": middle}})
    result = run("read", config_for(world), catalog_of({"fbt_inbound_orders": SyncMode.incremental}), state.build())
    assert not result.output.errors, result.output.errors
    expected = by_key(
        "fbt_inbound_orders", list(inbound_orders_named(world, middle - 60 * CURSORS["fbt_inbound_orders"][1]))
    )
    assert expected and len(expected) < len(list(inbound_orders_named(world)))
    assert by_key("fbt_inbound_orders", result.records("fbt_inbound_orders")) == expected
    assert result.state_of("fbt_inbound_orders")[onboarded]["record_create_time"] == times[-1]
