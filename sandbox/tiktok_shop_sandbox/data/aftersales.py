"""After-sales: returns and cancellations, drawn from the orders they belong to (Search Returns / Search
Cancellations, 202602 and 202309 shapes: 202602 adds the parts of virtual bundles, quick refunds and whether the
seller should put a cancelled order's stock back).

A refund gives the buyer back what they paid for the items (and their tax); a cancelled order is refunded in full,
shipping and fees included (but Thailand's small-order fee, which a refund does not itemize). Replacements and
exchanges refund nothing.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .common import CDN, DAY, HOUR, IdGen, money, split

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
SELLER_FAULT = {"Damaged item", "Not as described", "Missing parts"}  # the seller pays the return shipping
# The statuses a return passes through, by its type (TikTok's notes on return_status).
PENDING = {
    "REFUND": "RETURN_OR_REFUND_REQUEST_PENDING",
    "RETURN_AND_REFUND": "RETURN_OR_REFUND_REQUEST_PENDING",
    "REPLACEMENT": "REPLACEMENT_REQUEST_PENDING",
    "EXCHANGE": "EXCHANGE_REQUEST_PENDING",
}
REJECTED = {"REPLACEMENT": "REPLACEMENT_REQUEST_REJECT"}  # others: REFUND_OR_RETURN_REQUEST_REJECT
COMPLETE = {"REPLACEMENT": "REPLACEMENT_REQUEST_COMPLETE", "EXCHANGE": "EXCHANGE_REQUEST_COMPLETE"}
# what the seller must do next, and when by, in the statuses that wait for the seller
SELLER_ACTION = {
    ("REFUND", "RETURN_OR_REFUND_REQUEST_PENDING"): "SELLER_RESPOND_REFUND",
    ("RETURN_AND_REFUND", "RETURN_OR_REFUND_REQUEST_PENDING"): "SELLER_RESPOND_RETURN",
    ("REPLACEMENT", "REPLACEMENT_REQUEST_PENDING"): "SELLER_RESPOND_REPLACEMENT",
    ("EXCHANGE", "EXCHANGE_REQUEST_PENDING"): "SELLER_RESPOND_REPLACEMENT",
}
RESPONSE_DAYS = 2
NO_REFUND = ("REPLACEMENT", "EXCHANGE")


def _unit_refund(order: OrderRow, i: int) -> tuple[int, int]:
    """(subtotal, tax) the buyer paid for unit ``i`` of ``order``, minor units."""
    _prod, sku = order.units[i]
    return order.pay.unit_paid(i, sku.list_price), order.pay.unit_tax[i]


def _refund_amount(shop, subtotal: int, shipping_fee: int = 0, tax: int = 0, rdf: int = 0, service: int = 0) -> dict:
    dec = shop.dec
    return {
        "currency": shop.currency,
        "refund_total": money(subtotal + shipping_fee + tax + rdf + service, dec),
        "refund_subtotal": money(subtotal, dec),
        "refund_shipping_fee": money(shipping_fee, dec),
        "refund_tax": money(tax, dec),
        "retail_delivery_fee": money(rdf, dec),
        "buyer_service_fee": money(service, dec),
    }


def _product_image(product) -> dict:
    return {"url": f"{CDN}/tos-maliva-i-o3syd03w52-us/{product.nid:x}0", "width": 300, "height": 300}


def _refunded_item(order: OrderRow, i: int, id_key: str, item_id: int, refund: dict) -> dict:
    """Unit ``i`` of ``order`` as a line item of a return or a cancellation."""
    prod, sku = order.units[i]
    return {
        id_key: str(item_id),
        "order_line_item_id": str(order.li_base + i),
        "sku_id": sku.id,
        "sku_name": sku.name,
        "product_name": prod.title,
        "seller_sku": sku.seller_sku,
        "product_image": _product_image(prod),
        "refund_amount": refund,
    }


def _sub_items(order: OrderRow, i: int, kind: str, item_id: int, first_sub_id: int, refund: tuple):
    """The parts of unit ``i`` (a virtual bundle) as sub line items of a return or cancellation ("return" or
    "cancel"), its ``refund`` (the arguments of ``_refund_amount``) split by the parts' prices; None for a unit
    that is not a bundle."""
    prod, _sku = order.units[i]
    if not prod.bundle:
        return None
    weights = [part.list_price for _product, part in prod.bundle]
    shares = list(zip(*(split(amount, weights) for amount in refund), strict=True))
    return [
        {
            f"{kind}_sub_line_item_id": str(first_sub_id + k),
            f"{kind}_line_item_id": str(item_id),
            "sub_order_line_item_id": str(order.sub_item_id(i, k)),
            "order_line_item_id": str(order.li_base + i),
            "sku_id": part.id,
            "sku_name": part.name,
            "product_image": _product_image(product),
            "product_name": product.title,
            "seller_sku": part.seller_sku,
            "refund_amount": _refund_amount(order.shop, *shares[k]),
        }
        for k, (product, part) in enumerate(prod.bundle)
    ]


class ReturnRow:
    __slots__ = (
        "order",
        "id",
        "nid",
        "create_time",
        "update_time",
        "status",
        "status_time",
        "return_type",
        "role",
        "units",
        "reason",
        "li_base",
        "tracking",
        "shipment_type",
        "partial",
        "arbitration_status",
        "quick_refund",
        "steps",  # (status, time) of each step taken by "now", in order: Get Return Records' timeline
    )

    def refunds(self) -> list[tuple[int, int]]:
        """(subtotal, tax) refunded per unit: nothing for a replacement or an exchange, the seller's offer split
        over the units for a partial refund."""
        units = [_unit_refund(self.order, i) for i in self.units]
        if self.return_type in NO_REFUND:
            return [(0, 0)] * len(units)
        if self.partial:
            return [(part, 0) for part in split(self.partial, [sub + tax for sub, tax in units])]
        return units

    def render(self, version: str = "202602") -> dict:
        o = self.order
        shop = o.shop
        dec = shop.dec
        refunds = self.refunds()
        items = []
        for k, (i, (subtotal, tax)) in enumerate(zip(self.units, refunds, strict=True)):
            item_id = self.li_base + k
            item = _refunded_item(o, i, "return_line_item_id", item_id, _refund_amount(shop, subtotal, tax=tax))
            subs = (
                _sub_items(o, i, "return", item_id, self.li_base + 50 + 4 * k, (subtotal, 0, tax))
                if version >= "202602"
                else None
            )
            if subs is not None:
                item["return_sub_line_items"] = subs
            items.append(item)
        ships_back = self.return_type != "REFUND"
        seller_pays = ships_back and self.reason in SELLER_FAULT
        ship_cost = o.pay.original_shipping_fee if ships_back else 0
        action = SELLER_ACTION.get((self.return_type, self.status))
        if self.status == "BUYER_SHIPPED_ITEM":
            action = "SELLER_RESPOND_RECEIVE_PACKAGE"
        platform = self.shipment_type == "PLATFORM"
        out = {
            "order_id": o.id,
            "return_id": self.id,
            "return_type": self.return_type,
            "return_status": self.status,
            "arbitration_status": self.arbitration_status,
            "role": self.role,
            "return_reason": self.reason.upper().replace(" ", "_"),
            "return_reason_text": self.reason,
            "shipment_type": self.shipment_type,
            "handover_method": ("PICKUP" if self.nid % 3 == 0 else "DROP_OFF") if platform else "",
            "return_tracking_number": self.tracking,
            "return_provider_name": o.carrier[1] if self.tracking else "",
            "return_provider_id": o.carrier[0] if self.tracking else "",
            "pre_return_id": "",
            "next_return_id": "",
            "update_time": self.update_time,
            "seller_next_action_response": [{"action": action, "deadline": self.status_time + RESPONSE_DAYS * DAY}]
            if action
            else [],
            "create_time": self.create_time,
            "return_line_items": items,
            "discount_amount": [
                {
                    "currency": shop.currency,
                    "product_seller_discount": money(sum(o.pay.unit_disc[i][0] for i in self.units), dec),
                    "shipping_fee_platform_discount": money(0, dec),
                    "shipping_fee_seller_discount": money(0, dec),
                    "product_platform_discount": money(sum(o.pay.unit_disc[i][1] for i in self.units), dec),
                }
            ],
            "shipping_fee_amount": [
                {
                    "currency": shop.currency,
                    "seller_paid_return_shipping_fee": money(ship_cost if seller_pays else 0, dec),
                    "platform_paid_return_shipping_fee": money(0, dec),
                    "buyer_paid_return_shipping_fee": money(0 if seller_pays else ship_cost, dec),
                }
            ],
            "refund_amount": _refund_amount(shop, sum(s for s, _ in refunds), tax=sum(t for _, t in refunds)),
            "return_shipping_document_type": ("QR_CODE" if self.nid % 2 else "SHIPPING_LABEL") if platform else "",
            "return_method": {"PLATFORM": "PLATFORM_SHIPPED", "BUYER_ARRANGE": "BUYER_SHIPPED"}.get(
                self.shipment_type, ""
            ),
            "is_combined_return": False,
            "combined_return_id": "",
            "seller_proposed_return_type": "PARTIAL_REFUND" if self.partial else "",
        }
        if self.return_type == "REPLACEMENT":
            out["can_buyer_keep_item"] = True
        if self.partial:
            out["partial_refund"] = {"currency": shop.currency, "amount": money(self.partial, dec)}
            out["buyer_rejected_partial_refund"] = False
        if ships_back:
            out["return_warehouse_address"] = {"full_address": shop.warehouses[-1].address["full_address"]}
        if version >= "202602":
            out["is_quick_refund"] = self.quick_refund
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

    def render(self, version: str = "202602") -> dict:
        o = self.order
        shop = o.shop
        p = o.pay
        n = len(o.units)
        # a paid order is refunded in full: each item what was paid for it, the first one the shipping and fees too
        paid = bool(o.paid_time)
        first = [1] + [0] * (n - 1)
        shipping = split(p.shipping_fee if paid else 0, first)
        fees = [split(fee if paid else 0, first) for fee in (p.retail_delivery_fee, p.buyer_service_fee)]
        items = []
        for i in range(n):
            subtotal, tax = _unit_refund(o, i) if paid else (0, 0)
            parts = (subtotal, shipping[i], tax, fees[0][i], fees[1][i])
            item_id = self.li_base + i
            item = _refunded_item(o, i, "cancel_line_item_id", item_id, _refund_amount(shop, *parts))
            subs = (
                _sub_items(o, i, "cancel", item_id, self.li_base + 50 + 4 * i, parts) if version >= "202602" else None
            )
            if subs is not None:
                item["cancel_sub_line_items"] = subs
            items.append(item)
        # a refund itemizes no small-order fee (Thailand's): the refund leaves it out
        total = _refund_amount(shop, p.sub_total, p.shipping_fee, p.tax, p.retail_delivery_fee, p.buyer_service_fee)
        out = {
            "order_id": o.id,
            "cancel_type": self.cancel_type,
            "cancel_status": self.status,
            "role": self.role,
            "cancel_reason": self.reason.upper().replace(" ", "_"),
            "cancel_reason_text": self.reason,
            "create_time": self.create_time,
            "update_time": self.update_time,
            "seller_next_action_response": [
                {"action": "SELLER_RESPOND_BUYER_CANCEL", "deadline": self.create_time + RESPONSE_DAYS * DAY}
            ]
            if self.status == "CANCELLATION_REQUEST_PENDING" and self.cancel_type == "BUYER_CANCEL"
            else [],
            "refund_amount": total if paid else _refund_amount(shop, 0),
            "cancel_line_items": items,
            "cancel_id": self.id,
        }
        if version >= "202602":
            # the stock goes back on sale when nothing had shipped
            shipped = o.rts_time and o.rts_time <= self.update_time
            out["should_replenish_stock"] = self.status in CANCELLED and not shipped
        return out


CANCELLED = ("CANCELLATION_REQUEST_SUCCESS", "CANCELLATION_REQUEST_COMPLETE")


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
        o.request_cancel_time = c.create_time
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
    exchanges = o.shop.region in ("US", "GB")  # TikTok's notes: exchanges exist in these markets only
    rt.return_type = (
        "REFUND"
        if r < 0.35
        else "RETURN_AND_REFUND"
        if r < 0.9
        else "REPLACEMENT"
        if r < 0.95 or not exchanges
        else "EXCHANGE"
    )
    rt.role = "BUYER"
    rt.reason = rng.choice(RETURN_REASONS)
    sku0 = units[rng.randrange(len(units))][1].id
    rt.units = [i for i, u in enumerate(units) if u[1].id == sku0]
    rt.partial = 0
    rt.arbitration_status = ""
    typ = rt.return_type
    steps = [(PENDING[typ], req)]
    t = req
    fate = rnd()
    if fate < 0.1:
        t += randint(HOUR, 2 * DAY)
        steps.append((REJECTED.get(typ, "REFUND_OR_RETURN_REQUEST_REJECT"), t))
        if rnd() < 0.4:  # the buyer takes it to TikTok, which sides with the seller
            rt.arbitration_status = "SUPPORT_SELLER"
    elif fate < 0.15 and typ != "EXCHANGE":
        t += randint(HOUR, DAY)
        steps.append(("REPLACEMENT_REQUEST_CANCEL" if typ == "REPLACEMENT" else "RETURN_OR_REFUND_REQUEST_CANCEL", t))
    elif typ == "REFUND":
        if fate < 0.25:  # the seller offers part of the price back instead, and the buyer takes it
            paid = sum(sum(_unit_refund(o, i)) for i in rt.units)
            rt.partial = max(1, paid // 2)
            t += randint(HOUR, DAY)
            steps.append(("AWAITING_BUYER_RESPONSE", t))
        t += randint(HOUR, 2 * DAY)
        steps.append(("RETURN_OR_REFUND_REQUEST_COMPLETE", t))
    else:
        for st, lo, hi in (
            ("AWAITING_BUYER_SHIP", HOUR, DAY),
            ("BUYER_SHIPPED_ITEM", HOUR, 4 * DAY),
            ("RETURN_OR_REFUND_REQUEST_SUCCESS" if typ == "RETURN_AND_REFUND" else None, 2 * DAY, 6 * DAY),
            (COMPLETE.get(typ, "RETURN_OR_REFUND_REQUEST_COMPLETE"), HOUR, 2 * DAY),
        ):
            if st is not None:
                t += randint(lo, hi)
                steps.append((st, t))
    done = [s for s in steps if s[1] <= now]
    rt.steps = done
    rt.status, rt.update_time = done[-1]
    rt.status_time = rt.update_time
    shipped = any(s[0] == "BUYER_SHIPPED_ITEM" for s in done)
    rt.shipment_type = ("PLATFORM" if rt.nid % 4 else "BUYER_ARRANGE") if typ != "REFUND" else ""
    rt.tracking = f"RT{rt.nid % 10**12:012d}" if shipped else ""
    # small refunds without a return are granted at once: the seller cannot refuse the package
    rt.quick_refund = typ == "REFUND" and rt.partial == 0 and rt.nid % 5 == 0
    return rt
