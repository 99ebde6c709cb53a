"""The one way to TikTok: every request of the connector goes through `TikTokClient`.

It owns one CDK `HttpClient` (retries, backoff, the rate policy), the signer that puts the access
token and a fresh signature on every request (again on every retry), the error table and the tokens.
"""

import logging
import threading
import time
from collections.abc import Generator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from airbyte_cdk.config_observation import emit_configuration_as_airbyte_control_message
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http import HttpClient
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from requests.auth import AuthBase

from .endpoints import ENDPOINTS, Query, Request, Shop
from .envelope import Envelope, Page
from .errors import (
    MAX_RETRIES,
    MissingScopeError,
    TikTokBackoffStrategy,
    TikTokErrorHandler,
    envelope,
    is_rate_limited,
    retry_after,
    successful,
)
from .rate import RateKey, RatePolicy, Settled, budget
from .signing import sign
from .tokens import Persist, Tokens

ACCESS_TOKEN_HEADER = "x-tts-access-token"
REQUEST_TIMEOUT_SECONDS = 60
# A request refused for its rate goes again at the new pace, for this long at most.
MAX_THROTTLED_SECONDS = 900
UNPACED_THROTTLE_WAIT = 1.0  # for the calls without a shop (the shop list, the token host)
SIGNATURE_PARAMS = ("app_key", "timestamp", "sign")
# The token host's calls carry the app secret themselves and are not signed (reference §1.2).
TOKEN_PATHS = "/api/v2/token/"


@dataclass(frozen=True)
class ClientSettings:
    app_key: str
    app_secret: str
    auth_url: str
    endpoint_url: str
    requests_per_second_per_shop: float | None = None  # a ceiling over all of a shop's endpoints


class Signer(AuthBase):
    """Adds the access token header, `app_key`, a fresh `timestamp` and the `sign` to every API request.

    The CDK's HttpClient runs it again before each retry, and calls `refresh_and_set_access_token` (from
    the thread whose request TikTok refused with 105002) before retrying; the signer remembers, per
    thread, the token it last sent, so only a refusal of the current token renews it.
    """

    def __init__(self, app_key: str, app_secret: str, tokens: Tokens):
        self._app_key = app_key
        self._app_secret = app_secret
        self._tokens = tokens
        self._sent = threading.local()

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        scheme, netloc, path, query, fragment = urlsplit(request.url or "")
        if path.startswith(TOKEN_PATHS):
            return request
        token = self._tokens.access_token()
        self._sent.token = token
        request.headers[ACCESS_TOKEN_HEADER] = token
        params = [
            (key, value) for key, value in parse_qsl(query, keep_blank_values=True) if key not in SIGNATURE_PARAMS
        ]
        params += [("app_key", self._app_key), ("timestamp", str(int(time.time())))]
        body = request.body if isinstance(request.body, (str, bytes)) else None
        signature = sign(self._app_secret, path, dict(params), body)
        request.url = urlunsplit((scheme, netloc, path, urlencode(params + [("sign", signature)]), fragment))
        return request

    def refresh_and_set_access_token(self) -> None:
        self._tokens.renew_rejected(getattr(self._sent, "token", None))


