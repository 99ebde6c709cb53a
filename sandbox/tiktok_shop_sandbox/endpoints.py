"""The endpoint table and the endpoint handlers (reference §3, §4)."""

from __future__ import annotations

import bisect
import operator
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from . import analytics, spec
from .data.common import money
from .data.products import HIDDEN_FROM_GET_PRODUCT
from .paging import SortedIndex, TokenCodec, TokenError, binding_hash, count, page
from .params import ApiError, Filter, Narrowing, narrowing, page_size, page_token, read_filters, sort_params, time_range

# -- error codes ----------------------------------------------------------------------------------------------

INVALID_PARAM = 36009004
PRODUCT_PAGE_TOKEN = 12019108
PRODUCT_PAGE_SIZE = 12019109
PRODUCT_CREATE_TIME = 12019118
PRODUCT_UPDATE_TIME = 12019119
PRODUCT_WINDOW = 12052180
ACTIVITY_WINDOW = 17029059
RETURNS_PARAM = 25001001
ORDER_NOT_OWNED = 21008111
# sandbox choices (the reference gives no code for these):
PRODUCT_NOT_FOUND = 12052048
PACKAGE_NOT_FOUND = 21011001

# Enumerations TikTok gives in its notes only (its rules leave these parameters open): checked by the handlers.
# The rules' enumerations are the spec's to check (spec/__init__.py).
SHIPPING_TYPES = ("TIKTOK", "SELLER", "TIKTOK_DIGITAL", "IN-STORE PICKUP")  # notes on Search Orders' shipping_type
COUPON_STATUSES = ("NOT_START", "ONGOING", "EXPIRED", "DEACTIVATED")  # notes on Search Coupons' status
COUPON_DISPLAY_TYPES = ("REGULAR", "LIVE", "CREATOR_EXCLUSIVE", "CHAT", "PROMO_CODE")  # and its display_type
SEA = ("ID", "MY", "PH", "SG", "TH", "VN")


class Ctx:
    """One API call: the world, the shop it addresses, decoded query, parsed body, path parameters."""

    def __init__(self, state, route, version, shop, query, body, params):
        self.state = state
        self.world = state.world
        self.route = route
        self.version = version
        self.shop = shop
        self.q = query
        self.body = body if body is not None else {}
        self.params = params
        # (binding, sort field) of the list page served, for the faults that lie about a page (server.py)
        self.listing: tuple[str, str] | None = None


class EndpointState:
    """Shared caches: sorted indexes (rebuilt when the world changes) and total counts."""

    def __init__(self, world, deleted_products: str = "listed"):
        self.world = world
        # Whether Search Products lists DELETED products unasked ("listed") or only to a status DELETED filter
        # ("asked"): TikTok does not say (docs/sandbox.md).
        self.lists_unasked = {"listed": True, "asked": False}[deleted_products]
        self.codec = TokenCodec(world.token_secret)
        self.lock = threading.Lock()
        self._indexes: dict = {}
        self._counts: dict = {}
        self._rendered: dict = {}

    def index(self, key, rows_fn, attr: str) -> SortedIndex:
        version = self.world.version
        k = (key, attr)
        with self.lock:
            hit = self._indexes.get(k)
            if hit is not None and hit[0] == version:
                return hit[1]
        idx = SortedIndex(rows_fn(), attr)
        with self.lock:
            self._indexes[k] = (version, idx)
        return idx

    def rendered(self, key, row, render):
        """A record as served, encoded once per data version: the pages splice the encoded records."""
        version = self.world.version
        hit = self._rendered.get(key)
        if hit is None or hit[0] != version:
            hit = self._rendered[key] = (version, encoded(render(row)))
        return hit[1]

    def delete_listed(self, rows):
        """Products to be deleted once listed (``Sandbox.delete_product(..., once_listed=True)``) go once a page
        lists them: Get Product refuses them from then on."""
        pending = self.world.delete_once_listed
        if pending and any(r.id in pending for r in rows):
            with self.lock:
                for r in rows:
                    if r.id in pending:
                        self.world.delete_product(r.id)

    def prerender_orders(self):
        """Encodes every order now, and sorts them for Search Orders' sort fields, so serving its pages costs little
        more than the HTTP exchange, the first page too."""
        for shop in self.world.shops:
            for row in shop.orders:
                self.rendered(("orders", shop.id, row.nid), row, as_served)
            for attr in ("update_time", "create_time"):
                self.index((shop.id, "orders"), lambda shop=shop: shop.orders, attr)

    def total(self, binding, fn) -> int:
        k = (binding, self.world.version)
        with self.lock:
            if k in self._counts:
                return self._counts[k]
        n = fn()
        with self.lock:
            if len(self._counts) > 10000:
                self._counts.clear()
            self._counts[k] = n
        return n


