"""The analytics endpoints: Get Shop Performance (202609) and the shop products (202605), SKUs (202509), videos
(202605) and LIVEs (202609) performance lists. Their parameters are checked as TikTok documents them; the data is
``data/analytics.py``'s.

Dates are ``YYYY-MM-DD`` in the shop's timezone, ``start_date_ge`` inclusive and ``end_date_lt`` exclusive and
after it. Days after ``latest_available_date`` (yesterday, in the shop's timezone) have no data yet; a
``start_date_ge`` before the oldest day kept (``RETENTION_DAYS`` up to the latest) is refused with
``DATE_TOO_OLD``. The required dates, and the enumerations (sort fields, currencies, granularity, account types,
product status), are TikTok's rules, checked before the handler (spec/__init__.py); each list sorts by every sort
field they give. Page sizes (1 to 100, 10 by default) and the default sort (GMV, descending) are TikTok's notes on
the earlier versions (reference §3).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from . import endpoints
from .data.analytics import ACCOUNTS_OF, Currency, Ranked, ShopAnalytics, analytics_of, iso
from .paging import binding_hash
from .params import ApiError, Filter, Narrowing, page_size, page_token, sort_params

# Sandbox choice: TikTok documents no code for a date older than the data it keeps (UNCONFIRMED).
DATE_TOO_OLD = 66007004
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CURRENCY = Filter("currency", None, "enum")
# TikTok's rules enumerate currency on every list but the SKUs' (its notes neither): the others' values, a sandbox
# choice (docs/sandbox.md)
SKU_CURRENCY = Filter("currency", None, "enum", ("LOCAL", "USD"))
GRANULARITY = Filter("granularity", None, "enum")
ACCOUNT_TYPE = Filter("account_type", None, "enum", wildcard="ALL")  # ALL: the videos' only (TikTok's rules)
PRODUCT_IDS = Filter("product_ids", None, "csv")


def date_param(q: dict, name: str) -> int:
    raw = q[name]  # required: TikTok's rules (checked before), or a path parameter
    try:
        if not DATE.fullmatch(raw):
            raise ValueError(raw)
        return datetime.date.fromisoformat(raw).toordinal()
    except ValueError:
        raise ApiError(endpoints.INVALID_PARAM, f"Invalid {name}: must be a date YYYY-MM-DD") from None


def days_asked(
    q: dict, analytics: ShopAnalytics, names: tuple[str, str] = ("start_date_ge", "end_date_lt"), today: bool = False
) -> range:
    """The days asked for that have data: up to the latest available day (with ``today``, up to today)."""
    first, after = names
    start, end = date_param(q, first), date_param(q, after)
    if end <= start:
        raise ApiError(endpoints.INVALID_PARAM, f"Invalid {after}: must be after {first}")
    if start < analytics.oldest:
        raise ApiError(
            DATE_TOO_OLD,
            f"Invalid {first}: data is kept from {iso(analytics.oldest)} on ({iso(start)} is older)",
        )
    return range(start, max(start, min(end, analytics.latest + (2 if today else 1))))


def _read(f: Filter, q: dict, default: str | None = None):
    value = f.read(q, endpoints.INVALID_PARAM, query=True)
    return default if value is None else value


def h_shop_performance(ctx):
    analytics = analytics_of(ctx.shop)
    days = days_asked(ctx.q, analytics)
    currency = Currency(ctx.shop, _read(CURRENCY, ctx.q, "LOCAL"))
    granularity = _read(GRANULARITY, ctx.q, "ALL")
    periods = [range(day, day + 1) for day in days] if granularity == "1D" else [days] if days else []
    return {
        "latest_available_date": iso(analytics.latest),
        "performance": {"intervals": [analytics.shop_interval(period, currency) for period in periods]},
    }


# (analytics, days, currency, the filters read) → the list's rows
Rows = Callable[[ShopAnalytics, range, Currency, dict], list[Ranked]]


@dataclass(frozen=True)
class PerformanceList:
    """One of the performance lists: its records key, rows (each sorts by every sort field TikTok's rules give the
    list), the sort field where a call sends none (sorted descending), and filters."""

    records_key: str
    rows: Rows
    default_sort: str = "gmv"
    filters: tuple[Filter, ...] = ()
    currency: Filter = CURRENCY
    updated_at: bool = False  # the page says when its data was last updated
    path_params: tuple[str, ...] = ()  # path parameters the rows are of (a video's products), passed with the filters

    def __call__(self, ctx):
        q = ctx.q
        size = page_size(q, 1, 100, 10, endpoints.INVALID_PARAM)
        token = page_token(q, endpoints.INVALID_PARAM)
        sort_field, desc = sort_params(q, (), self.default_sort, "DESC", endpoints.INVALID_PARAM)
        analytics = analytics_of(ctx.shop)
        days = days_asked(q, analytics)
        currency = Currency(ctx.shop, _read(self.currency, q, "LOCAL"))
        filters = {f.name: _read(f, q) for f in self.filters}
        filters.update({name: ctx.params[name] for name in self.path_params})
        binding = {"days": [days.start, days.stop], "currency": currency.code}
        binding.update({name: sorted(v) if isinstance(v, set) else v for name, v in filters.items()})
        records, next_token, total, _ = endpoints.run_list(
            ctx,
            name=f"{ctx.route.key}:{binding_hash(binding)}",
            rows_fn=lambda: self.rows(analytics, days, currency, filters),
            sort_attr=sort_field,
            desc=desc,
            size=size,
            token=token,
            narrowed=Narrowing(binding=binding),
            token_err=endpoints.INVALID_PARAM,
            render=Ranked.render,
        )
        out = {
            self.records_key: records,
            "next_page_token": next_token,
            "total_count": total,
            "latest_available_date": iso(analytics.latest),
        }
        if self.updated_at:
            out["updated_at"] = updated_at(analytics)
        return out


def updated_at(analytics: ShopAnalytics) -> str:
    """When the LIVE figures were last updated, in the shop's timezone: the morning after the latest day."""
    return f"{iso(analytics.latest + 1)} 08:00:00"


