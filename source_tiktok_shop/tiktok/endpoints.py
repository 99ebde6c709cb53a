"""The TikTok Shop endpoints this connector reads: what each one takes and returns (reference §3, §4).

A new endpoint is one `Endpoint` here, its versions included; the request it needs is built by `build_request`,
the same way for every endpoint.
"""

import json
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .envelope import dotted

AFFILIATE = "seller.affiliate_collaboration.read"
FBT = "seller.fulfillment.basic"


@dataclass(frozen=True)
class Variants:
    """An endpoint read in one query per value of `parameter` (None: the query without it, TikTok's default), which
    between them return every record once.

    Each query sends its value as a filter (in the body of a POST, the query of a GET). A record holding another
    query's value is left out of the answer (that query reads it), so each record comes once whether or not TikTok
    also lists it unasked; a record that does not say its value gets the one its query asked for.
    """

    parameter: str
    values: tuple[str | None, ...]

    def filters(self) -> tuple[Mapping[str, str], ...]:
        return tuple({} if value is None else {self.parameter: value} for value in self.values)

    @property
    def disjoint(self) -> bool:
        """Every query asks for a value of its own, so their `total_count`s add up (the query without the filter
        may count the others' records too)."""
        return None not in self.values


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # with `{version}` and any path parameters, e.g. `{statement_id}`
    records_key: str | None  # a dotted path under `data`; None: `data` is the record itself
    scope: str
    page_size: int | None = None  # the largest the endpoint allows; None: not paged
    paging_in_body: bool = False
    shop_scoped: bool = True
    time_filter: str | None = None  # sends `<time_filter>_ge` and `<time_filter>_lt` (or `_le`)
    time_filter_in_body: bool = True
    inclusive_upper_bound: bool = False
    # Filtered by dates instead (`start_date_ge`, `end_date_lt` as YYYY-MM-DD in the shop's timezone) and read one
    # day per request: the analytics endpoints.
    by_day: bool = False
    # The query parameters a `by_day` endpoint takes the day and the day after in, where it names them otherwise;
    # or the path parameter the day goes in (an endpoint that answers for one date; the day's query carries it).
    day_parameters: tuple[str, str] = ("start_date_ge", "end_date_lt")
    day_path_parameter: str | None = None
    # Where a `by_day` endpoint's answer says up to when TikTok has data as a Unix time (a dotted path under `data`),
    # instead of `latest_available_date`.
    latest_available_timestamp: str | None = None
    # A `by_day` endpoint that says neither: once a day with records was read, the first day without any is taken to
    # be past the latest day TikTok has (days before a shop's first figures may have none too).
    latest_is_last_with_records: bool = False
    sort_field: str | None = None  # always read ascending, so a cursor can checkpoint mid-window
    result_cap: int | None = None  # results one query may page through (reference §3)
    query: Mapping[str, str] = field(default_factory=dict)
    earliest: int | None = None  # TikTok keeps nothing older: time filters never go before it
    variants: Variants | None = None  # read in several queries, one per value of a filter
    # A record's list that may go on over the next page: the next page's first record is the same record (same
    # id) with the rest of the list.
    continued_across_pages: str | None = None
    # The list in each record that `total_count` counts, where it does not count the records.
    total_count_of: str | None = None
    # Paged by `page_index` (1, 2, ...) instead of page tokens, up to the total at this dotted path under `data`.
    page_index_total: str | None = None
    # TikTok moves endpoints to new versions one at a time (reference §0), so each has its own: the current one
    # first, then the older ones a shop falls back to where its market does not have the current one yet.
    versions: tuple[str, ...] = field(kw_only=True)
    # Older versions TikTok retired (version → the date and where it says so): no longer read, so a shop served
    # none of `versions` has nothing to read at all and is skipped for the endpoint's streams.
    retired: Mapping[str, str] = field(default_factory=dict, kw_only=True)

    @property
    def version(self) -> str:
        return self.versions[0]

    def next_page_token(self, data: Mapping[str, Any], records: int, page_token: str | None) -> str | None:
        """The token of the page after the one answered with `data` (holding `records` records) for `page_token`."""
        if not self.page_size:
            return None
        if not self.page_index_total:
            return data.get("next_page_token") or None
        index, total = int(page_token or 1), dotted(data, self.page_index_total)
        return str(index + 1) if records and isinstance(total, int) and index * self.page_size < total else None

    @property
    def queries(self) -> tuple[Mapping[str, str], ...]:
        """The filters of each query that reads the endpoint (one, with none, unless it has `variants`)."""
        return self.variants.filters() if self.variants else ({},)

    def operation(self, version: str | None = None) -> str:
        """`METHOD path` as TikTok's references name the operation: the version filled in, path parameters kept."""
        return f"{self.method} {self.path.replace('{version}', version or self.version)}"

    def path_of(self, version: str | None = None, path_params: Mapping[str, str] | None = None) -> str:
        return self.path.format(version=version or self.version, **(path_params or {}))

    def older_than(self, version: str) -> str | None:
        """The version to fall back to from `version`, if any."""
        later = self.versions[self.versions.index(version) + 1 :] if version in self.versions else ()
        return later[0] if later else None


