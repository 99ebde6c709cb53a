"""The API's conventions, once: envelope, paging, shop partitioning, time windows and per-shop state.

Concrete streams (`streams/__init__.py`) only declare what differs: the endpoint, the cursor and,
for streams derived from another endpoint's records, how one record expands into rows.
"""

import threading
import time
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import requests
from airbyte_cdk.models import (
    AirbyteEstimateTraceMessage,
    AirbyteMessage,
    AirbyteTraceMessage,
    EstimateType,
    FailureType,
    SyncMode,
    TraceType,
    Type,
)
from airbyte_cdk.sources.streams.call_rate import APIBudget
from airbyte_cdk.sources.streams.core import StreamData
from airbyte_cdk.sources.streams.http import HttpStream
from airbyte_cdk.sources.streams.http.error_handlers import BackoffStrategy, ErrorHandler
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..api import ENDPOINTS, Endpoint, Request, Window, build_request
from ..auth import REQUEST_TIMEOUT_SECONDS, TikTokShopAuthenticator
from ..config import ConfigError, Settings
from ..errors import (
    MAX_RETRIES,
    MissingScopeError,
    TikTokBackoffStrategy,
    TikTokErrorHandler,
    raise_for_envelope,
    records_in,
)
from ..shared_pages import Fetched, SharedPages, next_page_token

Shop = Mapping[str, Any]


@dataclass(frozen=True)
class Page:
    records: list[Mapping[str, Any]]
    total_count: int | None
    first: bool


DEFAULT_LOOKBACK_MINUTES = 60


def shop_slice(shop: Shop) -> dict[str, Any]:
    return {"shop_id": str(shop["id"]), "shop_cipher": shop["cipher"], "region": shop.get("region")}


