"""The one way to TikTok: every request of the connector goes through `TikTokClient`.

It owns one CDK `HttpClient` (retries, backoff, the rate policy), the signer that puts the access
token and a fresh signature on every request (again on every retry), the error table and the tokens.
"""

import logging
import threading
import time
import weakref
from collections.abc import Callable, Generator, Mapping, MutableMapping
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
    BUDGET_IS_BACK,
    BUDGET_SPENT_CAUSE,
    BUDGET_STOPPED,
    BUDGET_WAITING,
    DAY_BUDGET_BACK,
    HOUR_BUDGET_BACK,
    MAX_RETRIES,
    MissingScopeError,
    ShopNotEligible,
    ShopStopped,
    TikTokBackoffStrategy,
    TikTokErrorHandler,
    VersionUnavailable,
    envelope,
    gave_up,
    is_rate_limited,
    is_signature_refusal,
    quiet_cdk_retry_logs,
    retry_after,
    successful,
)
from .in_flight import BoundedSession
from .latency import CallTimer, Latencies, LearnedTimeout
from .rate import BudgetSpent, RateKey, RatePolicy, Settled, Spent, budget
from .signing import sign
from .tokens import Persist, Tokens

ACCESS_TOKEN_HEADER = "x-tts-access-token"
# A request refused for its rate goes again at the new pace, for this long at most.
MAX_THROTTLED_SECONDS = 900
UNPACED_THROTTLE_WAIT = 1.0  # for the calls without a shop (the shop list, the token host)
SIGNATURE_PARAMS = ("app_key", "timestamp", "sign")
# What a page that lies is told with (docs/tiktok-shop.md quotes each).
PAGE_TOKEN_LOOPED = (
    "TikTok's next_page_token of {endpoint} for shop {shop} leads back to a page already read: asking the page "
    "that gave it again."
)
PAGINATION_LOOP = (
    "TikTok's page tokens of {endpoint} for shop {shop} kept leading back to pages already read ({tries} times): "
    "stopped reading it for that shop. The next sync reads it again from the saved state."
)
PAGE_ASKED_AGAIN = (
    "TikTok's page of {endpoint} for shop {shop} is not what its model says: {problem} ({answer}). Asking for it again."
)
UNTRUE_PAGE = (
    "TikTok's page of {endpoint} for shop {shop} is not what its model says: {problem} ({answer}), again after "
    "{tries} tries: stopped reading it for that shop rather than pass the record on. The next sync reads it again "
    "from the saved state; if it lasts, quote the request_id to TikTok's support."
)


def fingerprint(page: Page) -> int:
    """What tells a page of records from another of the same query: its records' ids (the records where they have
    none)."""
    return hash(tuple(str(record.get("id", sorted(record.items()))) for record in page.records))


# The token host's calls carry the app secret themselves and are not signed (reference §1.2).
TOKEN_PATHS = "/api/v2/token/"


@dataclass(frozen=True)
class ClientSettings:
    app_key: str
    app_secret: str
    auth_url: str
    endpoint_url: str
    requests_per_second_per_shop: float | None = None  # a ceiling over all of a shop's endpoints
    max_in_flight: int = 16  # requests sent at once at most (the spec's `num_workers`)
    budget_wait_minutes: float = 0  # how long a sync may wait for a shop's spent request budget (0: it does not)


