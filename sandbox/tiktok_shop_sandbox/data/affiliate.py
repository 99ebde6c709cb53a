"""Affiliate: creators, open and target collaborations, sample applications (202412 / 202508) and the seller's
affiliate orders (Search Seller Affiliate Orders, 202410).

Affiliate orders are a subset of the shop's orders: every completed order ``settle()`` gave an affiliate commission,
and 15 % of the orders not completed yet. Each SKU of such an order is an affiliate SKU order, credited to one
creator through an open or a target collaboration, with the SKU's share of the order's affiliate commission
(``settlements.sku_shares``): what Get Transactions by Order charges the seller for it once a statement settles it.
"""

from __future__ import annotations

import random

from .common import DAY, FIRST, HOUR, DictRow, IdGen, money, random_for
from .settlements import AFFILIATE_RATE_BP, affiliate_commission, estimated_fin, sku_shares

HANDLES = ["glow", "daily", "haul", "picks", "finds", "style", "deals", "vibes", "lab", "corner"]
CONTENT_TYPES = ["VIDEO", "VIDEO", "LIVE", "SHOP", "PRE_LIVE", "PROMOTION_PAGE", "LINKSHARE"]
SAMPLE_STATUSES = ["PENDING", "AWAITING_SHIPMENT", "SHIPPED", "CONTENT_PENDING", "COMPLETED", "REJECT_CANCELLED"]
# How Search Open Collaborations names a product's status.
PRODUCT_STATUS = {
    "ACTIVATE": "LIVE",
    "SELLER_DEACTIVATED": "SELLER_DEACTIVATE",
    "PLATFORM_DEACTIVATED": "PLATFORM_DEACTIVATE",
    "DELETED": "DELETE",
}
# The commission base is a display string in the shop's locale (TikTok's notes): symbol, grouping, decimals.
DISPLAY = {
    "USD": ("${}", ",", "."),
    "GBP": ("£{}", ",", "."),
    "IDR": ("Rp{}", ".", ","),
    "MYR": ("RM{}", ",", "."),
    "THB": ("฿{}", ",", "."),
    "VND": ("{}₫", ".", ","),
    "PHP": ("₱{}", ",", "."),
    "SGD": ("S${}", ",", "."),
    "EUR": ("{} €", ".", ","),
    "MXN": ("MX${}", ",", "."),
}


def display(minor: int, shop) -> str:
    """Money as the seller's Seller Center shows it: ``$1,234.56``, ``Rp12.345``, ``1.234,56 €``."""
    pattern, grouping, point = DISPLAY[shop.currency]
    whole, fraction = divmod(abs(minor), 10**shop.dec)
    text = f"{whole:,}".replace(",", grouping)
    if shop.dec:
        text += point + f"{fraction:0{shop.dec}d}"
    return ("-" if minor < 0 else "") + pattern.format(text)


# How long before its end a valid target collaboration is EXPIRING rather than ONGOING (TikTok's notes on
# SearchTargetCollaborationsRequest: "greater than 7 days", "less than 7 days").
EXPIRING_WITHIN = 7 * DAY
# Of a shop's six target collaborations, by position: one the seller cancelled (COMPLETED), one being cancelled
# (CANCELING, ending a month or more after "now"), one ending within EXPIRING_WITHIN; the others are where their
# times put them.
CANCELLED_AT, CANCELING_AT, EXPIRING_AT = 3, 4, 5
# The collaboration_status values of Search Target Collaborations that list a collaboration in each state.
LISTED_BY = {
    "ONGOING": frozenset({"ONGOING", "VALID"}),
    "EXPIRING": frozenset({"EXPIRING", "VALID"}),
    "CANCELING": frozenset({"CANCELING"}),
    "COMPLETED": frozenset({"COMPLETED"}),
}


class TargetRow(DictRow):
    """A target collaboration: its state (``collaboration_status``, one of ``LISTED_BY``) at the world's "now", which
    the record does not carry, and the ``collaboration_status`` values a search lists it for."""

    __slots__ = ("collaboration_status", "search_statuses")

    def __init__(self, data: dict, state: str):
        super().__init__(data)
        self.collaboration_status = state
        self.search_statuses = LISTED_BY[state]


