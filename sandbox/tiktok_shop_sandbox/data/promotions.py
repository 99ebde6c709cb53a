"""Promotions: activities (Search Activities, 202309) and coupons (Search Coupons, 202406)."""

from __future__ import annotations

import random

from .common import DAY, HOUR, DictRow, IdGen, money

ACTIVITY_TYPES = ["FIXED_PRICE", "DIRECT_DISCOUNT", "FLASHSALE", "SHIPPING_DISCOUNT", "BUY_MORE_SAVE_MORE"]


def _promotion_create_times(rng: random.Random, n: int, start: int, now: int) -> list[int]:
    """Promotions may be created up to 30 days before the world starts."""
    return sorted(start - 30 * DAY + rng.randrange(now - start + 30 * DAY) for _ in range(n))


def _promotion_status(rng: random.Random, begin: int, end: int, now: int) -> str:
    if rng.random() < 0.1:
        return "DEACTIVATED"
    if begin > now:
        return "NOT_START"
    if end > now:
        return "ONGOING"
    return "EXPIRED"


def generate_activities(shop, rng: random.Random, n: int, start: int, now: int) -> list[DictRow]:
    """``n`` promotion activities; their status is where their begin and end times stand at "now"."""
    aid = IdGen(rng, "7305", 19, shop.idx)
    activities = []
    for ct in _promotion_create_times(rng, n, start, now):
        begin = ct + rng.randint(HOUR, 5 * DAY)
        end = begin + rng.randint(3 * DAY, 30 * DAY)
        status = _promotion_status(rng, begin, end, now)
        upd = min(now - 1, ct + rng.randint(0, max(1, min(end, now) - ct)))
        typ = rng.choice(ACTIVITY_TYPES)
        activities.append(
            DictRow(
                {
                    "id": str(aid.next()),
                    "title": f"{rng.choice(['Spring', 'Summer', 'Mega', 'Weekend', 'Payday', 'Flash'])} "
                    f"{typ.replace('_', ' ').title()} {ct % 1000}",
                    "activity_type": typ,
                    "status": status,
                    "begin_time": begin,
                    "end_time": end,
                    "create_time": ct,
                    "update_time": upd,
                    "product_level": "VARIATION" if typ == "FLASHSALE" or rng.random() < 0.3 else "PRODUCT",
                    "participation_limit": [],
                }
            )
        )
    return activities


def generate_coupons(shop, rng: random.Random, n: int, start: int, now: int) -> list[DictRow]:
    """``n`` coupons, percentage or fixed amount off above a minimum spend, in the shop's currency."""
    cid = IdGen(rng, "7306", 19, shop.idx)
    dec, unit = shop.dec, 10**shop.dec
    scale = shop.scale
    coupons = []
    for ct in _promotion_create_times(rng, n, start, now):
        st = ct + rng.randint(HOUR, 3 * DAY)
        en = st + rng.randint(7 * DAY, 45 * DAY)
        status = _promotion_status(rng, st, en, now)
        pct = rng.random() < 0.5
        off = int(rng.choice((3, 5, 10)) * scale) * unit
        minspend = int(rng.choice((20, 30, 50)) * scale) * unit
        discount = (
            {"type": "PERCENTAGE_OFF", "percentage_off": str(rng.choice((5, 10, 15, 20)))}
            if pct
            else {"type": "FIXED_AMOUNT", "fixed_amount": {"currency": shop.currency, "amount": money(off, dec)}}
        )
        coupons.append(
            DictRow(
                {
                    "id": str(cid.next()),
                    "title": f"{rng.choice(['Welcome', 'Follower', 'Repeat buyer', 'Live', 'Bundle'])} coupon {ct % 1000}",
                    "status": status,
                    "display_type": rng.choice(("REGULAR", "REGULAR", "ONLY_IN_LIVE", "CODE")),
                    "target_buyer_segment": rng.choice(("ALL", "NEW", "FOLLOWER")),
                    "product_scope": rng.choice(("SHOP", "SPECIFIC_PRODUCTS")),
                    "discount": discount,
                    "threshold": {
                        "type": "MINIMUM_SPEND",
                        "minimum_spend": {"currency": shop.currency, "amount": money(minspend, dec)},
                    },
                    "redemption_limit": {"per_buyer": rng.choice((1, 1, 2, 3))},
                    "claim_duration": {"start_time": st, "end_time": en},
                    "start_time": st,
                    "end_time": en,
                    "create_time": ct,
                    "update_time": min(now - 1, ct + rng.randint(0, max(1, min(en, now) - ct))),
                }
            )
        )
    return coupons
