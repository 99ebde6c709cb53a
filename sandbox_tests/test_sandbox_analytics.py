"""The analytics endpoints: their strictness, `latest_available_date` and retention, paging, and the identities
that tie them to the shop's orders (a day's GMV, orders and items) and to each other (products, SKUs, videos and
LIVEs add up to the shop's day), in the shop's currency and in US dollars."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from tiktok_shop_sandbox.data.analytics import RETENTION_DAYS, UTC_OFFSET_HOURS
from tiktok_shop_sandbox.spec import operation

SHOP = "/analytics/202609/shop/performance"
PRODUCTS = "/analytics/202605/shop_products/performance"
SKUS = "/analytics/202509/shop_skus/performance"
VIDEOS = "/analytics/202605/shop_videos/performance"
LIVES = "/analytics/202609/shop_lives/performance"
LISTS = {PRODUCTS: "products", SKUS: "skus", VIDEOS: "videos", LIVES: "live_stream_sessions"}
INVALID = 36009004
# TikTok's rules: the LIVE list's account types (there is no ALL); the videos' are these and ALL
LIVE_ACCOUNT_TYPES = operation("GET", LIVES).query_enums["account_type"]
# TikTok's model: the creator's author_type of the videos and LIVEs each account type lists
AUTHOR_TYPES = {
    "OFFICIAL_ACCOUNTS": "OFFICIAL_ACCOUNT",
    "MARKETING_ACCOUNTS": "MARKETING_ACCOUNT",
    "AFFILIATE_ACCOUNTS": "AFFILIATE_ACCOUNT",
}
TOO_OLD = 66007004


def day(value: str, days: int = 0) -> str:
    return (datetime.date.fromisoformat(value) + datetime.timedelta(days=days)).isoformat()


def amount(money: dict) -> Decimal:
    return Decimal(money["amount"])


@pytest.fixture(scope="module")
def shops(sb):
    return {shop["region"]: shop for shop in sb.shops}  # the default sandbox: a US and a GB shop


@pytest.fixture(scope="module")
def ask(client, shops):
    def ask(path: str, start: str, end: str | None = None, region: str = "US", **params) -> dict:
        query = {"start_date_ge": start, "end_date_lt": end or day(start, 1), **params}
        return client.call("GET", path, query, shop_cipher=shops[region]["cipher"])

    return ask


def test_latest_available_date_is_yesterday_in_the_shops_timezone(ask):
    # The world's "now" is 2025-07-01T00:00Z: 2025-06-30 16:00 in the US shop (UTC-8), midnight in the GB one.
    assert ask(SHOP, "2025-06-01")["data"]["latest_available_date"] == "2025-06-29"
    assert ask(SKUS, "2025-06-01", region="GB")["data"]["latest_available_date"] == "2025-06-30"


@pytest.mark.parametrize(
    "path, params, code, says",
    [
        # TikTok's rules (spec/): the parameter named, an enumeration's values
        (SHOP, {"start_date_ge": None}, INVALID, "'start_date_ge' is required"),
        (SHOP, {"end_date_lt": None}, INVALID, "'end_date_lt' is required"),
        (SHOP, {"currency": "EUR"}, INVALID, "'currency' must be one of LOCAL, USD"),
        (SHOP, {"granularity": "1H"}, INVALID, "'granularity' must be one of 1D, ALL"),
        (PRODUCTS, {"sort_field": "update_time"}, INVALID, "'sort_field' must be one of gmv, items_sold, orders"),
        (SKUS, {"sort_order": "UP"}, INVALID, "'sort_order' must be one of ASC, DESC"),
        (VIDEOS, {"account_type": "LINKED_ACCOUNTS"}, INVALID, "'account_type' must be one of"),
        (LIVES, {"account_type": "ALL"}, INVALID, "'account_type' must be one of"),
        (LIVES, {}, INVALID, "'account_type' is required"),
        (LIVES, {"account_type": "OFFICIAL_ACCOUNTS", "sort_field": "gmv"}, INVALID, "'sort_field' must be one of"),
        # what the rules cannot say: the handlers'
        (SKUS, {"currency": "EUR"}, INVALID, "Invalid currency"),
        (SHOP, {"start_date_ge": "2025/06/01"}, INVALID, "Invalid start_date_ge"),
        (SHOP, {"start_date_ge": "2025-6-1"}, INVALID, "Invalid start_date_ge"),
        (SHOP, {"start_date_ge": "2025-02-30"}, INVALID, "Invalid start_date_ge"),
        (SHOP, {"start_date_ge": "1735689600"}, INVALID, "Invalid start_date_ge"),
        (SHOP, {"end_date_lt": "2025-06-01"}, INVALID, "must be after start_date_ge"),
        (PRODUCTS, {"page_size": 0}, INVALID, "Invalid page_size"),
        (PRODUCTS, {"page_size": 101}, INVALID, "Invalid page_size"),
        (SKUS, {"page_token": "not-a-token"}, INVALID, "Invalid page_token"),
        (SHOP, {"start_date_ge": day("2025-06-29", -RETENTION_DAYS)}, TOO_OLD, "data is kept from 2025-04-01"),
        (LIVES, {"start_date_ge": "2024-01-01", "account_type": "OFFICIAL_ACCOUNTS"}, TOO_OLD, "data is kept from"),
    ],
)
def test_bad_parameters_are_refused_with_the_parameter_named(client, shops, path, params, code, says):
    query = {"start_date_ge": "2025-06-01", "end_date_lt": "2025-06-02", **params}
    answer = client.call(
        "GET", path, {k: v for k, v in query.items() if v is not None}, shop_cipher=shops["US"]["cipher"]
    )
    assert (answer["code"], says in answer["message"]) == (code, True), answer


def test_the_oldest_day_kept_is_served_and_the_days_after_the_latest_are_empty(ask):
    oldest = day("2025-06-29", 1 - RETENTION_DAYS)
    assert ask(SHOP, oldest, granularity="1D")["code"] == 0
    assert ask(SHOP, "2025-06-30", "2025-07-05", granularity="1D")["data"]["performance"]["intervals"] == []
    assert ask(SKUS, "2025-06-30")["data"]["skus"] == []


def test_the_analytics_scope_is_required(fresh):
    sb, client = fresh(shops=1, orders=20)
    sb.revoke_scope("data.shop_analytics.public.read")
    answer = client.call(
        "GET", SHOP, {"start_date_ge": "2025-06-01", "end_date_lt": "2025-06-02"}, shop_cipher=sb.shops[0]["cipher"]
    )
    assert answer["code"] == 105005


def orders_by_local_day(sb, shop) -> dict[str, list[dict]]:
    offset = datetime.timedelta(hours=UTC_OFFSET_HOURS[shop["region"]])
    days = defaultdict(list)
    for order in sb.records("orders")[shop["id"]]:
        if order.get("paid_time"):
            paid = datetime.datetime.fromtimestamp(order["paid_time"], tz=datetime.UTC) + offset
            days[paid.date().isoformat()].append(order)
    return days


@pytest.fixture(scope="module")
def busy_days(sb, shops):
    """The US shop's days with the most orders, within the days kept."""
    days = orders_by_local_day(sb, shops["US"])
    kept = [d for d in days if day("2025-06-29", 1 - RETENTION_DAYS) <= d <= "2025-06-29"]
    return sorted(kept, key=lambda d: -len(days[d]))[:8]