ANALYTICS = "data.shop_analytics.public.read"


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
        versions=("202309",),
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
        versions=("202309",),
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
        # Whether search lists deleted products unasked is not documented: they are asked for by a query of their own.
        variants=Variants("status", (None, "DELETED")),
        versions=("202502",),
    ),
    Endpoint(
        "product_detail",
        "GET",
        "/product/{version}/products/{product_id}",
        None,
        "seller.product.basic",
        versions=("202309",),
    ),
    Endpoint(
        "returns_search",
        "POST",
        "/return_refund/{version}/returns/search",
        "return_orders",
        "seller.return_refund.basic",
        page_size=50,
        time_filter="update_time",
        sort_field="update_time",
        versions=("202602", "202309"),
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
        versions=("202602", "202309"),
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
        versions=("202309",),
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
        versions=("202309",),
    ),
    Endpoint(
        "statement_transactions",
        "GET",
        "/finance/{version}/statements/{statement_id}/statement_transactions",
        "transactions",
        "seller.finance.info",
        page_size=100,
        sort_field="order_create_time",
        versions=("202501",),
    ),
    Endpoint(
        "order_transactions",
        "GET",
        "/finance/{version}/orders/{order_id}/statement_transactions",
        "sku_transactions",
        "seller.finance.info",
        versions=("202501",),
    ),
    Endpoint(
        "unsettled_transactions",
        "GET",
        "/finance/{version}/orders/unsettled",
        "transactions",
        "seller.finance.info",
        page_size=100,
        time_filter="search_time",
        time_filter_in_body=False,
        sort_field="order_create_time",
        earliest=1735689600,  # 2025-01-01: TikTok's notes
        versions=("202507",),
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
        versions=("202605",),
        retired={"202309": "2026-08-15, TikTok's API changelog"},
    ),
    # Every transaction type the 2026 rules allow to ask for.
    Endpoint(
        "withdrawals",
        "GET",
        "/finance/{version}/withdrawals",
        "withdrawals",
        "seller.finance.info",
        page_size=100,
        time_filter="create_time",
        time_filter_in_body=False,
        query={"types": "PAYMENT,REFUND,REVERSE,SETTLE,TRANSFER,WITHDRAW"},
        versions=("202309",),
    ),
    Endpoint(
        "warehouses",
        "GET",
        "/logistics/{version}/warehouses",
        "warehouses",
        "seller.logistics",
        versions=("202309",),
    ),
    Endpoint(
        "categories",
        "GET",
        "/product/{version}/categories",
        "categories",
        "seller.product.basic",
        versions=("202309",),
    ),
    Endpoint(
        "brands",
        "GET",
        "/product/{version}/brands",
        "brands",
        "seller.product.basic",
        page_size=100,
        versions=("202309",),
    ),
    Endpoint(
        "activities_search",
        "POST",
        "/promotion/{version}/activities/search",
        "activities",
        "seller.promotion.info",
        page_size=100,
        paging_in_body=True,
        versions=("202309",),
    ),
    Endpoint(
        "coupons_search",
        "POST",
        "/promotion/{version}/coupons/search",
        "coupons",
        "seller.promotion.info",
        page_size=100,
        versions=("202406",),
    ),
    # One interval per day with `granularity=1D` (the default, ALL, sums the range).
    Endpoint(
        "shop_performance",
        "GET",
        "/analytics/{version}/shop/performance",
        "performance.intervals",
        ANALYTICS,
        by_day=True,
        query={"granularity": "1D"},
        versions=("202609",),
    ),
    # The lists sort by GMV by default (TikTok's notes); asking for it keeps the order from hanging on that default.
    Endpoint(
        "shop_products_performance",
        "GET",
        "/analytics/{version}/shop_products/performance",
        "products",
        ANALYTICS,
        page_size=100,
        by_day=True,
        sort_field="gmv",
        versions=("202605",),
    ),
    Endpoint(
        "shop_skus_performance",
        "GET",
        "/analytics/{version}/shop_skus/performance",
        "skus",
        ANALYTICS,
        page_size=100,
        by_day=True,
        sort_field="gmv",
        versions=("202509",),
    ),
    Endpoint(
        "shop_videos_performance",
        "GET",
        "/analytics/{version}/shop_videos/performance",
        "videos",
        ANALYTICS,
        page_size=100,
        by_day=True,
        sort_field="gmv",
        versions=("202605",),
    ),
    # `account_type` is required and has no "all" (2026 rules); TikTok's notes: sellers can only query the LIVE rooms
    # of their own official creator accounts, so those are the sessions read (docs/tiktok-shop.md). Its sort fields
    # have no `gmv`: the LIVE-attributed GMV instead.
    Endpoint(
        "shop_lives_performance",
        "GET",
        "/analytics/{version}/shop_lives/performance",
        "live_stream_sessions",
        ANALYTICS,
        page_size=100,
        by_day=True,
        sort_field="live_attributed_gmv",
        query={"account_type": "OFFICIAL_ACCOUNTS"},
        versions=("202609",),
    ),
    Endpoint(
        "affiliate_orders_search",
        "POST",
        "/affiliate_seller/{version}/orders/search",
        "orders",
        AFFILIATE,
        page_size=100,
        time_filter="create_time",
        # Pages count SKU orders and group them by order, so an order's SKUs may go on over the next page.
        continued_across_pages="skus",
        total_count_of="skus",
        versions=("202410",),
    ),
    Endpoint(
        "open_collaborations_search",
        "POST",
        "/affiliate_seller/{version}/open_collaborations/search",
        "open_collaborations",
        AFFILIATE,
        page_size=100,
        versions=("202412",),
    ),
    # `collaboration_status` is required (2026 rules). Of its values (TikTok's notes) VALID holds every valid one
    # (ONGOING and EXPIRING are its two halves), CANCELING those being canceled, COMPLETED the expired and canceled
    # ones: between them, every collaboration once.
    Endpoint(
        "target_collaborations_search",
        "POST",
        "/affiliate_seller/{version}/target_collaborations/search",
        "target_collaborations",
        AFFILIATE,
        page_size=100,  # 20, 50 or 100
        variants=Variants("collaboration_status", ("VALID", "CANCELING", "COMPLETED")),
        versions=("202508",),
    ),
    Endpoint(
        "sample_applications_search",
        "POST",
        "/affiliate_seller/{version}/sample_applications/search",
        "sample_applications",
        AFFILIATE,
        page_size=50,
        versions=("202508",),
    ),
    # Fulfilled by TikTok (FBT), for the sellers onboarded to it only. TikTok names no scope for its FBT APIs in the
    # material at hand: the fulfillment one (docs/new-streams-design.md, decision 8).
    Endpoint(
        "fbt_onboarded_regions",
        "GET",
        "/fbt/{version}/merchants/onboarded_regions",
        "onboarded_regions",
        FBT,
        versions=("202409",),
    ),
    Endpoint("fbt_warehouses", "GET", "/fbt/{version}/warehouses", "warehouses", FBT, versions=("202408",)),
    # Without goods or SKU ids: every goods with stock in every subscribed warehouse (TikTok's notes).
    Endpoint(
        "fbt_inventory_search",
        "POST",
        "/fbt/{version}/inventory/search",
        "inventory",
        FBT,
        page_size=100,
        versions=("202408",),
    ),
    Endpoint(
        "fbt_inventory_records_search",
        "POST",
        "/fbt/{version}/inventory_records/search",
        "inventory_records",
        FBT,
        page_size=100,
        time_filter="create_time",
        inclusive_upper_bound=True,
        versions=("202410",),
    ),
    Endpoint(
        "fbt_inbound_orders",
        "GET",
        "/fbt/{version}/inbound_orders",
        "inbound_orders",
        FBT,
        query={"include_carton_details": "true"},
        versions=("202602",),
    ),
    # Page sizes 1 to 20 (TikTok's notes); sorted by commission rate, ascending, by default.
    Endpoint(
        "open_collaboration_products_search",
        "POST",
        "/affiliate_seller/{version}/open_collaborations/products/search",
        "products",
        AFFILIATE,
        page_size=20,
        versions=("202405",),
    ),
    # Page sizes 2 to 50 (TikTok's notes), paged by index in the body up to `data.data.total`.
    Endpoint(
        "creator_outreach_records",
        "POST",
        "/affiliate_seller/{version}/creator_outreach/records/query",
        "data.connect_list",
        AFFILIATE,
        page_size=50,
        paging_in_body=True,
        page_index_total="data.total",
        versions=("202608",),
    ),
    # Customer service and the Shop Performance Score, hours and LIVE overviews (issue #20).
    # The answer for a range is one aggregate of it (TikTok's notes): one day per request gives the days. A day
    # without figures yet is answered without `performance` (the sandbox's reading: UNCONFIRMED).
    Endpoint(
        "customer_service_performance",
        "GET",
        "/customer_service/{version}/performance",
        "performance",
        "seller.customer_service",
        by_day=True,
        day_parameters=("support_date_ge", "support_date_lt"),
        latest_is_last_with_records=True,
        versions=("202407",),
    ),
    # The score as of its last refresh (`update_time`); TikTok offers it in some markets only.
    Endpoint(
        "shop_performance_score",
        "GET",
        "/analytics/{version}/shop_performances/overview",
        None,
        ANALYTICS,
        versions=("202606",),
    ),
    Endpoint(
        "shop_performance_score_metrics",
        "GET",
        "/analytics/{version}/shop_performances/metrics",
        "metrics",
        ANALYTICS,
        versions=("202606",),
    ),
    # One date per request, in the path; TikTok keeps the last 30 days, today included (its notes), and refuses older
    # ones as it does for the analytics (66007004).
    Endpoint(
        "shop_performance_per_hour",
        "GET",
        "/analytics/{version}/shop/performance/{date}/performance_per_hour",
        "performance.intervals",
        ANALYTICS,
        by_day=True,
        day_path_parameter="date",
        latest_available_timestamp="performance.latest_available_timestamp",
        versions=("202510",),
    ),
    # One interval per day with `granularity=1D`; `account_type` left out: every account (ALL, TikTok's default).
    Endpoint(
        "shop_lives_overview_performance",
        "GET",
        "/analytics/{version}/shop_lives/overview_performance",
        "performance.intervals",
        ANALYTICS,
        by_day=True,
        query={"granularity": "1D"},
        versions=("202609",),
    ),
    # Issue #20, read per record (one request each) or per batch of the records of a parent stream.
    Endpoint(
        "order_price_detail",
        "GET",
        "/order/{version}/orders/{order_id}/price_detail",
        None,
        "seller.order.info",
        versions=("202407",),
    ),
    # `platform` is required (2026 rules): one request per order and platform the user names.
    Endpoint(
        "external_orders",
        "GET",
        "/order/{version}/orders/{order_id}/external_orders",
        "external_orders",
        "seller.order.info",
        versions=("202406",),
    ),
    Endpoint(
        "inventory_search",
        "POST",
        "/product/{version}/inventory/search",
        "inventory",
        "seller.product.basic",
        versions=("202309",),
    ),
    # Reference §4.1: the logistics scope.
    Endpoint(
        "order_tracking",
        "GET",
        "/fulfillment/{version}/orders/{order_id}/tracking",
        None,
        "seller.logistics",
        versions=("202309",),
    ),
    Endpoint(
        "return_records",
        "GET",
        "/return_refund/{version}/returns/{return_id}/records",
        None,
        "seller.return_refund.basic",
        versions=("202309",),
    ),
    Endpoint(
        "activity_detail",
        "GET",
        "/promotion/{version}/activities/{activity_id}",
        "products",
        "seller.promotion.info",
        versions=("202309",),
    ),
    # One video's products on one day; sorted by GMV, as the other analytics lists.
    Endpoint(
        "shop_video_products_performance",
        "GET",
        "/analytics/{version}/shop_videos/{video_id}/products/performance",
        "products",
        ANALYTICS,
        page_size=100,
        by_day=True,
        sort_field="gmv",
        versions=("202509",),
    ),
    Endpoint(
        "product_diagnoses",
        "GET",
        "/product/{version}/products/diagnoses",
        "products",
        "seller.product.basic",
        versions=("202405",),
    ),
    # No `content_format`: both formats (the body is `{}`).
    Endpoint(
        "sample_application_fulfillments",
        "POST",
        "/affiliate_seller/{version}/sample_applications/{application_id}/fulfillments/search",
        "fulfillments",
        AFFILIATE,
        versions=("202409",),
    ),
)


