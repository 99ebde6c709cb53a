"""What to do with each TikTok answer: one table from (HTTP status, envelope `code`) to an action.

TikTok reports business errors inside HTTP 200 bodies and gateway errors with 401/429/503, so both
the status and the body `code` are read (reference §5). Everything here is pure apart from caching
the parsed body on the response, so the table is tested directly.
"""

import random
from collections.abc import Callable, Mapping

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers import (
    BackoffStrategy,
    ErrorHandler,
    ErrorResolution,
    ResponseAction,
)
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .envelope import Envelope, parse_envelope

SUCCESS = 0
RATE_LIMITED = 36009002
INTERNAL_ERROR = 36009003
REQUEST_TIMEOUT = 36009007
ACCESS_TOKEN_EXPIRED = 105002
MISSING_SCOPE = 105005
VERSION_UNAVAILABLE = 36009014  # "invalid or retired API version" (reference §5.1), also for a version a market lacks
INVALID_SIGNATURE = 106001
# UNCONFIRMED: the codes TikTok gives for an API its market does not have (payments in SEA) and for a product
# gone between the search and Get Product are not documented; these are the sandbox's (docs/tiktok-shop.md).
MARKET_UNAVAILABLE = 22005010
PRODUCT_NOT_FOUND = 12052048
# UNCONFIRMED: TikTok publishes no retention for its analytics, nor the code refusing a date older than it keeps;
# this is the sandbox's (docs/tiktok-shop.md).
ANALYTICS_DATE_TOO_OLD = 66007004

MAX_RETRIES = 6
MAX_BACKOFF_SECONDS = 60.0


def envelope(response: requests.Response) -> Envelope:
    """Parses the body once per response; the error handler and the client both read it."""
    cached = response.__dict__.get("_tiktok_envelope")
    if cached is None:
        cached = response.__dict__["_tiktok_envelope"] = parse_envelope(response.content)
    return cached


def _retry(message: str) -> ErrorResolution:
    return ErrorResolution(ResponseAction.RETRY, FailureType.transient_error, message)


def _config_error(message: str) -> ErrorResolution:
    return ErrorResolution(ResponseAction.FAIL, FailureType.config_error, message)


def _bug(message: str) -> ErrorResolution:
    return ErrorResolution(ResponseAction.FAIL, FailureType.system_error, message)


CLOCK_OR_SECRET = (
    "TikTok refused the request signature. Check that the app secret belongs to this app key, and that "
    "this machine's clock is right: TikTok accepts a timestamp at most 5 minutes old and 30 seconds ahead."
)
REAUTHORIZE = (
    "TikTok no longer accepts the access token for this shop (revoked, or the seller's authorization ended). "
    "Authorize the app again and update the credentials."
)

