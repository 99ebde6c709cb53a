"""Shop analytics (Get Shop Performance and the shop products, SKUs, videos and LIVEs performance lists), derived
from the shop's own orders and products, and from the videos and LIVE sessions generated here.

Days are the shop's: each region has a registered timezone, a fixed offset from UTC (no daylight saving in the
sandbox). A paid order counts on the day it was paid, in full: its GMV is its items' sale prices after discounts
(the order's ``payment.sub_total``), its items sold are its line items (one per unit), its SKU orders its distinct
SKUs. So a day's shop figures are what its orders say, and its product and SKU rows sum to them.

Each paid order is attributed to one channel, drawn from the order's own seed: a video promoting one of its
products and posted in the ``ACTIVE_DAYS`` before (a seller's or a creator's), a LIVE session of that day featuring
one, or else the product card. A video's or session's GMV is that of the orders attributed to it, so the shop's
video and LIVE GMV are the sums of the video and LIVE rows. Traffic figures (views, impressions, clicks) are drawn
per entity and day, and only ever added up.

Amounts in US dollars (``currency=USD``) convert each item's amount at a fixed rate per currency (the region's
price scale), then add up: the sums hold in either currency.
"""

from __future__ import annotations

import datetime
import random
import threading
import weakref
from collections import defaultdict

from .common import DAY, HOUR, DictRow, IdGen, money
from .products import ORDERABLE_PRODUCT_STATUSES

# The shops' registered timezones, by region: hours from UTC.
UTC_OFFSET_HOURS = {"US": -8, "GB": 0, "ID": 7, "MY": 8, "TH": 7, "VN": 7, "PH": 8, "SG": 8, "DE": 1, "MX": -6}
# How many days of analytics the sandbox keeps by default, up to the latest available day (TikTok publishes no
# retention); `World(analytics_retention_days=...)`.
RETENTION_DAYS = 90
# For how many days after it is posted a video is watched and sells.
ACTIVE_DAYS = 14
EPOCH = datetime.date(1970, 1, 1).toordinal()
RESOURCES = (
    "shop_performance",
    "shop_product_performance",
    "shop_sku_performance",
    "shop_video_performance",
    "shop_live_performance",
)
CARD, SELLER_VIDEO, CREATOR_VIDEO = "card", "seller_video", "creator_video"
SELLER_LIVE, CREATOR_LIVE = "seller_live", "creator_live"
# The share of LIVE sessions held by affiliate creators (the others on the seller's own accounts).
AFFILIATE_LIVE_SHARE = 0.25
SELLER_ACCOUNTS = ("OFFICIAL_ACCOUNT", "MARKETING_ACCOUNT")
AFFILIATE_ACCOUNT = "AFFILIATE_ACCOUNT"
# The account_type values of TikTok's rules for the videos and LIVE lists, and the accounts (a video's or session's
# ``creator.author_type``) each lists. Every video and session has one; the videos' ALL lists them all.
ACCOUNTS_OF = {
    "OFFICIAL_ACCOUNTS": ("OFFICIAL_ACCOUNT",),
    "MARKETING_ACCOUNTS": ("MARKETING_ACCOUNT",),
    "AFFILIATE_ACCOUNTS": (AFFILIATE_ACCOUNT,),
}
ACCOUNT_TYPE_OF = {account: account_type for account_type, (account,) in ACCOUNTS_OF.items()}


def iso(day: int) -> str:
    """A day (a proleptic Gregorian ordinal) as ``YYYY-MM-DD``."""
    return datetime.date.fromordinal(day).isoformat()


def rate(part: int | float, whole: int | float) -> str:
    return f"{part / whole:.4f}" if whole else "0"


class Currency:
    """The currency of one answer: the shop's own (LOCAL) or US dollars at the region's fixed rate."""

    def __init__(self, shop, code: str):
        self.shop = shop
        self.usd = code == "USD"
        self.code = "USD" if self.usd else shop.currency
        self.dec = 2 if self.usd else shop.dec

    def of(self, minor: int) -> int:
        """A local amount (minor units) in this currency's minor units."""
        if not self.usd:
            return minor
        return round(minor * 100 / (10**self.shop.dec * self.shop.scale))

    def money(self, minor: int) -> dict:
        return {"amount": money(minor, self.dec), "currency": self.code}