class TikTokClient:
    def __init__(
        self,
        config: MutableMapping[str, Any],
        settings: ClientSettings,
        logger: logging.Logger,
        max_retries: int = MAX_RETRIES,
        persist: Persist = emit_configuration_as_airbyte_control_message,
    ):
        self._settings = settings
        self.tokens = Tokens(config, self._token_call, persist)
        self.rate = RatePolicy(settings.requests_per_second_per_shop)
        self._http = HttpClient(
            name="tiktok_shop",
            logger=logger,
            error_handler=TikTokErrorHandler(max_retries, self._sent_stale_token),
            backoff_strategy=TikTokBackoffStrategy(),
            authenticator=Signer(settings.app_key, settings.app_secret, self.tokens),
            api_budget=budget(self.rate),
        )

    def pages(self, query: Query, page_token: str | None = None) -> Generator[Page, None, None]:
        """The pages of one query from `page_token` on (None: the first); a token only ever continues its own query."""
        while True:
            page = self._page(query.request(page_token), query.endpoint.records_key)
            yield page
            page_token = page.next_page_token if query.endpoint.page_size else None
            if not page_token:
                return

    def call(self, query: Query) -> Page:
        """A single-record endpoint: the page's `data` is the record."""
        return self._page(query.request(), None)

    def shops(self) -> list[Shop]:
        """Get Authorized Shops (reference §4.1)."""
        try:
            return [
                Shop.from_record(record)
                for page in self.pages(Query(ENDPOINTS["authorized_shops"]))
                for record in page.records
            ]
        except MissingScopeError as error:
            raise AirbyteTracedException(
                message="The app lacks scope `seller.authorization.info`, needed to list the seller's shops. "
                f"Enable it in TikTok Partner Center and authorize again ({error}).",
                failure_type=FailureType.config_error,
            ) from None

    def _page(self, request: Request, records_key: str | None) -> Page:
        response = self._send(self._settings.endpoint_url, request)
        return Page.parse(response.content, records_key, successful(envelope(response)))

    def _send(self, host: str, request: Request) -> requests.Response:
        """Sends one request; a rate-limit answer slows its shop and endpoint down and the request goes again,
        at the new pace: it is not a failure, so it costs none of the retries and none of their backoff."""
        throttled_since = None
        while True:
            sent, response = self._http.send_request(
                request.method,
                f"{host}{request.path}",
                request_kwargs={"timeout": REQUEST_TIMEOUT_SECONDS},
                headers={"content-type": "application/json"},
                params=request.params,
                data=request.body,
            )
            key = self.rate.key_of(sent)
            if not is_rate_limited(response):
                if key:
                    self.rate.succeeded(key, response.elapsed.total_seconds())
                return response
            throttled_since = throttled_since or time.monotonic()
            if time.monotonic() - throttled_since > MAX_THROTTLED_SECONDS:
                raise AirbyteTracedException(
                    message=f"TikTok refused requests to {request.path} for their rate for "
                    f"{MAX_THROTTLED_SECONDS // 60} minutes in a row; try the sync again later.",
                    failure_type=FailureType.transient_error,
                )
            if key:
                self.rate.throttled(key, retry_after(response))
            else:
                time.sleep(retry_after(response) or UNPACED_THROTTLE_WAIT)

    def settled(self, query: Query) -> Settled:
        """The rate the query's shop and endpoint settled at, and how many of its requests were throttled."""
        return self.rate.settled(self._rate_key(query))

    def parallelism(self, query: Query) -> int:
        return self.rate.parallelism(self._rate_key(query))

    @staticmethod
    def _rate_key(query: Query) -> RateKey:
        return RateKey.of(query.shop.cipher if query.shop else "", query.request().path)

    def _token_call(self, path: str, query: Mapping[str, str]) -> Envelope:
        """Both token calls are plain GETs with the app secret in the query (reference §1.2)."""
        try:
            response = self._send(self._settings.auth_url, Request("GET", path, query, None))
        except AirbyteTracedException as error:
            # A refused request (an unknown code) is the user's to fix; a host that never answered is not.
            if error.failure_type != FailureType.system_error:
                raise
            raise AirbyteTracedException(
                message=f"TikTok's token endpoint refused the request: {error.message} "
                "Check the app key and the app secret.",
                internal_message=error.internal_message,
                failure_type=FailureType.config_error,
            ) from None
        return envelope(response)

    def _sent_stale_token(self, request: requests.PreparedRequest) -> bool:
        sent = request.headers.get(ACCESS_TOKEN_HEADER)
        return self.tokens.is_stale(sent if isinstance(sent, str) else None)
