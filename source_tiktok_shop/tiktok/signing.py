"""Request signing for the TikTok Shop Partner API, 202309 and later (reference §2)."""

import hashlib
import hmac
from collections.abc import Mapping

# Never part of the sign input: `sign` is the output, and the access token travels as the
# `x-tts-access-token` header (a stray query copy is ignored too, as the official clients do).
UNSIGNED_PARAMS = frozenset({"sign", "access_token", "x-tts-access-token"})


def sign(app_secret: str, path: str, query: Mapping[str, str], body: bytes | str | None = None) -> str:
    """Returns the lowercase hex HMAC-SHA256 signature of one request.

    `query` holds the decoded values exactly as sent (list parameters already comma-joined);
    `body` the exact bytes sent, or None for requests without a body and for multipart uploads,
    whose body is not signed.
    """
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    params = "".join(f"{key}{query[key]}" for key in sorted(query) if key not in UNSIGNED_PARAMS)
    message = f"{app_secret}{path}{params}{body or ''}{app_secret}"
    return hmac.new(app_secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()
