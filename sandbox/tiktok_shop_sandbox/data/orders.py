"""Orders, their line items and their packages: Search Orders / Get Order Detail and Search Package / Get
Package Detail (202309) shapes.

An order follows a timeline (create, pay, hold, ready to ship, collect, deliver, complete; or cancel), evaluated
at the world's "now": times still in the future are not in the record, and the status is where the timeline
stands.
"""

from __future__ import annotations

import bisect
import random

from .aftersales import CANCEL_REASONS_BUYER, CANCEL_REASONS_SELLER, new_cancellation, new_return
from .common import CDN, CITIES, DAY, FIRST, HOUR, LAST, SEA, STATE_ISO, STREETS, IdGen, money, split
from .finance import settle
from .products import ORDERABLE_PRODUCT_STATUSES

CARRIERS = [
    ("6617675021119438849", "USPS"),
    ("6617675021119438850", "UPS"),
    ("6617675021119438851", "FedEx"),
    ("6617675021119438852", "J&T Express"),
    ("6617675021119438853", "Royal Mail"),
    ("6617675021119438854", "Ninja Van"),
]
# TikTok's notes: the Colorado retail delivery fee (US), Thailand's small order minimum, Indonesia's buyer service fee
RETAIL_DELIVERY_FEE_USD_CENTS = 28
SMALL_ORDER_MINIMUM_THB = 150
BUYER_SERVICE_FEE_IDR = 1000
DANGEROUS = {"Charger", "Earbuds"}  # batteries
# the display status of a shipped line item, by its package's status
SHIPPED_DISPLAY = {
    "PROCESSING": "AWAITING_COLLECTION",
    "FULFILLING": "IN_TRANSIT",
    "COMPLETED": "DELIVERED",
    "CANCELLED": "CANCELLED",
}
# the SLAs TikTok sets from an order's creation, in order: ship by, collected by, delivered by
SLA_DAYS = {
    "rts_sla_time": 2,
    "shipping_due_time": 3,
    "tts_sla_time": 4,
    "collection_due_time": 5,
    "delivery_sla_time": 8,
    "delivery_option_required_delivery_time": 10,
    "delivery_due_time": 15,
}


def _sku_type(product) -> str:
    """A line item's type: US pre-orders and made-to-order items are typed as such."""
    pre = product.pre_sale
    if pre is not None and product.shop.region == "US" and pre["type"] in ("PRE_ORDER", "MADE_TO_ORDER"):
        return pre["type"]
    return "NORMAL"


def sku_image(product) -> str:
    return f"{CDN}/tos-maliva-i-o3syd03w52-us/{product.nid:x}0~tplv-o3syd03w52-resize-jpeg:300:300.jpeg"


class Pay:
    """Order money in minor units (``unit_disc``/``unit_tax`` are per line item; the order's fees are on its first
    line item)."""

    __slots__ = (
        "unit_disc",
        "unit_tax",
        "sub_total",
        "original_total",
        "seller_discount",
        "platform_discount",
        "original_shipping_fee",
        "shipping_fee_platform_discount",
        "shipping_fee",
        "tax",
        "retail_delivery_fee",
        "small_order_fee",
        "buyer_service_fee",
        "total",
    )

    def __init__(self, *values):
        for k, v in zip(self.__slots__, values, strict=True):
            setattr(self, k, v)

    def unit_paid(self, i: int, list_price: int) -> int:
        """What the buyer paid for unit ``i`` (before tax and fees)."""
        seller_disc, platform_disc = self.unit_disc[i]
        return list_price - seller_disc - platform_disc

    def fees(self) -> tuple[int, int, int]:
        return self.retail_delivery_fee, self.small_order_fee, self.buyer_service_fee


