"""The common checks of every API call, in the documented order (docs/sandbox.md, error table)."""

from __future__ import annotations

import time

import pytest

SHOPS = "/authorization/202309/shops"
ORDERS = "/order/202309/orders/search"


def _err(resp, http, code, text=None):
    assert resp.status_code == http, resp.text
    body = resp.json()
    assert body["code"] == code, body
    assert body["request_id"]
    if text is not None:
        assert text.lower() in body["message"].lower(), body["message"]
    return body


def test_success_envelope(client, sb):
    r = client.request("GET", SHOPS)
    assert r.status_code == 200
    body = r.json()
    assert body["code"] == 0 and body["message"] == "Success" and body["request_id"]
    assert body["data"]["shops"] == sb.shops
    for s in body["data"]["shops"]:
        assert set(s) == {"id", "name", "region", "seller_type", "code", "cipher"}
    r = client.call("GET", "/seller/202309/shops")
    assert r["data"]["shops"] == [{"id": s["id"], "region": s["region"]} for s in sb.shops]


def test_unknown_path(client):
    _err(client.request("GET", "/order/202309/nothing"), 404, 36009009)
    _err(client.request("GET", "/nothing"), 404, 36009009)


def test_unknown_version(client, sb):
    cipher = sb.shops[0]["cipher"]
    _err(client.request("POST", "/order/202212/orders/search", {"page_size": 5}, {}, shop_cipher=cipher), 404, 36009014)
    _err(client.request("GET", "/authorization/202401/shops"), 404, 36009014)
    _err(client.request("GET", "/finance/202309/statements/1/statement_transactions"), 404, 36009014)


def test_wrong_method(client, sb):
    _err(client.request("POST", SHOPS, body={}), 405, 36009010)
    _err(client.request("GET", ORDERS, {"page_size": 5}, shop_cipher=sb.shops[0]["cipher"]), 405, 36009010)
    _err(client.request("GET", "/product/202502/products/search", shop_cipher=sb.shops[0]["cipher"]), 405, 36009010)


@pytest.mark.parametrize("missing", ["app_key", "sign", "timestamp"])
def test_missing_common_params(client, missing):
    _err(client.request("GET", SHOPS, drop=(missing,)), 401, 36009004, missing)


def test_unknown_app_key(client, sb):
    from .tts_client import Client

    other = Client(sb.base_url, "6notmyappkey1", client.app_secret, client.access_token)
    _err(other.request("GET", SHOPS), 401, 36009004, "app_key")


@pytest.mark.parametrize("offset", [-301, -3600, 31, 600])
def test_timestamp_window(client, offset):
    _err(client.request("GET", SHOPS, timestamp=int(time.time()) + offset), 401, 36009004, "Invalid timestamp")


@pytest.mark.parametrize("ts", ["1623812664000", "abc", "-1", "16238126"])
def test_timestamp_format(client, ts):
    _err(client.request("GET", SHOPS, timestamp=ts), 401, 36009004, "Invalid timestamp")


def test_timestamp_window_edges_accepted(client):
    assert client.request("GET", SHOPS, timestamp=int(time.time()) - 290).status_code == 200
    assert client.request("GET", SHOPS, timestamp=int(time.time()) + 25).status_code == 200


def test_wrong_sign(client, sb):
    r = client.request("GET", SHOPS, sign_value="0" * 64)
    body = _err(r, 401, 106001)
    assert "sign" in body["message"]
    # uppercase hex of the right value is refused
    from .tts_client import sign

    q = {"app_key": client.app_key, "timestamp": str(int(time.time()))}
    _err(
        client.request("GET", SHOPS, timestamp=q["timestamp"], sign_value=sign(client.app_secret, SHOPS, q).upper()),
        401,
        106001,
    )
    # a body that differs from the signed one
    cipher = sb.shops[0]["cipher"]
    _err(
        client.request(
            "POST",
            ORDERS,
            {"page_size": 5},
            {"update_time_ge": 1},
            shop_cipher=cipher,
            sign_body=b'{"update_time_ge": 1}',
        ),
        401,
        106001,
    )
    # signing the encoded value instead of the decoded one
    _err(
        client.request(
            "GET",
            SHOPS,
            {"x": "a b"},
            sign_body=None,
            sign_value=sign(
                client.app_secret, SHOPS, {"app_key": client.app_key, "timestamp": str(int(time.time())), "x": "a+b"}
            ),
        ),
        401,
        106001,
    )


@pytest.mark.parametrize("reading", ["omitted", "signed"])
def test_an_empty_body_is_verified_by_the_reading_set(fresh, reading):
    """UNCONFIRMED (reference §2.2): `Sandbox(empty_body_signing=...)` decides whether `{}` is signed."""
    sb, client = fresh(shops=1, orders=20, empty_body_signing=reading)
    assert sb.empty_body_signing == reading
    cipher = sb.shops[0]["cipher"]
    path = "/promotion/202406/coupons/search"
    good, bad = (b"", b"{}") if reading == "omitted" else (b"{}", b"")
    assert (
        client.request("POST", path, {"page_size": 5}, body={}, shop_cipher=cipher, sign_body=good).json()["code"] == 0
    )
    _err(client.request("POST", path, {"page_size": 5}, body={}, shop_cipher=cipher, sign_body=bad), 401, 106001)
    # a body that is not empty is signed either way
    body = {"title_keyword": "coupon"}
    assert client.request("POST", path, {"page_size": 5}, body=body, shop_cipher=cipher).json()["code"] == 0


