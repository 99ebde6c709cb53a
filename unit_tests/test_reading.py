"""The reading logic against an in-memory TikTok: windows, the split at the result cap, the per-shop cursor,
lookback, estimates per row shape, the missing-scope skip, shared pages, and the analytics days. No HTTP; runs in
about a second."""

import json
import logging
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from airbyte_cdk.models import FailureType, Type
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import InMemoryMessageRepository
from airbyte_cdk.sources.types import Record, StreamSlice
from airbyte_cdk.test.state_builder import StateBuilder
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_tiktok_shop.catalog import STREAMS_BY_NAME
from source_tiktok_shop.reading.cursor import PartRead, ShopCursor
from source_tiktok_shop.reading.declarations import StreamDeclaration
from source_tiktok_shop.reading.estimates import Estimates
from source_tiktok_shop.reading.parallel_windows import (
    ReaderPool,
    WindowPlan,
    cut,
    parts_for,
    readers_for,
    resumed_parts,
)
from source_tiktok_shop.reading.partitions import ShopPartitions, StreamReader
from source_tiktok_shop.reading.shared_pages import SharedPages
from source_tiktok_shop.reading.shops import ShopDirectory
from source_tiktok_shop.reading.windows import SyncBounds, day_window_for, oldest_kept, window_for
from source_tiktok_shop.tiktok.endpoints import DAY_SECONDS, Endpoint, Query, Shop, Window, day_of
from source_tiktok_shop.tiktok.envelope import Envelope, Page
from source_tiktok_shop.tiktok.errors import DateTooOld, MissingScopeError
from source_tiktok_shop.tiktok.rate import Settled

SHOPS = [Shop("1", "cipher-1", "US", {"id": "1", "name": "One"}), Shop("2", "cipher-2", "GB", {"id": "2"})]
BOUNDS = SyncBounds(start=1_000, end=100_000)


class FakeTikTok:
    """Serves each endpoint's records per shop as TikTok would: filtered by window, sorted, paged. Analytics records
    say their day in `day`; days before `kept_from` are refused as too old, and `latest_day` is the last with data."""

    def __init__(
        self,
        records: Mapping[str, Mapping[str, list[dict[str, Any]]]],
        missing_scope: frozenset = frozenset(),
        in_flight: int = 1,
        latest_day: str = "2100-01-01",
        kept_from: str = "1970-01-01",
        unlisted: Mapping[str, str] | None = None,
    ):
        self.records = records
        self.missing_scope = missing_scope
        self.in_flight = in_flight
        self.latest_day = latest_day
        self.kept_from = kept_from
        self.unlisted = unlisted or {}  # records with these values are listed only when a body filter asks for them
        self.requests: list[tuple[str, str | None, Window | None, str | None]] = []
        self.params: list[Mapping[str, str]] = []
        self.filters: list[Mapping[str, str]] = []  # the body filters of each query

    def pages(self, query: Query, page_token: str | None = None):
        endpoint, shop, window, path_params = query.endpoint, query.shop, query.window, query.path_params
        if endpoint.name in self.missing_scope:
            raise MissingScopeError("code 105005")
        key = endpoint.name if not path_params else f"{endpoint.name}/{next(iter(path_params.values()))}"
        rows = list(self.records.get(key, {}).get(shop.id if shop else "", []))
        self.params.append(query.params)
        if window is not None and endpoint.time_filter:
            field = FILTERED_FIELD.get(endpoint.time_filter, endpoint.time_filter)
            rows = [row for row in rows if window.start <= row[field] < window.end]
        if window is not None and endpoint.by_day:
            if day_of(window.start) < self.kept_from:
                self.requests.append((endpoint.name, shop.id if shop else None, window, page_token))
                raise DateTooOld(f"code 66007004: {day_of(window.start)} is older than the data kept")
            days = (day_of(window.start), day_of(window.end))
            rows = [{k: v for k, v in row.items() if k != "day"} for row in rows if days[0] <= row["day"] < days[1]]
        self.filters.append(query.filters)
        rows = [row for row in rows if all(row.get(key) == value for key, value in query.filters.items())]
        if self.unlisted and not query.filters:
            rows = [row for row in rows if any(row.get(key) != value for key, value in self.unlisted.items())]
        if endpoint.sort_field and not endpoint.by_day:
            rows.sort(key=lambda row: row.get(endpoint.sort_field, 0))
        size = endpoint.page_size or len(rows) or 1
        number = int(page_token or 0)
        while True:
            self.requests.append((endpoint.name, shop.id if shop else None, window, page_token))
            chunk = rows[number * size : (number + 1) * size]
            if endpoint.continued_across_pages:  # pages count the items and group them by record
                chunk = grouped(chunk, endpoint.continued_across_pages)
            more = (number + 1) * size < len(rows)
            data = {
                endpoint.records_key: chunk,
                "total_count": len(rows),
                "next_page_token": str(number + 1) if more else "",
                "currency": "GBP",
                "latest_available_date": self.latest_day,
            }
            yield Page.parse(json.dumps({"code": 0, "message": "success", "data": data}).encode(), endpoint.records_key)
            if not more:
                return
            number += 1
            page_token = str(number)

    def settled(self, query: Query) -> Settled:
        return Settled(10.0, 0, 0)

    def parallelism(self, query: Query) -> int:
        return self.in_flight

    def call(self, query: Query) -> Page:
        self.requests.append((query.endpoint.name, query.shop.id, None, None))
        if query.endpoint.records_key:  # an answer with records, like Get Transactions by Order
            (key,) = query.path_params.values()
            data = self.records[f"{query.endpoint.name}/{key}"][query.shop.id][0]
            return Page.parse(json.dumps({"code": 0, "data": data}).encode(), query.endpoint.records_key)
        data = {"id": query.path_params["product_id"], "title": "detail"}
        return Page(b"", Envelope(0, "success", "r", data), [data])


