"""The row shapes composed of others, against the in-memory TikTok of test_reading.py: rows that follow the orders
statements settled, records asked for by a query of their own (deleted products), records whose list goes on over
the next page (affiliate orders), and full-refresh windows."""

import json
from dataclasses import replace

import pytest

from source_tiktok_shop.catalog import STREAMS_BY_NAME
from source_tiktok_shop.reading.page_records import joined, of_variant
from source_tiktok_shop.reading.windows import SyncBounds
from source_tiktok_shop.tiktok.endpoints import Variants, Window
from source_tiktok_shop.tiktok.envelope import Page
from unit_tests import test_reading
from unit_tests.test_reading import BOUNDS, FakeTikTok, Sync

STATEMENTS = [{"id": "s1", "statement_time": 2_000}, {"id": "s2", "statement_time": 3_000}]
# s1 settles orders o1 and o2, s2 o2 again (a refund, say) and o3; the adjustment names no order.
TRANSACTIONS = {
    "s1": [{"id": "t1", "order_id": "o1"}, {"id": "t2", "order_id": "o2"}],
    "s2": [{"id": "t3", "order_id": "o2"}, {"id": "t4", "order_id": "o3"}, {"id": "t5", "order_id": ""}],
}


def by_order(order_id: str, skus: list[str]) -> dict:
    return {
        "order_id": order_id,
        "order_create_time": 1_500,
        "currency": "GBP",
        "revenue_amount": "10.00",
        "fee_and_tax_amount": "-1.00",
        "shipping_cost_amount": "0.00",
        "settlement_amount": "9.00",
        "sku_transactions": [{"sku_id": sku, "statement_id": "s1", "settlement_amount": "4.50"} for sku in skus],
    }


def settlements_api() -> FakeTikTok:
    return FakeTikTok(
        {
            "statements": {"1": STATEMENTS},
            **{f"statement_transactions/{sid}": {"1": rows} for sid, rows in TRANSACTIONS.items()},
            **{
                f"order_transactions/{oid}": {"1": [by_order(oid, skus)]}
                for oid, skus in {"o1": ["k1", "k2"], "o2": ["k3"], "o3": ["k4"]}.items()
            },
        }
    )


def one_shop(sync: Sync) -> Sync:
    sync.directory = test_reading.ShopDirectory(lambda: test_reading.SHOPS[:1])
    return sync


def test_given_statements_then_each_order_they_settled_is_read_once_and_its_skus_are_rows_with_its_fields():
    api = settlements_api()
    rows, cursor = one_shop(Sync(api)).read(STREAMS_BY_NAME["order_settlements"])
    calls = [name for name, *_ in api.requests if name == "order_transactions"]
    assert len(calls) == 3, "o2, named by both statements, is read once"
    assert [(row["order_id"], row["sku_id"]) for row in rows] == [
        ("o1", "k1"),
        ("o1", "k2"),
        ("o2", "k3"),
        ("o3", "k4"),
    ]
    assert rows[0] == {
        "sku_id": "k1",
        "statement_id": "s1",
        "settlement_amount": "4.50",
        "order_id": "o1",
        "order_create_time": 1_500,
        "currency": "GBP",
        "order_revenue_amount": "10.00",
        "order_fee_and_tax_amount": "-1.00",
        "order_shipping_cost_amount": "0.00",
        "order_settlement_amount": "9.00",
        "statement_time": 2_000,
        "shop_id": "1",
    }
    assert rows[-1]["statement_time"] == 3_000  # o3 was found through s2
    assert cursor.state == {"1": {"statement_time": 3_000}}


def test_given_a_saved_cursor_then_only_the_orders_of_statements_since_it_less_the_lookback_are_read():
    api = settlements_api()
    declaration = STREAMS_BY_NAME["order_settlements"]
    lookback = 60 * declaration.incremental.lookback_minutes
    sync = one_shop(Sync(api, state={"order_settlements": {"1": {"statement_time": 2_500 + lookback}}}))
    rows, _ = sync.read(declaration)
    assert {row["order_id"] for row in rows} == {"o2", "o3"}  # s2 only: s1 is before the window
    windows = {window for name, _, window, _ in api.requests if name == "statements"}
    assert windows == {Window(2_500, BOUNDS.end)}


