"""The reading logic against an in-memory TikTok: windows, the split at the result cap, the per-shop cursor,
lookback, estimates per row shape, the missing-scope skip and shared pages. No HTTP; runs in about a second."""

import json
import logging
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from airbyte_cdk.models import Type
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import InMemoryMessageRepository
from airbyte_cdk.sources.types import Record, StreamSlice
from airbyte_cdk.test.state_builder import StateBuilder

from source_tiktok_shop.catalog import STREAMS_BY_NAME
from source_tiktok_shop.reading.cursor import PartRead, ShopCursor
from source_tiktok_shop.reading.declarations import StreamDeclaration
from source_tiktok_shop.reading.estimates import Estimates
from source_tiktok_shop.reading.parallel_windows import cut, parts_for, resumed_parts
from source_tiktok_shop.reading.partitions import ShopPartitions, StreamReader
from source_tiktok_shop.reading.shared_pages import SharedPages
from source_tiktok_shop.reading.shops import ShopDirectory
from source_tiktok_shop.reading.windows import SyncBounds, window_for
from source_tiktok_shop.tiktok.endpoints import Endpoint, Query, Shop, Window
from source_tiktok_shop.tiktok.envelope import Envelope, Page
from source_tiktok_shop.tiktok.errors import MissingScopeError
from source_tiktok_shop.tiktok.rate import Settled

SHOPS = [Shop("1", "cipher-1", "US", {"id": "1", "name": "One"}), Shop("2", "cipher-2", "GB", {"id": "2"})]
BOUNDS = SyncBounds(start=1_000, end=100_000)


class FakeTikTok:
    """Serves each endpoint's records per shop as TikTok would: filtered by window, sorted, paged."""

    def __init__(
        self,
        records: Mapping[str, Mapping[str, list[dict[str, Any]]]],
        missing_scope: frozenset = frozenset(),
        in_flight: int = 1,
    ):
        self.records = records
        self.missing_scope = missing_scope
        self.in_flight = in_flight
        self.requests: list[tuple[str, str | None, Window | None, str | None]] = []

    def pages(self, query: Query, page_token: str | None = None):
        endpoint, shop, window, path_params = query.endpoint, query.shop, query.window, query.path_params
        if endpoint.name in self.missing_scope:
            raise MissingScopeError("code 105005")
        key = endpoint.name if not path_params else f"{endpoint.name}/{next(iter(path_params.values()))}"
        rows = list(self.records.get(key, {}).get(shop.id if shop else "", []))
        if window is not None and endpoint.time_filter:
            rows = [row for row in rows if window.start <= row[endpoint.time_filter] < window.end]
        if endpoint.sort_field:
            rows.sort(key=lambda row: row.get(endpoint.sort_field, 0))
        size = endpoint.page_size or len(rows) or 1
        number = int(page_token or 0)
        while True:
            self.requests.append((endpoint.name, shop.id if shop else None, window, page_token))
            chunk = rows[number * size : (number + 1) * size]
            more = (number + 1) * size < len(rows)
            data = {
                endpoint.records_key: chunk,
                "total_count": len(rows),
                "next_page_token": str(number + 1) if more else "",
                "currency": "GBP",
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
        data = {"id": query.path_params["product_id"], "title": "detail"}
        return Page(b"", Envelope(0, "success", "r", data), [data])


def endpoint(name: str, **changes: Any) -> Endpoint:
    return replace(STREAMS_BY_NAME[name].endpoint, **changes)


class Sync:
    """Reads streams the way the CDK's PartitionReader does: records, `observe`, then `close_partition`."""

    def __init__(self, api: FakeTikTok, state: dict[str, Any] | None = None, folder: Path | None = None, shared=()):
        self.api = api
        self.messages = InMemoryMessageRepository()
        self.state_manager = ConnectorStateManager(_state_messages(state))
        self.shared_pages = SharedPages(folder, set(shared))
        self.directory = ShopDirectory(lambda: SHOPS)

    def reader(self, declaration: StreamDeclaration, most_parts: int = 8) -> tuple[StreamReader, ShopCursor | None]:
        cursor = None
        if declaration.incremental:
            cursor = ShopCursor(
                declaration.name,
                declaration.incremental.field,
                declaration.advances_per_record,
                self.state_manager,
                self.messages,
                checkpoint_every=declaration.endpoint.page_size or 100,
            )
        estimates = Estimates(declaration.name, self.messages)
        reader = StreamReader(
            declaration, self.api, self.directory, BOUNDS, cursor, self.shared_pages, estimates, _logger(), most_parts
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
    products = [{"id": "a", "update_time": 2_000}, {"id": "b", "update_time": 2_500, "status": "DELETED"}]
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
        (50_000, 50, 16, 8),
        (50_000, 5, 1, 1),
    ],
    ids=["no total", "too few pages", "pages for two", "the requests in flight", "at most 8", "one worker: sequential"],
)
def test_given_pages_and_requests_in_flight_then_the_number_of_parts_follows(total, in_flight, most, expected):
    assert parts_for(total, 100, in_flight, most) == expected


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
    assert len(windows) == 1 + 2  # 60 pages: three parts; the first goes on with the whole window's query
    assert len(api.requests) <= 60 + 2  # at most one page more per cut
    assert cursor.state == {"1": {"update_time": 2_000 + 10 * 5_999}}


def test_given_parts_done_out_of_order_then_the_cursor_covers_only_the_contiguous_done_part():
    sync = Sync(orders_api())
    reader, cursor = sync.reader(STREAMS_BY_NAME["orders"])
    cursor.split("1", [(Window(0, 10), False), (Window(10, 20), False), (Window(20, 30), False)])

    def seen(part: int, value: int) -> None:
        cursor.observe(
            Record(
                {"shop_id": "1", "update_time": value},
                "orders",
                StreamSlice(partition={"shop_id": "1"}, cursor_slice={"part": part}),
            )
        )

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