def test_a_days_shop_figures_are_what_its_orders_say(sb, shops, ask, busy_days):
    days = orders_by_local_day(sb, shops["US"])
    for when in busy_days:
        (interval,) = ask(SHOP, when, granularity="1D")["data"]["performance"]["intervals"]
        orders = days[when]
        sales = interval["sales"]
        assert (interval["start_date"], interval["end_date"]) == (when, day(when, 1))
        assert sales["orders_count"] == len(orders)
        assert amount(sales["gmv"]) == sum(Decimal(order["payment"]["sub_total"]) for order in orders)
        assert sales["items_sold"] == sum(len(order["line_items"]) for order in orders)
        assert sales["customers_count"] == len({order["user_id"] for order in orders})


@pytest.mark.parametrize("currency", ["LOCAL", "USD"])
def test_products_skus_videos_and_lives_add_up_to_the_shops_day(ask, busy_days, currency):
    for when in busy_days:
        (interval,) = ask(SHOP, when, currency=currency)["data"]["performance"]["intervals"]
        sales = interval["sales"]
        rows = {
            path: ask(path, when, currency=currency, page_size=100)["data"][key]
            for path, key in LISTS.items()
            if path != LIVES
        }
        rows[LIVES] = [
            row
            for account_type in LIVE_ACCOUNT_TYPES
            for row in ask(LIVES, when, currency=currency, page_size=100, account_type=account_type)["data"][
                LISTS[LIVES]
            ]
        ]
        products = [row["total_performance"] for row in rows[PRODUCTS]]
        assert sum(amount(p["gmv"]) for p in products) == amount(sales["gmv"])
        assert sum(p["items_sold"] for p in products) == sales["items_sold"]
        assert sum(p["sku_orders"] for p in products) == sales["sku_orders_count"]
        assert sum(amount(s["gmv"]) for s in rows[SKUS]) == amount(sales["gmv"])
        assert sum(s["units_sold"] for s in rows[SKUS]) == sales["items_sold"]
        assert sum(amount(v["gmv"]) for v in rows[VIDEOS]) == amount(sales["video_gmv"])
        assert sum(amount(s["sales_performance"]["live_gmv"]) for s in rows[LIVES]) == amount(sales["live_gmv"])
        channels = ("video_gmv", "live_gmv", "product_card_attributed_gmv")
        assert sum(amount(sales[name]) for name in channels) == amount(sales["gmv"])
        currencies = {m["currency"] for m in (sales["gmv"], *(s["gmv"] for s in rows[SKUS]))}
        assert currencies == {"USD"}  # the US shop's own currency is USD too


