"""The endpoint table and the endpoint handlers (reference §3, §4)."""

from __future__ import annotations

import bisect
import threading

from .data import HIDDEN_FROM_GET_PRODUCT, money
from .paging import SortedIndex, TokenCodec, TokenError, binding_hash, count, page

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

ORDER_STATUSES = (
    "UNPAID",
    "ON_HOLD",
    "AWAITING_SHIPMENT",
    "PARTIALLY_SHIPPING",
    "AWAITING_COLLECTION",
    "IN_TRANSIT",
    "DELIVERED",
    "COMPLETED",
    "CANCELLED",
)
PRODUCT_STATUSES = (
    "ALL",
    "DRAFT",
    "PENDING",
    "FAILED",
    "ACTIVATE",
    "SELLER_DEACTIVATED",
    "PLATFORM_DEACTIVATED",
    "FREEZE",
    "DELETED",
)
RETURN_TYPES = ("REFUND", "RETURN_AND_REFUND", "REPLACEMENT")
CANCEL_TYPES = ("CANCEL", "BUYER_CANCEL")
CANCEL_STATUSES = (
    "CANCELLATION_REQUEST_PENDING",
    "CANCELLATION_REQUEST_SUCCESS",
    "CANCELLATION_REQUEST_CANCEL",
    "CANCELLATION_REQUEST_COMPLETE",
)
PACKAGE_STATUSES = ("PROCESSING", "FULFILLING", "COMPLETED", "CANCELLED")
PAYMENT_STATUSES = ("PAID", "FAILED", "PROCESSING")
WITHDRAWAL_TYPES = ("WITHDRAW", "SETTLE", "TRANSFER", "REVERSE")
ACTIVITY_STATUSES = ("DRAFT", "NOT_START", "ONGOING", "EXPIRED", "DEACTIVATED", "NOT_EFFECTIVE")
ACTIVITY_TYPES = ("FIXED_PRICE", "DIRECT_DISCOUNT", "FLASHSALE", "SHIPPING_DISCOUNT", "BUY_MORE_SAVE_MORE")
COUPON_STATUSES = ("NOT_START", "ONGOING", "EXPIRED", "DEACTIVATED", "DELETED")

# query keys that never take part in a page token's binding
COMMON_QUERY = {"app_key", "timestamp", "sign", "access_token", "shop_cipher", "page_size", "page_token", "version"}


class ApiError(Exception):
    def __init__(self, code: int, message: str, http: int = 200):
        super().__init__(message)
        self.code = code
        self.message = message
        self.http = http


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


class EndpointState:
    """Shared caches: sorted indexes (rebuilt when the world changes) and total counts."""

    def __init__(self, world):
        self.world = world
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

    def prerender_orders(self):
        """Encodes every order now, so serving Search Orders pages costs little more than the HTTP exchange."""
        for shop in self.world.shops:
            for row in shop.orders:
                self.rendered(("orders", shop.id, row.nid), row, ORDER_RENDER)

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

except ImportError:  # pragma: no cover - orjson comes with the project's environment

    def encoded(record):
        return record


# -- parameter helpers -------------------------------------------------------------------------------------


def _int(value, name: str, err: int, minimum: int = 0) -> int:
    if isinstance(value, bool):
        raise ApiError(err, f"Invalid {name}: must be an integer")
    if isinstance(value, int):
        v = value
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        v = int(value.strip())
    else:
        raise ApiError(err, f"Invalid {name}: must be an integer")
    if v < minimum:
        raise ApiError(err, f"Invalid {name}: must be >= {minimum}")
    return v


def page_size(src: dict, lo: int, hi: int, default: int | None, err: int) -> int:
    raw = src.get("page_size")
    if raw is None or raw == "":
        if default is None:
            raise ApiError(err, "page_size is required")
        return default
    try:
        v = _int(raw, "page_size", err, minimum=-(10**9))
    except ApiError:
        raise ApiError(err, f"Invalid page_size: must be an integer between {lo} and {hi}") from None
    if not lo <= v <= hi:
        raise ApiError(err, f"Invalid page_size: must be between {lo} and {hi}")
    return v


