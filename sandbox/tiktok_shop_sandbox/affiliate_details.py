"""Affiliate, beyond the searches of ``affiliate_search.py``: Search Sample Application Fulfillments (202409),
Seller Search Open Collaboration Products (202405), Get Weekly Creator Outreach Records (202608). Data:
``data/affiliate_details.py``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .affiliate_search import AFFILIATE
from .data.affiliate_details import fulfillments, marketplace, outreach
from .endpoints import INVALID_PARAM, Ctx, Route, as_served, run_list
from .params import ApiError, Narrowing, integer, page_size, page_token, sort_params

# TikTok's notes on the open-collaboration product search.
MARKET_SORTS = ("commission_rate", "product_sales_price", "commission", "units_sold")
MAX_KEYWORDS = 20
MAX_KEYWORD_LENGTH = 255
# TikTok's notes on the outreach records: page_index > 0, page_size > 1 and <= 50.
OUTREACH_PAGE_SIZE = (2, 50)


def h_fulfillments(ctx: Ctx):
    aid = ctx.params["application_id"]
    found = fulfillments(ctx.shop).by_id.get(aid)
    if found is None:
        raise ApiError(INVALID_PARAM, f"Invalid application_id: {aid} is not a sample application of this shop")
    kind = ctx.body.get("content_format")
    return {"fulfillments": [f for f in found if not kind or f["content"]["format"] == kind]}


def _object(body: dict, name: str) -> dict:
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ApiError(INVALID_PARAM, f"Invalid {name}: must be an object")
    return value


def _minor(value, name: str, dec: int) -> int | None:
    """A decimal amount in the shop's minor units (None: not given)."""
    if value is None or value == "":
        return None
    try:
        return int(Decimal(str(value)) * 10**dec)
    except InvalidOperation:
        raise ApiError(INVALID_PARAM, f"Invalid {name}: must be a decimal amount") from None


def _market_filters(ctx: Ctx) -> Narrowing:
    """The body's filter groups: a product matches every group given (TikTok's notes)."""
    body = ctx.body
    tests = []
    keywords = body.get("title_keywords")
    if keywords:
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise ApiError(INVALID_PARAM, "Invalid title_keywords: must be an array of strings")
        if len(keywords) > MAX_KEYWORDS or any(len(k) > MAX_KEYWORD_LENGTH for k in keywords):
            raise ApiError(
                INVALID_PARAM,
                f"Invalid title_keywords: at most {MAX_KEYWORDS} keywords of {MAX_KEYWORD_LENGTH} characters",
            )
        words = [k.strip().lower() for k in keywords if k.strip()]
        tests.append(lambda row: all(w in row.title for w in words))  # loosely matched: all of them, any case
    prices = _object(body, "sales_price_range")
    dec = ctx.shop.dec
    low, high = _minor(prices.get("amount_ge"), "amount_ge", dec), _minor(prices.get("amount_lt"), "amount_lt", dec)
    if low is not None:
        tests.append(lambda row: row.min_price >= low)
    if high is not None:
        tests.append(lambda row: row.min_price < high)
    category = _object(body, "category").get("id")
    if category:
        tests.append(lambda row: category in row.category_ids)
    rates = _object(body, "commission_rate_range")
    for name, test in (("rate_ge", lambda r, v: r >= v), ("rate_lt", lambda r, v: r < v)):
        if rates.get(name) is not None:
            bound = integer(rates[name], name, INVALID_PARAM)
            tests.append(lambda row, bound=bound, test=test: test(row.commission_rate, bound))
    binding = {
        key: body.get(key) for key in ("title_keywords", "sales_price_range", "category", "commission_rate_range")
    }
    return Narrowing(pred=(lambda row: all(t(row) for t in tests)) if tests else None, binding=binding)


def h_market_products(ctx: Ctx):
    q = ctx.q
    size = page_size(q, 1, 20, None, INVALID_PARAM)
    token = page_token(q, INVALID_PARAM)
    sort_field, desc = sort_params(q, MARKET_SORTS, "commission_rate", "ASC", INVALID_PARAM)
    market = marketplace(ctx.shop)
    records, next_token, total, _ = run_list(
        ctx,
        name="marketplace",
        rows_fn=market.listed,
        sort_attr=sort_field,
        desc=desc,
        size=size,
        token=token,
        narrowed=_market_filters(ctx),
        token_err=INVALID_PARAM,
        render=as_served,
    )
    return {"products": records, "next_page_token": next_token, "total_count": total}


def h_outreach(ctx: Ctx):
    body = ctx.body  # page_index and page_size are required: TikTok's rules (checked before)
    index = integer(body["page_index"], "page_index", INVALID_PARAM, minimum=1)
    lo, hi = OUTREACH_PAGE_SIZE
    size = integer(body["page_size"], "page_size", INVALID_PARAM)
    if not lo <= size <= hi:
        raise ApiError(INVALID_PARAM, f"Invalid page_size: must be between {lo} and {hi}")
    records = outreach(ctx.shop).records
    page = records[(index - 1) * size : index * size]
    return {"data": {"total": len(records), "connect_list": [dict(r) for r in page]}}


ROUTES = [
    Route(
        "sample_application_fulfillments_search",
        "POST",
        "affiliate_seller",
        ["202409"],
        ["sample_applications", "{application_id}", "fulfillments", "search"],
        AFFILIATE,
        True,
        h_fulfillments,
    ),
    Route(
        "open_collaboration_products_search",
        "POST",
        "affiliate_seller",
        ["202405"],
        ["open_collaborations", "products", "search"],
        AFFILIATE,
        True,
        h_market_products,
    ),
    Route(
        "creator_outreach_records",
        "POST",
        "affiliate_seller",
        ["202608"],
        ["creator_outreach", "records", "query"],
        AFFILIATE,
        True,
        h_outreach,
    ),
]