def test_usd_amounts_convert_each_item_at_the_regions_fixed_rate(ask, sb, shops):
    days = orders_by_local_day(sb, shops["GB"])
    when = max((d for d in days if d <= "2025-06-30"), key=lambda d: len(days[d]))
    local = ask(SKUS, when, region="GB", page_size=100)["data"]["skus"]
    usd = {row["id"]: row for row in ask(SKUS, when, region="GB", currency="USD", page_size=100)["data"]["skus"]}
    assert local and {row["gmv"]["currency"] for row in local} == {"GBP"}
    for row in local:
        converted = usd[row["id"]]["gmv"]
        assert converted["currency"] == "USD"
        # 0.80 GBP a dollar, each item rounded to the cent
        assert abs(amount(converted) - amount(row["gmv"]) / Decimal("0.8")) <= Decimal("0.01") * row["units_sold"]


def test_a_shop_interval_over_several_days_sums_the_daily_ones(ask):
    daily = ask(SHOP, "2025-06-01", "2025-06-08", granularity="1D")["data"]["performance"]["intervals"]
    (whole,) = ask(SHOP, "2025-06-01", "2025-06-08")["data"]["performance"]["intervals"]
    assert [interval["start_date"] for interval in daily] == [day("2025-06-01", n) for n in range(7)]
    assert amount(whole["sales"]["gmv"]) == sum(amount(interval["sales"]["gmv"]) for interval in daily)
    assert whole["sales"]["items_sold"] == sum(interval["sales"]["items_sold"] for interval in daily)


def test_lists_page_by_sort_field_with_opaque_tokens_bound_to_their_query(client, shops, ask):
    params = {"start_date_ge": "2025-04-01", "end_date_lt": "2025-06-30", "sort_field": "gmv", "sort_order": "ASC"}
    cipher = shops["US"]["cipher"]
    rows, pages = client.page_all("GET", VIDEOS, {**params, "page_size": 7}, key="videos", shop_cipher=cipher)
    whole = ask(VIDEOS, params["start_date_ge"], params["end_date_lt"], page_size=100)["data"]
    assert pages > 2 and whole["total_count"] == len(rows) == len({row["id"] for row in rows})
    assert sorted(row["id"] for row in rows) == sorted(row["id"] for row in whole["videos"])
    gmv = [amount(row["gmv"]) for row in rows]
    assert gmv == sorted(gmv)
    token = client.call("GET", VIDEOS, {**params, "page_size": 7}, shop_cipher=cipher)["data"]["next_page_token"]
    assert "+" in token and "/" in token
    other_days = {**params, "end_date_lt": "2025-06-29", "page_token": token}
    assert client.call("GET", VIDEOS, other_days, shop_cipher=cipher)["code"] == INVALID


