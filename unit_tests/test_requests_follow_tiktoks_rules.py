"""Every request the connector can send, checked against TikTok's 2026 rules (the sandbox's validator,
`tiktok_shop_sandbox.spec`: names, required parameters and body fields, enumerations).

The requests are not listed here: every declared stream is read by the connector's own reader against a TikTok that
records each query it is asked (and answers each with a page that leads to a second one, so a later page is asked
too), with shops of three markets (a US shop: the v2 category tree; a SEA one: no payments), in both analytics
currencies. Each query is then built the way the client builds it (`Query.request`), at every version of its
endpoint, the current one and each fallback. A new stream, endpoint, version, variant query or market rule falls
under it with no change here. The token host's calls are not operations of TikTok's spec and are not checked.
"""

import json
from collections.abc import Generator, Iterator, Mapping
from dataclasses import replace
from typing import Any

import pytest

from source_tiktok_shop.catalog import STREAMS, STREAMS_BY_NAME
from source_tiktok_shop.config import EXTERNAL_ORDER_PLATFORMS
from source_tiktok_shop.reading.declarations import StreamDeclaration
from source_tiktok_shop.reading.shops import ShopDirectory
from source_tiktok_shop.reading.windows import SyncBounds
from source_tiktok_shop.tiktok.endpoints import ENDPOINTS, Endpoint, Query, Request, Shop
from source_tiktok_shop.tiktok.envelope import Page
from source_tiktok_shop.tiktok.rate import Settled
from tiktok_shop_sandbox.spec import SpecViolation, validate_request
from unit_tests.test_reading import Sync

SHOPS = [Shop("1", "cipher-1", "US", {"id": "1"}), Shop("2", "cipher-2", "GB", {"id": "2"})]
SHOPS += [Shop("3", "cipher-3", "SG", {"id": "3"})]
# 2025-01-01 to 2025-01-03: windows of the time-filtered endpoints, and two days of analytics.
BOUNDS = SyncBounds(start=1_735_689_600, end=1_735_862_400)
CURRENCIES = ("LOCAL", "USD")  # the choices of `analytics_currency`
# A page token as TikTok's look (`+` and `/`), on the first page of every query.
NEXT = "eyJwYWdlIjoyfQ+/="


class RecordingTikTok:
    """The reading's `Api`: notes each request (query and page token) and answers every query with two pages of one
    record each, a record with what every row shape reads (ids, statuses, cursor fields, nested lists)."""

    def __init__(self) -> None:
        self.asked: list[tuple[Query, str | None]] = []

    def pages(self, query: Query, page_token: str | None = None) -> Generator[Page, None, None]:
        if page_token is None:
            self.asked.append((query, None))
            first = page_of(query.endpoint, record(query, 1), NEXT)
            yield first
            page_token = query.endpoint.next_page_token(first.data, len(first.records), None)
        self.asked.append((query, page_token))
        yield page_of(query.endpoint, record(query, 2), "")

    def call(self, query: Query) -> Page:
        self.asked.append((query, None))
        return page_of(query.endpoint, record(query, 1), "")

    def settled(self, query: Query) -> Settled:
        return Settled(1.0, 0, 0)

    def parallelism(self, query: Query) -> int:
        return 1


def record(query: Query, number: int) -> dict[str, Any]:
    time = query.window.start if query.window else BOUNDS.start
    times = {field: time for field in ("update_time", "create_time", "statement_time", "order_create_time")}
    return {
        "id": f"r-{number}",
        "order_id": f"o-{number}",
        "return_id": f"rt-{number}",
        "product_id": f"p-{number}",
        "status": "ACTIVATE",
        **times,
        "line_items": [{"id": f"i-{number}"}],
        "skus": [{"id": f"s-{number}", "sku_id": f"s-{number}"}],
        "packages": [{"id": f"pk-{number}"}],
        # the FBT regions a shop is onboarded in, and an inventory record of goods received for an inbound order
        "region_code": query.shop.region if query.shop else "",
        "goods": {"id": f"g-{number}"},
        "order": {"id": f"io-{number}", "type": "INBOUND_ORDER"},
    }


def page_of(endpoint: Endpoint, one: dict[str, Any], next_page_token: str) -> Page:
    data: dict[str, Any] = {"total_count": 2, "next_page_token": next_page_token}
    if endpoint.page_index_total and next_page_token:  # paged by index: one more record than a page holds
        *path, key = endpoint.page_index_total.split(".")
        into = data
        for name in path:
            into = into.setdefault(name, {})
        into[key] = (endpoint.page_size or 0) + 1
    if endpoint.records_key is None:
        data = {**one, **data}
    else:
        *path, key = endpoint.records_key.split(".")
        into = data
        for name in path:
            into = into.setdefault(name, {})
        into[key] = [one]
    body = json.dumps({"code": 0, "message": "Success", "request_id": "r", "data": data}).encode()
    return Page.parse(body, endpoint.records_key)


