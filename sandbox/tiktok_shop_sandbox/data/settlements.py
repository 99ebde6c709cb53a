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
    """One SKU of an order (all its units) and its share of the order's settlement, minor units; costs negative."""

    __slots__ = (
        "product",
        "sku",
        "quantity",
        "subtotal_before_discount",
        "seller_discount",
        "revenue",
        "commission",
        "txn_fee",
        "affiliate",
        "actual_shipping",
        "customer_shipping",
        "shipping_subsidy",
    )

    @property
    def fee(self) -> int:
        return self.commission + self.txn_fee + self.affiliate

    @property
    def shipping_cost(self) -> int:
        return -self.actual_shipping + self.customer_shipping + self.shipping_subsidy

    @property
    def settlement(self) -> int:
        return self.revenue + self.fee + self.shipping_cost


def split(total: int, weights: list[int]) -> list[int]:
    """``total`` in parts proportional to ``weights``; the remainder goes to the first part."""
    s = sum(weights) or 1
    parts = [total * w // s if total >= 0 else -((-total) * w // s) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def sku_shares(o: OrderRow, f: Fin) -> list[SkuShare]:
    """The order's SKUs in the order they first appear, with the settlement figures split by their revenue; the
    order's shipping falls on its first SKU."""
    shares: dict[str, SkuShare] = {}
    for i, (prod, sku) in enumerate(o.units):
        share = shares.get(sku.id)
        if share is None:
            share = shares[sku.id] = SkuShare()
            share.product, share.sku = prod, sku
            share.quantity = share.subtotal_before_discount = share.seller_discount = 0
        share.quantity += 1
        share.subtotal_before_discount += sku.list_price
        share.seller_discount += o.pay.unit_disc[i][0]
    listed = list(shares.values())
    revenues = [s.subtotal_before_discount - s.seller_discount for s in listed]
    parts = zip(split(f.commission, revenues), split(f.txn_fee, revenues), split(f.affiliate, revenues), strict=True)
    for k, (share, revenue, (commission, txn_fee, affiliate)) in enumerate(zip(listed, revenues, parts, strict=True)):
        share.revenue, share.commission, share.txn_fee, share.affiliate = revenue, commission, txn_fee, affiliate
        first = k == 0
        share.actual_shipping = f.actual_shipping if first else 0
        share.customer_shipping = f.customer_shipping if first else 0
        share.shipping_subsidy = f.shipping_subsidy if first else 0
    return listed


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


def _revenue_breakdown(share: SkuShare, dec: int) -> dict:
    return {
        "subtotal_before_discount_amount": money(share.subtotal_before_discount, dec),
        "seller_discount_amount": money(-share.seller_discount, dec),
        "refund_subtotal_before_discount_amount": money(0, dec),
        "seller_discount_refund_amount": money(0, dec),
    }


def _shipping_breakdown(actual: int, customer: int, subsidy: int, dec: int) -> dict:
    return {
        "actual_shipping_fee_amount": money(-actual, dec),
        "shipping_fee_discount_amount": money(subsidy, dec),
        "customer_paid_shipping_fee_amount": money(customer, dec),
        "return_shipping_fee_amount": money(0, dec),
    }


def _fee_tax_breakdown(commission: int, txn_fee: int, affiliate: int, dec: int) -> dict:
    return {
        "fee": {
            "platform_commission_amount": money(commission, dec),
            "transaction_fee_amount": money(txn_fee, dec),
            "affiliate_commission_amount": money(affiliate, dec),
        },
        "tax": {"vat_amount": money(0, dec)},
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
            "settlement_amount": money(s.settlement, dec),
            "revenue_amount": money(s.revenue, dec),
            "revenue_breakdown": _revenue_breakdown(s, dec),
            "shipping_cost_amount": money(s.shipping_cost, dec),
            "shipping_cost_breakdown": _shipping_breakdown(
                s.actual_shipping, s.customer_shipping, s.shipping_subsidy, dec
            ),
            "fee_tax_amount": money(s.fee, dec),
            "fee_tax_breakdown": _fee_tax_breakdown(s.commission, s.txn_fee, s.affiliate, dec),
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
                    "revenue_breakdown": {
                        "subtotal_before_discount_amount": money(f.subtotal_before_discount, dec),
                        "seller_discount_amount": money(-f.seller_discount, dec),
                        "refund_subtotal_before_discount_amount": money(0, dec),
                        "seller_discount_refund_amount": money(0, dec),
                    },
                    "est_shipping_cost_amount": money(f.shipping_cost, dec),
                    "shipping_cost_breakdown": _shipping_breakdown(
                        f.actual_shipping, f.customer_shipping, f.shipping_subsidy, dec
                    ),
                    "est_fee_tax_amount": money(f.fee, dec),
                    "fee_tax_breakdown": _fee_tax_breakdown(f.commission, f.txn_fee, f.affiliate, dec),
                }
            )
        )
    return rows


def random_for(shop, family: str) -> random.Random:
    """A generator of its own for a resource family added after the others, so that adding it changes none of them."""
    return random.Random(f"{family}:{shop.world.seed}:{shop.idx}")