try:  # orjson splices already-encoded records into a page; without it, records are plain dicts
    import orjson

    def encoded(record):
        return orjson.Fragment(orjson.dumps(record))

except ImportError:  # pragma: no cover - orjson comes with the `fast` extra

    def encoded(record):
        return record


def run_list(
    ctx: Ctx,
    *,
    name: str,
    rows_fn,
    sort_attr: str,
    desc: bool,
    size: int,
    token: str | None,
    narrowed: Narrowing,
    token_err: int,
    render,
    with_total: bool = True,
    before_page=None,
    encode: bool = True,
):
    """Generic keyset listing: returns (records, next_page_token, total_count or None, rows of the page).

    ``render(row)`` makes a row the record served; ``name`` names the caches (a shape per version: name it so).
    Records are encoded once per data version; with ``encode=False`` they are what ``render`` makes of each row."""
    shop_id = ctx.shop.id if ctx.shop is not None else ""
    binding = binding_hash(ctx.route.key, shop_id, sort_attr, desc, narrowed.binding)
    after, offset = None, 0
    if token:
        try:
            after, offset = ctx.state.codec.decode(token, binding)
        except TokenError as exc:
            raise ApiError(token_err, f"Invalid page_token: {exc}") from None
        after = after or None  # a token holding no position leads to the first page (the token_loop fault's)
    ctx.listing = (binding, sort_attr)
    index = ctx.state.index((shop_id, name), rows_fn, sort_attr)
    pred, lo, hi = narrowed.pred, narrowed.lo, narrowed.hi
    total = None
    if with_total or before_page is not None:
        total = ctx.state.total(binding, lambda: count(index, pred, *_range(index, lo, hi)))
    if before_page is not None:
        before_page(offset, total)
    rows, has_more, _s, _e = page(index, desc=desc, after=after, size=size, pred=pred, lo=lo, hi=hi)
    nxt = ""
    if has_more and rows:
        last = rows[-1]
        nxt = ctx.state.codec.encode(binding, (getattr(last, sort_attr), last.nid), offset + len(rows))
    if not encode:
        return [render(r) for r in rows], nxt, (total if with_total else None), offset
    records = [ctx.state.rendered((name, shop_id, r.nid), r, render) for r in rows]
    return records, nxt, (total if with_total else None), rows


def _range(index: SortedIndex, lo, hi):
    keys = index.keys
    start = bisect.bisect_left(keys, (lo,)) if lo is not None else 0
    end = bisect.bisect_left(keys, (hi,)) if hi is not None else len(keys)
    return start, end


# -- list endpoints: one handler, read from a declaration per endpoint ---------------------------------------


def as_served(row):
    return row.render()


