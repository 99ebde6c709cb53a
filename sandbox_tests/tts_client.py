"""A tiny signed client for the sandbox tests (own code: the connector is never imported)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import requests


def sign(secret: str, path: str, params: dict, body: bytes = b"") -> str:
    base = path + "".join(f"{k}{v}" for k, v in sorted(params.items()) if k not in ("sign", "access_token"))
    msg = secret.encode() + base.encode() + (body or b"") + secret.encode()
    return hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()


def is_empty_object(data: bytes) -> bool:
    try:
        return json.loads(data) == {}
    except ValueError:
        return False


class Client:
    def __init__(
        self,
        base_url: str,
        app_key: str,
        app_secret: str,
        access_token: str | None = None,
        empty_body_signing: str = "omitted",
    ):
        self.base_url = base_url
        self.app_key = app_key
        self.app_secret = app_secret
        self.access_token = access_token
        self.empty_body_signing = empty_body_signing  # "omitted": a body `{}` is left out of the signature
        self.session = requests.Session()

    @classmethod
    def for_sandbox(cls, sb) -> Client:
        c = cls(
            sb.base_url,
            sb.credentials["app_key"],
            sb.credentials["app_secret"],
            empty_body_signing=sb.empty_body_signing,
        )
        c.access_token = c.exchange(sb.new_auth_code())["access_token"]
        return c

    # -- token host ---------------------------------------------------------------------------------------

    def token_get(self, auth_code: str, grant_type: str = "authorized_code", **over) -> dict:
        q = {"app_key": self.app_key, "app_secret": self.app_secret, "auth_code": auth_code, "grant_type": grant_type}
        q.update(over)
        return self.session.get(self.base_url + "/api/v2/token/get", params=q, timeout=10).json()

    def token_refresh(self, refresh_token: str, grant_type: str = "refresh_token", **over) -> dict:
        q = {
            "app_key": self.app_key,
            "app_secret": self.app_secret,
            "refresh_token": refresh_token,
            "grant_type": grant_type,
        }
        q.update(over)
        return self.session.get(self.base_url + "/api/v2/token/refresh", params=q, timeout=10).json()

    def exchange(self, auth_code: str) -> dict:
        r = self.token_get(auth_code)
        assert r["code"] == 0, r
        return r["data"]

    # -- API ----------------------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        params: dict | None = None,
        body=None,
        *,
        shop_cipher: str | None = None,
        token: str | None | bool = True,
        timestamp=None,
        sign_value: str | None = None,
        sign_body: bytes | None = None,
        drop: tuple = (),
        content_type: str | None = "application/json",
        raw_body: bytes | None = None,
        timeout: float = 10,
        stream: bool = False,
    ) -> requests.Response:
        q = {"app_key": self.app_key, "timestamp": str(int(time.time()) if timestamp is None else timestamp)}
        if shop_cipher is not None:
            q["shop_cipher"] = shop_cipher
        for k, v in (params or {}).items():
            q[k] = str(v)
        if raw_body is not None:
            data = raw_body
        elif body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
        else:
            data = b"{}" if method == "POST" else b""
        if sign_body is None:
            omitted = self.empty_body_signing == "omitted" and is_empty_object(data)
            sign_body = b"" if omitted else data
        q["sign"] = sign_value or sign(self.app_secret, path, q, sign_body)
        for k in drop:
            q.pop(k, None)
        headers = {}
        if content_type and (method == "POST" or data):
            headers["content-type"] = content_type
        if token is True:
            token = self.access_token
        if token:
            headers["x-tts-access-token"] = token
        return self.session.request(
            method, self.base_url + path, params=q, data=data or None, headers=headers, timeout=timeout, stream=stream
        )

    def call(self, method: str, path: str, params=None, body=None, **kw) -> dict:
        r = self.request(method, path, params, body, **kw)
        return r.json()

    def page_all(self, method: str, path: str, params=None, body=None, key=None, token_in_body=False, **kw):
        """Follow next_page_token to the end; returns (records, pages)."""
        params = dict(params or {})
        body = dict(body or {}) if (body is not None or method == "POST") else None
        out, pages, token = [], 0, ""
        while True:
            if token:
                if token_in_body:
                    body["page_token"] = token
                else:
                    params["page_token"] = token
            r = self.call(method, path, params, body, **kw)
            assert r["code"] == 0, r
            pages += 1
            out.extend(r["data"][key])
            token = r["data"]["next_page_token"]
            if not token:
                return out, pages
