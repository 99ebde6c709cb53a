"""The TikTok Shop endpoints this connector reads: what each one takes and returns (reference §3, §4).

A new endpoint is one `Endpoint` here plus its version in `API_VERSIONS`; the request it needs is
built by `build_request`, the same way for every endpoint.
"""

import json
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

# TikTok moves endpoints to new versions one at a time (reference §0), so each has its own: the current one
# first, then the older ones a shop falls back to where its market does not have the current one yet.
API_VERSIONS: Mapping[str, tuple[str, ...]] = {
    "authorized_shops": ("202309",),
    "orders_search": ("202309",),
    "products_search": ("202502",),
    "product_detail": ("202309",),
    "returns_search": ("202602", "202309"),
    "cancellations_search": ("202602", "202309"),
    "packages_search": ("202309",),
    "statements": ("202309",),
    "statement_transactions": ("202501",),
    "payments": ("202605", "202309"),
    "withdrawals": ("202309",),
    "warehouses": ("202309",),
    "categories": ("202309",),
    "brands": ("202309",),
    "activities_search": ("202309",),
    "coupons_search": ("202406",),
}


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # with `{version}` and any path parameters, e.g. `{statement_id}`
    records_key: str | None  # None: `data` is the record itself
    scope: str
    page_size: int | None = None  # the largest the endpoint allows; None: not paged
    paging_in_body: bool = False
    shop_scoped: bool = True
    time_filter: str | None = None  # sends `<time_filter>_ge` and `<time_filter>_lt` (or `_le`)
    time_filter_in_body: bool = True
    inclusive_upper_bound: bool = False
    sort_field: str | None = None  # always read ascending, so a cursor can checkpoint mid-window
    result_cap: int | None = None  # results one query may page through (reference §3)
    query: Mapping[str, str] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return API_VERSIONS[self.name][0]

    def older_than(self, version: str) -> str | None:
        """The version to fall back to from `version`, if any."""
        versions = API_VERSIONS[self.name]
        later = versions[versions.index(version) + 1 :] if version in versions else ()
        return later[0] if later else None


def _endpoints(*endpoints: Endpoint) -> Mapping[str, Endpoint]:
    return {endpoint.name: endpoint for endpoint in endpoints}


ENDPOINTS = _endpoints(
    Endpoint(
        "authorized_shops",
        "GET",
        "/authorization/{version}/shops",
        "shops",
        "seller.authorization.info",
        shop_scoped=False,
    ),
    Endpoint(
        "orders_search",
        "POST",
        "/order/{version}/orders/search",
        "orders",
        "seller.order.info",
        page_size=100,
        time_filter="update_time",
        sort_field="update_time",
    ),
    Endpoint(
        "products_search",
        "POST",
        "/product/{version}/products/search",
        "products",
        "seller.product.basic",
        page_size=100,
        time_filter="update_time",
        inclusive_upper_bound=True,
        result_cap=10_000,
    ),
    Endpoint("product_detail", "GET", "/product/{version}/products/{product_id}", None, "seller.product.basic"),
    Endpoint(
        "returns_search",
        "POST",
        "/return_refund/{version}/returns/search",
        "return_orders",
        "seller.return_refund.basic",
        page_size=50,
        time_filter="update_time",
        sort_field="update_time",
    ),
    Endpoint(
        "cancellations_search",
        "POST",
        "/return_refund/{version}/cancellations/search",
        "cancellations",
        "seller.return_refund.basic",
        page_size=50,
        time_filter="update_time",
        sort_field="update_time",
    ),
    Endpoint(
        "packages_search",
        "POST",
        "/fulfillment/{version}/packages/search",
        "packages",
        "seller.fulfillment.basic",
        page_size=50,
        time_filter="update_time",
        sort_field="update_time",
    ),
    Endpoint(
        "statements",
        "GET",
        "/finance/{version}/statements",
        "statements",
        "seller.finance.info",
        page_size=100,
        time_filter="statement_time",
        time_filter_in_body=False,
        sort_field="statement_time",
    ),
    Endpoint(
        "statement_transactions",
        "GET",
        "/finance/{version}/statements/{statement_id}/statement_transactions",
        "transactions",
        "seller.finance.info",
        page_size=100,
        sort_field="order_create_time",
    ),
    Endpoint(
        "payments",
        "GET",
        "/finance/{version}/payments",
        "payments",
        "seller.finance.info",
        page_size=100,
        time_filter="create_time",
        time_filter_in_body=False,
        sort_field="create_time",
    ),
    Endpoint(
        "withdrawals",
        "GET",
        "/finance/{version}/withdrawals",
        "withdrawals",
        "seller.finance.info",
        page_size=100,
        time_filter="create_time",
        time_filter_in_body=False,
        query={"types": "WITHDRAW,SETTLE,TRANSFER,REVERSE"},
    ),
    Endpoint("warehouses", "GET", "/logistics/{version}/warehouses", "warehouses", "seller.logistics"),
    Endpoint("categories", "GET", "/product/{version}/categories", "categories", "seller.product.basic"),
    Endpoint("brands", "GET", "/product/{version}/brands", "brands", "seller.product.basic", page_size=100),
    Endpoint(
        "activities_search",
        "POST",
        "/promotion/{version}/activities/search",
        "activities",
        "seller.promotion.info",
        page_size=100,
        paging_in_body=True,
    ),
    Endpoint(
        "coupons_search",
        "POST",
        "/promotion/{version}/coupons/search",
        "coupons",
        "seller.promotion.info",
        page_size=100,
    ),
)


