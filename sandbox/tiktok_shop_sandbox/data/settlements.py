"""Settlement by order and SKU: Get Transactions by Order (202501) for settled orders and Get Unsettled
Transactions (202507) for delivered orders no statement holds yet.

Both split an order's settlement figures (``finance.Fin``) over its SKUs the same way, so that an order's SKU
transactions add up to its statement transaction, and an affiliate SKU's commission (``affiliate.py``) is the
SKU's share of the order's affiliate commission.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .common import DAY, DictRow, IdGen, money, random_for, split
from .finance import (
    AFFILIATE,
    FEE_FIELDS,
    SHIPPING_DETAIL_DEPRECATED,
    SHIPPING_DETAIL_FIELDS,
    SHIPPING_FIELDS,
    TAX_FIELDS,
    Fin,
    affiliate_fee,
    breakdown,
    commission_fees,
    shipping_parts,
)

if TYPE_CHECKING:
    from .orders import OrderRow

AFFILIATE_RATE_BP = AFFILIATE * 10  # the sandbox's creators earn 10.00 % of the revenue (settle() in finance.py)
# The breakdowns Get Transactions by Order gives a SKU (its model's).
ORDER_REVENUE_FIELDS = (
    "subtotal_before_discount_amount",
    "seller_discount_amount",
    "refund_subtotal_before_discount_amount",
    "seller_discount_refund_amount",
    "cod_service_fee_amount",
    "refund_cod_service_fee_amount",
    "distant_item_fee_amount",
)
# A statement transaction's, but the guarantee reimbursement, which the order's model has only among its details.
ORDER_SHIPPING_FIELDS = tuple(name for name in SHIPPING_FIELDS if name != "shipping_fee_guarantee_reimbursement")
# Where the shipping figures come from: a statement's detail, but the buyer's shipping fee, and the guarantee
# reimbursement, which the order's model has here rather than among the shipping costs.
ORDER_SHIPPING_DETAIL_FIELDS = (
    *(name for name in SHIPPING_DETAIL_FIELDS if name not in ("customer_shipping_fee", "refund_customer_shipping_fee")),
    "shipping_fee_guarantee_reimbursement",
)
# The breakdowns Get Unsettled Transactions gives (its model's), which name fewer fees than a statement's.
UNSETTLED_SHIPPING_LACKS = frozenset(
    {
        "fbt_fulfillment_fee_reimbursement_amount",
        "return_shipping_label_fee_amount",
        "seller_self_shipping_service_fee_amount",
        "return_shipping_fee_paid_buyer_amount",
        "failed_delivery_subsidy_amount",
        "shipping_fee_guarantee_reimbursement",
        "fbt_free_shipping_fee_amount",
        "free_return_subsidy_amount",
    }
)
UNSETTLED_SHIPPING_FIELDS = (
    *(name for name in SHIPPING_FIELDS if name not in UNSETTLED_SHIPPING_LACKS),
    "sfr_reimbursement",
)
UNSETTLED_SHIPPING_DETAIL_FIELDS = (
    "customer_shipping_fee_offset_amount",
    "shipping_fee_subsidy_amount",
    "platform_shipping_fee_discount_amount",
    "fbm_shipping_cost_amount",
    "fbt_shipping_cost_amount",
    "promo_shipping_incentive_amount",
    "fbt_fulfillment_fee_amount",
    "seller_shipping_fee_discount_amount",
)
UNSETTLED_FEE_FIELDS = (
    "platform_commission_amount",
    "referral_fee_amount",
    "refund_administration_fee_amount",
    "transaction_fee_amount",
    "credit_card_handling_fee_amount",
    "affiliate_commission_amount",
    "affiliate_commission_before_pit_amount",
    "pit_withheld_from_ads_commission_amount",
    "affiliate_partner_commission_amount",
    "affiliate_ads_commission_amount",
    "sfp_service_fee_amount",
    "live_specials_fee_amount",
    "bonus_cashback_service_fee_amount",
    "mall_service_fee_amount",
    "retail_delivery_fee_amount",
    "retail_delivery_fee_payment_amount",
    "retail_delivery_fee_refund_amount",
    "platform_special_service_fee_amount",
    "smart_promotion_fee_amount",
    "vn_fix_infrastructure_fee",
    "dynamic_commission_amount",
    "campaign_period_fee_cfp_amount",
    "campaign_period_fee_sp_amount",
    "campaign_period_fee_sp_tax_amount",
    "campaign_period_fee_cfp_tax_amount",
    "seller_growth_fee_amount",
    "failed_delivery_shipping_fee",
    "buyer_fault_return_shipping_fee",
    "insurance_fee",
    "cps_shop_ads_commission_tax_amount",
    "shipping_insurance_fee_tax_amount",
    "new_customer_growth_package_fee",
    "target_product_gmv_growth_package_fee",
    "store_gmv_growth_package_fee",
    "auto_post_shoppable_video_commission_fee",
    "seller_funded_user_spoint_service_fee",
    "flash_sales_service_fee_amount",
)
UNSETTLED_TAX_FIELDS = (
    "sales_tax_amount",
    "sales_tax_payment_amount",
    "sales_tax_refund_amount",
    "vat_amount",
    "import_vat_amount",
    "customs_duty_amount",
    "customs_clearance_amount",
    "sst_amount",
    "gst_amount",
    "sales_tax_referral_fee_amount",
    "smart_promotion_fee_tax_amount",
    "cedular_tax",
    "new_customer_growth_package_fee_tax",
    "store_gmv_growth_package_fee_sales_tax",
    "target_product_gmv_growth_package_tax",
    "auto_post_shoppable_video_sales_tax",
)
# TikTok keeps no unsettled transaction created before 2025-01-01 (its notes).
UNSETTLED_SINCE = 1735689600


class SkuShare:
    """One SKU of an order (all its units) and its share of the order's settlement figures (``fin``)."""

    __slots__ = ("product", "sku", "quantity", "fin")

    def __init__(self, product, sku, quantity: int, fin: Fin):
        self.product, self.sku, self.quantity, self.fin = product, sku, quantity, fin