@dataclass(frozen=True)
class Search:
    """What one list endpoint takes and returns; calling it serves a page.

    What TikTok's rules say of a call has been checked before (spec/__init__.py); what is left, every list endpoint
    checks in the same order (page_size, page_token, sort, then its filters in the order declared), so a request
    with several faults reports the first.
    """

    records_key: str  # the list's key in ``data``
    rows: str  # the Shop attribute (dotted) holding the rows; also names the caches
    # lowest, highest (TikTok's notes), default (None: TikTok's rules require page_size)
    page_size: tuple[int, int, int | None]
    page_sizes: tuple[int, ...] = ()  # the only page sizes allowed, where TikTok lists them
    sort: tuple[str, str] = ("create_time", "DESC")  # sort_field and sort_order where the call sends none
    sortable: bool = False  # sort_field and sort_order are taken from the query; else always sorted by ``sort``
    # sort_field's values, where TikTok's rules do not enumerate them (from its notes): the handler checks them
    sort_fields: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()  # see params.py
    filters_in: str = "body"  # where the filters are: "body" or "query"
    paging_in: str = "query"  # where page_size and page_token are: "query" or "body"
    err: int = INVALID_PARAM
    errs: dict = field(default_factory=dict)  # error code of page_size and page_token, where not err
    zero_page_size_is_default: bool = False
    window: Callable | None = None  # (offset, total, size): raises ApiError past the endpoint's result window
    with_total: bool = True
    # (rows of a page) -> its records, where a record is made of several rows (affiliate orders of their SKU orders)
    group: Callable | None = None
    # (field, value): rows with that value are left out unless a filter on ``field`` asks for them, when the
    # sandbox is set so (``EndpointState.lists_unasked``)
    unlisted_unless_asked: tuple[str, str] | None = None
    shape: Callable | None = None  # (ctx) -> the shape rows render in, ``row.render(shape)``: a version, say
    after_page: Callable | None = None  # (ctx, rows): what serving the page changes in the world
    # (shop) -> the rows, where they are not a Shop attribute (the families derived on first use, data/derived.py)
    rows_of: Callable | None = None

    def __call__(self, ctx: Ctx):
        paging = ctx.body if self.paging_in == "body" else ctx.q
        size = self._page_size(paging)
        token = page_token(paging, self._err("page_token"))
        if self.sortable:
            sort_attr, desc = sort_params(ctx.q, self.sort_fields, *self.sort, self.err)
        else:
            sort_attr, desc = self.sort[0], self.sort[1] == "DESC"
        filters = self._filters(ctx)
        window = self.window
        shop = ctx.shop
        shape = self.shape(ctx) if self.shape is not None else None
        records, next_token, total, rows = run_list(
            ctx,
            name=self.rows if shape is None else f"{self.rows}@{shape}",
            rows_fn=lambda: self.rows_of(shop) if self.rows_of is not None else operator.attrgetter(self.rows)(shop),
            sort_attr=sort_attr,
            desc=desc,
            size=size,
            token=token,
            narrowed=self._narrowing(ctx, filters, sort_attr),
            token_err=self._err("page_token"),
            render=(lambda row: row)
            if self.group is not None
            else (as_served if shape is None else (lambda row: row.render(shape))),
            with_total=self.with_total,
            before_page=None if window is None else (lambda offset, total: window(offset, total, size)),
            encode=self.group is None,
        )
        if self.group is not None:
            records = self.group(records)
        if self.after_page is not None:
            self.after_page(ctx, rows)
        out = {self.records_key: records, "next_page_token": next_token}
        if self.with_total:
            out["total_count"] = total
        return out

    def _err(self, param: str) -> int:
        return self.errs.get(param, self.err)

    def _narrowing(self, ctx: Ctx, filters: list, sort_attr: str) -> Narrowing:
        narrowed = narrowing(filters, sort_attr)
        if self.unlisted_unless_asked is None or ctx.state.lists_unasked:
            return narrowed
        name, value = self.unlisted_unless_asked
        if any(f.field == name for f, _ in filters):
            return narrowed
        asked, get = narrowed.pred, operator.attrgetter(name)
        narrowed.pred = lambda row: get(row) != value and (asked is None or asked(row))
        narrowed.binding[f"unlisted_{name}"] = value
        return narrowed

    def _filters(self, ctx: Ctx) -> list:
        query = self.filters_in == "query"
        return read_filters(self.filters, ctx.q if query else ctx.body, self.err, query)

    def _page_size(self, src: dict) -> int:
        lo, hi, default = self.page_size
        if self.zero_page_size_is_default and src.get("page_size") in (None, "", 0):
            return default
        size = page_size(src, lo, hi, default, self._err("page_size"))
        if self.page_sizes and size not in self.page_sizes:
            listed = ", ".join(str(n) for n in self.page_sizes)
            raise ApiError(self._err("page_size"), f"Invalid page_size: must be one of {listed}")
        return default if self.zero_page_size_is_default and size == 0 else size


