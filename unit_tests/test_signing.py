import hashlib
import hmac

import pytest

from source_tiktok_shop.tiktok.signing import sign

SECRET = "e59af819cc"


def reference_sign(secret: str, preimage: str) -> str:
    return hmac.new(secret.encode(), preimage.encode(), hashlib.sha256).hexdigest()


def test_reference_worked_example():
    # Reference §2.3, vector A.
    assert (
        sign(SECRET, "/authorization/202309/shops", {"timestamp": "1623812664", "app_key": "29a39d"})
        == "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8"
    )


PAGE_TOKEN = "6AsPQsUMvH3RkchNUPPh22NROHkE0D8pmq/N5M1kHYcZmtRyv9aVrNv65W7Q6tFA+7D1ud64MPNz5OaT"


@pytest.mark.parametrize(
    "path, query, body, preimage",
    [
        pytest.param(
            "/order/202309/orders/search",
            {"page_token": PAGE_TOKEN, "app_key": "k", "timestamp": "1"},
            None,
            f"/order/202309/orders/searchapp_keykpage_token{PAGE_TOKEN}timestamp1",
            id="page token signed decoded, with + and /",
        ),
        pytest.param(
            "/order/202309/orders",
            {"ids": "1,2,3", "app_key": "k", "timestamp": "1", "shop_cipher": "C"},
            None,
            "/order/202309/ordersapp_keykids1,2,3shop_cipherCtimestamp1",
            id="comma-joined list",
        ),
        pytest.param(
            "/order/202309/orders/search",
            {"app_key": "k", "timestamp": "1"},
            '{"update_time_ge":1,"update_time_lt":2}',
            '/order/202309/orders/searchapp_keyktimestamp1{"update_time_ge":1,"update_time_lt":2}',
            id="POST body appended exactly as sent",
        ),
        pytest.param(
            "/order/202309/orders/search",
            {"app_key": "k", "timestamp": "1"},
            b'{"a": 1}',
            '/order/202309/orders/searchapp_keyktimestamp1{"a": 1}',
            id="body bytes, whitespace kept",
        ),
        pytest.param(
            "/x",
            {"app_key": "k", "timestamp": "1", "sign": "old", "access_token": "t", "x-tts-access-token": "t"},
            None,
            "/xapp_keyktimestamp1",
            id="sign and access token never signed",
        ),
        pytest.param("/x", {"b": "2", "a": "1", "B": "3"}, None, "/xB3a1b2", id="byte-wise key order"),
        pytest.param("/x", {"a": ""}, "", "/xa", id="empty value and empty body"),
    ],
)
def test_signature_input(path, query, body, preimage):
    assert sign(SECRET, path, query, body) == reference_sign(SECRET, SECRET + preimage + SECRET)


def test_lowercase_hex():
    signature = sign(SECRET, "/x", {})
    assert signature == signature.lower() and len(signature) == 64