def sku_shares(o: OrderRow, f: Fin) -> list[SkuShare]:
    """The order's SKUs in the order they first appear, each with its own subtotal and discount, and the rest of the
    settlement figures split by their revenue; the order's shipping falls on its first SKU."""
    units: dict[str, list] = {}  # sku id: [product, sku, quantity, subtotal before discount, seller discount]
    for i, (prod, sku) in enumerate(o.units):
        unit = units.setdefault(sku.id, [prod, sku, 0, 0, 0])
        unit[2] += 1
        unit[3] += sku.list_price
        unit[4] += o.pay.unit_disc[i][0]
    listed = list(units.values())
    weights = [subtotal - discount for *_, subtotal, discount in listed]

    def shares(parts: dict[str, int]) -> list[dict[str, int]]:
        by_name = {name: split(value, weights) for name, value in parts.items()}
        return [{name: values[k] for name, values in by_name.items()} for k in range(len(listed))]

    refunds = {name: value for name, value in f.revenue.items() if "refund" in name}
    revenue_shares, fee_shares, tax_shares = shares(refunds), shares(f.fees), shares(f.taxes)
    result = []
    for k, (prod, sku, quantity, subtotal, discount) in enumerate(listed):
        revenue = {"subtotal_before_discount_amount": subtotal, "seller_discount_amount": -discount}
        shipping, shipping_detail = (f.shipping, f.shipping_detail) if k == 0 else ({}, {})
        fin = Fin({**revenue, **revenue_shares[k]}, fee_shares[k], tax_shares[k], shipping, shipping_detail, {})
        result.append(SkuShare(prod, sku, quantity, fin))
    return result


def estimated_fin(o: OrderRow, affiliate: bool) -> Fin:
    """What an order not settled yet is expected to settle at: its settlement figures if it has them, else the fees
    of ``settle()`` on its revenue, with the carrier charging the shipping fee as quoted."""
    if o.fin is not None:
        return o.fin
    p = o.pay
    revenue = {"subtotal_before_discount_amount": p.original_total, "seller_discount_amount": -p.seller_discount}
    base = sum(revenue.values())
    fees = commission_fees(o.shop.region, base) | (affiliate_fee(base) if affiliate else {})
    shipping, shipping_detail = shipping_parts(p, p.original_shipping_fee)
    return Fin(revenue, fees, {}, shipping, shipping_detail, {})


def affiliate_commission(f: Fin) -> int:
    """The affiliate commission of a settlement (of an order or a SKU), negative; 0 where there is none."""
    return f.fees.get("affiliate_commission_amount", 0)


# (revenue, shipping, shipping detail, fees, taxes): the fields of each breakdown of an endpoint's model.
ORDER_BREAKDOWNS = (ORDER_REVENUE_FIELDS, ORDER_SHIPPING_FIELDS, ORDER_SHIPPING_DETAIL_FIELDS, FEE_FIELDS, TAX_FIELDS)
UNSETTLED_BREAKDOWNS = (
    ORDER_REVENUE_FIELDS,
    UNSETTLED_SHIPPING_FIELDS,
    UNSETTLED_SHIPPING_DETAIL_FIELDS,
    UNSETTLED_FEE_FIELDS,
    UNSETTLED_TAX_FIELDS,
)


def _amounts(f: Fin, dec: int, fields: tuple = ORDER_BREAKDOWNS) -> dict:
    """The breakdowns of a settlement (of an order or of one of its SKUs), decimal strings; costs negative."""
    revenue, shipping, detail, fees, taxes = fields
    return {
        "revenue_breakdown": breakdown(revenue, f.revenue, dec),
        "shipping_cost_breakdown": {
            **breakdown(shipping, f.shipping, dec),
            "supplementary_component": breakdown(detail, f.shipping_detail, dec, SHIPPING_DETAIL_DEPRECATED),
        },
        "fee_tax_breakdown": {"fee": breakdown(fees, f.fees, dec), "tax": breakdown(taxes, f.taxes, dec)},
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
            "revenue_amount": money(s.fin.revenue_amount, dec),
            "shipping_cost_amount": money(s.fin.shipping_cost_amount, dec),
            "fee_tax_amount": money(s.fin.fee_tax_amount, dec),
            **_amounts(s.fin, dec),
        }
        for s in sku_shares(o, f)
    ]
    return {
        **out,
        "revenue_amount": money(f.revenue_amount, dec),
        "fee_and_tax_amount": money(f.fee_tax_amount, dec),
        "shipping_cost_amount": money(f.shipping_cost_amount, dec),
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
                    "est_revenue_amount": money(f.revenue_amount, dec),
                    "est_shipping_cost_amount": money(f.shipping_cost_amount, dec),
                    "est_fee_tax_amount": money(f.fee_tax_amount, dec),
                    **_amounts(f, dec, UNSETTLED_BREAKDOWNS),
                }
            )
        )
    return rows
