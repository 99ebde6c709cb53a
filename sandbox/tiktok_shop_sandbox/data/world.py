"""The seeded world: the shops, each with every resource family generated in a fixed order, and the ground truth
and mutations the tests read and make.

Large resources (orders, products, packages, returns, cancellations, statement transactions) are kept as compact
row objects holding only the fields needed for filtering, sorting and cross-links; the full JSON record is
rendered on demand by ``row.render()``.  Cosmetic fields (names, addresses, images...) come from a per-row
``random.Random(row.rseed)`` so rendering is deterministic too.  This keeps 100,000 orders per shop fast to
generate and small in memory.

Record shapes follow the reference (``reference/tiktok-shop-api.md`` §4): string ids of 18-19 digits, money as
decimal strings with a separate ``currency``, Unix-second times, enum strings.
"""

from __future__ import annotations

import random
import time as _time

from . import analytics
from .affiliate import Affiliate
from .affiliate_details import RESOURCES as AFFILIATE_DETAILS
from .common import DAY, DictRow, IdGen, deep_copy, parse_date
from .finance import StatementRow, generate_statements, generate_withdrawals
from .order_details import RESOURCES as ORDER_DETAILS
from .orders import generate_orders
from .performance import RESOURCES as PERFORMANCE
from .products import HIDDEN_FROM_GET_PRODUCT, NOUN, generate_products
from .promotion_details import RESOURCES as PROMOTION_DETAILS
from .promotions import MS, RESOURCES_IN_MS, generate_activities, generate_coupons
from .record_details import RESOURCES as RECORD_DETAILS
from .reference import BRAND_NAMES, categories, generate_brands, generate_warehouses
from .settlements import generate_unsettled, order_transactions, settled_orders
from .stock import RESOURCES as STOCK

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

# Issue #20's families, derived from the others on first use (derived.py): each resource's records in a shop.
DERIVED = {**ORDER_DETAILS, **STOCK, **RECORD_DETAILS, **PROMOTION_DETAILS, **PERFORMANCE, **AFFILIATE_DETAILS}
# Settlement by order (settlements.py) and affiliate (affiliate.py): each resource's records in a shop, as served.
BY_ORDER_AND_AFFILIATE = {
    "order_transactions": lambda s: [order_transactions(o) for o in settled_orders(s)],
    "unsettled_transactions": lambda s: [r.render() for r in s.unsettled],
    "affiliate_orders": lambda s: s.affiliate.orders(),
    "open_collaborations": lambda s: [r.render() for r in s.affiliate.open_collaborations],
    # with the state the sandbox gives each (not a field TikTok serves): which collaboration_status lists it
    "target_collaborations": lambda s: [
        {**r.render(), "collaboration_status": r.collaboration_status} for r in s.affiliate.target_collaborations
    ],
    "sample_applications": lambda s: [r.render() for r in s.affiliate.sample_applications],
}
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
    *analytics.RESOURCES,
    *BY_ORDER_AND_AFFILIATE,
    *DERIVED,
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
# Resources served in more than one shape, one per API version: the current version first.
VERSIONS = {"returns": ("202602", "202309"), "cancellations": ("202602", "202309"), "payments": ("202605", "202309")}
# TikTok's notes: Get Payments is not available to shops in these markets (the API refuses them).
PAYMENTS_UNAVAILABLE_IN = frozenset({"ID", "MY", "PH", "SG", "TH", "VN"})
# The Shop attribute holding a resource's rows (product details are the products, in Get Product's shape).
ROWS = {
    "orders": "orders",
    "products": "products",
    "product_details": "products",
    "returns": "returns",
    "cancellations": "cancellations",
    "packages": "packages",
    "statements": "statements",
    "payments": "payments",
    "withdrawals": "withdrawals",
    "warehouses": "warehouses",
    "brands": "brand_rows",
    "promotion_activities": "activities",
    "coupons": "coupons",
}


