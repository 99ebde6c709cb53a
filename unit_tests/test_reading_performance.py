"""Reading the performance streams of issue #20 on a fake TikTok: a stream filtered client side keeps only the records
past its saved value, a date in the path is the day asked, the latest day comes from `latest_available_timestamp`,
and a day's parameters may have other names (customer service's `support_date_ge`, `support_date_lt`)."""

import json
from collections.abc import Generator
from dataclasses import replace

import pytest

from source_tiktok_shop.catalog import STREAMS_BY_NAME
from source_tiktok_shop.reading.windows import SyncBounds, latest_day_at, past_saved
from source_tiktok_shop.tiktok.endpoints import DAY_SECONDS, ENDPOINTS, Query, Window, build_request
from source_tiktok_shop.tiktok.envelope import Page
from source_tiktok_shop.tiktok.rate import Settled
from unit_tests.test_reading import BOUNDS, DAYS_BOUNDS, JAN_1, FakeTikTok, Sync, day, days_asked


@pytest.mark.parametrize(
    "saved, lookback, expected",
    [
        (None, None, Window(1_000, 100_000)),
        (50_000, None, Window(50_001, 100_000)),
        (50_000, 10, Window(50_000 - 600 + 1, 100_000)),
        (1_000, None, Window(1_001, 100_000)),
        (500, 60, Window(1_000, 100_000)),
        (200_000, None, Window(200_001, 200_001)),
    ],
    ids=[
        "no state: from start_date",
        "state: only what is past it",
        "a lookback: past the saved value less it",
        "the saved value at start_date: past it",
        "never before start_date",
        "future state: nothing",
    ],
)
def test_given_a_saved_value_then_a_client_side_window_keeps_what_is_past_it(saved, lookback, expected):
    assert past_saved(replace(BOUNDS, lookback_minutes=lookback), saved, 0) == expected


@pytest.mark.parametrize(
    "timestamp, expected",
    [
        (JAN_1, JAN_1),  # 14:00 in the easternmost timezone
        (JAN_1 + 10 * 3_600 - 1, JAN_1),  # 23:59:59 there
        (JAN_1 + 10 * 3_600, JAN_1 + DAY_SECONDS),  # midnight there: its day after
    ],
)
def test_the_latest_day_at_a_time_is_the_date_in_the_easternmost_timezone(timestamp, expected):
    assert latest_day_at(timestamp) == expected


def test_customer_service_asks_its_day_in_its_own_parameters():
    request = build_request(
        ENDPOINTS["customer_service_performance"], "C", Window(JAN_1, JAN_1 + DAY_SECONDS)
    )  # fmt: skip
    assert request.path == "/customer_service/202407/performance"
    assert dict(request.params) == {"shop_cipher": "C", "support_date_ge": day(1), "support_date_lt": day(2)}


def metrics_api(times: list[int]) -> FakeTikTok:
    metrics = [{"metric_code": code, "end_evaluation_time": time} for time in times for code in ("SFCR", "OTDR")]
    return FakeTikTok({"shop_performance_score_metrics": {"1": metrics, "2": metrics}})


def test_given_no_state_then_every_record_of_a_client_side_stream_is_a_row_and_the_cursor_reaches_the_latest():
    api = metrics_api([5_000, 6_000])
    rows, cursor = Sync(api).read(STREAMS_BY_NAME["shop_performance_score_metrics"])
    assert sorted((row["shop_id"], row["end_evaluation_time"]) for row in rows) == sorted(
        [(shop, time) for shop in "12" for time in (5_000, 6_000) for _ in range(2)]
    )
    assert cursor.state == {"1": {"end_evaluation_time": 6_000}, "2": {"end_evaluation_time": 6_000}}


def test_given_a_state_then_a_client_side_stream_emits_only_records_past_it_and_none_given_again():
    state = {
        "shop_performance_score_metrics": {"1": {"end_evaluation_time": 5_000}, "2": {"end_evaluation_time": 6_000}}
    }
    api = metrics_api([5_000, 6_000])
    rows, cursor = Sync(api, state=state).read(STREAMS_BY_NAME["shop_performance_score_metrics"])
    assert sorted((row["shop_id"], row["metric_code"]) for row in rows) == [("1", "OTDR"), ("1", "SFCR")]
    assert {row["end_evaluation_time"] for row in rows} == {6_000}
    assert cursor.state == {"1": {"end_evaluation_time": 6_000}, "2": {"end_evaluation_time": 6_000}}


class HourlyTikTok:
    """Get Shop Performance Per Hour: two hours a day up to `latest` (a Unix time), none after, the date in the path."""

    def __init__(self, latest: int):
        self.latest = latest
        self.asked: list[Query] = []

    def pages(self, query: Query, page_token: str | None = None) -> Generator[Page, None, None]:
        self.asked.append(query)
        date = query.path_params["date"]
        hours = [{"index": h, "orders_count": 1} for h in (0, 1)] if date <= day_of_latest(self.latest) else []
        data = {"performance": {"intervals": hours, "latest_available_timestamp": self.latest}}
        yield Page.parse(json.dumps({"code": 0, "data": data}).encode(), query.endpoint.records_key)

    def call(self, query: Query) -> Page:
        raise AssertionError("not a single call")

    def settled(self, query: Query) -> Settled:
        return Settled(10.0, 0, 0)

    def parallelism(self, query: Query) -> int:
        return 1


def day_of_latest(latest: int) -> str:
    return day(1 + (latest - JAN_1) // DAY_SECONDS)


def test_given_the_hours_then_each_day_goes_in_the_path_and_the_read_stops_at_the_latest_available_timestamp():
    api = HourlyTikTok(latest=JAN_1 + 9 * DAY_SECONDS + 3_600)  # day 10, 01:00 UTC
    bounds = SyncBounds(start=JAN_1 + 6 * DAY_SECONDS, end=DAYS_BOUNDS.end)  # from day 7 to day 30
    rows, cursor = Sync(api, bounds=bounds).read(STREAMS_BY_NAME["shop_hourly_performance"])
    asked = [(query.shop.id, query.path_params["date"]) for query in api.asked]
    assert asked == [(shop, day(n)) for shop in "12" for n in (7, 8, 9, 10)]
    assert all(
        query.request().path.endswith(f"/{query.path_params['date']}/performance_per_hour") for query in api.asked
    )
    assert all(query.params == {"currency": "LOCAL"} for query in api.asked)
    assert sorted({(row["shop_id"], row["date"], row["index"]) for row in rows}) == [
        (shop, day(n), h) for shop in "12" for n in (7, 8, 9, 10) for h in (0, 1)
    ]
    assert cursor.state == {"1": {"date": day(10)}, "2": {"date": day(10)}}


def test_given_customer_service_then_days_before_its_first_figures_are_read_and_the_first_day_after_without_ends_it():
    chats = [{"support_session_count": 4, "day": day(n)} for n in (3, 4, 5)]
    api = FakeTikTok({"customer_service_performance": {"1": chats, "2": []}})
    rows, cursor = Sync(api, bounds=DAYS_BOUNDS).read(STREAMS_BY_NAME["customer_service_performance"])
    assert days_asked(api, "1") == [day(n) for n in range(1, 7)]  # day 6: no figures yet, the latest is day 5
    assert days_asked(api, "2") == [day(n) for n in range(1, 31)]  # never any figures: every day up to the end
    assert sorted(row["date"] for row in rows) == [day(3), day(4), day(5)]
    assert cursor.state == {"1": {"date": day(5)}, "2": {"date": day(30)}}
