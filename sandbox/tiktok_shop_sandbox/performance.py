"""Performance beyond the daily lists: Get Customer Service Performance (202407), the Shop Performance Score's
overview and metrics (202606), Get Shop Performance Per Hour (202510), Get Shop Video Product Performance List
(202509) and Get Shop LIVE Performance Overview (202609). Data: ``data/performance.py``.

Dates are those of ``analytics.py``: the shop's timezone, kept for the retention, up to the latest available day;
the hours of the last 30 days, today's up to now (TikTok's notes).
"""

from __future__ import annotations

from . import analytics
from .data.analytics import Currency, analytics_of, iso
from .data.derived import derived
from .data.performance import (
    HOURLY_DAYS,
    LIVE_OVERVIEW_ACCOUNTS,
    SCORE_UNAVAILABLE_IN,
    customer_service,
    hourly,
    live_interval,
    score,
    today,
    video_products,
)
from .endpoints import INVALID_PARAM, Ctx, Route
from .params import ApiError, Filter

CUSTOMER_SERVICE = "seller.customer_service"
TODAY = Filter("today", None, "bool")


def h_customer_service(ctx: Ctx):
    days = analytics.days_asked(ctx.q, analytics_of(ctx.shop), ("support_date_ge", "support_date_lt"))
    # a period without a day of data yet answers no performance (sandbox choice)
    return {"performance": customer_service(ctx.shop).performance(days)} if days else {}


def h_score_overview(ctx: Ctx):
    # `locale` is taken; the texts are in English (sandbox choice)
    return score(ctx.shop).overview


def h_score_metrics(ctx: Ctx):
    return {"metrics": score(ctx.shop).metric_records()}


def _currency(ctx: Ctx) -> Currency:
    return Currency(ctx.shop, ctx.q.get("currency") or "LOCAL")


def h_hourly(ctx: Ctx):
    shop = ctx.shop
    day = analytics.date_param(ctx.params, "date")
    oldest = today(shop) - HOURLY_DAYS + 1
    if day < oldest:
        raise ApiError(
            analytics.DATE_TOO_OLD,
            f"Invalid date: the hours of the last {HOURLY_DAYS} days are kept, from {iso(oldest)} on",
        )
    return {"performance": hourly(shop, day, _currency(ctx))}


def _videos_by_id(shop) -> dict:
    return {v.id: v for v in analytics_of(shop).videos}


def _video_products(a, days: range, currency: Currency, filters: dict):
    video = derived(a.shop, _videos_by_id).get(filters["video_id"])
    if video is None:
        raise ApiError(INVALID_PARAM, f"Invalid video_id: {filters['video_id']} is not a video of this shop")
    return video_products(a.shop, video, days, currency)


# TikTok's notes on 202409: page size 1-100, default 10; sorted by gmv (the default), units_sold or
# daily_avg_buyers (TikTok's rules), DESC.
VIDEO_PRODUCTS = analytics.PerformanceList("products", _video_products, path_params=("video_id",))


def h_live_overview(ctx: Ctx):
    shop = ctx.shop
    a = analytics_of(shop)
    # `today=true` adds today's sessions so far
    days = analytics.days_asked(ctx.q, a, today=bool(TODAY.read(ctx.q, INVALID_PARAM, query=True)))
    currency = _currency(ctx)
    accounts = LIVE_OVERVIEW_ACCOUNTS.get(ctx.q.get("account_type") or "ALL")
    periods = [range(day, day + 1) for day in days] if ctx.q.get("granularity") == "1D" else [days] if days else []
    return {
        "latest_available_date": iso(a.latest),
        "performance": {"intervals": [live_interval(shop, period, currency, accounts) for period in periods]},
        "updated_at": analytics.updated_at(a),
    }


ROUTES = [
    Route(
        "customer_service_performance",
        "GET",
        "customer_service",
        ["202407"],
        ["performance"],
        CUSTOMER_SERVICE,
        True,
        h_customer_service,
    ),
    Route(
        "shop_performance_score",
        "GET",
        "analytics",
        ["202606"],
        ["shop_performances", "overview"],
        analytics.SCOPE,
        True,
        h_score_overview,
        unavailable_in=SCORE_UNAVAILABLE_IN,
    ),
    Route(
        "shop_performance_score_metrics",
        "GET",
        "analytics",
        ["202606"],
        ["shop_performances", "metrics"],
        analytics.SCOPE,
        True,
        h_score_metrics,
        unavailable_in=SCORE_UNAVAILABLE_IN,
    ),
    Route(
        "shop_performance_per_hour",
        "GET",
        "analytics",
        ["202510"],
        ["shop", "performance", "{date}", "performance_per_hour"],
        analytics.SCOPE,
        True,
        h_hourly,
    ),
    Route(
        "shop_video_products_performance",
        "GET",
        "analytics",
        ["202509"],
        ["shop_videos", "{video_id}", "products", "performance"],
        analytics.SCOPE,
        True,
        VIDEO_PRODUCTS,
    ),
    Route(
        "shop_lives_overview_performance",
        "GET",
        "analytics",
        ["202609"],
        ["shop_lives", "overview_performance"],
        analytics.SCOPE,
        True,
        h_live_overview,
    ),
]
