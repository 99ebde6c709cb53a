"""Promotions: activities (Search Activities, 202309) and coupons (Search Coupons, 202406).

TikTok's notes give both resources' ``create_time`` and ``update_time`` in milliseconds (their begin, end, claim and
redemption times are in seconds); the sandbox follows them.
"""

from __future__ import annotations

import random

from .common import DAY, HOUR, SEA, DictRow, IdGen, amount, money

ACTIVITY_TYPES = (
    "FIXED_PRICE",
    "DIRECT_DISCOUNT",
    "FLASHSALE",
    "SHIPPING_DISCOUNT",
    "BUY_MORE_SAVE_MORE",
    "GIFT_WITH_PURCHASE",
    "BUY_X_GET_Y",
)
COUPON_DISPLAY_TYPES = ("REGULAR", "REGULAR", "LIVE", "CREATOR_EXCLUSIVE", "CHAT", "PROMO_CODE")
BUYER_SEGMENTS = ("ALL", "ALL", "NEW", "REPEAT_CUSTOMERS", "NEW_FOLLOWERS", "LAPSED_CUSTOMERS")
MS = 1000  # the milliseconds of a second
RESOURCES_IN_MS = ("promotion_activities", "coupons")


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


def _times_in_ms(created: int, updated: int, rng: random.Random) -> tuple[int, int]:
    """Creation and update times (seconds) in milliseconds, the update never before the creation."""
    create_ms = created * MS + rng.randrange(MS)
    return create_ms, max(create_ms, updated * MS + rng.randrange(MS))


def _activity_discount(shop, typ: str, rng: random.Random) -> dict | None:
    """The discount of the activity types that carry one in the list (the others are priced per product)."""
    dec, scale = shop.dec, shop.scale
    unit = 10**dec

    def local(usd: int) -> str:
        return money(int(usd * scale) * unit, dec)

    if typ == "SHIPPING_DISCOUNT":
        free = rng.random() < 0.5
        return {
            "shipping_discount": {
                "threshold_type": "MINIMAL_ORDER_AMOUNT",
                "threshold_value": local(25),
                "type": "FREE_SHIPPING" if free else "DISCOUNT_SHIPPING_FEE",
                "value": "" if free else local(3),
                "shipping_method": "STANDARD_SHIPPING",
                "inventory_type": "SELF_FULFILLED",
                "area_scope": {"type": "WHOLE", "specific_areas": []},
            }
        }
    if typ == "BUY_MORE_SAVE_MORE":
        return {
            "bmsm_discount": {
                "details": [
                    {
                        "tier": 1,
                        "threshold_type": "MINIMAL_ITEM_QUANTITY",
                        "threshold_value": "2",
                        "type": "PERCENTAGE_OFF",
                        "value": "5",
                    },
                    {
                        "tier": 2,
                        "threshold_type": "MINIMAL_ITEM_QUANTITY",
                        "threshold_value": "3",
                        "type": "PERCENTAGE_OFF",
                        "value": "10",
                    },
                ]  # fmt: skip
            }
        }
    if typ == "GIFT_WITH_PURCHASE":
        gift = shop.products[rng.randrange(len(shop.products))] if shop.products else None
        details = (
            [] if gift is None else [{"product_id": gift.id, "sku_id": gift.skus[0].id, "total_claim_limit": "500"}]
        )
        return {
            "gift_discount": {
                "gift_receiving_type": "ALL_RECEIVE",
                "gift_infos": [
                    {
                        "tier": 1,
                        "threshold_type": "MINIMAL_ORDER_AMOUNT",
                        "threshold_value": local(30),
                        "gift_details": details,
                    }
                ],  # fmt: skip
            }
        }
    if typ == "BUY_X_GET_Y":
        return {
            "bxgy_discount": {
                "threshold_type": "MINIMAL_ITEM_QUANTITY",
                "threshold_value": "2",
                "discount_type": "FREE",
                "discount_value": "",
                "benefit_max_applicable_quantity": "1",
                "benefit_max_applicable_times": "1",
            }
        }
    return None


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
        t = random.Random(rng.getrandbits(32))  # the activity's own details
        indefinite = typ == "SHIPPING_DISCOUNT" and t.random() < 0.3  # runs until deactivated
        if indefinite:
            begin = end = 0
            status = "DEACTIVATED" if status == "DEACTIVATED" else "ONGOING"
        created, updated = _times_in_ms(ct, upd, t)
        activity = {
            "id": str(aid.next()),
            "title": f"{rng.choice(['Spring', 'Summer', 'Mega', 'Weekend', 'Payday', 'Flash'])} "
            f"{typ.replace('_', ' ').title()} {ct % 1000}",
            "activity_type": typ,
            "duration_type": "INDEFINITE" if indefinite else "NORMAL",
            "begin_time": begin,
            "end_time": end,
            "status": status,
            "create_time": created,
            "update_time": updated,
            "product_level": "SHOP"
            if typ == "SHIPPING_DISCOUNT"
            else "VARIATION"
            if typ == "FLASHSALE" or rng.random() < 0.3
            else "PRODUCT",
            "activity_commands": ["IMMUTABLE"] if status in ("EXPIRED", "DEACTIVATED") else [],
            "participation_limit": [{"type": "BUYER_LIMIT_ONLY_ONE" if typ == "FLASHSALE" else "BUYER_NO_LIMIT"}],
        }
        discount = _activity_discount(shop, typ, t)
        if discount is not None:
            activity["discount"] = discount
        if typ == "SHIPPING_DISCOUNT":
            activity["auction_support_type"] = "EXCLUDE_AUCTION"
        activities.append(DictRow(activity))
    return activities