def test_given_statement_transactions_selected_too_then_their_pages_are_fetched_once(tmp_path):
    api = settlements_api()
    shared = {"statements", "statement_transactions"}  # what source.py shares for these two streams
    assert shared == {
        name
        for name in STREAMS_BY_NAME["order_settlements"].paged_endpoints
        if name in STREAMS_BY_NAME["statement_transactions"].paged_endpoints
    }
    sync = one_shop(Sync(api, folder=tmp_path, shared=shared))
    transactions, _ = sync.read(STREAMS_BY_NAME["statement_transactions"])
    settlements, _ = sync.read(STREAMS_BY_NAME["order_settlements"])
    assert len(transactions) == 5 and len(settlements) == 4
    fetched = [name for name, *_ in api.requests]
    assert fetched.count("statements") == 1 and fetched.count("statement_transactions") == 2


PRODUCTS = [
    {"id": "a", "update_time": 2_000, "status": "ACTIVATE", "skus": [{"id": "a1"}], "sales_regions": ["US"]},
    {"id": "d", "update_time": 2_500, "status": "DELETED", "skus": [{"id": "d1"}], "sales_regions": ["US"]},
    {"id": "f", "update_time": 2_600, "status": "FREEZE", "skus": [{"id": "f1"}], "sales_regions": ["US"]},
]


@pytest.mark.parametrize("unlisted", [{}, {"status": "DELETED"}], ids=["listed unasked", "listed only when asked"])
@pytest.mark.parametrize("stream", ["products", "skus", "product_details"])
def test_given_deleted_products_then_they_are_asked_for_and_come_once_however_search_lists_them(unlisted, stream):
    api = FakeTikTok({"products_search": {"1": PRODUCTS}}, unlisted=unlisted)
    sync = one_shop(Sync(api))
    rows, _ = sync.read(STREAMS_BY_NAME[stream])
    assert api.filters == [{}, {"status": "DELETED"}]  # one window: the query, then the deleted products
    if stream == "products":  # the query without a status may count the deleted ones: its total alone is the estimate
        estimates = [m.trace.estimate.row_estimate for m in sync.emitted(test_reading.Type.TRACE)]
        assert estimates == [3 if not unlisted else 2]
    ids = [row["id"] for row in rows]
    expected = {"products": ["a", "f", "d"], "skus": ["a1", "f1", "d1"], "product_details": ["a", "d"]}[stream]
    assert ids == expected
    if stream == "product_details":  # Get Product does not return a deleted product: the search's row stands in
        assert rows[1] == {"id": "d", "update_time": 2_500, "status": "DELETED", "skus": [{"id": "d1"}], "shop_id": "1"}
        assert [name for name, *_ in api.requests].count("product_detail") == 1


def page(records: list[dict], token: str = "") -> Page:
    return Page.parse(json.dumps({"code": 0, "data": {"orders": records, "next_page_token": token}}).encode(), "orders")


def order(order_id: str, *skus: str) -> dict:
    return {"id": order_id, "create_time": 2_000, "skus": [{"sku_id": sku} for sku in skus]}


@pytest.mark.parametrize(
    "pages, expected",
    [
        ([[order("1", "a"), order("2", "b")], [order("3", "c")]], [["1", "2"], ["3"]]),
        ([[order("1", "a"), order("2", "b")], [order("2", "c"), order("3", "d")]], [["1", "2"], ["3"]]),
        ([[order("1", "a")], [order("1", "b")], [order("1", "c"), order("2", "d")]], [["1"], ["2"]]),
        ([[order("1", "a")], [order("1", "b")]], [["1"]]),
        ([[]], [[]]),
    ],
    ids=["no order goes on", "one goes on", "one over three pages", "the last goes on", "empty"],
)
def test_given_records_going_on_over_the_next_page_then_they_are_joined(pages, expected):
    joined_pages = list(joined(iter_pages(pages), "skus"))
    assert [[record["id"] for record in p.records] for p in joined_pages] == expected
    skus = {record["id"]: [sku["sku_id"] for sku in record["skus"]] for p in joined_pages for record in p.records}
    every = {}
    for records in pages:
        for record in records:
            every.setdefault(record["id"], []).extend(sku["sku_id"] for sku in record["skus"])
    assert skus == every


def iter_pages(pages: list[list[dict]]):
    yield from (page(records) for records in pages)


LISTED = [{"id": "1", "status": "ACTIVATE"}, {"id": "2", "status": "DELETED"}]


