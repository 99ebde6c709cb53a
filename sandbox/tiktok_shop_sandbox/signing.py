"""Request-signature verification (reference §2.1), independent of the connector's code.

sign = lowercase hex HMAC-SHA256(key=app_secret,
                                 msg=app_secret + path + sorted(key + value, decoded, minus sign/access_token)
                                     + body bytes (unless multipart/form-data, or an empty JSON object under the
                                       "omitted" reading) + app_secret)
"""

from __future__ import annotations

import hashlib
import hmac
import json

EXCLUDED_KEYS = ("sign", "access_token")


def string_to_sign(path: str, params: dict[str, str], body: bytes = b"") -> bytes:
    """The pre-image without the secret wrapping: path + k1v1k2v2... + body."""
    parts = [path.encode()]
    for key in sorted(k for k in params if k not in EXCLUDED_KEYS):
        parts.append(key.encode())
        parts.append(str(params[key]).encode())
    parts.append(body or b"")
    return b"".join(parts)


def compute_sign(secret: str, path: str, params: dict[str, str], body: bytes = b"") -> str:
    key = secret.encode()
    msg = key + string_to_sign(path, params, body) + key
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


EMPTY_BODY_READINGS = ("omitted", "signed")


def is_empty_json_object(body: bytes) -> bool:
    if not body or len(body) > 64:
        return False
    try:
        return json.loads(body) == {}
    except (ValueError, UnicodeDecodeError):
        return False


def signed_body(body: bytes, content_type: str | None, empty_body: str = "omitted") -> bytes:
    """The body bytes that take part in the signature.

    - A multipart/form-data body is never signed.
    - UNCONFIRMED (reference §2.2): whether a body that is an empty JSON object (``{}``) is signed. ``empty_body``
      says which reading the sandbox holds: "omitted" (TikTok's own SDK leaves it out) or "signed" (the bytes are
      signed like any other body).
    """
    if (content_type or "").lower().startswith("multipart/form-data") or not body:
        return b""
    if empty_body == "omitted" and is_empty_json_object(body):
        return b""
    return body


def verify_sign(
    secret: str,
    path: str,
    params: dict[str, str],
    body: bytes,
    content_type: str | None,
    given: str,
    empty_body: str = "omitted",
) -> bool:
    """True when ``given`` is the signature of the request; only lowercase hex is accepted (uppercase hex is
    refused, as the real API does)."""
    if not given or len(given) != 64 or given != given.lower():
        return False
    expected = compute_sign(secret, path, params, signed_body(body, content_type, empty_body))
    return hmac.compare_digest(expected, given)