def sort_params(q: dict, fields: tuple, default_field: str | None, default_order: str, err: int) -> tuple[str, bool]:
    field = q.get("sort_field")
    if field is None or field == "":
        if default_field is None:
            raise ApiError(err, f"sort_field is required (one of: {', '.join(fields)})")
        field = default_field
    if field not in fields:
        raise ApiError(err, f"Invalid sort_field: must be one of {', '.join(fields)}")
    order = q.get("sort_order")
    if order is None or order == "":
        order = default_order
    if order not in ("ASC", "DESC"):
        raise ApiError(err, "Invalid sort_order: must be ASC or DESC")
    return field, order == "DESC"


def enum_value(src: dict, name: str, allowed: tuple, err: int):
    v = src.get(name)
    if v is None or v == "":
        return None
    if not isinstance(v, str) or v not in allowed:
        raise ApiError(err, f"Invalid {name}: must be one of {', '.join(allowed)}")
    return v


def enum_list(src: dict, name: str, allowed: tuple | None, err: int, max_len: int | None = None):
    v = src.get(name)
    if v is None:
        return None
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ApiError(err, f"Invalid {name}: must be an array of strings")
    if max_len is not None and len(v) > max_len:
        raise ApiError(err, f"Invalid {name}: at most {max_len} values")
    if allowed is not None:
        bad = [x for x in v if x not in allowed]
        if bad:
            raise ApiError(err, f"Invalid {name}: {bad[0]!r} is not one of {', '.join(allowed)}")
    return set(v) if v else None


def time_filters(src: dict, specs: tuple, err_for=None, default_err: int = INVALID_PARAM) -> dict:
    """specs: names like "create_time_ge".  Returns {name: int} for those present."""
    out = {}
    for name in specs:
        v = src.get(name)
        if v is None or v == "":
            continue
        err = err_for(name) if err_for else default_err
        out[name] = _int(v, name, err)
    return out


class Bounds:
    """Turns *_ge / *_lt / *_le filters into a range on the sort attribute plus a predicate for the rest."""

    def __init__(self, filters: dict, sort_attr: str):
        self.lo = None
        self.hi = None
        self.checks = []
        for name, v in filters.items():
            attr, op = name.rsplit("_", 1)
            if attr == sort_attr:
                if op == "ge":
                    self.lo = v if self.lo is None else max(self.lo, v)
                else:
                    hi = v if op == "lt" else v + 1
                    self.hi = hi if self.hi is None else min(self.hi, hi)
            else:
                self.checks.append((attr, op, v))

    def pred(self, extra=None):
        checks = self.checks
        if not checks and extra is None:
            return None

        def pred(r):
            for attr, op, v in checks:
                x = getattr(r, attr)
                if op == "ge":
                    if x < v:
                        return False
                elif op == "lt":
                    if x >= v:
                        return False
                elif x > v:
                    return False
            return extra is None or extra(r)

        return pred


def run_list(
    ctx: Ctx,
    *,
    name: str,
    rows_fn,
    sort_attr: str,
    desc: bool,
    size: int,
    token: str | None,
    binding_extra,
    filters: dict,
    extra_pred=None,
    token_err: int,
    render,
    with_total: bool = True,
    before_page=None,
):
    """Generic keyset listing: returns (records, next_page_token, total_count or None, offset)."""
    shop_id = ctx.shop.id if ctx.shop is not None else ""
    binding = binding_hash(ctx.route.key, shop_id, sort_attr, desc, filters, binding_extra)
    after, offset = None, 0
    if token:
        try:
            after, offset = ctx.state.codec.decode(token, binding)
        except TokenError as exc:
            raise ApiError(token_err, f"Invalid page_token: {exc}") from None
    index = ctx.state.index((shop_id, name), rows_fn, sort_attr)
    bounds = Bounds(filters, sort_attr)
    pred = bounds.pred(extra_pred)
    total = None
    if with_total or before_page is not None:
        total = ctx.state.total(binding, lambda: count(index, pred, *_range(index, bounds.lo, bounds.hi)))
    if before_page is not None:
        before_page(offset, total)
    rows, has_more, _s, _e = page(index, desc=desc, after=after, size=size, pred=pred, lo=bounds.lo, hi=bounds.hi)
    nxt = ""
    if has_more and rows:
        last = rows[-1]
        nxt = ctx.state.codec.encode(binding, (getattr(last, sort_attr), last.nid), offset + len(rows))
    records = [ctx.state.rendered((name, shop_id, r.nid), r, render) for r in rows]
    return records, nxt, (total if with_total else None), offset