# The record field a time filter filters on, where it is not the filter's name.
FILTERED_FIELD = {"search_time": "order_create_time"}


def grouped(records: list[dict[str, Any]], items: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for record in records:
        if out and out[-1]["id"] == record["id"]:
            out[-1] = {**out[-1], items: out[-1][items] + record[items]}
        else:
            out.append(record)
    return out


def endpoint(name: str, **changes: Any) -> Endpoint:
    return replace(STREAMS_BY_NAME[name].endpoint, **changes)


class Sync:
    """Reads streams the way the CDK's PartitionReader does: records, `observe`, then `close_partition`."""

    def __init__(
        self,
        api: FakeTikTok,
        state: dict[str, Any] | None = None,
        folder: Path | None = None,
        shared=(),
        bounds: SyncBounds = BOUNDS,
        options: Mapping[str, str] | None = None,
    ):
        self.api = api
        self.bounds = bounds
        self.options = options or {"analytics_currency": "LOCAL"}
        self.messages = InMemoryMessageRepository()
        self.state_manager = ConnectorStateManager(_state_messages(state))
        self.shared_pages = SharedPages(folder, set(shared))
        self.directory = ShopDirectory(lambda: SHOPS)

    def reader(self, declaration: StreamDeclaration, readers: int = 8) -> tuple[StreamReader, ShopCursor | None]:
        cursor = None
        if declaration.incremental:
            cursor = ShopCursor(
                declaration.name,
                declaration.incremental.field,
                declaration.advances_per_record,
                self.state_manager,
                self.messages,
                checkpoint_every=declaration.endpoint.page_size or 100,
                days=declaration.by_day,
            )
        estimates = Estimates(declaration.name, self.messages)
        reader = StreamReader(
            declaration,
            self.api,
            self.directory,
            self.bounds,
            cursor,
            self.shared_pages,
            estimates,
            _logger(),
            ReaderPool(readers),
            self.options,
        )
        return reader, cursor

    def read(self, declaration: StreamDeclaration) -> tuple[list[dict[str, Any]], ShopCursor | None]:
        reader, cursor = self.reader(declaration)
        rows = []
        for partition in ShopPartitions(reader).generate():
            for record in partition.read():
                rows.append(dict(record.data))
                if cursor:
                    cursor.observe(record)
            if cursor:
                cursor.close_partition(partition)
        return rows, cursor

    def emitted(self, kind: Type) -> list[Any]:
        return [message for message in self.messages.consume_queue() if message.type == kind]


def _state_messages(state: dict[str, Any] | None):
    builder = StateBuilder()
    for name, value in (state or {}).items():
        builder = builder.with_stream_state(name, value)
    return builder.build() if state else None


def _logger() -> logging.Logger:
    return logging.getLogger("test_reading")


def orders(shop_id: str, times: list[int]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{shop_id}-{n}",
            "update_time": time,
            "line_items": [{"id": f"{shop_id}-{n}-a"}, {"id": f"{shop_id}-{n}-b"}],
        }
        for n, time in enumerate(times)
    ]


def orders_api(times=(2_000, 3_000, 4_000)) -> FakeTikTok:
    return FakeTikTok({"orders_search": {shop.id: orders(shop.id, list(times)) for shop in SHOPS}})