# -- handlers ------------------------------------------------------------------------------------------------


def h_authorized_shops(ctx: Ctx):
    return {"shops": [s.info() for s in ctx.world.shops]}


def h_active_shops(ctx: Ctx):
    return {"shops": [{"id": s.id, "region": s.region} for s in ctx.world.shops]}


def h_order_detail(ctx: Ctx):
    ids = [x.strip() for x in ctx.q["ids"].split(",")]  # required: TikTok's rules (checked before)
    if any(not x.isdigit() for x in ids):
        raise ApiError(INVALID_PARAM, "Invalid ids: comma-separated order ids expected")
    if len(ids) > 50:  # TikTok's notes: "Max count: 50"
        raise ApiError(INVALID_PARAM, "Invalid ids: at most 50 order ids per request")
    out, seen = [], set()
    for oid in ids:
        o = ctx.shop.order_by_id.get(oid)
        if o is None:
            raise ApiError(ORDER_NOT_OWNED, f"The order {oid} does not belong to this seller")
        if oid not in seen:
            seen.add(oid)
            out.append(o.render())
    return {"orders": out}


def h_product_detail(ctx: Ctx):
    pid = ctx.params["product_id"]
    p = ctx.shop.product_by_id.get(pid)
    if p is None or p.status in HIDDEN_FROM_GET_PRODUCT:
        raise ApiError(PRODUCT_NOT_FOUND, f"The product {pid} does not exist or is not available")
    return p.detail()


def h_package_detail(ctx: Ctx):
    pid = ctx.params["package_id"]
    p = ctx.shop.package_by_id.get(pid)
    if p is None:
        raise ApiError(PACKAGE_NOT_FOUND, f"The package {pid} does not exist")
    return p.detail()


def h_statement_transactions(ctx: Ctx):
    q = ctx.q
    sid = ctx.params["statement_id"]
    st = ctx.shop.statement_by_id.get(sid)
    size = page_size(q, 1, 100, 20, INVALID_PARAM)
    token = page_token(q, INVALID_PARAM)
    # TikTok's rules require sort_field, and leave its values open; its notes give this one only
    _field, desc = sort_params(q, ("order_create_time",), "order_create_time", "ASC", INVALID_PARAM)
    if st is None:
        raise ApiError(INVALID_PARAM, f"Invalid statement_id: {sid} not found for this shop")
    recs, nxt, total, _ = run_list(
        ctx,
        name="txns:" + sid,
        rows_fn=lambda: st.txns,
        sort_attr="order_create_time",
        desc=desc,
        size=size,
        token=token,
        narrowed=Narrowing(binding={"statement_id": sid}),
        token_err=INVALID_PARAM,
        render=lambda t: t.render(),
    )
    shop = ctx.shop
    dec = shop.dec
    rev, fee, ship, adj, settlement, reserve = st.totals
    return {
        "id": st.id,
        "create_time": st.data["statement_time"],
        "status": "SETTLED",
        "currency": shop.currency,
        "payable_amount": money(settlement + reserve, dec),
        "total_reserve_amount": money(reserve, dec),
        "total_settlement_amount": money(settlement, dec),
        "total_settlement_breakdown": {
            "total_revenue_amount": money(rev, dec),
            "total_shipping_cost_amount": money(ship, dec),
            "total_fee_tax_amount": money(fee, dec),
            "total_adjustment_amount": money(adj, dec),
        },
        "transactions": recs,
        "next_page_token": nxt,
        "total_count": total,
    }


