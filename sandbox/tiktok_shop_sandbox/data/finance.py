"""Finance: settlement figures of completed orders, statements with their transactions (202501), payments (202605
and 202309) and withdrawals.

Amounts follow TikTok's sign convention: what the seller receives is positive, fees and costs negative, so a
transaction's ``settlement_amount`` is the sum of its revenue, fee and tax, shipping cost and adjustment amounts, and
each of those is the sum of its breakdown. A statement's totals are the sums of its transactions; what is paid out is
the settlement plus the reserve movements (reserves are held back from US shops' statements and released later).
One payment per statement.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .aftersales import SELLER_FAULT
from .common import DAY, HOUR, SEA, DictRow, IdGen, money, random_for

if TYPE_CHECKING:
    from .aftersales import ReturnRow
    from .orders import OrderRow, Pay

ADJUSTMENT_TYPES = [
    "SHIPPING_FEE_ADJUSTMENT",
    "LOGISTICS_REIMBURSEMENT",
    "PLATFORM_COMPENSATION",
    "PROMOTION_ADJUSTMENT",
    "PLATFORM_PENALTY",
    "OTHER_ADJUSTMENT",
]
# The fields of each breakdown, as TikTok's model of Get Transactions by Statement (202501) lists them.
REVENUE_FIELDS = (
    "subtotal_before_discount_amount",
    "refund_subtotal_before_discount_amount",
    "seller_discount_amount",
    "seller_discount_refund_amount",
    "cod_service_fee_amount",
    "refund_cod_service_fee_amount",
    "distant_item_fee_amount",
)
FEE_FIELDS = (
    "platform_commission_amount",
    "referral_fee_amount",
    "refund_administration_fee_amount",
    "transaction_fee_amount",
    "credit_card_handling_fee_amount",
    "affiliate_commission_amount",
    "affiliate_commission_amount_before_pit",
    "affiliate_partner_commission_amount",
    "affiliate_ads_commission_amount",
    "sfp_service_fee_amount",
    "live_specials_fee_amount",
    "bonus_cashback_service_fee_amount",
    "mall_service_fee_amount",
    "voucher_xtra_service_fee_amount",
    "flash_sales_service_fee_amount",
    "cofunded_promotion_service_fee_amount",
    "pre_order_service_fee_amount",
    "tsp_commission_amount",
    "dt_handling_fee_amount",
    "epr_pob_service_fee_amount",
    "seller_paylater_handling_fee_amount",
    "fee_per_item_sold_amount",
    "cofunded_creator_bonus_amount",
    "dynamic_commission_amount",
    "external_affiliate_marketing_fee_amount",
    "vn_fix_infrastructure_fee",
    "affiliate_commission_deposit",
    "affiliate_commission_release",
    "tap_shop_ads_commission",
    "shipping_fee_guarantee_service_fee",
    "installation_service_fee",
    "campaign_resource_fee",
    "platform_special_service_fee_amount",
    "smart_promotion_fee_amount",
    "gmv_max_ad_fee_amount",
    "platform_semi_managed_commission_fee",
    "platform_semi_managed_commission_fee_tax",
    "campaign_period_fee_cfp_amount",
    "campaign_period_fee_sp_amount",
    "campaign_period_fee_sp_tax_amount",
    "campaign_period_fee_cfp_tax_amount",
    "seller_growth_fee_amount",
    "category_led_campaign_fee_amount",
    "category_led_campaign_fee_tax_amount",
    "brand_amplification_program_commission",
    "brand_amplification_program_fee_tax",
    "brand_campaign_fee",
    "brand_campaign_fee_tax",
    "failed_delivery_shipping_fee",
    "buyer_fault_return_shipping_fee",
    "insurance_fee",
    "gmv_max_coupon_fee",
    "cps_shop_ads_commission_tax_amount",
    "shipping_insurance_fee_tax_amount",
    "new_customer_growth_package_fee",
    "target_product_gmv_growth_package_fee",
    "store_gmv_growth_package_fee",
    "auto_post_shoppable_video_commission_fee",
    "seller_funded_user_spoint_service_fee",
)
TAX_FIELDS = (
    "vat_amount",
    "import_vat_amount",
    "customs_duty_amount",
    "customs_clearance_amount",
    "sst_amount",
    "gst_amount",
    "iva_amount",
    "isr_amount",
    "anti_dumping_duty_amount",
    "local_vat_amount",
    "pit_amount",
    "sales_tax_referral_fee_amount",
    "smart_promotion_fee_tax_amount",
    "cedular_tax",
    "new_customer_growth_package_fee_tax",
    "store_gmv_growth_package_fee_sales_tax",
    "target_product_gmv_growth_package_tax",
    "auto_post_shoppable_video_sales_tax",
    "article_22_income_tax_withheld",
)
SHIPPING_FIELDS = (
    "actual_shipping_fee_amount",
    "international_leg_logistics_amount",
    "shipping_fee_discount_amount",
    "customer_paid_shipping_fee_amount",
    "return_shipping_fee_amount",
    "replacement_shipping_fee_amount",
    "exchange_shipping_fee_amount",
    "signature_confirmation_fee_amount",
    "shipping_insurance_fee_amount",
    "fbt_fulfillment_fee_reimbursement_amount",
    "return_shipping_label_fee_amount",
    "seller_self_shipping_service_fee_amount",
    "return_shipping_fee_paid_buyer_amount",
    "failed_delivery_subsidy_amount",
    "shipping_fee_guarantee_reimbursement",
    "fbt_free_shipping_fee_amount",
    "free_return_subsidy_amount",
    "distant_shipping_fee_amount",
    "shipping_app_service_fee_amount",
    "logistics_service_fee",
    "fbt_overall_merchant_subsidy",
    "fbt_key_merchant_subsidy",
    "tiktok_shop_shipping_incentive_amount",
    "hazmat_noncompliance_fee",
    "hazmat_handling_fee",
    "non_standard_weight_fee",
    "non_standard_dimension_fee",
)
# where the shipping figures come from: parts of the amounts above, not added to the shipping cost themselves
SHIPPING_DETAIL_FIELDS = (
    "platform_shipping_fee_discount_amount",
    "promo_shipping_incentive_amount",
    "shipping_fee_subsidy_amount",
    "seller_shipping_fee_discount_amount",
    "customer_shipping_fee_offset_amount",
    "fbm_shipping_cost_amount",
    "fbt_shipping_cost_amount",
    "fbt_fulfillment_fee_amount",
    "fbt_fulfillment_fee_reimbursement_amount",
    "return_refund_subsidy_amount",
    "refunded_customer_shipping_fee_amount",
    "customer_shipping_fee",
    "refund_customer_shipping_fee",
)
SHIPPING_DETAIL_DEPRECATED = ("fbt_fulfillment_fee_reimbursement_amount",)  # TikTok's notes: always an empty string
# what the buyer paid and got back, for reference: not part of the settlement
PAYMENT_DETAIL_FIELDS = (
    "customer_payment_amount",
    "customer_refund_amount",
    "platform_discount_amount",
    "platform_discount_refund_amount",
    "seller_cofunded_discount_amount",
    "seller_cofunded_discount_refund_amount",
    "platform_cofunded_discount_amount",
    "platform_cofunded_discount_refund_amount",
    "retail_delivery_fee_amount",
    "retail_delivery_fee_payment_amount",
    "retail_delivery_fee_refund_amount",
    "sales_tax_amount",
    "sales_tax_payment_amount",
    "sales_tax_refund_amount",
)
# Fees as per-mille rates of the revenue, by market (the sandbox's figures; TikTok publishes them per market).
US_REFERRAL = 80
COMMISSION = 60
TRANSACTION_FEE = 29
AFFILIATE = 100
FREE_SHIPPING_PROGRAMME = 40  # SEA: the seller's share of free shipping
ID_DYNAMIC_COMMISSION = 15
VN_INFRASTRUCTURE_FEE = 3000  # VND per order
# taxes a cross-border seller's market has the platform collect, per mille of the (tax-inclusive) revenue
CROSS_BORDER_TAXES = {
    "GB": {"vat_amount": 1000 // 6},
    "MY": {"sst_amount": 1000 * 10 // 110},
    "SG": {"gst_amount": 1000 * 9 // 109},
    "MX": {"iva_amount": 80, "isr_amount": 10},
}
RESERVE_SHARE = 10  # per cent of a statement's settlement held back, when a reserve is collected
RESERVE_DAYS = 30
# payouts to cross-border sellers are made in USD, at these rates
USD_PER_UNIT = {"GBP": 1.27, "MYR": 0.22, "VND": 0.000039, "SGD": 0.74, "MXN": 0.058}


def breakdown(fields, parts: dict, dec: int, empty=()) -> dict:
    """Every field of a breakdown: the parts that apply, zero for the others (``empty`` ones are empty strings)."""
    zero = money(0, dec)
    return {name: "" if name in empty else (money(parts[name], dec) if name in parts else zero) for name in fields}


class Fin:
    """Settlement figures of a completed order, minor units by breakdown field; costs are negative."""

    __slots__ = ("revenue", "fees", "taxes", "shipping", "shipping_detail", "payment_detail")

    def __init__(self, revenue, fees, taxes, shipping, shipping_detail, payment_detail):
        self.revenue = revenue
        self.fees = fees
        self.taxes = taxes
        self.shipping = shipping
        self.shipping_detail = shipping_detail
        self.payment_detail = payment_detail

    @property
    def revenue_amount(self) -> int:
        return sum(self.revenue.values())

    @property
    def fee_tax_amount(self) -> int:
        return sum(self.fees.values()) + sum(self.taxes.values())

    @property
    def shipping_cost_amount(self) -> int:
        return sum(self.shipping.values())

    @property
    def settlement(self) -> int:
        return self.revenue_amount + self.fee_tax_amount + self.shipping_cost_amount


def commission_fees(region: str, base: int) -> dict[str, int]:
    """The platform's cut of a settlement's revenue ``base``, by market (the US charges a referral fee instead)."""
    if region == "US":
        return {"referral_fee_amount": -(base * US_REFERRAL // 1000)}
    return {
        "platform_commission_amount": -(base * COMMISSION // 1000),
        "transaction_fee_amount": -(base * TRANSACTION_FEE // 1000),
    }


def affiliate_fee(base: int) -> dict[str, int]:
    """The affiliate creators' commission on a settlement's revenue ``base``."""
    return {"affiliate_commission_amount": -(base * AFFILIATE // 1000)}


def shipping_parts(p: Pay, actual: int, return_shipping: int = 0) -> tuple[dict[str, int], dict[str, int]]:
    """A settlement's shipping breakdown and where its figures come from, the carrier charging ``actual``."""
    shipping = {
        "actual_shipping_fee_amount": -actual,
        "shipping_fee_discount_amount": p.shipping_fee_platform_discount,
        "customer_paid_shipping_fee_amount": p.shipping_fee,
        "return_shipping_fee_amount": -return_shipping,
    }
    detail = {
        "platform_shipping_fee_discount_amount": p.shipping_fee_platform_discount,
        "fbm_shipping_cost_amount": -actual,
        "customer_shipping_fee": p.shipping_fee,
    }
    return shipping, detail


