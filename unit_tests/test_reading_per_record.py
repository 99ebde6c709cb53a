"""The row shapes of the streams read per record or per batch of a parent's records (issue #20), on a fake TikTok
that answers from a table and notes each query: batches, the parent's id and cursor on detail rows, a cursor kept
client side, one query per value the config lists, snapshot times and key columns."""

import json
import threading
from collections.abc import Generator, Mapping
from dataclasses import replace
from typing import Any

import pytest

from source_tiktok_shop.catalog import STREAMS_BY_NAME
from source_tiktok_shop.reading.declarations import StreamDeclaration
from source_tiktok_shop.reading.shapes import IdBatches
from source_tiktok_shop.reading.windows import SyncBounds
from source_tiktok_shop.tiktok.endpoints import Query
from source_tiktok_shop.tiktok.envelope import Page
from source_tiktok_shop.tiktok.rate import Settled
from unit_tests.test_reading import SHOPS, Sync

Answers = Mapping[str, Any]  # endpoint name → records (one list for every query), or a function of the query


class TableTikTok:
    """Answers every query of an endpoint with one page of its records (for every shop alike)."""

    def __init__(self, answers: Answers):
        self.answers = answers
        self.asked: list[Query] = []

    def _page(self, query: Query) -> Page:
        self.asked.append(query)
        answer = self.answers.get(query.endpoint.name, [])
        records = answer(query) if callable(answer) else answer
        key = query.endpoint.records_key
        data = {key: records} if key else records
        return Page.parse(json.dumps({"code": 0, "message": "success", "data": data}).encode(), key)

    def pages(self, query: Query, page_token: str | None = None) -> Generator[Page, None, None]:
        yield self._page(query)

    def call(self, query: Query) -> Page:
        return self._page(query)

    def settled(self, query: Query) -> Settled:
        return Settled(1.0, 0, 0)

    def parallelism(self, query: Query) -> int:
        return 1

    def of(self, endpoint: str) -> list[Query]:
        return [query for query in self.asked if query.endpoint.name == endpoint and query.shop == SHOPS[0]]


def read(declaration: StreamDeclaration, api: TableTikTok, **sync: Any) -> tuple[list[dict[str, Any]], Sync]:
    reading = Sync(api, **sync)  # type: ignore[arg-type]
    rows, _ = reading.read(declaration)
    return [row for row in rows if row["shop_id"] == SHOPS[0].id], reading


PRODUCTS = [
    {"id": "p1", "status": "ACTIVATE"},
    {"id": "p2", "status": "DELETED"},
    {"id": "p3", "status": "FREEZE"},
    {"id": "p4", "status": "SELLER_DEACTIVATED"},
    {"id": "p5", "status": "ACTIVATE"},
]


def test_given_products_then_inventory_asks_for_the_ids_get_product_serves_in_batches_and_gives_a_row_per_sku():
    def inventory(query: Query) -> list[dict[str, Any]]:
        ids = query.filters["product_ids"]
        return [{"product_id": pid, "skus": [{"id": f"{pid}-s1"}, {"id": f"{pid}-s2"}]} for pid in ids]

    declared = STREAMS_BY_NAME["inventory"]
    assert isinstance(declared.rows, IdBatches)
    small = replace(declared, rows=replace(declared.rows, size=2))
    api = TableTikTok({"products_search": PRODUCTS, "inventory_search": inventory})
    rows, _ = read(small, api)
    assert [query.filters["product_ids"] for query in api.of("inventory_search")] == [("p1", "p4"), ("p5",)]
    assert [(row["product_id"], row["id"]) for row in rows] == [
        (pid, f"{pid}-{sku}") for pid in ("p1", "p4", "p5") for sku in ("s1", "s2")
    ]
    # The deleted products' own query is not sent: none of them would be asked.
    assert [query.filters for query in api.of("products_search")] == [{}]
    (taken,) = {row["snapshot_time"] for row in rows}
    assert isinstance(taken, int)


def test_given_products_then_diagnoses_asks_for_the_live_ones_only_comma_joined():
    api = TableTikTok({"products_search": PRODUCTS, "product_diagnoses": lambda q: [{"id": "p1"}, {"id": "p5"}]})
    rows, _ = read(STREAMS_BY_NAME["product_diagnoses"], api)
    (asked,) = api.of("product_diagnoses")
    assert asked.request().params["product_ids"] == "p1,p5"
    assert [row["id"] for row in rows] == ["p1", "p5"]