def _range(index: SortedIndex, lo, hi):
    keys = index.keys
    start = bisect.bisect_left(keys, (lo,)) if lo is not None else 0
    end = bisect.bisect_left(keys, (hi,)) if hi is not None else len(keys)
    return start, end


def _page_token(src: dict, err: int) -> str | None:
    t = src.get("page_token")
    if t is None or t == "":
        return None
    if not isinstance(t, str):
        raise ApiError(err, "Invalid page_token")
    return t


# -- handlers ------------------------------------------------------------------------------------------------


def h_authorized_shops(ctx: Ctx):
    return {"shops": [s.info() for s in ctx.world.shops]}


def h_active_shops(ctx: Ctx):
    return {"shops": [{"id": s.id, "region": s.region} for s in ctx.world.shops]}


def ORDER_RENDER(order):  # noqa: N802 - a constant function, shared with prerender_orders
    return order.render()


def h_orders_search(ctx: Ctx):
    q, b = ctx.q, ctx.body
    size = page_size(q, 1, 100, None, INVALID_PARAM)
    token = _page_token(q, INVALID_PARAM)
    field, desc = sort_params(q, ("create_time", "update_time"), "create_time", "DESC", INVALID_PARAM)
    filters = time_filters(b, ("create_time_ge", "create_time_lt", "update_time_ge", "update_time_lt"))
    status = enum_value(b, "order_status", ORDER_STATUSES, INVALID_PARAM)
    shipping_type = enum_value(b, "shipping_type", ("TIKTOK", "SELLER"), INVALID_PARAM)
    buyer = b.get("buyer_user_id")
    if buyer is not None and not isinstance(buyer, str):
        raise ApiError(INVALID_PARAM, "Invalid buyer_user_id")
    cancel_req = b.get("is_buyer_request_cancel")
    if cancel_req is not None and not isinstance(cancel_req, bool):
        raise ApiError(INVALID_PARAM, "Invalid is_buyer_request_cancel: must be a boolean")
    warehouses = enum_list(b, "warehouse_ids", None, INVALID_PARAM, max_len=100)

    def extra(o):
        if status is not None and o.status != status:
            return False
        if shipping_type is not None and o.shipping_type != shipping_type:
            return False
        if buyer and o.user_id != buyer:
            return False
        if cancel_req is not None and o.is_buyer_request_cancel != cancel_req:
            return False
        return not (warehouses and o.warehouse_id not in warehouses)

    has_extra = any(x is not None and x != "" for x in (status, shipping_type, buyer, cancel_req, warehouses))
    shop = ctx.shop
    recs, nxt, total, _ = run_list(
        ctx,
        name="orders",
        rows_fn=lambda: shop.orders,
        sort_attr=field,
        desc=desc,
        size=size,
        token=token,
        binding_extra=[status, shipping_type, buyer, cancel_req, sorted(warehouses or [])],
        filters=filters,
        extra_pred=extra if has_extra else None,
        token_err=INVALID_PARAM,
        render=ORDER_RENDER,
    )
    return {"orders": recs, "next_page_token": nxt, "total_count": total}


def h_order_detail(ctx: Ctx):
    raw = ctx.q.get("ids")
    if not raw:
        raise ApiError(INVALID_PARAM, "ids is required")
    ids = [x.strip() for x in raw.split(",")]
    if any(not x.isdigit() for x in ids):
        raise ApiError(INVALID_PARAM, "Invalid ids: comma-separated order ids expected")
    if len(ids) > 50:
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


def _product_time_err(name: str) -> int:
    return PRODUCT_CREATE_TIME if name.startswith("create") else PRODUCT_UPDATE_TIME


