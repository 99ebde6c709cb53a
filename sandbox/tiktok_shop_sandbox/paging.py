"""Opaque page tokens and keyset paging.

A page token is the standard base64 of ``MAGIC + payload + HMAC(payload)[:16]``.  ``MAGIC`` (3 bytes) encodes to
``+/+/`` so every token contains both ``+`` and ``/`` like the real ones (reference §2.2); the payload is padded
so that no ``=`` padding appears.  The payload holds the keyset position (last sort value + id), the number of
records already returned (offset, for the result-window caps), and a hash binding the token to the endpoint,
shop, filters and sort of the query that produced it.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import hmac
import json

MAGIC = b"\xfb\xff\xbf"  # base64 → "+/+/"


class TokenError(Exception):
    pass


class TokenCodec:
    def __init__(self, secret: bytes):
        self.secret = secret

    def encode(self, binding: str, key: tuple, offset: int) -> str:
        payload = json.dumps({"b": binding, "k": list(key), "o": offset}, separators=(",", ":")).encode()
        while (len(MAGIC) + len(payload) + 16) % 3:
            payload += b" "
        mac = hmac.new(self.secret, payload, hashlib.sha256).digest()[:16]
        return base64.b64encode(MAGIC + payload + mac).decode()

    def decode(self, token: str, binding: str) -> tuple[tuple, int]:
        try:
            raw = base64.b64decode(token.encode("ascii"), validate=True)
        except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
            raise TokenError("malformed") from exc
        if len(raw) < len(MAGIC) + 16 or not raw.startswith(MAGIC):
            raise TokenError("malformed")
        payload, mac = raw[len(MAGIC) : -16], raw[-16:]
        if not hmac.compare_digest(hmac.new(self.secret, payload, hashlib.sha256).digest()[:16], mac):
            raise TokenError("tampered")
        try:
            obj = json.loads(payload)
        except ValueError as exc:  # pragma: no cover - MAC makes this unreachable
            raise TokenError("malformed") from exc
        if obj.get("b") != binding:
            raise TokenError("bound to another query")
        return tuple(obj["k"]), int(obj["o"])


def binding_hash(*parts) -> str:
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:24]


class SortedIndex:
    """Rows sorted ascending by (getattr(row, attr), row.nid)."""

    def __init__(self, rows, attr: str):
        keyed = sorted(((getattr(r, attr), r.nid), r) for r in rows) if rows else []
        # sorting tuples of (key, row) would compare rows on ties; keys are unique because nid is unique
        self.keys = [k for k, _ in keyed]
        self.rows = [r for _, r in keyed]
        self.attr = attr


def page(index: SortedIndex, *, desc: bool, after: tuple | None, size: int, pred, lo=None, hi=None):
    """Keyset page.

    ``lo`` (inclusive) / ``hi`` (exclusive) bound the sort value; ``after`` is the (value, nid) of the last row
    of the previous page.  Returns (rows, has_more, start_index, end_index) where start/end delimit the bounded
    range (for counting).
    """
    keys, rows = index.keys, index.rows
    start = bisect.bisect_left(keys, (lo,)) if lo is not None else 0
    end = bisect.bisect_left(keys, (hi,)) if hi is not None else len(keys)
    out = []
    has_more = False
    if not desc:
        i = max(start, bisect.bisect_right(keys, after)) if after is not None else start
        while i < end:
            r = rows[i]
            i += 1
            if pred is None or pred(r):
                if len(out) == size:
                    has_more = True
                    break
                out.append(r)
    else:
        i = min(end, bisect.bisect_left(keys, after)) - 1 if after is not None else end - 1
        while i >= start:
            r = rows[i]
            i -= 1
            if pred is None or pred(r):
                if len(out) == size:
                    has_more = True
                    break
                out.append(r)
    return out, has_more, start, end


def count(index: SortedIndex, pred, start: int, end: int) -> int:
    if pred is None:
        return max(0, end - start)
    rows = index.rows
    return sum(1 for i in range(start, end) if pred(rows[i]))