class TikTokShopStream(HttpStream):
    """One endpoint read for every selected shop, page after page, with `shop_id` on every record."""

    endpoint: ClassVar[Endpoint]
    primary_key: Any = ["shop_id", "id"]
    # False where one API record becomes several rows (or none), so `total_count` says nothing of rows.
    rows_are_records: ClassVar[bool] = True

    def __init__(
        self,
        settings: Settings,
        authenticator: TikTokShopAuthenticator,
        shops: "ShopDirectory",
        api_budget: APIBudget | None = None,
        shared_pages: SharedPages | None = None,
    ):
        self._settings = settings
        self._authenticator = authenticator
        self._shops = shops
        self._shared_pages = shared_pages
        self._missing_scope = False
        self._estimate_lock = threading.Lock()
        self._total_by_shop: dict[str, int] = {}
        super().__init__(authenticator=authenticator, api_budget=api_budget)

    # --- how requests are made (HttpStream hooks) ---

    @property
    def url_base(self) -> str:
        return self._settings.endpoint_url

    @property
    def http_method(self) -> str:
        return self.endpoint.method

    max_retries: int = MAX_RETRIES

    def get_error_handler(self) -> ErrorHandler:
        return TikTokErrorHandler(self.max_retries, self._authenticator.sent_stale_token)

    def get_backoff_strategy(self) -> BackoffStrategy:
        return TikTokBackoffStrategy()

    def extra_query(self, stream_slice: Mapping[str, Any]) -> Mapping[str, str]:
        return {}

    def build(
        self,
        stream_slice: Mapping[str, Any],
        page_token: str | None = None,
        endpoint: Endpoint | None = None,
        path_params: Mapping[str, str] | None = None,
    ) -> Request:
        return build_request(
            endpoint or self.endpoint,
            shop_cipher=stream_slice.get("shop_cipher"),
            window=Window(stream_slice["start"], stream_slice["end"]) if "start" in stream_slice else None,
            page_token=page_token,
            path_params=path_params,
            query=self.extra_query(stream_slice),
        )

    def send(self, request: Request) -> requests.Response:
        _, response = self._http_client.send_request(
            request.method,
            self._join_url(self.url_base, request.path),
            request_kwargs={"timeout": REQUEST_TIMEOUT_SECONDS},
            headers={"content-type": "application/json"},
            params=request.params,
            data=request.body,
        )
        return response

    # HttpStream's abstract request hooks. Its own paging loop, which would call them, is replaced by
    # `read_pages`: TikTok signs each request whole and streams may share pages, so requests are built
    # from the endpoint declaration and sent through the stream's HttpClient (retries, backoff, pacing).

    def path(self, *, stream_slice: Mapping[str, Any] | None = None, **kwargs: Any) -> str:
        return self.build(stream_slice or {}).path

    def next_page_token(self, response: requests.Response) -> Mapping[str, Any] | None:
        token = next_page_token(raise_for_envelope(response)) if self.endpoint.page_size else None
        return {"page_token": token} if token else None

    def parse_response(self, response: requests.Response, **kwargs: Any) -> Iterable[Mapping[str, Any]]:
        return records_in(raise_for_envelope(response), self.endpoint.records_key)

    # --- what is read ---

    def stream_slices(
        self, *, sync_mode: SyncMode, cursor_field: Any = None, stream_state: Any = None
    ) -> Iterable[Mapping[str, Any]]:
        return [shop_slice(shop) for shop in self._shops.shops()]

    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: Any = None,
        stream_slice: Mapping[str, Any] | None = None,
        stream_state: Any = None,
    ) -> Iterable[StreamData]:
        if self._missing_scope:
            return
        try:
            yield from self.read_shop(stream_slice or {})
        except MissingScopeError as error:
            self._missing_scope = True
            self.logger.warning(
                f"Skipping stream {self.name}: the app or the seller's authorization lacks scope "
                f"`{self.endpoint.scope}` ({error}). Enable it for the app in TikTok Partner Center and "
                "have the seller authorize the app again."
            )

    def read_shop(self, shop: Mapping[str, Any]) -> Iterator[StreamData]:
        count = 0
        for page in self.read_pages(shop):
            if page.first:
                yield from self.estimate(shop, page)
            for record in page.records:
                yield from self.rows(record, shop)
                count += 1
        self.logger.info(f"Progress: {self.name}, shop {shop.get('shop_id', '-')}: {count} records read.")

    def estimate(self, shop: Mapping[str, Any], page: "Page") -> Iterator[AirbyteMessage]:
        """An estimate of the stream's rows from the API's `total_count`, so the platform shows progress."""
        if page.total_count is None or not self.rows_are_records:
            return
        with self._estimate_lock:
            self._total_by_shop[shop.get("shop_id", "")] = page.total_count
            total = sum(self._total_by_shop.values())
        yield AirbyteMessage(
            type=Type.TRACE,
            trace=AirbyteTraceMessage(
                type=TraceType.ESTIMATE,
                emitted_at=time.time() * 1000,
                estimate=AirbyteEstimateTraceMessage(name=self.name, type=EstimateType.STREAM, row_estimate=total),
            ),
        )

    def read_pages(
        self,
        stream_slice: Mapping[str, Any],
        endpoint: Endpoint | None = None,
        path_params: Mapping[str, str] | None = None,
    ) -> Iterator[Page]:
        """Pages of one query, in order; the page token only ever continues the same query."""
        endpoint = endpoint or self.endpoint

        def fetch(page_token: str | None) -> Iterator[Fetched]:
            while True:
                response = self.send(self.build(stream_slice, page_token, endpoint, path_params))
                body = raise_for_envelope(response)
                yield response.content, body
                page_token = next_page_token(body) if endpoint.page_size else None
                if not page_token:
                    return

        pages = fetch(None)
        if self._shared_pages is not None and self._shared_pages.shares(endpoint.name):
            query = (endpoint.name, stream_slice.get("shop_id"), stream_slice.get("start"), stream_slice.get("end"))
            pages = self._shared_pages.pages(query + tuple(sorted((path_params or {}).items())), fetch)
        for number, (_, body) in enumerate(pages):
            yield Page(records_in(body, endpoint.records_key), (body.data or {}).get("total_count"), first=number == 0)

    def rows(self, record: Mapping[str, Any], shop: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
        """The rows one API record becomes; most streams emit it as is, with its shop."""
        yield {**record, "shop_id": shop["shop_id"]}


class IncrementalTikTokShopStream(TikTokShopStream):
    """Reads `[cursor − lookback, end)` per shop and keeps one cursor per shop.

    With an ascending sort the state may advance after every record, so a checkpoint after any page is
    safe; without one (products, withdrawals) it advances only once a whole window has been read.
    """

    cursor_field: Any = "update_time"
    default_lookback_minutes: ClassVar[int] = DEFAULT_LOOKBACK_MINUTES
    # Streams of rows nested in each record (the list to unnest, the column naming the parent record);
    # each row carries the parent's cursor value.
    nested_rows: ClassVar[tuple[str, str] | None] = None

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Written by the worker reading each shop, read by the cursor that checkpoints them all.
        self._cursor_lock = threading.Lock()
        self._cursor_by_shop: dict[str, int] = {}

    @property
    def state_checkpoint_interval(self) -> int | None:
        return self.endpoint.page_size

    @property
    def state(self) -> MutableMapping[str, Any]:
        with self._cursor_lock:
            return {shop_id: {self.cursor_field: value} for shop_id, value in sorted(self._cursor_by_shop.items())}

    @state.setter
    def state(self, value: Mapping[str, Any]) -> None:
        for shop_id, shop_state in (value or {}).items():
            if isinstance(shop_state, Mapping) and isinstance(shop_state.get(self.cursor_field), int):
                self._advance(str(shop_id), shop_state[self.cursor_field])

    @property
    def lookback_seconds(self) -> int:
        minutes = self._settings.lookback_minutes
        return 60 * (self.default_lookback_minutes if minutes is None else minutes)

    def window_for(self, shop_id: str) -> Window:
        start = int(self._settings.start.timestamp())
        if shop_id in self._cursor_by_shop:
            start = max(start, self._cursor_by_shop[shop_id] - self.lookback_seconds)
        return Window(start, max(start, self._settings.sync_end))

    def stream_slices(
        self, *, sync_mode: SyncMode, cursor_field: Any = None, stream_state: Any = None
    ) -> Iterable[Mapping[str, Any]]:
        if stream_state:
            self.state = stream_state
        slices = []
        for shop in super().stream_slices(sync_mode=sync_mode):
            window = self.window_for(shop["shop_id"])
            slices.append({**shop, "start": window.start, "end": window.end})
        return slices

    def read_shop(self, shop: Mapping[str, Any]) -> Iterator[StreamData]:
        yield from self.read_window(shop, Window(shop["start"], shop["end"]))

    def read_window(self, shop: Mapping[str, Any], window: Window) -> Iterator[StreamData]:
        if window.start >= window.end:
            return
        stream_slice = {**shop, "start": window.start, "end": window.end}
        self.logger.info(
            f"Progress: {self.name}, shop {shop['shop_id']}: reading {self.cursor_field} "
            f"from {_utc(window.start)} to {_utc(window.end)}."
        )
        window_max: int | None = None
        count = 0
        for page in self.read_pages(stream_slice):
            if page.first and self._over_result_cap(page.total_count, window):
                for half in window.halves():
                    yield from self.read_window(shop, half)
                return
            if page.first:
                yield from self.estimate(shop, page)
            count += len(page.records)
            for record in page.records:
                value = self.cursor_value(record)
                yield from self.rows(record, shop)
                if self.endpoint.sort_field:
                    self._advance(shop["shop_id"], value)
                elif value is not None:
                    window_max = value if window_max is None else max(window_max, value)
        if window_max is not None:
            self._advance(shop["shop_id"], window_max)
        self.logger.info(
            f"Progress: {self.name}, shop {shop['shop_id']}: {count} records read up to {_utc(window.end)}."
        )

    def rows(self, record: Mapping[str, Any], shop: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
        if self.nested_rows is None:
            yield from super().rows(record, shop)
            return
        items, parent_column = self.nested_rows
        parent = {
            parent_column: record["id"],
            self.cursor_field: record.get(self.cursor_field),
            "shop_id": shop["shop_id"],
        }
        for item in record.get(items) or []:
            yield {**item, **parent}

    def cursor_value(self, record: Mapping[str, Any]) -> int | None:
        value = record.get(self.cursor_field)
        return value if isinstance(value, int) else None

    def _advance(self, shop_id: str, value: int | None) -> None:
        with self._cursor_lock:
            if value is not None and value > self._cursor_by_shop.get(shop_id, -1):
                self._cursor_by_shop[shop_id] = value

    def _over_result_cap(self, total_count: int | None, window: Window) -> bool:
        """Splits a window whose results the endpoint would refuse to page through (12052180)."""
        cap = self.endpoint.result_cap
        return bool(cap and total_count and total_count > cap and window.end - window.start > 1)


def _utc(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ShopDirectory:
    """The shops this sync reads: Get Authorized Shops, narrowed to `shop_ids`; fetched once."""

    def __init__(self, settings: Settings, authenticator: TikTokShopAuthenticator, max_retries: int = MAX_RETRIES):
        self._settings = settings
        self._client = TikTokShopsClient(settings, authenticator, max_retries)
        self._lock = threading.Lock()
        self._shops: list[Shop] | None = None

    def shops(self) -> list[Shop]:
        with self._lock:
            if self._shops is None:
                self._shops = self._client.fetch()
            shops = self._shops
        if not shops:
            raise ConfigError(
                "credentials",
                "cover no shop: the seller has not authorized any shop for this app. Have them authorize one.",
            )
        wanted = self._settings.shop_ids
        if not wanted:
            return shops
        known = {str(shop["id"]) for shop in shops}
        unknown = [shop_id for shop_id in wanted if shop_id not in known]
        if unknown:
            raise ConfigError(
                "shop_ids",
                f"lists shops this authorization does not cover: {', '.join(unknown)}. Authorized: {', '.join(sorted(known))}.",
            )
        return [shop for shop in shops if str(shop["id"]) in wanted]


class TikTokShopsClient(TikTokShopStream):
    """Get Authorized Shops, as a plain call for check and for partitioning the other streams."""

    name = "authorized_shops"
    endpoint = ENDPOINTS["authorized_shops"]
    primary_key = "id"

    def __init__(self, settings: Settings, authenticator: TikTokShopAuthenticator, max_retries: int):
        self.max_retries = max_retries
        super().__init__(settings, authenticator, shops=None)  # type: ignore[arg-type]

    def fetch(self) -> list[Shop]:
        try:
            return [record for page in self.read_pages({}) for record in page.records]
        except MissingScopeError as error:
            raise AirbyteTracedException(
                message="The app lacks scope `seller.authorization.info`, needed to list the seller's shops. "
                f"Enable it in TikTok Partner Center and authorize again ({error}).",
                failure_type=FailureType.config_error,
            ) from None
