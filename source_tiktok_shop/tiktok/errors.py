"""What to do with each TikTok answer: one table from (HTTP status, envelope `code`) to an action.

TikTok reports business errors inside HTTP 200 bodies and gateway errors with 401/429/503, so both
the status and the body `code` are read (reference §5). Everything here is pure apart from caching
the parsed body on the response, so the table is tested directly.
"""

import logging
import random
from collections.abc import Callable, Iterator, Mapping
from urllib.parse import urlsplit

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers import (
    BackoffStrategy,
    ErrorHandler,
    ErrorResolution,
    ResponseAction,
)
from airbyte_cdk.sources.streams.http.exceptions import BaseBackoffException
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from urllib3.exceptions import NewConnectionError

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
# Third-party copies of TikTok's error tables give this code ("product ID not exist") for the same refusal.
PRODUCT_ID_NOT_EXIST = 12019150
# The token host's answer to a spent, expired or unknown auth code or refresh token (reference §1.3).
INVALID_GRANT = 36004004
# UNCONFIRMED: TikTok documents no code for a seller not onboarded to Fulfilled by TikTok; the sandbox's (the
# connector asks the onboarded regions first, docs/tiktok-shop.md).
FBT_NOT_ONBOARDED = 46003001
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


# What happened, in the log line of every retry and in the error once the retries are spent; the
# troubleshooting table of docs/tiktok-shop.md quotes each one word for word (unit_tests/test_errors.py).
RATE_LIMITED_CAUSE = "TikTok rate limited the request ({answer})."
INTERNAL_ERROR_CAUSE = "TikTok reported an internal error ({answer})."
TIKTOK_TIMEOUT_CAUSE = "TikTok reported that the request timed out on its side ({answer})."
SERVER_ERROR_CAUSE = "TikTok answered with a server error ({answer})."
NOT_AN_ENVELOPE_CAUSE = "TikTok's answer is not a JSON envelope ({answer})."
TOKEN_EXPIRED_CAUSE = "TikTok said the access token expired ({answer}); the connector renewed it."
STALE_TOKEN_CAUSE = "The request went out with an access token that a renewal had just replaced ({answer})."
CONNECTION_FAILED_CAUSE = "Could not connect to {host}: {reason}."
TIMED_OUT_CAUSE = "{host} did not answer in time: {reason}."
BROKEN_OFF_CAUSE = "The connection to {host} broke off: {reason}."
# What the connector does next.
RETRYING = "{cause} Retrying in {seconds} s (retry {retry} of {retries})."
THROTTLED = "{cause} Slowing this shop and endpoint down and sending the request again."
GAVE_UP = "{cause} Gave up after {retries} retries over {elapsed} s. {advice}"
TIKTOK_FAILURE_ADVICE = (
    "TikTok's service is failing; the next sync goes on from the saved state. If it lasts, quote the request_id to "
    "TikTok's support."
)
NETWORK_ADVICE = "Check `{setting}` and this machine's network (DNS, firewall, proxy)."

# A shop's request budget spent (tiktok/rate.py): TikTok answers it as a rate limit, so what is said is inferred.
BUDGET_SPENT_CAUSE = (
    "TikTok has refused every request for shop {shop} for its rate since {since} ({refusals} refusals in a row, "
    "through pauses that outlast any per-second quota): the shop's request budget is spent."
)
HOUR_BUDGET_BACK = "The hourly budget is back by {hour_back} at the latest (the daily budget, if that is the one spent, by {day_back})."
DAY_BUDGET_BACK = "Still refused after the hour: the daily budget is spent, back by {day_back} at the latest."
BUDGET_STOPPED = (
    "{cause} {back} Stopped reading this shop; what was read of it is in the saved state, and the next sync goes on "
    "from there once the budget is back. Set `budget_wait_minutes` to wait for it instead."
)
BUDGET_WAITING = (
    "{cause} {back} Waiting for it (`budget_wait_minutes` allows {minutes} minutes), asking once a minute whether it "
    "is back; the other shops go on."
)
BUDGET_IS_BACK = "TikTok answers the requests for shop {shop} again: its request budget is back."

