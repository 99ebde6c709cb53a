"""Products and their SKUs: Search Products (202502) and Get Product (202309) shapes."""

from __future__ import annotations

import random

from .common import DAY, IdGen, amount, image, money, weighted

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
# TikTok's notes: the audit status of a product in each status (drafts, deactivated and frozen ones are not audited)
AUDIT_STATUS = {"ACTIVATE": "APPROVED", "PENDING": "AUDITING", "FAILED": "FAILED"}
# the product status apart from the audit: a product waiting for or failing its first audit is still INITIAL
PRODUCT_STATUS = {"PENDING": "INITIAL", "FAILED": "INITIAL"}
SKU_DEACTIVATION = {"SELLER_DEACTIVATED": "SELLER", "PLATFORM_DEACTIVATED": "PLATFORM"}

APPAREL = {"T-Shirt", "Hoodie", "Sneakers"}
CERTIFIED = {"Lip Gloss": "Cosmetic Product Safety Report", "Face Serum": "Cosmetic Product Safety Report",
             "Charger": "FCC Declaration of Conformity", "Earbuds": "FCC Declaration of Conformity"}  # fmt: skip
SUBSCRIBABLE = {"Face Serum", "Lip Gloss", "Candle", "Coffee Mug", "Water Bottle"}
CAPACITY_ML = {"Water Bottle": 750, "Coffee Mug": 350}  # a measured attribute, with a metric template
COD_MARKETS = {"ID", "MY", "PH", "TH", "VN"}  # TikTok's notes on is_cod_allowed (SA is not a sandbox market)
EU = {"DE"}
SHIPPING_TEMPLATE = "7200000000000000001"


class Sku:
    __slots__ = ("id", "seller_sku", "price", "list_price", "name", "color", "size", "stock")

    def __init__(self, id_, seller_sku, price, list_price, name, color, size):
        self.id = id_
        self.seller_sku = seller_sku
        self.price = price
        self.list_price = list_price
        self.name = name
        self.color = color
        self.size = size
        self.stock = 0  # units in the sales warehouse


