"""Seeded synthetic world served by the sandbox.

Everything here is derived from ``random.Random`` instances seeded from the
``seed`` argument (never from the wall clock), so the same arguments always
produce byte-identical records.

Large resources (orders, products, packages, returns, cancellations,
statement transactions) are kept as compact row objects holding only the
fields needed for filtering, sorting and cross-links; the full JSON record is
rendered on demand by ``row.render()``.  Cosmetic fields (names, addresses,
images...) come from a per-row ``random.Random(row.rseed)`` so rendering is
deterministic too.  This keeps 100,000 orders per shop fast to generate and
small in memory.

Record shapes follow the reference (``reference/tiktok-shop-api.md`` §4):
string ids of 18-19 digits, money as decimal strings with a separate
``currency``, Unix-second times, enum strings.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import random
import time as _time

DAY = 86400
HOUR = 3600

# region, currency, decimals, price scale vs USD, seller type, country, tax rate (basis points)
REGIONS = [
    ("US", "USD", 2, 1.0, "LOCAL", "United States", 725),
    ("GB", "GBP", 2, 0.8, "CROSS_BORDER", "United Kingdom", 0),
    ("ID", "IDR", 0, 15000.0, "LOCAL", "Indonesia", 0),
    ("MY", "MYR", 2, 4.5, "CROSS_BORDER", "Malaysia", 0),
    ("TH", "THB", 2, 35.0, "LOCAL", "Thailand", 0),
    ("VN", "VND", 0, 24000.0, "CROSS_BORDER", "Vietnam", 0),
    ("PH", "PHP", 2, 56.0, "LOCAL", "Philippines", 0),
    ("SG", "SGD", 2, 1.35, "CROSS_BORDER", "Singapore", 0),
    ("DE", "EUR", 2, 0.92, "LOCAL", "Germany", 0),
    ("MX", "MXN", 2, 17.0, "CROSS_BORDER", "Mexico", 0),
]

CITIES = {
    "US": [("California", "Los Angeles", "90012"), ("Texas", "Austin", "73301"), ("New York", "Brooklyn", "11201")],
    "GB": [("England", "London", "SW1A 1AA"), ("England", "Manchester", "M1 1AE"), ("Scotland", "Glasgow", "G1 1XQ")],
    "ID": [
        ("DKI Jakarta", "Jakarta Selatan", "12190"),
        ("Jawa Barat", "Bandung", "40111"),
        ("Bali", "Denpasar", "80111"),
    ],
    "MY": [
        ("Selangor", "Shah Alam", "40000"),
        ("Kuala Lumpur", "Kuala Lumpur", "50088"),
        ("Penang", "George Town", "10200"),
    ],
    "TH": [("Bangkok", "Bang Rak", "10500"), ("Chiang Mai", "Mueang", "50200"), ("Phuket", "Kathu", "83120")],
    "VN": [("Ho Chi Minh", "District 1", "700000"), ("Ha Noi", "Ba Dinh", "100000"), ("Da Nang", "Hai Chau", "550000")],
    "PH": [("Metro Manila", "Makati", "1226"), ("Cebu", "Cebu City", "6000"), ("Davao", "Davao City", "8000")],
    "SG": [
        ("Singapore", "Singapore", "018956"),
        ("Singapore", "Singapore", "238801"),
        ("Singapore", "Singapore", "529510"),
    ],
    "DE": [("Berlin", "Berlin", "10115"), ("Bayern", "Munich", "80331"), ("Hamburg", "Hamburg", "20095")],
    "MX": [
        ("CDMX", "Ciudad de Mexico", "06000"),
        ("Jalisco", "Guadalajara", "44100"),
        ("Nuevo Leon", "Monterrey", "64000"),
    ],
}
FIRST = [
    "Alex",
    "Sam",
    "Jordan",
    "Taylor",
    "Morgan",
    "Casey",
    "Riley",
    "Jamie",
    "Avery",
    "Quinn",
    "Dana",
    "Robin",
    "Lee",
    "Kim",
    "Noor",
    "Ari",
    "Sky",
    "Rowan",
    "Emery",
    "Jules",
]
LAST = [
    "Smith",
    "Nguyen",
    "Garcia",
    "Tan",
    "Lim",
    "Brown",
    "Santos",
    "Wong",
    "Putri",
    "Silva",
    "Martin",
    "Lopez",
    "Chen",
    "Khan",
    "Ramos",
    "Muller",
    "Rossi",
    "Kowalski",
    "Sato",
    "Ali",
]
STREETS = [
    "Main St",
    "Oak Ave",
    "Market St",
    "Station Rd",
    "High St",
    "Jalan Merdeka",
    "Sukhumvit Rd",
    "Rizal Ave",
    "Orchard Rd",
    "Calle Reforma",
]
ADJ = [
    "Classic",
    "Premium",
    "Soft",
    "Portable",
    "Wireless",
    "Organic",
    "Vintage",
    "Compact",
    "Deluxe",
    "Smart",
    "Eco",
    "Ultra",
    "Mini",
    "Pro",
    "Cozy",
    "Sleek",
    "Rugged",
    "Bright",
    "Silky",
    "Essential",
]
NOUN = [
    "T-Shirt",
    "Hoodie",
    "Sneakers",
    "Phone Case",
    "Water Bottle",
    "Backpack",
    "Lip Gloss",
    "Face Serum",
    "Desk Lamp",
    "Yoga Mat",
    "Earbuds",
    "Throw Pillow",
    "Coffee Mug",
    "Sunglasses",
    "Watch Band",
    "Hair Clip",
    "Notebook",
    "Charger",
    "Candle",
    "Tote Bag",
]
COLORS = ["Black", "White", "Red", "Blue", "Green", "Pink", "Beige", "Grey"]
SIZES = ["S", "M", "L", "XL"]
CARRIERS = [
    ("6617675021119438849", "USPS"),
    ("6617675021119438850", "UPS"),
    ("6617675021119438851", "FedEx"),
    ("6617675021119438852", "J&T Express"),
    ("6617675021119438853", "Royal Mail"),
    ("6617675021119438854", "Ninja Van"),
]
CANCEL_REASONS_BUYER = [
    "No longer needed",
    "Need to change shipping address",
    "Found a better price",
    "Ordered by mistake",
]
CANCEL_REASONS_SELLER = ["Out of stock", "Pricing error", "Unable to deliver to buyer address"]
RETURN_REASONS = ["Wrong size", "Damaged item", "Not as described", "Changed mind", "Missing parts"]
ADJUSTMENT_TYPES = [
    "SHIPPING_FEE_ADJUSTMENT",
    "LOGISTICS_REIMBURSEMENT",
    "PLATFORM_COMPENSATION",
    "PROMOTION_ADJUSTMENT",
    "PLATFORM_PENALTY",
    "OTHER_ADJUSTMENT",
]
ACTIVITY_TYPES = ["FIXED_PRICE", "DIRECT_DISCOUNT", "FLASHSALE", "SHIPPING_DISCOUNT", "BUY_MORE_SAVE_MORE"]
BRAND_NAMES = [
    "Aurora",
    "Bluefin",
    "Cedar & Co",
    "Dune",
    "Ember",
    "Fjord",
    "Gala",
    "Harbor",
    "Iris Lane",
    "Juniper",
    "Kestrel",
    "Lumen",
]

# Category tree shared by every shop: (id, parent_id, local_name).  Leaves are computed.
CATEGORY_TREE = [
    ("600001", "0", "Home Supplies"),
    ("600002", "600001", "Home Decor"),
    ("600003", "600002", "Candles & Holders"),
    ("600004", "600002", "Cushions & Covers"),
    ("600005", "600001", "Kitchenware"),
    ("600006", "600005", "Drinkware"),
    ("601100", "0", "Womenswear & Underwear"),
    ("601101", "601100", "Women's Tops"),
    ("601102", "601101", "T-shirts"),
    ("601103", "601101", "Hoodies & Sweatshirts"),
    ("601104", "601100", "Women's Accessories"),
    ("601105", "601104", "Hair Accessories"),
    ("602200", "0", "Beauty & Personal Care"),
    ("602201", "602200", "Makeup"),
    ("602202", "602201", "Lip Gloss"),
    ("602203", "602200", "Skincare"),
    ("602204", "602203", "Serums & Essences"),
    ("603300", "0", "Phones & Electronics"),
    ("603301", "603300", "Phone Accessories"),
    ("603302", "603301", "Phone Cases"),
    ("603303", "603301", "Chargers & Cables"),
    ("603304", "603300", "Audio & Video"),
    ("603305", "603304", "Earphones"),
    ("604400", "0", "Sports & Outdoor"),
    ("604401", "604400", "Fitness Equipment"),
    ("604402", "604401", "Yoga Mats"),
    ("604403", "604400", "Outdoor Gear"),
    ("604404", "604403", "Backpacks"),
    ("605500", "0", "Fashion Accessories"),
    ("605501", "605500", "Eyewear"),
    ("605502", "605501", "Sunglasses"),
    ("605503", "605500", "Watches & Accessories"),
    ("605504", "605503", "Watch Bands"),
    ("606600", "0", "Stationery"),
    ("600007", "600002", "Lamps & Lighting"),
    ("604405", "604400", "Sports Footwear"),
    ("605505", "605500", "Bags"),
    ("606601", "606600", "Notebooks & Paper"),
]
# which leaf category each product NOUN belongs to
NOUN_CATEGORY = {
    "T-Shirt": "601102",
    "Hoodie": "601103",
    "Sneakers": "604405",
    "Phone Case": "603302",
    "Water Bottle": "600006",
    "Backpack": "604404",
    "Lip Gloss": "602202",
    "Face Serum": "602204",
    "Desk Lamp": "600007",
    "Yoga Mat": "604402",
    "Earbuds": "603305",
    "Throw Pillow": "600004",
    "Coffee Mug": "600006",
    "Sunglasses": "605502",
    "Watch Band": "605504",
    "Hair Clip": "601105",
    "Notebook": "606601",
    "Charger": "603303",
    "Candle": "600003",
    "Tote Bag": "605505",
}

PRODUCT_STATUSES = [
    ("ACTIVATE", 75),
    ("DRAFT", 4),
    ("PENDING", 3),
    ("FAILED", 2),
    ("SELLER_DEACTIVATED", 6),
    ("PLATFORM_DEACTIVATED", 3),
    ("FREEZE", 2),
    ("DELETED", 5),
]
ORDERABLE_PRODUCT_STATUSES = {"ACTIVATE", "SELLER_DEACTIVATED", "PLATFORM_DEACTIVATED", "FREEZE", "DELETED"}
HIDDEN_FROM_GET_PRODUCT = {"FREEZE", "DELETED"}

# Resources that `records()` knows.
RESOURCES = (
    "shops",
    "orders",
    "products",
    "product_details",
    "returns",
    "cancellations",
    "packages",
    "statements",
    "statement_transactions",
    "payments",
    "withdrawals",
    "warehouses",
    "categories",
    "brands",
    "promotion_activities",
    "coupons",
)
TOUCHABLE_UPDATE_TIME = (
    "orders",
    "products",
    "product_details",
    "returns",
    "cancellations",
    "packages",
    "promotion_activities",
    "coupons",
)
TOUCHABLE_STATUS = ("statements", "payments")


def parse_date(value: str) -> int:
    """``YYYY-MM-DD`` → Unix seconds at 00:00 UTC."""
    d = datetime.date.fromisoformat(value)
    return calendar.timegm(d.timetuple())


def money(minor: int, dec: int) -> str:
    """Integer minor units → decimal string (``1999, 2`` → ``"19.99"``)."""
    if dec == 2 and minor >= 0:
        return f"{minor // 100}.{minor % 100:02d}"
    if dec == 0:
        return str(minor)
    sign = "-" if minor < 0 else ""
    m = abs(minor)
    q = 10**dec
    return f"{sign}{m // q}.{m % q:0{dec}d}"


def _weighted(rng: random.Random, table):
    total = sum(w for _, w in table)
    x = rng.random() * total
    for value, w in table:
        x -= w
        if x < 0:
            return value
    return table[-1][0]


def deep_copy(obj):
    """Fast deep copy for JSON-like data."""
    if isinstance(obj, dict):
        return {k: deep_copy(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [deep_copy(v) for v in obj]
    return obj


class IdGen:
    """Unique, increasing numeric string ids with a fixed lead and length.

    Layout: ``lead`` + two digits derived from the shop index (so ids are unique across shops) + a counter
    that starts at a random offset and advances by random steps (so ids look like real snowflake ids).
    """

    def __init__(self, rng: random.Random, lead: str, digits: int, shop_idx: int = 0, capacity: int = 4_000_000):
        room = digits - len(lead) - 2
        half = 10**room // 2
        self.base = int(lead) * 10 ** (digits - len(lead)) + ((shop_idx * 37 + 11) % 100) * 10**room
        self.step = max(1, half // capacity)
        self.cur = rng.randrange(half)
        self.rng = rng

    def next(self) -> int:
        self.cur += self.rng.randint(1, self.step)
        return self.base + self.cur


class DictRow:
    """A small record kept as its rendered dict; attributes read through to the dict."""

    __slots__ = ("id", "nid", "data")

    def __init__(self, data: dict):
        self.data = data
        self.id = data["id"]
        self.nid = int(self.id)

    def __getattr__(self, name):
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None

    def render(self) -> dict:
        return deep_copy(self.data)


# --------------------------------------------------------------------------------------------------------------
# Products
# --------------------------------------------------------------------------------------------------------------


class Sku:
    __slots__ = ("id", "seller_sku", "price", "list_price", "name", "color", "size")

    def __init__(self, id_, seller_sku, price, list_price, name, color, size):
        self.id = id_
        self.seller_sku = seller_sku
        self.price = price
        self.list_price = list_price
        self.name = name
        self.color = color
        self.size = size


def _sku_offer(shop, sku: Sku, rng: random.Random) -> dict:
    """The SKU fields Search Products and Get Product share (draws the inventory from ``rng``)."""
    return {
        "id": sku.id,
        "seller_sku": sku.seller_sku,
        "price": {
            "currency": shop.currency,
            "sale_price": money(sku.price, shop.dec),
            "tax_exclusive_price": money(sku.price, shop.dec),
        },
        "list_price": {"currency": shop.currency, "amount": money(sku.list_price, shop.dec)},
        "inventory": [{"warehouse_id": shop.sales_warehouse_id, "quantity": rng.randint(0, 500)}],
    }


class ProductRow:
    __slots__ = (
        "shop",
        "id",
        "nid",
        "create_time",
        "update_time",
        "status",
        "title",
        "skus",
        "category",
        "brand",
        "rseed",
        "noun",
    )

    def summary(self) -> dict:
        """The shape Search Products (202502) returns."""
        shop = self.shop
        rng = random.Random(self.rseed)
        skus = []
        for sku in self.skus:
            skus.append(_sku_offer(shop, sku, rng))
        audit = (
            "APPROVED"
            if self.status not in ("PENDING", "FAILED", "DRAFT")
            else ("AUDITING" if self.status == "PENDING" else ("REJECTED" if self.status == "FAILED" else "NONE"))
        )
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "create_time": self.create_time,
            "update_time": self.update_time,
            "skus": skus,
            "sales_regions": [shop.region],
            "is_not_for_sale": False,
            "has_draft": self.status == "DRAFT",
            "listing_quality_tier": ("GOOD", "FAIR", "POOR")[self.nid % 3],
            "audit": {"status": audit},
            "recommended_categories": [],
            "product_sync_fail_reasons": [],
            "integrated_platform_statuses": [{"platform": "TOKOPEDIA", "status": self.status}]
            if shop.region == "ID"
            else [],
        }

    def detail(self) -> dict:
        """The shape Get Product (202309) returns."""
        shop = self.shop
        world = shop.world
        rng = random.Random(self.rseed ^ 0x5A5A)
        chain = []
        cat = self.category
        while cat != "0":
            node = world.category_by_id[cat]
            chain.append(
                {
                    "id": node["id"],
                    "parent_id": node["parent_id"],
                    "local_name": node["local_name"],
                    "is_leaf": node["is_leaf"],
                }
            )
            cat = node["parent_id"]
        chain.reverse()
        imgs = []
        for i in range(rng.randint(1, 4)):
            uri = f"tos-maliva-i-o3syd03w52-us/{self.nid:x}{i}"
            imgs.append(
                {
                    "uri": uri,
                    "width": 800,
                    "height": 800,
                    "urls": [f"https://p16-oec-va.ibyteimg.com/{uri}~tplv-o3syd03w52-origin-jpeg.jpeg"],
                    "thumb_urls": [f"https://p16-oec-va.ibyteimg.com/{uri}~tplv-o3syd03w52-resize-jpeg:300:300.jpeg"],
                }
            )
        skus = []
        for sku in self.skus:
            attrs = []
            if sku.color:
                attrs.append(
                    {
                        "id": "100000",
                        "name": "Color",
                        "value_id": str(7000000000000000000 + COLORS.index(sku.color)),
                        "value_name": sku.color,
                    }
                )
            if sku.size:
                attrs.append(
                    {
                        "id": "100007",
                        "name": "Size",
                        "value_id": str(7000000000000000100 + SIZES.index(sku.size)),
                        "value_name": sku.size,
                    }
                )
            skus.append(
                {
                    **_sku_offer(shop, sku, rng),
                    "sales_attributes": attrs,
                    "identifier_code": {"code": f"{rng.randint(10**11, 10**12 - 1)}", "type": "UPC"},
                    "external_sku_id": "",
                }
            )
        brand = None
        if self.brand is not None:
            b = shop.brands[self.brand]
            brand = {"id": b["id"], "name": b["name"]}
        out = {
            "id": self.id,
            "status": self.status,
            "title": self.title,
            "description": f"<p>{self.title}. {rng.choice(ADJ)} quality, made to last.</p>"
            f"<ul><li>Ships from {shop.region}</li><li>Care: hand wash</li></ul>",
            "category_chains": chain,
            "brand": brand,
            "main_images": imgs,
            "product_attributes": [
                {
                    "id": "100392",
                    "name": "Material",
                    "values": [
                        {
                            "id": "1000083",
                            "name": rng.choice(
                                ["Cotton", "Polyester", "Silicone", "Stainless Steel", "Glass", "Leather"]
                            ),
                        }
                    ],
                },
                {"id": "100198", "name": "Warranty Type", "values": [{"id": "1000512", "name": "No Warranty"}]},
            ],
            "skus": skus,
            "package_dimensions": {
                "length": str(rng.randint(5, 60)),
                "width": str(rng.randint(5, 40)),
                "height": str(rng.randint(1, 30)),
                "unit": "CENTIMETER",
            },
            "package_weight": {"value": f"{rng.randint(1, 500) / 100:.2f}", "unit": "KILOGRAM"},
            "audit_failed_reasons": []
            if self.status != "FAILED"
            else [
                {
                    "position": "product title",
                    "reasons": ["Title contains prohibited words"],
                    "suggestions": ["Edit the title"],
                }
            ],
            "is_cod_allowed": shop.region in ("ID", "MY", "TH", "VN", "PH"),
            "is_not_for_sale": False,
            "is_pre_owned": False,
            "minimum_order_quantity": 1,
            "external_product_id": "",
            "product_types": [],
            "certifications": [],
            "delivery_options": [{"id": "7129737848238262062", "name": "Standard shipping", "is_available": True}],
            "listing_quality_tier": ("GOOD", "FAIR", "POOR")[self.nid % 3],
            "has_draft": self.status == "DRAFT",
            "create_time": self.create_time,
            "update_time": self.update_time,
        }
        return out

    def render(self) -> dict:
        return self.summary()


# --------------------------------------------------------------------------------------------------------------
# Orders and their satellites
# --------------------------------------------------------------------------------------------------------------


class Pay:
    """Order money in minor units (``unit_disc``/``unit_tax`` are per line item)."""

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
        "total",
    )

    def __init__(self, *values):
        for k, v in zip(self.__slots__, values, strict=True):
            setattr(self, k, v)


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
        "hold_end",
        "carrier",
        "tracking",
        "is_cod",
    )

    def line_item_ids(self):
        return [str(self.li_base + i) for i in range(len(self.units))]

    def unit_status(self, i: int) -> str:
        """display_status of one line item."""
        if self.status in ("UNPAID", "ON_HOLD", "CANCELLED", "COMPLETED", "DELIVERED"):
            return self.status
        pkg = self.unit_pkg[i] if self.unit_pkg else None
        if pkg is None:
            return "AWAITING_SHIPMENT"
        return {
            "PROCESSING": "AWAITING_COLLECTION",
            "FULFILLING": "IN_TRANSIT",
            "COMPLETED": "DELIVERED",
            "CANCELLED": "CANCELLED",
        }[pkg.status]

    def render(self) -> dict:
        shop = self.shop
        dec = shop.dec
        cur = shop.currency
        rng = random.Random(self.rseed)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        state, city, postal = rng.choice(CITIES[shop.region])
        street = f"{rng.randint(1, 999)} {rng.choice(STREETS)}"
        p = self.pay
        line_items = []
        for i, (prod, sku) in enumerate(self.units):
            pkg = self.unit_pkg[i] if self.unit_pkg else None
            seller_disc, plat_disc = self.pay.unit_disc[i]
            li = {
                "id": str(self.li_base + i),
                "sku_id": sku.id,
                "product_id": prod.id,
                "product_name": prod.title,
                "sku_name": sku.name,
                "seller_sku": sku.seller_sku,
                "sku_image": f"https://p16-oec-va.ibyteimg.com/tos-maliva-i-o3syd03w52-us/{prod.nid:x}0"
                "~tplv-o3syd03w52-resize-jpeg:300:300.jpeg",
                "sku_type": "NORMAL",
                "currency": cur,
                "original_price": money(sku.list_price, dec),
                "sale_price": money(sku.list_price - seller_disc - plat_disc, dec),
                "seller_discount": money(seller_disc, dec),
                "platform_discount": money(plat_disc, dec),
                "display_status": self.unit_status(i),
                "is_gift": False,
                "rts_time": pkg.create_time if pkg is not None else 0,
                "package_id": pkg.id if pkg is not None else "",
                "package_status": {
                    "PROCESSING": "PROCESSING",
                    "FULFILLING": "FULFILLING",
                    "COMPLETED": "COMPLETED",
                    "CANCELLED": "CANCELLED",
                }[pkg.status]
                if pkg is not None
                else "TO_FULFILL",
                "shipping_provider_id": self.carrier[0] if pkg is not None else "",
                "shipping_provider_name": self.carrier[1] if pkg is not None else "",
                "tracking_number": pkg.tracking if pkg is not None else "",
                "cancel_reason": self.cancel_reason if self.status == "CANCELLED" else "",
                "cancel_user": self.cancel_initiator if self.status == "CANCELLED" else "",
            }
            if shop.tax_bp:
                li["item_tax"] = [
                    {
                        "tax_type": "SALES_TAX",
                        "tax_amount": money(p.unit_tax[i], dec),
                        "tax_rate": f"{shop.tax_bp / 10000:.4f}",
                    }
                ]
            line_items.append(li)
        order = {
            "id": self.id,
            "status": self.status,
            "create_time": self.create_time,
            "update_time": self.update_time,
            "user_id": self.user_id,
            "buyer_message": rng.choice(["", "", "", "Please pack carefully", "Gift, no invoice please"]),
            "seller_note": "",
            "shipping_type": self.shipping_type,
            "fulfillment_type": "FULFILLMENT_BY_SELLER",
            "delivery_type": "HOME_DELIVERY",
            "delivery_option_id": "7091146663229654785",
            "delivery_option_name": "Standard shipping",
            "warehouse_id": self.warehouse_id,
            "payment_method_name": "Cash on delivery"
            if self.is_cod
            else rng.choice(["Credit card", "PayPal", "Apple Pay", "Debit card"]),
            "is_cod": self.is_cod,
            "is_sample_order": False,
            "is_replacement_order": False,
            "is_exchange_order": False,
            "is_on_hold_order": self.status == "ON_HOLD",
            "is_buyer_request_cancel": self.is_buyer_request_cancel,
            "has_updated_recipient_address": False,
            "need_upload_invoice": "NO_NEED",
            "order_type": "NORMAL",
            "commerce_platform": "TIKTOK_SHOP",
            "split_or_combine_tag": "SPLIT" if len(self.packages) > 1 else "",
            "shipping_provider_id": self.carrier[0] if self.packages else "",
            "shipping_provider": self.carrier[1] if self.packages else "",
            "tracking_number": self.packages[0].tracking if self.packages else "",
            "rts_sla_time": self.create_time + 2 * DAY,
            "tts_sla_time": self.create_time + 4 * DAY,
            "payment": {
                "currency": cur,
                "sub_total": money(p.sub_total, dec),
                "original_total_product_price": money(p.original_total, dec),
                "seller_discount": money(p.seller_discount, dec),
                "platform_discount": money(p.platform_discount, dec),
                "original_shipping_fee": money(p.original_shipping_fee, dec),
                "shipping_fee": money(p.shipping_fee, dec),
                "shipping_fee_seller_discount": money(0, dec),
                "shipping_fee_platform_discount": money(p.shipping_fee_platform_discount, dec),
                "tax": money(p.tax, dec),
                "product_tax": money(p.tax, dec),
                "shipping_fee_tax": money(0, dec),
                "total_amount": money(p.total, dec),
            },
            "line_items": line_items,
            "packages": [{"id": pkg.id} for pkg in self.packages],
        }
        if self.paid_time:
            order["paid_time"] = self.paid_time
        if self.rts_time:
            order["rts_time"] = self.rts_time
        if self.collection_time:
            order["collection_time"] = self.collection_time
        if self.delivery_time:
            order["delivery_time"] = self.delivery_time
        if self.status == "CANCELLED":
            order["cancel_time"] = self.cancel_time
            order["cancel_reason"] = self.cancel_reason
            order["cancellation_initiator"] = self.cancel_initiator
        if self.status not in ("UNPAID", "ON_HOLD"):
            # ON_HOLD / UNPAID orders do not expose the buyer's address or e-mail (reference §4.2).
            order["buyer_email"] = f"v{self.rseed % 10**12:012x}@scs2.tiktok.com"
            order["recipient_address"] = {
                "name": f"{first} {last[0]}***",
                "first_name": first,
                "last_name": f"{last[0]}***",
                "phone_number": f"(+{rng.randint(1, 99)}){rng.randint(100, 999)}*****{rng.randint(10, 99)}",
                "address_line1": f"{street[:3]}***",
                "address_line2": "",
                "address_detail": f"{street[:3]}***",
                "postal_code": postal,
                "region_code": shop.region,
                "full_address": f"{street[:3]}***, {city}, {state}, {shop.country}",
                "district_info": [
                    {"address_level_name": "Country", "address_name": shop.country, "address_level": "L0"},
                    {"address_level_name": "State", "address_name": state, "address_level": "L1"},
                    {"address_level_name": "City", "address_name": city, "address_level": "L3"},
                ],
                "delivery_preferences": {"drop_off_location": ""},
            }
        return order


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
            "arbitration_status": "",
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


# --------------------------------------------------------------------------------------------------------------
# Finance
# --------------------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------------------
# The world
# --------------------------------------------------------------------------------------------------------------


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


class Shop:
    def __init__(self, world: World, idx: int, rng: random.Random):
        self.world = world
        self.idx = idx
        region = REGIONS[idx % len(REGIONS)]
        self.region, self.currency, self.dec, self.scale, self.seller_type, self.country, self.tax_bp = region
        self.id = str(IdGen(rng, "7494", 19, idx).next())
        alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
        self.code = f"{self.region}{'LC' if self.seller_type == 'LOCAL' else 'CB'}" + "".join(
            rng.choice(alnum) for _ in range(6)
        )
        b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        self.cipher = ("GCP_" if self.region == "US" else "ROW_") + "".join(rng.choice(b64) for _ in range(32))
        self.name = f"{rng.choice(BRAND_NAMES)} {rng.choice(NOUN).split()[0]} {self.region}"
        self.rng = rng

    def info(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "region": self.region,
            "seller_type": self.seller_type,
            "code": self.code,
            "cipher": self.cipher,
        }

    # -- generation ------------------------------------------------------------------------------------------

    def generate(self, n_orders: int, counts: dict):
        rng = self.rng
        w = self.world
        start, now = w.start_ts, w.now_ts
        self._gen_warehouses(rng)
        self._gen_brands(rng, counts.get("brands", 10))
        self._gen_products(rng, counts.get("products", max(10, n_orders // 5)))
        self._gen_orders(rng, n_orders, start, now)
        self._gen_finance(rng, start, now)
        self._gen_activities(rng, counts.get("promotion_activities", 20), start, now)
        self._gen_coupons(rng, counts.get("coupons", 20), start, now)

    def _gen_warehouses(self, rng):
        ids = IdGen(rng, "7068", 19, self.idx)
        n = rng.randint(2, 3)
        self.warehouses = []
        state, city, postal = CITIES[self.region][0]
        for i in range(n):
            typ = "RETURN_WAREHOUSE" if i == n - 1 else "SALES_WAREHOUSE"
            self.warehouses.append(
                DictRow(
                    {
                        "id": str(ids.next()),
                        "name": f"{self.region} {'Returns' if typ == 'RETURN_WAREHOUSE' else 'Main' if i == 0 else 'Overflow'}"
                        " Warehouse",
                        "effect_status": "ENABLED" if i < 2 or rng.random() < 0.5 else "DISABLED",
                        "type": typ,
                        "sub_type": "DOMESTIC_WAREHOUSE" if self.seller_type == "LOCAL" else "CB_OVERSEA_WAREHOUSE",
                        "is_default": i == 0 or typ == "RETURN_WAREHOUSE",
                        "entity_id": str(7000000000000000000 + self.idx * 1000 + i),
                        "address": {
                            "region": self.country,
                            "region_code": self.region,
                            "state": state,
                            "city": city,
                            "distict": city,
                            "town": "",
                            "postal_code": postal,
                            "address_line1": f"{rng.randint(1, 500)} {rng.choice(STREETS)}",
                            "address_line2": "",
                            "contact_person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                            "phone_number": f"(+1)555{rng.randint(1000000, 9999999)}",
                            "full_address": f"{city}, {state}, {self.country}",
                        },
                    }
                )
            )
        self.sales_warehouse_id = self.warehouses[0].id

    def _gen_brands(self, rng, n):
        self.brands = []
        names = list(BRAND_NAMES)
        rng.shuffle(names)
        for i in range(n):
            g = self.world.global_brand(names[i % len(names)], i // len(names))
            self.brands.append(
                {
                    "id": g[0],
                    "name": g[1],
                    "authorized_status": "AUTHORIZED" if rng.random() < 0.6 else "UNAUTHORIZED",
                    "brand_status": "AVAILABLE" if rng.random() < 0.9 else "UNAVAILABLE",
                    "is_t1_brand": rng.random() < 0.2,
                }
            )
        self.brands.sort(key=lambda b: int(b["id"]))
        self.brand_rows = [DictRow(b) for b in self.brands]

    def _gen_products(self, rng, n):
        w = self.world
        start, now = w.start_ts, w.now_ts
        span = now - start
        times = []
        for i in range(n):
            if i == 0 or rng.random() < 0.6:
                times.append(start - rng.randint(1, 180 * DAY))
            else:
                times.append(start + rng.randrange(span))
        times.sort()
        pid = IdGen(rng, "1729", 19, self.idx)
        sid = IdGen(rng, "1731", 19, self.idx)
        self.products = []
        dec, scale = self.dec, self.scale
        unit = 10**dec
        for i, ct in enumerate(times):
            p = ProductRow()
            p.shop = self
            p.nid = pid.next()
            p.id = str(p.nid)
            p.create_time = ct
            p.status = "ACTIVATE" if i == 0 else _weighted(rng, PRODUCT_STATUSES)
            r = rng.random()
            if r < 0.5:
                p.update_time = ct + rng.randint(0, 3 * DAY)
            else:
                p.update_time = ct + int((now - ct) * rng.random())
            p.update_time = min(p.update_time, now - 1)
            noun = rng.choice(NOUN)
            p.noun = noun
            p.title = f"{rng.choice(ADJ)} {rng.choice(COLORS) if rng.random() < 0.3 else ''} {noun}".replace("  ", " ")
            p.category = NOUN_CATEGORY[noun]
            p.brand = rng.randrange(len(self.brands)) if self.brands and rng.random() < 0.7 else None
            p.rseed = rng.getrandbits(63)
            base_usd = 3.0 * (50.0 ** rng.random())  # 3 .. 150 USD, log-uniform
            price = base_usd * scale
            if dec == 0:
                price_minor = max(100, int(round(price / 100.0)) * 100)
            else:
                price_minor = int(price) * unit + unit - 1
            nsku = rng.choice((1, 1, 2, 3, 4))
            colors = rng.sample(COLORS, 2)
            p.skus = []
            for k in range(nsku):
                color = colors[k % 2] if nsku > 1 else None
                size = SIZES[k // 2] if nsku > 2 else None
                name = ", ".join(x for x in (color, size) if x) or "Default"
                list_price = price_minor + (k // 2) * (unit if dec else 1000)
                lp = list_price if rng.random() < 0.7 else list_price + list_price // 5
                p.skus.append(
                    Sku(
                        str(sid.next()),
                        f"{noun[:3].upper()}-{p.nid % 100000:05d}-{k}",
                        list_price,
                        lp,
                        name,
                        color,
                        size,
                    )
                )
            self.products.append(p)
        self.product_by_id = {p.id: p for p in self.products}
        self.orderable = [p for p in self.products if p.status in ORDERABLE_PRODUCT_STATUSES]
        self.orderable_times = [p.create_time for p in self.orderable]

    def _gen_orders(self, rng, n, start, now):
        span = now - start
        times = []
        for _ in range(n):
            if rng.random() < 0.04:  # a recent burst: orders still in flight at "now"
                times.append(now - rng.randrange(3 * DAY))
            else:
                times.append(start + rng.randrange(span))
        times.sort()
        oid = IdGen(rng, "57", 18, self.idx)
        # line item ids are li_base + k; each order owns a block of 1000 ids (returns use +500.., cancellations +700..)
        li_gen = IdGen(rng, "58", 18, self.idx)
        li_base0 = li_gen.base + li_gen.cur
        pkid = IdGen(rng, "1152", 19, self.idx)
        rid = IdGen(rng, "4035", 19, self.idx)
        cid = IdGen(rng, "4036", 19, self.idx)
        uid_base = 7494000000000000000 + self.idx * 10**13
        carriers = CARRIERS[:3] if self.region == "US" else CARRIERS[2:]
        dec, unit = self.dec, 10**self.dec
        tax_bp = self.tax_bp
        ship_fee_base = (
            int(round(5.99 * self.scale * unit)) if dec else max(100, int(round(5.99 * self.scale / 100)) * 100)
        )
        self.orders, self.packages, self.returns, self.cancellations = [], [], [], []
        orderable, otimes = self.orderable, self.orderable_times
        wh = self.sales_warehouse_id
        rnd = rng.random
        randint = rng.randint
        for n_o, ct in enumerate(times):
            o = OrderRow()
            o.shop = self
            o.nid = oid.next()
            o.id = str(o.nid)
            o.create_time = ct
            o.rseed = rng.getrandbits(63)
            o.user_id = str(uid_base + rng.randrange(10**12))
            o.warehouse_id = wh
            o.shipping_type = "TIKTOK" if rnd() < 0.8 else "SELLER"
            o.is_cod = self.region in ("ID", "VN", "PH", "TH", "MY") and rnd() < 0.15
            o.carrier = carriers[rng.randrange(len(carriers))]
            # -- items
            k = bisect.bisect_right(otimes, ct) or 1
            r = rnd()
            ndist = 1 if r < 0.7 else 2 if r < 0.9 else 3 if r < 0.98 else 4
            units = []
            for _ in range(ndist):
                prod = orderable[rng.randrange(k)]
                sku = prod.skus[rng.randrange(len(prod.skus))]
                r = rnd()
                qty = 1 if r < 0.85 else 2 if r < 0.97 else 3
                units.extend([(prod, sku)] * qty)
            o.units = units
            o.li_base = li_base0 + n_o * 1000
            # -- money (minor units)
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
            o.pay = Pay(
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
                sub_total + ship + tax,
            )
            # -- timeline
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
            split = rts is not None and len({u[1].id for u in units}) > 1 and rnd() < 0.15
            rts2 = rts + randint(12 * HOUR, 2 * DAY) if split else None
            coll = max(rts, rts2 or 0) + randint(2 * HOUR, DAY) if rts else None
            deliv = coll + randint(DAY, 6 * DAY) if coll else None
            complete = deliv + randint(7 * DAY, 15 * DAY) if deliv else None
            if paid and cancel_at is None and fate_cancel < 0.06:
                # buyer or seller cancels after payment, before shipment
                cancel_req = hold_end + randint(60, max(120, (rts - hold_end) - 60))
                initiator = "BUYER" if rnd() < 0.75 else "SELLER"
                cancel_at = cancel_req + (randint(60, 6 * HOUR) if initiator == "BUYER" else 0)
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
            o.status = status
            o.paid_time = paid if paid is not None and paid <= now else 0
            o.hold_end = hold_end
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
            o.fin = None
            o.statement = None
            # -- packages
            o.packages = []
            o.unit_pkg = None
            if o.rts_time:
                o.unit_pkg = [None] * len(units)
                groups = [list(range(len(units)))]
                times_ = [rts]
                if split:
                    first_sku = units[0][1].id
                    groups = [
                        [i for i, u in enumerate(units) if u[1].id == first_sku],
                        [i for i, u in enumerate(units) if u[1].id != first_sku],
                    ]
                    times_ = [rts, rts2]
                for g, t0 in zip(groups, times_, strict=True):
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
                    if status == "CANCELLED":
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
                    o.packages.append(pk)
                    self.packages.append(pk)
            # -- cancellations
            if cancel_req is not None and cancel_req <= now:
                c = CancellationRow()
                c.order = o
                c.nid = cid.next()
                c.id = str(c.nid)
                c.li_base = o.li_base + 700
                c.create_time = cancel_req
                c.role = initiator
                c.cancel_type = "BUYER_CANCEL" if initiator == "BUYER" else "CANCEL"
                c.reason = o.cancel_reason or rng.choice(CANCEL_REASONS_BUYER)
                if status == "CANCELLED":
                    refund_done = cancel_at + randint(HOUR, 3 * DAY)
                    if paid is not None and refund_done <= now:
                        c.status = "CANCELLATION_REQUEST_COMPLETE"
                        c.update_time = refund_done
                    else:
                        c.status = "CANCELLATION_REQUEST_SUCCESS"
                        c.update_time = cancel_at
                else:
                    c.status = "CANCELLATION_REQUEST_PENDING"
                    c.update_time = cancel_req
                self.cancellations.append(c)
            elif status in ("COMPLETED", "DELIVERED", "IN_TRANSIT") and rnd() < 0.015:
                # a buyer cancellation request that was withdrawn / rejected before shipment
                c = CancellationRow()
                c.order = o
                c.nid = cid.next()
                c.id = str(c.nid)
                c.li_base = o.li_base + 700
                c.create_time = o.paid_time + randint(HOUR, max(HOUR + 1, o.rts_time - o.paid_time))
                c.update_time = min(c.create_time + randint(HOUR, DAY), now - 1)
                c.status = "CANCELLATION_REQUEST_CANCEL"
                c.role = "BUYER"
                c.cancel_type = "BUYER_CANCEL"
                c.reason = rng.choice(CANCEL_REASONS_BUYER)
                self.cancellations.append(c)
            # -- returns
            if o.delivery_time and rnd() < 0.07:
                req = o.delivery_time + randint(HOUR, 6 * DAY)
                if req <= now:
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
                                    st
                                    if rt.return_type != "REPLACEMENT" or "COMPLETE" not in st
                                    else "REPLACEMENT_REQUEST_COMPLETE",
                                    t,
                                )
                            )
                    done = [s for s in steps if s[1] <= now]
                    rt.status, rt.update_time = done[-1]
                    shipped = any(s[0] == "BUYER_SHIPPED_ITEM" for s in done)
                    rt.tracking = f"RT{rt.nid % 10**12:012d}" if shipped else ""
                    self.returns.append(rt)
            # -- settlement figures for completed orders
            if status == "COMPLETED":
                revenue = original - sdisc
                commission = -(revenue * 6 // 100)
                txn_fee = -(revenue * 29 // 1000)
                affiliate = -(revenue * 10 // 100) if rnd() < 0.15 else 0
                actual_ship = ship_orig + (randint(0, ship_orig // 5) if ship_orig > 5 else 0)
                o.fin = Fin(original, sdisc, revenue, commission, txn_fee, affiliate, actual_ship, ship, ship_plat)
            self.orders.append(o)
        self.order_by_id = {o.id: o for o in self.orders}
        self.package_by_id = {p.id: p for p in self.packages}

    def _gen_finance(self, rng, start, now):
        dec = self.dec
        by_day: dict[int, list[OrderRow]] = {}
        for o in self.orders:
            if o.fin is not None:
                day = o.complete_time - o.complete_time % DAY
                by_day.setdefault(day, []).append(o)
        stid = IdGen(rng, "7091", 19, self.idx)
        txid = IdGen(rng, "7092", 19, self.idx)
        payid = IdGen(rng, "7129", 19, self.idx)
        self.statements, self.payments = [], []
        self.txns_by_statement: dict[str, list[TxnRow]] = {}
        self.statement_by_id: dict[str, StatementRow] = {}
        for day in sorted(by_day):
            st_time = day + DAY
            if st_time >= now:
                continue  # the statement for the last day is generated at 00:00 after "now"
            orders = by_day[day]
            sid = str(stid.next())
            txns = []
            rev = fee = ship = adj = 0
            for o in orders:
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
                target = orders[rng.randrange(len(orders))]
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
                    "currency": self.currency,
                    "payment_status": pstatus,
                    "payment_id": str(pay_nid),
                }
            )
            if paid_time:
                st.data["payment_time"] = paid_time
            st.shop = self
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
                    "amount": {"value": money(settlement, dec), "currency": self.currency},
                    "settlement_amount": {"value": money(settlement, dec), "currency": self.currency},
                    "reserve_amount": {"value": money(0, dec), "currency": self.currency},
                    "payment_amount_before_exchange": {"value": money(settlement, dec), "currency": self.currency},
                    "exchange_rate": "1",
                    "bank_account": f"****{rng.randint(1000, 9999)}",
                }
            )
            if paid_time:
                pay.data["paid_time"] = paid_time
            st.payment = pay
            pay.shop_statement = st
            self.statements.append(st)
            self.payments.append(pay)
            self.statement_by_id[sid] = st
            self.txns_by_statement[sid] = txns
        self.payment_by_id = {p.id: p for p in self.payments}
        self.statement_by_payment = {s.data["payment_id"]: s for s in self.statements}
        # withdrawals: weekly WITHDRAW and SETTLE, monthly TRANSFER, a rare REVERSE
        wid = IdGen(rng, "7130", 19, self.idx)
        self.withdrawals = []
        t = start + rng.randint(DAY, 3 * DAY)
        k = 0
        while t < now:
            kinds = (
                ["SETTLE", "WITHDRAW"]
                + (["TRANSFER"] if k % 4 == 3 else [])
                + (["REVERSE"] if rng.random() < 0.03 else [])
            )
            for j, typ in enumerate(kinds):
                ct = t + j * rng.randint(HOUR, 6 * HOUR)
                if ct >= now:
                    continue
                amt = rng.randint(20, 2000) * 10**dec * (1 if typ in ("SETTLE", "REVERSE") else -1)
                self.withdrawals.append(
                    DictRow(
                        {
                            "id": str(wid.next()),
                            "type": typ,
                            "amount": money(amt, dec),
                            "currency": self.currency,
                            "status": "PROCESSING"
                            if now - ct < DAY
                            else ("FAILED" if rng.random() < 0.03 else "SUCCESS"),
                            "create_time": ct,
                        }
                    )
                )
            t += 7 * DAY
            k += 1

    def _gen_activities(self, rng, n, start, now):
        aid = IdGen(rng, "7305", 19, self.idx)
        self.activities = []
        for ct in _promotion_create_times(rng, n, start, now):
            begin = ct + rng.randint(HOUR, 5 * DAY)
            end = begin + rng.randint(3 * DAY, 30 * DAY)
            status = _promotion_status(rng, begin, end, now)
            upd = min(now - 1, ct + rng.randint(0, max(1, min(end, now) - ct)))
            typ = rng.choice(ACTIVITY_TYPES)
            self.activities.append(
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

    def _gen_coupons(self, rng, n, start, now):
        cid = IdGen(rng, "7306", 19, self.idx)
        dec, unit = self.dec, 10**self.dec
        scale = self.scale
        self.coupons = []
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
                else {"type": "FIXED_AMOUNT", "fixed_amount": {"currency": self.currency, "amount": money(off, dec)}}
            )
            self.coupons.append(
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
                            "minimum_spend": {"currency": self.currency, "amount": money(minspend, dec)},
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


class World:
    """The whole seeded dataset: shops with their resources, plus the shared category tree."""

    def __init__(
        self,
        seed: int = 1,
        shops: int = 2,
        orders: int = 500,
        start: str = "2025-01-01",
        end: str = "2025-06-30",
        counts: dict | None = None,
    ):
        if shops < 0:
            raise ValueError("shops must be >= 0")
        if orders < 0:
            raise ValueError("orders must be >= 0")
        self.seed = seed
        self.start_ts = parse_date(start)
        self.now_ts = parse_date(end) + DAY  # "now" of the generated world: end of the end date
        if self.now_ts - self.start_ts < 2 * DAY:
            raise ValueError("end must be at least one day after start")
        self.start, self.end = start, end
        self.version = 0  # bumped by every mutation (touch)
        master = random.Random(seed)
        alnum = "abcdefghijklmnopqrstuvwxyz0123456789"
        self.app_key = "6" + "".join(master.choice(alnum) for _ in range(12))
        self.app_secret = "".join(master.choice("0123456789abcdef") for _ in range(40))
        self.token_secret = master.getrandbits(256).to_bytes(32, "big")
        self._brand_rng = random.Random(master.getrandbits(64))
        self._brands: dict[tuple[str, int], tuple[str, str]] = {}
        self._build_categories()
        self.shops: list[Shop] = []
        shop_seeds = [master.getrandbits(64) for _ in range(shops)]
        counts = dict(counts or {})
        for i in range(shops):
            shop = Shop(self, i, random.Random(shop_seeds[i]))
            shop.generate(orders, counts)
            self.shops.append(shop)
        self.shop_by_id = {s.id: s for s in self.shops}
        self.shop_by_cipher = {s.cipher: s for s in self.shops}
        self._touch_count = 0

    def global_brand(self, name: str, n: int) -> tuple[str, str]:
        key = (name, n)
        if key not in self._brands:
            nid = 7082427311584347905 + int.from_bytes(name.encode()[:4].ljust(4, b"\0"), "big") * 1000 + n
            self._brands[key] = (str(nid), name if n == 0 else f"{name} {n + 1}")
        return self._brands[key]

    def _build_categories(self):
        parents = {p for _, p, _ in CATEGORY_TREE}
        self.categories = []
        for cid, parent, name in CATEGORY_TREE:
            self.categories.append(
                {
                    "id": cid,
                    "parent_id": parent,
                    "local_name": name,
                    "is_leaf": cid not in parents,
                    "permission_statuses": ["AVAILABLE"] if cid != "601100" else ["INVITE_ONLY"],
                }
            )
        self.category_by_id = {c["id"]: c for c in self.categories}

    # -- ground truth ----------------------------------------------------------------------------------------

    def records(self, resource: str) -> dict[str, list[dict]]:
        if resource not in RESOURCES:
            raise ValueError(f"unknown resource {resource!r}; one of {', '.join(RESOURCES)}")
        out = {}
        for s in self.shops:
            out[s.id] = [deep_copy(r) for r in self._shop_records(s, resource)]
        return out

    def _shop_records(self, s: Shop, resource: str):
        if resource == "shops":
            return [s.info()]
        if resource == "orders":
            return [o.render() for o in s.orders]
        if resource == "products":
            return [p.summary() for p in s.products]
        if resource == "product_details":
            return [p.detail() for p in s.products if p.status not in HIDDEN_FROM_GET_PRODUCT]
        if resource == "returns":
            return [r.render() for r in s.returns]
        if resource == "cancellations":
            return [c.render() for c in s.cancellations]
        if resource == "packages":
            return [p.render() for p in s.packages]
        if resource == "statements":
            return [st.render() for st in s.statements]
        if resource == "statement_transactions":
            out = []
            for st in s.statements:
                for t in st.txns:
                    d = t.render()
                    d["statement_id"] = st.id
                    out.append(d)
            return out
        if resource == "payments":
            return [p.render() for p in s.payments]
        if resource == "withdrawals":
            return [w.render() for w in s.withdrawals]
        if resource == "warehouses":
            return [w.render() for w in s.warehouses]
        if resource == "categories":
            return self.categories
        if resource == "brands":
            return s.brands
        if resource == "promotion_activities":
            return [a.render() for a in s.activities]
        if resource == "coupons":
            return [c.render() for c in s.coupons]
        raise AssertionError(resource)

    # -- mutation --------------------------------------------------------------------------------------------

    def _rows(self, s: Shop, resource: str):
        return {
            "orders": s.orders,
            "products": s.products,
            "product_details": s.products,
            "returns": s.returns,
            "cancellations": s.cancellations,
            "packages": s.packages,
            "promotion_activities": s.activities,
            "coupons": s.coupons,
            "statements": s.statements,
            "payments": s.payments,
        }[resource]

    def touch(self, resource: str, n: int, shop_id: str | None = None, now: int | None = None) -> list[str]:
        """Bump ``update_time`` of ``n`` records (statements/payments: change the payment status)."""
        if resource not in TOUCHABLE_UPDATE_TIME + TOUCHABLE_STATUS:
            raise ValueError(f"resource {resource!r} cannot be touched")
        shops = [self.shop_by_id[shop_id]] if shop_id is not None else self.shops
        candidates = [r for s in shops for r in self._rows(s, resource)]
        self._touch_count += 1
        rng = random.Random(f"touch:{self.seed}:{self._touch_count}")
        chosen = rng.sample(candidates, min(n, len(candidates)))
        now = int(_time.time()) if now is None else now
        ids = []
        for r in chosen:
            if resource in TOUCHABLE_STATUS:
                st = r if resource == "statements" else r.shop_statement
                self._flip_payment(st, now)
            elif isinstance(r, DictRow):
                r.data["update_time"] = max(now, r.data["update_time"] + 1)
            else:
                r.update_time = max(now, r.update_time + 1)
            ids.append(r.id)
        self.version += 1
        return ids

    @staticmethod
    def _flip_payment(st: StatementRow, now: int):
        nxt = {"PROCESSING": "PAID", "FAILED": "PAID", "PAID": "FAILED"}[st.data["payment_status"]]
        st.data["payment_status"] = nxt
        st.payment.data["status"] = nxt
        if nxt == "PAID":
            st.data["payment_time"] = now
            st.payment.data["paid_time"] = now
        else:
            st.data.pop("payment_time", None)
            st.payment.data.pop("paid_time", None)
