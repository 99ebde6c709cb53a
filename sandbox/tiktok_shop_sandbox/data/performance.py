"""Performance beyond the daily lists (``analytics.py``), derived from the same orders, videos and LIVE sessions:
Get Customer Service Performance (202407), the Shop Performance Score (SPS overview and metrics, 202606), Get
Shop Performance Per Hour (202510), the products of a video (202509) and the LIVE overview (202609).

Customer service: each day has chat sessions drawn for it; the day's paid orders whose buyer chatted first (by the
order's seed) are its conversions and its CS-guided GMV. A period's figures are its days' counts added up, the
percentages taken of the sums, so a week agrees with its days.

The score: six metrics over windows ending with the latest analytics day, from the shop's orders, packages,
returns and chats where they can be (NRR, the negative review rate, is drawn: the sandbox has no reviews); each
scored 0-5 against its benchmarks, the dimensions the mean of their metrics, the score the dimensions' weighted
mean.

Hours: a day's paid orders by the local hour they were paid, the day's traffic split over its hours by a fixed
daily curve; so the hours add up to the day's Get Shop Performance (customers, counted once a day, excepted).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from .aftersales import SELLER_FAULT
from .analytics import (
    ACCOUNTS_OF,
    CARD,
    CREATOR_LIVE,
    CREATOR_VIDEO,
    EPOCH,
    SELLER_ACCOUNTS,
    SELLER_LIVE,
    SELLER_VIDEO,
    Currency,
    Ranked,
    Tally,
    analytics_of,
    iso,
    rate,
    views_on,
)
from .common import DAY, HOUR, money, split
from .derived import derived

# -- customer service ---------------------------------------------------------------------------------------


@dataclass
class Chats:
    """A period's chat sessions: how many were answered within a day and how fast, rated, satisfied, converted."""

    sessions: int = 0
    responded: int = 0
    response_minutes: int = 0
    rated: int = 0
    satisfied: int = 0
    converted: int = 0
    guided_gmv: int = 0

    def add(self, other: Chats) -> Chats:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}" if whole else "0.00"


def chatted_first(order) -> bool:
    """Whether the order's buyer asked the shop in chat before buying: 15 % of orders, by the order's seed."""
    return random.Random(order.rseed ^ 0xC5C5).random() < 0.15


