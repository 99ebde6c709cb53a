"""Stock: Inventory Search (product 202309) and Fulfilled by TikTok: Get FBT Merchant Onboarded Regions (202409),
Get FBT Warehouse List and Search FBT Inventory (202408), Search FBT Inventory Record (202410), Get FBT Inbound
Order Details (202602). Data: ``data/stock.py``.

A shop not onboarded to FBT hears so from every FBT endpoint but the onboarded regions, whose ``data`` is then
empty (TikTok's notes); the code is the sandbox's (TikTok documents none).
"""

from __future__ import annotations

from .data.stock import fbt, inventory, listed_products
from .endpoints import INVALID_PARAM, Ctx, Route, Search, as_served, run_list
from .params import ApiError, Filter, ids_given, narrowing, page_size, page_token, read_filters, time_range

PRODUCT = "seller.product.basic"
# Sandbox choice: TikTok names no scope for its FBT APIs in the material at hand.
FBT = "seller.fulfillment.basic"
# Sandbox choice (UNCONFIRMED): TikTok documents no code for a seller who is not an FBT merchant.
FBT_NOT_ONBOARDED = 46003001
# TikTok's notes on Inventory Search.
MAX_PRODUCT_IDS = 100
MAX_SKU_IDS = 600
# TikTok gives no limit for the inbound orders asked at once (sandbox choice).
MAX_INBOUND_ORDER_IDS = 50
CARTONS = Filter("include_carton_details", None, "bool")
# TikTok's notes: at most 100 ids of each kind; goods and SKUs are not asked together.
GOODS_IDS = Filter("goods_ids", "goods.id", "in", max_len=100)
SKU_IDS = Filter("sku_ids", "goods.sku.id", "in", max_len=100)
FBT_WAREHOUSE_IDS = Filter("fbt_warehouse_ids", "warehouse_id", "in", max_len=100)


def h_inventory_search(ctx: Ctx):
    """TikTok's notes: SKU ids win over product ids; products give all their SKUs. Ids the shop does not have
    (or that Get Product does not serve) are left out (sandbox choice)."""
    shop = ctx.shop
    stock = inventory(shop)
    sku_ids = ids_given(ctx.body.get("sku_ids"), "sku_ids", MAX_SKU_IDS, INVALID_PARAM)
    product_ids = ids_given(ctx.body.get("product_ids"), "product_ids", MAX_PRODUCT_IDS, INVALID_PARAM)
    served = {p.id: p for p in listed_products(shop)}
    if sku_ids:
        asked: dict[str, set[str]] = {}
        for sku_id in sku_ids:
            product = stock.product_of_sku.get(sku_id)
            if product is not None and product.id in served:
                asked.setdefault(product.id, set()).add(sku_id)
        return {"inventory": [stock.product(served[pid], skus) for pid, skus in asked.items()]}
    if product_ids:
        return {"inventory": [stock.product(served[pid]) for pid in product_ids if pid in served]}
    raise ApiError(INVALID_PARAM, "product_ids or sku_ids is required")


def _fbt(ctx: Ctx):
    family = fbt(ctx.shop)
    if not family.onboarded:
        raise ApiError(FBT_NOT_ONBOARDED, "The seller is not onboarded to Fulfilled by TikTok.")
    return family


def h_onboarded_regions(ctx: Ctx):
    # TikTok's notes: "If seller is not onboarded, `data` will be empty."
    return {"onboarded_regions": [{"region_code": ctx.shop.region}]} if fbt(ctx.shop).onboarded else {}


def h_fbt_warehouses(ctx: Ctx):
    return {"warehouses": _fbt(ctx).warehouses}


def h_fbt_inventory(ctx: Ctx):
    """TikTok's notes: without goods or SKU ids, every goods with stock (or stock on its way) is listed; only the
    subscribed warehouses are searched."""
    family = _fbt(ctx)
    size = page_size(ctx.q, 1, 100, None, INVALID_PARAM)
    token = page_token(ctx.q, INVALID_PARAM)
    filters = read_filters((GOODS_IDS, SKU_IDS, FBT_WAREHOUSE_IDS), ctx.body, INVALID_PARAM, query=False)
    named = {f.name for f, _ in filters}
    if {"goods_ids", "sku_ids"} <= named:
        raise ApiError(INVALID_PARAM, "Do not provide goods_ids and sku_ids in the same request")
    narrowed = narrowing(filters, "nid")
    if not {"goods_ids", "sku_ids"} & named:
        asked = narrowed.pred
        narrowed.pred = lambda row: row.on_hand + row.in_transit > 0 and (asked is None or asked(row))
    records, next_token, total, _ = run_list(
        ctx,
        name="fbt_stock",
        rows_fn=lambda: family.stock,
        sort_attr="nid",
        desc=False,
        size=size,
        token=token,
        narrowed=narrowed,
        token_err=INVALID_PARAM,
        render=as_served,
    )
    return {"next_page_token": next_token, "total_count": total, "inventory": records}


# Sandbox choice: oldest first (TikTok gives no order).
SEARCH_FBT_RECORDS = Search(
    "inventory_records",
    "fbt.records",
    page_size=(1, 100, None),
    sort=("create_time", "ASC"),
    filters=(GOODS_IDS, FBT_WAREHOUSE_IDS, *time_range("create_time", "le")),
    rows_of=lambda shop: fbt(shop).records,
)


def h_fbt_records(ctx: Ctx):
    _fbt(ctx)
    return SEARCH_FBT_RECORDS(ctx)


def h_inbound_orders(ctx: Ctx):
    """The inbound orders asked for, in the order asked; ids the shop has none of are left out (sandbox choice)."""
    family = _fbt(ctx)
    ids = ids_given(ctx.q["order_ids"], "order_ids", MAX_INBOUND_ORDER_IDS, INVALID_PARAM)  # required: the rules
    cartons = bool(CARTONS.read(ctx.q, INVALID_PARAM, query=True))
    found = (family.inbound_order(oid, cartons) for oid in ids)
    return {"inbound_orders": [order for order in found if order is not None]}


ROUTES = [
    Route(
        "inventory_search",
        "POST",
        "product",
        ["202309"],
        ["inventory", "search"],
        PRODUCT,
        True,
        h_inventory_search,
    ),
    Route(
        "fbt_onboarded_regions",
        "GET",
        "fbt",
        ["202409"],
        ["merchants", "onboarded_regions"],
        FBT,
        True,
        h_onboarded_regions,
    ),
    Route("fbt_warehouses", "GET", "fbt", ["202408"], ["warehouses"], FBT, True, h_fbt_warehouses),
    Route("fbt_inventory_search", "POST", "fbt", ["202408"], ["inventory", "search"], FBT, True, h_fbt_inventory),
    Route(
        "fbt_inventory_records_search",
        "POST",
        "fbt",
        ["202410"],
        ["inventory_records", "search"],
        FBT,
        True,
        h_fbt_records,
    ),
    Route("fbt_inbound_orders", "GET", "fbt", ["202602"], ["inbound_orders"], FBT, True, h_inbound_orders),
]