# Codes with one meaning; reference §5.1 (and §1.3 for the token host's 36004004).
CODE_RESOLUTIONS: Mapping[int, ErrorResolution] = {
    # Handed back to the client, which slows the shop and endpoint down and sends the request again
    # (tiktok/rate.py): a rate limit is not a failure and costs no retry.
    RATE_LIMITED: ErrorResolution(
        ResponseAction.IGNORE,
        None,
        "TikTok rate limit reached (36009002): slowing this shop and endpoint down and sending the request again.",
    ),
    INTERNAL_ERROR: _retry("TikTok internal error (36009003)."),
    REQUEST_TIMEOUT: _retry("TikTok request timeout (36009007)."),
    ACCESS_TOKEN_EXPIRED: ErrorResolution(
        ResponseAction.REFRESH_TOKEN_THEN_RETRY, FailureType.transient_error, "The access token expired (105002)."
    ),
    MISSING_SCOPE: ErrorResolution(ResponseAction.IGNORE, None, "The app lacks the scope of this endpoint (105005)."),
    VERSION_UNAVAILABLE: ErrorResolution(
        ResponseAction.IGNORE, None, "TikTok does not serve this API version for this shop (36009014)."
    ),
    MARKET_UNAVAILABLE: ErrorResolution(
        ResponseAction.IGNORE, None, f"This API is not available in the shop's market ({MARKET_UNAVAILABLE})."
    ),
    PRODUCT_NOT_FOUND: ErrorResolution(
        ResponseAction.IGNORE, None, f"The product no longer exists ({PRODUCT_NOT_FOUND})."
    ),
    ANALYTICS_DATE_TOO_OLD: ErrorResolution(
        ResponseAction.IGNORE, None, f"TikTok no longer keeps analytics for this date ({ANALYTICS_DATE_TOO_OLD})."
    ),
    INVALID_SIGNATURE: _config_error(CLOCK_OR_SECRET + " (106001)"),
    101000: _config_error(REAUTHORIZE + " (101000)"),
    36009033: _config_error(
        "TikTok refused this machine's IP address (36009033): add it to the IP allow-list of the app in TikTok Partner Center."
    ),
    36004004: _config_error(
        "TikTok rejected the auth code or refresh token (36004004). An auth code is single-use and expires 30 minutes "
        "after the seller authorizes the app; a refresh token stops working once it is rotated or revoked. Authorize "
        "the app again and update the credentials."
    ),
    106013: _bug("The request lacked shop_cipher (106013)."),
    36009009: _bug("TikTok does not know this API path (36009009)."),
    36009010: _bug("TikTok refused the HTTP method (36009010)."),
}

# 36009004 covers many validation failures; only its message tells them apart (reference §5.1).
VALIDATION_ERROR = 36009004
VALIDATION_RESOLUTIONS: tuple[tuple[str, ErrorResolution], ...] = (
    ("timestamp", _config_error(CLOCK_OR_SECRET + " (36009004: invalid timestamp)")),
    ("access_token", _config_error(REAUTHORIZE + " (36009004: invalid access token)")),
    (
        "app_key",
        _config_error("TikTok does not know this app key (36009004): copy it again from TikTok Partner Center."),
    ),
    ("sign", _config_error(CLOCK_OR_SECRET + " (36009004)")),
)


def resolve(status: int, body: Envelope) -> ErrorResolution:
    """The action for one HTTP answer; the table the reliability tests exercise."""
    if body.code == SUCCESS and 200 <= status < 300:
        return ErrorResolution(ResponseAction.SUCCESS)
    if body.code is not None and body.code in CODE_RESOLUTIONS:
        return CODE_RESOLUTIONS[body.code]
    if body.code == VALIDATION_ERROR:
        lowered = body.message.lower()
        for needle, resolution in VALIDATION_RESOLUTIONS:
            if needle in lowered:
                return resolution
    if status == 429:
        return CODE_RESOLUTIONS[RATE_LIMITED]
    if status >= 500 or status == 408:
        return _retry(f"TikTok answered HTTP {status}.")
    if body.code is None:
        return _retry(f"TikTok answered HTTP {status} with a body that is not a JSON envelope.")
    if status in (401, 403):
        return _config_error(f"TikTok refused the credentials: {body.describe()}.")
    return _bug(f"TikTok refused the request: {body.describe()}.")


def is_signature_refusal(body: Envelope) -> bool:
    return body.code == INVALID_SIGNATURE or (body.code == VALIDATION_ERROR and "sign" in body.message.lower())


# An empty JSON body is left out of the signature by TikTok's SDK and signed by other clients; the reference
# cannot settle which TikTok expects (§2.2), so a refusal of such a request is handed back to be signed the other way.
RESIGN = ErrorResolution(
    ResponseAction.IGNORE,
    None,
    "TikTok refused the signature of a request with an empty body: signing empty bodies the other way.",
)

# 105002 for a request sent with a token another thread has since replaced: TikTok retires the old token
# on refresh, so the request only needs to go again, with the new one (no second refresh).
STALE_TOKEN = _retry("The request was sent with an access token just replaced by a refresh (105002).")


