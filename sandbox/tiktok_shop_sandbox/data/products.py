"""Products and their SKUs: Search Products (202502) and Get Product (202309) shapes."""

from __future__ import annotations

import random

from .common import DAY, IdGen, money, weighted

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
    )

    @property
    def seller_skus(self) -> list[str]:
        return [s.seller_sku for s in self.skus]

    @property
    def sku_ids(self) -> list[str]:
        return [s.id for s in self.skus]

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


def generate_products(shop, rng: random.Random, n: int, start: int, now: int) -> list[ProductRow]:
    """``n`` products in creation order: the first and 60 % of the others created before the world starts."""
    span = now - start
    times = []
    for i in range(n):
        if i == 0 or rng.random() < 0.6:
            times.append(start - rng.randint(1, 180 * DAY))
        else:
            times.append(start + rng.randrange(span))
    times.sort()
    pid = IdGen(rng, "1729", 19, shop.idx)
    sid = IdGen(rng, "1731", 19, shop.idx)
    products = []
    dec, scale = shop.dec, shop.scale
    unit = 10**dec
    for i, ct in enumerate(times):
        p = ProductRow()
        p.shop = shop
        p.nid = pid.next()
        p.id = str(p.nid)
        p.create_time = ct
        p.status = "ACTIVATE" if i == 0 else weighted(rng, PRODUCT_STATUSES)
        r = rng.random()
        if r < 0.5:
            p.update_time = ct + rng.randint(0, 3 * DAY)
        else:
            p.update_time = ct + int((now - ct) * rng.random())
        p.update_time = min(p.update_time, now - 1)
        noun = rng.choice(NOUN)
        p.title = f"{rng.choice(ADJ)} {rng.choice(COLORS) if rng.random() < 0.3 else ''} {noun}".replace("  ", " ")
        p.category = NOUN_CATEGORY[noun]
        p.brand = rng.randrange(len(shop.brands)) if shop.brands and rng.random() < 0.7 else None
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
        products.append(p)
    return products