@pytest.mark.parametrize(
    "values, asked, records, expected",
    [
        # The deleted products, asked for by a query of their own, are left out of the query without a status.
        ((None, "DELETED"), {}, LISTED, LISTED[:1]),
        ((None, "DELETED"), {"status": "DELETED"}, LISTED[1:], LISTED[1:]),
        # A record that does not say its value gets its query's; one holding another query's value is left out.
        (("A", "B"), {"status": "B"}, [{"id": "1", "status": "A"}, {"id": "3"}], [{"status": "B", "id": "3"}]),
    ],
)
def test_given_variant_queries_then_each_leaves_out_the_others_values_and_tags_its_own(
    values, asked, records, expected
):
    pages = of_variant(iter_pages([records]), Variants("status", values), asked)
    assert [record for p in pages for record in p.records] == expected


def test_given_target_collaborations_then_each_status_is_asked_once_each_row_says_its_own_and_estimates_add_up():
    statuses = {"c1": "VALID", "c2": "CANCELING", "c3": "COMPLETED", "c4": "VALID"}
    collaborations = [{"id": cid, "collaboration_status": status} for cid, status in statuses.items()]
    api = FakeTikTok({"target_collaborations_search": {"1": collaborations}})
    sync = one_shop(Sync(api))
    rows, _ = sync.read(STREAMS_BY_NAME["target_collaborations"])
    assert sorted(rows, key=lambda row: row["id"]) == [{**c, "shop_id": "1"} for c in collaborations]
    assert api.filters == [{"collaboration_status": status} for status in ("VALID", "CANCELING", "COMPLETED")]
    estimates = [m.trace.estimate.row_estimate for m in sync.emitted(test_reading.Type.TRACE)]
    assert estimates == [2, 3, 4], "the estimate adds up the total_count of each status's query"


def test_given_affiliate_orders_split_over_pages_then_each_order_and_sku_comes_once_and_estimates_count_skus():
    orders = [order(str(n), *(f"{n}-{k}" for k in range(n % 3 + 1))) for n in range(120)]
    # What TikTok pages: one SKU order a record, grouped by order on each page.
    sku_orders = [{**o, "skus": [sku]} for o in orders for sku in o["skus"]]
    assert sku_orders[99]["id"] == sku_orders[100]["id"], "an order goes on over the next page of 100"
    api = FakeTikTok({"affiliate_orders_search": {"1": sku_orders}})
    sync = one_shop(Sync(api))
    rows, cursor = sync.read(STREAMS_BY_NAME["affiliate_orders"])
    assert rows == [{**o, "shop_id": "1"} for o in orders]
    assert cursor.state == {"1": {"create_time": 2_000}}
    skus, _ = sync.read(STREAMS_BY_NAME["affiliate_order_skus"])
    assert len(skus) == len(sku_orders) == 240
    estimates = [m.trace.estimate.row_estimate for m in sync.emitted(test_reading.Type.TRACE)]
    assert estimates == [240], "total_count counts SKU orders: an estimate of the SKU rows, not of the orders"


def test_given_a_full_refresh_of_a_time_filtered_endpoint_then_it_reads_the_sync_bounds_from_tiktoks_floor():
    api = FakeTikTok({"unsettled_transactions": {"1": [{"id": "u", "order_create_time": 1_735_689_600}]}})
    sync = one_shop(Sync(api))
    sync_bounds = SyncBounds(start=1_700_000_000, end=1_750_000_000)
    sync.bounds = sync_bounds
    reader, _ = sync.reader(STREAMS_BY_NAME["unsettled_transactions"])
    rows = [record.data for partition in test_reading.ShopPartitions(reader).generate() for record in partition.read()]
    assert rows == [{"id": "u", "order_create_time": 1_735_689_600, "shop_id": "1"}]
    assert {window for *_, window, _ in api.requests} == {Window(1_735_689_600, 1_750_000_000)}


def test_a_full_refresh_window_never_starts_before_the_floor_even_when_the_sync_ends_before_it():
    declaration = replace(STREAMS_BY_NAME["unsettled_transactions"])
    api = FakeTikTok({"unsettled_transactions": {"1": []}})
    sync = one_shop(Sync(api))
    sync.bounds = SyncBounds(start=1_000, end=2_000)
    reader, _ = sync.reader(declaration)
    assert [window for _, window in reader.partitions()] == [Window(1_735_689_600, 1_735_689_600)]
