"""Affiliate: Search Seller Affiliate Orders (202410), Search Open Collaborations (202412), Search Target
Collaborations and Search Sample Applications (202508)."""

from __future__ import annotations

from .data.affiliate import affiliate_order
from .endpoints import Route, Search
from .params import Filter, time_range

AFFILIATE = "seller.affiliate_collaboration.read"
# TikTok's rules require collaboration_status and leave its values open; its notes on SearchTargetCollaborationsRequest
# give these (the states of data/affiliate.py: VALID lists ONGOING and EXPIRING ones).
COLLABORATION_STATUSES = ("ONGOING", "EXPIRING", "VALID", "CANCELING", "COMPLETED")


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
    page_size=(1, 100, None),
    sort=("create_time", "ASC"),
    filters=(*time_range("create_time"), Filter("program_id", None, "string")),
    group=by_order,
)
SEARCH_OPEN_COLLABORATIONS = Search(
    "open_collaborations",
    "affiliate.open_collaborations",
    page_size=(1, 100, None),
    sort=("create_time", "DESC"),
    sortable=True,
    # TikTok's rules leave sort_field's values open; its notes give these two
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
    # TikTok's notes: "must be 20, 50 or 100"; its rules do not require it, and nothing gives a default: the smallest
    page_size=(20, 100, 20),
    page_sizes=(20, 50, 100),
    filters=(
        Filter("collaboration_status", "search_statuses", "among", COLLABORATION_STATUSES),
        Filter("creator_accept_status", None, "string"),
        Filter("free_sample_setting", None, "string"),
        Filter("creator_user_open_id", None, "string"),
    ),
)
SEARCH_SAMPLE_APPLICATIONS = Search(
    "sample_applications",
    "affiliate.sample_applications",
    # TikTok's notes: "greater than 0 and less than or equal to 50"; its rules do not require it, and nothing gives a
    # default (docs/sandbox.md)
    page_size=(1, 50, 20),
    filters=(
        Filter("status", "status", "enum"),
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