class CustomerService:
    def __init__(self, shop):
        self.shop = shop
        self.analytics = analytics_of(shop)
        self._days: dict[int, Chats] = {}

    def day(self, day: int) -> Chats:
        found = self._days.get(day)
        if found is None:
            rng = random.Random(f"cs:{self.shop.world.seed}:{self.shop.id}:{day}")
            orders = [order for order, _ in self.analytics.sales_on(day) if chatted_first(order)]
            sessions = len(orders) + rng.randint(0, 25)
            responded = sessions - rng.randint(0, min(2, sessions))
            rated = rng.randint(0, sessions)
            found = self._days[day] = Chats(
                sessions=sessions,
                responded=responded,
                response_minutes=round(responded * rng.uniform(2, 90)),
                rated=rated,
                satisfied=rated - rng.randint(0, rated // 4),
                converted=len(orders),
                guided_gmv=sum(order.pay.sub_total for order in orders),
            )
        return found

    def period(self, days: range) -> Chats:
        total = Chats()
        for day in days:
            total.add(self.day(day))
        return total

    def performance(self, days: range) -> dict:
        """Get Customer Service Performance's ``performance`` for ``days``."""
        c = self.period(days)
        shop = self.shop
        return {
            "support_session_count": c.sessions,
            "response_percentage": percent(c.responded, c.sessions),
            "satisfaction_percentage": percent(c.satisfied, c.rated),
            "response_time_mins": f"{c.response_minutes / c.responded:.1f}" if c.responded else "0.0",
            "conversion_rate": percent(c.converted, c.sessions),
            "cs_guided_gmv": money(c.guided_gmv, shop.dec),
            "currency": shop.currency,
        }


def customer_service(shop) -> CustomerService:
    return derived(shop, CustomerService)


# -- the Shop Performance Score -----------------------------------------------------------------------------

# Sandbox choice: the market without the score (TikTok does not say which markets have it).
SCORE_UNAVAILABLE_IN = frozenset({"ID"})


@dataclass(frozen=True)
class Metric:
    code: str
    name: str
    dimension: str
    unit: str  # PERCENT or HOURS
    days: int  # the evaluation window
    excellent: float
    poor: float

    def text(self, value: float) -> str:
        return f"{value:.2f}" if self.unit == "PERCENT" else f"{value:.1f}"


METRICS = (
    Metric("NRR", "Negative review rate", "Product satisfaction", "PERCENT", 90, 0.5, 2.0),
    Metric("NBFR", "Negative buyer feedback rate", "Product satisfaction", "PERCENT", 90, 0.5, 1.5),
    Metric("SFCR", "Seller-fault cancellation rate", "Fulfillment", "PERCENT", 30, 0.5, 2.5),
    Metric("OTDR", "On-time dispatch rate", "Fulfillment", "PERCENT", 30, 98.0, 90.0),
    Metric("AHT", "Average handling time", "Fulfillment", "HOURS", 30, 24.0, 48.0),
    Metric("IM_DSAT", "Chat dissatisfaction rate", "Customer service", "PERCENT", 30, 5.0, 15.0),
)
DIMENSION_WEIGHTS = {"Product satisfaction": 40, "Fulfillment": 40, "Customer service": 20}
STATUS_TEXT = {"EXCELLENT": "Excellent", "GOOD": "Good", "POOR": "Normal", "CRITICAL": "Attention", "NIL": "No data"}
# The fixed set of benefits and the score each needs (sandbox's).
BENEFITS = (
    ("Campaign access", "3.0"),
    ("Lower flash-sale commission", "4.0"),
    ("Ads credit", "4.5"),
    ("Priority seller support", "4.8"),
)


def tier(score: float) -> str:
    return "EXCELLENT" if score >= 4.5 else "GOOD" if score >= 3.0 else "POOR" if score >= 1.0 else "CRITICAL"


class Score:
    """A shop's score, its metrics and their windows, as of the end of its latest analytics day."""

    def __init__(self, shop):
        self.shop = shop
        a = analytics_of(shop)
        self.end = (a.latest + 1 - EPOCH) * DAY - a.offset  # the shop's midnight after its latest day
        rng = random.Random(f"sps:{shop.world.seed}:{shop.id}")
        nrr = rng.uniform(0.1, 3.0)
        self.metrics = [self._metric(m, a, nrr) for m in METRICS]
        self.overview = self._overview()

    def _value(self, m: Metric, a, nrr: float) -> float | None:
        """The metric over its window, or None where nothing happened in it."""
        shop = self.shop
        start, end = self.end - m.days * DAY, self.end
        orders = [o for o in shop.orders if start <= o.paid_time < end]
        if m.code == "NRR":
            return nrr
        if m.code == "SFCR":
            cancelled = sum(1 for o in orders if o.status == "CANCELLED" and o.cancel_initiator == "SELLER")
            return 100 * cancelled / len(orders) if orders else None
        if m.code in ("OTDR", "AHT"):
            first = [(o, min(p.create_time for p in o.packages)) for o in shop.orders if o.packages]
            first = [(o, t) for o, t in first if start <= t < end]
            if not first:
                return None
            if m.code == "OTDR":  # packed by the order's ready-to-ship SLA (two days from its creation)
                return 100 * sum(1 for o, t in first if t <= o.create_time + 2 * DAY) / len(first)
            return sum(t - o.paid_time for o, t in first) / len(first) / HOUR
        if m.code == "NBFR":
            delivered = sum(1 for o in shop.orders if start <= o.delivery_time < end)
            faults = sum(1 for r in shop.returns if start <= r.create_time < end and r.reason in SELLER_FAULT)
            return 100 * faults / delivered if delivered else None
        chats = customer_service(shop).period(range(a.day_of(start), a.latest + 1))
        return 100 * (chats.rated - chats.satisfied) / chats.rated if chats.rated else None

    def _metric(self, m: Metric, a, nrr: float) -> dict:
        value = self._value(m, a, nrr)
        if value is None:
            status, score, shortfall = "NIL", 0.0, 0.0
        else:
            # how far from excellent towards poor: <= 0 excellent, 1 at the poor threshold
            shortfall = (value - m.excellent) / (m.poor - m.excellent)
            if shortfall <= 0:
                status, score = "EXCELLENT", 5.0
            elif shortfall < 1:
                status, score = "GOOD", 5 - 2 * shortfall
            elif shortfall < 2:
                status, score = "POOR", 3 - 2 * (shortfall - 1)
            else:
                status, score = "CRITICAL", max(0.0, 1 - (shortfall - 2))
        weak = status in ("POOR", "CRITICAL")
        return {
            "benchmarks": {"excellent_threshold": m.text(m.excellent), "poor_threshold": m.text(m.poor)},
            "dimension": m.dimension,
            "evaluate_duration_days": m.days,
            "end_evaluation_time": self.end,
            "start_evaluation_time": self.end - m.days * DAY,
            "metric_code": m.code,
            "metric_name": m.name,
            "score": f"{score:.1f}",
            "status": status,
            "status_text": STATUS_TEXT[status],
            "value": m.text(value) if value is not None else "0",
            "value_unit": m.unit,
            "top_reason_text": "A key contributor to the score" if weak else "",
            "_shortfall": shortfall,
        }

    def _overview(self) -> dict:
        shop = self.shop
        dimensions, weighted, weights = [], 0.0, 0
        for name, weight in DIMENSION_WEIGHTS.items():
            scored = [float(m["score"]) for m in self.metrics if m["dimension"] == name and m["status"] != "NIL"]
            if scored:
                score = round(sum(scored) / len(scored), 1)
                status = tier(score)
                weighted += weight * score
                weights += weight
            else:
                score, status = 0.0, "NIL"
            dimensions.append(
                {
                    "name": name,
                    "score": f"{score:.1f}",
                    "status": status,
                    "status_text": STATUS_TEXT[status],
                    "weight": str(weight),
                }
            )
        sps = round(weighted / weights, 1) if weights else 0.0
        sps_tier = tier(sps) if weights else "NIL"
        weak = sorted((m for m in self.metrics if m["status"] in ("POOR", "CRITICAL")), key=lambda m: float(m["score"]))
        widest = max(m.days for m in METRICS)
        # the top-level category most of the shop's products are in
        top = Counter(_root(shop.world, p.category) for p in shop.products)
        category = shop.world.category_by_id[top.most_common(1)[0][0]] if top else None
        return {
            "benefits": [
                {"benefit_name": name, "is_unlocked": sps >= float(needed), "unlock_score": needed}
                for name, needed in BENEFITS
            ],
            "dimensions": dimensions,
            "evaluate_duration_days": widest,
            "end_evaluation_time": self.end,
            "start_evaluation_time": self.end - widest * DAY,
            "peer_percentile": str(min(99, round(sps / 5 * 100))),
            "primary_category": {
                "category_id": category["id"] if category else "",
                "category_name": category["local_name"] if category else "",
            },
            "sps_score": f"{sps:.1f}",
            "sps_tier": sps_tier,
            "sps_tier_text": STATUS_TEXT[sps_tier],
            "top_issues": {
                "issues": [
                    {
                        "description": f"{m['metric_name']} is {m['value']}"
                        f"{'%' if m['value_unit'] == 'PERCENT' else ' h'}; the poor threshold is "
                        f"{m['benchmarks']['poor_threshold']}.",
                        "evaluate_duration_days": m["evaluate_duration_days"],
                        "end_evaluation_time": m["end_evaluation_time"],
                        "start_evaluation_time": m["start_evaluation_time"],
                        "metric_code": m["metric_code"],
                        "metric_name": m["metric_name"],
                        "percentile": str(max(1, min(99, round(100 - 30 * m["_shortfall"])))),
                        "rank": k + 1,
                    }
                    for k, m in enumerate(weak)
                ],
                "summary": f"{len(weak)} metric(s) need attention." if weak else "No metric needs attention.",
            },
            "update_time": self.end,
        }

    def metric_records(self) -> list[dict]:
        return [{k: v for k, v in m.items() if not k.startswith("_")} for m in self.metrics]


def _root(world, category: str) -> str:
    while world.category_by_id[category]["parent_id"] != "0":
        category = world.category_by_id[category]["parent_id"]
    return category


def score(shop) -> Score:
    return derived(shop, Score)


# -- hours --------------------------------------------------------------------------------------------------

# The share of a day's traffic in each local hour: quiet at night, busiest in the evening.
HOUR_WEIGHTS = (2, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 7, 8, 7, 6, 6, 7, 8, 10, 12, 12, 10, 7, 4)
TRAFFIC = ("product_impressions", "product_clicks", "unique_product_impressions", "unique_clicks")
HOURLY_DAYS = 30  # TikTok's notes: the last 30 days, today included


def _hour_figures(f, currency: Currency, traffic: dict) -> dict:
    t, by = f.shop, f.channels
    m = currency.money
    sku_orders = len(t.sku_orders)
    return {
        "avg_order_value": m(t.aov()),
        "avg_sku_order_value": m(t.gmv // sku_orders if sku_orders else 0),
        "customers": len(t.customers),
        "customers_count": len(t.customers),
        "gmv": m(t.gmv),
        "items_sold": t.items,
        "live_attributed_gmv": m(by[SELLER_LIVE].gmv + by[CREATOR_LIVE].gmv),
        "orders_count": len(t.orders),
        "product_card_attributed_gmv": m(by[CARD].gmv),
        "product_clicks": traffic["product_clicks"],
        "product_impressions": traffic["product_impressions"],
        "sku_orders_count": sku_orders,
        "unique_clicks": traffic["unique_clicks"],
        "unique_product_impressions": traffic["unique_product_impressions"],
        "video_attributed_gmv": m(by[SELLER_VIDEO].gmv + by[CREATOR_VIDEO].gmv),
        "visitors": traffic["unique_clicks"],
    }


def today(shop) -> int:
    return analytics_of(shop).day_of(shop.world.now_ts)


def hourly(shop, day: int, currency: Currency) -> dict:
    """Get Shop Performance Per Hour's ``performance`` for a day up to today: the hours that have ended."""
    a = analytics_of(shop)
    now = shop.world.now_ts
    current = today(shop)
    hours = 24 if day < current else (now + a.offset) % DAY // HOUR if day == current else 0
    sales = a.sales_on(day)
    # the day's traffic (as Get Shop Performance draws it) split over its hours
    drawn = a.traffic("shop", range(day, day + 1), len(a.figures_of(sales, currency).shop.orders))
    parts = {name: split(drawn[name], HOUR_WEIGHTS) for name in TRAFFIC}
    by_hour: list[list] = [[] for _ in range(24)]
    for order, content in sales:
        by_hour[(order.paid_time + a.offset) % DAY // HOUR].append((order, content))
    intervals = []
    for h in range(hours):
        traffic = {name: parts[name][h] for name in TRAFFIC}
        intervals.append({"index": h, **_hour_figures(a.figures_of(by_hour[h], currency), currency, traffic)})
    shown = [sale for h in range(hours) for sale in by_hour[h]]
    overall = _hour_figures(
        a.figures_of(shown, currency), currency, {name: sum(parts[name][:hours]) for name in TRAFFIC}
    )
    return {"intervals": intervals, "latest_available_timestamp": now - now % HOUR, "overall": overall}


# -- the products of a video ----------------------------------------------------------------------------------


def video_products(shop, video, days: range, currency: Currency) -> list[Ranked]:
    """The products a video shows, over the days of ``days`` it is listed: their units in the orders attributed to
    it, and their traffic in it."""
    a = analytics_of(shop)
    active = [day for day in days if video.day <= day <= video.last_day]
    if not active:
        return []
    views = sum(views_on(video, day) for day in active)
    tallies = {pid: Tally() for pid in video.products}
    for day in active:
        for order, content in a.sales_on(day):
            if content is not video:
                continue
            for i, (product, sku) in enumerate(order.units):
                tally = tallies.get(product.id)
                if tally is None:
                    continue  # the order holds a product the video does not show
                seller_discount, platform_discount = order.pay.unit_disc[i]
                tally.gmv += currency.of(sku.list_price - seller_discount - platform_discount)
                tally.items += 1
                tally.orders.add(order.id)
                tally.customers.add(order.user_id)
    span = range(active[0], active[-1] + 1)
    rows = []
    for pid, product in video.products.items():
        t = tallies[pid]
        traffic = a.traffic(f"video:{video.id}:product:{pid}", span, len(t.orders))
        buyers = len(t.customers) / len(active)
        record = {
            "ctr": traffic["ctr"],
            "customers": len(t.customers),
            "daily_avg_buyers": f"{buyers:.2f}",
            "gmv": currency.money(t.gmv),
            "gpm": currency.money(t.gmv * 1000 // views if views else 0),
            "id": pid,
            "name": product.title,
            "product_clicks": traffic["product_clicks"],
            "product_impressions": traffic["product_impressions"],
            "units_sold": t.items,
        }
        rows.append(Ranked(product.nid, {"gmv": t.gmv, "units_sold": t.items, "daily_avg_buyers": buyers}, record))
    return rows


# -- the LIVE overview ----------------------------------------------------------------------------------------


# The account types of TikTok's rules for the LIVE overview, and the accounts (a session's author type) of each.
LIVE_OVERVIEW_ACCOUNTS = {"LINKED_ACCOUNTS": SELLER_ACCOUNTS, "AFFILIATE_ACCOUNTS": ACCOUNTS_OF["AFFILIATE_ACCOUNTS"]}


def live_interval(shop, days: range, currency: Currency, accounts: tuple[str, ...] | None) -> dict:
    """Get Shop LIVE Performance Overview's ``intervals[]`` item for ``days``: the sum of the day's sessions."""
    sessions = analytics_of(shop).lives_of(days, currency, accounts)
    m = currency.money
    gmv = sum(s.data["live_attributed_gmv"] for s in sessions)

    def total(group: str, name: str) -> int:
        return sum(s.record[group][name] for s in sessions)

    views, clicks, impressions = (total("traffic", n) for n in ("views", "product_clicks", "impressions"))
    watched = sum(s.record["traffic"]["avg_viewing_duration"] * s.record["traffic"]["views"] for s in sessions)
    sku_orders = total("sales_performance", "live_attributed_sku_orders")
    return {
        "avg_live_auction_price": m(0),
        "avg_viewing_duration": watched // views if views else 0,
        "ctor_sku_order": rate(sku_orders, clicks),
        "end_date": iso(days.stop),
        "live_attributed_gmv": m(gmv),
        "live_attributed_items_sold": total("sales_performance", "live_attributed_items_sold"),
        "live_attributed_sku_orders": sku_orders,
        "live_auction_attributed_gmv": m(0),
        "live_auction_attributed_items_sold": 0,
        "live_auction_attributed_sku_orders": 0,
        "live_ctr": rate(clicks, impressions),
        "live_gmv": m(gmv),
        "live_indirect_gmv": m(0),
        "show_gpm": m(gmv * 1000 // impressions if impressions else 0),
        "start_date": iso(days.start),
        "views": views,
    }


# -- ground truth ---------------------------------------------------------------------------------------------


def _kept(shop) -> range:
    a = analytics_of(shop)
    return range(a.oldest, a.latest + 1)


def _hourly_records(shop) -> list[dict]:
    currency = Currency(shop, "LOCAL")
    current = today(shop)
    return [
        {**interval, "date": iso(day)}
        for day in range(current - HOURLY_DAYS + 1, current + 1)
        for interval in hourly(shop, day, currency)["intervals"]
    ]


def _video_product_records(shop) -> list[dict]:
    currency = Currency(shop, "LOCAL")
    return [
        {**row.record, "video_id": video.id, "date": iso(day)}
        for day in _kept(shop)
        for video in analytics_of(shop).videos
        for row in video_products(shop, video, range(day, day + 1), currency)
    ]


RESOURCES = {
    "customer_service_performance": lambda shop: [
        {**customer_service(shop).performance(range(day, day + 1)), "date": iso(day)} for day in _kept(shop)
    ],
    "shop_performance_score": lambda shop: [] if shop.region in SCORE_UNAVAILABLE_IN else [score(shop).overview],
    "shop_performance_score_metrics": lambda shop: (
        [] if shop.region in SCORE_UNAVAILABLE_IN else score(shop).metric_records()
    ),
    "shop_hourly_performance": _hourly_records,
    "video_product_performance": _video_product_records,
    "live_overview_performance": lambda shop: [
        live_interval(shop, range(day, day + 1), Currency(shop, "LOCAL"), None) for day in _kept(shop)
    ],
}