def collaboration_state(start_time: int, end_time: int, now: int, cancelled: bool, canceling: bool) -> str:
    """Where a target collaboration stands at ``now``: COMPLETED once expired or cancelled, CANCELING while the
    seller's cancellation goes through, else valid (also before it starts): EXPIRING in its last seven days."""
    if cancelled or end_time <= now:
        return "COMPLETED"
    if canceling:
        return "CANCELING"
    return "EXPIRING" if end_time - now < EXPIRING_WITHIN else "ONGOING"


class SortedRow(DictRow):
    """An open collaboration or a sample application: served without the creation time and price it is sorted by."""

    __slots__ = ("create_time", "product_original_price")


class AffiliateSkuRow:
    """One SKU of an affiliate order (a "SKU order"): the unit Search Seller Affiliate Orders pages through."""

    __slots__ = ("nid", "order", "create_time", "data")

    def render(self) -> dict:
        return dict(self.data)


def _money(minor: int | None, shop) -> dict:
    return {"amount": "" if minor is None else money(minor, shop.dec), "currency": shop.currency}


def settlement_status(o) -> str:
    if o.status == "CANCELLED":
        return "INELIGIBLE"
    if o.status == "UNPAID":
        return "AWAITING_PAYMENT"
    return "SETTLED" if o.statement is not None else "TO_SETTLE"


def affiliate_order(o, skus: list[AffiliateSkuRow]) -> dict:
    """An affiliate order as Search Seller Affiliate Orders lists it: ``status`` is deprecated and not returned."""
    out = {"id": o.id, "create_time": o.create_time}
    if o.delivery_time:
        out["delivery_time"] = o.delivery_time
    return {**out, "skus": [row.render() for row in skus]}