class OrderRow:
    """An order.  ``units`` is a list of (product_row, sku) — one entry per unit (202309 line items are
    one per unit; several units of one SKU are several line items)."""

    __slots__ = (
        "shop",
        "id",
        "nid",
        "rseed",
        "create_time",
        "update_time",
        "status",
        "paid_time",
        "rts_time",
        "collection_time",
        "delivery_time",
        "cancel_time",
        "complete_time",
        "request_cancel_time",
        "units",
        "li_base",
        "unit_pkg",
        "packages",
        "pay",
        "cancel_reason",
        "cancel_initiator",
        "is_buyer_request_cancel",
        "fin",
        "statement",
        "shipping_type",
        "warehouse_id",
        "user_id",
        "carrier",
        "tracking",
        "is_cod",
        "city",
    )

    def unit_status(self, i: int) -> str:
        """display_status of one line item."""
        if self.status in ("UNPAID", "CANCELLED", "COMPLETED", "DELIVERED"):
            return self.status
        pkg = self.unit_pkg[i] if self.unit_pkg else None
        if pkg is None:
            return "AWAITING_SHIPMENT"  # also while on hold: line items have no ON_HOLD status
        return SHIPPED_DISPLAY[pkg.status]

    def sub_item_id(self, i: int, k: int) -> int:
        """The id of part ``k`` of line item ``i`` when it is a virtual bundle (its ids follow its line items')."""
        return self.li_base + 200 + i * 4 + k

    def order_type(self) -> tuple[str, dict | None]:
        """NORMAL, or the kind of sale ahead of stock its products are (US), with their pre-sale terms."""
        for prod, _sku in self.units:
            kind = _sku_type(prod)
            if kind != "NORMAL":
                return kind, prod.pre_sale
        return "NORMAL", None

    def render(self) -> dict:
        shop = self.shop
        dec = shop.dec
        cur = shop.currency
        region = shop.region
        rng = random.Random(self.rseed)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        state, city, postal = CITIES[region][self.city]
        street = f"{rng.randint(1, 999)} {rng.choice(STREETS)}"
        p = self.pay
        zero = money(0, dec)
        order_type, pre_sale = self.order_type()
        cancelled = self.status == "CANCELLED"
        cancel_reason = self.cancel_reason if cancelled else ""
        cancel_user = self.cancel_initiator if cancelled else ""
        live_room = str(7400000000000000000 + self.rseed % 10**15) if self.rseed % 10 == 0 else ""
        fee_lines = list(zip(*(split(fee, [1] + [0] * (len(self.units) - 1)) for fee in p.fees()), strict=True))
        shipping_vat = p.shipping_fee * 19 // 119 if region == "DE" else 0  # Germany's VAT, inside the shipping fee
        line_items = []
        for i, (prod, sku) in enumerate(self.units):
            pkg = self.unit_pkg[i] if self.unit_pkg else None
            seller_disc, plat_disc = p.unit_disc[i]
            rdf, small, service = fee_lines[i]
            status = self.unit_status(i)
            li = {
                "id": str(self.li_base + i),
                "sku_id": sku.id,
                "display_status": status,
                "product_name": prod.title,
                "seller_sku": sku.seller_sku,
                "sku_image": sku_image(prod),
                "sku_name": sku.name,
                "product_id": prod.id,
                "sale_price": money(sku.list_price - seller_disc - plat_disc, dec),
                "pfand_fee": "0.25" if "pfand" in prod.traits else zero,
                "platform_discount": money(plat_disc, dec),
                "seller_discount": money(seller_disc, dec),
                "sku_type": _sku_type(prod),
                "cancel_reason": cancel_reason,
                "original_price": money(sku.list_price, dec),
                "rts_time": pkg.create_time if pkg is not None else 0,
                "package_status": pkg.status if pkg is not None else "TO_FULFILL",
                "currency": cur,
                "shipping_provider_name": self.carrier[1] if pkg is not None else "",
                "cancel_user": cancel_user,
                "shipping_provider_id": self.carrier[0] if pkg is not None else "",
                "is_gift": False,
                "tracking_number": pkg.tracking if pkg is not None else "",
                "package_id": pkg.id if pkg is not None else "",
                "retail_delivery_fee": money(rdf, dec),
                "buyer_service_fee": money(service, dec),
                "small_order_fee": money(small, dec),
                "is_dangerous_good": prod.noun in DANGEROUS,
                "needs_prescription": False,
                "gift_retail_price": zero,
                "is_unboxing_item": "blind_box" in prod.traits,
                "room_id": live_room,
                "distance_shipping_fee": zero,
                "distance_fee": zero,
                "shipping_vat_amount": money(shipping_vat if i == 0 else 0, dec),
                "is_pod_customized": "pod" in prod.traits,
            }
            if shop.tax_bp:
                li["item_tax"] = [
                    {
                        "tax_type": "SALES_TAX",
                        "tax_amount": money(p.unit_tax[i], dec),
                        "tax_rate": f"{shop.tax_bp / 10000:.4f}",
                    }
                ]
            if li["sku_type"] == "MADE_TO_ORDER":
                li["handling_duration_days"] = str(prod.pre_sale["fulfillment_type"]["handling_duration_days"])
            if region == "DE":
                li["shipping_vat_rate"] = "0.19"
            if "blind_box" in prod.traits:  # the buyer learns what was in the box once the seller opens it
                li["unboxing_sku_code"] = f"{sku.seller_sku}-BOX{self.rseed % 6 + 1}"
                li["unboxing_case_list"] = [{"unbox_sku": li["unboxing_sku_code"], "unbox_sku_type": "NORMAL"}]
            if "pod" in prod.traits:
                li["pod_info_id"] = str(7302000000000000000 + (self.li_base + i) % 10**15)
            if "auction" in prod.traits:  # listed live, for the auction
                li["product_listing_type"] = "TEMPORARY LISTING"
            if prod.bundle:
                li["combined_listing_skus"] = [
                    {"sku_id": part.id, "sku_count": 1, "product_id": product.id, "seller_sku": part.seller_sku}
                    for product, part in prod.bundle
                ]
                li["sub_item_info"] = self._sub_items(i, li, prod.bundle)
            line_items.append(li)
        create = self.create_time
        order = {
            "id": self.id,
            "buyer_message": rng.choice(["", "", "", "Please pack carefully", "Gift, no invoice please"]),
            "shipping_provider_id": self.carrier[0] if self.packages else "",
            "create_time": create,
            "shipping_provider": self.carrier[1] if self.packages else "",
            "packages": [{"id": pkg.id} for pkg in self.packages],
            "payment": {
                "currency": cur,
                "sub_total": money(p.sub_total, dec),
                "shipping_fee": money(p.shipping_fee, dec),
                "seller_discount": money(p.seller_discount, dec),
                "platform_discount": money(p.platform_discount, dec),
                "payment_platform_discount": zero,
                "payment_discount_service_fee": zero,
                "total_amount": money(p.total, dec),
                "original_total_product_price": money(p.original_total, dec),
                "original_shipping_fee": money(p.original_shipping_fee, dec),
                "shipping_fee_seller_discount": zero,
                "shipping_fee_platform_discount": money(p.shipping_fee_platform_discount, dec),
                "shipping_fee_cofunded_discount": zero,
                "tax": money(p.tax, dec),
                "small_order_fee": money(p.small_order_fee, dec),
                "shipping_fee_tax": zero,
                "product_tax": money(p.tax, dec),
                "retail_delivery_fee": money(p.retail_delivery_fee, dec),
                "buyer_service_fee": money(p.buyer_service_fee, dec),
                "handling_fee": zero,
                "shipping_insurance_fee": zero,
                "item_insurance_fee": zero,
                "item_insurance_tax": zero,
                "distance_shipping_fee": zero,
                "distance_fee": zero,
            },
            "status": self.status,
            "fulfillment_type": "FULFILLMENT_BY_SELLER",
            "delivery_type": "COLLECTION_POINT" if self._pickup_in_store() else "HOME_DELIVERY",
            "update_time": self.update_time,
            "payment_method_name": "Cash on delivery"
            if self.is_cod
            else rng.choice(["Credit card", "PayPal", "Apple Pay", "Debit card"]),
            "tracking_number": self.packages[0].tracking if self.packages else "",
            "split_or_combine_tag": "SPLIT" if len(self.packages) > 1 else "",
            "has_updated_recipient_address": False,
            # unpaid, the order is cancelled after a day; paid, if it is not shipped in time
            "cancel_order_sla_time": create + (SLA_DAYS["shipping_due_time"] * DAY if self.paid_time else DAY),
            "warehouse_id": self.warehouse_id,
            "shipping_type": self.shipping_type,
            "user_id": self.user_id,
            "seller_note": "",
            "is_cod": self.is_cod,
            "delivery_option_id": "7091146663229654785",
            "need_upload_invoice": "NO_NEED",
            "delivery_option_name": "Standard shipping",
            "line_items": line_items,
            "is_sample_order": False,
            "is_on_hold_order": self.status == "ON_HOLD",
            "is_replacement_order": False,
            "is_subscription_order": any("subscribe" in prod.traits for prod, _ in self.units) and self.rseed % 3 == 0,
            "is_refundable_sample": False,
            "authentication_required": False,
            "is_buyer_request_cancel": self.is_buyer_request_cancel,
            "commerce_platform": "TIKTOK_SHOP",
            "order_type": order_type,
            "auto_combine_group_id": "",
            "is_exchange_order": False,
            "buyer_nickname": f"{first.lower()}{self.rseed % 10000:04d}",
            "buyer_avatar": f"{CDN}/tos-maliva-avt-0068/{self.rseed % 10**12:012x}~c5_100x100.jpeg",
        }
        for name, days in SLA_DAYS.items():
            order[name] = create + days * DAY
        if self.paid_time:
            order["paid_time"] = self.paid_time
        if self.rts_time:
            order["rts_time"] = self.rts_time
        if self.collection_time:
            order["collection_time"] = self.collection_time
        if self.delivery_time:
            order["delivery_time"] = self.delivery_time
        if self.request_cancel_time:
            order["request_cancel_time"] = self.request_cancel_time
        if cancelled:
            order["cancel_time"] = self.cancel_time
            order["cancel_reason"] = self.cancel_reason
            order["cancellation_initiator"] = self.cancel_initiator
        if order_type == "PRE_ORDER":
            order["release_date"] = pre_sale["fulfillment_type"]["release_date"]
        handling = self._handling_duration(pre_sale)
        if handling is not None:
            order["handling_duration"] = handling
        if region == "US" and self.rseed % 4 == 0:
            order["fast_delivery_program"] = "3_DAY_DELIVERY"
        if region in SEA:  # the fast-fulfilment SLAs and priorities TikTok gives in South East Asia
            order["pick_up_cut_off_time"] = create + 2 * DAY + 18 * HOUR
            order["fulfillment_priority_level"] = 500 if self.rseed % 5 == 0 else 600
            order["recommended_shipping_time"] = create + DAY
            order["order_rights"] = [1] if self.rseed % 2 else []
            order["fast_rts_sla_time"] = create + DAY
            order["fast_collection_sla_time"] = create + DAY + 12 * HOUR
            if region in ("TH", "PH"):
                order["fast_dispatch_sla_time"] = create + DAY + 12 * HOUR
            if order["delivery_type"] == "COLLECTION_POINT":
                order["instore_pickup_sla_time"] = create + 7 * DAY
        if self.status not in ("UNPAID", "ON_HOLD"):
            # ON_HOLD / UNPAID orders do not expose the buyer's address or e-mail (reference §4.2).
            order["buyer_email"] = f"v{self.rseed % 10**12:012x}@scs2.tiktok.com"
            order["recipient_address"] = self._address(first, last, street, state, city, postal)
        return order

    def _pickup_in_store(self) -> bool:
        return self.shop.region in SEA and self.rseed % 20 == 7

    def _handling_duration(self, pre_sale) -> dict | None:
        if pre_sale is not None and pre_sale["type"] == "MADE_TO_ORDER":
            days = pre_sale["fulfillment_type"]["handling_duration_days"]
            return {"days": str(days), "type": "BUSINESS_DAY"}
        if self.shop.region != "US":
            for prod, _sku in self.units:
                if prod.pre_sale is not None:
                    return {
                        "days": str(prod.pre_sale["fulfillment_type"]["handling_duration_days"]),
                        "type": "CALENDAR_DAY",
                    }
        return None

    def _address(self, first, last, street, state, city, postal) -> dict:
        shop = self.shop
        masked_street = f"{street[:3]}***"
        address = {
            "full_address": f"{masked_street}, {city}, {state}, {shop.country}",
            "phone_number": f"(+{self.rseed % 99 + 1}){self.rseed % 900 + 100}*****{self.rseed % 90 + 10}",
            "name": f"{first} {last[0]}***",
            "first_name": first,
            "last_name": f"{last[0]}***",
            "address_detail": masked_street,
            "address_line1": masked_street,
            "address_line2": "",
            "address_line3": "",
            "address_line4": "",
            "district_info": [
                {
                    "address_level_name": "Country",
                    "address_name": shop.country,
                    "address_level": "L0",
                    "iso_code": shop.region,
                },
                {
                    "address_level_name": "State",
                    "address_name": state,
                    "address_level": "L1",
                    "iso_code": STATE_ISO[state],
                },
                {"address_level_name": "City", "address_name": city, "address_level": "L3", "iso_code": ""},
            ],  # fmt: skip
            "delivery_preferences": {"drop_off_location": ""},
            "postal_code": postal,
            "region_code": shop.region,
        }
        if shop.region == "GB":
            address["post_town"] = city
        return address

    def _sub_items(self, i: int, li: dict, bundle: list) -> list[dict]:
        """Line item ``i``, a virtual bundle, as the SKUs it is made of: its price split by theirs."""
        dec = self.shop.dec
        p = self.pay
        _prod, sku = self.units[i]
        weights = [part.list_price for _product, part in bundle]
        seller_disc, plat_disc = p.unit_disc[i]
        originals = split(sku.list_price, weights)
        sellers = split(seller_disc, weights)
        platforms = split(plat_disc, weights)
        taxes = split(p.unit_tax[i], weights)
        out = []
        for k, (product, part) in enumerate(bundle):
            sub = {
                "id": str(self.sub_item_id(i, k)),
                "sku_id": part.id,
                "display_status": li["display_status"],
                "product_name": product.title,
                "seller_sku": part.seller_sku,
                "sku_image": sku_image(product),
                "sku_name": part.name,
                "product_id": product.id,
                "sale_price": money(originals[k] - sellers[k] - platforms[k], dec),
                "platform_discount": money(platforms[k], dec),
                "seller_discount": money(sellers[k], dec),
                "cancel_reason": li["cancel_reason"],
                "original_price": money(originals[k], dec),
                "rts_time": li["rts_time"],
                "package_status": li["package_status"],
                "currency": li["currency"],
                "shipping_provider_name": li["shipping_provider_name"],
                "cancel_user": li["cancel_user"],
                "shipping_provider_id": li["shipping_provider_id"],
                "tracking_number": li["tracking_number"],
                "package_id": li["package_id"],
                "retail_delivery_fee": money(0, dec),
                "is_dangerous_good": product.noun in DANGEROUS,
                "warehouse_id": self.warehouse_id,
            }
            if "item_tax" in li:
                sub["item_tax"] = [dict(li["item_tax"][0], tax_amount=money(taxes[k], dec))]
            out.append(sub)
        return out