class Tally:
    """What some paid orders add up to: amounts in one currency's minor units, and who and what they were."""

    __slots__ = ("gmv", "tax", "platform", "gross", "shipping", "items", "orders", "sku_orders", "customers")

    def __init__(self):
        self.gmv = self.tax = self.platform = self.gross = self.shipping = self.items = 0
        self.orders: set[str] = set()
        self.sku_orders: set[tuple[str, str]] = set()
        self.customers: set[str] = set()

    def add(self, other: Tally) -> Tally:
        for name in ("gmv", "tax", "platform", "gross", "shipping", "items"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.orders |= other.orders
        self.sku_orders |= other.sku_orders
        self.customers |= other.customers
        return self

    def aov(self) -> int:
        return self.gmv // len(self.orders) if self.orders else 0


class Content:
    """A video or a LIVE session: who posted it, when, and the products it shows."""

    __slots__ = ("id", "nid", "kind", "account", "start", "end", "day", "last_day", "products", "rseed")

    @property
    def channel(self) -> str:
        creator = self.account == AFFILIATE_ACCOUNT
        if self.kind == "LIVE":
            return CREATOR_LIVE if creator else SELLER_LIVE
        return CREATOR_VIDEO if creator else SELLER_VIDEO


class Figures:
    """What one day's paid orders add up to, in one currency: the shop's, by channel, product, SKU and content."""

    def __init__(self):
        self.shop = Tally()
        self.channels: dict[str, Tally] = defaultdict(Tally)
        self.products: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))  # product → channel
        self.skus: dict[str, Tally] = defaultdict(Tally)
        self.content: dict[str, Tally] = defaultdict(Tally)
        self.sku_product: dict[str, object] = {}

    def add(self, other: Figures) -> Figures:
        self.shop.add(other.shop)
        for key, tally in other.channels.items():
            self.channels[key].add(tally)
        for pid, channels in other.products.items():
            for key, tally in channels.items():
                self.products[pid][key].add(tally)
        for sid, tally in other.skus.items():
            self.skus[sid].add(tally)
        for cid, tally in other.content.items():
            self.content[cid].add(tally)
        self.sku_product.update(other.sku_product)
        return self


class Ranked(DictRow):
    """A row of a performance list: the values it sorts on (``data``, read as attributes), with a numeric id for
    ties, the record served, and what the ground truth adds to it (``truth``: the query value that lists it)."""

    __slots__ = ("record", "truth")

    def __init__(self, nid: int, sort: dict, record: dict, truth: dict | None = None):
        super().__init__({"id": str(nid), **sort})
        self.record = record
        self.truth = truth or {}

    def render(self) -> dict:
        return self.record