class Affiliate:
    """A shop's affiliate programme: creators, collaborations, sample applications and affiliate SKU orders."""

    def __init__(self, shop, start: int, now: int):
        rng = random_for(shop, "affiliate")
        self.shop = shop
        self.creators = [f"{name.lower()}{rng.choice(HANDLES)}{rng.randint(1, 99)}" for name in rng.sample(FIRST, 12)]
        orderable = sorted({prod.id: prod for o in shop.orders for prod, _ in o.units}.values(), key=lambda p: p.nid)
        self.target_collaborations = self._targets(rng, start, now)
        self.open_collaborations = self._open(rng, [p for p in orderable if rng.random() < 0.6], start, now)
        self.skus = self._sku_orders(rng, shop.orders)
        self.order_ids = {row.order.id for row in self.skus}
        self.sample_applications = self._samples(rng, orderable, start, now)

    def _targets(self, rng: random.Random, start: int, now: int) -> list[TargetRow]:
        ids = IdGen(rng, "7310", 19, self.shop.idx)
        rows = []
        for n in range(6):
            created = start + rng.randrange(max(1, now - start - DAY))
            begins = created + rng.randint(HOUR, 3 * DAY)
            sample = rng.random() < 0.6
            data = {
                "id": str(ids.next()),
                "name": f"{rng.choice(['Spring', 'Summer', 'Launch', 'Creator', 'VIP'])} invitation {n + 1}",
                "message": "We love your content and would like you to feature our products.",
                "start_time": begins,
                "end_time": begins + rng.randint(30, 120) * DAY,
                "create_time": created,
                "update_time": min(now - 1, created + rng.randint(0, 10 * DAY)),
                "creator_inivited_count": rng.randint(3, 40),
                "showcase_creator_count": rng.randint(0, 3),
                "content_creator_count": rng.randint(0, 3),
                "product_count": rng.randint(1, 12),
                "free_sample_rule": {
                    "has_free_sample": sample,
                    "is_sample_approval_exempt": sample and rng.random() < 0.3,
                },
                "type": "TOP_CREATOR_PROGRAM" if rng.random() < 0.2 else "STANDARD",
            }
            # set, not drawn, so that the data drawn after them stays as it was
            if n == EXPIRING_AT:
                data["end_time"] = max(begins + DAY, now + EXPIRING_WITHIN // 2)
            elif n == CANCELING_AT:  # a cancellation goes through while the collaboration still runs
                data["end_time"] = max(data["end_time"], now + 30 * DAY)
            state = collaboration_state(begins, data["end_time"], now, n == CANCELLED_AT, n == CANCELING_AT)
            rows.append(TargetRow(data, state))
        return rows

    def _open(self, rng: random.Random, products: list, start: int, now: int) -> list[SortedRow]:
        shop = self.shop
        ids = IdGen(rng, "7311", 19, shop.idx)
        rows = []
        for prod in products:
            created = max(start, prod.create_time) + rng.randint(0, 20 * DAY)
            prices = [sku.list_price for sku in prod.skus]
            terminating = rng.random() < 0.1
            row = SortedRow(
                {
                    "id": str(ids.next()),
                    "status": "TERMINATING" if terminating else "NORMAL",
                    "current_commission": {
                        "rate": AFFILIATE_RATE_BP,
                        "start_time": created,
                        "end_time": now + rng.randint(3, 30) * DAY if terminating else 4102444800,
                    },
                    "showcase_creator_count": rng.randint(0, 25),
                    "content_creator_count": rng.randint(0, 10),
                    "product": {
                        "id": prod.id,
                        "title": prod.title,
                        "main_image_url": f"https://p16-oec-va.ibyteimg.com/tos-maliva-i-o3syd03w52-us/{prod.nid:x}0"
                        "~tplv-o3syd03w52-origin-jpeg.jpeg",
                        "status": PRODUCT_STATUS.get(prod.status, "OTHER"),
                        "inventory": rng.randint(0, 500),
                        "original_price": {
                            "currency": shop.currency,
                            "minimum_amount": money(min(prices), shop.dec),
                            "maximum_amount": money(max(prices), shop.dec),
                        },
                    },
                }
            )
            row.create_time, row.product_original_price = created, min(prices)
            rows.append(row)
        return rows

    def _sku_orders(self, rng: random.Random, orders: list) -> list[AffiliateSkuRow]:
        """The affiliate SKU orders, oldest order first (by order, then SKU)."""
        shop = self.shop
        open_by_product = {row.data["product"]["id"]: row.id for row in self.open_collaborations}
        rows = []
        for o in orders:
            chosen = rng.random() < 0.15  # drawn for every order, so that the choice of one leaves the others
            if not (affiliate_commission(o.fin) if o.fin is not None else chosen):
                continue
            creator = rng.choice(self.creators)
            content_type = rng.choice(CONTENT_TYPES)
            content_id = str(7400000000000000000 + rng.getrandbits(50))
            status = settlement_status(o)
            settled = status == "SETTLED"
            for k, share in enumerate(sku_shares(o, estimated_fin(o, affiliate=True))):
                open_id = open_by_product.get(share.product.id, "")
                if open_id and rng.random() < 0.2:
                    open_id = ""
                target_id = "" if open_id else rng.choice(self.target_collaborations).id
                commission = -affiliate_commission(share.fin)
                actual = commission if settled else (0 if status == "INELIGIBLE" else None)
                row = AffiliateSkuRow()
                row.nid, row.order, row.create_time = o.nid * 10 + k, o, o.create_time
                row.data = {
                    "sku_id": share.sku.id,
                    "settlement_status": status,
                    "open_collaboration_id": open_id,
                    "target_collaboration_id": target_id,
                    "campaign_id": "",
                    "creator_username": creator,
                    "price": _money(share.sku.list_price, shop),
                    "quantity": share.quantity,
                    "content_type": content_type,
                    "content_id": content_id,
                    "product_id": share.product.id,
                    "commission_model": "Fixed commission",
                    "commission_tier_setting": "-",
                    "commission_rate": str(AFFILIATE_RATE_BP),
                    "partner_commission_rate": "0",
                    "shop_ads_commission_rate": "0",
                    "estimated_commission_base": {
                        "amount": display(share.fin.revenue_amount, shop),
                        "currency": shop.currency,
                    },
                    "estimated_paid_commission": _money(commission, shop),
                    "estimated_paid_partner_commission": _money(0, shop),
                    "estimated_paid_shop_ads_commission": _money(0, shop),
                    "estimated_cofunded_creator_bonus_amount": _money(0, shop),
                    "actual_commission_base": {
                        "amount": "" if actual is None else display(share.fin.revenue_amount if settled else 0, shop),
                        "currency": shop.currency,
                    },
                    "actual_paid_commission": _money(actual, shop),
                    "actual_paid_partner_commission": _money(None if actual is None else 0, shop),
                    "actual_paid_shop_ads_commission": _money(None if actual is None else 0, shop),
                    "actual_cofunded_creator_bonus_amount": _money(None if actual is None else 0, shop),
                    "fully_return": "Yes" if status == "INELIGIBLE" else "No",
                    "is_carousel": False,
                }
                rows.append(row)
        return rows

    def _samples(self, rng: random.Random, products: list, start: int, now: int) -> list[SortedRow]:
        shop = self.shop
        ids = IdGen(rng, "7312", 19, shop.idx)
        rows = []
        for _ in range(min(12, len(products))):
            prod = rng.choice(products)
            sku = rng.choice(prod.skus)
            created = start + rng.randrange(max(1, now - start - DAY))
            status = rng.choice(SAMPLE_STATUSES)
            approved = status not in ("PENDING", "REJECT_CANCELLED")
            creator = rng.choice(self.creators)
            row = SortedRow(
                {
                    "id": str(ids.next()),
                    "commission_rate": f"{AFFILIATE_RATE_BP / 10000:.2f}",
                    "status": status,
                    "order_id": str(5790000000000000000 + rng.getrandbits(40)) if approved else "",
                    "available_quantity": rng.randint(0, 20),
                    "approve_expiration_time": created + 7 * DAY,
                    "shipment_expiration_time": created + 14 * DAY if approved else 0,
                    "tracking_number": f"SMP{rng.randint(10**9, 10**10 - 1)}" if status != "PENDING" else "",
                    "fulfillment_status": "SUCCEED" if status == "COMPLETED" else "PENDING",
                    "is_approvable": status == "PENDING",
                    "disapprovable_reasons": [],
                    "partner_name": "",
                    "creator": {
                        "creator_open_id": f"{rng.getrandbits(60):015x}-open",
                        "username": creator,
                        "nickname": creator.title(),
                        "follower_count": rng.randint(500, 2_000_000),
                        "avatar_url": f"https://p16-sign-va.tiktokcdn.com/avatar/{creator}.jpeg",
                        "gmv": {
                            "amount": money(rng.randint(0, 10**6) * 10**shop.dec, shop.dec),
                            "currency": shop.currency,
                        },
                        "content_count": rng.randint(0, 60),
                        "fulfillment_percentage": f"{rng.randint(3000, 10000) / 100:.2f}",
                        "ec_video_view": rng.randint(0, 500_000),
                    },
                    "product": {
                        "id": prod.id,
                        "title": prod.title,
                        "sku_id": sku.id,
                        "sku_image_url": f"https://p16-oec-va.ibyteimg.com/tos-maliva-i-o3syd03w52-us/{prod.nid:x}0"
                        "~tplv-o3syd03w52-resize-jpeg:300:300.jpeg",
                        "sku_name": sku.name,
                    },
                }
            )
            row.create_time, row.product_original_price = created, sku.list_price
            rows.append(row)
        return rows

    def orders(self) -> list[dict]:
        """Every affiliate order with all its SKUs, as a client has them once it has joined them across pages."""
        grouped: dict[str, list[AffiliateSkuRow]] = {}
        for row in self.skus:
            grouped.setdefault(row.order.id, []).append(row)
        return [affiliate_order(rows[0].order, rows) for rows in grouped.values()]