def generate_coupons(shop, rng: random.Random, n: int, start: int, now: int) -> list[DictRow]:
    """``n`` coupons, an amount or a percentage off above a minimum spend (or none), in the shop's currency."""
    cid = IdGen(rng, "7306", 19, shop.idx)
    unit = 10**shop.dec
    scale = shop.scale
    coupons = []
    for ct in _promotion_create_times(rng, n, start, now):
        st = ct + rng.randint(HOUR, 3 * DAY)
        en = st + rng.randint(7 * DAY, 45 * DAY)
        status = _promotion_status(rng, st, en, now)
        pct = rng.random() < 0.5
        off = int(rng.choice((3, 5, 10)) * scale) * unit
        minspend = int(rng.choice((20, 30, 50)) * scale) * unit
        percentage = rng.choice((5, 10, 15, 20))
        t = random.Random(rng.getrandbits(32))  # the coupon's own details
        display = t.choice(COUPON_DISPLAY_TYPES)
        upd = min(now - 1, ct + rng.randint(0, max(1, min(en, now) - ct)))
        discount = (
            {"type": "PERCENT_OFF", "percentage": str(percentage), "max_discount": amount(off * 2, shop)}
            if pct
            else {"type": "AMOUNT_OFF", "reduction_amount": amount(off, shop)}
        )
        threshold = {"type": "MIN_SPEND", "min_spend": amount(minspend, shop)} if t.random() < 0.8 else {"type": "NONE"}
        relative = t.random() < 0.3
        redemption = (
            {"type": "RELATIVE", "relative_time": t.choice((3, 7, 14))}  # days after the coupon is claimed
            if relative
            else {"type": "ABSOLUTE", "start_time": st, "end_time": en + t.choice((0, 7 * DAY))}
        )
        limits = {"single_buyer_claim_limit": t.choice((1, 1, 2, 3)), "total_claim_limit": t.choice((100, 500, 1000))}
        if shop.region in SEA:  # TikTok's notes: a redemption limit in these markets only
            limits["redemption_limit"] = limits["total_claim_limit"]
        created, updated = _times_in_ms(ct, upd, t)
        coupon = {
            "id": str(cid.next()),
            "title": f"{rng.choice(['Welcome', 'Follower', 'Repeat buyer', 'Live', 'Bundle'])} coupon {ct % 1000}",
            "display_type": display,
            "status": status,
            "create_time": created,
            "update_time": updated,
            "claim_duration": {"start_time": st, "end_time": en},
            "redemption_duration": redemption,
            "target_buyer_segment": t.choice(BUYER_SEGMENTS),
            "usage_limits": limits,
            "discount": discount,
            "threshold": threshold,
            "product_scope": t.choice(("FULL_SHOP", "FULL_SHOP", "SPECIFIC_PRODUCTS")),
            "creation_source": t.choice(("SELLER_CENTER", "SELLER_CENTER", "SELLER_APP", "TTS_CRM")),
        }
        if display == "PROMO_CODE":  # letters and digits, 6 to 12 of them
            coupon["promo_code"] = f"SAVE{percentage if pct else off // unit}{t.randrange(100, 999)}"[:12]
        coupons.append(DictRow(coupon))
    return coupons
