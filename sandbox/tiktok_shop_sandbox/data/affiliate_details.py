"""Affiliate, beyond the searches of ``affiliate.py``: Search Sample Application Fulfillments (202409), Seller
Search Open Collaboration Products (202405) and Get Weekly Creator Outreach Records (202608).

Fulfillments: a completed sample application has the content its creator posted of the product (one or two videos
or LIVEs, after the application), with their counts.

Open-collaboration products are the marketplace of the shop's region (TikTok's notes): the products of the
region's shops in an open collaboration, at the collaboration's commission, and those of a few other sellers of
the region.
"""

from __future__ import annotations

import random

from .common import CDN, DAY, HOUR, IdGen, money
from .derived import derived
from .products import ADJ, NOUN, NOUN_CATEGORY, _category_chain
from .promotion_details import sold_units
from .reference import BRAND_NAMES
from .settlements import random_for

# Sample applications that reached content (affiliate.py's statuses): a completed one has one or two.
WITH_CONTENT = "COMPLETED"
OTHER_SELLERS = 8  # products of sellers outside the sandbox, per region's marketplace


def _content(kind: str, content_id: str, username: str, title: str, created: int, counts: tuple) -> dict:
    views, likes, comments, orders = counts
    page = (
        f"https://www.tiktok.com/@{username}/video/{content_id}"
        if kind == "VIDEO"
        else f"https://www.tiktok.com/@{username}/live"
    )
    out = {
        "id": content_id,
        "format": kind,
        "url": f"{CDN}/obj/tos-maliva-v-0068/{content_id}.mp4" if kind == "VIDEO" else page,
        "view_count": views,
        "like_count": likes,
        "comment_count": comments,
        "paid_order_count": orders,
        "page_link": page,
        "description": title,
        "create_time": created,
    }
    return out