class PackageRow:
    __slots__ = ("order", "id", "nid", "create_time", "update_time", "status", "units", "tracking", "order_pay_time")

    def _orders(self):
        skus: dict[str, dict] = {}
        for i in self.units:
            prod, sku = self.order.units[i]
            if sku.id in skus:
                skus[sku.id]["quantity"] += 1
            else:
                skus[sku.id] = {
                    "id": sku.id,
                    "name": sku.name,
                    "quantity": 1,
                    "image_url": f"https://p16-oec-va.ibyteimg.com/tos-maliva-i-o3syd03w52-us/"
                    f"{prod.nid:x}0~tplv-o3syd03w52-resize-jpeg:300:300.jpeg",
                }
        return [{"id": self.order.id, "skus": list(skus.values())}]

    def render(self) -> dict:
        """Shape of Search Package (202309) ``packages[]``."""
        o = self.order
        return {
            "id": self.id,
            "status": self.status,
            "tracking_number": self.tracking,
            "shipping_provider_id": o.carrier[0],
            "shipping_provider_name": o.carrier[1],
            "create_time": self.create_time,
            "update_time": self.update_time,
            "order_line_item_ids": [str(o.li_base + i) for i in self.units],
            "orders": self._orders(),
        }

    def detail(self) -> dict:
        """Shape of Get Package Detail (202309)."""
        o = self.order
        shop = o.shop
        rng = random.Random(o.rseed ^ 0x77)
        return {
            "package_id": self.id,
            "package_status": self.status,
            "order_line_item_ids": [str(o.li_base + i) for i in self.units],
            "orders": self._orders(),
            "tracking_number": self.tracking,
            "shipping_provider_id": o.carrier[0],
            "shipping_provider_name": o.carrier[1],
            "shipping_type": o.shipping_type,
            "handover_method": "PICKUP",
            "delivery_option_id": "7091146663229654785",
            "delivery_option_name": "Standard shipping",
            "split_and_combine_tag": "SPLIT" if len(o.packages) > 1 else "",
            "has_multi_skus": len({o.units[i][1].id for i in self.units}) > 1,
            "is_cod": o.is_cod,
            "weight": {"value": f"{rng.randint(10, 300) / 100:.2f}", "unit": "KILOGRAM"},
            "dimension": {
                "length": str(rng.randint(10, 50)),
                "width": str(rng.randint(10, 40)),
                "height": str(rng.randint(2, 30)),
                "unit": "CENTIMETER",
            },
            "sender_address": {
                "name": shop.name,
                "region_code": shop.region,
                "phone_number": "(+1)555*****00",
                "full_address": f"{shop.name} warehouse, {shop.country}",
            },
            "create_time": self.create_time,
            "update_time": self.update_time,
        }