@dataclass(frozen=True)
class Window:
    """A time range of one query: `start` inclusive, `end` exclusive (or inclusive for `_le` filters)."""

    start: int
    end: int

    def halves(self) -> tuple["Window", "Window"]:
        middle = (self.start + self.end) // 2
        return Window(self.start, middle), Window(middle, self.end)


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    params: Mapping[str, str]
    body: str | None  # the exact JSON text sent and signed


def build_request(
    endpoint: Endpoint,
    shop_cipher: str | None = None,
    window: Window | None = None,
    page_token: str | None = None,
    path_params: Mapping[str, str] | None = None,
    query: Mapping[str, str] | None = None,
    version: str | None = None,
) -> Request:
    params: dict[str, Any] = {**endpoint.query, **(query or {})}
    body: dict[str, Any] = {}
    if endpoint.shop_scoped:
        if not shop_cipher:
            raise ValueError(f"{endpoint.name} needs a shop_cipher")
        params["shop_cipher"] = shop_cipher
    if endpoint.page_size:
        paging = body if endpoint.paging_in_body else params
        paging["page_size"] = endpoint.page_size
        if page_token:
            paging["page_token"] = page_token
    if endpoint.sort_field:
        params["sort_field"] = endpoint.sort_field
        params["sort_order"] = "ASC"
    if window and endpoint.time_filter:
        filters = body if endpoint.time_filter_in_body else params
        upper = "le" if endpoint.inclusive_upper_bound else "lt"
        filters[f"{endpoint.time_filter}_ge"] = window.start
        filters[f"{endpoint.time_filter}_{upper}"] = window.end - 1 if endpoint.inclusive_upper_bound else window.end
    path = endpoint.path.format(version=version or endpoint.version, **(path_params or {}))
    text = json.dumps(body, separators=(",", ":")) if endpoint.method == "POST" else None
    return Request(endpoint.method, path, {key: str(value) for key, value in params.items()}, text)


@dataclass(frozen=True)
class Shop:
    """One authorized shop: `cipher` addresses it in requests, `record` is how TikTok lists it."""

    id: str
    cipher: str
    region: str
    record: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> "Shop":
        return cls(str(record["id"]), str(record.get("cipher") or ""), str(record.get("region") or ""), record)


@dataclass(frozen=True)
class Query:
    """One query of an endpoint: for a shop, over a time window, with path and extra query parameters."""

    endpoint: Endpoint
    shop: Shop | None = None
    window: Window | None = None
    path_params: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, str] = field(default_factory=dict)

    def request(self, page_token: str | None = None, version: str | None = None) -> Request:
        cipher = self.shop.cipher if self.shop else None
        return build_request(self.endpoint, cipher, self.window, page_token, self.path_params, self.params, version)

    @property
    def key(self) -> Hashable:
        """The same for the very same query, whoever runs it."""
        shop_id = self.shop.id if self.shop else None
        parameters = (tuple(sorted(self.path_params.items())), tuple(sorted(self.params.items())))
        return self.endpoint.name, shop_id, self.window, parameters
