import threading
import time
from datetime import UTC, datetime

import pytest
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_tiktok_shop.tiktok.envelope import Envelope
from source_tiktok_shop.tiktok.errors import CODE_RESOLUTIONS, INVALID_GRANT
from source_tiktok_shop.tiktok.tokens import (
    REFUSED_REFRESH_TOKEN,
    SPENT_AUTH_CODE,
    Tokens,
    keep_secret,
    parse_expiry,
)


@pytest.mark.parametrize(
    "value, expected",
    [
        (1735689600, datetime(2025, 1, 1, tzinfo=UTC)),
        ("1735689600", datetime(2025, 1, 1, tzinfo=UTC)),
        ("2025-01-01T00:00:00Z", datetime(2025, 1, 1, tzinfo=UTC)),
        ("2025-01-01T02:00:00+02:00", datetime(2025, 1, 1, tzinfo=UTC)),
        ("2025-01-01T00:00:00", datetime(2025, 1, 1, tzinfo=UTC)),
        ("", None),
        (None, None),
        ("next tuesday", None),
    ],
)
def test_expiry_is_read_as_epoch_seconds_or_iso_8601(value, expected):
    assert parse_expiry(value) == expected


class TokenHost:
    """Answers every token call with a new token pair that expires in `lifetime` seconds; counts the calls."""

    def __init__(self, lifetime: int = 604_800):
        self.calls: list[tuple[str, dict]] = []
        self._lifetime = lifetime
        self._lock = threading.Lock()

    def __call__(self, path, query):
        with self._lock:
            self.calls.append((path, dict(query)))
            number = len(self.calls)
        time.sleep(0.01)  # long enough for racing threads to pile up behind the lock
        data = {
            "access_token": f"access-{number}",
            "refresh_token": f"refresh-{number}",
            "access_token_expire_in": int(time.time()) + self._lifetime,
        }
        return Envelope(code=0, message="success", request_id="r", data=data)


def tokens(host: TokenHost, persisted: list | None = None, **credentials) -> Tokens:
    config = {"credentials": {"app_key": "key", "app_secret": "secret", **credentials}}
    return Tokens(config, host, persist=(persisted.append if persisted is not None else lambda config: None))


@pytest.mark.parametrize(
    "seconds_left, renewed",
    [(-10, True), (30, True), (3_000, False), (604_800, False)],
    ids=["past", "inside the 60 s margin", "an hour left", "a week left"],
)
def test_given_a_token_when_it_nears_its_expiry_then_it_is_renewed_ahead_of_it(seconds_left, renewed):
    host = TokenHost()
    expiry = str(int(time.time()) + seconds_left)
    token = tokens(host, access_token="t", access_token_expires_at=expiry, refresh_token="r").access_token()
    assert (token != "t") is renewed
    assert len(host.calls) == int(renewed)


def test_given_no_access_token_then_the_auth_code_is_exchanged_and_a_token_without_expiry_is_used_as_is():
    host = TokenHost()
    assert tokens(host, auth_code="code").access_token() == "access-1"
    ((path, query),) = host.calls
    assert path == "/api/v2/token/get" and query["auth_code"] == "code" and query["grant_type"] == "authorized_code"
    assert tokens(host, access_token="t").access_token() == "t"
    assert len(host.calls) == 1


def test_given_a_renewal_then_the_new_tokens_are_persisted_with_an_absolute_expiry():
    host, persisted = TokenHost(lifetime=3_600), []
    tokens(host, persisted, refresh_token="r").access_token()
    (config,) = persisted
    credentials = config["credentials"]
    assert (credentials["access_token"], credentials["refresh_token"]) == ("access-1", "refresh-1")
    assert 3_500 < parse_expiry(credentials["access_token_expires_at"]).timestamp() - time.time() <= 3_600
    assert host.calls[0][0] == "/api/v2/token/refresh"


def test_given_threads_racing_for_an_expired_token_then_it_is_renewed_once():
    host = TokenHost()
    shared = tokens(host, access_token="t", access_token_expires_at="2000-01-01T00:00:00Z", refresh_token="r")
    seen: list[str] = []
    threads = [threading.Thread(target=lambda: seen.append(shared.access_token())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(seen) == {"access-1"} and len(host.calls) == 1


def test_given_105002_for_a_token_replaced_since_then_it_is_stale_and_not_renewed_again():
    host = TokenHost()
    shared = tokens(host, access_token="t", refresh_token="r")
    shared.renew_rejected("t")
    assert shared.current == "access-1" and len(host.calls) == 1
    assert shared.is_stale("t") and not shared.is_stale("access-1")
    shared.renew_rejected("t")
    assert len(host.calls) == 1, "a request that raced the renewal renewed again"
    shared.renew_rejected("access-1")
    assert shared.current == "access-2"


def test_given_a_token_just_issued_with_a_short_life_then_the_margin_is_a_tenth_of_it():
    host = TokenHost(lifetime=20)
    shared = tokens(host, refresh_token="r")
    assert shared.access_token() == "access-1"
    assert shared.access_token() == "access-1", "a 20 s token was renewed at once (60 s margin)"


@pytest.mark.parametrize(
    "credentials, spends",
    [
        ({"auth_code": "c"}, True),
        ({"auth_code": "c", "access_token": "t"}, False),
        ({"auth_code": "c", "access_token": "t", "access_token_expires_at": "2000-01-01T00:00:00Z"}, True),
        ({"auth_code": "c", "refresh_token": "r"}, False),
        ({"refresh_token": "r"}, False),
    ],
    ids=["a code alone", "and a token", "and an expired token", "and a refresh token", "no code"],
)
def test_the_auth_code_is_spent_only_when_nothing_else_gives_a_token(credentials, spends):
    assert tokens(TokenHost(), **credentials).would_spend_auth_code is spends


def test_given_an_auth_code_exchanged_then_the_persisted_config_no_longer_holds_it():
    persisted: list = []
    shared = tokens(TokenHost(), persisted, auth_code="code")
    shared.access_token()
    (config,) = persisted
    assert "auth_code" not in config["credentials"]
    assert shared.spent_auth_code and not shared.would_spend_auth_code


def refusing(path, query):
    raise AirbyteTracedException(
        message=CODE_RESOLUTIONS[INVALID_GRANT].error_message, failure_type=FailureType.config_error
    )


@pytest.mark.parametrize(
    "credentials, says",
    [({"auth_code": "c"}, SPENT_AUTH_CODE), ({"refresh_token": "r"}, REFUSED_REFRESH_TOKEN)],
    ids=["auth code", "refresh token"],
)
def test_given_36004004_then_the_error_names_the_grant_refused(credentials, says):
    with pytest.raises(AirbyteTracedException) as refused:
        tokens(refusing, **credentials).access_token()
    assert refused.value.message == says
    assert refused.value.failure_type == FailureType.config_error


def test_a_secret_is_masked_also_as_a_url_carries_it():
    keep_secret("s3c+r/t= x")
    logged = filter_secrets("GET /api/v2/token/get?app_secret=s3c%2Br%2Ft%3D+x&auth_code=s3c%2Br%2Ft%3D%20x")
    assert "s3c" not in logged
