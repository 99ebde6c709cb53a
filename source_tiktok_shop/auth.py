"""The token lifecycle and request signing: one authenticator shared by every stream.

Tokens live in the connector config (`credentials.access_token`, `.access_token_expires_at`,
`.refresh_token`). Whenever they change, the CDK authenticator we build on writes them back into the
config and emits it as a CONNECTOR_CONFIG control message, so the platform persists them and the
next sync needs no auth code (design.md, "Token persistence").
"""

import logging
import time
from collections.abc import Mapping, MutableMapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http import HttpClient
from airbyte_cdk.sources.streams.http.requests_native_auth import SingleUseRefreshTokenOauth2Authenticator
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets
from airbyte_cdk.utils.datetime_helpers import AirbyteDateTime
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .config import Settings
from .errors import MAX_RETRIES, TikTokBackoffStrategy, TikTokErrorHandler, envelope
from .signing import sign

ACCESS_TOKEN_HEADER = "x-tts-access-token"
REQUEST_TIMEOUT_SECONDS = 60
# Refresh this long before the recorded expiry (at most a tenth of the life of a token we were just issued).
REFRESH_MARGIN_SECONDS = 60
SIGNATURE_PARAMS = ("app_key", "timestamp", "sign")
JUST_REFRESHED_SECONDS = 30
DEFAULT_GRANT_TYPE = "authorized_code"


