"""What an order's own calls tell of it: Get Order Price Details (202407), Get External Order References and the
search by an external reference (202406), Get Order Tracking (fulfillment 202309). All derived from the order.

Price details itemize the order's money (``Pay``), per line item (one per unit, as the order's line items): the
seller's discount is the SKU's cut below its list price (``subtotal_deduction_seller``) and the seller's voucher
(``voucher_deduction_seller``); the platform's is a platform voucher or a platform price subsidy, by the order's
seed; shipping and the order's market fees are on the first line item, and the order's figures are the sums of its
line items', its ``payment`` the order's ``payment.total_amount``.
"""

from __future__ import annotations

import functools
import random
from collections import defaultdict

from .common import DAY, HOUR, money
from .derived import derived
from .promotion_details import activity_details
from .promotions import MS

# The OMS a local seller syncs its orders with, by shop; some orders go to a warehouse system too.
OMS = ("SHOPIFY", "WOOCOMMERCE", "ERP_SYSTEM")
SECOND_OMS = "WAREHOUSE_MANAGEMENT_SYSTEM"
# Tracking events: action code (sandbox choice; TikTok's mapping page is not in its models) and description.
LABEL_CREATED = (101, "Shipping label created, package awaiting pickup")
PICKED_UP = (201, "Package picked up by the carrier")
SCANS = ((202, "Arrived at sorting facility"), (203, "Departed sorting facility"), (204, "In transit"))
OUT_FOR_DELIVERY = (301, "Out for delivery")
DELIVERED = (302, "Delivered")
DELIVERY_FAILED = (401, "Delivery attempt failed")
RETURNED_TO_SENDER = (402, "Returned to sender")


class LineItemPrice:
    """One line item's money, minor units."""

    __slots__ = (
        "list_price",
        "seller_cut",
        "platform_subsidy",
        "seller_voucher",
        "platform_voucher",
        "tax",
        "shipping_list",
        "shipping_platform",
        "shipping",
        "fees",
    )

    def __init__(self, order, i: int):
        _product, sku = order.units[i]
        p = order.pay
        seller, platform = p.unit_disc[i]
        self.list_price = sku.list_price
        self.seller_cut = min(sku.list_price - sku.price, seller)
        self.seller_voucher = seller - self.seller_cut
        as_voucher = (order.rseed >> 7) % 2 == 1
        self.platform_voucher = platform if as_voucher else 0
        self.platform_subsidy = 0 if as_voucher else platform
        self.tax = p.unit_tax[i]
        first = i == 0
        self.shipping_list = p.original_shipping_fee if first else 0
        self.shipping_platform = p.shipping_fee_platform_discount if first else 0
        self.shipping = p.shipping_fee if first else 0
        self.fees = sum(p.fees()) if first else 0

    @property
    def sale_price(self) -> int:
        return self.list_price - self.seller_cut - self.platform_subsidy

    @property
    def subtotal(self) -> int:
        return self.sale_price - self.seller_voucher - self.platform_voucher + self.tax

    @property
    def payment(self) -> int:
        return self.subtotal + self.shipping + self.fees

    def fields(self, shop) -> dict:
        m = functools.partial(money, dec=shop.dec)
        zero = m(0)
        return {
            "currency": shop.currency,
            "total": m(self.list_price + self.shipping_list),
            "payment": m(self.payment),
            "sku_list_price": m(self.list_price),
            "sku_sale_price": m(self.sale_price),
            "subtotal": m(self.subtotal),
            "subtotal_deduction_seller": m(self.seller_cut),
            "subtotal_deduction_platform": m(self.platform_subsidy),
            "subtotal_tax_amount": m(self.tax),
            "voucher_deduction_platform": m(self.platform_voucher),
            "voucher_deduction_seller": m(self.seller_voucher),
            "shipping_list_price": m(self.shipping_list),
            "shipping_sale_price": m(self.shipping),
            "shipping_fee_deduction_seller": zero,
            "shipping_fee_deduction_platform": m(self.shipping_platform),
            "shipping_fee_deduction_platform_voucher": zero,
            "tax_amount": m(self.tax),
            "tax_rate": f"{shop.tax_bp / 10000:.4f}" if shop.tax_bp else "0",
            "net_price_amount": m(self.payment - self.tax),
            "cod_fee": zero,
            "sku_gift_original_price": zero,
            "sku_gift_net_price": zero,
            "distance_shipping_fee": zero,
            "distance_fee": zero,
        }


