from __future__ import annotations

import time

from tiktok_shop_sandbox.auth import AuthState

from .tts_client import Client

SHOPS = "/authorization/202309/shops"


def test_token_exchange_shape(sb):
    c = Client(sb.base_url, sb.credentials["app_key"], sb.credentials["app_secret"])
    before = int(time.time())
    r = c.token_get(sb.new_auth_code())
    assert r["code"] == 0 and r["request_id"]
    d = r["data"]
    assert set(d) >= {
        "access_token",
        "access_token_expire_in",
        "refresh_token",
        "refresh_token_expire_in",
        "open_id",
        "seller_name",
        "seller_base_region",
        "user_type",
        "granted_scopes",
    }
    # absolute timestamps, not durations
    assert before + 604800 - 5 <= d["access_token_expire_in"] <= int(time.time()) + 604800 + 5
    assert d["refresh_token_expire_in"] > d["access_token_expire_in"] + 365 * 86400
    assert d["user_type"] == 0
    assert "seller.order.info" in d["granted_scopes"]
    assert d["seller_base_region"] == sb.shops[0]["region"]


def test_both_grant_type_spellings(sb):
    c = Client(sb.base_url, sb.credentials["app_key"], sb.credentials["app_secret"])
    assert c.token_get(sb.new_auth_code(), grant_type="authorized_code")["code"] == 0
    assert c.token_get(sb.new_auth_code(), grant_type="authorization_code")["code"] == 0
    r = c.token_get(sb.new_auth_code(), grant_type="client_credentials")
    assert r["code"] == 36004003


def test_auth_code_single_use(sb):
    c = Client(sb.base_url, sb.credentials["app_key"], sb.credentials["app_secret"])
    code = sb.new_auth_code()
    assert c.token_get(code)["code"] == 0
    r = c.token_get(code)
    assert r["code"] == 36004004 and r["message"] == "invalid auth code"
    assert c.token_get("ROW_not-a-code")["code"] == 36004004


def test_credentials_auth_code_and_refresh_token_work(fresh):
    s, _ = fresh(orders=5)
    c = Client(s.base_url, s.credentials["app_key"], s.credentials["app_secret"])
    assert c.token_get(s.credentials["auth_code"])["code"] == 0
    r = c.token_refresh(s.credentials["refresh_token"])
    assert r["code"] == 0


def test_auth_code_expires_after_30_minutes():
    a = AuthState("k", "s", 3600)
    now = 1_700_000_000
    code = a.new_auth_code(now=now)
    q = {"app_key": "k", "app_secret": "s", "auth_code": code, "grant_type": "authorized_code"}
    try:
        a.token_get(q, now=now + 30 * 60 + 1)
        raise AssertionError("expired code accepted")
    except Exception as exc:  # AuthError
        assert getattr(exc, "code", None) == 36004004
    code2 = a.new_auth_code(now=now)
    assert a.token_get(dict(q, auth_code=code2), now=now + 29 * 60)["access_token"]


def test_wrong_app_credentials_do_not_echo_secrets(sb):
    secret = sb.credentials["app_secret"]
    c = Client(sb.base_url, sb.credentials["app_key"], "wrong-secret-value")
    r = c.token_get(sb.new_auth_code())
    assert r["code"] == 36004002
    assert "wrong-secret-value" not in r["message"] and secret not in r["message"]
    c = Client(sb.base_url, "nope", secret)
    r = c.token_refresh("whatever")
    assert r["code"] == 36004002 and secret not in r["message"]


def test_refresh_rotates(fresh):
    s, c = fresh(orders=5)
    first = c.exchange(s.new_auth_code())
    c.access_token = first["access_token"]
    assert c.call("GET", SHOPS)["code"] == 0
    r = c.token_refresh(first["refresh_token"])
    assert r["code"] == 0
    second = r["data"]
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    # old refresh token refused, message names the refresh token
    r = c.token_refresh(first["refresh_token"])
    assert r["code"] == 36004004 and "refresh_token" in r["message"]
    # old access token stops working; the new one works
    resp = c.request("GET", SHOPS)
    assert resp.status_code == 401 and resp.json()["code"] == 105002
    c.access_token = second["access_token"]
    assert c.call("GET", SHOPS)["code"] == 0
    # the new refresh token works once
    assert c.token_refresh(second["refresh_token"], grant_type="authorized_code")["code"] == 36004003
    assert c.token_refresh(second["refresh_token"])["code"] == 0


def test_expire_access_tokens_then_refresh(fresh):
    s, c = fresh(orders=5)
    tokens = c.exchange(s.new_auth_code())
    c.access_token = tokens["access_token"]
    s.expire_access_tokens()
    resp = c.request("GET", SHOPS)
    assert resp.status_code == 401 and resp.json()["code"] == 105002
    new = c.token_refresh(tokens["refresh_token"])["data"]
    c.access_token = new["access_token"]
    assert c.call("GET", SHOPS)["code"] == 0


def test_token_ttl(fresh):
    s, c = fresh(orders=5, token_ttl_s=1)
    d = c.exchange(s.new_auth_code())
    assert d["access_token_expire_in"] <= int(time.time()) + 1
    c.access_token = d["access_token"]
    time.sleep(1.1)
    resp = c.request("GET", SHOPS)
    assert resp.status_code == 401 and resp.json()["code"] == 105002


def test_token_calls_are_get_only(sb):
    r = Client(sb.base_url, "k", "s").session.post(sb.base_url + "/api/v2/token/get", timeout=5)
    assert r.status_code == 405 and r.json()["code"] == 36009010