def test_an_unknown_empty_body_reading_is_refused():
    from tiktok_shop_sandbox import Sandbox

    with pytest.raises(ValueError, match="empty_body_signing"):
        Sandbox(shops=1, orders=5, empty_body_signing="maybe")


def test_a_signature_refused_with_a_repeated_query_key_names_it(client, sb):
    """The last value of a repeated key is the one signed; a signature over another names the key."""
    from .tts_client import sign

    cipher = sb.shops[0]["cipher"]
    path = "/finance/202309/statements"

    def send(signed_value: str):
        query = {"app_key": client.app_key, "timestamp": str(int(time.time())), "shop_cipher": cipher,
                 "sort_field": "statement_time", "page_size": "5"}  # fmt: skip
        signature = sign(client.app_secret, path, {**query, "page_size": signed_value})
        pairs = [*query.items(), ("page_size", "7"), ("sign", signature)]
        return client.session.get(
            client.base_url + path, params=pairs, headers={"x-tts-access-token": client.access_token}, timeout=10
        )

    assert send("7").json()["code"] == 0
    body = _err(send("5"), 401, 106001, "'page_size'")
    assert "repeat" in body["message"]
    # a refusal without a repeated key says nothing of one
    assert "repeat" not in client.request("GET", SHOPS, sign_value="0" * 64).json()["message"]


def test_access_token_checks(client, sb):
    _err(client.request("GET", SHOPS, token=None), 401, 36009004, "invalid access_token")
    _err(client.request("GET", SHOPS, token="TTP_unknown"), 401, 36009004, "invalid access_token")


def test_expired_token(fresh):
    s, c = fresh(orders=5)
    s.expire_access_tokens()
    _err(c.request("GET", SHOPS), 401, 105002)


def test_scope_not_granted(fresh):
    s, c = fresh(orders=5)
    cipher = s.shops[0]["cipher"]
    s.revoke_scope("seller.order.info")
    _err(c.request("POST", ORDERS, {"page_size": 5}, {}, shop_cipher=cipher), 200, 105005)
    assert c.call("POST", "/product/202502/products/search", {"page_size": 5}, {}, shop_cipher=cipher)["code"] == 0
    d = c.exchange(s.new_auth_code())
    assert "seller.order.info" not in d["granted_scopes"]


def test_scopes_argument(fresh):
    s, c = fresh(orders=5, scopes=["seller.authorization.info"])
    assert c.call("GET", SHOPS)["code"] == 0
    _err(c.request("GET", "/seller/202309/shops"), 200, 105005)


def test_shop_cipher_rules(client, sb):
    _err(client.request("POST", ORDERS, {"page_size": 5}, {}), 200, 106013)
    _err(client.request("GET", "/logistics/202309/warehouses"), 200, 106013)
    _err(
        client.request("GET", SHOPS, shop_cipher=sb.shops[0]["cipher"]),
        401,
        36009004,
        "Unexpected identifier: shop_cipher",
    )
    _err(
        client.request("GET", "/seller/202309/shops", shop_cipher=sb.shops[0]["cipher"]),
        401,
        36009004,
        "Unexpected identifier",
    )
    _err(client.request("POST", ORDERS, {"page_size": 5}, {}, shop_cipher="ROW_unknown"), 200, 101000)


def test_check_order(client, sb):
    # bad sign wins over a missing token; bad timestamp wins over a bad sign; path wins over everything
    _err(client.request("GET", SHOPS, token=None, sign_value="0" * 64), 401, 106001)
    _err(client.request("GET", SHOPS, timestamp=1, sign_value="0" * 64), 401, 36009004, "timestamp")
    _err(client.request("GET", "/nope/202309/x", drop=("app_key",)), 404, 36009009)
    # scope is checked before shop_cipher
    _err(client.request("GET", SHOPS, token=None), 401, 36009004)


def test_content_type_and_json_body(client, sb):
    cipher = sb.shops[0]["cipher"]
    _err(
        client.request("POST", ORDERS, {"page_size": 5}, {}, shop_cipher=cipher, content_type="text/plain"),
        400,
        36009022,
    )
    _err(client.request("POST", ORDERS, {"page_size": 5}, shop_cipher=cipher, raw_body=b"{not json"), 400, 36009022)
    _err(client.request("POST", ORDERS, {"page_size": 5}, shop_cipher=cipher, raw_body=b"[1]"), 400, 36009022)
    # charset parameter is fine
    r = client.request(
        "POST", ORDERS, {"page_size": 5}, {}, shop_cipher=cipher, content_type="application/json; charset=utf-8"
    )
    assert r.json()["code"] == 0


def test_request_log(fresh):
    s, c = fresh(orders=5)
    s.clear_requests()
    cipher = s.shops[1]["cipher"]
    c.call("POST", ORDERS, {"page_size": 3}, {"update_time_ge": 5}, shop_cipher=cipher)
    c.request("GET", "/order/202309/nothing")
    log = s.requests
    assert [e["path"] for e in log] == [ORDERS, "/order/202309/nothing"]
    e = log[0]
    assert e["method"] == "POST" and e["status"] == 200 and e["code"] == 0
    assert e["query"]["page_size"] == "3" and e["body"] == {"update_time_ge": 5}
    assert e["shop_cipher"] == cipher and e["ts"] > 0
    assert log[1]["status"] == 404 and log[1]["code"] == 36009009
    s.clear_requests()
    assert s.requests == []