ORDERS = [
    {"id": "o1", "update_time": 2_000, "packages": [{"id": "k1"}]},
    {"id": "o2", "update_time": 3_000, "packages": []},
]


def test_given_orders_then_tracking_is_asked_for_the_shipped_ones_and_names_its_order_and_cursor():
    api = TableTikTok({"orders_search": ORDERS, "order_tracking": {"tracking": [{"action_code": 101}]}})
    rows, _ = read(STREAMS_BY_NAME["order_tracking"], api)
    assert [query.path_params for query in api.of("order_tracking")] == [{"order_id": "o1"}]
    assert rows == [{"tracking": [{"action_code": 101}], "shop_id": "1", "update_time": 2_000, "order_id": "o1"}]


def test_given_returns_then_their_records_are_asked_by_return_id():
    returns = [{"return_id": "r1", "order_id": "o1", "update_time": 2_000}]
    api = TableTikTok({"returns_search": returns, "return_records": {"records": [{"event": "BUYER_REQUEST"}]}})
    rows, _ = read(STREAMS_BY_NAME["return_records"], api)
    assert [query.path_params for query in api.of("return_records")] == [{"return_id": "r1"}]
    assert [(row["return_id"], row["update_time"]) for row in rows] == [("r1", 2_000)]


def test_given_platforms_then_each_order_is_asked_once_per_platform():
    def references(query: Query) -> list[dict[str, Any]]:
        return [
            {"id": f"{query.path_params['order_id']}@{query.params['platform']}", "platform": query.params["platform"]}
        ]

    api = TableTikTok({"orders_search": ORDERS, "external_orders": references})
    options = {"analytics_currency": "LOCAL", "external_order_platforms": ("SHOPIFY", "ERP_SYSTEM")}
    rows, _ = read(STREAMS_BY_NAME["external_orders"], api, options=options)
    assert [(q.path_params["order_id"], q.params["platform"]) for q in api.of("external_orders")] == [
        ("o1", "SHOPIFY"), ("o1", "ERP_SYSTEM"), ("o2", "SHOPIFY"), ("o2", "ERP_SYSTEM"),
    ]  # fmt: skip
    assert {(row["order_id"], row["id"]) for row in rows} == {
        (order, f"{order}@{platform}") for order in ("o1", "o2") for platform in ("SHOPIFY", "ERP_SYSTEM")
    }


def test_given_no_platform_then_external_orders_asks_nothing(caplog):
    api = TableTikTok({"orders_search": ORDERS})
    rows, _ = read(STREAMS_BY_NAME["external_orders"], api, options={"analytics_currency": "LOCAL"})
    assert rows == [] and api.asked == []
    assert [r.message for r in caplog.records if "external_order_platforms" in r.message] != []


ACTIVITIES = [
    {"id": "a1", "update_time": 1_000_000},  # milliseconds, as TikTok's activities say
    {"id": "a2", "update_time": 9_000_000},
    {"id": "a3", "update_time": 20_000_000},  # no products: a shop-level activity
]


def products_of(query: Query) -> list[dict[str, Any]]:
    return [] if query.path_params["activity_id"] == "a3" else [{"id": f"{query.path_params['activity_id']}-p"}]


def test_given_a_state_then_only_the_activities_changed_since_it_less_the_lookback_are_asked():
    declared = STREAMS_BY_NAME["promotion_activity_products"]
    api = TableTikTok({"activities_search": ACTIVITIES, "activity_detail": products_of})
    rows, reading = read(declared, api)
    assert [query.path_params["activity_id"] for query in api.of("activity_detail")] == ["a1", "a2", "a3"]
    assert [(row["activity_id"], row["update_time"]) for row in rows] == [("a1", 1_000_000), ("a2", 9_000_000)]
    # The state is the latest activity listed, even one without products (milliseconds, as its field).
    state = reading.state_manager.get_stream_state(declared.name, None)
    assert state["1"] == {"update_time": 20_000_000}

    later = TableTikTok({"activities_search": ACTIVITIES, "activity_detail": products_of})
    # The lookback (60 minutes, 3,600,000 ms) reaches back to a2 from the 12,000,000 saved.
    _, _ = read(declared, later, state={declared.name: {"1": {"update_time": 12_000_000}}})
    assert [query.path_params["activity_id"] for query in later.of("activity_detail")] == ["a2", "a3"]