class Signer(AuthBase):
    """Adds the access token header, `app_key`, a fresh `timestamp` and the `sign` to every API request.

    The CDK's HttpClient runs it again before each retry, and calls `refresh_and_set_access_token` (from
    the thread whose request TikTok refused with 105002) before retrying; the signer remembers, per
    thread, the token it last sent, so only a refusal of the current token renews it.
    """

    def __init__(self, app_key: str, app_secret: str, tokens: Tokens, timer: CallTimer | None = None):
        self._app_key = app_key
        self._app_secret = app_secret
        self._tokens = tokens
        self._timer = timer
        self._sent = threading.local()
        # TikTok's SDK leaves an empty JSON body out of the signature, other clients sign it (reference §2.2).
        self.signs_empty_body = False
        # How each request with an empty body was signed, for telling a refusal of one reading from the other's.
        self._empty_body_signed: weakref.WeakKeyDictionary[requests.PreparedRequest, bool] = weakref.WeakKeyDictionary()

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self._timer is not None:
            self._timer.watch(request)
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
        if is_empty_body(body):
            self._empty_body_signed[request] = self.signs_empty_body
            if not self.signs_empty_body:
                body = None
        signature = sign(self._app_secret, path, dict(params), body)
        request.url = urlunsplit((scheme, netloc, path, urlencode(params + [("sign", signature)]), fragment))
        return request

    def omitted_empty_body(self, request: requests.PreparedRequest) -> bool:
        """Whether `request` has an empty body that was left out of its signature."""
        return self._empty_body_signed.get(request) is False

    def refresh_and_set_access_token(self) -> None:
        self._tokens.renew_rejected(getattr(self._sent, "token", None))


def utc(unix_seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(unix_seconds))


def back(spent: Spent) -> str:
    """When the shop's spent budget is back, as far as the refusals say."""
    day_back = utc(spent.day_back_by_wall)
    if spent.window == "day":
        return DAY_BUDGET_BACK.format(day_back=day_back)
    return HOUR_BUDGET_BACK.format(hour_back=utc(spent.back_by_wall), day_back=day_back)