def h_products_search(ctx: Ctx):
    q, b = ctx.q, ctx.body
    size = page_size(q, 1, 100, None, PRODUCT_PAGE_SIZE)
    token = _page_token(q, PRODUCT_PAGE_TOKEN)
    filters = time_filters(
        b, ("create_time_ge", "create_time_le", "update_time_ge", "update_time_le"), err_for=_product_time_err
    )
    status = enum_value(b, "status", PRODUCT_STATUSES, INVALID_PARAM)
    seller_skus = enum_list(b, "seller_skus", None, INVALID_PARAM)
    sku_ids = enum_list(b, "sku_ids", None, INVALID_PARAM, max_len=10)
    cv = b.get("category_version", q.get("category_version"))
    if cv not in (None, "", "v1", "v2"):
        raise ApiError(INVALID_PARAM, "Invalid category_version: must be v1 or v2")
    status_f = None if status in (None, "ALL") else status

    def extra(p):
        if status_f is not None and p.status != status_f:
            return False
        if seller_skus and not any(s.seller_sku in seller_skus for s in p.skus):
            return False
        return not (sku_ids and not any(s.id in sku_ids for s in p.skus))

    def cap(offset, total):
        if min(total, offset + size) > 10000:
            raise ApiError(PRODUCT_WINDOW, "The total number of search results can not exceed 10000")

    shop = ctx.shop
    recs, nxt, total, _ = run_list(
        ctx,
        name="products",
        rows_fn=lambda: shop.products,
        sort_attr="create_time",
        desc=True,
        size=size,
        token=token,
        binding_extra=[status_f, sorted(seller_skus or []), sorted(sku_ids or [])],
        filters=filters,
        extra_pred=extra if (status_f or seller_skus or sku_ids) else None,
        token_err=PRODUCT_PAGE_TOKEN,
        render=lambda p: p.summary(),
        before_page=cap,
    )
    return {"products": recs, "next_page_token": nxt, "total_count": total}


def h_product_detail(ctx: Ctx):
    pid = ctx.params["product_id"]
    p = ctx.shop.product_by_id.get(pid)
    if p is None or p.status in HIDDEN_FROM_GET_PRODUCT:
        raise ApiError(PRODUCT_NOT_FOUND, f"The product {pid} does not exist or is not available")
    return p.detail()


def _id_set(b: dict, name: str, err: int):
    v = enum_list(b, name, None, err)
    return v


def h_returns_search(ctx: Ctx):
    q, b = ctx.q, ctx.body
    err = RETURNS_PARAM
    size = page_size(q, 10, 50, 10, err)
    token = _page_token(q, err)
    field, desc = sort_params(q, ("create_time", "update_time"), "create_time", "ASC", err)
    filters = time_filters(b, ("create_time_ge", "create_time_lt", "update_time_ge", "update_time_lt"), default_err=err)
    return_ids = _id_set(b, "return_ids", err)
    order_ids = _id_set(b, "order_ids", err)
    buyers = _id_set(b, "buyer_user_ids", err)
    types = enum_list(b, "return_types", RETURN_TYPES, err)
    statuses = enum_list(b, "return_status", None, err)
    arbitration = enum_list(b, "arbitration_status", None, err)

    def extra(r):
        if return_ids and r.id not in return_ids:
            return False
        if order_ids and r.order.id not in order_ids:
            return False
        if buyers and r.order.user_id not in buyers:
            return False
        if types and r.return_type not in types:
            return False
        if statuses and r.status not in statuses:
            return False
        return not arbitration  # no return in the sandbox is under arbitration

    used = any((return_ids, order_ids, buyers, types, statuses, arbitration))
    shop = ctx.shop
    recs, nxt, total, _ = run_list(
        ctx,
        name="returns",
        rows_fn=lambda: shop.returns,
        sort_attr=field,
        desc=desc,
        size=size,
        token=token,
        binding_extra=[sorted(x or []) for x in (return_ids, order_ids, buyers, types, statuses, arbitration)],
        filters=filters,
        extra_pred=extra if used else None,
        token_err=err,
        render=lambda r: r.render(),
    )
    return {"return_orders": recs, "next_page_token": nxt, "total_count": total}


def h_cancellations_search(ctx: Ctx):
    q, b = ctx.q, ctx.body
    err = RETURNS_PARAM
    size = page_size(q, 1, 50, 10, err)
    token = _page_token(q, err)
    field, desc = sort_params(q, ("create_time", "update_time"), "create_time", "ASC", err)
    filters = time_filters(b, ("create_time_ge", "create_time_lt", "update_time_ge", "update_time_lt"), default_err=err)
    cancel_ids = _id_set(b, "cancel_ids", err)
    order_ids = _id_set(b, "order_ids", err)
    buyers = _id_set(b, "buyer_user_ids", err)
    types = enum_list(b, "cancel_types", CANCEL_TYPES, err)
    statuses = enum_list(b, "cancel_status", CANCEL_STATUSES, err)

    def extra(c):
        if cancel_ids and c.id not in cancel_ids:
            return False
        if order_ids and c.order.id not in order_ids:
            return False
        if buyers and c.order.user_id not in buyers:
            return False
        if types and c.cancel_type not in types:
            return False
        return not (statuses and c.status not in statuses)

    used = any((cancel_ids, order_ids, buyers, types, statuses))
    shop = ctx.shop
    recs, nxt, total, _ = run_list(
        ctx,
        name="cancellations",
        rows_fn=lambda: shop.cancellations,
        sort_attr=field,
        desc=desc,
        size=size,
        token=token,
        binding_extra=[sorted(x or []) for x in (cancel_ids, order_ids, buyers, types, statuses)],
        filters=filters,
        extra_pred=extra if used else None,
        token_err=err,
        render=lambda c: c.render(),
    )
    return {"cancellations": recs, "next_page_token": nxt, "total_count": total}


