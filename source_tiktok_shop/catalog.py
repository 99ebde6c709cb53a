"""Every stream, as one declaration: the endpoint it reads, its key, its cursor and how records become rows.

Everything else (discover, partitions, estimates, which streams share pages) is derived from this table.
"""

from collections.abc import Mapping

from .reading.declarations import ChildPages, Detail, Incremental, Nested, StreamDeclaration
from .tiktok.endpoints import ENDPOINTS

DAY_MINUTES = 24 * 60
# Statements and payments change status days after they are created (reference §4.6).
SETTLING = 7 * DAY_MINUTES

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
        rows=ChildPages(ENDPOINTS["statement_transactions"], "statement_id", parent_key="statement_id"),
    ),
    StreamDeclaration("payments", ENDPOINTS["payments"], incremental=Incremental("create_time", SETTLING)),
    StreamDeclaration("withdrawals", ENDPOINTS["withdrawals"], incremental=Incremental("create_time")),
    StreamDeclaration("warehouses", ENDPOINTS["warehouses"]),
    # US shops must read the 7-level v2 category tree (reference §7.5).
    StreamDeclaration("categories", ENDPOINTS["categories"], query_by_region={"US": {"category_version": "v2"}}),
    StreamDeclaration("brands", ENDPOINTS["brands"]),
    StreamDeclaration("promotion_activities", ENDPOINTS["activities_search"]),
    StreamDeclaration("coupons", ENDPOINTS["coupons_search"]),
)

STREAMS_BY_NAME: Mapping[str, StreamDeclaration] = {stream.name: stream for stream in STREAMS}