class Plan:
    """An order's timeline as drawn: every planned time, also those after "now" (``None``: never happens)."""

    __slots__ = (
        "paid",
        "rts",
        "rts2",
        "coll",
        "deliv",
        "cancel_req",
        "cancel_at",
        "initiator",
        "split",
    )


def generate_orders(shop, rng: random.Random, n: int, start: int, now: int) -> tuple[list, list, list, list]:
    """``n`` orders in creation order, with their packages and the cancellations and returns they lead to.

    Returns (orders, packages, returns, cancellations); completed orders get their settlement figures.
    """
    span = now - start
    times = []
    for _ in range(n):
        if rng.random() < 0.04:  # a recent burst: orders still in flight at "now"
            times.append(now - rng.randrange(3 * DAY))
        else:
            times.append(start + rng.randrange(span))
    times.sort()
    oid = IdGen(rng, "57", 18, shop.idx)
    # line item ids are li_base + k; each order owns a block of 1000 ids (returns use +500.., cancellations +700..)
    li_gen = IdGen(rng, "58", 18, shop.idx)
    li_base0 = li_gen.base + li_gen.cur
    pkid = IdGen(rng, "1152", 19, shop.idx)
    rid = IdGen(rng, "4035", 19, shop.idx)
    cid = IdGen(rng, "4036", 19, shop.idx)
    uid_base = 7494000000000000000 + shop.idx * 10**13
    carriers = CARRIERS[:3] if shop.region == "US" else CARRIERS[2:]
    orderable = [p for p in shop.products if p.status in ORDERABLE_PRODUCT_STATUSES]
    orderable_times = [p.create_time for p in orderable]
    orders, packages, returns, cancellations = [], [], [], []
    rnd = rng.random
    for n_o, ct in enumerate(times):
        o = OrderRow()
        o.shop = shop
        o.nid = oid.next()
        o.id = str(o.nid)
        o.create_time = ct
        o.rseed = rng.getrandbits(63)
        o.city = o.rseed % len(CITIES[shop.region])  # where it is delivered: drawn from the order's own seed
        o.user_id = str(uid_base + rng.randrange(10**12))
        o.warehouse_id = shop.sales_warehouse_id
        o.shipping_type = "TIKTOK" if rnd() < 0.8 else "SELLER"
        o.is_cod = shop.region in ("ID", "VN", "PH", "TH", "MY") and rnd() < 0.15
        o.carrier = carriers[rng.randrange(len(carriers))]
        # the products on sale when the order was placed (the first one is always old enough)
        o.units = _units(rng, orderable, bisect.bisect_right(orderable_times, ct) or 1)
        o.li_base = li_base0 + n_o * 1000
        o.pay = _pay(shop, rng, o.units, CITIES[shop.region][o.city][0], o.rseed)
        plan = _timeline(o, rng, now)
        o.packages = _ship(o, plan, pkid, now)
        packages.extend(o.packages)
        cancellation = new_cancellation(o, plan, cid, rng, now)
        if cancellation is not None:
            cancellations.append(cancellation)
        ret = new_return(o, rid, rng, now)
        if ret is not None:
            returns.append(ret)
        o.fin = settle(o, rng, ret) if o.status == "COMPLETED" else None
        o.statement = None
        orders.append(o)
    return orders, packages, returns, cancellations


