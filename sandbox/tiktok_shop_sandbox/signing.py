"""Request-signature verification (reference §2.1), independent of the connector's code.

sign = lowercase hex HMAC-SHA256(key=app_secret,
                                 msg=app_secret + path + sorted(key + value, decoded, minus sign/access_token)
                                     + body bytes (unless multipart/form-data) + app_secret)
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


def _is_empty_json_object(body: bytes) -> bool:
    if not body or len(body) > 64:
        return False
    try:
        return json.loads(body) == {}
    except (ValueError, UnicodeDecodeError):
        return False


def verify_sign(
    secret: str, path: str, params: dict[str, str], body: bytes, content_type: str | None, given: str
) -> bool:
    """True when ``given`` is the signature of the request.

    - Only lowercase hex is accepted (uppercase hex is refused, as the real API does).
    - The body is signed unless the content type is multipart/form-data.
    - UNCONFIRMED point (reference §2.2): for a POST whose body is an empty JSON object (``{}``), a signature
      computed *without* the body (official Node SDK behaviour) is accepted as well as one computed with it.
    """
    if not given or len(given) != 64 or given != given.lower():
        return False
    multipart = (content_type or "").lower().startswith("multipart/form-data")
    signed_body = b"" if multipart else (body or b"")
    if hmac.compare_digest(compute_sign(secret, path, params, signed_body), given):
        return True
    if not multipart and _is_empty_json_object(signed_body):
        return hmac.compare_digest(compute_sign(secret, path, params, b""), given)
    return False