def is_empty_body(body: Any) -> bool:
    return body in ("{}", b"{}")


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
        self._max_retries = max_retries
        self.tokens = Tokens(config, self._token_call, persist)
        self.rate = RatePolicy(
            settings.requests_per_second_per_shop, budget_wait_seconds=60.0 * settings.budget_wait_minutes
        )
        self.latencies = Latencies()
        # The check each endpoint's list pages must pass, by endpoint name (reading/page_checks.py).
        self.page_checks: Mapping[str, Callable[[Page], str | None]] = {}
        self._logger = logger
        self._signer = Signer(settings.app_key, settings.app_secret, self.tokens, CallTimer(self.latencies))
        self._lock = threading.Lock()
        # Older API versions some shops are served at (their market lacks the current one): (shop, endpoint) → version.
        self._versions: dict[tuple[str, str], str] = {}
        error_handler = TikTokErrorHandler(max_retries, self._sent_stale_token, self._may_sign_otherwise)
        quiet_cdk_retry_logs(logger)
        self._http = HttpClient(
            name="tiktok_shop",
            logger=logger,
            error_handler=error_handler,
            backoff_strategy=TikTokBackoffStrategy(error_handler, logger, self._failed),
            authenticator=self._signer,
            # The budget paces the requests inside the session, as the HttpClient's own session would.
            session=BoundedSession(budget(self.rate), settings.max_in_flight),
        )

    def pages(self, query: Query, page_token: str | None = None) -> Generator[Page, None, None]:
        """The pages of one query from `page_token` on (None: the first); a token only ever continues its own query.

        A page token that leads back to a page already read (its token seen before, or the same records again) is
        not followed: the page that gave it is asked again, and a pagination that keeps looping ends the query with
        an error, never an endless read."""
        tokens: set[str | None] = {page_token}
        read: set[int] = set()
        before: str | None = None  # the token of the page before this one
        page = self._checked_page(query, page_token)
        looped = 0
        while True:
            next_token = query.endpoint.next_page_token(page.data, len(page.records), page_token)
            repeated = bool(page.records) and fingerprint(page) in read
            if repeated or (next_token is not None and next_token in tokens):
                looped += 1
                if looped > self._max_retries:
                    raise AirbyteTracedException(
                        message=PAGINATION_LOOP.format(
                            endpoint=query.endpoint.name, shop=query.shop.id if query.shop else "", tries=looped
                        ),
                        failure_type=FailureType.transient_error,
                    )
                self._logger.warning(
                    PAGE_TOKEN_LOOPED.format(endpoint=query.endpoint.name, shop=query.shop.id if query.shop else "")
                )
                if repeated:  # the token that led here leads back: the page before is asked for it again
                    page_token = self._checked_page(query, before).next_page_token
                    if not page_token:
                        return
                page = self._checked_page(query, page_token)
                continue
            looped = 0
            if page.records:
                read.add(fingerprint(page))
            yield page
            if not next_token:
                return
            tokens.add(next_token)
            before, page_token = page_token, next_token
            page = self._checked_page(query, page_token)

    def _checked_page(self, query: Query, page_token: str | None) -> Page:
        """A list page that passes its endpoint's check (reading/page_checks.py), asked again while it does not."""
        check = self.page_checks.get(query.endpoint.name)
        attempt = 0
        while True:
            page = self._page(query, page_token)
            problem = check(page) if check else None
            if problem is None:
                return page
            attempt += 1
            where = {"endpoint": query.endpoint.name, "shop": query.shop.id if query.shop else "", "problem": problem}
            answer = f"request_id {page.body.request_id or 'unknown'}"
            if attempt > self._max_retries:
                raise AirbyteTracedException(
                    message=UNTRUE_PAGE.format(**where, answer=answer, tries=attempt),
                    failure_type=FailureType.transient_error,
                )
            self._logger.warning(PAGE_ASKED_AGAIN.format(**where, answer=answer))

    def call(self, query: Query) -> Page:
        """A single-record endpoint: the page's `data` is the record."""
        return self._page(query)

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

    def _page(self, query: Query, page_token: str | None = None) -> Page:
        shop_endpoint = (query.shop.id if query.shop else "", query.endpoint.name)
        while True:
            version = self._versions.get(shop_endpoint, query.endpoint.version)
            response = self._send(self._settings.endpoint_url, query.request(page_token, version), shop_endpoint[0])
            try:
                return Page.parse(response.content, query.endpoint.records_key, successful(envelope(response)))
            except VersionUnavailable:
                older = query.endpoint.older_than(version)
                if older is None and query.shop and query.endpoint.retired:
                    # No newer connector could read it either: TikTok serves this shop no version it still has.
                    retired = ", ".join(f"{old} on {when}" for old, when in query.endpoint.retired.items())
                    raise ShopNotEligible(
                        f"TikTok does not serve {query.endpoint.name} version {version} to it and retired {retired}"
                    ) from None
                if older is None:
                    raise AirbyteTracedException(
                        message=f"TikTok does not serve {query.endpoint.name} version {version} for shop "
                        f"{shop_endpoint[0]}, the oldest this connector knows; upgrade the connector.",
                        failure_type=FailureType.system_error,
                    ) from None
                with self._lock:
                    self._versions[shop_endpoint] = older
                self._logger.warning(
                    f"TikTok does not serve {query.endpoint.name} version {version} for shop {shop_endpoint[0]} "
                    f"(its market may not have it yet): reading version {older} for that shop."
                )

    def _send(self, host: str, request: Request, shop_id: str = "") -> requests.Response:
        """Sends one request; a rate-limit answer slows its shop and endpoint down and the request goes again,
        at the new pace: it is not a failure, so it costs none of the retries and none of their backoff. A shop
        whose request budget is spent fails its requests with one error naming it (tiktok/rate.py)."""
        throttled_since, resigned = None, False
        while True:
            try:
                sent, response = self._retried(host, request)
            except BudgetSpent as error:
                raise ShopStopped(
                    message=BUDGET_STOPPED.format(
                        cause=self._spent_cause(shop_id, error.spent), back=back(error.spent)
                    ),
                    failure_type=FailureType.transient_error,
                ) from None
            key = self.rate.key_of(sent)
            if is_signature_refusal(envelope(response)) and self._may_sign_otherwise(sent) and not resigned:
                self._sign_empty_bodies_otherwise()  # the error handler let this refusal through for it
                resigned = True
                continue
            if not is_rate_limited(response):
                self.latencies.succeeded(key)
                if key and self.rate.succeeded(key, response.elapsed.total_seconds()):
                    self._logger.warning(BUDGET_IS_BACK.format(shop=shop_id))
                return response
            throttled_since = throttled_since or time.monotonic()
            if time.monotonic() - throttled_since > MAX_THROTTLED_SECONDS and not (
                key and self.rate.waits_for_budget(key.shop_cipher)
            ):
                raise AirbyteTracedException(
                    message=f"TikTok refused requests to {request.path} for their rate for "
                    f"{MAX_THROTTLED_SECONDS // 60} minutes in a row; try the sync again later.",
                    failure_type=FailureType.transient_error,
                )
            if not key:
                time.sleep(retry_after(response) or UNPACED_THROTTLE_WAIT)
                continue
            news = self.rate.throttled(key, retry_after(response))
            if news is not None and news.waiting:
                minutes = f"{self._settings.budget_wait_minutes:g}"
                cause = self._spent_cause(shop_id, news)
                self._logger.warning(BUDGET_WAITING.format(cause=cause, back=back(news), minutes=minutes))

    @staticmethod
    def _spent_cause(shop_id: str, spent: Spent) -> str:
        return BUDGET_SPENT_CAUSE.format(shop=shop_id, since=utc(spent.since_wall), refusals=spent.refusals)

    def settled(self, query: Query) -> Settled:
        """The rate the query's shop and endpoint settled at, and how many of its requests were throttled."""
        return self.rate.settled(self._rate_key(query))

    def parallelism(self, query: Query) -> int:
        return self.rate.parallelism(self._rate_key(query))

    @staticmethod
    def _rate_key(query: Query) -> RateKey:
        return RateKey.of(
            query.shop.cipher if query.shop else "", query.endpoint.path_of(path_params=query.path_params)
        )

    def _retried(self, host: str, request: Request) -> tuple[requests.PreparedRequest, requests.Response]:
        """One send with the HttpClient's retries; retries spent end in one error naming the last cause."""
        started = time.monotonic()
        cipher = request.params.get("shop_cipher")
        key = RateKey.of(cipher, request.path) if cipher else None
        try:
            return self._http.send_request(
                request.method,
                f"{host}{request.path}",
                request_kwargs={"timeout": LearnedTimeout(lambda: self.latencies.allowed(key))},
                headers={"content-type": "application/json"},
                params=request.params,
                data=request.body,
            )
        except AirbyteTracedException as error:
            setting = "credentials.auth_url" if request.path.startswith(TOKEN_PATHS) else "credentials.endpoint_url"
            raise gave_up(error, self._max_retries, time.monotonic() - started, setting) from None

    def _failed(self, response_or_exception: requests.Response | Exception | None) -> int:
        """A call failed and is retried: how many calls of its shop and endpoint failed in a row. A timed-out one
        also widens the time the next call of the shop and endpoint is given (tiktok/latency.py)."""
        request = getattr(response_or_exception, "request", None)
        key = self.rate.key_of(request)
        if isinstance(response_or_exception, requests.Timeout):
            self.latencies.timed_out(key)
        return self.latencies.failed(key)

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

    def _may_sign_otherwise(self, request: requests.PreparedRequest) -> bool:
        """A signature refusal of a request whose empty body was left out of the signature: signed the other way
        (by this request's retry, or already by another's), it may go through."""
        return self._signer.omitted_empty_body(request)

    def _sign_empty_bodies_otherwise(self) -> None:
        with self._lock:
            if self._signer.signs_empty_body:
                return
            self._signer.signs_empty_body = True
        self._logger.warning(
            "TikTok refused the signature of a request with an empty JSON body: from now on this sync signs "
            "empty bodies as part of the request (reference §2.2)."
        )

    def _sent_stale_token(self, request: requests.PreparedRequest) -> bool:
        sent = request.headers.get(ACCESS_TOKEN_HEADER)
        return self.tokens.is_stale(sent if isinstance(sent, str) else None)