def _units(rng: random.Random, orderable: list, k: int) -> list:
    """1-4 distinct SKUs of the first ``k`` orderable products, 1-3 units each: one entry per unit."""
    rnd = rng.random
    r = rnd()
    ndist = 1 if r < 0.7 else 2 if r < 0.9 else 3 if r < 0.98 else 4
    units = []
    for _ in range(ndist):
        prod = orderable[rng.randrange(k)]
        sku = prod.skus[rng.randrange(len(prod.skus))]
        r = rnd()
        qty = 1 if r < 0.85 else 2 if r < 0.97 else 3
        units.extend([(prod, sku)] * qty)
    return units


def _pay(shop, rng: random.Random, units: list, state: str, rseed: int) -> Pay:
    """The order's money, minor units: seller and platform discounts per unit, tax, shipping (free 40 % of the time),
    and the fees of some markets (drawn from the order's own seed ``rseed``)."""
    rnd, randint = rng.random, rng.randint
    dec, unit = shop.dec, 10**shop.dec
    tax_bp = shop.tax_bp
    ship_fee_base = int(round(5.99 * shop.scale * unit)) if dec else max(100, int(round(5.99 * shop.scale / 100)) * 100)
    unit_disc, unit_tax = [], []
    seller_pct = 0 if rnd() < 0.7 else randint(5, 20)
    plat_pct = 0 if rnd() < 0.8 else randint(3, 10)
    sub_total = original = sdisc = pdisc = tax = 0
    for _prod, sku in units:
        lp = sku.list_price
        sd = lp * seller_pct // 100 + (lp - sku.price)
        pd = lp * plat_pct // 100
        if dec == 0:
            sd, pd = sd // 100 * 100, pd // 100 * 100
        unit_disc.append((sd, pd))
        sale = lp - sd - pd
        t = sale * tax_bp // 10000
        unit_tax.append(t)
        original += lp
        sub_total += sale
        sdisc += sd
        pdisc += pd
        tax += t
    free_ship = rnd() < 0.4
    ship_orig = ship_fee_base
    ship_plat = ship_orig if free_ship else 0
    ship = ship_orig - ship_plat
    region = shop.region
    rdf = RETAIL_DELIVERY_FEE_USD_CENTS if state == "Colorado" else 0
    small = max(0, SMALL_ORDER_MINIMUM_THB * unit - sub_total) if region == "TH" else 0
    service = BUYER_SERVICE_FEE_IDR if region == "ID" and rseed % 2 else 0
    return Pay(
        tuple(unit_disc),
        tuple(unit_tax),
        sub_total,
        original,
        sdisc,
        pdisc,
        ship_orig,
        ship_plat,
        ship,
        tax,
        rdf,
        small,
        service,
        sub_total + ship + tax + rdf + small + service,
    )