class ShopAnalytics:
    """The analytics of one shop: its days, its videos and LIVE sessions, and its orders by day and channel."""

    def __init__(self, shop):
        self.shop = shop
        world = shop.world
        self.offset = UTC_OFFSET_HOURS.get(shop.region, 0) * HOUR
        self.latest = self.day_of(world.now_ts) - 1  # yesterday, in the shop's timezone
        self.oldest = self.latest - world.analytics_retention_days + 1
        rng = random.Random(f"analytics:{world.seed}:{shop.id}")
        self.videos = _videos(shop, rng, world.start_ts, world.now_ts, self.day_of)
        self.lives = _lives(shop, rng, world.start_ts, world.now_ts, self.day_of)
        self.returned = {r.order.id for r in shop.returns}
        self._sales: dict[int, list[tuple[object, Content | None]]] = defaultdict(list)
        for order in shop.orders:
            if order.paid_time:
                self._sales[self.day_of(order.paid_time)].append((order, self._attributed(order)))
        self._figures: dict[tuple[int, str], Figures] = {}
        self._lock = threading.Lock()

    def day_of(self, timestamp: int) -> int:
        return (timestamp + self.offset) // DAY + EPOCH

    def _attributed(self, order) -> Content | None:
        """The video or LIVE session an order came from, if any: drawn from the order's seed."""
        rng = random.Random(order.rseed ^ 0xA11A)
        draw = rng.random()
        products = {product.id for product, _ in order.units}
        t = order.paid_time
        if draw < 0.35:
            candidates = [v for v in self.videos if v.start <= t < v.end and products & v.products.keys()]
        elif draw < 0.55:
            day = self.day_of(t)
            candidates = [s for s in self.lives if s.day == day and products & s.products.keys()]
        else:
            candidates = []
        return rng.choice(candidates) if candidates else None

    # -- figures ---------------------------------------------------------------------------------------------

    def figures(self, days: range, currency: Currency) -> Figures:
        total = Figures()
        for day in days:
            total.add(self._day(day, currency))
        return total

    def sales_on(self, day: int) -> list[tuple[object, Content | None]]:
        """The orders paid on ``day``, each with the video or LIVE session it came from (None: the product card)."""
        return self._sales.get(day, [])

    def _day(self, day: int, currency: Currency) -> Figures:
        key = (day, currency.code)
        with self._lock:
            hit = self._figures.get(key)
        if hit is not None:
            return hit
        figures = self.figures_of(self.sales_on(day), currency)
        with self._lock:
            self._figures[key] = figures
        return figures

    @staticmethod
    def figures_of(sales, currency: Currency) -> Figures:
        """What some paid orders (with the content each came from) add up to."""
        figures = Figures()
        for order, content in sales:
            channel = content.channel if content is not None else CARD
            tallies = [figures.shop, figures.channels[channel]]
            if content is not None:
                tallies.append(figures.content[content.id])
            shipping = currency.of(order.pay.shipping_fee)
            for tally in tallies:
                tally.shipping += shipping
            for i, (product, sku) in enumerate(order.units):
                seller_discount, platform_discount = order.pay.unit_disc[i]
                unit = (
                    currency.of(sku.list_price - seller_discount - platform_discount),
                    currency.of(order.pay.unit_tax[i]),
                    currency.of(platform_discount),
                    currency.of(sku.list_price),
                )
                figures.sku_product[sku.id] = product
                per_product = figures.products[product.id]
                for tally in (*tallies, per_product["total"], per_product[channel], figures.skus[sku.id]):
                    tally.gmv += unit[0]
                    tally.tax += unit[1]
                    tally.platform += unit[2]
                    tally.gross += unit[3]
                    tally.items += 1
                    tally.orders.add(order.id)
                    tally.sku_orders.add((order.id, sku.id))
                    tally.customers.add(order.user_id)
        return figures

    def traffic(self, key: str, days: range, orders: int, users_key: str = "add_cart_users") -> dict:
        """Impressions, clicks and carts of one entity over some days: drawn per day, and more where it sold."""
        impressions = clicks = carts = 0
        for day in days:
            rng = random.Random(f"{self.shop.id}:{key}:{day}")
            impressions += rng.randint(50, 2000)
            clicks += rng.randint(0, 60)
            carts += rng.randint(0, 15)
        clicks += 3 * orders
        carts += orders
        impressions += 10 * clicks
        unique_impressions, unique_clicks, users = impressions * 4 // 5, clicks * 4 // 5, carts * 4 // 5
        return {
            "product_impressions": impressions,
            "product_clicks": clicks,
            "ctr": rate(clicks, impressions),
            "add_cart_count": carts,
            "add_cart_rate": rate(carts, clicks),
            "click_order_rate": rate(orders, clicks),
            "unique_product_impressions": unique_impressions,
            "unique_clicks": unique_clicks,
            "unique_ctr": rate(unique_clicks, unique_impressions),
            users_key: users,
            "unique_atc_rate": rate(users, unique_clicks),
            "unique_click_order_rate": rate(orders, unique_clicks),
        }

    # -- records ---------------------------------------------------------------------------------------------

    def shop_interval(self, days: range, currency: Currency) -> dict:
        """Get Shop Performance's ``intervals[]`` item for ``days``."""
        f = self.figures(days, currency)
        t, by = f.shop, f.channels
        card, seller_video, creator_video, seller_live, creator_live = (
            by[key].gmv for key in (CARD, SELLER_VIDEO, CREATOR_VIDEO, SELLER_LIVE, CREATOR_LIVE)
        )
        m = currency.money
        zero = m(0)
        traffic = self.traffic("shop", days, len(t.orders))
        sku_orders = len(t.sku_orders)
        sales = {
            "avg_order_value": m(t.aov()),
            "avg_sku_order_value": m(t.gmv // sku_orders if sku_orders else 0),
            "cancellations_and_returns": sum(
                1 for order, _ in self._orders_of(days) if order.status == "CANCELLED" or order.id in self.returned
            ),
            "creator_live_attributed_gmv": m(creator_live),
            "creator_live_gmv": m(creator_live),
            "creator_live_indirect_gmv": zero,
            "creator_video_attributed_gmv": m(creator_video),
            "creator_video_gmv": m(creator_video),
            "creator_video_indirect_gmv": zero,
            "customers_count": len(t.customers),
            "gmv": m(t.gmv),
            "gmv_with_tax": m(t.gmv + t.tax),
            "gmv_with_tiktok_co_funding": m(t.gmv + t.platform),
            "items_sold": t.items,
            "live_attributed_gmv": m(seller_live + creator_live),
            "live_gmv": m(seller_live + creator_live),
            "live_indirect_gmv": zero,
            "orders_count": len(t.orders),
            "product_card_attributed_gmv": m(card),
            "refunds": zero,
            "seller_live_attributed_gmv": m(seller_live),
            "seller_live_gmv": m(seller_live),
            "seller_live_indirect_gmv": zero,
            "seller_video_attributed_gmv": m(seller_video),
            "seller_video_gmv": m(seller_video),
            "seller_video_indirect_gmv": zero,
            "shipping_fees": m(t.shipping),
            "sku_orders_count": sku_orders,
            "tax": m(t.tax),
            "video_attributed_gmv": m(seller_video + creator_video),
            "video_gmv": m(seller_video + creator_video),
            "video_indirect_gmv": zero,
        }
        content = [
            ("SELLER", "VIDEO", seller_video),
            ("CREATOR", "VIDEO", creator_video),
            ("SELLER", "LIVE", seller_live),
            ("CREATOR", "LIVE", creator_live),
        ]
        n = max(1, len(days))
        return {
            "start_date": iso(days.start),
            "end_date": iso(days.stop),
            "sales": sales,
            "traffic": {
                "avg_conversation_rate": rate(len(t.customers), traffic["unique_clicks"]),
                "avg_page_views": traffic["product_clicks"] // n,
                "avg_visitors": traffic["unique_clicks"] // n,
                "product_clicks": traffic["product_clicks"],
                "product_impressions": traffic["product_impressions"],
                "unique_clicks": traffic["unique_clicks"],
                "unique_product_impressions": traffic["unique_product_impressions"],
            },
            "breakdowns": {
                "affiliate_product_card_attributed_gmv": zero,
                "content_breakdown": [
                    {"channel": channel, "content_type": kind, "gmv": m(gmv), "indirect_gmv": zero}
                    for channel, kind, gmv in content
                ],
                "seller_product_card_gmv": m(card),
                "shop_tab_and_search": {"others": m(card), "search_attributed": zero, "shop_tab_attributed": zero},
            },
        }

    def _orders_of(self, days: range):
        for day in days:
            yield from self._sales.get(day, ())

    def products(self, days: range, currency: Currency) -> list[Ranked]:
        """The products sold on ``days``: the shop products performance list."""
        f = self.figures(days, currency)
        rows = []
        for pid, channels in f.products.items():
            product = self.shop.product_by_id[pid]
            total = channels["total"]
            traffic = self.traffic(f"product:{pid}", days, len(total.orders))

            affiliate_video = channels.get(CREATOR_VIDEO) or Tally()
            affiliate_live = channels.get(CREATOR_LIVE) or Tally()
            affiliate = Tally().add(affiliate_video).add(affiliate_live)
            record = {
                "id": pid,
                "total_performance": {
                    "gmv": currency.money(total.gmv),
                    "orders": len(total.orders),
                    "sku_orders": len(total.sku_orders),
                    "items_sold": total.items,
                    "estimated_customers": len(total.customers),
                    "aov": currency.money(total.aov()),
                    **traffic,
                    "gmv_incl_tax": currency.money(total.gmv + total.tax),
                    "tax": currency.money(total.tax),
                    "gross_merchandise_value": currency.money(total.gross),
                    "shipping_fees": currency.money(0),
                    "refunds": currency.money(0),
                    "refunded_items": 0,
                    "refund_customers": 0,
                },
                "seller_live_performance": self._attributed_to(
                    f"product:{pid}:{SELLER_LIVE}",
                    channels.get(SELLER_LIVE),
                    days,
                    currency,
                    {"new_live_count": self._new(self.lives, pid, days, SELLER_LIVE)},
                ),
                "seller_video_performance": self._attributed_to(
                    f"product:{pid}:{SELLER_VIDEO}",
                    channels.get(SELLER_VIDEO),
                    days,
                    currency,
                    {"new_video_count": self._new(self.videos, pid, days, SELLER_VIDEO)},
                ),
                "seller_product_card_performance": self._attributed_to(
                    f"product:{pid}:{CARD}", channels.get(CARD), days, currency
                ),
                "affiliate_total_performance": self._attributed_to(
                    f"product:{pid}:affiliate", affiliate, days, currency, {"avg_daily_creator_posted_content": 0}
                ),
                "affiliate_live_performance": {
                    "live_attributed_gmv": currency.money(affiliate_live.gmv),
                    "new_live_count": self._new(self.lives, pid, days, CREATOR_LIVE),
                    **self.traffic(f"product:{pid}:affiliate_live", days, len(affiliate_live.orders), "atc_users"),
                },
                "affiliate_video_performance": {
                    "attributed_video_gmv": currency.money(affiliate_video.gmv),
                    "new_video_count": self._new(self.videos, pid, days, CREATOR_VIDEO),
                    **self.traffic(f"product:{pid}:affiliate_video", days, len(affiliate_video.orders), "atc_users"),
                },
                "shop_tab_performance": {
                    "shop_tab_product_impressions": 0,
                    "shop_tab_product_clicks": 0,
                    "unique_shop_tab_product_clicks": 0,
                    "estimated_shop_tab_customers": 0,
                    "shop_tab_ctr": "0",
                    "shop_tab_ctor_sku": "0",
                    "shop_tab_gmv": currency.money(0),
                    "shop_tab_sold_items": 0,
                },
            }
            sort = {"gmv": total.gmv, "items_sold": total.items, "orders": len(total.orders)}
            rows.append(Ranked(product.nid, sort, record))
        return rows

    def _attributed_to(
        self, key: str, tally: Tally | None, days: range, currency: Currency, extra: dict | None = None
    ) -> dict:
        """A product's figures in one channel: the orders attributed to it there, and its traffic there."""
        t = tally or Tally()
        return {
            "attributed_gmv": currency.money(t.gmv),
            "attributed_orders": len(t.orders),
            "attributed_sku_orders": len(t.sku_orders),
            "attributed_sold_items": t.items,
            "estimated_customers": len(t.customers),
            "aov": currency.money(t.aov()),
            **(extra or {}),
            **self.traffic(key, days, len(t.orders)),
        }

    def _new(self, content: list[Content], pid: str, days: range, channel: str | None = None) -> int:
        return sum(
            1 for c in content if c.day in days and pid in c.products and (channel is None or c.channel == channel)
        )

    def skus(self, days: range, currency: Currency, product_ids: set[str] | None = None) -> list[Ranked]:
        """The SKUs sold on ``days`` (of ``product_ids``, if given): the shop SKUs performance list."""
        f = self.figures(days, currency)
        rows = []
        for sid, t in f.skus.items():
            product = f.sku_product[sid]
            if product_ids and product.id not in product_ids:
                continue
            record = {
                "id": int(sid),
                "product_id": product.nid,
                "gmv": currency.money(t.gmv),
                "sku_orders": len(t.sku_orders),
                "units_sold": t.items,
            }
            rows.append(
                Ranked(int(sid), {"gmv": t.gmv, "sku_orders": len(t.sku_orders), "units_sold": t.items}, record)
            )
        return rows

    def videos_of(self, days: range, currency: Currency, accounts: tuple[str, ...] | None = None) -> list[Ranked]:
        """The videos watched on ``days`` (posted in the ``ACTIVE_DAYS`` before): the shop videos performance list."""
        f = self.figures(days, currency)
        rows = []
        for v in self.videos:
            active = [day for day in days if v.day <= day <= v.last_day]
            if not active or (accounts and v.account not in accounts):
                continue
            t = f.content.get(v.id) or Tally()
            rng = random.Random(v.rseed)
            views = sum(views_on(v, day) for day in active)
            impressions = views // 3 + 10 * len(t.orders)
            clicks = views // 40 + 3 * len(t.orders)
            creator = _creator(self.shop, v, rng)
            record = {
                "advertisable": v.account != AFFILIATE_ACCOUNT,
                "attributed_gmv": currency.money(t.gmv),
                "avg_customers": len(t.customers) // len(active),
                "click_through_rate": rate(clicks, views),
                "comments": views // 150,
                "creator": creator,
                "ctor": rate(len(t.orders), clicks),
                "duration": rng.randint(15, 180),
                "gmv": currency.money(t.gmv),
                "gpm": currency.money(t.gmv * 1000 // views if views else 0),
                "hash_tags": rng.sample(["tiktokmademebuyit", "haul", "review", "unboxing", "ootd", "deal"], 2),
                "id": v.id,
                "indirect_gmv": currency.money(0),
                "items_sold": t.items,
                "likes": views // 20,
                "new_followers": views // 400,
                "product_clicks": clicks,
                "product_impressions": impressions,
                "products": [{"id": p.id, "name": p.title} for p in v.products.values()],
                "review_type": "APPROVED",
                "shares": views // 300,
                "sku_orders": len(t.sku_orders),
                "title": f"{next(iter(v.products.values())).title}: {rng.choice(['review', 'unboxing', 'try-on'])}",
                "username": creator["user_name"],
                "v_to_l_clicks": views // 500,
                "v_to_l_rate": rate(views // 500, views),
                "video_finish_rate": f"{rng.uniform(0.1, 0.6):.4f}",
                "video_post_time": self._local_time(v.start),
                "views": views,
            }
            sort = {
                "avg_customers": record["avg_customers"],
                "click_through_rate": float(record["click_through_rate"]),
                "gmv": t.gmv,
                "gpm": t.gmv * 1000 // views if views else 0,
                "items_sold": t.items,
                "post_time": v.start,
                "sku_orders": len(t.sku_orders),
                "views": views,
            }
            rows.append(Ranked(v.nid, sort, record))
        return rows

    def lives_of(self, days: range, currency: Currency, accounts: tuple[str, ...] | None = None) -> list[Ranked]:
        """The LIVE sessions held on ``days``: the shop LIVEs performance list."""
        f = self.figures(days, currency)
        rows = []
        for s in self.lives:
            if s.day not in days or (accounts and s.account not in accounts):
                continue
            t = f.content.get(s.id) or Tally()
            rng = random.Random(s.rseed)
            m = currency.money
            hours = max(1, (s.end - s.start) // HOUR)
            viewers = rng.randint(100, 5000)
            views = viewers + viewers // rng.randint(2, 5)
            impressions = views * rng.randint(3, 8)
            clicks = views // 10 + 3 * len(t.orders)
            products_sold = len({f.sku_product[sku].id for _, sku in t.sku_orders})
            record = {
                "creator": {k: v for k, v in _creator(self.shop, s, rng).items() if k != "creator_id"},
                "end_time": str(s.end),
                "id": s.id,
                "interaction_performance": {
                    "comment_rate": rate(views // 30, views),
                    "comments": views // 30,
                    "follow_rate": rate(viewers // 50, viewers),
                    "like_rate": rate(views // 4, views),
                    "likes": views // 4,
                    "new_followers": viewers // 50,
                    "share_rate": rate(views // 100, views),
                    "shares": views // 100,
                },
                "sales_performance": {
                    "aov": m(t.aov()),
                    "attributed_customers": len(t.customers),
                    "avg_live_auction_price": m(0),
                    "avg_price": m(t.gmv // t.items if t.items else 0),
                    "created_sku_orders": len(t.sku_orders),
                    "gmv_with_tiktok_coupons": m(t.gmv + t.platform),
                    "live_attributed_gmv": m(t.gmv),
                    "live_attributed_items_sold": t.items,
                    "live_attributed_orders": len(t.orders),
                    "live_attributed_sku_orders": len(t.sku_orders),
                    "live_auction_attributed_gmv": m(0),
                    "live_auction_attributed_items_sold": 0,
                    "live_auction_attributed_sku_orders": 0,
                    "live_auction_gmv": m(0),
                    "live_auction_indirect_gmv": m(0),
                    "live_gmv": m(t.gmv),
                    "live_indirect_gmv": m(0),
                    "payment_rate": "1.0000" if t.orders else "0",
                    "products_sold": products_sold,
                },
                "start_time": str(s.start),
                "title": f"{self.shop.name} LIVE: {rng.choice(['new arrivals', 'flash deals', 'Q&A', 'weekend sale'])}",
                "traffic": {
                    "acu": viewers // (2 * hours),
                    "avg_viewing_duration": rng.randint(30, 600),
                    "avg_viewing_duration_per_viewer": rng.randint(30, 900),
                    "ctor": rate(len(t.orders), clicks),
                    "ctor_sku_order": rate(len(t.sku_orders), clicks),
                    "ctr": rate(clicks, views),
                    "gmv_per_hour": m(t.gmv // hours),
                    "impressions": impressions,
                    "impressions_per_hour": impressions // hours,
                    "live_ctr": rate(clicks, impressions),
                    "order_rate_sku_orders": rate(len(t.sku_orders), views),
                    "over_1m_live_viewing_rate": rate(views // 3, views),
                    "over_1m_views": views // 3,
                    "pcu": viewers // hours,
                    "product_clicks": clicks,
                    "product_impressions": impressions // 2,
                    "products_added": len(s.products),
                    "show_gpm": m(t.gmv * 1000 // impressions),
                    "tap_through_rate": rate(views, impressions),
                    "viewers": viewers,
                    "views": views,
                    "watch_gpm": m(t.gmv * 1000 // views),
                },
            }
            sort = {
                "attributed_customers": len(t.customers),
                "live_attributed_gmv": t.gmv,
                "live_attributed_items_sold": t.items,
                "live_attributed_sku_orders": len(t.sku_orders),
                "products_added": len(s.products),
                "products_sold": products_sold,
            }
            rows.append(Ranked(s.nid, sort, record, {"account_type": ACCOUNT_TYPE_OF[s.account]}))
        return rows

    def _local_time(self, timestamp: int) -> str:
        """A time in the shop's timezone, as Seller Center shows it."""
        local = datetime.datetime.fromtimestamp(timestamp + self.offset, tz=datetime.UTC)
        return local.strftime("%Y-%m-%d %H:%M:%S")

    # -- ground truth ----------------------------------------------------------------------------------------

    def records(self, resource: str) -> list[dict]:
        """Every row of ``resource`` for each day kept, in the shop's currency, with the day as ``date``; a LIVE
        session's also with the ``account_type`` that lists it."""
        currency = Currency(self.shop, "LOCAL")
        out = []
        for day in range(self.oldest, self.latest + 1):
            one = range(day, day + 1)
            if resource == "shop_performance":
                rows = [self.shop_interval(one, currency)]
            else:
                lister = {
                    "shop_product_performance": self.products,
                    "shop_sku_performance": self.skus,
                    "shop_video_performance": self.videos_of,
                    "shop_live_performance": self.lives_of,
                }[resource]
                rows = [{**ranked.record, **ranked.truth} for ranked in lister(one, currency)]
            out.extend({**row, "date": iso(day)} for row in rows)
        return out


def views_on(video: Content, day: int) -> int:
    """A video's views on a day: most in its first days."""
    rng = random.Random(f"{video.id}:{day}")
    return max(1, int(rng.randint(300, 6000) * 0.75 ** (day - video.day)))


def _creator(shop, content: Content, rng: random.Random) -> dict:
    seller = content.account != AFFILIATE_ACCOUNT
    handle = shop.name.lower().replace(" ", "_") if seller else f"creator_{content.rseed % 10**6:06d}"
    return {
        "author_type": content.account,
        "creator_country": shop.region,
        "creator_id": str(7_000_000_000_000_000_000 + content.rseed % 10**15),
        "nick_name": shop.name if seller else f"Creator {content.rseed % 10**4:04d}",
        "open_id": f"{content.rseed % 10**12:012x}-open",
        "user_name": handle,
    }


def _orderable(shop, before: int) -> list:
    products = [p for p in shop.products if p.status in ORDERABLE_PRODUCT_STATUSES]
    return [p for p in products if p.create_time <= before] or products[:1]


def _content(shop, rng: random.Random, kind: str, ids: IdGen, start: int, account: str, products: list) -> Content:
    c = Content()
    c.nid = ids.next()
    c.id = str(c.nid)
    c.kind = kind
    c.account = account
    c.start = start
    c.products = {p.id: p for p in products}
    c.rseed = rng.getrandbits(63)
    return c


def _videos(shop, rng: random.Random, start: int, now: int, day_of) -> list[Content]:
    """About one video every four days: seller's (official or marketing account) or a creator's, each showing
    one to three products; posted from ``ACTIVE_DAYS`` before the data starts."""
    ids = IdGen(rng, "7401", 19, shop.idx)
    videos = []
    for _ in range(max(3, (now - start) // DAY // 4)):
        posted = start - ACTIVE_DAYS * DAY + rng.randrange(now - start + ACTIVE_DAYS * DAY)
        products = _orderable(shop, posted)
        if not products:
            break
        account = AFFILIATE_ACCOUNT if rng.random() < 0.3 else rng.choice(SELLER_ACCOUNTS)
        v = _content(
            shop, rng, "VIDEO", ids, posted, account, rng.sample(products, min(len(products), rng.randint(1, 3)))
        )
        v.end = posted + ACTIVE_DAYS * DAY
        v.day = day_of(posted)
        v.last_day = day_of(v.end - 1)
        videos.append(v)
    return sorted(videos, key=lambda v: v.start)


def _lives(shop, rng: random.Random, start: int, now: int, day_of) -> list[Content]:
    """About one LIVE session every three days, one to four hours long, featuring three to eight products: on the
    seller's own accounts (official or marketing), or, for ``AFFILIATE_LIVE_SHARE`` of them, an affiliate creator's
    (drawn apart, from the session's id, so that the rest of the data stays as it was)."""
    ids = IdGen(rng, "7402", 19, shop.idx)
    lives = []
    for _ in range(max(2, (now - start) // DAY // 3)):
        begins = start + rng.randrange(max(1, now - start - 4 * HOUR))
        products = _orderable(shop, begins)
        if not products:
            break
        account = rng.choice(SELLER_ACCOUNTS)
        s = _content(
            shop, rng, "LIVE", ids, begins, account, rng.sample(products, min(len(products), rng.randint(3, 8)))
        )
        s.end = begins + rng.randint(1, 4) * HOUR
        s.day = s.last_day = day_of(begins)
        if random.Random(f"{s.id}:account").random() < AFFILIATE_LIVE_SHARE:
            s.account = AFFILIATE_ACCOUNT
        lives.append(s)
    return sorted(lives, key=lambda s: s.start)


_ANALYTICS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_ANALYTICS_LOCK = threading.Lock()


def analytics_of(shop) -> ShopAnalytics:
    """The shop's analytics, derived once (orders' payments and paid times never change)."""
    with _ANALYTICS_LOCK:
        found = _ANALYTICS.get(shop)
        if found is None:
            found = _ANALYTICS[shop] = ShopAnalytics(shop)
        return found