def h_packages_search(ctx: Ctx):
    q, b = ctx.q, ctx.body
    size = page_size(q, 1, 50, None, INVALID_PARAM)
    token = _page_token(q, INVALID_PARAM)
    field, desc = sort_params(q, ("create_time", "update_time", "order_pay_time"), "create_time", "DESC", INVALID_PARAM)
    filters = time_filters(b, ("create_time_ge", "create_time_lt", "update_time_ge", "update_time_lt"))
    status = enum_value(b, "package_status", PACKAGE_STATUSES, INVALID_PARAM)
    shop = ctx.shop
    recs, nxt, total, _ = run_list(
        ctx,
        name="packages",
        rows_fn=lambda: shop.packages,
        sort_attr=field,
        desc=desc,
        size=size,
        token=token,
        binding_extra=[status],
        filters=filters,
        extra_pred=(lambda p: p.status == status) if status else None,
        token_err=INVALID_PARAM,
        render=lambda p: p.render(),
    )
    return {"packages": recs, "next_page_token": nxt, "total_count": total}


def h_package_detail(ctx: Ctx):
    pid = ctx.params["package_id"]
    p = ctx.shop.package_by_id.get(pid)
    if p is None:
        raise ApiError(PACKAGE_NOT_FOUND, f"The package {pid} does not exist")
    return p.detail()


def h_statements(ctx: Ctx):
    q = ctx.q
    size = page_size(q, 1, 100, 20, INVALID_PARAM)
    token = _page_token(q, INVALID_PARAM)
    _field, desc = sort_params(q, ("statement_time",), None, "ASC", INVALID_PARAM)
    filters = time_filters(q, ("statement_time_ge", "statement_time_lt"))
    status = enum_value(q, "payment_status", PAYMENT_STATUSES, INVALID_PARAM)
    shop = ctx.shop
    recs, nxt, _total, _ = run_list(
        ctx,
        name="statements",
        rows_fn=lambda: shop.statements,
        sort_attr="statement_time",
        desc=desc,
        size=size,
        token=token,
        binding_extra=[status],
        filters=filters,
        extra_pred=(lambda s: s.data["payment_status"] == status) if status else None,
        token_err=INVALID_PARAM,
        render=lambda s: s.render(),
        with_total=False,
    )
    return {"statements": recs, "next_page_token": nxt}


def h_statement_transactions(ctx: Ctx):
    q = ctx.q
    sid = ctx.params["statement_id"]
    st = ctx.shop.statement_by_id.get(sid)
    size = page_size(q, 1, 100, 20, INVALID_PARAM)
    token = _page_token(q, INVALID_PARAM)
    _field, desc = sort_params(q, ("order_create_time",), None, "ASC", INVALID_PARAM)
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
        binding_extra=[sid],
        filters={},
        token_err=INVALID_PARAM,
        render=lambda t: t.render(),
    )
    shop = ctx.shop
    dec = shop.dec
    rev, fee, ship, adj, settlement = st.totals
    return {
        "id": st.id,
        "create_time": st.data["statement_time"],
        "currency": shop.currency,
        "status": "SETTLED",
        "total_settlement_amount": money(settlement, dec),
        "total_reserve_amount": money(0, dec),
        "payable_amount": money(settlement, dec),
        "total_settlement_breakdown": {
            "revenue_amount": money(rev, dec),
            "fee_tax_amount": money(fee, dec),
            "shipping_cost_amount": money(ship, dec),
            "adjustment_amount": money(adj, dec),
        },
        "transactions": recs,
        "next_page_token": nxt,
        "total_count": total,
    }