def settle(o: OrderRow, rng: random.Random, ret: ReturnRow | None) -> Fin:
    """A completed order's settlement: its revenue less what a completed refund gave back, the market's fees and
    taxes on it (affiliate commission on 15 % of orders), and the shipping (the carrier may charge up to a fifth more
    than the shipping fee; a seller at fault pays for the return)."""
    shop = o.shop
    region = shop.region
    p = o.pay
    refund_list = refund_discount = refund_paid = refund_tax = return_shipping = 0
    if ret is not None and ret.status == "RETURN_OR_REFUND_REQUEST_COMPLETE":
        if ret.partial:
            refund_list = refund_paid = ret.partial
        else:
            for i in ret.units:
                refund_list += o.units[i][1].list_price
                refund_discount += p.unit_disc[i][0]
                refund_paid += p.unit_paid(i, o.units[i][1].list_price) + p.unit_tax[i]
                refund_tax += p.unit_tax[i]
        if ret.return_type == "RETURN_AND_REFUND" and ret.reason in SELLER_FAULT:
            return_shipping = p.original_shipping_fee
    revenue = {
        "subtotal_before_discount_amount": p.original_total,
        "refund_subtotal_before_discount_amount": -refund_list,
        "seller_discount_amount": -p.seller_discount,
        "seller_discount_refund_amount": refund_discount,
    }
    base = sum(revenue.values())
    fees = commission_fees(region, base)
    if region == "US" and refund_list:  # a fifth of the referral fee a refund gave back is kept
        fees["refund_administration_fee_amount"] = -(refund_list * US_REFERRAL // 1000 // 5)
    if rng.random() < 0.15:
        fees.update(affiliate_fee(base))
    if region in SEA and p.shipping_fee_platform_discount:
        fees["sfp_service_fee_amount"] = -(base * FREE_SHIPPING_PROGRAMME // 1000)
    if region == "ID":
        fees["dynamic_commission_amount"] = -(base * ID_DYNAMIC_COMMISSION // 1000)
    if region == "VN":
        fees["vn_fix_infrastructure_fee"] = -VN_INFRASTRUCTURE_FEE
    taxes = {}
    if shop.seller_type == "CROSS_BORDER":
        taxes = {name: -(base * rate // 1000) for name, rate in CROSS_BORDER_TAXES.get(region, {}).items()}
    ship_orig = p.original_shipping_fee
    actual = ship_orig + (rng.randint(0, ship_orig // 5) if ship_orig > 5 else 0)
    shipping, shipping_detail = shipping_parts(p, actual, return_shipping)
    payment_detail = {
        "customer_payment_amount": p.total,
        "customer_refund_amount": -refund_paid,
        "platform_discount_amount": p.platform_discount,
        "retail_delivery_fee_amount": p.retail_delivery_fee,
        "retail_delivery_fee_payment_amount": p.retail_delivery_fee,
        "sales_tax_amount": p.tax - refund_tax,
        "sales_tax_payment_amount": p.tax,
        "sales_tax_refund_amount": refund_tax,
    }
    return Fin(revenue, fees, taxes, shipping, shipping_detail, payment_detail)


class TxnRow:
    """A statement transaction (202501): an ORDER's settlement (``order``), an adjustment (``adj`` = (type, amount,
    order)) or a RESERVE movement (``reserve`` = (reserve id, amount, order, status, release time))."""

    __slots__ = ("statement", "id", "nid", "order", "adj", "reserve", "order_create_time")

    def render(self) -> dict:
        shop = self.statement.shop
        dec = shop.dec
        zero = money(0, dec)
        f = self.order.fin if self.order is not None else EMPTY_FIN
        out = {
            "id": self.id,
            "type": "ORDER",
            "order_id": self.order.id if self.order is not None else "",
            "order_create_time": self.order_create_time,
            "adjustment_id": "",
            "adjustment_order_id": "",
            "adjustment_amount": zero,
            "settlement_amount": money(f.settlement, dec),
            "revenue_amount": money(f.revenue_amount, dec),
            "revenue_breakdown": breakdown(REVENUE_FIELDS, f.revenue, dec),
            "shipping_cost_amount": money(f.shipping_cost_amount, dec),
            "shipping_cost_breakdown": {
                **breakdown(SHIPPING_FIELDS, f.shipping, dec),
                "supplementary_component": breakdown(
                    SHIPPING_DETAIL_FIELDS, f.shipping_detail, dec, SHIPPING_DETAIL_DEPRECATED
                ),
            },
            "fee_tax_amount": money(f.fee_tax_amount, dec),
            "fee_tax_breakdown": {
                "fee": breakdown(FEE_FIELDS, f.fees, dec),
                "tax": breakdown(TAX_FIELDS, f.taxes, dec),
            },
            "supplementary_component": breakdown(PAYMENT_DETAIL_FIELDS, f.payment_detail, dec),
            "reserve_id": "",
            "reserve_amount": zero,
            "associated_order_id": "",
            "reserve_status": "",
            "estimated_release_time": "",
        }
        if self.adj is not None:
            typ, amount, order = self.adj
            out.update(
                type=typ,
                adjustment_id="7093" + self.id[4:],
                adjustment_order_id=order.id,
                adjustment_amount=money(amount, dec),
                settlement_amount=money(amount, dec),
            )
        elif self.reserve is not None:
            reserve_id, amount, order, status, release = self.reserve
            out.update(
                type="RESERVE",
                reserve_id=reserve_id,
                reserve_amount=money(amount, dec),
                associated_order_id=order.id,
                reserve_status=status,
                # TikTok's notes: empty once the reserve is released
                estimated_release_time="" if release is None else str(release),
            )
        return out

    @property
    def settlement(self) -> int:
        if self.adj is not None:
            return self.adj[1]
        return self.order.fin.settlement if self.order is not None else 0


EMPTY_FIN = Fin({}, {}, {}, {}, {}, {})


class StatementRow(DictRow):
    """Statement dict plus its transactions (``txns``, sorted by order_create_time then id) and its totals
    (revenue, fee and tax, shipping, adjustment, settlement, reserve)."""

    __slots__ = ("shop", "txns", "payment", "totals")


class PaymentRow(DictRow):
    """A payment (one per statement) in the 202605 shape; 202309 adds the reserve, and leaves out the paid time of a
    payment not made."""

    __slots__ = ("shop_statement", "reserve")

    def render(self, version: str = "202605") -> dict:
        out = super().render()
        if version == "202309":
            out["reserve_amount"] = {
                "value": money(self.reserve, self.shop_statement.shop.dec),
                "currency": out["settlement_amount"]["currency"],
            }
            if not out["paid_time"]:
                del out["paid_time"]
        return out


def _new_txn(txid: IdGen, order_create_time: int, order=None, adj=None, reserve=None) -> TxnRow:
    t = TxnRow()
    t.nid = txid.next()
    t.id = str(t.nid)
    t.order, t.adj, t.reserve = order, adj, reserve
    t.order_create_time = order_create_time
    return t


def generate_statements(
    shop, rng: random.Random, orders: list, now: int
) -> tuple[list[StatementRow], list[PaymentRow]]:
    """One statement a day with settled orders, generated at 00:00 UTC the next day, and its payment."""
    dec = shop.dec
    by_day: dict[int, list[OrderRow]] = {}
    for o in orders:
        if o.fin is not None:
            day = o.complete_time - o.complete_time % DAY
            by_day.setdefault(day, []).append(o)
    stid = IdGen(rng, "7091", 19, shop.idx)
    txid = IdGen(rng, "7092", 19, shop.idx)
    payid = IdGen(rng, "7129", 19, shop.idx)
    reserves: list[TxnRow] = []  # reserves collected and not released yet
    statements, payments = [], []
    for day in sorted(by_day):
        st_time = day + DAY
        if st_time >= now:
            continue  # the statement for the last day is generated at 00:00 after "now"
        settled = by_day[day]
        sid = str(stid.next())
        txns = [_new_txn(txid, o.create_time, order=o) for o in settled]
        if rng.random() < 0.1:
            target = settled[rng.randrange(len(settled))]
            amount = rng.randint(1, 20) * 10**dec * (1 if rng.random() < 0.6 else -1)
            txns.append(_new_txn(txid, target.create_time, adj=(rng.choice(ADJUSTMENT_TYPES), amount, target)))
        settlement = sum(t.settlement for t in txns)
        reserve = 0
        for held in [r for r in reserves if r.reserve[4] <= st_time]:  # those due are released in this statement
            reserves.remove(held)
            reserve_id, amount, order, _status, _release = held.reserve
            held.reserve = (reserve_id, amount, order, "COLLECTED", None)  # released: no release time to expect
            txns.append(_new_txn(txid, order.create_time, reserve=(reserve_id, -amount, order, "RELEASED", None)))
            reserve -= amount
        if shop.region == "US" and settlement > 0 and rng.random() < 0.08:  # TikTok's reserve policy: US and UK
            order = settled[rng.randrange(len(settled))]
            amount = settlement * RESERVE_SHARE // 100
            reserve_id = str(7094 * 10**15 + txid.next() % 10**15)
            release = st_time + RESERVE_DAYS * DAY
            held = _new_txn(txid, order.create_time, reserve=(reserve_id, -amount, order, "COLLECTED", release))
            txns.append(held)
            reserves.append(held)
            reserve -= amount
        txns.sort(key=lambda x: (x.order_create_time, x.nid))
        rev = sum(t.order.fin.revenue_amount for t in txns if t.order is not None)
        fee = sum(t.order.fin.fee_tax_amount for t in txns if t.order is not None)
        ship = sum(t.order.fin.shipping_cost_amount for t in txns if t.order is not None)
        adj = sum(t.adj[1] for t in txns if t.adj is not None)
        age = now - st_time
        if age < 2 * DAY:
            pstatus = "PROCESSING"
        elif rng.random() < 0.03:
            pstatus = "FAILED"
        else:
            pstatus = "PAID"
        pay_nid = payid.next()
        pay_create = st_time + rng.randint(HOUR, 6 * HOUR)
        paid_time = pay_create + rng.randint(HOUR, 20 * HOUR) if pstatus == "PAID" else 0
        st = StatementRow(
            {
                "id": sid,
                "statement_time": st_time,
                "settlement_amount": money(settlement, dec),
                "currency": shop.currency,
                "revenue_amount": money(rev, dec),
                "fee_amount": money(fee, dec),
                "adjustment_amount": money(adj, dec),
                "payment_status": pstatus,
                "payment_id": str(pay_nid),
                "net_sales_amount": money(rev, dec),
                "shipping_cost_amount": money(ship, dec),
            }
        )
        if paid_time:
            st.data["payment_time"] = paid_time
        st.shop = shop
        st.txns = txns
        st.totals = (rev, fee, ship, adj, settlement, reserve)
        for t in txns:
            t.statement = st
            if t.order is not None:
                t.order.statement = st
        pay = _payment(shop, pay_nid, pay_create, pstatus, paid_time, settlement, reserve, rng)
        st.payment = pay
        pay.shop_statement = st
        statements.append(st)
        payments.append(pay)
    return statements, payments


def _payment(shop, nid: int, create_time: int, status: str, paid_time: int, settlement: int, reserve: int, rng):
    """The payout of a statement: its settlement plus its reserve movements, in USD for a cross-border seller."""
    dec = shop.dec
    payable = settlement + reserve
    rate = USD_PER_UNIT.get(shop.currency) if shop.seller_type == "CROSS_BORDER" else None
    if rate is None:
        paid = {"value": money(payable, dec), "currency": shop.currency}
        rate_text = "1.000000"
    else:
        paid = {"value": money(round(payable * rate * 100 / 10**dec), 2), "currency": "USD"}
        rate_text = f"{rate:.6f}"
    pay = PaymentRow(
        {
            "create_time": create_time,
            "id": str(nid),
            "status": status,
            "amount": paid,
            "settlement_amount": {"value": money(settlement, dec), "currency": shop.currency},
            "payment_amount_before_exchange": {"value": money(payable, dec), "currency": shop.currency},
            "exchange_rate": rate_text,
            "paid_time": paid_time,  # TikTok's notes: 0 until the payment is made
            "bank_account": f"****{rng.randint(1000, 9999)}",
        }
    )
    pay.reserve = reserve
    return pay


def generate_withdrawals(shop, rng: random.Random, start: int, now: int) -> list[DictRow]:
    """Weekly WITHDRAW and SETTLE, monthly TRANSFER, a rare REVERSE; and every two or three weeks a PAYMENT or a
    REFUND, in turn (``payments_and_refunds``)."""
    dec = shop.dec
    wid = IdGen(rng, "7130", 19, shop.idx)
    withdrawals = []
    t = start + rng.randint(DAY, 3 * DAY)
    k = 0
    while t < now:
        kinds = (
            ["SETTLE", "WITHDRAW"] + (["TRANSFER"] if k % 4 == 3 else []) + (["REVERSE"] if rng.random() < 0.03 else [])
        )
        for j, typ in enumerate(kinds):
            ct = t + j * rng.randint(HOUR, 6 * HOUR)
            if ct >= now:
                continue
            amt = rng.randint(20, 2000) * 10**dec * (1 if typ in ("SETTLE", "REVERSE") else -1)
            withdrawals.append(
                DictRow(
                    {
                        "id": str(wid.next()),
                        "type": typ,
                        "amount": money(amt, dec),
                        "currency": shop.currency,
                        "status": "PROCESSING" if now - ct < DAY else ("FAILED" if rng.random() < 0.03 else "SUCCESS"),
                        "create_time": ct,
                    }
                )
            )
        t += 7 * DAY
        k += 1
    return sorted(withdrawals + payments_and_refunds(shop, start, now), key=lambda w: (w.create_time, w.nid))


def payments_and_refunds(shop, start: int, now: int) -> list[DictRow]:
    """The PAYMENT (out of the seller's balance) and REFUND (back into it) transactions of Get Withdrawals, which
    TikTok's rules list among its types; drawn apart, so that the other withdrawals stay as they were."""
    rng = random_for(shop, "withdrawals")
    ids = IdGen(rng, "7131", 19, shop.idx)
    rows = []
    t = start + rng.randint(2 * DAY, 10 * DAY)
    while t < now:
        typ = ("PAYMENT", "REFUND")[len(rows) % 2]
        amt = rng.randint(5, 500) * 10**shop.dec * (-1 if typ == "PAYMENT" else 1)
        rows.append(
            DictRow(
                {
                    "id": str(ids.next()),
                    "type": typ,
                    "amount": money(amt, shop.dec),
                    "currency": shop.currency,
                    "status": "PROCESSING" if now - t < DAY else "SUCCESS",
                    "create_time": t,
                }
            )
        )
        t += rng.randint(14, 21) * DAY
    return rows
