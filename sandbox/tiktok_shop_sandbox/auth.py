"""OAuth state of the sandbox: auth codes, access/refresh tokens, scopes (reference §1)."""

from __future__ import annotations

import json
import os
import secrets
import threading
import time

AUTH_CODE_TTL_S = 30 * 60
REFRESH_TOKEN_TTL_S = 100 * 365 * 86400  # "far future", like the observed 2123 expiries

ALL_SCOPES = (
    "seller.authorization.info",
    "seller.shop.info",
    "seller.order.info",
    "seller.product.basic",
    "seller.return_refund.basic",
    "seller.fulfillment.basic",
    "seller.finance.info",
    "seller.logistics",
    "seller.promotion.info",
    "data.shop_analytics.public.read",
    "seller.affiliate_collaboration.read",
    "seller.customer_service",
)

# Auth-host error codes.  36004004 is integrator-observed (reference §1.3); the others are sandbox choices.
CODE_MISSING_PARAM = 36004001
CODE_BAD_APP = 36004002
CODE_BAD_GRANT_TYPE = 36004003
CODE_INVALID_GRANT = 36004004


class AuthError(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class AccessToken:
    __slots__ = ("token", "family", "expires_at", "revoked", "forced_expired")

    def __init__(self, token, family, expires_at):
        self.token = token
        self.family = family
        self.expires_at = expires_at
        self.revoked = False  # rotated out by a refresh
        self.forced_expired = False  # expire_access_tokens()


class AuthState:
    """Codes and tokens; with a ``state_file``, kept there across restarts (read at start, written on each change)."""

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        token_ttl_s: int,
        scopes=None,
        open_id="",
        seller_name="",
        region="",
        state_file: str | None = None,
    ):
        self.app_key = app_key
        self.app_secret = app_secret
        self.token_ttl_s = int(token_ttl_s)
        self.granted = tuple(scopes) if scopes is not None else ALL_SCOPES
        self.revoked_scopes: set[str] = set()
        self.open_id = open_id
        self.seller_name = seller_name
        self.region = region
        self.lock = threading.Lock()
        self.codes: dict[str, list] = {}  # code -> [expires_at, used]
        self.access: dict[str, AccessToken] = {}
        self.refresh: dict[str, int] = {}  # current refresh token -> family
        self.family_access: dict[int, str] = {}  # family -> current access token
        self._families = 0
        self.state_file = state_file
        if state_file and os.path.exists(state_file):
            self._load(state_file)

    # -- the state file ----------------------------------------------------------------------------------------

    def _load(self, path: str):
        with open(path) as fh:
            saved = json.load(fh)
        if not isinstance(saved, dict) or not {"app_key", "families", "codes", "access", "refresh"} <= set(saved):
            raise ValueError(f"{path} is not a sandbox state file")
        if saved.get("app_key") != self.app_key:
            raise ValueError(
                f"the state file {path} holds the tokens of app key {saved.get('app_key')!r}, not of this sandbox's "
                f"{self.app_key!r}: start the sandbox with the same --seed, or use another state file"
            )
        self._families = saved["families"]
        self.codes = {code: list(entry) for code, entry in saved["codes"].items()}
        self.access = {
            token: AccessToken(token, family, expires_at)
            for token, (family, expires_at, _, _) in saved["access"].items()
        }
        for token, (_, _, revoked, forced_expired) in saved["access"].items():
            self.access[token].revoked, self.access[token].forced_expired = revoked, forced_expired
        self.refresh = dict(saved["refresh"])
        self.family_access = {int(family): token for family, token in saved["family_access"].items()}
        self.revoked_scopes = set(saved["revoked_scopes"])

    def _save(self):
        """Called with the lock held, after every change."""
        if not self.state_file:
            return
        now = time.time()
        saved = {
            "app_key": self.app_key,
            "families": self._families,
            "codes": {code: entry for code, entry in self.codes.items() if entry[0] >= now},
            "access": {
                token: [t.family, t.expires_at, t.revoked, t.forced_expired] for token, t in self.access.items()
            },
            "refresh": self.refresh,
            "family_access": self.family_access,
            "revoked_scopes": sorted(self.revoked_scopes),
        }
        partial = f"{self.state_file}.partial"
        with open(partial, "w") as fh:
            json.dump(saved, fh)
        os.replace(partial, self.state_file)

    # -- helpers -------------------------------------------------------------------------------------------------

    def scopes(self) -> list[str]:
        return sorted(s for s in self.granted if s not in self.revoked_scopes)

    def new_auth_code(self, now: float | None = None) -> str:
        now = time.time() if now is None else now
        code = "ROW_" + secrets.token_urlsafe(36)
        with self.lock:
            self.codes[code] = [now + AUTH_CODE_TTL_S, False]
            self._save()
        return code

    def _issue(self, family: int, now: float) -> dict:
        access = "TTP_" + secrets.token_urlsafe(40)
        refresh = "TTP_" + secrets.token_urlsafe(40)
        exp = int(now) + self.token_ttl_s
        self.access[access] = AccessToken(access, family, exp)
        self.family_access[family] = access
        self.refresh[refresh] = family
        self._save()
        return {
            "access_token": access,
            "access_token_expire_in": exp,
            "refresh_token": refresh,
            "refresh_token_expire_in": int(now) + REFRESH_TOKEN_TTL_S,
            "open_id": self.open_id,
            "seller_name": self.seller_name,
            "seller_base_region": self.region,
            "user_type": 0,
            "granted_scopes": self.scopes(),
        }

    def new_grant(self, now: float | None = None) -> dict:
        """A fresh token pair (as if an auth code had been exchanged)."""
        now = time.time() if now is None else now
        with self.lock:
            self._families += 1
            return self._issue(self._families, now)

    def _check_app(self, q: dict):
        for name in ("app_key", "app_secret"):
            if not q.get(name):
                raise AuthError(CODE_MISSING_PARAM, f"missing required parameter: {name}")
        if q["app_key"] != self.app_key or q["app_secret"] != self.app_secret:
            raise AuthError(CODE_BAD_APP, "invalid app_key or app_secret")

    # -- token host endpoints ------------------------------------------------------------------------------------

    def token_get(self, q: dict, now: float | None = None) -> dict:
        now = time.time() if now is None else now
        self._check_app(q)
        grant_type = q.get("grant_type")
        if not grant_type:
            raise AuthError(CODE_MISSING_PARAM, "missing required parameter: grant_type")
        if grant_type not in ("authorized_code", "authorization_code"):
            raise AuthError(CODE_BAD_GRANT_TYPE, "invalid grant_type, expected authorized_code")
        code = q.get("auth_code")
        if not code:
            raise AuthError(CODE_MISSING_PARAM, "missing required parameter: auth_code")
        with self.lock:
            entry = self.codes.get(code)
            if entry is None or entry[1] or entry[0] < now:
                raise AuthError(CODE_INVALID_GRANT, "invalid auth code")
            entry[1] = True  # saved by _issue
            self._families += 1
            return self._issue(self._families, now)

    def token_refresh(self, q: dict, now: float | None = None) -> dict:
        now = time.time() if now is None else now
        self._check_app(q)
        grant_type = q.get("grant_type")
        if not grant_type:
            raise AuthError(CODE_MISSING_PARAM, "missing required parameter: grant_type")
        if grant_type != "refresh_token":
            raise AuthError(CODE_BAD_GRANT_TYPE, "invalid grant_type, expected refresh_token")
        token = q.get("refresh_token")
        if not token:
            raise AuthError(CODE_MISSING_PARAM, "missing required parameter: refresh_token")
        with self.lock:
            family = self.refresh.pop(token, None)
            if family is None:
                raise AuthError(CODE_INVALID_GRANT, "invalid refresh_token: unknown, expired or already used")
            old = self.family_access.get(family)
            if old in self.access:
                self.access[old].revoked = True  # rotation: the previous access token stops working
            return self._issue(family, now)

    # -- API-side checks -------------------------------------------------------------------------------------

    def check_access(self, token: str | None, now: float | None = None) -> str | None:
        """None when valid; else "invalid" or "expired"."""
        now = time.time() if now is None else now
        if not token:
            return "invalid"
        with self.lock:
            t = self.access.get(token)
        if t is None:
            return "invalid"
        if t.revoked or t.forced_expired or t.expires_at <= now:
            return "expired"
        return None

    def expire_all(self):
        with self.lock:
            for t in self.access.values():
                t.forced_expired = True
            self._save()

    def revoke_scope(self, scope: str):
        with self.lock:
            self.revoked_scopes.add(scope)
            self._save()

    def has_scope(self, scope: str) -> bool:
        return scope in self.granted and scope not in self.revoked_scopes
