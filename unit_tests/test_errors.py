import json

import pytest
import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers import ResponseAction

from source_tiktok_shop.tiktok.errors import TikTokBackoffStrategy, TikTokErrorHandler, envelope


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
        (429, tiktok(36009002, "Too many requests"), IGNORE, None, "rate limit"),
        (200, tiktok(36009002), IGNORE, None, "rate limit"),
        (429, b"", IGNORE, None, "rate limit"),
        (503, b"<html>Service Unavailable</html>", RETRY, TRANSIENT, "503"),
        (500, tiktok(1), RETRY, TRANSIENT, "500"),
        (502, b"", RETRY, TRANSIENT, "502"),
        (200, tiktok(36009003, "internal error"), RETRY, TRANSIENT, "internal"),
        (200, tiktok(36009007, "timeout"), RETRY, TRANSIENT, "timeout"),
        (200, b'{"code": 0, "data": {"orders": [', RETRY, TRANSIENT, "not a JSON"),
        (200, b"<html>gateway</html>", RETRY, TRANSIENT, "not a JSON"),
        (200, b"", RETRY, TRANSIENT, "not a JSON"),
        (401, tiktok(105002, "access token expired"), REFRESH, TRANSIENT, "expired"),
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
        (200, tiktok(12052048, "product not found"), IGNORE, None, "no longer exists"),
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


@pytest.mark.parametrize("attempt, low, high", [(1, 0.0, 0.51), (2, 1.0, 1.51), (3, 3.0, 3.51), (12, 60.0, 60.51)])
def test_backoff_is_exponential_with_jitter_and_capped(attempt, low, high):
    assert low <= TikTokBackoffStrategy().backoff_time(answer(429, b""), attempt) <= high


def test_backoff_honours_retry_after():
    assert TikTokBackoffStrategy().backoff_time(answer(429, b"", {"Retry-After": "7"}), 1) == 7.0


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