class Fulfillments:
    """Each sample application's fulfillments (by application id): the content its creator posted of the product."""

    def __init__(self, shop):
        rng = random_for(shop, "sample_fulfillments")
        ids = IdGen(rng, "7403", 19, shop.idx)
        latest = shop.world.now_ts - DAY
        self.by_id: dict[str, list[dict]] = {}
        for row in shop.affiliate.sample_applications:
            app = row.data
            found = []
            if app["status"] == WITH_CONTENT:
                product = app["product"]
                for _ in range(1 if rng.random() < 0.7 else 2):
                    kind = "LIVE" if rng.random() < 0.4 else "VIDEO"
                    created = min(row.create_time + rng.randint(5 * DAY, 20 * DAY), latest)
                    views = rng.randint(200, 50_000)
                    counts = (views, views // 25, views // 120, rng.randint(0, 12))
                    title = f"{product['title']} {'live try-on' if kind == 'LIVE' else 'unboxing'}"
                    content = _content(kind, str(ids.next()), app["creator"]["username"], title, created, counts)
                    if kind == "LIVE":
                        content["live_end_time"] = created + rng.randint(1, 3) * HOUR
                    found.append(content)
            image = f"{CDN}/tos-maliva-i-o3syd03w52-us/{int(app['product']['id']):x}0~tplv-o3syd03w52-origin-jpeg.jpeg"
            self.by_id[app["id"]] = [
                {"product": {"id": app["product"]["id"], "main_image_url": image}, "content": c} for c in found
            ]


def fulfillments(shop) -> Fulfillments:
    return derived(shop, Fulfillments)


class MarketProduct:
    """A product of the open-collaboration marketplace, with the values it is sorted and filtered on."""

    __slots__ = (
        "nid",
        "record",
        "commission_rate",
        "product_sales_price",
        "commission",
        "units_sold",
        "title",
        "category_ids",
        "min_price",
        "product",
    )

    @property
    def live(self) -> bool:
        """Whether it is on sale: a sandbox shop's product until the seller deletes it, another seller's always."""
        return self.product is None or self.product.status == "ACTIVATE"

    def render(self) -> dict:
        return self.record


def _market_product(nid: int, record: dict, rate: int, prices: list[int], units: int, chain: list[dict], dec: int):
    row = MarketProduct()
    row.nid, row.record, row.product = nid, record, None
    low, high = min(prices), max(prices)
    row.commission_rate, row.product_sales_price, row.units_sold = rate, low, units
    row.commission = low * rate // 10000
    row.title = record["title"].lower()
    row.category_ids = {c["id"] for c in chain}
    row.min_price = low
    currency = record["sales_price"]["currency"]
    record["commission"] = {
        "rate": rate,
        "currency": currency,
        "amount": f"{money(low * rate // 10000, dec)} - {money(high * rate // 10000, dec)}",
    }
    return row


def _own_products(shop) -> list[MarketProduct]:
    sold = sold_units(shop)
    rows = []
    for collab in shop.affiliate.open_collaborations:
        product = shop.product_by_id[collab.data["product"]["id"]]
        if product.status != "ACTIVATE":
            continue
        chain = _category_chain(shop.world, product.category)
        record = {
            "shop": {"name": shop.name},
            "id": product.id,
            "has_inventory": any(sku.stock > 0 for sku in product.skus),
            "units_sold": len(sold.by_product.get(product.id, ())),
            "title": product.title,
            "sale_region": shop.region,
            "main_image_url": collab.data["product"]["main_image_url"],
            "detail_link": f"https://shop.tiktok.com/view/product/{product.id}?region={shop.region}",
            "original_price": _range(shop.currency, [s.list_price for s in product.skus], shop.dec),
            "category_chains": chain,
            "sales_price": _range(shop.currency, [s.price for s in product.skus], shop.dec),
        }
        row = _market_product(
            product.nid,
            record,
            collab.data["current_commission"]["rate"],
            [s.price for s in product.skus],
            record["units_sold"],
            chain,
            shop.dec,
        )
        row.product = product
        rows.append(row)
    return rows


def _range(currency: str, prices: list[int], dec: int) -> dict:
    return {"currency": currency, "minimum_amount": money(min(prices), dec), "maximum_amount": money(max(prices), dec)}


def _other_sellers(world, shop) -> list[MarketProduct]:
    """Products of sellers the sandbox has no shop of, in the region's marketplace (the same for its shops)."""
    rng = random.Random(f"marketplace:{world.seed}:{shop.region}")
    ids = IdGen(rng, "1730", 19, shop.idx % 10)  # one generator per region: the first ten shops are its markets
    unit = 10**shop.dec
    rows = []
    for _ in range(OTHER_SELLERS):
        noun = rng.choice(NOUN)
        nid = ids.next()
        chain = _category_chain(world, NOUN_CATEGORY[noun])
        base = int(rng.uniform(3, 80) * shop.scale) * unit or unit
        prices = sorted({base, base + rng.choice((0, unit, 5 * unit))})
        lists = [p + p // 5 for p in prices]
        units = rng.randint(0, 5000)
        record = {
            "shop": {"name": f"{rng.choice(BRAND_NAMES)} Store {shop.region}"},
            "id": str(nid),
            "has_inventory": rng.random() < 0.9,
            "units_sold": units,
            "title": f"{rng.choice(ADJ)} {noun}",
            "sale_region": shop.region,
            "main_image_url": f"{CDN}/tos-maliva-i-o3syd03w52-us/{nid:x}0~tplv-o3syd03w52-origin-jpeg.jpeg",
            "detail_link": f"https://shop.tiktok.com/view/product/{nid}?region={shop.region}",
            "original_price": _range(shop.currency, lists, shop.dec),
            "category_chains": chain,
            "sales_price": _range(shop.currency, prices, shop.dec),
        }
        rows.append(_market_product(nid, record, rng.randint(5, 30) * 100, prices, units, chain, shop.dec))
    return rows


class Marketplace:
    """The open-collaboration products a shop finds: its region's shops' and other sellers'."""

    def __init__(self, shop):
        world = shop.world
        rows = [row for s in world.shops if s.region == shop.region for row in _own_products(s)]
        self.products = rows + _other_sellers(world, shop)

    def listed(self) -> list[MarketProduct]:
        """What it lists now: products deleted since are not (``delete_products``)."""
        return [row for row in self.products if row.live]


def marketplace(shop) -> Marketplace:
    return derived(shop, Marketplace)


class Outreach:
    """This week's outreach of the shop to creators: those of its sample applications first, then others."""

    def __init__(self, shop):
        rng = random_for(shop, "creator_outreach")
        ids = IdGen(rng, "7320", 19, shop.idx)
        apps = [row.data for row in shop.affiliate.sample_applications]
        paired = {a["creator"]["creator_open_id"] for a in apps if a["status"] not in ("PENDING", "REJECT_CANCELLED")}
        creators = list(dict.fromkeys(a["creator"]["creator_open_id"] for a in apps))
        creators += [f"{rng.getrandbits(60):015x}-open" for _ in range(rng.randint(5, 25))]
        self.records = [
            {
                "id": str(ids.next()),
                "creator_open_id": creator,
                "has_sent_im_message": rng.random() < 0.7,
                "has_sent_invitation": rng.random() < 0.5,
                "is_paired": creator in paired,
            }
            for creator in creators
        ]


def outreach(shop) -> Outreach:
    return derived(shop, Outreach)


RESOURCES = {
    "sample_application_fulfillments": lambda shop: [
        {"application_id": row.id, **f}
        for row in shop.affiliate.sample_applications
        for f in fulfillments(shop).by_id[row.id]
    ],
    "open_collaboration_products": lambda shop: [
        row.record for row in sorted(marketplace(shop).listed(), key=lambda r: (r.commission_rate, r.nid))
    ],
    "creator_outreach_records": lambda shop: [dict(r) for r in outreach(shop).records],
}