def _split(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` proportionally to ``weights``; the remainder goes to the first part."""
    s = sum(weights) or 1
    parts = [total * w // s if total >= 0 else -((-total) * w // s) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def h_order_transactions(ctx: Ctx):
    oid = ctx.params["order_id"]
    o = ctx.shop.order_by_id.get(oid)
    if o is None:
        raise ApiError(INVALID_PARAM, f"Invalid order_id: {oid} not found for this shop")
    out = {"order_id": o.id, "order_create_time": o.create_time, "currency": ctx.shop.currency, "sku_transactions": []}
    f = o.fin
    if f is None or o.statement is None:
        return out  # not settled (yet)
    dec = ctx.shop.dec
    groups: dict[str, list] = {}
    for i, (prod, sku) in enumerate(o.units):
        g = groups.setdefault(sku.id, [prod, sku, 0, 0, 0])
        sd, _pd = o.pay.unit_disc[i]
        g[2] += 1
        g[3] += sku.list_price
        g[4] += sd
    gl = list(groups.values())
    revs = [g[3] - g[4] for g in gl]
    comm = _split(f.commission, revs)
    txn = _split(f.txn_fee, revs)
    aff = _split(f.affiliate, revs)
    ship = [f.shipping_cost] + [0] * (len(gl) - 1)
    for k, (prod, sku, qty, sbd, sd) in enumerate(gl):
        fee = comm[k] + txn[k] + aff[k]
        out["sku_transactions"].append(
            {
                "statement_id": o.statement.id,
                "sku_id": sku.id,
                "sku_name": sku.name,
                "product_name": prod.title,
                "quantity": str(qty),
                "revenue_amount": money(revs[k], dec),
                "revenue_breakdown": {
                    "subtotal_before_discount_amount": money(sbd, dec),
                    "seller_discount_amount": money(-sd, dec),
                },
                "fee_tax_amount": money(fee, dec),
                "fee_tax_breakdown": {
                    "fee": {
                        "platform_commission_amount": money(comm[k], dec),
                        "transaction_fee_amount": money(txn[k], dec),
                        "affiliate_commission_amount": money(aff[k], dec),
                    },
                    "tax": {"vat_amount": money(0, dec)},
                },
                "shipping_cost_amount": money(ship[k], dec),
                "shipping_cost_breakdown": {
                    "actual_shipping_fee_amount": money(-f.actual_shipping if k == 0 else 0, dec),
                    "customer_paid_shipping_fee_amount": money(f.customer_shipping if k == 0 else 0, dec),
                    "shipping_fee_discount_amount": money(f.shipping_subsidy if k == 0 else 0, dec),
                },
                "settlement_amount": money(revs[k] + fee + ship[k], dec),
            }
        )
    return out


def h_payments(ctx: Ctx):
    q = ctx.q
    size = page_size(q, 1, 100, 20, INVALID_PARAM)
    token = _page_token(q, INVALID_PARAM)
    _field, desc = sort_params(q, ("create_time",), None, "ASC", INVALID_PARAM)
    filters = time_filters(q, ("create_time_ge", "create_time_lt"))
    shop = ctx.shop
    recs, nxt, _t, _ = run_list(
        ctx,
        name="payments",
        rows_fn=lambda: shop.payments,
        sort_attr="create_time",
        desc=desc,
        size=size,
        token=token,
        binding_extra=[],
        filters=filters,
        token_err=INVALID_PARAM,
        render=lambda p: p.render(),
        with_total=False,
    )
    return {"payments": recs, "next_page_token": nxt}


def h_withdrawals(ctx: Ctx):
    q = ctx.q
    raw = q.get("types")
    if not raw:
        raise ApiError(INVALID_PARAM, "types is required (comma-separated: WITHDRAW, SETTLE, TRANSFER, REVERSE)")
    types = [t.strip() for t in raw.split(",")]
    bad = [t for t in types if t not in WITHDRAWAL_TYPES]
    if bad:
        raise ApiError(INVALID_PARAM, f"Invalid types: {bad[0]!r} is not one of {', '.join(WITHDRAWAL_TYPES)}")
    tset = set(types)
    size = page_size(q, 1, 100, 20, INVALID_PARAM)
    token = _page_token(q, INVALID_PARAM)
    filters = time_filters(q, ("create_time_ge", "create_time_lt"))
    shop = ctx.shop
    recs, nxt, total, _ = run_list(
        ctx,
        name="withdrawals",
        rows_fn=lambda: shop.withdrawals,
        sort_attr="create_time",
        desc=True,
        size=size,
        token=token,
        binding_extra=[sorted(tset)],
        filters=filters,
        extra_pred=lambda w: w.data["type"] in tset,
        token_err=INVALID_PARAM,
        render=lambda w: w.render(),
    )
    return {"withdrawals": recs, "next_page_token": nxt, "total_count": total}


def h_warehouses(ctx: Ctx):
    return {"warehouses": [w.render() for w in ctx.shop.warehouses]}


def h_categories(ctx: Ctx):
    q = ctx.q
    cv = q.get("category_version")
    if cv not in (None, "", "v1", "v2"):
        raise ApiError(INVALID_PARAM, "Invalid category_version: must be v1 or v2")
    keyword = (q.get("keyword") or "").strip().lower()
    cats = [dict(c, permission_statuses=list(c["permission_statuses"])) for c in ctx.world.categories]
    if keyword:
        cats = [c for c in cats if keyword in c["local_name"].lower()]
    return {"categories": cats}


def h_brands(ctx: Ctx):
    q = ctx.q
    size = page_size(q, 1, 100, None, INVALID_PARAM)
    token = _page_token(q, INVALID_PARAM)
    name = (q.get("brand_name") or "").strip().lower()
    auth = q.get("is_authorized")
    if auth not in (None, "", "true", "false", "1", "0"):
        raise ApiError(INVALID_PARAM, "Invalid is_authorized: must be a boolean")
    cv = q.get("category_version")
    if cv not in (None, "", "v1", "v2"):
        raise ApiError(INVALID_PARAM, "Invalid category_version: must be v1 or v2")
    want_auth = None if auth in (None, "") else auth in ("true", "1")

    def extra(b):
        if name and name not in b.data["name"].lower():
            return False
        return want_auth is None or (b.data["authorized_status"] == "AUTHORIZED") == want_auth

    shop = ctx.shop
    recs, nxt, total, _ = run_list(
        ctx,
        name="brands",
        rows_fn=lambda: shop.brand_rows,
        sort_attr="nid",
        desc=False,
        size=size,
        token=token,
        binding_extra=[name, want_auth, q.get("category_id") or ""],
        filters={},
        extra_pred=extra if (name or want_auth is not None) else None,
        token_err=INVALID_PARAM,
        render=lambda b: b.render(),
    )
    return {"brands": recs, "next_page_token": nxt, "total_count": total}


def h_activities_search(ctx: Ctx):
    b = ctx.body
    raw = b.get("page_size")
    size = 50 if raw in (None, "", 0) else page_size(b, 0, 100, 50, INVALID_PARAM)
    if size == 0:
        size = 50
    token = _page_token(b, INVALID_PARAM)
    status = enum_value(b, "status", ACTIVITY_STATUSES, INVALID_PARAM)
    typ = enum_value(b, "activity_type", ACTIVITY_TYPES, INVALID_PARAM)
    title = b.get("activity_title")
    if title is not None and not isinstance(title, str):
        raise ApiError(INVALID_PARAM, "Invalid activity_title")
    title_l = (title or "").lower()

    def extra(a):
        d = a.data
        if status and d["status"] != status:
            return False
        if typ and d["activity_type"] != typ:
            return False
        return not (title_l and title_l not in d["title"].lower())

    def cap(offset, _total):
        if offset + size >= 10000:
            raise ApiError(ACTIVITY_WINDOW, "page_token + page_size must be less than 10000")

    shop = ctx.shop
    recs, nxt, total, _ = run_list(
        ctx,
        name="activities",
        rows_fn=lambda: shop.activities,
        sort_attr="create_time",
        desc=True,
        size=size,
        token=token,
        binding_extra=[status, typ, title_l],
        filters={},
        extra_pred=extra if (status or typ or title_l) else None,
        token_err=INVALID_PARAM,
        render=lambda a: a.render(),
        before_page=cap,
    )
    return {"activities": recs, "next_page_token": nxt, "total_count": total}


def h_coupons_search(ctx: Ctx):
    q, b = ctx.q, ctx.body
    size = page_size(q, 1, 100, 50, INVALID_PARAM)
    token = _page_token(q, INVALID_PARAM)
    statuses = enum_list(b, "status", COUPON_STATUSES, INVALID_PARAM)
    display = enum_list(b, "display_type", None, INVALID_PARAM)
    kw = b.get("title_keyword")
    if kw is not None and not isinstance(kw, str):
        raise ApiError(INVALID_PARAM, "Invalid title_keyword")
    kw_l = (kw or "").lower()

    def extra(c):
        d = c.data
        if statuses and d["status"] not in statuses:
            return False
        if display and d["display_type"] not in display:
            return False
        return not (kw_l and kw_l not in d["title"].lower())

    shop = ctx.shop
    recs, nxt, total, _ = run_list(
        ctx,
        name="coupons",
        rows_fn=lambda: shop.coupons,
        sort_attr="create_time",
        desc=True,
        size=size,
        token=token,
        binding_extra=[sorted(statuses or []), sorted(display or []), kw_l],
        filters={},
        extra_pred=extra if (statuses or display or kw_l) else None,
        token_err=INVALID_PARAM,
        render=lambda c: c.render(),
    )
    return {"coupons": recs, "next_page_token": nxt, "total_count": total}


# -- the table -----------------------------------------------------------------------------------------------


class Route:
    def __init__(self, key, method, category, versions, parts, scope, shop, handler):
        self.key = key
        self.method = method
        self.category = category
        self.versions = tuple(versions)
        self.parts = tuple(parts)
        self.scope = scope
        self.shop = shop  # shop-scoped: shop_cipher required; else it must not be sent
        self.handler = handler
        self.literal = not any(p.startswith("{") for p in parts)

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
    Route(
        "orders_search", "POST", "order", ["202309"], ["orders", "search"], "seller.order.info", True, h_orders_search
    ),
    Route("order_detail", "GET", "order", ["202309", "202507"], ["orders"], "seller.order.info", True, h_order_detail),
    Route(
        "products_search",
        "POST",
        "product",
        ["202309", "202312", "202502"],
        ["products", "search"],
        "seller.product.basic",
        True,
        h_products_search,
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
        ["202309"],
        ["returns", "search"],
        "seller.return_refund.basic",
        True,
        h_returns_search,
    ),
    Route(
        "cancellations_search",
        "POST",
        "return_refund",
        ["202309"],
        ["cancellations", "search"],
        "seller.return_refund.basic",
        True,
        h_cancellations_search,
    ),
    Route(
        "packages_search",
        "POST",
        "fulfillment",
        ["202309"],
        ["packages", "search"],
        "seller.fulfillment.basic",
        True,
        h_packages_search,
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
    Route("statements", "GET", "finance", ["202309"], ["statements"], "seller.finance.info", True, h_statements),
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
        "order_transactions",
        "GET",
        "finance",
        ["202501"],
        ["orders", "{order_id}", "statement_transactions"],
        "seller.finance.info",
        True,
        h_order_transactions,
    ),
    Route("payments", "GET", "finance", ["202309"], ["payments"], "seller.finance.info", True, h_payments),
    Route("withdrawals", "GET", "finance", ["202309"], ["withdrawals"], "seller.finance.info", True, h_withdrawals),
    Route("warehouses", "GET", "logistics", ["202309"], ["warehouses"], "seller.logistics", True, h_warehouses),
    Route("categories", "GET", "product", ["202309"], ["categories"], "seller.product.basic", True, h_categories),
    Route("brands", "GET", "product", ["202309"], ["brands"], "seller.product.basic", True, h_brands),
    Route(
        "activities_search",
        "POST",
        "promotion",
        ["202309"],
        ["activities", "search"],
        "seller.promotion.info",
        True,
        h_activities_search,
    ),
    Route(
        "coupons_search",
        "POST",
        "promotion",
        ["202406"],
        ["coupons", "search"],
        "seller.promotion.info",
        True,
        h_coupons_search,
    ),
]


class Resolution:
    def __init__(self, status, route=None, params=None, version=None, message=""):
        self.status = status  # "ok" | "unknown_path" | "bad_version" | "bad_method"
        self.route = route
        self.params = params or {}
        self.version = version
        self.message = message


def resolve(method: str, path: str) -> Resolution:
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
    versioned = [c for c in candidates if version in c[0].versions]
    if not versioned:
        return Resolution("bad_version", version=version)
    for r, params in versioned:
        if r.method == method:
            return Resolution("ok", r, params, version)
    return Resolution("bad_method", versioned[0][0], version=version)
