"""After-sales: returns and cancellations, drawn from the orders they belong to (Search Returns / Search
Cancellations, 202309 shapes). Every item is refunded in full, at what the buyer paid for it.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .common import DAY, HOUR, IdGen, money

if TYPE_CHECKING:
    from .orders import OrderRow, Plan

CANCEL_REASONS_BUYER = [
    "No longer needed",
    "Need to change shipping address",
    "Found a better price",
    "Ordered by mistake",
]
CANCEL_REASONS_SELLER = ["Out of stock", "Pricing error", "Unable to deliver to buyer address"]
RETURN_REASONS = ["Wrong size", "Damaged item", "Not as described", "Changed mind", "Missing parts"]


def _unit_paid(order: OrderRow, i: int) -> int:
    """What the buyer paid for unit ``i`` of ``order``, minor units."""
    _prod, sku = order.units[i]
    seller_disc, platform_disc = order.pay.unit_disc[i]
    return sku.list_price - seller_disc - platform_disc


def _refund_amount(shop, total: int, subtotal: int, shipping_fee: int, tax: int) -> dict:
    return {
        "currency": shop.currency,
        "refund_total": money(total, shop.dec),
        "refund_subtotal": money(subtotal, shop.dec),
        "refund_shipping_fee": money(shipping_fee, shop.dec),
        "refund_tax": money(tax, shop.dec),
    }


def _refund_line_item(order: OrderRow, i: int, id_key: str, item_id: int) -> dict:
    """Unit ``i`` of ``order`` as a line item of a return or a cancellation, refunded in full."""
    prod, sku = order.units[i]
    paid = _unit_paid(order, i)
    return {
        id_key: str(item_id),
        "order_line_item_id": str(order.li_base + i),
        "sku_id": sku.id,
        "sku_name": sku.name,
        "seller_sku": sku.seller_sku,
        "product_name": prod.title,
        "product_image": {
            "url": f"https://p16-oec-va.ibyteimg.com/tos-maliva-i-o3syd03w52-us/{prod.nid:x}0",
            "width": 300,
            "height": 300,
        },
        "refund_amount": _refund_amount(order.shop, paid, paid, 0, 0),
    }


class ReturnRow:
    __slots__ = (
        "order",
        "id",
        "nid",
        "create_time",
        "update_time",
        "status",
        "return_type",
        "role",
        "units",
        "reason",
        "li_base",
        "tracking",
    )
    arbitration_status = ""  # no return in the sandbox goes to arbitration

    def render(self) -> dict:
        o = self.order
        shop = o.shop
        items = [_refund_line_item(o, i, "return_line_item_id", self.li_base + k) for k, i in enumerate(self.units)]
        total = sum(_unit_paid(o, i) for i in self.units)
        out = {
            "return_id": self.id,
            "order_id": o.id,
            "return_status": self.status,
            "return_type": self.return_type,
            "role": self.role,
            "return_reason": self.reason.upper().replace(" ", "_"),
            "return_reason_text": self.reason,
            "create_time": self.create_time,
            "update_time": self.update_time,
            "refund_amount": _refund_amount(shop, total, total, 0, 0),
            "return_line_items": items,
            "return_tracking_number": self.tracking,
            "return_provider_name": o.carrier[1] if self.tracking else "",
            "shipment_type": "PLATFORM" if self.return_type == "RETURN_AND_REFUND" else "",
            "handover_method": "DROP_OFF" if self.return_type == "RETURN_AND_REFUND" else "",
            "arbitration_status": self.arbitration_status,
            "seller_proposed_return_type": "",
            "can_buyer_keep_item": self.return_type == "REFUND",
            "is_combined_return": False,
            "combined_return_id": "",
        }
        return out


class CancellationRow:
    __slots__ = (
        "order",
        "id",
        "nid",
        "create_time",
        "update_time",
        "status",
        "cancel_type",
        "role",
        "reason",
        "li_base",
    )

    def render(self) -> dict:
        o = self.order
        shop = o.shop
        items = [_refund_line_item(o, i, "cancel_line_item_id", self.li_base + i) for i in range(len(o.units))]
        p = o.pay
        return {
            "cancel_id": self.id,
            "order_id": o.id,
            "cancel_status": self.status,
            "cancel_type": self.cancel_type,
            "role": self.role,
            "cancel_reason": self.reason.upper().replace(" ", "_"),
            "cancel_reason_text": self.reason,
            "create_time": self.create_time,
            "update_time": self.update_time,
            "refund_amount": _refund_amount(shop, p.total, p.sub_total, p.shipping_fee, p.tax)
            if o.paid_time
            else _refund_amount(shop, 0, 0, 0, 0),
            "cancel_line_items": items,
        }


def new_cancellation(o: OrderRow, plan: Plan, cid: IdGen, rng: random.Random, now: int) -> CancellationRow | None:
    """The order's cancellation request, if it made one by "now"; a few shipped orders carry a withdrawn one."""
    randint = rng.randint
    if plan.cancel_req is not None and plan.cancel_req <= now:
        c = _cancellation_of(o, cid)
        c.create_time = plan.cancel_req
        c.role = plan.initiator
        c.cancel_type = "BUYER_CANCEL" if plan.initiator == "BUYER" else "CANCEL"
        c.reason = o.cancel_reason or rng.choice(CANCEL_REASONS_BUYER)
        if o.status == "CANCELLED":
            refund_done = plan.cancel_at + randint(HOUR, 3 * DAY)
            if plan.paid is not None and refund_done <= now:
                c.status = "CANCELLATION_REQUEST_COMPLETE"
                c.update_time = refund_done
            else:
                c.status = "CANCELLATION_REQUEST_SUCCESS"
                c.update_time = plan.cancel_at
        else:
            c.status = "CANCELLATION_REQUEST_PENDING"
            c.update_time = plan.cancel_req
        return c
    if o.status in ("COMPLETED", "DELIVERED", "IN_TRANSIT") and rng.random() < 0.015:
        # a buyer cancellation request that was withdrawn / rejected before shipment
        c = _cancellation_of(o, cid)
        c.create_time = o.paid_time + randint(HOUR, max(HOUR + 1, o.rts_time - o.paid_time))
        c.update_time = min(c.create_time + randint(HOUR, DAY), now - 1)
        c.status = "CANCELLATION_REQUEST_CANCEL"
        c.role = "BUYER"
        c.cancel_type = "BUYER_CANCEL"
        c.reason = rng.choice(CANCEL_REASONS_BUYER)
        return c
    return None


