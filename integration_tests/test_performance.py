"""The streams read by day or per shop beyond the daily analytics lists (issue #20): customer service by day, the Shop
Performance Score and its metrics, hourly performance and the LIVE overview. Against the sandbox: rows equal to its
ground truth with unique keys, the requests TikTok's notes ask for (one day per request, the hourly date in the path),
a second sync reading less, and a shop of the market without the score skipped with one warning per stream."""

from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

import pytest
from airbyte_cdk.models import SyncMode

from integration_tests.harness import Run, catalog_of, config_for, run
from integration_tests.truth import CURSORS, by_key, expected_rows, key_of
from tiktok_shop_sandbox import Sandbox

PATHS = {  # the endpoint each stream reads, as the sandbox logs it (the hourly one: before its date)
    "customer_service_performance": "/customer_service/202407/performance",
    "shop_performance_score": "/analytics/202606/shop_performances/overview",
    "shop_performance_score_metrics": "/analytics/202606/shop_performances/metrics",
    "shop_hourly_performance": "/analytics/202510/shop/performance/",
    "live_overview_performance": "/analytics/202609/shop_lives/overview_performance",
}
STREAMS = list(PATHS)
BY_DAY = ["customer_service_performance", "shop_hourly_performance", "live_overview_performance"]
SCORE = ["shop_performance_score", "shop_performance_score_metrics"]
NOT_IN_MARKET = 22005010  # the sandbox's refusal of the score in the market without it (docs/sandbox.md)


class Synced(NamedTuple):
    sandbox: Sandbox
    config: dict[str, Any]
    result: Run
    log: list[dict[str, Any]]  # the requests the sandbox served


def requests_of(log: list[dict[str, Any]], stream: str) -> list[dict[str, Any]]:
    return [entry for entry in log if entry["path"].startswith(PATHS[stream])]


def asked_day(stream: str, entry: dict[str, Any]) -> str:
    """The day a request asked for: in the query, or in the path for the hours."""
    if stream == "shop_hourly_performance":
        return entry["path"].split("/")[5]
    first = "support_date_ge" if stream == "customer_service_performance" else "start_date_ge"
    return entry["query"][first]


@pytest.fixture(scope="module")
def first_sync():
    """The five streams of a US, a GB and an ID shop, from the harness's start date (older than TikTok keeps)."""
    with Sandbox(seed=41, shops=3, orders=60) as sandbox:
        config = config_for(sandbox)
        result = run("read", config, catalog_of({name: SyncMode.incremental for name in STREAMS}))
        assert not result.output.errors, result.error_messages
        yield Synced(sandbox, config, result, list(sandbox.requests))


@pytest.fixture(scope="module")
def second_sync(first_sync):
    sandbox, config, first, _ = first_sync
    sandbox.clear_requests()
    second = run(
        "read", first.config_after(config), catalog_of({name: SyncMode.incremental for name in STREAMS}), first.state
    )
    assert not second.output.errors, second.error_messages
    return second, list(sandbox.requests)


@pytest.mark.parametrize("stream", STREAMS)
def test_each_stream_equals_the_ground_truth_with_unique_keys(first_sync, stream):
    rows = first_sync.result.records(stream)
    keys = [key_of(stream, row) for row in rows]
    assert rows and len(keys) == len(set(keys)), stream
    assert by_key(stream, rows) == by_key(stream, expected_rows(first_sync.sandbox, stream))


def test_the_score_skips_the_shop_of_a_market_without_it_with_one_warning_and_the_sync_succeeds(first_sync):
    sandbox, _, result, log = first_sync
    (shop,) = [shop for shop in sandbox.shops if shop["region"] == "ID"]
    for stream in SCORE:
        refused = [entry for entry in requests_of(log, stream) if entry["code"] == NOT_IN_MARKET]
        assert [entry["shop_cipher"] for entry in refused] == [shop["cipher"]], stream  # asked once, not retried
        warnings = [m for m in result.messages if f"Skipping stream {stream} for shop" in m]
        assert len(warnings) == 1, (stream, warnings)
        assert shop["id"] in warnings[0] and PATHS[stream] in warnings[0] and str(NOT_IN_MARKET) in warnings[0]
        shops = {row["shop_id"] for row in result.records(stream)}
        assert shops == {s["id"] for s in sandbox.shops} - {shop["id"]}, stream
    assert result.exit_code == 0