def test_given_a_state_whose_lookback_reaches_before_start_date_then_no_activity_before_start_date_is_asked():
    declared = STREAMS_BY_NAME["promotion_activity_products"]
    api = TableTikTok({"activities_search": ACTIVITIES, "activity_detail": products_of})
    # start_date at 9,500 s (9,500,000 ms): the lookback from the 12,000,000 saved would reach a2 at 9,000,000.
    bounds = SyncBounds(start=9_500, end=100_000)
    _, _ = read(declared, api, bounds=bounds, state={declared.name: {"1": {"update_time": 12_000_000}}})
    assert [query.path_params["activity_id"] for query in api.of("activity_detail")] == ["a3"]


def test_given_applications_then_each_fulfillment_names_its_application_and_its_content_id():
    applications = [{"id": "ap1"}]
    fulfilled = [{"content": {"id": "c1", "format": "VIDEO"}, "product": {"id": "p1"}}]
    api = TableTikTok({"sample_applications_search": applications, "sample_application_fulfillments": fulfilled})
    rows, _ = read(STREAMS_BY_NAME["sample_application_fulfillments"], api)
    (asked,) = api.of("sample_application_fulfillments")
    assert asked.request().body == "{}"
    ((row),) = rows
    assert (row["application_id"], row["content_id"], row["content"]["id"]) == ("ap1", "c1", "c1")
    assert isinstance(row["snapshot_time"], int)


class HeldTikTok(TableTikTok):
    """Holds each Get Product call until `together` of them are in flight at once; the call for `failing` fails."""

    def __init__(self, answers: Answers, together: int, failing: str | None = None):
        super().__init__(answers)
        self.together = threading.Barrier(together, timeout=5)
        self.failing = failing

    def call(self, query: Query) -> Page:
        if query.endpoint.name != "product_detail":
            return super().call(query)
        if query.path_params["product_id"] == self.failing:
            raise RuntimeError(f"{self.failing} failed")
        self.together.wait()
        return super().call(query)


LIVE_PRODUCTS = [{"id": f"p{number}", "status": "ACTIVATE"} for number in range(8)]


def live(products: list[dict[str, Any]]) -> Any:
    """Search Products' answer: the products, none of them deleted."""
    return lambda query: [] if query.filters.get("status") == "DELETED" else products


def detail(query: Query) -> dict[str, Any]:
    return {"id": query.path_params["product_id"], "title": "detail"}


def test_given_a_page_of_products_then_their_get_product_calls_are_in_flight_together_and_the_rows_keep_its_order():
    # Made one after the other, the first call would wait for three more that never come, and fail.
    api = HeldTikTok({"products_search": live(LIVE_PRODUCTS), "product_detail": detail}, together=4)
    rows, _ = read(STREAMS_BY_NAME["product_details"], api)
    assert [(row["id"], row["title"]) for row in rows] == [(product["id"], "detail") for product in LIVE_PRODUCTS]
    assert sorted(query.path_params["product_id"] for query in api.of("product_detail")) == sorted(
        product["id"] for product in LIVE_PRODUCTS
    )


def test_given_a_call_that_hangs_then_the_calls_after_it_go_on_and_its_row_keeps_its_place():
    last = LIVE_PRODUCTS[-1]["id"]
    answered_last = threading.Event()

    class HangingTikTok(TableTikTok):
        """p0's call is answered only once the last product's is: calls kept in order, four at a time, never get
        there, and p0's call times out."""

        def call(self, query: Query) -> Page:
            product = query.path_params.get("product_id")
            if product == "p0" and not answered_last.wait(timeout=5):
                raise TimeoutError("p0's call was held up until the last product's")
            page = super().call(query)
            if product == last:
                answered_last.set()
            return page

    api = HangingTikTok({"products_search": live(LIVE_PRODUCTS), "product_detail": detail})
    rows, _ = read(STREAMS_BY_NAME["product_details"], api)
    assert [row["id"] for row in rows] == [product["id"] for product in LIVE_PRODUCTS]


def test_given_a_call_that_fails_then_the_stream_fails_with_it_and_the_calls_after_it_stop():
    products = [{"id": f"p{number}", "status": "ACTIVATE"} for number in range(40)]
    api = HeldTikTok({"products_search": live(products), "product_detail": detail}, together=1, failing="p2")
    with pytest.raises(RuntimeError, match="p2 failed"):
        read(STREAMS_BY_NAME["product_details"], api)
    asked = {query.path_params["product_id"] for query in api.of("product_detail")}
    # Four calls at once: the failure is seen as soon as p2's call is answered, a few calls later at most.
    assert "p2" not in asked and len(asked) <= 12
