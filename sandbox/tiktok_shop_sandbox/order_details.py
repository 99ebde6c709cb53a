"""An order's own calls: Get Order Price Details (202407), Get External Order References and Search Orders by
External Order Reference (202406), Get Order Tracking (fulfillment 202309). Data: ``data/order_details.py``."""

from __future__ import annotations

from .data.order_details import external_orders, price_detail, tracking
from .endpoints import ORDER_NOT_OWNED, Ctx, Route
from .params import ApiError

ORDER = "seller.order.info"
# Reference §4.1: Get Order Tracking needs the logistics scope.
LOGISTICS = "seller.logistics"


def _order(ctx: Ctx):
    """The order of the path; another shop's or an unknown id is refused as Get Order Detail refuses it."""
    oid = ctx.params["order_id"]
    order = ctx.shop.order_by_id.get(oid)
    if order is None:
        raise ApiError(ORDER_NOT_OWNED, f"The order {oid} does not belong to this seller")
    return order


def h_price_detail(ctx: Ctx):
    return price_detail(_order(ctx))


def h_external_orders(ctx: Ctx):
    order = _order(ctx)
    return {"external_orders": external_orders(ctx.shop).of(order.id, ctx.q["platform"])}  # required: the rules


def h_external_order_search(ctx: Ctx):
    platform, ref_id = ctx.q["platform"], ctx.q["external_order_id"]  # required: TikTok's rules (checked before)
    refs = external_orders(ctx.shop)
    found = [
        {"id": oid, "external_order": ref}
        for oid in refs.by_reference.get((platform, ref_id), ())
        for ref in refs.of(oid, platform)
        if ref["id"] == ref_id
    ]
    # TikTok's notes: `orders` may be omitted when no order matches
    return {"orders": found} if found else {}


def h_tracking(ctx: Ctx):
    return {"tracking": tracking(_order(ctx))}


ROUTES = [
    Route(
        "order_price_detail",
        "GET",
        "order",
        ["202407"],
        ["orders", "{order_id}", "price_detail"],
        ORDER,
        True,
        h_price_detail,
    ),
    Route(
        "external_orders",
        "GET",
        "order",
        ["202406"],
        ["orders", "{order_id}", "external_orders"],
        ORDER,
        True,
        h_external_orders,
    ),
    Route(
        "external_order_search",
        "POST",
        "order",
        ["202406"],
        ["orders", "external_order_search"],
        ORDER,
        True,
        h_external_order_search,
    ),
    Route(
        "order_tracking",
        "GET",
        "fulfillment",
        ["202309"],
        ["orders", "{order_id}", "tracking"],
        LOGISTICS,
        True,
        h_tracking,
    ),
]