class Shop:
    """One authorized shop: its region, currency and identifiers, and every resource it holds (``generate``)."""

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
        """Every resource family in turn, all drawn from the shop's one ``rng``: the order is part of the data."""
        rng = self.rng
        w = self.world
        start, now = w.start_ts, w.now_ts
        self.warehouses = generate_warehouses(self, rng)
        self.sales_warehouse_id = self.warehouses[0].id
        self.brand_rows = generate_brands(self, rng, counts.get("brands", 10))
        self.brands = [b.data for b in self.brand_rows]  # by position: what products point at
        self.products = generate_products(self, rng, counts.get("products", max(10, n_orders // 5)), start, now)
        self.product_by_id = {p.id: p for p in self.products}
        self.orders, self.packages, self.returns, self.cancellations = generate_orders(self, rng, n_orders, start, now)
        self.order_by_id = {o.id: o for o in self.orders}
        self.package_by_id = {p.id: p for p in self.packages}
        self.statements, self.payments = generate_statements(self, rng, self.orders, now)
        self.statement_by_id = {st.id: st for st in self.statements}
        self.withdrawals = generate_withdrawals(self, rng, start, now)
        self.activities = generate_activities(self, rng, counts.get("promotion_activities", 20), start, now)
        self.coupons = generate_coupons(self, rng, counts.get("coupons", 20), start, now)
        # Families added later draw from generators of their own: the data above stays as it was.
        self.affiliate = Affiliate(self, start, now)
        self.unsettled = generate_unsettled(self, self.affiliate.order_ids)


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
        analytics_retention_days: int = analytics.RETENTION_DAYS,
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
        if analytics_retention_days < 1:
            raise ValueError("analytics_retention_days must be >= 1")
        self.analytics_retention_days = analytics_retention_days
        self.version = 0  # bumped by every mutation (touch)
        master = random.Random(seed)
        alnum = "abcdefghijklmnopqrstuvwxyz0123456789"
        self.app_key = "6" + "".join(master.choice(alnum) for _ in range(12))
        self.app_secret = "".join(master.choice("0123456789abcdef") for _ in range(40))
        self.token_secret = master.getrandbits(256).to_bytes(32, "big")
        master.getrandbits(64)  # once the seed of a brand generator; still drawn so the shops' seeds stay the same
        self.categories = categories()
        self.category_by_id = {c["id"]: c for c in self.categories}
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
        self.delete_once_listed: set[str] = set()  # product ids deleted as soon as a search page lists them

    # -- ground truth ----------------------------------------------------------------------------------------

    def records(self, resource: str, version: str | None = None) -> dict[str, list[dict]]:
        """Every shop's records of ``resource`` as the API serializes them; ``version`` picks the shape of a
        resource served at several versions (default: the current one)."""
        if resource not in RESOURCES:
            raise ValueError(f"unknown resource {resource!r}; one of {', '.join(RESOURCES)}")
        versions = VERSIONS.get(resource, ())
        if version is not None and version not in versions:
            raise ValueError(f"{resource} has no version {version!r}; it has {', '.join(versions) or 'one shape'}")
        version = version or (versions[0] if versions else None)
        out = {}
        for s in self.shops:
            out[s.id] = [deep_copy(r) for r in self._shop_records(s, resource, version)]
        return out

    def _shop_records(self, s: Shop, resource: str, version: str | None):
        if resource == "shops":
            return [s.info()]
        if resource == "categories":
            return self.categories
        if resource == "product_details":
            return [p.detail() for p in s.products if p.status not in HIDDEN_FROM_GET_PRODUCT]
        if resource in analytics.RESOURCES:
            return analytics.analytics_of(s).records(resource)
        if resource in BY_ORDER_AND_AFFILIATE:
            return BY_ORDER_AND_AFFILIATE[resource](s)
        if resource in DERIVED:
            return DERIVED[resource](s)
        if resource == "statement_transactions":
            out = []
            for st in s.statements:
                for t in st.txns:
                    d = t.render()
                    d["statement_id"] = st.id
                    out.append(d)
            return out
        if resource == "payments" and s.region in PAYMENTS_UNAVAILABLE_IN:
            return []
        if version is not None:
            return [r.render(version) for r in getattr(s, ROWS[resource])]
        return [r.render() for r in getattr(s, ROWS[resource])]

    # -- mutation --------------------------------------------------------------------------------------------

    def touch(self, resource: str, n: int, shop_id: str | None = None, now: int | None = None) -> list[str]:
        """Bump ``update_time`` of ``n`` records (statements/payments: change the payment status)."""
        if resource not in TOUCHABLE_UPDATE_TIME + TOUCHABLE_STATUS:
            raise ValueError(f"resource {resource!r} cannot be touched")
        shops = [self.shop_by_id[shop_id]] if shop_id is not None else self.shops
        candidates = [r for s in shops for r in getattr(s, ROWS[resource])]
        self._touch_count += 1
        rng = random.Random(f"touch:{self.seed}:{self._touch_count}")
        chosen = rng.sample(candidates, min(n, len(candidates)))
        now = int(_time.time()) if now is None else now
        stamp = now * MS if resource in RESOURCES_IN_MS else now
        ids = []
        for r in chosen:
            if resource in TOUCHABLE_STATUS:
                st = r if resource == "statements" else r.shop_statement
                self._flip_payment(st, now)
            elif isinstance(r, DictRow):
                r.data["update_time"] = max(stamp, r.data["update_time"] + 1)
            else:
                r.update_time = max(now, r.update_time + 1)
            ids.append(r.id)
        self.version += 1
        return ids

    def delete_products(self, n: int, shop_id: str | None = None, now: int | None = None) -> list[str]:
        """The seller deletes ``n`` products (of one shop, or of all): status DELETED, ``update_time`` now."""
        shops = [self.shop_by_id[shop_id]] if shop_id is not None else self.shops
        candidates = [p for s in shops for p in s.products if p.status != "DELETED"]
        self._touch_count += 1
        rng = random.Random(f"delete:{self.seed}:{self._touch_count}")
        now = int(_time.time()) if now is None else now
        chosen = rng.sample(candidates, min(n, len(candidates)))
        for p in chosen:
            p.status, p.update_time = "DELETED", max(now, p.update_time + 1)
        self.version += 1
        return [p.id for p in chosen]

    def delete_product(self, product_id: str, now: int | None = None):
        """The seller deletes a product: its status becomes DELETED (Get Product refuses it from then on)."""
        product = next((s.product_by_id[product_id] for s in self.shops if product_id in s.product_by_id), None)
        if product is None:
            raise ValueError(f"no product {product_id!r}")
        now = int(_time.time()) if now is None else now
        product.status = "DELETED"
        product.update_time = max(now, product.update_time + 1)
        self.delete_once_listed.discard(product_id)
        self.version += 1

    @staticmethod
    def _flip_payment(st: StatementRow, now: int):
        nxt = {"PROCESSING": "PAID", "FAILED": "PAID", "PAID": "FAILED"}[st.data["payment_status"]]
        st.data["payment_status"] = nxt
        st.payment.data["status"] = nxt
        if nxt == "PAID":
            st.data["payment_time"] = now
        else:
            st.data.pop("payment_time", None)
        st.payment.data["paid_time"] = now if nxt == "PAID" else 0
