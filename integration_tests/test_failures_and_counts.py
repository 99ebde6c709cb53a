"""One failure, one report, and counted, not assumed (issue #21): an endpoint failing for good among every stream of
several shops; `total_count`s that say more than the pages hold."""

import re
import threading
import time

import pytest
from airbyte_cdk.models import AirbyteStreamStatus, SyncMode
from airbyte_cdk.sources.streams.http import rate_limiting

from integration_tests.harness import STREAM_NAMES, catalog_of, config_for, every_stream, run
from integration_tests.test_reliability import BackoffClock
from integration_tests.truth import by_key, expected_rows, key_of, without_snapshot_time
from source_tiktok_shop.tiktok.errors import MAX_RETRIES
from tiktok_shop_sandbox import Sandbox

WORLD = {"shops": 3, "orders": 60, "start": "2025-01-01", "end": "2025-02-15"}
# The streams built on Get Statements, and the one on Get Payments.
ON_STATEMENTS = ("statements", "statement_transactions", "order_settlements")
# The CDK's error at the end of a sync some streams of which failed, as this connector words it.
SYNC_END = "Not everything was read."


def rows_of(sandbox, stream, shops):
    return by_key(stream, [row for row in expected_rows(sandbox, stream) if row.get("shop_id") in shops])


@pytest.fixture
def no_backoff_waits(monkeypatch):
    """The retries' waits added up instead of slept: a permanent failure is retried in full, in no time."""
    clock = BackoffClock()
    monkeypatch.setattr(rate_limiting, "time", clock)
    return clock


def test_an_endpoint_failing_for_good_is_reported_once_per_shop_and_the_rest_is_read_in_full(no_backoff_waits):
    with Sandbox(seed=41, **WORLD) as sandbox:
        first, second, third = (shop["id"] for shop in sandbox.shops)
        sandbox.fail_always("/statements", shop_id=first)  # three streams read it
        sandbox.fail_always("/payments", shop_id=second)
        result = run("read", config_for(sandbox), every_stream())
        failed_calls = [entry for entry in sandbox.requests if entry["status"] == 500]
        ended = {(stream, first) for stream in ON_STATEMENTS} | {("payments", second)}
        for stream in STREAM_NAMES:
            failed_shops = {shop for name, shop in ended if name == stream}
            read = {first, second, third} - failed_shops
            rows = without_snapshot_time(stream, result.records(stream))
            keys = [key_of(stream, row) for row in rows]
            assert len(keys) == len(set(keys)), f"{stream}: duplicated records"
            assert by_key(stream, rows) == rows_of(sandbox, stream, read), f"{stream}: records lost or changed"
            if failed_shops:  # the state of the shops read, none of the shop that failed
                assert set(result.state_of(stream)) == {row["shop_id"] for row in rows}, stream
    *errors, end = result.output.errors
    cause = "TikTok reported an internal error (HTTP 500, code 36009003"
    statements = f"GET /finance/202309/statements failed for shop {first} (US): {cause}"
    payments = f"GET /finance/202605/payments failed for shop {second} "
    assert len(errors) == 2, [error.trace.error.message for error in errors]
    by_stream = {error.trace.error.stream_descriptor.name: error.trace.error.message for error in errors}
    assert set(by_stream) in ({"payments", stream} for stream in ON_STATEMENTS)
    assert by_stream["payments"].startswith(payments) and cause in by_stream["payments"]
    (on_statements,) = (message for stream, message in by_stream.items() if stream != "payments")
    assert on_statements.startswith(statements), on_statements
    # The end names each stream that failed, with the error (its shop and cause) it failed with.
    message = end.trace.error.message
    assert message.startswith(SYNC_END), message
    assert f"{', '.join(sorted(ON_STATEMENTS))}: {on_statements}" in _sorted_streams(message)
    assert f"payments: {by_stream['payments']}" in message
    assert result.exit_code == 1
    assert not [line for line in result.logs if "Traceback" in line], "a log line with a traceback"
    for stream, _ in ended:
        assert result.output.get_stream_statuses(stream)[-1] == AirbyteStreamStatus.INCOMPLETE
    # Each endpoint was asked once and retried for its shop; then no more: the other streams failed at once.
    assert len(failed_calls) == 2 * (1 + MAX_RETRIES), len(failed_calls)


def _sorted_streams(message: str) -> str:
    """The end's message with each list of streams sorted (the order streams fail in is the threads')."""
    return re.sub(
        r"((?:[a-z_]+, )+[a-z_]+):", lambda match: ", ".join(sorted(match.group(1).split(", "))) + ":", message
    )


COUNTED = "Counted: {stream}, shop {shop}: {read} orders read, of the {total} TikTok's first pages counted."
ORDERS = catalog_of({"orders": SyncMode.incremental, "order_line_items": SyncMode.incremental})