def _accounts(filters: dict) -> tuple[str, ...] | None:
    chosen = filters.get("account_type")
    return ACCOUNTS_OF[chosen] if chosen else None


SHOP_PRODUCTS = PerformanceList(
    "products",
    lambda a, days, currency, filters: a.products(days, currency),
    # Taken and checked, not filtered on (docs/sandbox.md).
    filters=(Filter("category_filter", None, "string"), Filter("product_status_filter", None, "enum")),
)
SHOP_SKUS = PerformanceList(
    "skus",
    lambda a, days, currency, filters: a.skus(days, currency, filters.get("product_ids")),
    filters=(PRODUCT_IDS, Filter("category_filter", None, "string"), Filter("product_status_filter", None, "enum")),
    currency=SKU_CURRENCY,
)
SHOP_VIDEOS = PerformanceList(
    "videos",
    lambda a, days, currency, filters: a.videos_of(days, currency, _accounts(filters)),
    filters=(ACCOUNT_TYPE,),
)
# TikTok's rules have no gmv among the LIVE list's sort fields: its attributed GMV is the default (a sandbox choice)
SHOP_LIVES = PerformanceList(
    "live_stream_sessions",
    lambda a, days, currency, filters: a.lives_of(days, currency, _accounts(filters)),
    default_sort="live_attributed_gmv",
    filters=(ACCOUNT_TYPE,),  # required: TikTok's rules
    updated_at=True,
)

SCOPE = "data.shop_analytics.public.read"
# key, version, path after /analytics/{version}/, handler: registered in the route table (endpoints.py).
ROUTES = (
    ("shop_performance", "202609", ["shop", "performance"], h_shop_performance),
    ("shop_products_performance", "202605", ["shop_products", "performance"], SHOP_PRODUCTS),
    ("shop_skus_performance", "202509", ["shop_skus", "performance"], SHOP_SKUS),
    ("shop_videos_performance", "202605", ["shop_videos", "performance"], SHOP_VIDEOS),
    ("shop_lives_performance", "202609", ["shop_lives", "performance"], SHOP_LIVES),
)