@pytest.mark.parametrize(
    "saved, lookback, expected",
    [
        (None, None, Window(1_000, 100_000)),
        (50_000, None, Window(50_000 - 3_600, 100_000)),
        (50_000, 0, Window(50_000, 100_000)),
        (1_500, None, Window(1_000, 100_000)),
        (200_000, 0, Window(200_000, 200_000)),
    ],
    ids=[
        "no state: start_date",
        "state: minus the default hour",
        "lookback 0",
        "never before start_date",
        "future state: empty",
    ],
)
def test_given_a_saved_cursor_then_the_window_starts_at_it_minus_the_lookback(saved, lookback, expected):
    assert window_for(replace(BOUNDS, lookback_minutes=lookback), saved, 60) == expected


def test_given_a_sorted_endpoint_then_the_cursor_moves_with_every_record():
    sync = Sync(orders_api())
    reader, cursor = sync.reader(STREAMS_BY_NAME["orders"])
    partition = next(iter(ShopPartitions(reader).generate()))
    first = next(iter(partition.read()))
    cursor.observe(first)
    assert cursor.state == {"1": {"update_time": 2_000}}


def test_given_an_unsorted_endpoint_then_the_cursor_moves_only_when_the_partition_closes():
    api = FakeTikTok({"products_search": {"1": [{"id": "p", "update_time": 5_000}, {"id": "q", "update_time": 3_000}]}})
    sync = Sync(api)
    reader, cursor = sync.reader(STREAMS_BY_NAME["products"])
    partition = next(iter(ShopPartitions(reader).generate()))
    for record in partition.read():
        cursor.observe(record)
    assert cursor.state == {}
    cursor.close_partition(partition)
    assert cursor.state == {"1": {"update_time": 5_000}}


def test_given_a_state_then_each_shop_reads_from_its_own_cursor_which_never_moves_back():
    sync = Sync(orders_api(), state={"orders": {"1": {"update_time": 5_000}, "9": {"update_time": 7}}})
    rows, cursor = sync.read(STREAMS_BY_NAME["orders"])
    windows = {shop: window for _, shop, window, _ in sync.api.requests}
    assert windows == {"1": Window(5_000 - 3_600, 100_000), "2": Window(1_000, 100_000)}
    assert cursor.state == {"1": {"update_time": 5_000}, "2": {"update_time": 4_000}, "9": {"update_time": 7}}


def test_given_a_window_over_the_result_cap_then_it_is_halved_until_each_half_fits():
    api = FakeTikTok({"products_search": {"1": [{"id": str(n), "update_time": 1_000 + n * 10} for n in range(25)]}})
    declaration = replace(STREAMS_BY_NAME["products"], endpoint=endpoint("products", result_cap=10))
    rows, _ = Sync(api).read(replace(declaration))
    assert sorted(row["id"] for row in rows if row["shop_id"] == "1") == sorted(str(n) for n in range(25))
    windows = {window for _, shop, window, _ in api.requests if shop == "1"}
    assert len(windows) > 3 and all(
        window.end - window.start < BOUNDS.end - BOUNDS.start for window in windows - {Window(1_000, 100_000)}
    )


def test_given_nested_rows_then_each_item_carries_its_parent_and_cursor_and_no_estimate_is_made():
    sync = Sync(orders_api())
    rows, _ = sync.read(STREAMS_BY_NAME["order_line_items"])
    assert len(rows) == 2 * 3 * 2
    assert rows[0] == {"id": "1-0-a", "order_id": "1-0", "update_time": 2_000, "shop_id": "1"}
    assert sync.emitted(Type.TRACE) == []


def test_given_records_as_rows_then_the_estimate_sums_every_shops_total():
    sync = Sync(orders_api())
    sync.read(STREAMS_BY_NAME["orders"])
    estimates = [message.trace.estimate.row_estimate for message in sync.emitted(Type.TRACE)]
    assert estimates == [3, 6]


def test_given_a_detail_stream_then_each_record_costs_one_call_and_skipped_statuses_none():
    products = [{"id": "a", "update_time": 2_000}, {"id": "b", "update_time": 2_500, "status": "FREEZE"}]
    api = FakeTikTok({"products_search": {"1": products}})
    rows, _ = Sync(api).read(STREAMS_BY_NAME["product_details"])
    assert rows == [{"id": "a", "title": "detail", "shop_id": "1"}]
    assert [name for name, *_ in api.requests].count("product_detail") == 1