DAY_SECONDS = 86_400
# Filters of a query: a value, or a list of ids (a JSON array in a body, comma-joined in a query).
Filters = Mapping[str, str | tuple[str, ...]]


@dataclass(frozen=True)
class Window:
    """A time range of one query: `start` inclusive, `end` exclusive (or inclusive for `_le` filters).

    For endpoints filtered `by_day`, the UTC midnights of the first day and of the day after the last: the dates
    sent are those days, which TikTok reads in the shop's timezone.
    """

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
    filters: Filters | None = None,
) -> Request:
    params: dict[str, Any] = {**endpoint.query, **(query or {})}
    body: dict[str, Any] = {}
    if endpoint.method == "POST":
        body.update({key: list(value) if isinstance(value, tuple) else value for key, value in (filters or {}).items()})
    else:  # a list of ids goes comma-joined in a query (TikTok's notes on Get Product Diagnoses)
        params.update(
            {key: ",".join(value) if isinstance(value, tuple) else value for key, value in (filters or {}).items()}
        )
    if endpoint.shop_scoped:
        if not shop_cipher:
            raise ValueError(f"{endpoint.name} needs a shop_cipher")
        params["shop_cipher"] = shop_cipher
    if endpoint.page_size:
        paging = body if endpoint.paging_in_body else params
        paging["page_size"] = endpoint.page_size
        if endpoint.page_index_total:
            paging["page_index"] = int(page_token or 1)  # the page's index stands for its token
        elif page_token:
            paging["page_token"] = page_token
    if endpoint.sort_field:
        params["sort_field"] = endpoint.sort_field
        params["sort_order"] = "ASC"
    if window and endpoint.by_day and not endpoint.day_path_parameter:
        first, after = endpoint.day_parameters
        params[first] = day_of(window.start)
        params[after] = day_of(window.end)
    if window and endpoint.time_filter:
        filters = body if endpoint.time_filter_in_body else params
        upper = "le" if endpoint.inclusive_upper_bound else "lt"
        filters[f"{endpoint.time_filter}_ge"] = window.start
        filters[f"{endpoint.time_filter}_{upper}"] = window.end - 1 if endpoint.inclusive_upper_bound else window.end
    path = endpoint.path_of(version, path_params)
    text = json.dumps(body, separators=(",", ":")) if endpoint.method == "POST" else None
    return Request(endpoint.method, path, {key: str(value) for key, value in params.items()}, text)


def day_of(midnight: int) -> str:
    """The date (`YYYY-MM-DD`) a `by_day` window's edge stands for."""
    return datetime.fromtimestamp(midnight, tz=UTC).date().isoformat()


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
    filters: Filters = field(default_factory=dict)  # in the body of a POST, the query of a GET

    def request(self, page_token: str | None = None, version: str | None = None) -> Request:
        cipher = self.shop.cipher if self.shop else None
        return build_request(
            self.endpoint, cipher, self.window, page_token, self.path_params, self.params, version, self.filters
        )

    @property
    def key(self) -> Hashable:
        """The same for the very same query, whoever runs it."""
        shop_id = self.shop.id if self.shop else None
        parameters = tuple(tuple(sorted(values.items())) for values in (self.path_params, self.params, self.filters))
        return self.endpoint.name, shop_id, self.window, parameters