def h_warehouses(ctx: Ctx):
    return {"warehouses": [w.render() for w in ctx.shop.warehouses]}


def h_categories(ctx: Ctx):
    q = ctx.q
    CATEGORY_VERSION.read(q, INVALID_PARAM, query=True)
    keyword = (q.get("keyword") or "").strip().lower()
    cats = [dict(c, permission_statuses=list(c["permission_statuses"])) for c in ctx.world.categories]
    if keyword:
        cats = [c for c in cats if keyword in c["local_name"].lower()]
    return {"categories": cats}


# -- the list endpoints ---------------------------------------------------------------------------------------
# Each declares what differs, its filters included (params.py); ``Search.__call__`` does the paging.


def its_version(ctx: Ctx) -> str:
    """The shape of a resource served at several versions: the version asked for."""
    return ctx.version


# Search Products (202309: query; 202502: body), Get Categories and Get Brands take a category tree version; TikTok's
# rules enumerate it for Search Products 202502 only, its notes everywhere. One tree for both (docs/sandbox.md).
CATEGORY_VERSION = Filter("category_version", None, "enum", ("v1", "v2"))
CREATED_OR_UPDATED = (*time_range("create_time"), *time_range("update_time"))
# the order a return or cancellation belongs to, and that order's buyer
OF_ORDERS = (Filter("order_ids", "order.id", "in"), Filter("buyer_user_ids", "order.user_id", "in"))


def _products_window(offset: int, total: int, size: int):
    if min(total, offset + size) > 10000:  # reference §3: 12052180
        raise ApiError(PRODUCT_WINDOW, "The total number of search results can not exceed 10000")


def _activities_window(offset: int, _total: int, size: int):
    if offset + size >= 10000:  # reference §3: 17029059
        raise ApiError(ACTIVITY_WINDOW, "page_token + page_size must be less than 10000")