RETRY_LOG_TEMPLATES = (
    RATE_LIMITED_CAUSE,
    INTERNAL_ERROR_CAUSE,
    TIKTOK_TIMEOUT_CAUSE,
    SERVER_ERROR_CAUSE,
    NOT_AN_ENVELOPE_CAUSE,
    TOKEN_EXPIRED_CAUSE,
    STALE_TOKEN_CAUSE,
    CONNECTION_FAILED_CAUSE,
    TIMED_OUT_CAUSE,
    BROKEN_OFF_CAUSE,
    RETRYING,
    THROTTLED,
    GAVE_UP,
    TIKTOK_FAILURE_ADVICE,
    NETWORK_ADVICE,
)


def answer_of(status: int, body: Envelope) -> str:
    """`HTTP 429, code 36009002, request_id ...`: what identifies one answer of TikTok's."""
    parts = [f"HTTP {status}"]
    if body.code is not None:
        parts.append(f"code {body.code}")
    if body.request_id:
        parts.append(f"request_id {body.request_id}")
    return ", ".join(parts)


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (urllib3 nests the socket's error a few levels down)."""
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop(0)
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        yield current
        pending += [arg for arg in current.args if isinstance(arg, BaseException)]
        reason = getattr(current, "reason", None)
        # Not `__context__`: what was being handled when the error was raised is no part of it.
        pending += [reason if isinstance(reason, BaseException) else None, current.__cause__]


def _reason(error: BaseException) -> str:
    """The socket's own words (`Connection refused`, `Name or service not known`), never a URL (it holds secrets)."""
    chain = list(_chain(error))
    for link in chain:
        if isinstance(link, OSError) and link.strerror:
            return str(link.strerror)
    text = str(chain[-1]).rsplit("): ", 1)[-1]
    return text.split("?", 1)[0] or type(error).__name__


def _host(error: requests.RequestException) -> str:
    url = urlsplit(getattr(error.request, "url", None) or "")
    return f"{url.scheme}://{url.netloc}" if url.netloc else "TikTok"


def connection_cause(error: requests.RequestException) -> str:
    host, reason = _host(error), _reason(error)
    if isinstance(error, requests.ConnectTimeout) or any(
        isinstance(link, NewConnectionError) for link in _chain(error)
    ):
        return CONNECTION_FAILED_CAUSE.format(host=host, reason=reason)
    if isinstance(error, requests.Timeout):
        return TIMED_OUT_CAUSE.format(host=host, reason=reason)
    return BROKEN_OFF_CAUSE.format(host=host, reason=reason)


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


class Refusal(Exception):
    """TikTok refused a request for a reason that ends this part of the read without failing the sync."""


class MissingScopeError(Refusal):
    """The app or the seller's authorization lacks the scope an endpoint needs (105005): skip the stream."""


class VersionUnavailable(Refusal):
    """TikTok does not serve this API version for the shop (36009014): an older one may do."""


class ShopNotEligible(Refusal):
    """The API is not available to the shop (in its market, or outside a programme it is not in): skip the shop for
    this stream."""


class RecordGone(Refusal):
    """The record asked for no longer exists (deleted since it was listed): skip it."""


class DateTooOld(Refusal):
    """TikTok no longer keeps analytics for the date asked: read from the oldest date it still keeps."""


# Refusals the read goes on from: handed back by the HttpClient (IGNORE), raised by `successful` as their class.
REFUSALS: Mapping[int, tuple[type[Refusal], str]] = {
    MISSING_SCOPE: (MissingScopeError, "The app lacks the scope of this endpoint (105005)."),
    VERSION_UNAVAILABLE: (VersionUnavailable, "TikTok does not serve this API version for this shop (36009014)."),
    MARKET_UNAVAILABLE: (ShopNotEligible, f"This API is not available in the shop's market ({MARKET_UNAVAILABLE})."),
    FBT_NOT_ONBOARDED: (ShopNotEligible, f"The shop is not onboarded to Fulfilled by TikTok ({FBT_NOT_ONBOARDED})."),
    **{
        code: (RecordGone, f"The product no longer exists ({code}).")
        for code in (PRODUCT_NOT_FOUND, PRODUCT_ID_NOT_EXIST)
    },
    ANALYTICS_DATE_TOO_OLD: (
        DateTooOld,
        f"TikTok no longer keeps analytics for this date ({ANALYTICS_DATE_TOO_OLD}).",
    ),
}

# Codes with one meaning; reference §5.1 (and §1.3 for the token host's 36004004).
CODE_RESOLUTIONS: Mapping[int, ErrorResolution] = {
    **{code: ErrorResolution(ResponseAction.IGNORE, None, message) for code, (_, message) in REFUSALS.items()},
    INVALID_SIGNATURE: _config_error(CLOCK_OR_SECRET + " (106001)"),
    101000: _config_error(REAUTHORIZE + " (101000)"),
    36009033: _config_error(
        "TikTok refused this machine's IP address (36009033): add it to the IP allow-list of the app in TikTok Partner Center."
    ),
    INVALID_GRANT: _config_error(
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


# Codes that are retried; their message names the answer (request_id included).
RETRIED_CODES: Mapping[int, tuple[ResponseAction, str]] = {
    INTERNAL_ERROR: (ResponseAction.RETRY, INTERNAL_ERROR_CAUSE),
    REQUEST_TIMEOUT: (ResponseAction.RETRY, TIKTOK_TIMEOUT_CAUSE),
    ACCESS_TOKEN_EXPIRED: (ResponseAction.REFRESH_TOKEN_THEN_RETRY, TOKEN_EXPIRED_CAUSE),
}


def resolve(status: int, body: Envelope) -> ErrorResolution:
    """The action for one HTTP answer; the table the reliability tests exercise."""
    if body.code == SUCCESS and 200 <= status < 300:
        return ErrorResolution(ResponseAction.SUCCESS)
    answer = answer_of(status, body)
    if status == 429 or body.code == RATE_LIMITED:
        # Handed back to the client, which slows the shop and endpoint down and sends the request again
        # (tiktok/rate.py): a rate limit is not a failure and costs no retry.
        return ErrorResolution(
            ResponseAction.IGNORE, None, THROTTLED.format(cause=RATE_LIMITED_CAUSE.format(answer=answer))
        )
    if body.code is not None and body.code in RETRIED_CODES:
        action, cause = RETRIED_CODES[body.code]
        return ErrorResolution(action, FailureType.transient_error, cause.format(answer=answer))
    if body.code is not None and body.code in CODE_RESOLUTIONS:
        return CODE_RESOLUTIONS[body.code]
    if body.code == VALIDATION_ERROR:
        lowered = body.message.lower()
        for needle, resolution in VALIDATION_RESOLUTIONS:
            if needle in lowered:
                return resolution
    if status >= 500 or status == 408:
        return _retry(SERVER_ERROR_CAUSE.format(answer=answer))
    if body.code is None:
        return _retry(NOT_AN_ENVELOPE_CAUSE.format(answer=answer))
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


class ShopStopped(AirbyteTracedException):
    """An error of a whole shop, not of one endpoint (its request budget is spent): its message names the shop, and
    it ends every stream of that shop the same way, reported once."""


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
                # TikTok retires the old token on refresh: the request only needs to go again, with the new one.
                answer = answer_of(response_or_exception.status_code, body)
                return _retry(STALE_TOKEN_CAUSE.format(answer=answer))
            return resolution
        if isinstance(response_or_exception, requests.RequestException):
            return _retry(connection_cause(response_or_exception))
        return _bug(f"Unexpected error talking to TikTok: {response_or_exception!r}.")


class TikTokBackoffStrategy(BackoffStrategy):
    """Backoff after a server or network failure: small at first (a fault is most often a single one) and growing
    only while failures go on, exponentially and with jitter, up to MAX_BACKOFF_SECONDS (reference §5.2); or the
    server's `Retry-After` when it sends one.

    "While failures go on" counts the request's own attempts and, through `failures_in_a_row`, its shop and
    endpoint's failed calls in a row: a new request to an endpoint that keeps failing does not start small again.
    It is also where a retry is decided, so it logs what happened and how long the connector waits (the CDK's own
    line calls every retry a rate limit; `quiet_cdk_retry_logs` drops it).
    """

    def __init__(
        self,
        error_handler: TikTokErrorHandler | None = None,
        logger: logging.Logger | None = None,
        failures_in_a_row: Callable[[requests.Response | Exception | None], int] | None = None,
    ):
        self._error_handler = error_handler or TikTokErrorHandler()
        self._logger = logger
        self._failures_in_a_row = failures_in_a_row

    def backoff_time(self, response_or_exception: requests.Response | Exception | None, attempt_count: int) -> float:
        failures = self._failures_in_a_row(response_or_exception) if self._failures_in_a_row else 0
        wait = self._wait(response_or_exception, max(attempt_count, failures))
        retries = self._error_handler.max_retries
        if self._logger is not None and attempt_count <= retries:
            cause = self._error_handler.interpret_response(response_or_exception).error_message
            self._logger.warning(
                RETRYING.format(cause=cause, seconds=f"{wait:.1f}", retry=attempt_count, retries=retries)
            )
        # The CDK sleeps one second more than it is told (to cover fractions of a second): told less by as much.
        return wait - CDK_EXTRA_SLEEP_SECONDS

    @staticmethod
    def _wait(response_or_exception: requests.Response | Exception | None, failures: int) -> float:
        """Seconds to wait before the retry after `failures` failures in a row."""
        if isinstance(response_or_exception, requests.Response):
            wait = retry_after(response_or_exception)
            if wait is not None:
                return max(MIN_BACKOFF_SECONDS, min(wait, MAX_BACKOFF_SECONDS))
        wait = FIRST_BACKOFF_SECONDS * BACKOFF_GROWTH ** (max(failures, 1) - 1)
        return min(wait * random.uniform(1.0, 1.0 + BACKOFF_JITTER), MAX_BACKOFF_SECONDS)


# The CDK's backoff handler sleeps what a BackoffStrategy returns plus this (airbyte_cdk's rate_limiting.py).
CDK_EXTRA_SLEEP_SECONDS = 1.0
# 0.05 s, 0.25 s, 1.25 s, 6.25 s, 31 s, 60 s: a single fault (the most common) costs next to nothing, and six
# retries still outlast an outage of a minute and a half.
FIRST_BACKOFF_SECONDS, BACKOFF_GROWTH, BACKOFF_JITTER = 0.05, 5.0, 0.25
MIN_BACKOFF_SECONDS = 0.05  # what a `Retry-After: 0` waits


def gave_up(error: AirbyteTracedException, retries: int, elapsed: float, setting: str) -> AirbyteTracedException:
    """The error of a request whose retries are spent: the last cause, and what to check (`setting` names the host)."""
    last = error.__context__
    if not isinstance(last, BaseBackoffException):
        return error
    # A rate limit is never retried here (the client slows down instead): TikTok failed, or the network did.
    answered = isinstance(last.response, requests.Response)
    advice = TIKTOK_FAILURE_ADVICE if answered else NETWORK_ADVICE.format(setting=setting)
    message = GAVE_UP.format(cause=str(last), retries=retries, elapsed=f"{elapsed:.0f}", advice=advice)
    return AirbyteTracedException(
        message=message, internal_message=error.internal_message, failure_type=error.failure_type
    )


# The CDK's lines that this module says better: every retry called a rate limit, and the end of the
# retries as a traceback; `RETRYING` and `gave_up` replace them.
CDK_RETRY_LINES = (
    "UserDefinedBackoffException: Rate limit exceeded",
    "Max retry limit reached",
    "Retries exhausted with backoff exception",
)


class CdkRetryLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(CDK_RETRY_LINES)


CDK_RETRY_LINES_FILTER = CdkRetryLines()


def quiet_cdk_retry_logs(logger: logging.Logger) -> None:
    """Drops the CDK's retry lines from its own logger (`airbyte`) and from the HttpClient's `logger`."""
    for target in (logging.getLogger("airbyte"), logger):
        if CDK_RETRY_LINES_FILTER not in target.filters:
            target.addFilter(CDK_RETRY_LINES_FILTER)


def retry_after(response: requests.Response) -> float | None:
    """The server's `Retry-After` in seconds, when it sends one (TikTok may not: reference §5.1)."""
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.replace(".", "", 1).isdigit() else None


def is_rate_limited(response: requests.Response) -> bool:
    return response.status_code == 429 or envelope(response).code == RATE_LIMITED


def successful(body: Envelope) -> Envelope:
    """The envelope of a successful answer; a refusal the read goes on from becomes its `Refusal`."""
    if body.code is not None and body.code in REFUSALS:
        refusal, _ = REFUSALS[body.code]
        raise refusal(body.describe())
    if body.code != SUCCESS:
        raise AirbyteTracedException(
            message=f"TikTok refused the request: {body.describe()}.", failure_type=FailureType.system_error
        )
    return body