class TikTokErrorHandler(ErrorHandler):
    """Plugs the table into the CDK's HttpClient, which does the retrying and backing off."""

    def __init__(
        self,
        max_retries: int = MAX_RETRIES,
        sent_stale_token: Callable[[requests.PreparedRequest], bool] | None = None,
        may_sign_otherwise: Callable[[requests.PreparedRequest], bool] | None = None,
    ):
        self._max_retries = max_retries
        self._sent_stale_token = sent_stale_token
        self._may_sign_otherwise = may_sign_otherwise

    @property
    def max_retries(self) -> int:
        return self._max_retries

    @property
    def max_time(self) -> int:
        return 600

    def interpret_response(self, response_or_exception: requests.Response | Exception | None) -> ErrorResolution:
        if isinstance(response_or_exception, requests.Response):
            body = envelope(response_or_exception)
            if (
                is_signature_refusal(body)
                and self._may_sign_otherwise is not None
                and self._may_sign_otherwise(response_or_exception.request)
            ):
                return RESIGN
            resolution = resolve(response_or_exception.status_code, body)
            if (
                resolution.response_action == ResponseAction.REFRESH_TOKEN_THEN_RETRY
                and self._sent_stale_token is not None
                and self._sent_stale_token(response_or_exception.request)
            ):
                return STALE_TOKEN
            return resolution
        if isinstance(response_or_exception, requests.RequestException):
            return _retry(f"Connection to TikTok failed: {type(response_or_exception).__name__}.")
        return _bug(f"Unexpected error talking to TikTok: {response_or_exception!r}.")


class TikTokBackoffStrategy(BackoffStrategy):
    """Exponential backoff with jitter (reference §5.2: base 1 s, cap about 60 s, jitter up to 0.5 s),
    or the server's `Retry-After` when it sends one."""

    def backoff_time(self, response_or_exception: requests.Response | Exception | None, attempt_count: int) -> float:
        if isinstance(response_or_exception, requests.Response):
            wait = retry_after(response_or_exception)
            if wait is not None:
                return min(wait, MAX_BACKOFF_SECONDS)
        # The CDK sleeps one second on top of what is returned here, so attempt 1 waits about 1 s.
        return min(2.0 ** (attempt_count - 1) - 1.0, MAX_BACKOFF_SECONDS) + random.uniform(0.01, 0.5)


def retry_after(response: requests.Response) -> float | None:
    """The server's `Retry-After` in seconds, when it sends one (TikTok may not: reference §5.1)."""
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.replace(".", "", 1).isdigit() else None


def is_rate_limited(response: requests.Response) -> bool:
    return response.status_code == 429 or envelope(response).code == RATE_LIMITED


class Refusal(Exception):
    """TikTok refused a request for a reason that ends this part of the read without failing the sync."""


class MissingScopeError(Refusal):
    """The app or the seller's authorization lacks the scope an endpoint needs (105005): skip the stream."""


class VersionUnavailable(Refusal):
    """TikTok does not serve this API version for the shop (36009014): an older one may do."""


class ShopNotEligible(Refusal):
    """The API is not available in the shop's market: skip the shop for this stream."""


class RecordGone(Refusal):
    """The record asked for no longer exists (deleted since it was listed): skip it."""


class DateTooOld(Refusal):
    """TikTok no longer keeps analytics for the date asked: read from the oldest date it still keeps."""


REFUSALS: Mapping[int, type[Refusal]] = {
    MISSING_SCOPE: MissingScopeError,
    VERSION_UNAVAILABLE: VersionUnavailable,
    MARKET_UNAVAILABLE: ShopNotEligible,
    PRODUCT_NOT_FOUND: RecordGone,
    ANALYTICS_DATE_TOO_OLD: DateTooOld,
}


def successful(body: Envelope) -> Envelope:
    """The envelope of a successful answer; a refusal the read goes on from becomes its `Refusal`."""
    if body.code is not None and body.code in REFUSALS:
        raise REFUSALS[body.code](body.describe())
    if body.code != SUCCESS:
        raise AirbyteTracedException(
            message=f"TikTok refused the request: {body.describe()}.", failure_type=FailureType.system_error
        )
    return body