# Page sizes, and sort fields and orders where a call sends none: reference §3 (TikTok's notes), unless said.
SEARCH_ORDERS = Search(
    "orders",
    "orders",
    page_size=(1, 100, None),
    sortable=True,
    filters=(
        *CREATED_OR_UPDATED,
        Filter("order_status", "status", "enum"),
        Filter("shipping_type", "shipping_type", "enum", SHIPPING_TYPES),
        Filter("buyer_user_id", "user_id", "string"),
        Filter("is_buyer_request_cancel", "is_buyer_request_cancel", "bool"),
        Filter("warehouse_ids", "warehouse_id", "in", max_len=100),  # reference §4.2: at most 100
    ),
)
SEARCH_PRODUCTS = Search(
    "products",
    "products",
    page_size=(1, 100, None),
    filters=(
        *time_range("create_time", "le", err=PRODUCT_CREATE_TIME),
        *time_range("update_time", "le", err=PRODUCT_UPDATE_TIME),
        Filter("status", "status", "enum", wildcard="ALL"),
        Filter("seller_skus", "seller_skus", "overlaps"),
        Filter("sku_ids", "sku_ids", "overlaps", max_len=10),  # reference §4.3: at most 10
        CATEGORY_VERSION,
    ),
    errs={"page_size": PRODUCT_PAGE_SIZE, "page_token": PRODUCT_PAGE_TOKEN},
    window=_products_window,
    unlisted_unless_asked=("status", "DELETED"),
    after_page=lambda ctx, rows: ctx.state.delete_listed(rows),
)
SEARCH_RETURNS = Search(
    "return_orders",
    "returns",
    page_size=(10, 50, 10),
    sort=("create_time", "ASC"),
    sortable=True,
    filters=(
        *CREATED_OR_UPDATED,
        Filter("return_ids", "id", "in"),
        *OF_ORDERS,
        Filter("return_types", "return_type", "in"),
        Filter("return_status", "status", "in"),
        Filter("arbitration_status", "arbitration_status", "in"),
    ),
    err=RETURNS_PARAM,
    shape=its_version,
)
SEARCH_CANCELLATIONS = Search(
    "cancellations",
    "cancellations",
    page_size=(1, 50, 10),
    sort=("create_time", "ASC"),
    sortable=True,
    filters=(
        *CREATED_OR_UPDATED,
        Filter("cancel_ids", "id", "in"),
        *OF_ORDERS,
        Filter("cancel_types", "cancel_type", "in"),
        Filter("cancel_status", "status", "in"),
    ),
    err=RETURNS_PARAM,
    shape=its_version,
)
SEARCH_PACKAGES = Search(
    "packages",
    "packages",
    page_size=(1, 50, None),
    sortable=True,
    filters=(*CREATED_OR_UPDATED, Filter("package_status", "status", "enum")),
)
# Get Statements, Get Payments: TikTok's rules require sort_field and leave its values open; its notes give one.
GET_STATEMENTS = Search(
    "statements",
    "statements",
    page_size=(1, 100, 20),
    sort=("statement_time", "ASC"),
    sortable=True,
    sort_fields=("statement_time",),
    filters=(*time_range("statement_time"), Filter("payment_status", "payment_status", "enum")),
    filters_in="query",
    with_total=False,
)
GET_PAYMENTS = Search(
    "payments",
    "payments",
    page_size=(1, 100, 20),
    sort=("create_time", "ASC"),
    sortable=True,
    sort_fields=("create_time",),
    filters=time_range("create_time"),
    filters_in="query",
    with_total=False,
    shape=its_version,
)
GET_WITHDRAWALS = Search(
    "withdrawals",
    "withdrawals",
    page_size=(1, 100, 20),
    filters=(Filter("types", "type", "csv"), *time_range("create_time")),
    filters_in="query",
)
GET_BRANDS = Search(
    "brands",
    "brand_rows",
    page_size=(1, 100, None),
    sort=("nid", "ASC"),
    filters=(
        Filter("brand_name", "name", "contains"),
        Filter("is_authorized", "is_authorized", "bool"),
        CATEGORY_VERSION,
        Filter("category_id", None, "string"),
    ),
    filters_in="query",
    # whether a brand is available is told of a category
    shape=lambda ctx: "in_category" if ctx.q.get("category_id") else "all",
)
SEARCH_ACTIVITIES = Search(
    "activities",
    "activities",
    page_size=(0, 100, 50),
    paging_in="body",
    zero_page_size_is_default=True,
    filters=(
        Filter("status", "status", "enum"),
        Filter("activity_type", "activity_type", "enum"),
        Filter("activity_title", "title", "contains"),
    ),
    window=_activities_window,
)
SEARCH_COUPONS = Search(
    "coupons",
    "coupons",
    page_size=(1, 100, 50),
    filters=(
        Filter("status", "status", "in", COUPON_STATUSES),
        Filter("display_type", "display_type", "in", COUPON_DISPLAY_TYPES),
        Filter("title_keyword", "title", "contains"),
    ),
)


# -- the table -----------------------------------------------------------------------------------------------


class Route:
    """One endpoint: ``versions`` are those the sandbox serves (each in its own shape where they differ; the other
    versions TikTok's models list are "not emulated", those in ``RETIRED`` retired), ``unavailable_in`` the regions
    whose shops TikTok refuses the endpoint to (``MARKET_UNAVAILABLE``)."""

    def __init__(self, key, method, category, versions, parts, scope, shop, handler, *, unavailable_in=()):
        self.key = key
        self.method = method
        self.category = category
        self.versions = tuple(versions)
        self.unavailable_in = frozenset(unavailable_in)
        self.parts = tuple(parts)
        self.scope = scope
        self.shop = shop  # shop-scoped: shop_cipher required; else it must not be sent
        self.handler = handler
        self.literal = not any(p.startswith("{") for p in parts)

    def path(self, version: str) -> str:
        """TikTok's path of this endpoint at ``version``, path parameters in braces."""
        return "/".join(("", self.category, version, *self.parts))

    def match(self, rest):
        if len(rest) != len(self.parts):
            return None
        params = {}
        for want, got in zip(self.parts, rest, strict=True):
            if want.startswith("{"):
                if not got:
                    return None
                params[want[1:-1]] = got
            elif want != got:
                return None
        return params