def asked_by(declaration: StreamDeclaration) -> Iterator[tuple[Query, str | None]]:
    """The queries (and page tokens) the connector sends to read `declaration`, in every analytics currency."""
    if not declaration.endpoint.shop_scoped:  # the shop list, which the client reads itself (TikTokClient.shops)
        yield Query(declaration.endpoint), None
        return
    for currency in CURRENCIES:
        api = RecordingTikTok()
        # Every platform the config may list for the external order references.
        options = {"analytics_currency": currency, "external_order_platforms": EXTERNAL_ORDER_PLATFORMS}
        sync = Sync(api, bounds=BOUNDS, options=options)
        sync.directory = ShopDirectory(lambda: SHOPS)
        sync.read(declaration)
        yield from api.asked


def requests_of(declaration: StreamDeclaration) -> Iterator[tuple[Endpoint, str, Request]]:
    """Every request of the stream, at every version the client may send it at (the current one, then fallbacks)."""
    for query, page_token in asked_by(declaration):
        for version in query.endpoint.versions:
            yield query.endpoint, version, query.request(page_token, version)


def body_of(request: Request) -> Any:
    return json.loads(request.body) if request.body is not None else None


def violations(declaration: StreamDeclaration) -> list[str]:
    found = []
    for _, _, request in requests_of(declaration):
        try:
            validate_request(request.method, request.path, dict(request.params), body_of(request))
        except SpecViolation as violation:
            found.append(f"{request.method} {request.path} {dict(request.params)} {request.body}: {violation.message}")
    return found


@pytest.mark.parametrize("declaration", STREAMS, ids=lambda declaration: declaration.name)
def test_every_request_of_the_stream_follows_tiktoks_rules(declaration):
    found = violations(declaration)
    assert not found, "\n".join(found)


def test_the_requests_cover_every_endpoint_version_later_page_and_variant_query():
    built = [(d.name, endpoint, version, r) for d in STREAMS for endpoint, version, r in requests_of(d)]
    versions = {(endpoint.name, version) for _, endpoint, version, _ in built}
    assert versions == {(endpoint.name, version) for endpoint in ENDPOINTS.values() for version in endpoint.versions}
    later = {
        endpoint.name
        for _, endpoint, _, r in built
        if NEXT in (r.params.get("page_token"), (body_of(r) or {}).get("page_token"))
        or (body_of(r) or {}).get("page_index") == 2
    }
    assert later == {endpoint.name for endpoint in ENDPOINTS.values() if endpoint.page_size}, "a later page of each"
    for declaration in STREAMS:
        sent = [{**r.params, **(body_of(r) or {})} for name, _, _, r in built if name == declaration.name]
        for filters in declaration.queries:
            assert any(filters.items() <= values.items() for values in sent), (declaration.name, filters)


def shops_asked(stream: str) -> Mapping[str, set[str]]:
    """Per shop region, the query parameters the stream's requests sent (shop_cipher aside)."""
    by_region: dict[str, set[str]] = {}
    regions = {shop.cipher: shop.region for shop in SHOPS}
    for _, _, request in requests_of(STREAMS_BY_NAME[stream]):
        params = dict(request.params)
        region = regions[params.pop("shop_cipher")]
        by_region.setdefault(region, set()).update(f"{key}={value}" for key, value in params.items())
    return by_region


def test_market_variants_are_among_the_requests():
    """US shops read the v2 category tree (and its brands); SEA shops are sent no payments request."""
    for stream in ("categories", "brands"):
        asked = shops_asked(stream)
        assert "category_version=v2" in asked["US"] and "category_version=v2" not in asked["GB"], stream
    assert set(shops_asked("payments")) == {"US", "GB"}


@pytest.mark.parametrize(
    ("stream", "changes", "parameter"),
    [
        ("shop_live_performance", {"sort_field": "gmv"}, "sort_field"),  # what it sent before TikTok's 2026 rules
        ("shop_live_performance", {"query": {}}, "account_type"),
        ("target_collaborations", {"variants": None}, "collaboration_status"),
        ("withdrawals", {"query": {"types": "WITHDRAW,ALL"}}, "types"),
        ("orders", {"sort_field": "paid_time"}, "sort_field"),
    ],
)
def test_a_wrong_request_fails_the_check(stream, changes, parameter):
    """The check is not vacuous: each of these endpoints, changed to send what TikTok refuses, fails it."""
    declaration = STREAMS_BY_NAME[stream]
    wrong = replace(declaration, endpoint=replace(declaration.endpoint, **changes))
    found = violations(wrong)
    assert found and all(f"'{parameter}'" in line for line in found), found[:2]
