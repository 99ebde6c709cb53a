"""Get Activity (202309): an activity with the products and SKUs it covers, derived from the shop's activities,
products and orders.

Product-level and SKU-level activities cover one to five of the shop's live products created before them (those
the seller had already cut below their list price first, for the price-cutting kinds); ``used_quantity`` counts the
units of the product (SKU) in the shop's paid orders placed while the activity ran. Get Activity leaves the
products of fixed-price, direct-discount and flash-sale activities that ended more than 180 days before out
(TikTok's notes); shop-level activities (shipping discounts) have none.
"""

from __future__ import annotations

import bisect
import random
from collections import defaultdict

from .common import DAY, money
from .derived import derived
from .promotions import MS

# The kinds that price products (the seller's cut of a SKU's list price is theirs, in price details).
PRICED = ("FIXED_PRICE", "DIRECT_DISCOUNT", "FLASHSALE")
# Get Activity leaves out the products of priced activities that ended longer ago than this (TikTok's notes).
PRODUCTS_KEPT_S = 180 * DAY
USER_TYPES = (
    "ALL_USER",
    "ALL_USER",
    "ALL_USER",
    "SHOP_NEW_CUSTOMER",
    "SHOP_EXISTING_CUSTOMER",
    "SHOP_REPEAT_CUSTOMER",
    "SHOP_ABANDONED_CHECKOUTS_CUSTOMER",
)


def _limit(rng: random.Random) -> int:
    """A quantity limit: 1 to 99, or -1 for none."""
    return -1 if rng.random() < 0.4 else rng.randint(1, 99)


class SoldUnits:
    """When the units of each product and SKU were sold: the creation times of the shop's paid orders, per unit."""

    def __init__(self, shop):
        self.by_product: dict[str, list[int]] = defaultdict(list)
        self.by_sku: dict[str, list[int]] = defaultdict(list)
        for order in shop.orders:  # in creation order: the lists come sorted
            if order.paid_time and order.status != "CANCELLED":
                for product, sku in order.units:
                    self.by_product[product.id].append(order.create_time)
                    self.by_sku[sku.id].append(order.create_time)

    @staticmethod
    def between(times: list[int], start: int, end: int) -> int:
        return bisect.bisect_left(times, end) - bisect.bisect_left(times, start)


def sold_units(shop) -> SoldUnits:
    return derived(shop, SoldUnits)


class ActivityDetails:
    """Every activity of a shop as Get Activity answers it, and which activity priced a product when."""

    def __init__(self, shop):
        self.shop = shop
        now = shop.world.now_ts
        sold = sold_units(shop)
        live = [p for p in shop.products if p.status == "ACTIVATE"] or shop.products[:1]
        self.rows = {row.id: row for row in shop.activities}
        # what Get Activity adds to an activity's record: its products, targeted buyers and benefit products
        self.extras: dict[str, dict] = {}
        # product id -> [(begin, end, activity id)] of the priced activities that covered it
        self.pricing: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for row in shop.activities:
            a = row.data
            rng = random.Random(f"activity:{shop.world.seed}:{a['id']}")
            created = a["create_time"] // MS
            covered = self._products(a, [p for p in live if p.create_time <= created] or live[:1], rng)
            begin, end = a["begin_time"], a["end_time"]
            # a deactivated activity stopped when it was last changed
            stop = min(end, a["update_time"] // MS) if a["status"] == "DEACTIVATED" else end
            ran = (begin, min(stop, now))
            products = [self._product(a, p, rng, sold, ran) for p in covered]
            if a["activity_type"] in PRICED:
                for p in covered:
                    self.pricing[p.id].append((begin, stop, a["id"]))
                if end + PRODUCTS_KEPT_S < now:
                    products = []
            extras = {"products": products, "target_user_info": {"user_type": rng.choice(USER_TYPES)}}
            if a["activity_type"] == "BUY_X_GET_Y":
                others = [p for p in live if p not in covered] or live
                extras["benefit_products"] = [{"id": p.id} for p in rng.sample(others, min(len(others), 2))]
            self.extras[a["id"]] = extras

    def detail(self, activity_id: str) -> dict | None:
        """Get Activity's ``data``: the activity's record as it is now (a ``touch`` moves its update time) with
        what Get Activity adds; None for an id not the shop's."""
        row = self.rows.get(activity_id)
        if row is None:
            return None
        record = row.render()
        return {"activity_id": record.pop("id"), **record, **self.extras[activity_id]}

    def products(self, activity_id: str) -> list[dict]:
        return self.extras[activity_id]["products"]

    @staticmethod
    def _products(a: dict, candidates: list, rng: random.Random) -> list:
        if a["product_level"] == "SHOP":
            return []
        if a["activity_type"] in PRICED:
            cut = [p for p in candidates if any(s.price < s.list_price for s in p.skus)]
            candidates = cut or candidates
        return rng.sample(candidates, min(len(candidates), rng.randint(1, 5)))

    def _product(self, a: dict, product, rng: random.Random, sold: SoldUnits, ran: tuple[int, int]) -> dict:
        kind = a["activity_type"]
        out: dict = {"id": product.id}
        if a["product_level"] == "VARIATION":
            out["skus"] = [
                self._offer(kind, sku, {"id": sku.id}, rng, sold.between(sold.by_sku[sku.id], *ran))
                for sku in product.skus
            ]
        else:
            cheapest = min(product.skus, key=lambda s: s.price)
            out.update(self._offer(kind, cheapest, {}, rng, None))
        out["used_quantity"] = sold.between(sold.by_product[product.id], *ran)
        return out

    def _offer(self, kind: str, sku, out: dict, rng: random.Random, used: int | None) -> dict:
        """The limits and the price or discount of a product (or of one SKU, with its ``used`` units)."""
        out["quantity_limit"] = _limit(rng)
        out["quantity_per_user"] = _limit(rng)
        if kind in ("FIXED_PRICE", "FLASHSALE"):
            out["activity_price"] = {"amount": money(sku.price, self.shop.dec), "currency": self.shop.currency}
        elif kind == "DIRECT_DISCOUNT":
            cut = sku.list_price - sku.price
            out["discount"] = str(max(1, round(100 * cut / sku.list_price)) if cut > 0 else 10)
        if used is not None:
            out["used_quantity"] = used
        return out

    def pricing_activity(self, product_id: str, at: int) -> str | None:
        """The priced activity that covered the product at time ``at``, if any."""
        for begin, end, activity_id in self.pricing.get(product_id, ()):
            if begin <= at < end:
                return activity_id
        return None


def activity_details(shop) -> ActivityDetails:
    return derived(shop, ActivityDetails)


RESOURCES = {
    "promotion_activity_details": lambda shop: [activity_details(shop).detail(row.id) for row in shop.activities]
}