def _timeline(o: OrderRow, rng: random.Random, now: int) -> Plan:
    """Draws the order's timeline and sets its status, times, cancellation fields and ``update_time``."""
    rnd, randint = rng.random, rng.randint
    ct = o.create_time
    p = Plan()
    events = [ct]
    paid = ct + randint(5, 1800) if rnd() < 0.9 else ct + randint(HOUR, 20 * HOUR)
    never_paid = rnd() < 0.03
    fate_cancel = rnd()
    cancel_at = None
    cancel_req = None
    initiator = None
    if never_paid:
        cancel_at = ct + DAY  # payment timeout
        cancel_req = cancel_at
        initiator = "SYSTEM"
        paid = None
    hold = HOUR if rnd() < 0.85 else randint(DAY, 5 * DAY)
    hold_end = paid + hold if paid else None
    rts = hold_end + randint(4 * HOUR, 3 * DAY) if paid else None
    split = rts is not None and len({u[1].id for u in o.units}) > 1 and rnd() < 0.15
    rts2 = rts + randint(12 * HOUR, 2 * DAY) if split else None
    coll = max(rts, rts2 or 0) + randint(2 * HOUR, DAY) if rts else None
    deliv = coll + randint(DAY, 6 * DAY) if coll else None
    complete = deliv + randint(7 * DAY, 15 * DAY) if deliv else None
    if paid and cancel_at is None and fate_cancel < 0.06:
        # buyer or seller cancels after payment, before shipment
        cancel_req = hold_end + randint(60, max(120, (rts - hold_end) - 60))
        initiator = "BUYER" if rnd() < 0.75 else "SELLER"
        # a buyer's request waits for the seller's answer (TikTok gives the seller two days); a seller cancels at once
        cancel_at = cancel_req + (randint(HOUR, 2 * DAY) if initiator == "BUYER" else 0)
        if cancel_at >= rts:
            cancel_at = rts - 1
        rts = coll = deliv = complete = rts2 = None
        split = False
    elif paid and cancel_at is None and fate_cancel < 0.065:
        # delivery failed → cancelled after shipment
        initiator = "SYSTEM"
        cancel_req = cancel_at = coll + randint(DAY, 4 * DAY)
        deliv = complete = None
    o.is_buyer_request_cancel = False
    o.request_cancel_time = cancel_req if initiator == "BUYER" and cancel_req <= now else 0
    o.cancel_initiator = ""
    o.cancel_reason = ""
    if cancel_at is not None and cancel_at <= now:
        status = "CANCELLED"
        o.cancel_time = cancel_at
        o.cancel_initiator = initiator
        o.cancel_reason = (
            "Payment timeout"
            if paid is None
            else "Package delivery failed"
            if initiator == "SYSTEM"
            else rng.choice(CANCEL_REASONS_BUYER if initiator == "BUYER" else CANCEL_REASONS_SELLER)
        )
        events.append(cancel_at)
        if paid is not None and paid <= now:
            events.append(paid)
        if rts is not None and rts <= now:
            events.append(rts)
        if coll is not None and coll <= now:
            events.append(coll)
    else:
        o.cancel_time = 0
        if paid is None or paid > now:
            status = "UNPAID"
        elif hold_end > now:
            status = "ON_HOLD"
        elif rts is None or rts > now:
            status = "AWAITING_SHIPMENT"
        elif rts2 is not None and rts2 > now:
            status = "PARTIALLY_SHIPPING"
        elif coll > now:
            status = "AWAITING_COLLECTION"
        elif deliv is None or deliv > now:
            status = "IN_TRANSIT"
        elif complete is None or complete > now:
            status = "DELIVERED"
        else:
            status = "COMPLETED"
        for t in (paid, hold_end, rts, rts2, coll, deliv, complete):
            if t is not None and t <= now:
                events.append(t)
        if cancel_req is not None and cancel_req <= now and initiator == "BUYER":
            o.is_buyer_request_cancel = True  # pending buyer request
            events.append(cancel_req)
    o.status = status
    o.paid_time = paid if paid is not None and paid <= now else 0
    o.rts_time = rts if rts is not None and rts <= now else 0
    o.collection_time = coll if coll is not None and coll <= now else 0
    o.delivery_time = deliv if deliv is not None and deliv <= now else 0
    o.complete_time = complete if status == "COMPLETED" else 0
    upd = max(events)
    if rnd() < 0.1:  # late, non-status edit (seller note, address fix...)
        late = upd + randint(HOUR, 30 * DAY)
        if late < now:
            upd = late
    o.update_time = upd
    p.paid, p.rts, p.rts2, p.coll, p.deliv = paid, rts, rts2, coll, deliv
    p.cancel_req, p.cancel_at, p.initiator, p.split = cancel_req, cancel_at, initiator, split
    return p