def _coupon_for(shop, order) -> str | None:
    """The coupon behind a seller's voucher: the last one of the shop created before the order (else the first)."""
    before = [c for c in shop.coupons if c.data["create_time"] // MS <= order.create_time]
    chosen = max(before, key=lambda c: c.data["create_time"]) if before else (shop.coupons or [None])[0]
    return chosen.id if chosen is not None else None


def price_detail(order) -> dict:
    """Get Order Price Details' ``data`` for the order."""
    shop = order.shop
    dec = shop.dec
    pricing = activity_details(shop)
    coupon = _coupon_for(shop, order)
    items, lines = [], []
    for i, (product, _sku) in enumerate(order.units):
        line = LineItemPrice(order, i)
        lines.append(line)
        fields = line.fields(shop)
        promotions = []
        activity = pricing.pricing_activity(product.id, order.create_time) if line.seller_cut else None
        if activity is not None:
            promotions.append(
                {"activity_id": activity, "discount_amount": money(line.seller_cut, dec), "discount_type": "ACTIVITY"}
            )
        if line.seller_voucher and coupon is not None:
            promotions.append(
                {"activity_id": coupon, "discount_amount": money(line.seller_voucher, dec), "discount_type": "COUPON"}
            )
        items.append(
            {
                "id": str(order.li_base + i),
                **fields,
                "cod_fee_amount": fields["cod_fee"],
                "seller_funded_product_promotions": promotions,
                "seller_funded_shipping_promotions": [],
            }
        )
    total = _sum_lines(lines)
    out = total.fields(shop)
    out["cod_fee_net_amount"] = out["cod_fee"]
    out["line_items"] = items
    return out


def _sum_lines(lines: list[LineItemPrice]) -> LineItemPrice:
    """The order's money as one line: each amount the sum of its lines'."""
    total = LineItemPrice.__new__(LineItemPrice)
    for name in LineItemPrice.__slots__:
        setattr(total, name, sum(getattr(line, name) for line in lines))
    return total


class ExternalOrders:
    """The references a local seller's OMS added to its orders (cross-border sellers have none): every line item
    mapped to an OMS line."""

    def __init__(self, shop):
        self.by_order: dict[str, list[dict]] = defaultdict(list)
        self.by_reference: dict[tuple[str, str], list[str]] = defaultdict(list)
        if shop.seller_type != "LOCAL":
            return
        platform = OMS[shop.idx % len(OMS)]
        numbers = {platform: 1000, SECOND_OMS: 5000}
        for order in shop.orders:  # in creation order, so the OMS numbers grow with the orders
            rng = random.Random(order.rseed ^ 0xE0E0)
            if not order.paid_time or rng.random() >= 1 / 3:
                continue
            for oms in (platform, SECOND_OMS) if rng.random() < 0.1 else (platform,):
                numbers[oms] += 1
                ref = self._reference(order, oms, numbers[oms])
                self.by_order[order.id].append(ref)
                self.by_reference[(oms, ref["id"])].append(order.id)

    @staticmethod
    def _reference(order, oms: str, number: int) -> dict:
        ref_id = {"SHOPIFY": f"#{number}", "ERP_SYSTEM": f"SO-{number:07d}", SECOND_OMS: f"WMS{number:08d}"}.get(
            oms, str(number)
        )
        return {
            "id": ref_id,
            "platform": oms,
            "line_items": [
                {"id": f"{ref_id}-{k + 1}", "origin_id": str(order.li_base + k)} for k in range(len(order.units))
            ],
        }

    def of(self, order_id: str, platform: str) -> list[dict]:
        return [dict(ref) for ref in self.by_order.get(order_id, ()) if ref["platform"] == platform]


def external_orders(shop) -> ExternalOrders:
    return derived(shop, ExternalOrders)


def tracking(order) -> list[dict]:
    """Get Order Tracking's events for the order: its packages' way to the buyer, none after "now", oldest first."""
    now = order.shop.world.now_ts
    rng = random.Random(order.rseed ^ 0x7AC4)
    events: list[tuple[int, tuple[int, str]]] = []
    for pkg in order.packages:
        events.append((pkg.create_time, LABEL_CREATED))
    coll = order.collection_time
    if coll:
        events.append((coll, PICKED_UP))
        # scans stop before the parcel is out for delivery (or fails to be delivered)
        ended = order.delivery_time - 6 * HOUR if order.delivery_time else 0
        until = ended or (order.cancel_time if order.status == "CANCELLED" else now)
        t = coll
        for code in SCANS[: rng.randint(1, 3)]:
            t += rng.randint(2 * HOUR, 12 * HOUR)
            if t < until:
                events.append((t, code))
        if order.delivery_time:
            events.append((order.delivery_time - rng.randint(HOUR, 6 * HOUR), OUT_FOR_DELIVERY))
            events.append((order.delivery_time, DELIVERED))
        elif order.status == "CANCELLED":
            events.append((order.cancel_time, DELIVERY_FAILED))
            back = order.cancel_time + rng.randint(DAY, 4 * DAY)
            if back <= now:
                events.append((back, RETURNED_TO_SENDER))
    events.sort()
    return [
        {"description": text, "update_time_millis": t * MS + rng.randrange(MS), "action_code": code}
        for t, (code, text) in events
    ]


RESOURCES = {
    "order_price_details": lambda shop: [{"order_id": o.id, **price_detail(o)} for o in shop.orders],
    "external_orders": lambda shop: [
        {"order_id": o.id, **ref} for o in shop.orders for ref in external_orders(shop).by_order.get(o.id, ())
    ],
    "order_tracking": lambda shop: [{"order_id": o.id, "tracking": tracking(o)} for o in shop.orders if o.packages],
}