def test_given_child_pages_then_each_child_row_carries_its_parent_and_page_fields():
    statements = [{"id": "s1", "statement_time": 2_000}]
    api = FakeTikTok(
        {
            "statements": {"1": statements},
            "statement_transactions/s1": {"1": [{"id": f"t{n}"} for n in range(150)]},
        }
    )
    declaration = STREAMS_BY_NAME["statement_transactions"]
    rows, cursor = Sync(api).read(declaration)
    assert len(rows) == 150 and rows[0] == {
        "id": "t0",
        "currency": "GBP",
        "statement_id": "s1",
        "statement_time": 2_000,
        "shop_id": "1",
    }
    assert [name for name, *_ in api.requests].count("statement_transactions") == 2  # two pages of 100
    assert cursor.state == {"1": {"statement_time": 2_000}}


def test_given_a_missing_scope_then_the_stream_is_skipped_once_with_a_warning(caplog):
    api = FakeTikTok({}, missing_scope=frozenset({"orders_search"}))
    rows, cursor = Sync(api).read(STREAMS_BY_NAME["orders"])
    assert rows == [] and cursor.state == {}
    warnings = [record for record in caplog.records if "lacks scope `seller.order.info`" in record.getMessage()]
    assert len(warnings) == 1
    assert len(api.requests) == 0


def test_given_two_streams_on_one_endpoint_then_its_pages_are_fetched_once(tmp_path):
    api = FakeTikTok({"orders_search": {shop.id: orders(shop.id, list(range(2_000, 2_250))) for shop in SHOPS}})
    sync = Sync(api, folder=tmp_path, shared={"orders_search"})
    for name in ("orders", "order_line_items"):
        rows, _ = sync.read(STREAMS_BY_NAME[name])
    assert len(api.requests) == 2 * 3  # 250 orders per shop: three pages, once


def test_given_a_window_of_many_pages_then_it_is_cut_where_equal_shares_of_records_fall():
    first = Page.parse(
        json.dumps(
            {"code": 0, "data": {"orders": [{"update_time": 1_000 + 10 * n} for n in range(100)], "total_count": 1_000}}
        ).encode(),
        "orders",
    )
    parts = cut(Window(500, 1_000_000), first, "update_time", 4)
    assert parts[0].start == 500 and parts[-1].end == 1_000_000
    assert [part.start for part in parts[1:]] == [3_500, 6_000, 8_500]  # 10 s a record, 1,000 records from 1,000
    assert all(earlier.end == later.start for earlier, later in zip(parts, parts[1:], strict=False))


@pytest.mark.parametrize(
    "total, in_flight, most, expected",
    [
        (None, 8, 16, 1),
        (1_900, 8, 16, 1),
        (5_000, 8, 16, 2),
        (50_000, 5, 16, 5),
        (50_000, 50, 16, 16),
        (50_000, 5, 1, 1),
    ],
    ids=[
        "no total",
        "too few pages",
        "pages for two",
        "the requests in flight",
        "at most the pool's readers",
        "one worker: sequential",
    ],
)
def test_given_pages_and_requests_in_flight_then_the_number_of_readers_follows(total, in_flight, most, expected):
    assert readers_for(total, 100, in_flight, most) == expected


@pytest.mark.parametrize(
    "total, readers, expected",
    [(None, 4, 1), (50_000, 1, 1), (50_000, 8, 8), (1_000, 3, 2)],
    ids=["no total", "one reader", "one a reader", "five pages a part at least"],
)
def test_given_readers_then_a_window_is_cut_in_a_few_parts_each(total, readers, expected):
    assert parts_for(total, 100, readers) == expected


def big_orders_api(in_flight: int) -> FakeTikTok:
    return FakeTikTok(
        {"orders_search": {"1": orders("1", list(range(2_000, 2_000 + 10 * 6_000, 10)))}}, in_flight=in_flight
    )


def test_given_a_big_window_and_room_in_flight_then_its_parts_are_read_side_by_side_and_nothing_is_lost():
    api = big_orders_api(in_flight=4)
    sync = Sync(api)
    sync.directory = ShopDirectory(lambda: SHOPS[:1])
    rows, cursor = sync.read(STREAMS_BY_NAME["orders"])
    assert sorted(row["id"] for row in rows) == sorted(f"1-{n}" for n in range(6_000))
    windows = {window for _, _, window, _ in api.requests}
    assert len(windows) > 1, "the window was not read in parts"
    assert len(api.requests) <= 60 + len(windows) - 1  # at most one page more per cut
    assert cursor.state == {"1": {"update_time": 2_000 + 10 * 5_999}}


def observed(cursor: ShopCursor, part: int, value: int) -> None:
    """Shop 1's record of `value`, in `part` of its window, emitted."""
    cursor.observe(
        Record(
            {"shop_id": "1", "update_time": value},
            "orders",
            StreamSlice(partition={"shop_id": "1"}, cursor_slice={"part": part}),
        )
    )


