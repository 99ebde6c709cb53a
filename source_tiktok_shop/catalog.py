"""Every stream, as one declaration: the endpoint it reads, its key, its cursor and how records become rows.

Everything else (discover, partitions, estimates, which streams share pages) is derived from this table.
"""

from collections.abc import Mapping

from .reading.declarations import Enrolment, Incremental, StreamDeclaration
from .reading.shapes import Batched, ChildPages, ConfigValues, Detail, Followed, IdBatches, Nested
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
# The score and its metrics have no time filter: what changed since the last sync is picked out here, by the time of
# TikTok's last refresh of the score; a score is not revised once refreshed, so no lookback.
SCORE_REFRESHES = Incremental("update_time", 0, client_side=True)
# Affiliate orders' status and commissions change for weeks after they are created, and nothing says when.
COMMISSIONS_SETTLING = 60 * DAY_MINUTES
# The currency of a statement's amounts comes once per page, beside its transactions.
STATEMENT_TRANSACTIONS = ChildPages(
    ENDPOINTS["statement_transactions"], "statement_id", parent_key="statement_id", page_fields=("currency",)
)
# The order's own fields beside its SKU transactions; its totals, whose names its SKUs' amounts have, as `order_*`.
ORDER_FIELDS = {
    "order_id": "order_id",
    "order_create_time": "order_create_time",
    "currency": "currency",
    "order_revenue_amount": "revenue_amount",
    "order_fee_and_tax_amount": "fee_and_tax_amount",
    "order_shipping_cost_amount": "shipping_cost_amount",
    "order_settlement_amount": "settlement_amount",
}
FBT_ONBOARDED = Enrolment(ENDPOINTS["fbt_onboarded_regions"], "region_code", "Fulfilled by TikTok")
# The inbound orders the records of receipts name; TikTok gives no batch limit, 50 is the sandbox's.
INBOUND_ORDERS = Batched(
    "order.id",
    ENDPOINTS["fbt_inbound_orders"],
    "order_ids",
    batch=50,
    id_field="order_id",
    where={"order.type": "INBOUND_ORDER"},
)

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
        # Get Product does not return frozen or deleted products (reference §4.3): a deleted product's row is the
        # search's, so that the table shows the deletion.
        rows=Detail(
            ENDPOINTS["product_detail"],
            "product_id",
            skip_statuses=frozenset({"FREEZE"}),
            listed_statuses=frozenset({"DELETED"}),
            listed_only=("sales_regions", "product_sync_fail_reasons"),
        ),
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
        rows=STATEMENT_TRANSACTIONS,
    ),
    StreamDeclaration(
        "order_settlements",
        ENDPOINTS["statements"],
        primary_key=("shop_id", "order_id", "statement_id", "sku_id"),
        incremental=Incremental("statement_time", SETTLING),
        # The orders the statements settled, each read once: one row per SKU transaction.
        rows=Followed(STATEMENT_TRANSACTIONS, "order_id", ENDPOINTS["order_transactions"], "order_id", ORDER_FIELDS),
    ),
    StreamDeclaration("unsettled_transactions", ENDPOINTS["unsettled_transactions"]),
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
    StreamDeclaration(
        "affiliate_orders",
        ENDPOINTS["affiliate_orders_search"],
        incremental=Incremental("create_time", COMMISSIONS_SETTLING),
    ),
    StreamDeclaration(
        "affiliate_order_skus",
        ENDPOINTS["affiliate_orders_search"],
        primary_key=("shop_id", "order_id", "sku_id"),
        incremental=Incremental("create_time", COMMISSIONS_SETTLING),
        rows=Nested("skus", parent_key="order_id"),
    ),
    StreamDeclaration("open_collaborations", ENDPOINTS["open_collaborations_search"]),
    StreamDeclaration("target_collaborations", ENDPOINTS["target_collaborations_search"]),
    StreamDeclaration("sample_applications", ENDPOINTS["sample_applications_search"]),
    # Fulfilled by TikTok: only shops onboarded to it, asked first (TikTok's notes: `data` is empty for the others).
    StreamDeclaration(
        "fbt_warehouses",
        ENDPOINTS["fbt_warehouses"],
        primary_key=("shop_id", "fbt_warehouse_id"),
        snapshot=True,
        enrolment=FBT_ONBOARDED,
    ),
    StreamDeclaration(
        "fbt_inventory",
        ENDPOINTS["fbt_inventory_search"],
        primary_key=("shop_id", "fbt_warehouse_id", "goods_id"),
        snapshot=True,
        enrolment=FBT_ONBOARDED,
        key_columns={"goods_id": "goods.id"},
    ),
    # The history of each goods' stock in each warehouse: receipts, customer orders and returns, adjustments. A
    # receipt of normal and defective units of the same goods is two records (`inventory_goods_type`).
    StreamDeclaration(
        "fbt_inventory_records",
        ENDPOINTS["fbt_inventory_records_search"],
        primary_key=("shop_id", "create_time", "goods_id", "fbt_warehouse_id", "order_id", "inventory_goods_type"),
        incremental=Incremental("create_time"),
        enrolment=FBT_ONBOARDED,
        key_columns={"goods_id": "goods.id", "order_id": "order.id"},
    ),
    # No endpoint lists inbound orders: the inventory records of the window name those that received goods.
    StreamDeclaration(
        "fbt_inbound_orders",
        ENDPOINTS["fbt_inventory_records_search"],
        primary_key=("shop_id", "order_id"),
        incremental=Incremental("record_create_time"),
        rows=INBOUND_ORDERS,
        enrolment=FBT_ONBOARDED,
    ),
    StreamDeclaration("open_collaboration_products", ENDPOINTS["open_collaboration_products_search"], snapshot=True),
    # TikTok's notes: this week's records.
    StreamDeclaration("creator_outreach_records", ENDPOINTS["creator_outreach_records"], snapshot=True),
    # Customer service, the Shop Performance Score, hours and LIVE overviews (issue #20).
    StreamDeclaration(
        "customer_service_performance",
        ENDPOINTS["customer_service_performance"],
        primary_key=("shop_id", "date"),
        incremental=DAILY,
    ),
    # A row each time TikTok refreshes the score; a sync that finds the same score adds none.
    StreamDeclaration(
        "shop_performance_score",
        ENDPOINTS["shop_performance_score"],
        primary_key=("shop_id", "update_time"),
        incremental=SCORE_REFRESHES,
    ),
    StreamDeclaration(
        "shop_performance_score_metrics",
        ENDPOINTS["shop_performance_score_metrics"],
        primary_key=("shop_id", "metric_code", "end_evaluation_time"),
        incremental=Incremental("end_evaluation_time", 0, client_side=True),
    ),
    # Today's hours so far: the lookback reads today again next sync.
    StreamDeclaration(
        "shop_hourly_performance",
        ENDPOINTS["shop_performance_per_hour"],
        primary_key=("shop_id", "date", "index"),
        incremental=DAILY,
        query_from_config=ANALYTICS_CURRENCY,
    ),
    StreamDeclaration(
        "live_overview_performance",
        ENDPOINTS["shop_lives_overview_performance"],
        primary_key=("shop_id", "date"),
        incremental=DAILY,
        query_from_config=ANALYTICS_CURRENCY,
    ),
    # Issue #20: one request per record of a parent stream (in the parent's window where it has one), or per batch.
    StreamDeclaration(
        "order_price_details",
        ENDPOINTS["orders_search"],
        primary_key=("shop_id", "order_id"),
        incremental=Incremental("update_time"),
        rows=Detail(ENDPOINTS["order_price_detail"], "order_id", parent_key="order_id"),
    ),
    StreamDeclaration(
        "external_orders",
        ENDPOINTS["orders_search"],
        primary_key=("shop_id", "order_id", "platform", "id"),
        incremental=Incremental("update_time"),
        # TikTok asks for one platform at a time: only those the user names are asked (docs/tiktok-shop.md).
        rows=ChildPages(
            ENDPOINTS["external_orders"],
            "order_id",
            parent_key="order_id",
            per_value=ConfigValues("platform", "external_order_platforms"),
        ),
    ),
    StreamDeclaration(
        "inventory",
        ENDPOINTS["products_search"],
        # TikTok's notes: at most 100 product ids per request; it answers for the products Get Product serves.
        rows=IdBatches(
            ENDPOINTS["inventory_search"],
            "product_ids",
            100,
            skip_statuses=frozenset({"FREEZE", "DELETED"}),
            items=Nested("skus", parent_key="product_id", id_field="product_id"),
        ),
        snapshot=True,
    ),
    # Only orders with a package have been shipped; an order's tracking is read again when the order changes.
    StreamDeclaration(
        "order_tracking",
        ENDPOINTS["orders_search"],
        primary_key=("shop_id", "order_id"),
        incremental=Incremental("update_time"),
        rows=Detail(ENDPOINTS["order_tracking"], "order_id", parent_key="order_id", only_with="packages"),
    ),
    StreamDeclaration(
        "return_records",
        ENDPOINTS["returns_search"],
        primary_key=("shop_id", "return_id"),
        incremental=Incremental("update_time"),
        rows=Detail(ENDPOINTS["return_records"], "return_id", parent_key="return_id", id_field="return_id"),
    ),
    # Search Activities has no time filter: every activity is listed, and only those changed since the last sync
    # are asked for their products.
    StreamDeclaration(
        "promotion_activity_products",
        ENDPOINTS["activities_search"],
        primary_key=("shop_id", "activity_id", "id"),
        incremental=Incremental("update_time", client_side=True, milliseconds=True),
        rows=ChildPages(ENDPOINTS["activity_detail"], "activity_id", parent_key="activity_id"),
    ),
    # The products of each video on each day `shop_video_performance` lists it.
    StreamDeclaration(
        "video_product_performance",
        ENDPOINTS["shop_videos_performance"],
        primary_key=("shop_id", "video_id", "date", "id"),
        incremental=DAILY,
        query_from_config=ANALYTICS_CURRENCY,
        rows=ChildPages(ENDPOINTS["shop_video_products_performance"], "video_id", parent_key="video_id"),
    ),
    # TikTok diagnoses live products only, at most 200 per request (TikTok's notes).
    StreamDeclaration(
        "product_diagnoses",
        ENDPOINTS["products_search"],
        rows=IdBatches(ENDPOINTS["product_diagnoses"], "product_ids", 200, statuses=frozenset({"ACTIVATE"})),
        snapshot=True,
    ),
    StreamDeclaration(
        "sample_application_fulfillments",
        ENDPOINTS["sample_applications_search"],
        primary_key=("shop_id", "application_id", "content_id"),
        rows=ChildPages(ENDPOINTS["sample_application_fulfillments"], "application_id", parent_key="application_id"),
        snapshot=True,
        key_columns={"content_id": "content.id"},
    ),
)

STREAMS_BY_NAME: Mapping[str, StreamDeclaration] = {stream.name: stream for stream in STREAMS}