ROUTES = [
    Route(
        "authorized_shops",
        "GET",
        "authorization",
        ["202309"],
        ["shops"],
        "seller.authorization.info",
        False,
        h_authorized_shops,
    ),
    Route("active_shops", "GET", "seller", ["202309"], ["shops"], "seller.shop.info", False, h_active_shops),
    Route("orders_search", "POST", "order", ["202309"], ["orders", "search"], "seller.order.info", True, SEARCH_ORDERS),
    Route("order_detail", "GET", "order", ["202309", "202507"], ["orders"], "seller.order.info", True, h_order_detail),
    Route(
        "products_search",
        "POST",
        "product",
        ["202309", "202312", "202502"],
        ["products", "search"],
        "seller.product.basic",
        True,
        SEARCH_PRODUCTS,
    ),
    Route(
        "product_detail",
        "GET",
        "product",
        ["202309"],
        ["products", "{product_id}"],
        "seller.product.basic",
        True,
        h_product_detail,
    ),
    Route(
        "returns_search",
        "POST",
        "return_refund",
        ["202602", "202309"],
        ["returns", "search"],
        "seller.return_refund.basic",
        True,
        SEARCH_RETURNS,
    ),
    Route(
        "cancellations_search",
        "POST",
        "return_refund",
        ["202602", "202309"],
        ["cancellations", "search"],
        "seller.return_refund.basic",
        True,
        SEARCH_CANCELLATIONS,
    ),
    Route(
        "packages_search",
        "POST",
        "fulfillment",
        ["202309"],
        ["packages", "search"],
        "seller.fulfillment.basic",
        True,
        SEARCH_PACKAGES,
    ),
    Route(
        "package_detail",
        "GET",
        "fulfillment",
        ["202309"],
        ["packages", "{package_id}"],
        "seller.fulfillment.basic",
        True,
        h_package_detail,
    ),
    Route("statements", "GET", "finance", ["202309"], ["statements"], "seller.finance.info", True, GET_STATEMENTS),
    Route(
        "statement_transactions",
        "GET",
        "finance",
        ["202501"],
        ["statements", "{statement_id}", "statement_transactions"],
        "seller.finance.info",
        True,
        h_statement_transactions,
    ),
    Route(
        "payments",
        "GET",
        "finance",
        ["202605", "202309"],
        ["payments"],
        "seller.finance.info",
        True,
        GET_PAYMENTS,
        unavailable_in=SEA,  # TikTok's notes on Get Payments
    ),
    Route("withdrawals", "GET", "finance", ["202309"], ["withdrawals"], "seller.finance.info", True, GET_WITHDRAWALS),
    Route("warehouses", "GET", "logistics", ["202309"], ["warehouses"], "seller.logistics", True, h_warehouses),
    Route("categories", "GET", "product", ["202309"], ["categories"], "seller.product.basic", True, h_categories),
    Route("brands", "GET", "product", ["202309"], ["brands"], "seller.product.basic", True, GET_BRANDS),
    Route(
        "activities_search",
        "POST",
        "promotion",
        ["202309"],
        ["activities", "search"],
        "seller.promotion.info",
        True,
        SEARCH_ACTIVITIES,
    ),
    Route(
        "coupons_search",
        "POST",
        "promotion",
        ["202406"],
        ["coupons", "search"],
        "seller.promotion.info",
        True,
        SEARCH_COUPONS,
    ),
    *(
        Route(key, "GET", "analytics", [version], parts, analytics.SCOPE, True, handler)
        for key, version, parts, handler in analytics.ROUTES
    ),
]


