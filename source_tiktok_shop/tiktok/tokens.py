"""The token lifecycle, in one object with its own lock (reference §1; design.md, "Token persistence").

Tokens live in the connector config (`credentials.access_token`, `.access_token_expires_at`,
`.refresh_token`). Whenever they change they are written back into that config and emitted as a
CONNECTOR_CONFIG control message, so the platform keeps them and the next sync needs no auth code.
"""

import threading
import time
from collections.abc import Callable, Mapping, MutableMapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, quote_plus

from airbyte_cdk.config_observation import emit_configuration_as_airbyte_control_message
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .envelope import Envelope, dotted
from .errors import CODE_RESOLUTIONS, INVALID_GRANT

# Renew this long before the recorded expiry (at most a tenth of the life of a token just issued).
REFRESH_MARGIN_SECONDS = 60
DEFAULT_GRANT_TYPE = "authorized_code"
GET_TOKEN_PATH = "/api/v2/token/get"
REFRESH_TOKEN_PATH = "/api/v2/token/refresh"
SECRET_FIELDS = ("app_secret", "auth_code", "access_token", "refresh_token")

# Sends one GET to the token host (path, query) and returns the successful envelope.
TokenCall = Callable[[str, Mapping[str, str]], Envelope]
# Hands the config holding new tokens to whoever keeps them (by default the platform, through a control message).
Persist = Callable[[MutableMapping[str, Any]], None]

KEEP_THE_NEW_TOKENS = (
    "The auth code is spent: it was exchanged for an access token and a refresh token, which are in the "
    "CONNECTOR_CONFIG control message just emitted, in a config without the auth code. Airbyte stores it by "
    "itself; any other caller must keep that config and use it for the next command (PyAirbyte: pass "
    "`config_change_callback` to `get_source`), or the next run fails with code 36004004."
)
SPENT_AUTH_CODE = (
    "TikTok refused the auth code (36004004). An auth code works once and for 30 minutes after the seller's "
    "consent. If this config worked before, the tokens of its first exchange were not kept: they come in a "
    "CONNECTOR_CONFIG control message that the caller must store (PyAirbyte: `config_change_callback`). "
    "Authorize the app again and use the new code within 30 minutes."
)
REFUSED_REFRESH_TOKEN = (
    "TikTok refused the refresh token (36004004): it was rotated by a later renewal (a newer one is in the "
    "CONNECTOR_CONFIG control message of that run), revoked, or the seller's authorization ended. Authorize the "
    "app again and update the credentials."
)


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


def keep_secret(value: str) -> None:
    """Masks `value` in every output, also as it appears in a URL's query (the token calls carry secrets there)."""
    for form in {value, quote(value, safe=""), quote_plus(value)}:
        add_to_secrets(form)


def register_secrets(credentials: Mapping[str, Any]) -> None:
    for key in SECRET_FIELDS:
        if credentials.get(key):
            keep_secret(str(credentials[key]))


