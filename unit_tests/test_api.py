import json

import pytest

from source_tiktok_shop.tiktok.endpoints import ENDPOINTS, Window, build_request


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_every_endpoint_declares_its_versions_newest_first_and_reads_none_it_says_retired(name):
    endpoint = ENDPOINTS[name]
    assert endpoint.versions and all(len(v) == 6 and v.isdigit() for v in endpoint.versions)
    assert list(endpoint.versions) == sorted(endpoint.versions, reverse=True)
    assert not set(endpoint.retired) & set(endpoint.versions)
    assert [endpoint.older_than(v) for v in endpoint.versions] == [*endpoint.versions[1:], None]


@pytest.mark.parametrize(
    "endpoint, kwargs, path, params, body",
    [
        (
            "orders_search",
            {"shop_cipher": "C", "window": Window(10, 20), "page_token": "a+b/c"},
            "/order/202309/orders/search",
            {
                "shop_cipher": "C",
                "page_size": "100",
                "page_token": "a+b/c",
                "sort_field": "update_time",
                "sort_order": "ASC",
            },
            {"update_time_ge": 10, "update_time_lt": 20},
        ),
        (
            "products_search",
            {"shop_cipher": "C", "window": Window(10, 20)},
            "/product/202502/products/search",
            {"shop_cipher": "C", "page_size": "100"},
            {"update_time_ge": 10, "update_time_le": 19},
        ),
        (
            "statements",
            {"shop_cipher": "C", "window": Window(10, 20)},
            "/finance/202309/statements",
            {
                "shop_cipher": "C",
                "page_size": "100",
                "sort_field": "statement_time",
                "sort_order": "ASC",
                "statement_time_ge": "10",
                "statement_time_lt": "20",
            },
            None,
        ),
        (
            "withdrawals",
            {"shop_cipher": "C", "window": Window(10, 20)},
            "/finance/202309/withdrawals",
            {
                "types": "PAYMENT,REFUND,REVERSE,SETTLE,TRANSFER,WITHDRAW",
                "shop_cipher": "C",
                "page_size": "100",
                "create_time_ge": "10",
                "create_time_lt": "20",
            },
            None,
        ),
        (
            "activities_search",
            {"shop_cipher": "C", "page_token": "t"},
            "/promotion/202309/activities/search",
            {"shop_cipher": "C"},
            {"page_size": 100, "page_token": "t"},
        ),
        (
            "statement_transactions",
            {"shop_cipher": "C", "path_params": {"statement_id": "77"}},
            "/finance/202501/statements/77/statement_transactions",
            {"shop_cipher": "C", "page_size": "100", "sort_field": "order_create_time", "sort_order": "ASC"},
            None,
        ),
        (
            "shop_performance",
            # 2025-01-01 and 2025-01-02 at 00:00 UTC: the days, which TikTok reads in the shop's timezone.
            {"shop_cipher": "C", "window": Window(1_735_689_600, 1_735_776_000), "query": {"currency": "USD"}},
            "/analytics/202609/shop/performance",
            {
                "granularity": "1D",
                "currency": "USD",
                "shop_cipher": "C",
                "start_date_ge": "2025-01-01",
                "end_date_lt": "2025-01-02",
            },
            None,
        ),
        (
            "shop_skus_performance",
            {"shop_cipher": "C", "window": Window(1_735_689_600, 1_735_776_000), "page_token": "t"},
            "/analytics/202509/shop_skus/performance",
            {
                "shop_cipher": "C",
                "page_size": "100",
                "page_token": "t",
                "sort_field": "gmv",
                "sort_order": "ASC",
                "start_date_ge": "2025-01-01",
                "end_date_lt": "2025-01-02",
            },
            None,
        ),
        (
            "creator_outreach_records",
            {"shop_cipher": "C"},
            "/affiliate_seller/202608/creator_outreach/records/query",
            {"shop_cipher": "C"},
            {"page_size": 50, "page_index": 1},
        ),
        (
            "creator_outreach_records",
            {"shop_cipher": "C", "page_token": "3"},
            "/affiliate_seller/202608/creator_outreach/records/query",
            {"shop_cipher": "C"},
            {"page_size": 50, "page_index": 3},
        ),
        (
            "fbt_inventory_records_search",
            {"shop_cipher": "C", "window": Window(10, 20)},
            "/fbt/202410/inventory_records/search",
            {"shop_cipher": "C", "page_size": "100"},
            {"create_time_ge": 10, "create_time_le": 19},
        ),
        (
            "fbt_inbound_orders",
            {"shop_cipher": "C", "query": {"order_ids": "1,2"}},
            "/fbt/202602/inbound_orders",
            {"include_carton_details": "true", "order_ids": "1,2", "shop_cipher": "C"},
            None,
        ),
        ("authorized_shops", {}, "/authorization/202309/shops", {}, None),
        ("warehouses", {"shop_cipher": "C"}, "/logistics/202309/warehouses", {"shop_cipher": "C"}, None),
    ],
)
def test_build_request(endpoint, kwargs, path, params, body):
    request = build_request(ENDPOINTS[endpoint], **kwargs)
    assert request.path == path
    assert dict(request.params) == params
    assert (json.loads(request.body) if request.body is not None else None) == body
    assert request.method == ENDPOINTS[endpoint].method


def test_post_body_is_compact_json():
    assert (
        build_request(ENDPOINTS["orders_search"], "C", Window(1, 2)).body == '{"update_time_ge":1,"update_time_lt":2}'
    )


def test_shop_endpoints_refuse_a_missing_cipher():
    with pytest.raises(ValueError):
        build_request(ENDPOINTS["orders_search"])


def test_window_halves_cover_the_window():
    first, second = Window(0, 11).halves()
    assert (first.start, first.end, second.start, second.end) == (0, 5, 5, 11)


@pytest.mark.parametrize(
    "endpoint, data, records, page_token, expected",
    [
        ("orders_search", {"next_page_token": "a+b/c"}, 100, None, "a+b/c"),
        ("orders_search", {"next_page_token": ""}, 3, "a+b/c", None),
        ("warehouses", {"next_page_token": "x"}, 1, None, None),  # not paged
        # Paged by index up to `data.data.total` (50 a page): the index of the page after.
        ("creator_outreach_records", {"data": {"total": 120}}, 50, None, "2"),
        ("creator_outreach_records", {"data": {"total": 120}}, 50, "2", "3"),
        ("creator_outreach_records", {"data": {"total": 120}}, 20, "3", None),
        ("creator_outreach_records", {"data": {"total": 100}}, 50, "2", None),
        ("creator_outreach_records", {"data": {"total": 120}}, 0, "2", None),  # an empty page ends it
        ("creator_outreach_records", {"data": {}}, 50, None, None),  # no total: one page
    ],
)
def test_next_page_token(endpoint, data, records, page_token, expected):
    assert ENDPOINTS[endpoint].next_page_token(data, records, page_token) == expected
