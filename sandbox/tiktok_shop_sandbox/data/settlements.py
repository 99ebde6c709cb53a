"""Settlement by order and SKU: Get Transactions by Order (202501) for settled orders and Get Unsettled
Transactions (202507) for delivered orders no statement holds yet.

Both split an order's settlement figures (``finance.Fin``) over its SKUs the same way, so that an order's SKU
transactions add up to its statement transaction, and an affiliate SKU's commission (``affiliate.py``) is the
SKU's share of the order's affiliate commission.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .common import DAY, DictRow, IdGen, money
from .finance import Fin

if TYPE_CHECKING:
    from .orders import OrderRow

AFFILIATE_RATE_BP = 1000  # the sandbox's creators earn 10.00 % of the revenue (settle() in finance.py)
# TikTok keeps no unsettled transaction created before 2025-01-01 (its notes).
UNSETTLED_SINCE = 1735689600


class SkuShare:
    """One SKU of an order (all its units) and its share of the order's settlement figures (``fin``)."""

    __slots__ = ("product", "sku", "quantity", "fin")

    def __init__(self, product, sku, quantity: int, fin: Fin):
        self.product, self.sku, self.quantity, self.fin = product, sku, quantity, fin


def split(total: int, weights: list[int]) -> list[int]:
    """``total`` in parts proportional to ``weights``; the remainder goes to the first part."""
    s = sum(weights) or 1
    parts = [total * w // s if total >= 0 else -((-total) * w // s) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def sku_shares(o: OrderRow, f: Fin) -> list[SkuShare]:
    """The order's SKUs in the order they first appear, with the settlement figures split by their revenue; the
    order's shipping falls on its first SKU."""
    units: dict[str, list] = {}  # sku id: [product, sku, quantity, subtotal before discount, seller discount]
    for i, (prod, sku) in enumerate(o.units):
        unit = units.setdefault(sku.id, [prod, sku, 0, 0, 0])
        unit[2] += 1
        unit[3] += sku.list_price
        unit[4] += o.pay.unit_disc[i][0]
    listed = list(units.values())
    revenues = [subtotal - discount for *_, subtotal, discount in listed]
    fees = zip(split(f.commission, revenues), split(f.txn_fee, revenues), split(f.affiliate, revenues), strict=True)
    shares = []
    for k, ((prod, sku, quantity, subtotal, discount), revenue, fee) in enumerate(
        zip(listed, revenues, fees, strict=True)
    ):
        shipping = (f.actual_shipping, f.customer_shipping, f.shipping_subsidy) if k == 0 else (0, 0, 0)
        shares.append(SkuShare(prod, sku, quantity, Fin(subtotal, discount, revenue, *fee, *shipping)))
    return shares


def estimated_fin(o: OrderRow, affiliate: bool) -> Fin:
    """What an order not settled yet is expected to settle at: its settlement figures if it has them, else the same
    rates as ``settle()`` with the carrier charging the shipping fee as quoted."""
    if o.fin is not None:
        return o.fin
    p = o.pay
    revenue = p.original_total - p.seller_discount
    commission, txn_fee = -(revenue * 6 // 100), -(revenue * 29 // 1000)
    aff = -(revenue * AFFILIATE_RATE_BP // 10000) if affiliate else 0
    return Fin(
        p.original_total,
        p.seller_discount,
        revenue,
        commission,
        txn_fee,
        aff,
        p.original_shipping_fee,
        p.shipping_fee,
        p.shipping_fee_platform_discount,
    )


def _amounts(f: Fin, dec: int) -> dict:
    """The breakdowns of a settlement (of an order or of one of its SKUs), decimal strings; costs negative."""
    return {
        "revenue_breakdown": {
            "subtotal_before_discount_amount": money(f.subtotal_before_discount, dec),
            "seller_discount_amount": money(-f.seller_discount, dec),
            "refund_subtotal_before_discount_amount": money(0, dec),
            "seller_discount_refund_amount": money(0, dec),
        },
        "shipping_cost_breakdown": {
            "actual_shipping_fee_amount": money(-f.actual_shipping, dec),
            "shipping_fee_discount_amount": money(f.shipping_subsidy, dec),
            "customer_paid_shipping_fee_amount": money(f.customer_shipping, dec),
            "return_shipping_fee_amount": money(0, dec),
        },
        "fee_tax_breakdown": {
            "fee": {
                "platform_commission_amount": money(f.commission, dec),
                "transaction_fee_amount": money(f.txn_fee, dec),
                "affiliate_commission_amount": money(f.affiliate, dec),
            },
            "tax": {"vat_amount": money(0, dec)},
        },
    }


def order_transactions(o: OrderRow) -> dict:
    """Get Transactions by Order (202501) ``data`` of an order: its SKU transactions once a statement settled it."""
    shop = o.shop
    dec = shop.dec
    out = {"order_id": o.id, "order_create_time": o.create_time, "currency": shop.currency}
    f = o.fin
    if f is None or o.statement is None:
        return {**out, "sku_transactions": [], "total_count": 0}
    rows = [
        {
            "sku_id": s.sku.id,
            "sku_name": s.sku.name,
            "statement_id": o.statement.id,
            "product_name": s.product.title,
            "quantity": str(s.quantity),
            "settlement_amount": money(s.fin.settlement, dec),
            "revenue_amount": money(s.fin.revenue, dec),
            "shipping_cost_amount": money(s.fin.shipping_cost, dec),
            "fee_tax_amount": money(s.fin.fee, dec),
            **_amounts(s.fin, dec),
        }
        for s in sku_shares(o, f)
    ]
    return {
        **out,
        "revenue_amount": money(f.revenue, dec),
        "fee_and_tax_amount": money(f.fee, dec),
        "shipping_cost_amount": money(f.shipping_cost, dec),
        "settlement_amount": money(f.settlement, dec),
        "sku_transactions": rows,
        "total_count": len(rows),
    }


def settled_orders(shop) -> list[OrderRow]:
    """The orders a statement holds, which Get Transactions by Order answers for."""
    return [o for o in shop.orders if o.statement is not None]


def generate_unsettled(shop, affiliate_order_ids: set[str]) -> list[DictRow]:
    """One ORDER transaction per delivered order that no statement holds yet (created since 2025-01-01), with the
    settlement it is expected to have."""
    rows = []
    ids = IdGen(random_for(shop, "unsettled"), "7094", 19, shop.idx)
    dec, cur = shop.dec, shop.currency
    for o in shop.orders:
        if not o.delivery_time or o.statement is not None or o.create_time < UNSETTLED_SINCE:
            continue
        f = estimated_fin(o, o.id in affiliate_order_ids)
        settles = o.complete_time + DAY - o.complete_time % DAY if o.complete_time else o.delivery_time + 15 * DAY
        rows.append(
            DictRow(
                {
                    "type": "ORDER",
                    "id": str(ids.next()),
                    "status": "UNSETTLED",
                    "currency": cur,
                    "estimated_settlement": str(settles),
                    "unsettled_reason": "Awaiting the next statement" if o.complete_time else "Order not completed",
                    "order_create_time": o.create_time,
                    "order_delivery_time": o.delivery_time,
                    "order_id": o.id,
                    "adjustment_id": "",
                    "adjustment_order_id": "",
                    "est_adjustment_amount": money(0, dec),
                    "est_settlement_amount": money(f.settlement, dec),
                    "est_revenue_amount": money(f.revenue, dec),
                    "est_shipping_cost_amount": money(f.shipping_cost, dec),
                    "est_fee_tax_amount": money(f.fee, dec),
                    **_amounts(f, dec),
                }
            )
        )
    return rows


def random_for(shop, family: str) -> random.Random:
    """A generator of its own for a resource family added after the others, so that adding it changes none of them."""
    return random.Random(f"{family}:{shop.world.seed}:{shop.idx}")
