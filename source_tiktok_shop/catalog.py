"""Every stream, as one declaration: the endpoint it reads, its key, its cursor and how records become rows.

Everything else (discover, partitions, estimates, which streams share pages) is derived from this table.
"""

from collections.abc import Mapping

from .reading.declarations import ChildPages, Detail, Incremental, Nested, StreamDeclaration
from .tiktok.endpoints import ENDPOINTS

DAY_MINUTES = 24 * 60
# Statements, payments and withdrawals change status days after they are created (reference §4.6).
SETTLING = 7 * DAY_MINUTES
# TikTok's notes: Get Payments is not available in the SEA markets.
SEA = frozenset({"ID", "MY", "PH", "SG", "TH", "VN"})
# US shops read the 7-level v2 category tree (reference §7.5), and brands of it.
US_V2 = {"US": {"category_version": "v2"}}
# Analytics: one row per day and entity; TikTok revises recent days, so a week is read again (`analytics_lookback_days`).
DAILY = Incremental("date", 7 * DAY_MINUTES)
ANALYTICS_CURRENCY = {"currency": "analytics_currency"}
DAY_KEY = ("shop_id", "id", "date")

STREAMS: tuple[StreamDeclaration, ...] = (
    StreamDeclaration("shops", ENDPOINTS["authorized_shops"], primary_key=("id",)),
    StreamDeclaration("orders", ENDPOINTS["orders_search"], incremental=Incremental("update_time")),
    StreamDeclaration(
        "order_line_items",
        ENDPOINTS["orders_search"],
        incremental=Incremental("update_time"),
        rows=Nested("line_items", parent_key="order_id"),
    ),
    StreamDeclaration("products", ENDPOINTS["products_search"], incremental=Incremental("update_time")),
    StreamDeclaration(
        "skus",
        ENDPOINTS["products_search"],
        incremental=Incremental("update_time"),
        rows=Nested("skus", parent_key="product_id"),
    ),
    StreamDeclaration(
        "product_details",
        ENDPOINTS["products_search"],
        incremental=Incremental("update_time"),
        # Get Product does not return frozen or deleted products (reference §4.3).
        rows=Detail(ENDPOINTS["product_detail"], "product_id", skip_statuses=frozenset({"FREEZE", "DELETED"})),
    ),
    StreamDeclaration(
        "returns",
        ENDPOINTS["returns_search"],
        primary_key=("shop_id", "return_id"),
        incremental=Incremental("update_time"),
    ),
    StreamDeclaration(
        "cancellations",
        ENDPOINTS["cancellations_search"],
        primary_key=("shop_id", "cancel_id"),
        incremental=Incremental("update_time"),
    ),
    StreamDeclaration("packages", ENDPOINTS["packages_search"], incremental=Incremental("update_time")),
    StreamDeclaration("statements", ENDPOINTS["statements"], incremental=Incremental("statement_time", SETTLING)),
    StreamDeclaration(
        "statement_transactions",
        ENDPOINTS["statements"],
        primary_key=("shop_id", "statement_id", "id"),
        incremental=Incremental("statement_time", SETTLING),
        # The currency of a statement's amounts comes once per page, beside its transactions.
        rows=ChildPages(
            ENDPOINTS["statement_transactions"], "statement_id", parent_key="statement_id", page_fields=("currency",)
        ),
    ),
    StreamDeclaration(
        "payments", ENDPOINTS["payments"], incremental=Incremental("create_time", SETTLING), unavailable_in=SEA
    ),
    StreamDeclaration("withdrawals", ENDPOINTS["withdrawals"], incremental=Incremental("create_time", SETTLING)),
    StreamDeclaration("warehouses", ENDPOINTS["warehouses"]),
    StreamDeclaration("categories", ENDPOINTS["categories"], query_by_region=US_V2),
    StreamDeclaration("brands", ENDPOINTS["brands"], query_by_region=US_V2),
    StreamDeclaration("promotion_activities", ENDPOINTS["activities_search"]),
    StreamDeclaration("coupons", ENDPOINTS["coupons_search"]),
    StreamDeclaration(
        "shop_performance",
        ENDPOINTS["shop_performance"],
        primary_key=("shop_id", "date"),
        incremental=DAILY,
        query_from_config=ANALYTICS_CURRENCY,
    ),
    StreamDeclaration(
        "shop_product_performance",
        ENDPOINTS["shop_products_performance"],
        primary_key=DAY_KEY,
        incremental=DAILY,
        query_from_config=ANALYTICS_CURRENCY,
    ),
    StreamDeclaration(
        "shop_sku_performance",
        ENDPOINTS["shop_skus_performance"],
        primary_key=DAY_KEY,
        incremental=DAILY,
        query_from_config=ANALYTICS_CURRENCY,
    ),
    StreamDeclaration(
        "shop_video_performance",
        ENDPOINTS["shop_videos_performance"],
        primary_key=DAY_KEY,
        incremental=DAILY,
        query_from_config=ANALYTICS_CURRENCY,
    ),
    StreamDeclaration(
        "shop_live_performance",
        ENDPOINTS["shop_lives_performance"],
        primary_key=DAY_KEY,
        incremental=DAILY,
        query_from_config=ANALYTICS_CURRENCY,
    ),
)

STREAMS_BY_NAME: Mapping[str, StreamDeclaration] = {stream.name: stream for stream in STREAMS}