def parse_expiry(value: Any) -> datetime | None:
    """`access_token_expires_at` as users and TikTok write it: epoch seconds, or ISO 8601."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
        return datetime.fromtimestamp(int(value), tz=UTC)
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def dotted(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data.get(key) if isinstance(data, Mapping) else None
    return data


class TikTokShopAuthenticator(SingleUseRefreshTokenOauth2Authenticator):
    def __init__(
        self,
        config: MutableMapping[str, Any],
        settings: Settings,
        logger: logging.Logger,
        max_retries: int = MAX_RETRIES,
    ):
        credentials = config["credentials"]
        self._settings = settings
        self._auth_code_grant_type = credentials.get("grant_type") or DEFAULT_GRANT_TYPE
        self._access_token_key = credentials.get("access_token_key") or "data.access_token"
        self._refresh_token_key = credentials.get("refresh_token_key") or "data.refresh_token"
        self._token_client = HttpClient(
            name="tiktok_shop_token",
            logger=logger,
            error_handler=TikTokErrorHandler(max_retries),
            backoff_strategy=TikTokBackoffStrategy(),
            request_timeout=REQUEST_TIMEOUT_SECONDS,
        )
        for key in ("app_secret", "auth_code", "access_token", "refresh_token"):
            if credentials.get(key):
                add_to_secrets(str(credentials[key]))
        super().__init__(
            connector_config=config,
            token_refresh_endpoint=f"{settings.auth_url}/api/v2/token/refresh",
            client_id=settings.app_key,
            client_secret=settings.app_secret,
            token_expiry_date_config_path=("credentials", "access_token_expires_at"),
            token_expiry_is_time_of_expiration=True,
        )
        # A token from the config has an unknown lifetime: assume TikTok's usual week.
        self._refresh_margin = float(REFRESH_MARGIN_SECONDS)
        self._refreshed_at = float("-inf")

    @staticmethod
    def _margin_for(expiry: datetime) -> float:
        """For a token just issued: the usual margin, but at most a tenth of its lifetime."""
        lifetime = expiry.timestamp() - time.time()
        return max(0.0, min(REFRESH_MARGIN_SECONDS, lifetime / 10))

    def get_token_expiry_date(self) -> AirbyteDateTime:
        expiry = parse_expiry(self._get_config_value_by_path(self._token_expiry_date_config_path))
        return AirbyteDateTime.from_datetime(expiry or datetime.fromtimestamp(0, tz=UTC))

    def set_token_expiry_date(self, new_token_expiry_date: AirbyteDateTime) -> None:  # type: ignore[override]
        self._refresh_margin = self._margin_for(new_token_expiry_date)
        self._set_config_value_by_path(
            self._token_expiry_date_config_path, new_token_expiry_date.strftime("%Y-%m-%dT%H:%M:%SZ")
        )

    def token_has_expired(self) -> bool:
        if not self.access_token:
            return True
        if parse_expiry(self._get_config_value_by_path(self._token_expiry_date_config_path)) is None:
            return False  # a token given without its expiry is used until TikTok says it expired (105002)
        return time.time() >= self.get_token_expiry_date().timestamp() - self._refresh_margin

    def refresh_access_token(self) -> tuple[str, AirbyteDateTime, str | None]:  # type: ignore[override]
        """Refreshes with the refresh token, or spends the auth code when there is no refresh token.

        Both token calls are plain GETs with the app secret in the query (reference §1.2); the
        expiry in the answer is an absolute Unix time, not a duration (§1.3).
        """
        refresh_token = self.get_refresh_token()
        credentials = self._connector_config["credentials"]  # type: ignore[index]
        params = {"app_key": self._settings.app_key, "app_secret": self._settings.app_secret}
        if refresh_token:
            path, params = (
                "/api/v2/token/refresh",
                {**params, "refresh_token": refresh_token, "grant_type": "refresh_token"},
            )
        elif credentials.get("auth_code"):
            path, params = (
                "/api/v2/token/get",
                {**params, "auth_code": credentials["auth_code"], "grant_type": self._auth_code_grant_type},
            )
        else:
            raise AirbyteTracedException(
                message="The access token expired and there is no refresh token or auth code to renew it. "
                "Authorize the app again and provide the new auth code.",
                failure_type=FailureType.config_error,
            )
        try:
            _, response = self._token_client.send_request(
                "GET", f"{self._settings.auth_url}{path}", request_kwargs={}, params=params
            )
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
        return self._tokens_from(response)

    def _tokens_from(self, response: requests.Response) -> tuple[str, AirbyteDateTime, str | None]:
        body = {"code": 0, "data": envelope(response).data}
        access_token = dotted(body, self._access_token_key)
        refresh_token = dotted(body, self._refresh_token_key)
        expiry = parse_expiry(dotted(body, "data.access_token_expire_in"))
        if not isinstance(access_token, str) or not access_token or expiry is None:
            raise AirbyteTracedException(
                message=f"TikTok's token answer has no access token at `{self._access_token_key}` or no expiry; "
                "check `credentials.access_token_key`.",
                failure_type=FailureType.config_error,
            )
        add_to_secrets(access_token)
        if isinstance(refresh_token, str) and refresh_token:
            add_to_secrets(refresh_token)
        else:
            refresh_token = None
        return access_token, AirbyteDateTime.from_datetime(expiry), refresh_token

    def refresh_and_set_access_token(self) -> None:
        """Refreshes, unless another thread just did: a refresh invalidates the previous access token, so
        requests sent with it in the meantime come back with 105002 and only need a retry with the new one."""
        with self._token_refresh_lock:
            if time.monotonic() - self._refreshed_at < JUST_REFRESHED_SECONDS and not self.token_has_expired():
                return
            super().refresh_and_set_access_token()
            self._refreshed_at = time.monotonic()

    def sent_stale_token(self, request: requests.PreparedRequest) -> bool:
        """Whether the request went out with an access token that has been replaced since."""
        sent = request.headers.get(ACCESS_TOKEN_HEADER)
        return bool(sent) and sent != self.access_token

    def get_auth_header(self) -> Mapping[str, Any]:
        return {ACCESS_TOKEN_HEADER: self.get_access_token()}

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        """Adds the token header and a fresh timestamp and signature; runs again on every retry."""
        request.headers.update(self.get_auth_header())
        scheme, netloc, path, query, fragment = urlsplit(request.url or "")
        params = [
            (key, value) for key, value in parse_qsl(query, keep_blank_values=True) if key not in SIGNATURE_PARAMS
        ]
        params += [("app_key", self._settings.app_key), ("timestamp", str(int(time.time())))]
        body = request.body if isinstance(request.body, (str, bytes)) else None
        signature = sign(self._settings.app_secret, path, dict(params), body)
        request.url = urlunsplit((scheme, netloc, path, urlencode(params + [("sign", signature)]), fragment))
        return request