class Tokens:
    """A valid access token on demand: exchanged from the auth code or refreshed, ahead of expiry or on 105002.

    One lock serializes renewals; a renewal retires the previous access token at TikTok, so a request
    that went out with a token replaced since (`is_stale`) only needs to go again, never a second renewal.
    """

    def __init__(
        self,
        config: MutableMapping[str, Any],
        call: TokenCall,
        persist: Persist = emit_configuration_as_airbyte_control_message,
    ):
        self._config = config
        self._credentials: MutableMapping[str, Any] = config["credentials"]
        self._call = call
        self._persist = persist
        self._lock = threading.Lock()
        self._margin = float(REFRESH_MARGIN_SECONDS)
        self._spent_auth_code = False
        register_secrets(self._credentials)

    @property
    def current(self) -> str | None:
        return self._credentials.get("access_token") or None

    @property
    def would_spend_auth_code(self) -> bool:
        """Whether the next access token would come from exchanging the (single-use) auth code."""
        with self._lock:
            return (
                self._due() and not self._credentials.get("refresh_token") and bool(self._credentials.get("auth_code"))
            )

    @property
    def spent_auth_code(self) -> bool:
        """Whether this run exchanged the auth code: its tokens exist only in the control message it emitted."""
        return self._spent_auth_code

    def access_token(self) -> str:
        with self._lock:
            if self._due():
                self._renew()
            return str(self._credentials["access_token"])

    def renew_rejected(self, sent: str | None) -> None:
        """TikTok said the token `sent` expired (105002): renew, unless it was replaced since."""
        with self._lock:
            if sent is None or sent == self.current:
                self._renew()

    def is_stale(self, sent: str | None) -> bool:
        return bool(sent) and sent != self.current

    def _due(self) -> bool:
        if not self.current:
            return True
        expiry = parse_expiry(self._credentials.get("access_token_expires_at"))
        if expiry is None:
            return False  # a token given without its expiry is used until TikTok says it expired (105002)
        return time.time() >= expiry.timestamp() - self._margin

    def _renew(self) -> None:
        """Refreshes with the refresh token, or spends the auth code when there is none (reference §1.2, §1.3)."""
        credentials = self._credentials
        query = {"app_key": str(credentials["app_key"]), "app_secret": str(credentials["app_secret"])}
        if credentials.get("refresh_token"):
            path, refused = REFRESH_TOKEN_PATH, REFUSED_REFRESH_TOKEN
            query.update(refresh_token=str(credentials["refresh_token"]), grant_type="refresh_token")
        elif credentials.get("auth_code"):
            path, refused = GET_TOKEN_PATH, SPENT_AUTH_CODE
            grant_type = credentials.get("grant_type") or DEFAULT_GRANT_TYPE
            query.update(auth_code=str(credentials["auth_code"]), grant_type=grant_type)
        else:
            raise AirbyteTracedException(
                message="The access token expired and there is no refresh token or auth code to renew it. "
                "Authorize the app again and provide the new auth code.",
                failure_type=FailureType.config_error,
            )
        try:
            answer = self._call(path, query)
        except AirbyteTracedException as error:
            if error.message != CODE_RESOLUTIONS[INVALID_GRANT].error_message:
                raise
            raise AirbyteTracedException(
                message=refused,
                internal_message=error.internal_message,
                failure_type=FailureType.config_error,
            ) from None
        self._store(answer)
        if path == GET_TOKEN_PATH:
            # Spent now; a config that still held it would fail the next run that has no token (36004004).
            credentials.pop("auth_code", None)
            self._spent_auth_code = True
        self._persist(self._config)

    def _store(self, body: Envelope) -> None:
        """Writes the new tokens into the config; TikTok's expiry is an absolute Unix time, not a duration."""
        answer = {"code": body.code, "data": body.data}
        access_key = self._credentials.get("access_token_key") or "data.access_token"
        refresh_key = self._credentials.get("refresh_token_key") or "data.refresh_token"
        access_token = dotted(answer, access_key)
        refresh_token = dotted(answer, refresh_key)
        expiry = parse_expiry(dotted(answer, "data.access_token_expire_in"))
        if not isinstance(access_token, str) or not access_token or expiry is None:
            raise AirbyteTracedException(
                message=f"TikTok's token answer has no access token at `{access_key}` or no expiry; "
                "check `credentials.access_token_key`.",
                failure_type=FailureType.config_error,
            )
        keep_secret(access_token)
        self._credentials["access_token"] = access_token
        self._credentials["access_token_expires_at"] = expiry.strftime("%Y-%m-%dT%H:%M:%SZ")
        if isinstance(refresh_token, str) and refresh_token:
            keep_secret(refresh_token)
            self._credentials["refresh_token"] = refresh_token
        lifetime = expiry.timestamp() - time.time()
        self._margin = max(0.0, min(REFRESH_MARGIN_SECONDS, lifetime / 10))