class ProductRow:
    """A product.  ``traits`` name what kind of listing it is (a print-on-demand shirt, a pre-sale, an auction...),
    drawn once so that Search Products, Get Product and the orders agree; ``bundle`` is the (product, sku) pairs a
    virtual bundle is made of (None for other products)."""

    __slots__ = (
        "shop",
        "id",
        "nid",
        "create_time",
        "update_time",
        "status",
        "title",
        "noun",
        "skus",
        "category",
        "brand",
        "rseed",
        "traits",
        "bundle",
        "in_bundle",
        "family",
        "pre_sale",
    )

    @property
    def seller_skus(self) -> list[str]:
        return [s.seller_sku for s in self.skus]

    @property
    def sku_ids(self) -> list[str]:
        return [s.id for s in self.skus]

    def main_image(self, i: int = 0) -> dict:
        return image(f"tos-maliva-i-o3syd03w52-us/{self.nid:x}{i}")

    @property
    def selling_format(self) -> str:
        return "FIXED_PRICE_AND_LIVE_AUCTION" if "auction" in self.traits else "FIXED_PRICE"

    def _price(self, sku: Sku) -> dict:
        shop = self.shop
        # a cross-border seller's tax-exclusive price leaves out the VAT (20 % here); a local seller's is the price
        excl = sku.price * 5 // 6 if shop.seller_type == "CROSS_BORDER" else sku.price
        price = {
            "currency": shop.currency,
            "sale_price": money(sku.price, shop.dec),
            "tax_exclusive_price": money(excl, shop.dec),
        }
        if "auction" in self.traits:
            price["starting_bid_price"] = money(sku.price // 2, shop.dec)
        return price

    def _sku_offer(self, sku: Sku) -> dict:
        """The SKU fields Search Products and Get Product share."""
        shop = self.shop
        out = {
            "id": sku.id,
            "seller_sku": sku.seller_sku,
            "price": self._price(sku),
            "inventory": [
                {
                    "warehouse_id": shop.sales_warehouse_id,
                    "quantity": sku.stock,
                    "backorder_quantity": 20 if "backorder" in self.traits else 0,
                    "handling_time": 5 if "backorder" in self.traits else 0,
                }
            ],
            "list_price": amount(sku.list_price, shop),
        }
        if "external_price" in self.traits:
            out["external_list_prices"] = [
                {"source": "SHOPIFY_COMPARE_AT_PRICE", **amount(sku.list_price + sku.list_price // 10, shop)}
            ]
        if self.pre_sale is not None:
            out["pre_sale"] = self.pre_sale
        source = SKU_DEACTIVATION.get(self.status)
        out["status_info"] = (
            {"status": "DEACTIVATED", "deactivation_source": source} if source else {"status": "NORMAL"}
        )
        if "pfand" in self.traits:  # Germany's bottle deposit
            out["fees"] = [{"type": "PFAND", "amount": "0.25", "additional_attribute": "SINGLE_USE"}]
        return out

    def _families(self) -> list[dict]:
        return [{"id": self.family[0], "products": [{"id": pid} for pid in self.family[1]]}]

    def _recommended_category(self) -> list[dict]:
        leaf = self.shop.world.category_by_id[self.category]
        return [{"id": leaf["id"], "local_name": leaf["local_name"]}]

    def summary(self) -> dict:
        """The shape Search Products (202502) returns."""
        shop = self.shop
        out = {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "skus": [self._sku_offer(sku) for sku in self.skus],
            "sales_regions": [shop.region],
            "create_time": self.create_time,
            "update_time": self.update_time,
            "product_sync_fail_reasons": ["Missing local product certification"]
            if shop.seller_type == "CROSS_BORDER" and self.status == "FAILED"
            else [],
            "is_not_for_sale": False,
            "recommended_categories": self._recommended_category(),
            "audit": {"status": AUDIT_STATUS.get(self.status, "NONE"), "pre_approved_reasons": []},
            "has_draft": self.status == "DRAFT",
            "scheduled_sale": self._scheduled_sale(),
            "product_tags": ["AUCTION"] if "auction" in self.traits else [],
            "selling_format": self.selling_format,
        }
        if shop.region == "US":
            out["listing_quality_tier"] = ("GOOD", "FAIR", "POOR", "EXCELLENT")[self.nid % 4]
        if shop.region == "ID":  # listed on Tokopedia too
            out["integrated_platform_statuses"] = [{"platform": "TOKOPEDIA", "status": self.status}]
        if self.family is not None:
            out["product_families"] = self._families()
        return out

    def _scheduled_sale(self) -> dict:
        if "scheduled" in self.traits:  # a draft set to go live later; TikTok gives this time in milliseconds
            return {"is_enabled_scheduled_sale": True, "schedule_sale_time": (self.update_time + 3 * DAY) * 1000}
        return {"is_enabled_scheduled_sale": False, "schedule_sale_time": 0}

    def detail(self) -> dict:
        """The shape Get Product (202309) returns."""
        shop = self.shop
        world = shop.world
        rng = random.Random(self.rseed ^ 0x5A5A)
        chain = _category_chain(world, self.category)
        out = {
            "audit": {
                "status": AUDIT_STATUS.get(self.status, "NONE"),
                "pre_approved_reasons": [],
                "not_submitted_reasons": [],
            },
            "audit_failed_reasons": []
            if self.status != "FAILED"
            else [
                {
                    "listing_platform": "TIKTOK_SHOP",
                    "position": "product title",
                    "reasons": ["Title contains prohibited words"],
                    "suggestions": ["Edit the title"],
                }
            ],
            "category_chains": chain,
            "create_time": self.create_time,
            "delivery_options": [{"id": "7129737848238262062", "name": "Standard shipping", "is_available": True}],
            "description": f"<p>{self.title}. {rng.choice(ADJ)} quality, made to last.</p>"
            f"<ul><li>Ships from {shop.region}</li><li>Care: hand wash</li></ul>",
            "external_product_id": "",
            "has_draft": self.status == "DRAFT",
            "id": self.id,
            "is_cod_allowed": shop.region in COD_MARKETS,
            "is_not_for_sale": False,
            "is_pre_owned": False,
            "is_replicated": False,
            "key_product_features": [f"{rng.choice(ADJ)} design", "Easy care"],
            "main_images": [self.main_image(i) for i in range(rng.randint(1, 4))],
            "minimum_order_quantity": 1,
            "package_dimensions": _box(rng, 30, 60, 40),
            "package_weight": {"unit": "KILOGRAM", "value": f"{rng.randint(1, 500) / 100:.2f}"},
            "prescription_requirement": {"needs_prescription": False},
            "product_attributes": self._attributes(rng),
            "product_status": PRODUCT_STATUS.get(self.status, self.status),
            "product_tags": ["AUCTION"] if "auction" in self.traits else [],
            "product_types": ["COMBINED_PRODUCT"]
            if self.bundle
            else (["IN_COMBINED_PRODUCT"] if self.in_bundle else []),
            "recommended_categories": self._recommended_category(),
            "scheduled_sale": self._scheduled_sale(),
            "search_terms": [self.noun.lower(), f"{self.noun.lower()} gift"],
            "shipping_template_id": SHIPPING_TEMPLATE,
            "skus": [self._sku_detail(sku, rng) for sku in self.skus],
            "status": self.status,
            "title": self.title,
            "update_time": self.update_time,
            "selling_format": self.selling_format,
            "is_blind_box": "blind_box" in self.traits,
        }
        if self.brand is not None:  # no brand: no `brand` key (a null crashes some clients)
            b = shop.brands[self.brand]
            out["brand"] = {"id": b["id"], "name": b["name"]}
        if self.noun in CERTIFIED:
            out["certifications"] = [self._certification()]
        if shop.seller_type == "CROSS_BORDER":
            out["global_product_association"] = self._global_association()
        if shop.region == "ID":
            out["integrated_platform_statuses"] = [{"platform": "TOKOPEDIA", "status": self.status}]
            out["shipping_insurance_requirement"] = "OPTIONAL"
        if shop.region == "US":
            out["listing_quality_tier"] = ("GOOD", "FAIR", "POOR", "EXCELLENT")[self.nid % 4]
        if shop.region in EU:
            out["manufacturer_ids"] = [f"7250{shop.idx:02d}0000000000{self.nid % 10:03d}"]
            out["responsible_person_ids"] = [f"7251{shop.idx:02d}0000000000{self.nid % 10:03d}"]
        if "pod" in self.traits:
            out["pod_info"] = self._pod_info()
        if self.bundle:
            out["primary_combined_product_id"] = self.bundle[0][0].id
        if self.family is not None:
            out["product_families"] = self._families()
        if self.noun in APPAREL:
            out["size_chart"] = {
                "image": image(f"tos-maliva-i-o3syd03w52-us/size-chart-{self.noun.lower()}", 1000, 750),
                "template": {"id": f"7300000000000000{APPAREL_ORDER[self.noun]:03d}"},
            }
        if "subscribe" in self.traits:
            out["subscribe_info"] = SUBSCRIBE_INFO
        if "video" in self.traits:
            out["video"] = {
                "cover_url": f"https://p16-oec-va.ibyteimg.com/tos-maliva-v-o3syd03w52-us/{self.nid:x}~cover.jpeg",
                "format": "MP4",
                "height": 1280,
                "id": f"v10044g50000{self.nid:x}",
                "size": 4 + self.nid % 20,
                "url": f"https://v16-oec.tiktokcdn.com/{self.nid:x}.mp4",
                "width": 720,
            }
        return out

    def sales_attributes(self, sku: Sku) -> list[dict]:
        """The variant's attributes; the primary one (colour) carries the SKU's picture."""
        attrs = []
        for attr_id, name, value_id, value in _sales_attributes(sku):
            attr = {"id": attr_id, "name": name, "value_id": value_id, "value_name": value}
            if name == "Color":
                attr["sku_img"] = image(f"tos-maliva-i-o3syd03w52-us/{self.nid:x}-{value.lower()}")
                if self.shop.region == "US":
                    attr["supplementary_sku_images"] = [
                        image(f"tos-maliva-i-o3syd03w52-us/{self.nid:x}-{value.lower()}-side")
                    ]
            attrs.append(attr)
        return attrs

    def _attributes(self, rng: random.Random) -> list[dict]:
        material = rng.choice(["Cotton", "Polyester", "Silicone", "Stainless Steel", "Glass", "Leather"])
        attributes = [
            {"id": "100392", "name": "Material", "values": [{"id": "1000083", "name": material}]},
            {"id": "100198", "name": "Warranty Type", "values": [{"id": "1000512", "name": "No Warranty"}]},
        ]
        ml = CAPACITY_ML.get(self.noun)
        if ml is not None:
            attributes.append(
                {
                    "id": "101616",
                    "name": "Capacity",
                    "values": [
                        {
                            "id": "1001650",
                            "name": f"{ml} ml",
                            "metric_standard_info": {
                                "id": "7100000000000000001",
                                "metric_value_module_infos": [
                                    {
                                        "id": "7100000000000000011",
                                        "value": str(ml),
                                        "unit_id": "1002",
                                        "unit_name": "ml",
                                        "suffix": "ml",
                                        "prefix": "",
                                    }
                                ],
                            },
                        }
                    ],
                }
            )
        return attributes

    def _certification(self) -> dict:
        title = CERTIFIED[self.noun]
        uri = f"tos-maliva-i-o3syd03w52-us/cert-{self.nid:x}"
        return {
            "expiration_date": self.create_time + 2 * 365 * DAY,
            "files": [
                {
                    "format": "PDF",
                    "id": f"v09ea0g40000cert{self.nid % 10**8:08d}",
                    "name": f"{title}.pdf",
                    "urls": [f"https://p16-oec-va.ibyteimg.com/{uri}.pdf"],
                }
            ],
            "id": "7182427311584347905",
            "images": [image(uri, 1240, 1754)],
            "title": title,
        }

    def _global_association(self) -> dict:
        """A cross-border seller lists a global product in each market: its SKUs map to the local ones."""
        base = 1729000000000000000 + self.nid % 10**15
        return {
            "global_product_id": str(base),
            "sku_mappings": [
                {
                    "global_sku_id": str(base + 1 + k),
                    "local_sku_id": sku.id,
                    "sales_attribute_mappings": [
                        {
                            "global_attribute_id": attr_id,
                            "global_value_id": str(int(value_id) + 1000),
                            "local_attribute_id": attr_id,
                            "local_value_id": value_id,
                        }
                        for attr_id, _name, value_id, _value in _sales_attributes(sku)
                    ],
                }
                for k, sku in enumerate(self.skus)
            ],
        }

    def _pod_info(self) -> dict:
        """A print-on-demand template: the buyer adds a text and an image to the front of the item."""
        base = f"tos-maliva-i-o3syd03w52-us/pod-{self.nid:x}"
        return {
            "pod_templates": [
                {
                    "pod_template_id": f"7301{self.nid % 10**15:015d}",
                    "remark": "Upload a square image; text up to 20 characters.",
                    "sku_ids": self.sku_ids,
                    "surfaces": [
                        {
                            "background_image": image(f"{base}-front", 1200, 1200),
                            "custom_areas": [
                                {
                                    "area_name": "Name",
                                    "area_placement": {
                                        "height": "80.00",
                                        "rotate_degree": "0.00",
                                        "width": "400.00",
                                        "x_coordinate": "400.00",
                                        "y_coordinate": "300.00",
                                    },
                                    "area_type": "TEXT",
                                    "external_area_id": "front-text",
                                    "is_required": True,
                                    "text_area": {
                                        "align_type": "CENTER",
                                        "colors": ["#FFFFFF", "#000000"],
                                        "default_text": "Your name",
                                        "fonts": ["ROBOTO", "PACIFICO"],
                                        "max_text_length": 20,
                                    },
                                },
                                {
                                    "area_name": "Picture",
                                    "area_placement": {
                                        "height": "400.00",
                                        "rotate_degree": "0.00",
                                        "width": "400.00",
                                        "x_coordinate": "400.00",
                                        "y_coordinate": "420.00",
                                    },
                                    "area_type": "IMAGE",
                                    "external_area_id": "front-image",
                                    "image_area": {
                                        "default_image": image(f"{base}-default", 400, 400),
                                        "min_height": 300,
                                        "min_width": 300,
                                    },
                                    "is_required": False,
                                },
                            ],
                            "external_surface_id": "front",
                            "mask_image": image(f"{base}-mask", 1200, 1200),
                            "surface_name": "Front Side",
                        }
                    ],
                    "template_name": f"{self.noun} front print",
                }
            ]
        }

    def _sku_detail(self, sku: Sku, rng: random.Random) -> dict:
        shop = self.shop
        out = {
            **self._sku_offer(sku),
            "sales_attributes": self.sales_attributes(sku),
            "identifier_code": {"code": f"{rng.randint(10**11, 10**12 - 1)}", "type": "UPC"},
            "external_sku_id": "",
            "external_urls": [],
            "sku_dimensions": _box(rng, 20, 40, 30),
            "sku_weight": {"unit": "KILOGRAM", "value": f"{rng.randint(50, 2000) / 1000:.3f}"},
        }
        if shop.region in EU:  # unit price of 100 ml / one piece
            ml = CAPACITY_ML.get(self.noun)
            out["sku_unit_count"] = str(ml) if ml else "1"
            out["price"]["unit_price"] = money(sku.price * 100 // ml if ml else sku.price, shop.dec)
            if self.bundle:
                out["extra_identifier_codes"] = [f"40{c[1].id[-11:]}" for c in self.bundle]
        if "order_limit" in self.traits:
            out["purchase_order_quantity_limit"] = {"maximum_order_quantity": 2, "cumulative_order_quantity": 4}
        if shop.seller_type == "CROSS_BORDER":
            out["global_listing_policy"] = {
                "inventory_type": "EXCLUSIVE",
                "price_sync": False,
                "replicate_source": {"product_id": "", "shop_id": "", "sku_id": ""},
            }
        if self.bundle:
            out["combined_skus"] = [_combined_sku(product, part) for product, part in self.bundle]
        return out

    def render(self) -> dict:
        return self.summary()


APPAREL_ORDER = {noun: i for i, noun in enumerate(sorted(APPAREL))}
SUBSCRIBE_INFO = {
    "subscribe_discount_details": [
        {"discount_level": "REGULAR", "discount_value": 5},
        {"discount_level": "FIRST_ORDER", "discount_value": 10},
    ],
    "subscribe_promotion_config": [
        {"discount_level": "REGULAR", "discount_options": [5, 10, 15], "max_discount": 15, "min_discount": 5},
        {"discount_level": "FIRST_ORDER", "discount_options": [10, 15, 20], "max_discount": 20, "min_discount": 10},
    ],
    "subscribe_status": "ENABLED",
    "support_subscribe": True,
}


def _box(rng: random.Random, height: int, length: int, width: int) -> dict:
    """Dimensions in whole centimetres, up to these."""
    return {
        "height": str(rng.randint(1, height)),
        "length": str(rng.randint(5, length)),
        "unit": "CENTIMETER",
        "width": str(rng.randint(5, width)),
    }


def _category_chain(world, category: str) -> list[dict]:
    """The category and its ancestors, root first."""
    chain = []
    while category != "0":
        node = world.category_by_id[category]
        chain.append(
            {
                "id": node["id"],
                "is_leaf": node["is_leaf"],
                "local_name": node["local_name"],
                "parent_id": node["parent_id"],
            }
        )
        category = node["parent_id"]
    chain.reverse()
    return chain


def _sales_attributes(sku: Sku) -> list[tuple[str, str, str, str]]:
    """(attribute id, name, value id, value) of the SKU's variant."""
    out = []
    if sku.color:
        out.append(("100000", "Color", str(7000000000000000000 + COLORS.index(sku.color)), sku.color))
    if sku.size:
        out.append(("100007", "Size", str(7000000000000000100 + SIZES.index(sku.size)), sku.size))
    return out


def _combined_sku(product: ProductRow, sku: Sku) -> dict:
    """One SKU of another product that a virtual bundle is made of."""
    shop = product.shop
    out = {
        "categories": _category_chain(shop.world, product.category),
        "combined_listing_not_live_reasons": [],
        "inventory": [{"quantity": sku.stock, "warehouse_id": shop.sales_warehouse_id}],
        "price": {
            "currency": shop.currency,
            "sale_price": money(sku.price, shop.dec),
            "tax_exclusive_price": money(sku.price, shop.dec),
        },
        "product_id": product.id,
        "product_main_image": product.main_image(),
        "sales_attributes": product.sales_attributes(sku),
        "seller_sku": sku.seller_sku,
        "sku_count": 1,
        "sku_id": sku.id,
        "title": product.title,
    }
    if product.status in SKU_DEACTIVATION:
        out["combined_listing_not_live_reasons"] = ["SUB_PRODUCT_DEACTIVATE"]
    if product.brand is not None:
        b = shop.brands[product.brand]
        out["brand"] = {"id": b["id"], "name": b["name"]}
    return out


def _traits(shop, noun: str, status: str, t: random.Random) -> frozenset:
    """What kind of listing a product is, by its market and what it is."""
    us = shop.region == "US"
    chances = (
        ("pod", us and noun in ("T-Shirt", "Hoodie", "Tote Bag"), 0.3),
        ("blind_box", us and noun in ("Hair Clip", "Phone Case"), 0.2),
        ("auction", us, 0.03),
        ("subscribe", us and noun in SUBSCRIBABLE, 0.5),
        ("external_price", us, 0.2),
        ("family", us and shop.seller_type == "LOCAL", 0.25),
        ("backorder", us, 0.1),
        ("order_limit", True, 0.15),
        ("video", True, 0.4),
        ("scheduled", status == "DRAFT", 0.5),
        ("pfand", shop.region == "DE" and noun == "Water Bottle", 1.0),
    )
    return frozenset(name for name, applies, chance in chances if applies and t.random() < chance)


def _pre_sale(shop, t: random.Random, create_time: int) -> dict | None:
    """One product in twenty is sold ahead: made to order or pre-ordered (US), pre-ordered elsewhere."""
    if t.random() >= 0.05:
        return None
    if shop.region != "US":
        return {"type": "PRE_ORDER", "fulfillment_type": {"handling_duration_days": t.randint(3, 30)}}
    kind = t.choice(("PRE_ORDER", "MADE_TO_ORDER", "CUSTOM"))
    if kind == "PRE_ORDER":
        return {"type": kind, "fulfillment_type": {"release_date": create_time + t.randint(3, 60) * DAY}}
    return {"type": kind, "fulfillment_type": {"handling_duration_days": t.randint(3, 14)}}


def generate_products(shop, rng: random.Random, n: int, start: int, now: int) -> list[ProductRow]:
    """``n`` products in creation order: the first and 60 % of the others created before the world starts.

    What kind of listing each is (``traits``, bundles, families) is drawn from the product's own seed, so the shop's
    generator draws as much for a product whatever it turns out to be.
    """
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
    products, singles = [], []
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
        p.noun = noun
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
        t = random.Random(p.rseed ^ 0x7A17)
        for sku in p.skus:
            sku.stock = t.randint(0, 500)
        p.traits = _traits(shop, noun, p.status, t)
        p.pre_sale = _pre_sale(shop, t, ct) if "auction" not in p.traits else None
        p.in_bundle = False
        p.bundle = _bundle(singles, t)
        p.family = None
        products.append(p)
        if p.bundle is None:
            singles.append(p)
    _families(shop, products)
    return products


def _bundle(singles: list[ProductRow], t: random.Random) -> list | None:
    """One product in twenty (once there are a few to choose from) is a virtual bundle of two of the ``singles``'
    SKUs (the products before it that are no bundles)."""
    if t.random() >= 0.05 or len(singles) < 5:
        return None
    parts = t.sample(singles, 2)
    for part in parts:
        part.in_bundle = True
    return [(part, part.skus[t.randrange(len(part.skus))]) for part in parts]


def _families(shop, products: list[ProductRow]):
    """US local products of the same kind that are flagged as a family form one (when there are two or more)."""
    by_noun: dict[str, list[ProductRow]] = {}
    for p in products:
        if "family" in p.traits:
            by_noun.setdefault(p.noun, []).append(p)
    for noun, members in by_noun.items():
        if len(members) < 2:
            continue
        family = (f"7401{shop.idx:02d}{NOUN.index(noun):013d}", [m.id for m in members])
        for m in members:
            m.family = family