def test_given_parts_done_out_of_order_then_the_cursor_covers_only_the_contiguous_done_part():
    sync = Sync(orders_api())
    reader, cursor = sync.reader(STREAMS_BY_NAME["orders"])
    cursor.split("1", [(0, Window(0, 10), False), (1, Window(10, 20), False), (2, Window(20, 30), False)])

    def seen(part: int, value: int) -> None:
        observed(cursor, part, value)

    seen(1, 5_000)
    cursor.part_done("1", 1)
    seen(2, 9_000)
    cursor.part_done("1", 2)
    assert "update_time" not in cursor.state.get("1", {}), "a later part moved the cursor past records not read yet"
    seen(0, 1_000)
    assert cursor.state == {"1": {"update_time": 1_000, "parts_read": [[10, 20, 20], [20, 30, 30]]}}
    cursor.part_done("1", 0)
    assert cursor.state == {"1": {"update_time": 9_000}}


def test_given_a_state_with_parts_read_then_only_what_they_had_not_reached_is_read():
    api = big_orders_api(in_flight=1)
    state = {"orders": {"1": {"update_time": 10_000, "parts_read": [[20_000, 40_000, 40_000]]}}}
    sync = Sync(api, state=state)
    sync.directory = ShopDirectory(lambda: SHOPS[:1])
    rows, cursor = sync.read(STREAMS_BY_NAME["orders"])
    times = sorted(row["update_time"] for row in rows)
    assert times[0] == 10_000 - 3_600 and not any(20_000 <= time < 40_000 for time in times)
    assert times[-1] == 2_000 + 10 * 5_999
    assert cursor.state == {"1": {"update_time": 2_000 + 10 * 5_999}}


@pytest.mark.parametrize(
    "parts_read, expected",
    [
        ([], [(Window(0, 100), False)]),
        ([PartRead(Window(40, 60), 60)], [(Window(0, 40), False), (Window(40, 60), True), (Window(60, 100), False)]),
        ([PartRead(Window(40, 60), 55)], [(Window(0, 40), False), (Window(40, 50), True), (Window(50, 100), False)]),
        ([PartRead(Window(40, 60), 42)], [(Window(0, 40), False), (Window(40, 100), False)]),
        ([PartRead(Window(-10, 5), 5)], [(Window(0, 5), True), (Window(5, 100), False)]),
    ],
    ids=["none", "done", "half way, less the lookback", "within the lookback", "overlapping the start"],
)
def test_given_parts_read_then_the_window_resumes_around_them(parts_read, expected):
    assert resumed_parts(Window(0, 100), parts_read, lookback=5) == expected


# -- analytics: one request per day --------------------------------------------------------------------------------

JAN_1 = 1_735_689_600  # 2025-01-01T00:00:00Z
DAYS_BOUNDS = SyncBounds(start=JAN_1 + 5 * 3_600, end=JAN_1 + 29 * DAY_SECONDS + 12 * 3_600 + 1)  # to day 30, noon


def day(number: int) -> str:
    """2025-01-01 is day 1."""
    return day_of(JAN_1 + (number - 1) * DAY_SECONDS)


def skus_api(days: list[int], **kwargs: Any) -> FakeTikTok:
    """Two SKUs sold on each of `days`, in every shop."""
    skus = [{"id": sku, "gmv": {"amount": "1.00", "currency": "GBP"}, "day": day(d)} for d in days for sku in (7, 8)]
    return FakeTikTok({"shop_skus_performance": {shop.id: skus for shop in SHOPS}}, **kwargs)


def days_asked(api: FakeTikTok, shop_id: str = "1") -> list[str]:
    return [day_of(window.start) for _, shop, window, _ in api.requests if shop == shop_id and window]


@pytest.mark.parametrize(
    "saved, lookback_days, expected",
    [
        (None, None, (1, 31)),
        ("2025-01-20", None, (13, 31)),
        ("2025-01-20", 0, (20, 31)),
        ("2025-01-03", None, (1, 31)),
        ("2025-02-20", None, (44, 44)),
        ("not a day", None, (1, 31)),
    ],
    ids=[
        "no state: start_date's day to end's",
        "state: the saved day less 7 days",
        "analytics_lookback_days 0: the saved day again",
        "never before start_date's day",
        "future state: no day",
        "a saved value that is not a day: start_date",
    ],
)
def test_given_a_saved_day_then_the_days_start_at_it_less_the_lookback(saved, lookback_days, expected):
    bounds = replace(DAYS_BOUNDS, lookback_days=lookback_days, lookback_minutes=5)  # minutes: not the analytics'
    first, after_last = expected  # days: the window ends at the midnight after the last
    assert day_window_for(bounds, saved, 7 * 24 * 60) == Window(
        JAN_1 + (first - 1) * DAY_SECONDS, JAN_1 + (after_last - 1) * DAY_SECONDS
    )


