"""The endpoint table and the endpoint handlers (reference §3, §4)."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from .data.common import money
from .data.products import HIDDEN_FROM_GET_PRODUCT
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
                self.rendered(("orders", shop.id, row.nid), row, as_served)

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


def time_filters(src: dict, names: tuple, err_for) -> dict:
    """names: like "create_time_ge".  Returns {name: int} for those present; ``err_for(name)`` is the error code."""
    out = {}
    for name in names:
        v = src.get(name)
        if v is None or v == "":
            continue
        out[name] = _int(v, name, err_for(name))
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


# -- list endpoints: one handler, read from a declaration per endpoint ---------------------------------------


def as_served(row):
    return row.render()


@dataclass(frozen=True)
class Search:
    """What one list endpoint takes and returns; calling it serves a page.

    Every list endpoint checks its parameters in the same order (page_size, page_token, sort, time filters, then
    its own filters), so a request with several faults reports the first; ``filters_first`` moves the endpoint's
    own filters to the front.
    """

    records_key: str  # the list's key in ``data``
    rows: str  # the Shop attribute holding the rows; also names the caches
    page_size: tuple[int, int, int | None]  # lowest, highest, default (None: page_size is required)
    sort: tuple[str | None, str] = ("create_time", "DESC")  # default sort_field (None: required) and sort_order
    sort_fields: tuple[str, ...] = ()  # sort_field values taken from the query; () : always sorted by ``sort``
    time_filters: tuple[str, ...] = ()  # "<attr>_ge" is inclusive, "<attr>_lt" exclusive, "<attr>_le" inclusive
    time_filters_in: str = "body"  # "body" or "query"
    paging_in: str = "query"  # where page_size and page_token are: "query" or "body"
    filters: Callable | None = None  # (ctx, err) -> (binding, predicate or None): the endpoint's own filters
    filters_first: bool = False
    err: int = INVALID_PARAM
    errs: dict = field(default_factory=dict)  # error code per parameter (time filters: per attribute), where not err
    zero_page_size_is_default: bool = False
    window: Callable | None = None  # (offset, total, size): raises ApiError past the endpoint's result window
    with_total: bool = True

    def __call__(self, ctx: Ctx):
        paging = ctx.body if self.paging_in == "body" else ctx.q
        if self.filters_first:
            binding, pred = self.filters(ctx, self.err)
        size = self._page_size(paging)
        token = _page_token(paging, self._err("page_token"))
        if self.sort_fields:
            sort_attr, desc = sort_params(ctx.q, self.sort_fields, *self.sort, self.err)
        else:
            sort_attr, desc = self.sort[0], self.sort[1] == "DESC"
        time_src = ctx.body if self.time_filters_in == "body" else ctx.q
        bounds = time_filters(time_src, self.time_filters, lambda name: self._err(name.rsplit("_", 1)[0]))
        if not self.filters_first:
            binding, pred = self.filters(ctx, self.err) if self.filters is not None else ([], None)
        window = self.window
        shop = ctx.shop
        records, next_token, total, _ = run_list(
            ctx,
            name=self.rows,
            rows_fn=lambda: getattr(shop, self.rows),
            sort_attr=sort_attr,
            desc=desc,
            size=size,
            token=token,
            binding_extra=binding,
            filters=bounds,
            extra_pred=pred,
            token_err=self._err("page_token"),
            render=as_served,
            with_total=self.with_total,
            before_page=None if window is None else (lambda offset, total: window(offset, total, size)),
        )
        out = {self.records_key: records, "next_page_token": next_token}
        if self.with_total:
            out["total_count"] = total
        return out

    def _err(self, param: str) -> int:
        return self.errs.get(param, self.err)

    def _page_size(self, src: dict) -> int:
        lo, hi, default = self.page_size
        if self.zero_page_size_is_default and src.get("page_size") in (None, "", 0):
            return default
        size = page_size(src, lo, hi, default, self._err("page_size"))
        return default if self.zero_page_size_is_default and size == 0 else size


# -- handlers ------------------------------------------------------------------------------------------------


def h_authorized_shops(ctx: Ctx):
    return {"shops": [s.info() for s in ctx.world.shops]}


def h_active_shops(ctx: Ctx):
    return {"shops": [{"id": s.id, "region": s.region} for s in ctx.world.shops]}


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


# -- the list endpoints ---------------------------------------------------------------------------------------
# Each declares what differs; ``Search.__call__`` does the paging.  A filter function checks the endpoint's own
# filters and returns what binds a page token to them plus a predicate on rows (None when none is set).

CREATE_UPDATE_LT = ("create_time_ge", "create_time_lt", "update_time_ge", "update_time_lt")


def _order_filters(ctx: Ctx, err: int):
    b = ctx.body
    status = enum_value(b, "order_status", ORDER_STATUSES, err)
    shipping_type = enum_value(b, "shipping_type", ("TIKTOK", "SELLER"), err)
    buyer = b.get("buyer_user_id")
    if buyer is not None and not isinstance(buyer, str):
        raise ApiError(err, "Invalid buyer_user_id")
    cancel_req = b.get("is_buyer_request_cancel")
    if cancel_req is not None and not isinstance(cancel_req, bool):
        raise ApiError(err, "Invalid is_buyer_request_cancel: must be a boolean")
    warehouses = enum_list(b, "warehouse_ids", None, err, max_len=100)

    def pred(o):
        if status is not None and o.status != status:
            return False
        if shipping_type is not None and o.shipping_type != shipping_type:
            return False
        if buyer and o.user_id != buyer:
            return False
        if cancel_req is not None and o.is_buyer_request_cancel != cancel_req:
            return False
        return not (warehouses and o.warehouse_id not in warehouses)

    used = any(x is not None and x != "" for x in (status, shipping_type, buyer, cancel_req, warehouses))
    return [status, shipping_type, buyer, cancel_req, sorted(warehouses or [])], pred if used else None


def _product_filters(ctx: Ctx, err: int):
    b = ctx.body
    status = enum_value(b, "status", PRODUCT_STATUSES, err)
    seller_skus = enum_list(b, "seller_skus", None, err)
    sku_ids = enum_list(b, "sku_ids", None, err, max_len=10)
    cv = b.get("category_version", ctx.q.get("category_version"))
    if cv not in (None, "", "v1", "v2"):
        raise ApiError(err, "Invalid category_version: must be v1 or v2")
    status_f = None if status in (None, "ALL") else status

    def pred(p):
        if status_f is not None and p.status != status_f:
            return False
        if seller_skus and not any(s.seller_sku in seller_skus for s in p.skus):
            return False
        return not (sku_ids and not any(s.id in sku_ids for s in p.skus))

    used = status_f or seller_skus or sku_ids
    return [status_f, sorted(seller_skus or []), sorted(sku_ids or [])], pred if used else None


def _products_window(offset: int, total: int, size: int):
    if min(total, offset + size) > 10000:
        raise ApiError(PRODUCT_WINDOW, "The total number of search results can not exceed 10000")


def _return_filters(ctx: Ctx, err: int):
    b = ctx.body
    return_ids = enum_list(b, "return_ids", None, err)
    order_ids = enum_list(b, "order_ids", None, err)
    buyers = enum_list(b, "buyer_user_ids", None, err)
    types = enum_list(b, "return_types", RETURN_TYPES, err)
    statuses = enum_list(b, "return_status", None, err)
    arbitration = enum_list(b, "arbitration_status", None, err)

    def pred(r):
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

    sets = (return_ids, order_ids, buyers, types, statuses, arbitration)
    return [sorted(x or []) for x in sets], pred if any(sets) else None


def _cancellation_filters(ctx: Ctx, err: int):
    b = ctx.body
    cancel_ids = enum_list(b, "cancel_ids", None, err)
    order_ids = enum_list(b, "order_ids", None, err)
    buyers = enum_list(b, "buyer_user_ids", None, err)
    types = enum_list(b, "cancel_types", CANCEL_TYPES, err)
    statuses = enum_list(b, "cancel_status", CANCEL_STATUSES, err)

    def pred(c):
        if cancel_ids and c.id not in cancel_ids:
            return False
        if order_ids and c.order.id not in order_ids:
            return False
        if buyers and c.order.user_id not in buyers:
            return False
        if types and c.cancel_type not in types:
            return False
        return not (statuses and c.status not in statuses)

    sets = (cancel_ids, order_ids, buyers, types, statuses)
    return [sorted(x or []) for x in sets], pred if any(sets) else None


def _package_filters(ctx: Ctx, err: int):
    status = enum_value(ctx.body, "package_status", PACKAGE_STATUSES, err)
    return [status], (lambda p: p.status == status) if status else None


def _statement_filters(ctx: Ctx, err: int):
    status = enum_value(ctx.q, "payment_status", PAYMENT_STATUSES, err)
    return [status], (lambda s: s.data["payment_status"] == status) if status else None


def _withdrawal_filters(ctx: Ctx, err: int):
    raw = ctx.q.get("types")
    if not raw:
        raise ApiError(err, "types is required (comma-separated: WITHDRAW, SETTLE, TRANSFER, REVERSE)")
    types = [t.strip() for t in raw.split(",")]
    bad = [t for t in types if t not in WITHDRAWAL_TYPES]
    if bad:
        raise ApiError(err, f"Invalid types: {bad[0]!r} is not one of {', '.join(WITHDRAWAL_TYPES)}")
    tset = set(types)
    return [sorted(tset)], lambda w: w.data["type"] in tset


def _brand_filters(ctx: Ctx, err: int):
    q = ctx.q
    name = (q.get("brand_name") or "").strip().lower()
    auth = q.get("is_authorized")
    if auth not in (None, "", "true", "false", "1", "0"):
        raise ApiError(err, "Invalid is_authorized: must be a boolean")
    cv = q.get("category_version")
    if cv not in (None, "", "v1", "v2"):
        raise ApiError(err, "Invalid category_version: must be v1 or v2")
    want_auth = None if auth in (None, "") else auth in ("true", "1")

    def pred(b):
        if name and name not in b.data["name"].lower():
            return False
        return want_auth is None or (b.data["authorized_status"] == "AUTHORIZED") == want_auth

    used = name or want_auth is not None
    return [name, want_auth, q.get("category_id") or ""], pred if used else None


def _activity_filters(ctx: Ctx, err: int):
    b = ctx.body
    status = enum_value(b, "status", ACTIVITY_STATUSES, err)
    typ = enum_value(b, "activity_type", ACTIVITY_TYPES, err)
    title = b.get("activity_title")
    if title is not None and not isinstance(title, str):
        raise ApiError(err, "Invalid activity_title")
    title_l = (title or "").lower()

    def pred(a):
        d = a.data
        if status and d["status"] != status:
            return False
        if typ and d["activity_type"] != typ:
            return False
        return not (title_l and title_l not in d["title"].lower())

    return [status, typ, title_l], pred if (status or typ or title_l) else None


def _activities_window(offset: int, _total: int, size: int):
    if offset + size >= 10000:
        raise ApiError(ACTIVITY_WINDOW, "page_token + page_size must be less than 10000")


def _coupon_filters(ctx: Ctx, err: int):
    b = ctx.body
    statuses = enum_list(b, "status", COUPON_STATUSES, err)
    display = enum_list(b, "display_type", None, err)
    kw = b.get("title_keyword")
    if kw is not None and not isinstance(kw, str):
        raise ApiError(err, "Invalid title_keyword")
    kw_l = (kw or "").lower()

    def pred(c):
        d = c.data
        if statuses and d["status"] not in statuses:
            return False
        if display and d["display_type"] not in display:
            return False
        return not (kw_l and kw_l not in d["title"].lower())

    used = statuses or display or kw_l
    return [sorted(statuses or []), sorted(display or []), kw_l], pred if used else None


SEARCH_ORDERS = Search(
    "orders",
    "orders",
    page_size=(1, 100, None),
    sort_fields=("create_time", "update_time"),
    time_filters=CREATE_UPDATE_LT,
    filters=_order_filters,
)
SEARCH_PRODUCTS = Search(
    "products",
    "products",
    page_size=(1, 100, None),
    time_filters=("create_time_ge", "create_time_le", "update_time_ge", "update_time_le"),
    filters=_product_filters,
    errs={
        "page_size": PRODUCT_PAGE_SIZE,
        "page_token": PRODUCT_PAGE_TOKEN,
        "create_time": PRODUCT_CREATE_TIME,
        "update_time": PRODUCT_UPDATE_TIME,
    },
    window=_products_window,
)
SEARCH_RETURNS = Search(
    "return_orders",
    "returns",
    page_size=(10, 50, 10),
    sort=("create_time", "ASC"),
    sort_fields=("create_time", "update_time"),
    time_filters=CREATE_UPDATE_LT,
    filters=_return_filters,
    err=RETURNS_PARAM,
)
SEARCH_CANCELLATIONS = Search(
    "cancellations",
    "cancellations",
    page_size=(1, 50, 10),
    sort=("create_time", "ASC"),
    sort_fields=("create_time", "update_time"),
    time_filters=CREATE_UPDATE_LT,
    filters=_cancellation_filters,
    err=RETURNS_PARAM,
)
SEARCH_PACKAGES = Search(
    "packages",
    "packages",
    page_size=(1, 50, None),
    sort_fields=("create_time", "update_time", "order_pay_time"),
    time_filters=CREATE_UPDATE_LT,
    filters=_package_filters,
)
GET_STATEMENTS = Search(
    "statements",
    "statements",
    page_size=(1, 100, 20),
    sort=(None, "ASC"),
    sort_fields=("statement_time",),
    time_filters=("statement_time_ge", "statement_time_lt"),
    time_filters_in="query",
    filters=_statement_filters,
    with_total=False,
)
GET_PAYMENTS = Search(
    "payments",
    "payments",
    page_size=(1, 100, 20),
    sort=(None, "ASC"),
    sort_fields=("create_time",),
    time_filters=("create_time_ge", "create_time_lt"),
    time_filters_in="query",
    with_total=False,
)
GET_WITHDRAWALS = Search(
    "withdrawals",
    "withdrawals",
    page_size=(1, 100, 20),
    time_filters=("create_time_ge", "create_time_lt"),
    time_filters_in="query",
    filters=_withdrawal_filters,
    filters_first=True,  # ``types`` is required, and checked before paging
)
GET_BRANDS = Search("brands", "brand_rows", page_size=(1, 100, None), sort=("nid", "ASC"), filters=_brand_filters)
SEARCH_ACTIVITIES = Search(
    "activities",
    "activities",
    page_size=(0, 100, 50),
    paging_in="body",
    zero_page_size_is_default=True,
    filters=_activity_filters,
    window=_activities_window,
)
SEARCH_COUPONS = Search("coupons", "coupons", page_size=(1, 100, 50), filters=_coupon_filters)


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
        ["202309"],
        ["returns", "search"],
        "seller.return_refund.basic",
        True,
        SEARCH_RETURNS,
    ),
    Route(
        "cancellations_search",
        "POST",
        "return_refund",
        ["202309"],
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
        "order_transactions",
        "GET",
        "finance",
        ["202501"],
        ["orders", "{order_id}", "statement_transactions"],
        "seller.finance.info",
        True,
        h_order_transactions,
    ),
    Route("payments", "GET", "finance", ["202309"], ["payments"], "seller.finance.info", True, GET_PAYMENTS),
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
