"""Fault injection and per-shop rate limiting."""

from __future__ import annotations

import random
import threading
import time

# every kind the sandbox knows
KINDS = (
    "rate_limit",  # HTTP 429, code 36009002
    "unavailable",  # HTTP 503, HTML body (not JSON)
    "internal",  # HTTP 200, code 36009003
    "drop",  # headers and part of the body sent, then the connection is closed
    "timeout",  # sleeps Sandbox.timeout_fault_s before answering normally
    "malformed",  # HTTP 200, truncated JSON body
    "malformed_html",  # HTTP 200, an HTML page instead of JSON
    "malformed_empty",  # HTTP 200, empty body
    "expired_token",  # HTTP 401, code 105002 (once per injected fault)
)
# what --fault-rate draws from unless --fault-kinds says otherwise
DEFAULT_RANDOM_KINDS = ("rate_limit", "unavailable", "internal", "drop")


def parse_kinds(kinds) -> tuple[str, ...]:
    if kinds is None:
        return DEFAULT_RANDOM_KINDS
    if isinstance(kinds, str):
        kinds = [k.strip() for k in kinds.split(",") if k.strip()]
    kinds = tuple(kinds)
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise ValueError(f"unknown fault kind {bad[0]!r}; known: {', '.join(KINDS)}")
    if not kinds:
        raise ValueError("empty fault kind list")
    return kinds


class Faults:
    def __init__(self, rate: float = 0.0, kinds=None, seed: int = 1):
        self.lock = threading.Lock()
        self.queue: list[list] = []  # [kind, remaining, path_contains]
        self.rng = random.Random(f"faults:{seed}")
        self.set_rate(rate, kinds)

    def set_rate(self, rate: float, kinds=None):
        rate = float(rate or 0.0)
        if not 0.0 <= rate <= 1.0:
            raise ValueError("fault rate must be within [0, 1]")
        kinds = parse_kinds(kinds)
        with self.lock:
            self.rate = rate
            self.kinds = kinds

    def inject(self, kind: str, count: int = 1, path_contains: str | None = None):
        parse_kinds([kind])
        if count < 1:
            return
        with self.lock:
            self.queue.append([kind, int(count), path_contains])

    def draw(self, path: str, is_api: bool) -> str | None:
        """The fault to apply to this call, if any.  Queued faults come first (in injection order); those
        without ``path_contains`` only match API calls, those with it match any path containing it (token
        endpoints included).  The random rate applies to API calls only."""
        with self.lock:
            for entry in self.queue:
                kind, _remaining, pc = entry
                if (pc is None and is_api) or (pc is not None and pc in path):
                    entry[1] -= 1
                    if entry[1] <= 0:
                        self.queue.remove(entry)
                    return kind
            if is_api and self.rate > 0 and self.rng.random() < self.rate:
                return self.rng.choice(self.kinds)
        return None


class RateLimiter:
    """Token bucket per (app_key, shop): ``qps`` tokens per second, capacity max(1, qps)."""

    def __init__(self, qps: float | None = None):
        self.lock = threading.Lock()
        self.set_qps(qps)

    def set_qps(self, qps: float | None):
        if qps is not None and qps <= 0:
            raise ValueError("qps_per_shop must be > 0 (or None to disable)")
        with self.lock:
            self.qps = qps
            self.buckets: dict = {}

    def allow(self, key) -> bool:
        with self.lock:
            qps = self.qps
            if qps is None:
                return True
            now = time.monotonic()
            cap = max(1.0, float(qps))
            tokens, last = self.buckets.get(key, (cap, now))
            tokens = min(cap, tokens + (now - last) * qps)
            if tokens >= 1.0:
                self.buckets[key] = (tokens - 1.0, now)
                return True
            self.buckets[key] = (tokens, now)
            return False