def test_given_no_state_then_each_day_is_one_request_up_to_the_latest_available_day_and_the_cursor_reaches_it():
    api = skus_api([2, 3], latest_day=day(6))
    rows, cursor = Sync(api, bounds=DAYS_BOUNDS).read(STREAMS_BY_NAME["shop_sku_performance"])
    assert days_asked(api) == [day(n) for n in range(1, 7)]  # never past the latest day, learnt on the first
    assert all(window.end - window.start == DAY_SECONDS for _, _, window, _ in api.requests)
    assert sorted((row["date"], row["id"]) for row in rows if row["shop_id"] == "1") == [
        (day(2), 7), (day(2), 8), (day(3), 7), (day(3), 8)
    ]  # fmt: skip
    # Days without rows count as read: the next sync starts from the last day, not from the last row.
    assert cursor.state == {"1": {"date": day(6)}, "2": {"date": day(6)}}


def test_given_a_day_state_then_only_the_lookback_is_read_again_and_the_cursor_never_moves_back():
    state = {"shop_sku_performance": {"1": {"date": day(20)}, "2": {"date": day(29)}}}
    api = skus_api([14, 20, 25], latest_day=day(25))
    rows, cursor = Sync(api, state=state, bounds=DAYS_BOUNDS).read(STREAMS_BY_NAME["shop_sku_performance"])
    assert days_asked(api, "1") == [day(n) for n in range(13, 26)]
    assert days_asked(api, "2") == [day(n) for n in range(22, 26)]  # up to the latest day, before the saved one
    assert cursor.state == {"1": {"date": day(25)}, "2": {"date": day(29)}}


@pytest.mark.parametrize(
    "stream, saved, form",
    [
        ("shop_sku_performance", {"1": {"date": 1_735_689_600}}, '"YYYY-MM-DD"'),
        ("shop_sku_performance", {"2": {"date": "yesterday"}}, '"YYYY-MM-DD"'),
        ("orders", {"1": {"update_time": "2025-01-01"}}, "<Unix seconds>"),
    ],
    ids=["seconds for a day", "not a day", "a day for seconds"],
)
def test_given_a_saved_value_of_the_other_kind_then_the_state_is_refused_naming_the_form(stream, saved, form):
    with pytest.raises(AirbyteTracedException) as refused:
        Sync(skus_api([]), state={stream: saved}).reader(STREAMS_BY_NAME[stream])
    assert refused.value.failure_type == FailureType.config_error and form in refused.value.message


def test_given_days_then_records_in_a_partition_move_the_cursor_as_strings_compare():
    sync = Sync(skus_api([]))
    _, cursor = sync.reader(STREAMS_BY_NAME["shop_sku_performance"])
    for value in ("2025-01-09", "2025-01-10", "2024-12-31"):
        cursor.read_through("1", value)
    assert cursor.state == {"1": {"date": "2025-01-10"}}


def test_given_a_day_tiktok_no_longer_keeps_then_the_read_moves_to_the_oldest_kept_in_few_requests_with_a_warning(
    caplog,
):
    bounds = SyncBounds(start=JAN_1 - 365 * DAY_SECONDS, end=DAYS_BOUNDS.end)  # a year before 2025-01-01
    api = skus_api([10, 20], latest_day=day(25), kept_from=day(8))
    rows, cursor = Sync(api, bounds=bounds).read(STREAMS_BY_NAME["shop_sku_performance"])
    asked = days_asked(api)
    refused = [d for d in asked if d < day(8)]
    assert len(refused) <= 1 + 9  # the first day, then a binary search over about 390 days
    assert len(asked) == len(set(asked))  # the days the search asked about are not asked again
    assert set(asked) >= {day(n) for n in range(8, 26)}
    assert sorted(row["date"] for row in rows if row["shop_id"] == "1") == [day(10), day(10), day(20), day(20)]
    assert cursor.state["1"] == {"date": day(25)}
    warnings = [r.getMessage() for r in caplog.records if "no longer keeps" in r.getMessage()]
    assert len(warnings) == 2 and all(f"reading from {day(8)}" in warning for warning in warnings)  # one per shop


