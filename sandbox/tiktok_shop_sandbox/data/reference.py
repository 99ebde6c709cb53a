"""Reference data: warehouses, brands and the category tree."""

from __future__ import annotations

import random

from .common import CITIES, FIRST, LAST, STREETS, DictRow, IdGen

# where the warehouses are: the first city of each market (latitude, longitude)
GEOLOCATION = {
    "Los Angeles": ("34.0522", "-118.2437"),
    "London": ("51.5072", "-0.1276"),
    "Jakarta Selatan": ("-6.2615", "106.8106"),
    "Shah Alam": ("3.0733", "101.5185"),
    "Bang Rak": ("13.7308", "100.5214"),
    "District 1": ("10.7756", "106.7019"),
    "Makati": ("14.5547", "121.0244"),
    "Singapore": ("1.2897", "103.8501"),
    "Berlin": ("52.5200", "13.4050"),
    "Ciudad de Mexico": ("19.4326", "-99.1332"),
}

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


def categories() -> list[dict]:
    """The category tree every shop shares, as Get Categories returns it; leaves are the nodes with no child."""
    parents = {p for _, p, _ in CATEGORY_TREE}
    return [
        {
            "id": cid,
            "parent_id": parent,
            "local_name": name,
            "is_leaf": cid not in parents,
            "permission_statuses": ["AVAILABLE"] if cid != "601100" else ["INVITE_ONLY"],
        }
        for cid, parent, name in CATEGORY_TREE
    ]


def global_brand(name: str, n: int) -> tuple[str, str]:
    """The id and name of the ``n``-th brand called ``name``: the same in every shop."""
    nid = 7082427311584347905 + int.from_bytes(name.encode()[:4].ljust(4, b"\0"), "big") * 1000 + n
    return str(nid), name if n == 0 else f"{name} {n + 1}"


class BrandRow(DictRow):
    """A brand; ``brand_status`` (its availability in a category) only when the query names a category and the
    brand is authorized, as TikTok's notes say."""

    __slots__ = ("status_in_category",)

    @property
    def is_authorized(self) -> bool:
        return self.data["authorized_status"] == "AUTHORIZED"

    def render(self, shape: str = "all") -> dict:
        out = super().render()
        if shape == "in_category" and self.is_authorized:
            out["brand_status"] = self.status_in_category
        return out


def generate_warehouses(shop, rng: random.Random) -> list[DictRow]:
    """2-3 warehouses: the default sales warehouse first, the return warehouse last."""
    ids = IdGen(rng, "7068", 19, shop.idx)
    n = rng.randint(2, 3)
    warehouses = []
    state, city, postal = CITIES[shop.region][0]
    for i in range(n):
        typ = "RETURN_WAREHOUSE" if i == n - 1 else "SALES_WAREHOUSE"
        # a cross-border seller's second sales warehouse ships from home; the others are in the market
        direct = shop.seller_type == "CROSS_BORDER" and typ == "SALES_WAREHOUSE" and i == 1
        local = "DOMESTIC_WAREHOUSE" if shop.seller_type == "LOCAL" else "CB_OVERSEA_WAREHOUSE"
        latitude, longitude = GEOLOCATION[city]
        warehouses.append(
            DictRow(
                {
                    "id": str(ids.next()),
                    "name": f"{shop.region} {'Returns' if typ == 'RETURN_WAREHOUSE' else 'Main' if i == 0 else 'Overflow'}"
                    " Warehouse",
                    "effect_status": "ENABLED" if i < 2 or rng.random() < 0.5 else "DISABLED",
                    "type": typ,
                    "sub_type": "CB_DIRECT_SHIPPING_WAREHOUSE" if direct else local,
                    "is_default": i == 0 or typ == "RETURN_WAREHOUSE",
                    "entity_id": str(7000000000000000000 + shop.idx * 1000 + i),
                    "address": {
                        "region": shop.country,
                        "region_code": shop.region,
                        "state": state,
                        "city": city,
                        "distict": city,
                        "town": "",
                        "postal_code": postal,
                        "address_line1": f"{rng.randint(1, 500)} {rng.choice(STREETS)}",
                        "address_line2": "",
                        "contact_person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                        "phone_number": f"(+1)555{rng.randint(1000000, 9999999)}",
                        "full_address": f"{city}, {state}, {shop.country}",
                        "geolocation": {"latitude": latitude, "longitude": longitude},
                    },
                }
            )
        )
    return warehouses


def generate_brands(shop, rng: random.Random, n: int) -> list[BrandRow]:
    """``n`` of the brands every shop draws from, by id."""
    brands = []
    names = list(BRAND_NAMES)
    rng.shuffle(names)
    for i in range(n):
        g = global_brand(names[i % len(names)], i // len(names))
        brand = BrandRow(
            {
                "id": g[0],
                "name": g[1],
                "authorized_status": "AUTHORIZED" if rng.random() < 0.6 else "UNAUTHORIZED",
            }
        )
        brand.status_in_category = "AVAILABLE" if rng.random() < 0.9 else "UNAVAILABLE"
        brand.data["is_t1_brand"] = rng.random() < 0.2
        brands.append(brand)
    brands.sort(key=lambda b: b.nid)
    return brands
