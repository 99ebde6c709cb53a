"""The detail reads of one record: Get Return Records (202309), Get Activity (promotion 202309), Get Product
Diagnoses (202405). Data: ``data/record_details.py`` and ``data/promotion_details.py``."""

from __future__ import annotations

from .data.derived import derived
from .data.promotion_details import activity_details
from .data.record_details import diagnoses, return_records
from .endpoints import INVALID_PARAM, RETURNS_PARAM, Ctx, Route
from .params import ApiError, ids_given

# TikTok's notes on Get Product Diagnoses.
MAX_DIAGNOSED = 200


def _returns_by_id(shop) -> dict:
    return {r.id: r for r in shop.returns}


def h_return_records(ctx: Ctx):
    rid = ctx.params["return_id"]
    ret = derived(ctx.shop, _returns_by_id).get(rid)
    if ret is None:
        raise ApiError(RETURNS_PARAM, f"Invalid return_id: {rid} not found for this shop")
    # `locale` is taken as any list of locales; the texts stay in English (sandbox choice)
    return {"records": return_records(ret)}


def h_activity(ctx: Ctx):
    aid = ctx.params["activity_id"]
    found = activity_details(ctx.shop).detail(aid)
    if found is None:
        raise ApiError(INVALID_PARAM, f"Invalid activity_id: {aid} not found for this shop")
    return found


def h_diagnoses(ctx: Ctx):
    """The live products asked for, in the order asked; products not live or not the shop's are left out (sandbox
    choice: TikTok diagnoses live products only)."""
    ids = ids_given(ctx.q["product_ids"], "product_ids", MAX_DIAGNOSED, INVALID_PARAM)  # required: the rules
    shop = ctx.shop
    found = diagnoses(shop).by_id
    return {"products": [found[pid] for pid in ids if pid in found and shop.product_by_id[pid].status == "ACTIVATE"]}


ROUTES = [
    Route(
        "return_records",
        "GET",
        "return_refund",
        ["202309"],
        ["returns", "{return_id}", "records"],
        "seller.return_refund.basic",
        True,
        h_return_records,
    ),
    Route(
        "activity_detail",
        "GET",
        "promotion",
        ["202309"],
        ["activities", "{activity_id}"],
        "seller.promotion.info",
        True,
        h_activity,
    ),
    Route(
        "product_diagnoses",
        "GET",
        "product",
        ["202405"],
        ["products", "diagnoses"],
        "seller.product.basic",
        True,
        h_diagnoses,
    ),
]