def test_the_days_are_asked_one_per_request_and_the_hours_date_in_the_path(first_sync):
    log = first_sync.log
    for stream in BY_DAY:
        asked = [entry for entry in requests_of(log, stream) if entry["code"] == 0]
        assert asked, stream
        days = [(entry["shop_cipher"], asked_day(stream, entry)) for entry in asked]
        assert len(days) == len(set(days)), f"{stream}: a day was asked twice"
    for entry in requests_of(log, "customer_service_performance"):
        assert entry["query"]["support_date_lt"] == next_day(entry["query"]["support_date_ge"])
    for entry in requests_of(log, "live_overview_performance"):
        assert entry["query"]["end_date_lt"] == next_day(entry["query"]["start_date_ge"])
        assert entry["query"]["granularity"] == "1D" and "account_type" not in entry["query"]
    for entry in requests_of(log, "shop_hourly_performance"):
        assert entry["path"].endswith("/performance_per_hour") and entry["query"]["currency"] == "LOCAL"


def test_the_hours_are_read_to_today_and_not_past_it(first_sync):
    """TikTok gives the hours up to `latest_available_timestamp`: the read stops at the latest day anywhere then."""
    sandbox, _, result, log = first_sync
    # A UTC midnight: every shop's today, or the day after it for the shops behind UTC.
    today = datetime.fromtimestamp(sandbox.world.now_ts, tz=UTC).date().isoformat()
    for shop in sandbox.shops:
        asked = [
            asked_day("shop_hourly_performance", entry)
            for entry in requests_of(log, "shop_hourly_performance")
            if entry["shop_cipher"] == shop["cipher"]
        ]
        # Only the one day that told the latest day, while looking for the oldest day kept, may be past it.
        assert today in asked and len([day for day in asked if day > today]) <= 1, shop["region"]
    assert today in {row["date"] for row in result.records("shop_hourly_performance")}


def test_a_second_sync_reads_fewer_rows_again_only_the_lookback_and_no_unchanged_score(first_sync, second_sync):
    first = first_sync.result
    second, log = second_sync
    for stream in STREAMS:
        assert len(second.records(stream)) < len(first.records(stream)), stream
        assert second.state_of(stream) == first.state_of(stream), stream
        again = by_key(stream, second.records(stream))
        assert again.items() <= by_key(stream, first.records(stream)).items(), stream
    for stream in SCORE:  # the sandbox's score has not been refreshed since
        assert not second.records(stream), stream
    cipher = {str(shop["id"]): shop["cipher"] for shop in first_sync.sandbox.shops}
    for stream in BY_DAY:
        days = CURSORS[stream][1] // (24 * 60)
        for shop_id, saved in first.state_of(stream).items():
            asked = {
                asked_day(stream, entry)
                for entry in requests_of(log, stream)
                if entry["shop_cipher"] == cipher[shop_id]
            }
            restart = (date.fromisoformat(saved["date"]) - timedelta(days=days)).isoformat()
            assert asked == {next_day(restart, n) for n in range(len(asked))}, (stream, shop_id)


def test_a_missing_customer_service_scope_skips_its_stream_with_one_warning():
    with Sandbox(seed=42, shops=1, orders=20, start="2025-05-01", end="2025-05-31") as sandbox:
        sandbox.revoke_scope("seller.customer_service")
        result = run("read", config_for(sandbox), catalog_of({name: SyncMode.incremental for name in BY_DAY}))
        assert not result.output.errors, result.error_messages
        assert not result.records("customer_service_performance")
        warnings = [m for m in result.messages if "Skipping stream customer_service_performance:" in m]
        assert len(warnings) == 1 and "seller.customer_service" in warnings[0]
        for stream in ("shop_hourly_performance", "live_overview_performance"):
            assert by_key(stream, result.records(stream)) == by_key(stream, expected_rows(sandbox, stream)), stream


def next_day(day: str, days: int = 1) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()