def test_given_no_day_kept_at_all_then_nothing_is_read_and_the_sync_goes_on(caplog):
    api = skus_api([10], latest_day=day(25), kept_from=day(40))
    rows, cursor = Sync(api, bounds=DAYS_BOUNDS).read(STREAMS_BY_NAME["shop_sku_performance"])
    assert rows == [] and cursor.state == {}
    assert len(days_asked(api)) <= 1 + 5
    assert any("nothing to read" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    "kept_from, latest",
    [(0, 99), (1, 99), (2, 99), (50, 99), (99, 99), (100, 99), (None, 99), (10, 20), (60, 60)],
)
def test_given_days_kept_from_one_on_then_the_search_finds_it_in_log_asks_and_few_past_the_latest(kept_from, latest):
    asked: list[int] = []

    def latest_if_kept(midnight: int) -> int | None:
        asked.append(midnight // DAY_SECONDS)
        return latest * DAY_SECONDS if kept_from is not None and midnight >= kept_from * DAY_SECONDS else None

    found = oldest_kept(0, 99 * DAY_SECONDS, latest_if_kept)
    expected = None if kept_from is None or kept_from > latest else kept_from * DAY_SECONDS
    assert found == expected
    assert len(asked) <= 7 and len(set(asked)) == len(asked)  # log2(100), each day once
    assert len([number for number in asked if number > latest]) <= 1  # only the first day accepted may be past it


def test_given_the_analytics_currency_then_every_analytics_query_sends_it():
    api = skus_api([2], latest_day=day(3))
    Sync(api, bounds=DAYS_BOUNDS, options={"analytics_currency": "USD"}).read(STREAMS_BY_NAME["shop_sku_performance"])
    assert api.params and all(params == {"currency": "USD"} for params in api.params)


class GrowingRate(FakeTikTok):
    """A shop and endpoint whose rate allows one request in flight at first, and `later` once a few are answered."""

    def __init__(self, records: Mapping[str, Mapping[str, list[dict[str, Any]]]], later: int):
        super().__init__(records)
        self.later = later

    def parallelism(self, query: Query) -> int:
        return 1 if len(self.requests) < 3 else self.later


def test_given_a_rate_that_grows_while_a_window_is_read_then_its_part_is_cut_and_nothing_is_lost_or_asked_twice():
    # Denser at the end, as orders still open are updated last: 3,000 records over 60,000 s, then 3,000 over 6,000 s.
    times = [*range(2_000, 62_000, 20), *range(62_000, 68_000, 2)]
    api = GrowingRate({"orders_search": {"1": orders("1", times)}}, later=4)
    sync = Sync(api)
    sync.directory = ShopDirectory(lambda: SHOPS[:1])
    rows, cursor = sync.read(STREAMS_BY_NAME["orders"])
    assert sorted(row["id"] for row in rows) == sorted(f"1-{n}" for n in range(len(times)))
    windows = [window for _, _, window, _ in api.requests]
    assert windows[0] == Window(1_000, 100_000) and len(set(windows)) > 1, "the window was not cut while it was read"
    assert len(api.requests) == len(set(api.requests)), "a page was asked for twice"
    assert len(api.requests) <= 60 + len(set(windows)) - 1  # at most one page more per cut
    assert cursor.state == {"1": {"update_time": times[-1]}}


def plan_page(values: list[int], total: int, more: bool = True) -> Page:
    data = {"orders": [{"update_time": value} for value in values], "total_count": total, "next_page_token": "t" * more}
    return Page.parse(json.dumps({"code": 0, "data": data}).encode(), "orders")


def test_given_a_part_being_read_then_it_is_cut_past_what_was_received_and_stops_at_the_cut():
    plan = WindowPlan([(Window(0, 100_000), False)], "update_time", page_size=100)
    assert plan.cut() is None, "nothing received yet: no density to cut by"
    page, ended = plan.received(0, plan_page(list(range(1_000, 1_100)), total=1_000), received=100)
    assert len(page.records) == 100 and not ended
    new = plan.cut()  # 900 records left at one a second: the cut falls where half of them are expected
    assert new == 1
    first, second = plan.layout()
    assert first.window == Window(0, 1_099 + 450) and second.window == Window(1_099 + 450, 100_000)
    page, ended = plan.received(0, plan_page(list(range(1_500, 1_600)), total=1_000), received=200)
    assert [record["update_time"] for record in page.records] == list(range(1_500, 1_549)) and ended
    assert plan.cut() is None, "the part that reached its cut can be cut no more, the new one has no first page"


def test_given_a_part_cut_while_read_then_the_cursor_covers_neither_its_rest_nor_what_follows_until_read():
    sync = Sync(orders_api())
    reader, cursor = sync.reader(STREAMS_BY_NAME["orders"])
    cursor.split("1", [(0, Window(0, 100), False)])

    def seen(part: int, value: int) -> None:
        observed(cursor, part, value)

    seen(0, 10)
    cursor.follow("1", [(0, Window(0, 50)), (1, Window(50, 100))])
    seen(1, 70)
    cursor.part_done("1", 1)
    assert cursor.state == {"1": {"update_time": 10, "parts_read": [[50, 100, 100]]}}
    seen(0, 40)
    cursor.part_done("1", 0)
    assert cursor.state == {"1": {"update_time": 70}}


def test_given_two_streams_on_one_endpoint_and_a_part_cut_while_read_then_both_follow_the_cuts_and_pages_come_once(
    tmp_path,
):
    times = [*range(2_000, 62_000, 20), *range(62_000, 68_000, 2)]
    api = GrowingRate({"orders_search": {"1": orders("1", times)}}, later=4)
    sync = Sync(api, folder=tmp_path, shared={"orders_search"})
    sync.directory = ShopDirectory(lambda: SHOPS[:1])
    read = {name: sync.read(STREAMS_BY_NAME[name]) for name in ("orders", "order_line_items")}
    assert len({window for _, _, window, _ in api.requests}) > 1, "the window was not cut while it was read"
    assert len(api.requests) == len(set(api.requests)), "a page was asked for twice"
    assert sorted(row["id"] for row in read["orders"][0]) == sorted(f"1-{n}" for n in range(len(times)))
    line_items = sorted(row["id"] for row in read["order_line_items"][0])
    assert line_items == sorted(f"1-{n}-{item}" for n in range(len(times)) for item in "ab")
    assert read["order_line_items"][1].state == {"1": {"update_time": times[-1]}}


class InboundTikTok(FakeTikTok):
    """Also answers Get FBT Inbound Order Details: an inbound order for each id asked."""

    def __init__(self, records: Mapping[str, Mapping[str, list[dict[str, Any]]]]):
        super().__init__(records)
        self.inbound_asked: list[list[str]] = []

    def pages(self, query: Query, page_token: str | None = None):
        if query.endpoint.name != "fbt_inbound_orders":
            yield from super().pages(query, page_token)
            return
        ids = query.params["order_ids"].split(",")
        self.inbound_asked.append(ids)
        data = {"inbound_orders": [{"order_id": order_id, "create_time": 1} for order_id in ids]}
        yield Page.parse(json.dumps({"code": 0, "data": data}).encode(), query.endpoint.records_key)


def fbt_record(number: int, order_id: str, kind: str = "INBOUND_ORDER") -> dict[str, Any]:
    return {"create_time": 2_000 + number, "goods": {"id": "g"}, "order": {"id": order_id, "type": kind}}


def test_given_records_naming_inbound_orders_then_each_is_asked_once_in_full_batches_and_unonboarded_shops_skipped(
    caplog,
):
    # Page 1 (100 records): receipts of 60 inbound orders and customer orders; page 2: 20 of them again, 5 new ones.
    first = [fbt_record(n, f"io-{n % 60}") for n in range(80)] + [fbt_record(n, f"co-{n}", "CONSIGN_ORDER") for n in range(80, 100)]  # fmt: skip
    second = [fbt_record(100 + n, f"io-{n}") for n in range(20)] + [fbt_record(120 + n, f"io-{60 + n}") for n in range(5)] + [fbt_record(130, "co-x", "CONSIGN_ORDER")]  # fmt: skip
    api = InboundTikTok(
        {
            "fbt_onboarded_regions": {"1": [{"region_code": "US"}], "2": []},
            "fbt_inventory_records_search": {"1": first + second, "2": [fbt_record(0, "io-x")]},
        }
    )
    rows, cursor = Sync(api).read(STREAMS_BY_NAME["fbt_inbound_orders"])
    assert [len(ids) for ids in api.inbound_asked] == [50, 15]  # full batches, whatever the pages; then the rest
    assert sorted(row["order_id"] for row in rows) == sorted(f"io-{n}" for n in range(65))
    # Each row's cursor is the time of the first record naming it; the shop's state the window's latest record.
    times = {row["order_id"]: row["record_create_time"] for row in rows}
    assert times["io-0"] == 2_000 and times["io-59"] == 2_059 and times["io-64"] == 2_124
    assert cursor.state == {"1": {"record_create_time": 2_130}}
    assert {row["shop_id"] for row in rows} == {"1"}
    assert not [request for request in api.requests if request[1] == "2" and request[0] != "fbt_onboarded_regions"]
    (skipped,) = [record.getMessage() for record in caplog.records if "Skipping stream fbt_inbound_orders" in record.getMessage()]  # fmt: skip
    assert "shop 2 (GB)" in skipped and "not onboarded to Fulfilled by TikTok" in skipped
