"""Finance: settlement figures of completed orders, statements with their transactions (202501), payments and
withdrawals. Statement totals are the sums of their transactions; one payment per statement.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .common import DAY, HOUR, DictRow, IdGen, money

if TYPE_CHECKING:
    from .orders import OrderRow

ADJUSTMENT_TYPES = [
    "SHIPPING_FEE_ADJUSTMENT",
    "LOGISTICS_REIMBURSEMENT",
    "PLATFORM_COMPENSATION",
    "PROMOTION_ADJUSTMENT",
    "PLATFORM_PENALTY",
    "OTHER_ADJUSTMENT",
]


class Fin:
    """Settlement figures of a completed order, minor units; costs are negative."""

    __slots__ = (
        "subtotal_before_discount",
        "seller_discount",
        "revenue",
        "commission",
        "txn_fee",
        "affiliate",
        "actual_shipping",
        "customer_shipping",
        "shipping_subsidy",
        "fee",
        "shipping_cost",
        "settlement",
    )

    def __init__(self, sbd, sdisc, revenue, commission, txn_fee, affiliate, actual, customer, subsidy):
        self.subtotal_before_discount = sbd
        self.seller_discount = sdisc
        self.revenue = revenue
        self.commission = commission
        self.txn_fee = txn_fee
        self.affiliate = affiliate
        self.actual_shipping = actual
        self.customer_shipping = customer
        self.shipping_subsidy = subsidy
        self.fee = commission + txn_fee + affiliate
        self.shipping_cost = -actual + customer + subsidy
        self.settlement = revenue + self.fee + self.shipping_cost


def settle(o: OrderRow, rng: random.Random) -> Fin:
    """A completed order's settlement: 6 % commission, 2.9 % transaction fee, 10 % affiliate commission on
    15 % of orders; the carrier may charge up to a fifth more than the shipping fee."""
    p = o.pay
    original, sdisc = p.original_total, p.seller_discount
    ship_orig, ship, ship_plat = p.original_shipping_fee, p.shipping_fee, p.shipping_fee_platform_discount
    revenue = original - sdisc
    commission = -(revenue * 6 // 100)
    txn_fee = -(revenue * 29 // 1000)
    affiliate = -(revenue * 10 // 100) if rng.random() < 0.15 else 0
    actual_ship = ship_orig + (rng.randint(0, ship_orig // 5) if ship_orig > 5 else 0)
    return Fin(original, sdisc, revenue, commission, txn_fee, affiliate, actual_ship, ship, ship_plat)


def _fee_breakdown(plat, txn, aff, dec):
    return {
        "fee": {
            "platform_commission_amount": money(plat, dec),
            "transaction_fee_amount": money(txn, dec),
            "affiliate_commission_amount": money(aff, dec),
        },
        "tax": {"vat_amount": money(0, dec)},
    }


class TxnRow:
    """A statement transaction (202501).  ``order`` is set for ORDER transactions; adjustments carry
    ``adj`` = (type, amount, order)."""

    __slots__ = ("statement", "id", "nid", "order", "adj", "order_create_time")

    def render(self) -> dict:
        st = self.statement
        shop = st.shop
        dec = shop.dec
        if self.order is not None:
            f = self.order.fin
            return {
                "id": self.id,
                "type": "ORDER",
                "order_id": self.order.id,
                "order_create_time": self.order_create_time,
                "adjustment_id": "",
                "adjustment_order_id": "",
                "associated_order_id": "",
                "revenue_amount": money(f.revenue, dec),
                "revenue_breakdown": {
                    "subtotal_before_discount_amount": money(f.subtotal_before_discount, dec),
                    "seller_discount_amount": money(-f.seller_discount, dec),
                    "refund_subtotal_before_discount_amount": money(0, dec),
                    "seller_discount_refund_amount": money(0, dec),
                },
                "fee_tax_amount": money(f.fee, dec),
                "fee_tax_breakdown": _fee_breakdown(f.commission, f.txn_fee, f.affiliate, dec),
                "shipping_cost_amount": money(f.shipping_cost, dec),
                "shipping_cost_breakdown": {
                    "actual_shipping_fee_amount": money(-f.actual_shipping, dec),
                    "customer_paid_shipping_fee_amount": money(f.customer_shipping, dec),
                    "shipping_fee_discount_amount": money(f.shipping_subsidy, dec),
                },
                "adjustment_amount": money(0, dec),
                "reserve_amount": money(0, dec),
                "reserve_id": "",
                "reserve_status": "",
                "estimated_release_time": "",
                "settlement_amount": money(f.settlement, dec),
            }
        typ, amount, order = self.adj
        zero = money(0, dec)
        return {
            "id": self.id,
            "type": typ,
            "order_id": "",
            "order_create_time": self.order_create_time,
            "adjustment_id": "7093" + self.id[4:],
            "adjustment_order_id": order.id,
            "associated_order_id": "",
            "revenue_amount": zero,
            "revenue_breakdown": {
                "subtotal_before_discount_amount": zero,
                "seller_discount_amount": zero,
                "refund_subtotal_before_discount_amount": zero,
                "seller_discount_refund_amount": zero,
            },
            "fee_tax_amount": zero,
            "fee_tax_breakdown": _fee_breakdown(0, 0, 0, dec),
            "shipping_cost_amount": zero,
            "shipping_cost_breakdown": {
                "actual_shipping_fee_amount": zero,
                "customer_paid_shipping_fee_amount": zero,
                "shipping_fee_discount_amount": zero,
            },
            "adjustment_amount": money(amount, dec),
            "reserve_amount": zero,
            "reserve_id": "",
            "reserve_status": "",
            "estimated_release_time": "",
            "settlement_amount": money(amount, dec),
        }


class StatementRow(DictRow):
    """Statement dict plus its transactions (``txns``, sorted by order_create_time then id)."""

    __slots__ = ("shop", "txns", "payment", "totals")


class PaymentRow(DictRow):
    """Payment dict linked to its statement (one payment per statement)."""

    __slots__ = ("shop_statement",)


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
    statements, payments = [], []
    for day in sorted(by_day):
        st_time = day + DAY
        if st_time >= now:
            continue  # the statement for the last day is generated at 00:00 after "now"
        settled = by_day[day]
        sid = str(stid.next())
        txns = []
        rev = fee = ship = adj = 0
        for o in settled:
            t = TxnRow()
            t.nid = txid.next()
            t.id = str(t.nid)
            t.order = o
            t.adj = None
            t.order_create_time = o.create_time
            txns.append(t)
            f = o.fin
            rev += f.revenue
            fee += f.fee
            ship += f.shipping_cost
        if rng.random() < 0.1:
            t = TxnRow()
            t.nid = txid.next()
            t.id = str(t.nid)
            t.order = None
            target = settled[rng.randrange(len(settled))]
            amount = rng.randint(1, 20) * 10**dec * (1 if rng.random() < 0.6 else -1)
            t.adj = (rng.choice(ADJUSTMENT_TYPES), amount, target)
            t.order_create_time = target.create_time
            txns.append(t)
            adj += amount
        txns.sort(key=lambda x: (x.order_create_time, x.nid))
        settlement = rev + fee + ship + adj
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
                "revenue_amount": money(rev, dec),
                "fee_amount": money(fee, dec),
                "adjustment_amount": money(adj, dec),
                "shipping_cost_amount": money(ship, dec),
                "net_sales_amount": money(rev, dec),
                "currency": shop.currency,
                "payment_status": pstatus,
                "payment_id": str(pay_nid),
            }
        )
        if paid_time:
            st.data["payment_time"] = paid_time
        st.shop = shop
        st.txns = txns
        st.totals = (rev, fee, ship, adj, settlement)
        for t in txns:
            t.statement = st
            if t.order is not None:
                t.order.statement = st
        pay = PaymentRow(
            {
                "id": str(pay_nid),
                "create_time": pay_create,
                "status": pstatus,
                "amount": {"value": money(settlement, dec), "currency": shop.currency},
                "settlement_amount": {"value": money(settlement, dec), "currency": shop.currency},
                "reserve_amount": {"value": money(0, dec), "currency": shop.currency},
                "payment_amount_before_exchange": {"value": money(settlement, dec), "currency": shop.currency},
                "exchange_rate": "1",
                "bank_account": f"****{rng.randint(1000, 9999)}",
            }
        )
        if paid_time:
            pay.data["paid_time"] = paid_time
        st.payment = pay
        pay.shop_statement = st
        statements.append(st)
        payments.append(pay)
    return statements, payments


def generate_withdrawals(shop, rng: random.Random, start: int, now: int) -> list[DictRow]:
    """Weekly WITHDRAW and SETTLE, monthly TRANSFER, a rare REVERSE."""
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
    return withdrawals
