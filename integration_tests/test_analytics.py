"""The analytics streams against the sandbox: the identities on what the connector read (a day's GMV, orders and
items from the orders it read; product and SKU rows adding up to the shop's day; videos and LIVEs to its video and
LIVE GMV), one request per day up to `latest_available_date`, the move past days TikTok no longer keeps,
incremental resume over the lookback, the currency, and the missing-scope skip."""

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

import pytest
from airbyte_cdk.models import SyncMode

from integration_tests.harness import Run, catalog_of, config_for, run
from integration_tests.truth import by_key, expected_rows
from tiktok_shop_sandbox import Sandbox
from tiktok_shop_sandbox.data.analytics import UTC_OFFSET_HOURS, analytics_of, iso

PATHS = {  # the endpoint each stream reads, as the sandbox logs it
    "shop_performance": "/analytics/202609/shop/performance",
    "shop_product_performance": "/analytics/202605/shop_products/performance",
    "shop_sku_performance": "/analytics/202509/shop_skus/performance",
    "shop_video_performance": "/analytics/202605/shop_videos/performance",
    "shop_live_performance": "/analytics/202609/shop_lives/performance",
}
# The daily lists of TikTok's analytics (the other streams read by day: test_performance.py).
ANALYTICS = list(PATHS)
TOO_OLD = 66007004
LOOKBACK_DAYS = 7


def amount(money: dict[str, str]) -> Decimal:
    return Decimal(money["amount"])