# Settlement by order, affiliate, and the reads of issue #20, built from the declarations above in modules of
# their own.
from .affiliate_details import ROUTES as AFFILIATE_DETAIL_ROUTES  # noqa: E402
from .affiliate_search import ROUTES as AFFILIATE_ROUTES  # noqa: E402
from .finance_by_order import ROUTES as FINANCE_BY_ORDER_ROUTES  # noqa: E402
from .order_details import ROUTES as ORDER_DETAIL_ROUTES  # noqa: E402
from .performance import ROUTES as PERFORMANCE_ROUTES  # noqa: E402
from .record_details import ROUTES as RECORD_DETAIL_ROUTES  # noqa: E402
from .stock import ROUTES as STOCK_ROUTES  # noqa: E402

ROUTES += FINANCE_BY_ORDER_ROUTES + AFFILIATE_ROUTES
ROUTES += ORDER_DETAIL_ROUTES + STOCK_ROUTES + RECORD_DETAIL_ROUTES + PERFORMANCE_ROUTES + AFFILIATE_DETAIL_ROUTES


@dataclass(frozen=True)
class Retirement:
    first_day: str  # YYYY-MM-DD (UTC): the first day TikTok refuses the version
    source: str


# The versions TikTok announced the retirement of, and where it did: answered as retired (36009014) from their first
# day on, by the sandbox's clock (``Sandbox(today=...)``, else the wall clock's date). Only these: any other version
# TikTok's models list and the sandbox does not serve is "not emulated"; one no model lists, invalid.
RETIRED = {
    ("GET", "/finance/202309/statements/{statement_id}/statement_transactions"): Retirement(
        "2026-01-01", "TikTok's changelog (quoted in issue #18): blocked after 2025-12-31"
    ),
    ("GET", "/finance/202309/payments"): Retirement(
        "2026-08-15", "TikTok's changelog (quoted in issue #18): retired on 2026-08-15"
    ),
}


def retired(method: str, path: str, today: str) -> Retirement | None:
    """The retirement of the version of ``path`` (TikTok's, path parameters in braces), if it has come by ``today``."""
    found = RETIRED.get((method, path))
    return found if found is not None and found.first_day <= today else None


class Resolution:
    def __init__(self, status, route=None, params=None, version=None, message=""):
        self.status = status  # "ok" | "unknown_path" | "bad_version" | "retired" | "not_emulated" | "bad_method"
        self.route = route
        self.params = params or {}
        self.version = version
        self.message = message


def resolve(method: str, path: str, today: str) -> Resolution:
    """The route of a call and its version; ``today`` (YYYY-MM-DD) is the sandbox's date, for ``RETIRED``."""
    segs = path.split("/")
    if len(segs) < 4 or segs[0] != "" or path.endswith("/"):
        return Resolution("unknown_path")
    category, version, rest = segs[1], segs[2], segs[3:]
    candidates = []
    for r in ROUTES:
        if r.category != category:
            continue
        params = r.match(rest)
        if params is not None:
            candidates.append((r, params))
    if not candidates:
        return Resolution("unknown_path")
    literal = [c for c in candidates if c[0].literal]
    if literal:
        candidates = literal
    for r, _params in candidates:
        gone = retired(r.method, r.path(version), today)
        if gone is not None and r.method == method:
            return Resolution(
                "retired",
                version=version,
                message=f"The version name is invalid or has been retired: {version} "
                f"(retired on {gone.first_day}; use {', '.join(v for v in r.versions if v != version)}).",
            )
    versioned = [c for c in candidates if version in c[0].versions]
    if not versioned:
        for r, _params in candidates:
            if version in spec.versions(r.method, r.path(version)):
                return Resolution(
                    "not_emulated",
                    version=version,
                    message=f"Version {version} of this API exists at TikTok, but the sandbox does not emulate it; "
                    f"it serves {', '.join(r.versions)}.",
                )
        return Resolution("bad_version", version=version)
    for r, params in versioned:
        if r.method == method:
            return Resolution("ok", r, params, version)
    return Resolution("bad_method", versioned[0][0], version=version)