@pytest.mark.parametrize("orders", [60, 3000], ids=["one query", "in parts cut while read"])
def test_a_total_count_that_says_more_than_the_pages_hold_is_a_warning_with_both_figures(orders):
    with Sandbox(seed=42, shops=2, orders=orders, start="2025-01-01", end="2025-02-15") as sandbox:
        lying, honest = (shop["id"] for shop in sandbox.shops)
        sandbox.overstate_total_count(5, path_contains="/orders/search", shop_id=lying)
        result = run("read", {**config_for(sandbox), "num_workers": 4}, ORDERS)
        held = {shop: len(records) for shop, records in sandbox.records("orders").items()}
        for stream in ("orders", "order_line_items"):
            assert by_key(stream, result.records(stream)) == rows_of(sandbox, stream, {lying, honest})
    if orders > 60:
        assert any(" parts, " in line for line in result.logs), "the window was not read in parts"
    shortfalls = [line for line in result.logs if line.startswith("Shortfall")]
    assert sorted(shortfalls) == [
        f"Shortfall: {stream}, shop {lying}: {held[lying]} orders read from 2023-07-01T00:00:00Z to "
        f"{_window_end(result.logs)}, but TikTok's first page counted {held[lying] + 5} and it counts "
        f"{held[lying] + 5} now: 5 not read. TikTok's pages do not hold what its `total_count` says; if this "
        "repeats, tell TikTok's support, and read the stream again from `start_date` once they have fixed it."
        for stream in ("order_line_items", "orders")
    ]
    for stream in ("orders", "order_line_items"):
        assert COUNTED.format(stream=stream, shop=lying, read=held[lying], total=held[lying] + 5) in result.logs
        assert COUNTED.format(stream=stream, shop=honest, read=held[honest], total=held[honest]) in result.logs
    assert not result.output.errors


def _window_end(logs: list[str]) -> str:
    (end,) = {match.group(1) for line in logs if (match := re.search(r"reading update_time from \S+ to (\S+)\.", line))}
    return end


def test_a_clean_read_has_no_shortfall_and_logs_each_shops_counts():
    with Sandbox(seed=43, **WORLD) as sandbox:
        result = run("read", config_for(sandbox), ORDERS)
        held = {shop: len(records) for shop, records in sandbox.records("orders").items()}
    assert not [line for line in result.logs if "Shortfall" in line]
    counted = [line for line in result.logs if line.startswith("Counted: ")]
    assert sorted(counted) == sorted(
        COUNTED.format(stream=stream, shop=shop, read=count, total=count)
        for stream in ("orders", "order_line_items")
        for shop, count in held.items()
    )


SCOPED = ["orders", "order_line_items"]  # under `seller.order.info`, read from the same pages
UNSCOPED = ["returns", "packages", "products", "warehouses"]


def revoke_when_read(sandbox, scope: str, path: str, pages: int) -> threading.Thread:
    """Takes `scope` back once `pages` pages of `path` were served: during the sync."""

    def watch() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if sum(path in entry["path"] and entry["code"] == 0 for entry in sandbox.requests) >= pages:
                sandbox.revoke_scope(scope)
                return
            time.sleep(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    return watcher


def test_a_scope_revoked_during_the_sync_fails_its_streams_once_per_shop_and_their_state_keeps_what_was_not_read():
    with Sandbox(seed=44, shops=2, orders=3000, start="2025-01-01", end="2025-02-15", latency_ms=5) as sandbox:
        shops = {shop["id"] for shop in sandbox.shops}
        watcher = revoke_when_read(sandbox, "seller.order.info", "/orders/search", pages=6)
        catalog = catalog_of({name: SyncMode.incremental if name != "warehouses" else SyncMode.full_refresh
                              for name in SCOPED + UNSCOPED})  # fmt: skip
        result = run("read", {**config_for(sandbox), "num_workers": 4}, catalog)
        watcher.join()
        for stream in UNSCOPED:
            assert by_key(stream, without_snapshot_time(stream, result.records(stream))) == rows_of(
                sandbox, stream, shops
            ), stream
        truth = {stream: rows_of(sandbox, stream, shops) for stream in SCOPED}
    for stream in SCOPED:
        read = by_key(stream, result.records(stream))
        assert all(truth[stream][key] == row for key, row in read.items()), f"{stream}: records changed"
        # What was not read is after the state of its shop: the next sync reads it.
        state = result.state_of(stream)
        for key, row in truth[stream].items():
            saved = state.get(row["shop_id"], {}).get("update_time")
            assert key in read or saved is None or row["update_time"] >= saved, f"{stream}: {key} skipped by the state"
    *errors, end = result.output.errors
    messages = [error.trace.error.message for error in errors]
    assert 1 <= len(messages) <= len(shops) and len(set(messages)) == len(messages), messages
    failed = set()
    for message in messages:
        shop = re.search(r"failed for shop (\d+) ", message)
        assert shop and shop.group(1) in shops, message
        assert "TikTok stopped granting scope `seller.order.info` during the sync" in message, message
        failed.add(shop.group(1))
    assert end.trace.error.message.startswith(SYNC_END) and all(
        message in end.trace.error.message for message in messages
    )
    for stream in SCOPED:  # the shops not failed were read in full
        for shop in shops - failed:
            assert {key for key, row in truth[stream].items() if row["shop_id"] == shop} <= set(
                by_key(stream, result.records(stream))
            ), stream