def by_shop_and_day(rows: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[(row["shop_id"], row["date"])].append(row)
    return grouped


def requests_of(sandbox: Sandbox, stream: str) -> list[dict[str, Any]]:
    return [entry for entry in sandbox.requests if entry["path"] == PATHS[stream]]


class Synced(NamedTuple):
    sandbox: Sandbox
    config: dict[str, Any]
    result: Run
    log: list[dict[str, Any]]  # the requests the sandbox served


@pytest.fixture(scope="module")
def first_sync():
    """Orders and the analytics streams, from the harness's start date: two years before the data TikTok keeps."""
    with Sandbox(seed=31, shops=2, orders=400) as sandbox:
        config = config_for(sandbox)
        result = run("read", config, catalog_of({name: SyncMode.incremental for name in ["orders", *ANALYTICS]}))
        assert not result.output.errors, result.output.errors
        yield Synced(sandbox, config, result, list(sandbox.requests))


def test_every_analytics_stream_reads_every_day_kept_exactly(first_sync):
    sandbox, _, result, _ = first_sync
    for stream in ANALYTICS:
        rows = result.records(stream)
        assert rows, stream
        assert by_key(stream, rows) == by_key(stream, expected_rows(sandbox, stream)), stream


def test_a_days_gmv_orders_and_items_are_those_of_the_orders_paid_that_day_in_the_shops_timezone(first_sync):
    sandbox, _, result, _ = first_sync
    region = {str(shop["id"]): shop["region"] for shop in sandbox.shops}
    paid = defaultdict(list)
    for order in result.records("orders"):
        if order.get("paid_time"):
            offset = timedelta(hours=UTC_OFFSET_HOURS[region[order["shop_id"]]])
            day = (datetime.fromtimestamp(order["paid_time"], tz=UTC) + offset).date().isoformat()
            paid[(order["shop_id"], day)].append(order)
    days = result.records("shop_performance")
    assert sum(row["sales"]["orders_count"] for row in days) > 100
    for row in days:
        orders, sales = paid[(row["shop_id"], row["date"])], row["sales"]
        assert sales["orders_count"] == len(orders), row["date"]
        assert amount(sales["gmv"]) == sum(Decimal(order["payment"]["sub_total"]) for order in orders), row["date"]
        assert sales["items_sold"] == sum(len(order["line_items"]) for order in orders), row["date"]


def test_product_sku_video_and_live_rows_add_up_to_the_shops_day(first_sync):
    result = first_sync.result
    shop_days = {(row["shop_id"], row["date"]): row["sales"] for row in result.records("shop_performance")}
    grouped = {stream: by_shop_and_day(result.records(stream)) for stream in ANALYTICS}
    sold = 0
    for key, sales in shop_days.items():
        products = [row["total_performance"] for row in grouped["shop_product_performance"].get(key, [])]
        skus = grouped["shop_sku_performance"].get(key, [])
        videos = grouped["shop_video_performance"].get(key, [])
        lives = grouped["shop_live_performance"].get(key, [])
        assert sum(amount(product["gmv"]) for product in products) == amount(sales["gmv"]), key
        assert sum(product["items_sold"] for product in products) == sales["items_sold"], key
        assert sum(product["sku_orders"] for product in products) == sales["sku_orders_count"], key
        assert sum(amount(sku["gmv"]) for sku in skus) == amount(sales["gmv"]), key
        assert sum(sku["units_sold"] for sku in skus) == sales["items_sold"], key
        assert sum(amount(video["gmv"]) for video in videos) == amount(sales["video_gmv"]), key
        # Only the official accounts' sessions are read (docs/tiktok-shop.md): the seller's LIVE GMV holds its
        # marketing accounts' too, the shop's LIVE GMV the affiliate creators' as well.
        official = sum(amount(live["sales_performance"]["live_gmv"]) for live in lives)
        assert official <= amount(sales["seller_live_gmv"]) <= amount(sales["live_gmv"]), key
        sold += bool(videos and amount(sales["video_gmv"])) + bool(official)
    assert sold > 5, "too few days with video or LIVE sales for these sums to mean anything"


def test_each_day_is_one_request_and_none_is_read_past_the_latest_available_day(first_sync):
    sandbox, log = first_sync.sandbox, first_sync.log
    latest = {shop.id: shop_latest(sandbox, shop.id) for shop in sandbox.world.shops}
    cipher = {shop["cipher"]: str(shop["id"]) for shop in sandbox.shops}
    for stream in ANALYTICS:
        asked = [entry for entry in log if entry["path"] == PATHS[stream]]
        firsts = [entry for entry in asked if entry["code"] == 0 and not entry["query"].get("page_token")]
        assert all(entry["query"]["end_date_lt"] == next_day(entry["query"]["start_date_ge"]) for entry in asked)
        per_day = Counter((entry["shop_cipher"], entry["query"]["start_date_ge"]) for entry in firsts)
        assert max(per_day.values()) == 1, f"{stream}: a day was asked twice"
        past = Counter(cipher[c] for c, day in per_day if day > latest[cipher[c]])
        # Only the one day that told the latest day, while looking for the oldest day kept, may be past it.
        assert all(count <= 1 for count in past.values()), (stream, past)


def test_days_no_longer_kept_move_the_read_to_the_oldest_kept_in_few_requests_with_one_warning(first_sync):
    sandbox, _, result, log = first_sync
    for stream in ANALYTICS:
        refused = Counter(
            entry["shop_cipher"] for entry in log if entry["path"] == PATHS[stream] and entry["code"] == TOO_OLD
        )
        # The first day, from 2023-07-01, then a binary search over the 1,250 days to today.
        assert set(refused) == {shop["cipher"] for shop in sandbox.shops} and max(refused.values()) <= 1 + 11, stream
        warnings = [m for m in result.messages if f"{stream}, shop" in m and "no longer keeps analytics" in m]
        assert len(warnings) == len(sandbox.shops), stream


def test_a_second_sync_reads_again_only_the_lookback(first_sync):
    sandbox, config, first, _ = first_sync
    sandbox.clear_requests()
    second = run(
        "read", first.config_after(config), catalog_of({name: SyncMode.incremental for name in ANALYTICS}), first.state
    )
    assert not second.output.errors, second.output.errors
    for stream in ANALYTICS:
        state = first.state_of(stream)
        assert state == second.state_of(stream), stream
        for shop_id, saved in state.items():
            cipher = next(shop["cipher"] for shop in sandbox.shops if str(shop["id"]) == shop_id)
            asked = sorted(
                {
                    entry["query"]["start_date_ge"]
                    for entry in requests_of(sandbox, stream)
                    if entry["shop_cipher"] == cipher
                }
            )
            restart = (date.fromisoformat(saved["date"]) - timedelta(days=LOOKBACK_DAYS)).isoformat()
            assert asked == [next_day(restart, n) for n in range(LOOKBACK_DAYS + 1)], (stream, shop_id)
        again = by_key(stream, second.records(stream))
        assert again.items() <= by_key(stream, first.records(stream)).items(), stream


def test_the_analytics_currency_is_asked_for_and_served(first_sync):
    sandbox = first_sync.sandbox
    config = {**config_for(sandbox), "analytics_currency": "USD", "shop_ids": [str(sandbox.shops[1]["id"])]}
    sandbox.clear_requests()
    result = run("read", config, catalog_of({"shop_sku_performance": SyncMode.incremental}))
    assert not result.output.errors
    asked = requests_of(sandbox, "shop_sku_performance")
    assert asked and {entry["query"].get("currency") for entry in asked} == {"USD"}
    rows = result.records("shop_sku_performance")
    assert sandbox.shops[1]["region"] == "GB" and rows and {row["gmv"]["currency"] for row in rows} == {"USD"}


def test_a_missing_analytics_scope_skips_the_five_streams_with_one_warning_each():
    with Sandbox(seed=32, shops=2, orders=40, start="2025-05-01", end="2025-05-31") as sandbox:
        sandbox.revoke_scope("data.shop_analytics.public.read")
        result = run(
            "read", config_for(sandbox), catalog_of({name: SyncMode.incremental for name in ["orders", *ANALYTICS]})
        )
        assert not result.output.errors, result.output.errors
        assert by_key("orders", result.records("orders")) == by_key("orders", expected_rows(sandbox, "orders"))
        for stream in ANALYTICS:
            assert not result.records(stream)
            warnings = [m for m in result.messages if f"Skipping stream {stream}:" in m]
            assert len(warnings) == 1 and "data.shop_analytics.public.read" in warnings[0], stream


def shop_latest(sandbox: Sandbox, shop_id: str) -> str:
    return iso(analytics_of(sandbox.world.shop_by_id[shop_id]).latest)


def next_day(day: str, days: int = 1) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()
