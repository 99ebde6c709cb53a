import json
import logging
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import urllib3
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers import ResponseAction

from source_tiktok_shop.tiktok.client import PAGE_ASKED_AGAIN, PAGE_TOKEN_LOOPED, PAGINATION_LOOP, UNTRUE_PAGE
from source_tiktok_shop.tiktok.envelope import Envelope
from source_tiktok_shop.tiktok.errors import (
    BUDGET_IS_BACK,
    BUDGET_SPENT_CAUSE,
    BUDGET_STOPPED,
    BUDGET_WAITING,
    CDK_EXTRA_SLEEP_SECONDS,
    DAY_BUDGET_BACK,
    HOUR_BUDGET_BACK,
    RETRY_LOG_TEMPLATES,
    RecordGone,
    TikTokBackoffStrategy,
    TikTokErrorHandler,
    envelope,
    quiet_cdk_retry_logs,
    successful,
)
from source_tiktok_shop.tiktok.tokens import KEEP_THE_NEW_TOKENS, REFUSED_REFRESH_TOKEN, SPENT_AUTH_CODE


def answer(status: int, body: object, headers: dict | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response.headers.update(headers or {})
    return response


def tiktok(code: int, message: str = "") -> dict:
    return {"code": code, "message": message, "request_id": "req-1", "data": {}}


RETRY, REFRESH, FAIL, IGNORE, OK = (
    ResponseAction.RETRY,
    ResponseAction.REFRESH_TOKEN_THEN_RETRY,
    ResponseAction.FAIL,
    ResponseAction.IGNORE,
    ResponseAction.SUCCESS,
)
CONFIG, SYSTEM, TRANSIENT = FailureType.config_error, FailureType.system_error, FailureType.transient_error


@pytest.mark.parametrize(
    "status, body, action, failure_type, says",
    [
        (200, tiktok(0, "Success"), OK, None, None),
        # Rate limits go back to the client, which slows down and sends again (tiktok/rate.py): no failure.
        (
            429,
            tiktok(36009002, "Too many requests"),
            IGNORE,
            None,
            "TikTok rate limited the request (HTTP 429, code 36009002, request_id req-1). Slowing this shop",
        ),
        (200, tiktok(36009002), IGNORE, None, "rate limited the request (HTTP 200, code 36009002"),
        (429, b"", IGNORE, None, "TikTok rate limited the request (HTTP 429)."),
        (503, b"<html>Service Unavailable</html>", RETRY, TRANSIENT, "TikTok answered with a server error (HTTP 503)."),
        (500, tiktok(1), RETRY, TRANSIENT, "server error (HTTP 500, code 1, request_id req-1)"),
        (502, b"", RETRY, TRANSIENT, "server error (HTTP 502)"),
        (
            200,
            tiktok(36009003, "internal error"),
            RETRY,
            TRANSIENT,
            "TikTok reported an internal error (HTTP 200, code 36009003, request_id req-1).",
        ),
        (200, tiktok(36009007, "timeout"), RETRY, TRANSIENT, "timed out on its side (HTTP 200, code 36009007"),
        (200, b'{"code": 0, "data": {"orders": [', RETRY, TRANSIENT, "not a JSON envelope (HTTP 200)"),
        (200, b"<html>gateway</html>", RETRY, TRANSIENT, "not a JSON"),
        (200, b"", RETRY, TRANSIENT, "not a JSON"),
        (
            401,
            tiktok(105002, "access token expired"),
            REFRESH,
            TRANSIENT,
            "access token expired (HTTP 401, code 105002",
        ),
        (200, tiktok(105005, "you should apply auth pkg for this api"), IGNORE, None, None),
        (
            401,
            tiktok(106001, "Invalid credentials. The 'sign' query parameter is invalid."),
            FAIL,
            CONFIG,
            "app secret",
        ),
        (401, tiktok(36009004, "Invalid timestamp"), FAIL, CONFIG, "clock"),
        (401, tiktok(36009004, "Invalid access_token"), FAIL, CONFIG, "Authorize the app again"),
        (401, tiktok(36009004, "invalid app_key"), FAIL, CONFIG, "app key"),
        (401, tiktok(36009004, "Unexpected identifier: shop_cipher"), FAIL, CONFIG, "credentials"),
        (200, tiktok(36009004, "Invalid parameter page_size"), FAIL, SYSTEM, "page_size"),
        (200, tiktok(101000, "token not for this shop"), FAIL, CONFIG, "Authorize the app again"),
        (200, tiktok(106013, "shop_cipher missing"), FAIL, SYSTEM, "shop_cipher"),
        (200, tiktok(36009033, "ip not allowed"), FAIL, CONFIG, "allow-list"),
        (200, tiktok(36004004, "invalid auth code"), FAIL, CONFIG, "single-use"),
        (404, tiktok(36009009, "invalid path"), FAIL, SYSTEM, "path"),
        # Refusals the read goes on from: the client falls back to an older version, skips the shop or the record.
        (404, tiktok(36009014, "version invalid"), IGNORE, None, "version"),
        (200, tiktok(22005010, "not available in this market"), IGNORE, None, "market"),
        (200, tiktok(46003001, "not onboarded to FBT"), IGNORE, None, "not onboarded to Fulfilled by TikTok"),
        (200, tiktok(12052048, "product not found"), IGNORE, None, "no longer exists"),
        (200, tiktok(12019150, "product id not exist"), IGNORE, None, "no longer exists"),
        (200, tiktok(66007004, "start_date_ge is earlier than the data kept"), IGNORE, None, "no longer keeps"),
        (200, tiktok(12345678, "something new"), FAIL, SYSTEM, "12345678"),
        (200, tiktok(12345678, "something new"), FAIL, SYSTEM, "req-1"),
    ],
)
def test_error_table(status, body, action, failure_type, says):
    resolution = TikTokErrorHandler().interpret_response(answer(status, body))
    assert resolution.response_action == action
    assert resolution.failure_type == failure_type
    if says:
        assert says.lower() in resolution.error_message.lower()


@pytest.mark.parametrize("code", [12052048, 12019150])
def test_a_product_gone_before_get_product_is_skipped_on_either_code(code):
    """12052048 is the sandbox's; third-party copies of TikTok's error tables give 12019150."""
    with pytest.raises(RecordGone, match=str(code)):
        successful(Envelope(code, "product not found", "r", None))


@pytest.mark.parametrize(
    "error",
    [
        requests.ConnectionError("refused"),
        requests.ReadTimeout("slow"),
        requests.exceptions.ChunkedEncodingError("cut"),
    ],
)
def test_connection_failures_are_retried(error):
    resolution = TikTokErrorHandler().interpret_response(error)
    assert (resolution.response_action, resolution.failure_type) == (RETRY, TRANSIENT)


def test_envelope_is_parsed_once():
    response = answer(200, tiktok(0))
    assert envelope(response) is envelope(response)


def slept(strategy: TikTokBackoffStrategy, response_or_exception, attempt: int) -> float:
    """What the CDK sleeps for a backoff: what the strategy returns, plus its own second."""
    wait = strategy.backoff_time(response_or_exception, attempt)
    assert wait, "the CDK takes a wait of 0 for no wait at all and backs off its own way"
    return wait + CDK_EXTRA_SLEEP_SECONDS


@pytest.mark.parametrize(
    "attempt, low, high", [(1, 0.05, 0.07), (2, 0.25, 0.32), (3, 1.25, 1.57), (4, 6.25, 7.82), (12, 60.0, 60.0)]
)
def test_backoff_starts_small_and_grows_exponentially_with_jitter_up_to_a_cap(attempt, low, high):
    assert low <= slept(TikTokBackoffStrategy(), answer(503, b""), attempt) <= high


def test_backoff_grows_with_the_failures_in_a_row_of_the_shop_and_endpoint_not_only_the_attempts():
    failures = iter([1, 2, 3])
    strategy = TikTokBackoffStrategy(failures_in_a_row=lambda response: next(failures))
    waits = [slept(strategy, answer(503, b""), 1) for _ in range(3)]
    assert waits[0] < 0.07 < waits[1] < 0.32 < waits[2]


def test_backoff_honours_retry_after():
    assert slept(TikTokBackoffStrategy(), answer(429, b"", {"Retry-After": "7"}), 1) == 7.0


def test_105002_for_a_token_replaced_in_the_meantime_is_retried_not_refreshed_again():
    def answered_with(sent_token: str) -> requests.Response:
        response = answer(401, tiktok(105002, "access token expired"))
        response.request = requests.Request(
            "GET", "https://api.test/x", headers={"x-tts-access-token": sent_token}
        ).prepare()
        return response

    handler = TikTokErrorHandler(sent_stale_token=lambda request: request.headers["x-tts-access-token"] != "current")
    assert handler.interpret_response(answered_with("old")).response_action == RETRY
    assert handler.interpret_response(answered_with("current")).response_action == REFRESH


class Unanswered:
    """A loopback port that accepts connections and never answers; or, closed, refuses them."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"

    def refusing(self) -> str:
        self._socket.close()
        return self.url

    def silent(self) -> str:
        self._socket.listen()
        LISTENING.append(self)  # kept open until the test session ends
        return self.url


LISTENING: list[Unanswered] = []


def failure_of(url: str, timeout: float = 5) -> requests.RequestException:
    try:
        requests.get(f"{url}/api/v2/token/get?app_secret=s3cret&auth_code=c0de", timeout=timeout)
    except requests.RequestException as error:
        return error
    raise AssertionError("the request went through")


def broken_off() -> requests.RequestException:
    error = requests.exceptions.ChunkedEncodingError(
        urllib3.exceptions.ProtocolError(
            "Response ended prematurely", ConnectionResetError(104, "Connection reset by peer")
        )
    )
    error.request = requests.Request("GET", "https://open-api.test/order/202309/orders/search?app_key=k").prepare()
    return error


@pytest.mark.parametrize(
    "make, says",
    [
        (
            lambda: failure_of(Unanswered().refusing()),
            "Could not connect to http://127.0.0.1:{port}: Connection refused.",
        ),
        (
            lambda: failure_of(Unanswered().silent(), timeout=0.2),
            "http://127.0.0.1:{port} did not answer in time: timed out.",
        ),
        (broken_off, "The connection to https://open-api.test broke off: Connection reset by peer."),
    ],
    ids=["refused", "timed out", "broken off"],
)
def test_a_failed_connection_says_what_happened_without_the_query(make, says):
    error = make()
    port = urlsplit(error.request.url).port
    message = TikTokErrorHandler().interpret_response(error).error_message
    assert message == says.format(port=port)
    assert "s3cret" not in message and "c0de" not in message


def test_a_retry_is_logged_with_its_cause_and_wait_and_the_last_attempt_is_not(caplog):
    strategy = TikTokBackoffStrategy(TikTokErrorHandler(max_retries=6), logging.getLogger("test.retries"))
    with caplog.at_level(logging.INFO, logger="test.retries"):
        wait = strategy.backoff_time(answer(200, tiktok(36009003, "internal error")), 2)
        strategy.backoff_time(answer(200, tiktok(36009003, "internal error")), 7)
    (line,) = caplog.messages
    assert line == (
        "TikTok reported an internal error (HTTP 200, code 36009003, request_id req-1). "
        f"Retrying in {wait + CDK_EXTRA_SLEEP_SECONDS:.1f} s (retry 2 of 6)."
    )


def test_the_troubleshooting_table_quotes_every_log_line_word_for_word():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "tiktok-shop.md").read_text()
    for template in [*RETRY_LOG_TEMPLATES, KEEP_THE_NEW_TOKENS, SPENT_AUTH_CODE, REFUSED_REFRESH_TOKEN]:
        assert template in doc, f"docs/tiktok-shop.md does not quote: {template}"


def test_the_table_of_errors_that_end_a_shops_streams_quotes_each_word_for_word():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "tiktok-shop.md").read_text()
    whole = BUDGET_STOPPED.format(cause=BUDGET_SPENT_CAUSE, back=HOUR_BUDGET_BACK)
    # The other budget lines are quoted after the part they share with the first, as "…".
    waiting_tail = BUDGET_WAITING.format(cause="", back="", minutes="{minutes}").strip()
    stopped_head = BUDGET_STOPPED.format(cause="", back="").strip().split(";")[0]
    messages = [PAGE_TOKEN_LOOPED, PAGINATION_LOOP, PAGE_ASKED_AGAIN, UNTRUE_PAGE, whole, waiting_tail, BUDGET_IS_BACK]
    messages += [f"… {DAY_BUDGET_BACK} {stopped_head}; …"]
    for message in messages:
        assert message in doc, f"docs/tiktok-shop.md does not quote: {message}"


def test_the_cdks_retry_lines_are_dropped_and_others_kept():
    logger = logging.getLogger("test.quiet")
    quiet_cdk_retry_logs(logger)
    records = [logging.makeLogRecord({"msg": text}) for text in (
        "UserDefinedBackoffException: Rate limit exceeded (HTTP 503). Retrying in 2 seconds.",
        "Retries exhausted with backoff exception.",
        "Max retry limit reached after 3.0s. Request: <PreparedRequest [GET]>, Response: None",
        "Check succeeded",
    )]  # fmt: skip
    assert [record.msg for record in records if logger.filter(record)] == ["Check succeeded"]
    assert logging.getLogger("airbyte").filter(records[0]) is False