def _cancellation_of(o: OrderRow, cid: IdGen) -> CancellationRow:
    c = CancellationRow()
    c.order = o
    c.nid = cid.next()
    c.id = str(c.nid)
    c.li_base = o.li_base + 700
    return c


def new_return(o: OrderRow, rid: IdGen, rng: random.Random, now: int) -> ReturnRow | None:
    """A return request on 7 % of delivered orders, for every unit of one SKU, advanced as far as "now"."""
    rnd, randint = rng.random, rng.randint
    if not (o.delivery_time and rnd() < 0.07):
        return None
    req = o.delivery_time + randint(HOUR, 6 * DAY)
    if req > now:
        return None
    units = o.units
    rt = ReturnRow()
    rt.order = o
    rt.nid = rid.next()
    rt.id = str(rt.nid)
    rt.li_base = o.li_base + 500
    rt.create_time = req
    r = rnd()
    rt.return_type = "REFUND" if r < 0.35 else "RETURN_AND_REFUND" if r < 0.95 else "REPLACEMENT"
    rt.role = "BUYER"
    rt.reason = rng.choice(RETURN_REASONS)
    sku0 = units[rng.randrange(len(units))][1].id
    rt.units = [i for i, u in enumerate(units) if u[1].id == sku0]
    steps = [("RETURN_OR_REFUND_REQUEST_PENDING", req)]
    t = req
    if rnd() < 0.1:
        t += randint(HOUR, 2 * DAY)
        steps.append(("REQUEST_REJECTED", t))
    elif rt.return_type == "REFUND":
        t += randint(HOUR, 2 * DAY)
        steps.append(("RETURN_OR_REFUND_REQUEST_COMPLETE", t))
    else:
        for st, lo, hi in (
            ("AWAITING_BUYER_SHIP", HOUR, DAY),
            ("BUYER_SHIPPED_ITEM", HOUR, 4 * DAY),
            ("RETURN_OR_REFUND_REQUEST_COMPLETE", 2 * DAY, 8 * DAY),
        ):
            t += randint(lo, hi)
            steps.append(
                (
                    st if rt.return_type != "REPLACEMENT" or "COMPLETE" not in st else "REPLACEMENT_REQUEST_COMPLETE",
                    t,
                )
            )
    done = [s for s in steps if s[1] <= now]
    rt.status, rt.update_time = done[-1]
    shipped = any(s[0] == "BUYER_SHIPPED_ITEM" for s in done)
    rt.tracking = f"RT{rt.nid % 10**12:012d}" if shipped else ""
    return rt