def _ship(o: OrderRow, plan: Plan, pkid: IdGen, now: int) -> list[PackageRow]:
    """The order's packages made by "now": one, or two when a multi-SKU order ships split; sets ``unit_pkg``."""
    o.unit_pkg = None
    if not o.rts_time:
        return []
    units = o.units
    o.unit_pkg = [None] * len(units)
    groups = [list(range(len(units)))]
    times = [plan.rts]
    if plan.split:
        first_sku = units[0][1].id
        groups = [
            [i for i, u in enumerate(units) if u[1].id == first_sku],
            [i for i, u in enumerate(units) if u[1].id != first_sku],
        ]
        times = [plan.rts, plan.rts2]
    coll, deliv = plan.coll, plan.deliv
    packages = []
    for g, t0 in zip(groups, times, strict=True):
        if t0 > now:
            continue
        pk = PackageRow()
        pk.order = o
        pk.nid = pkid.next()
        pk.id = str(pk.nid)
        pk.units = g
        pk.create_time = t0
        pk.order_pay_time = o.paid_time
        pk.tracking = f"{o.carrier[1][:2].upper().replace('&', 'T')}{pk.nid % 10**12:012d}"
        pev = [t0]
        if o.status == "CANCELLED":
            pk.status = "CANCELLED"
            pev.append(o.cancel_time)
        elif coll is not None and coll <= now and t0 <= coll:
            pev.append(coll)
            if deliv is not None and deliv <= now:
                pk.status = "COMPLETED"
                pev.append(deliv)
            else:
                pk.status = "FULFILLING"
        else:
            pk.status = "PROCESSING"
        pk.update_time = max(pev)
        for i in g:
            o.unit_pkg[i] = pk
        packages.append(pk)
    return packages
