"""Affiliate: Search Seller Affiliate Orders (202410), Search Open Collaborations (202412), Search Target
Collaborations and Search Sample Applications (202508)."""

from __future__ import annotations

from .data.affiliate import affiliate_order
from .endpoints import Route, Search
from .params import Filter, time_range

AFFILIATE = "seller.affiliate_collaboration.read"
SAMPLE_STATUSES = (
    "PENDING",
    "AWAITING_SHIPMENT",
    "SHIPPED",
    "CONTENT_PENDING",
    "REJECT_CANCELLED",
    "OVERDUE_CANCELLED",
    "UNFULFILL_CANCELLED",
    "DEL_OPEN_COLLAB",
    "SELLER_NOT_SHIP_CANCELLED",
    "WITHDRAW_CANCELLED",
    "UNFULFILLABLE_CANCELLED",
    "OPS_CANCELLED",
    "OPS_FAILED",
    "OPS_COMPLETED",
    "COMPLETED",
)


def by_order(rows: list) -> list[dict]:
    """A page's SKU orders grouped by order: pages count SKU orders, so an order's SKUs may go on over the next page
    (TikTok's notes)."""
    orders: list[tuple] = []
    for row in rows:
        if orders and orders[-1][0] is row.order:
            orders[-1][1].append(row)
        else:
            orders.append((row.order, [row]))
    return [affiliate_order(order, skus) for order, skus in orders]


SEARCH_AFFILIATE_ORDERS = Search(
    "orders",
    "affiliate.skus",
    page_size=(1, 100, 20),
    sort=("create_time", "ASC"),
    filters=(*time_range("create_time"), Filter("program_id", None, "string")),
    group=by_order,
)
SEARCH_OPEN_COLLABORATIONS = Search(
    "open_collaborations",
    "affiliate.open_collaborations",
    page_size=(1, 100, None),
    sort=("create_time", "DESC"),
    sort_fields=("create_time", "product_original_price"),
    filters=(
        Filter("keyword_type", None, "enum", ("PRODUCT_NAME", "PRODUCT_ID")),
        Filter("keyword", None, "string"),
        Filter("top_level_category_id", None, "string"),
    ),
)
SEARCH_TARGET_COLLABORATIONS = Search(
    "target_collaborations",
    "affiliate.target_collaborations",
    page_size=(20, 100, None),
    page_sizes=(20, 50, 100),
    filters=(
        Filter("collaboration_status", None, "string"),
        Filter("creator_accept_status", None, "string"),
        Filter("free_sample_setting", None, "string"),
        Filter("creator_user_open_id", None, "string"),
    ),
)
SEARCH_SAMPLE_APPLICATIONS = Search(
    "sample_applications",
    "affiliate.sample_applications",
    page_size=(1, 50, None),
    filters=(
        Filter("status", "status", "enum", SAMPLE_STATUSES),
        Filter("product_id", None, "string"),
        Filter("order_id", None, "string"),
        Filter("target_collabration_id", None, "string"),
    ),
)

ROUTES = [
    Route(
        "affiliate_orders_search",
        "POST",
        "affiliate_seller",
        ["202410"],
        ["orders", "search"],
        AFFILIATE,
        True,
        SEARCH_AFFILIATE_ORDERS,
    ),
    Route(
        "open_collaborations_search",
        "POST",
        "affiliate_seller",
        ["202412"],
        ["open_collaborations", "search"],
        AFFILIATE,
        True,
        SEARCH_OPEN_COLLABORATIONS,
    ),
    Route(
        "target_collaborations_search",
        "POST",
        "affiliate_seller",
        ["202508"],
        ["target_collaborations", "search"],
        AFFILIATE,
        True,
        SEARCH_TARGET_COLLABORATIONS,
    ),
    Route(
        "sample_applications_search",
        "POST",
        "affiliate_seller",
        ["202508"],
        ["sample_applications", "search"],
        AFFILIATE,
        True,
        SEARCH_SAMPLE_APPLICATIONS,
    ),
]
