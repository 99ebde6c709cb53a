"""Settlement by order: Get Transactions by Order (202501) and Get Unsettled Transactions (202507)."""

from __future__ import annotations

from .data.settlements import order_transactions
from .endpoints import INVALID_PARAM, Ctx, Route, Search
from .params import ApiError, Filter

FINANCE = "seller.finance.info"


def h_order_transactions(ctx: Ctx):
    oid = ctx.params["order_id"]
    o = ctx.shop.order_by_id.get(oid)
    if o is None:
        raise ApiError(INVALID_PARAM, f"Invalid order_id: {oid} not found for this shop")
    return order_transactions(o)


# The search time is the order's creation time, the only sort field (docs/sandbox.md). TikTok's rules require
# sort_field and leave its values open; its notes give this one.
GET_UNSETTLED = Search(
    "transactions",
    "unsettled",
    page_size=(1, 100, 20),
    sort=("order_create_time", "ASC"),
    sortable=True,
    sort_fields=("order_create_time",),
    filters=(
        Filter("search_time_ge", "order_create_time", "ge"),
        Filter("search_time_lt", "order_create_time", "lt"),
    ),
    filters_in="query",
)

ROUTES = [
    Route(
        "order_transactions",
        "GET",
        "finance",
        ["202501"],
        ["orders", "{order_id}", "statement_transactions"],
        FINANCE,
        True,
        h_order_transactions,
    ),
    Route(
        "unsettled_transactions", "GET", "finance", ["202507"], ["orders", "unsettled"], FINANCE, True, GET_UNSETTLED
    ),
]