def test_videos_and_lives_are_filtered_by_account_type(sb, shops, ask):
    videos = ask(VIDEOS, "2025-04-01", "2025-06-30", page_size=100)["data"]["videos"]
    kinds = Counter(video["creator"]["author_type"] for video in videos)
    assert len(kinds) > 1
    for account_type, author_type in AUTHOR_TYPES.items():
        chosen = ask(VIDEOS, "2025-04-01", "2025-06-30", page_size=100, account_type=account_type)["data"]["videos"]
        assert {video["creator"]["author_type"] for video in chosen} <= {author_type}
        assert len(chosen) == kinds[author_type]
    assert ask(VIDEOS, "2025-04-01", "2025-06-30", page_size=100, account_type="ALL")["data"]["videos"] == videos
    # LIVE sessions: each of one account type, listed by that type alone (the ground truth says which)
    truth = {
        (row["id"], row["date"]): row["account_type"] for row in sb.records("shop_live_performance")[shops["US"]["id"]]
    }
    assert set(truth.values()) == set(LIVE_ACCOUNT_TYPES)
    listed = {}
    for account_type in LIVE_ACCOUNT_TYPES:
        for when in sorted({date for _, date in truth}):
            page = ask(LIVES, when, page_size=100, account_type=account_type)["data"]
            assert page["updated_at"]
            for live in page["live_stream_sessions"]:
                assert live["creator"]["author_type"] == AUTHOR_TYPES[account_type]
                listed[(live["id"], when)] = account_type
    assert listed == truth


# Where each sort field of TikTok's rules is in a row of its list (TikTok's model's field names): a dotted path.
SORTED_BY = {
    PRODUCTS: {
        "gmv": "total_performance.gmv.amount",
        "items_sold": "total_performance.items_sold",
        "orders": "total_performance.orders",
    },
    SKUS: {"gmv": "gmv.amount", "sku_orders": "sku_orders", "units_sold": "units_sold"},
    VIDEOS: {
        "avg_customers": "avg_customers",
        "click_through_rate": "click_through_rate",
        "gmv": "gmv.amount",
        "gpm": "gpm.amount",
        "items_sold": "items_sold",
        "post_time": "video_post_time",
        "sku_orders": "sku_orders",
        "views": "views",
    },
    LIVES: {
        "attributed_customers": "sales_performance.attributed_customers",
        "live_attributed_gmv": "sales_performance.live_attributed_gmv.amount",
        "live_attributed_items_sold": "sales_performance.live_attributed_items_sold",
        "live_attributed_sku_orders": "sales_performance.live_attributed_sku_orders",
        "products_added": "traffic.products_added",
        "products_sold": "sales_performance.products_sold",
    },
}


def value_at(row: dict, dotted: str):
    for key in dotted.split("."):
        row = row[key]
    return row if isinstance(row, int) or " " in row else Decimal(row)  # times as Seller Center writes them sort


@pytest.mark.parametrize("path", sorted(SORTED_BY))
def test_each_list_sorts_by_every_sort_field_of_the_rules(client, shops, path):
    fields = operation("GET", path).query_enums["sort_field"]
    assert set(fields) == set(SORTED_BY[path]), "a sort field of TikTok's rules this test does not know"
    accounts = LIVE_ACCOUNT_TYPES if path == LIVES else (None,)
    for field in fields:
        for account_type in accounts:
            query = {"start_date_ge": "2025-04-01", "end_date_lt": "2025-06-30", "page_size": 100, "sort_field": field}
            if account_type:
                query["account_type"] = account_type
            both = {}
            for order in ("ASC", "DESC"):
                both[order], _ = client.page_all(
                    "GET", path, {**query, "sort_order": order}, key=LISTS[path], shop_cipher=shops["US"]["cipher"]
                )
                values = [value_at(row, SORTED_BY[path][field]) for row in both[order]]
                assert values == sorted(values, reverse=order == "DESC"), (field, order)
            assert sorted(r["id"] for r in both["ASC"]) == sorted(r["id"] for r in both["DESC"])
            assert len(both["ASC"]) > 1, (field, account_type)  # something to sort
