"""Fault injection and per-shop rate limiting."""

from __future__ import annotations

import random
import re
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
    "server_error",  # HTTP 500, code 36009003
    # a server that lies (docs/sandbox.md)
    "truncated",  # HTTP 200, the JSON cut at a seeded point, Content-Length saying that is all
    "html_200",  # HTTP 200, an HTML page sent as application/json
    "slow_body",  # the normal answer, its body trickling in over Sandbox.slow_body_s
    # these alter a list page (docs/sandbox.md), and wait for one
    "token_loop",  # next_page_token leads back to the first page
    "missing_cursor",  # a record without its cursor fields
    "wrong_type",  # a string field of a record sent as a number
)
PAGE_LIES = ("token_loop", "missing_cursor", "wrong_type")
# the kinds of a server that lies (issue #21): well-formed at the HTTP level, wrong in what they hold or how
LIES = ("truncated", "html_200", "slow_body", *PAGE_LIES)
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


class Queued:
    """An injected fault: ``kind`` for the next ``remaining`` matching calls (``None``: every one, for good)."""

    __slots__ = ("kind", "remaining", "path_contains", "shop_id")

    def __init__(self, kind: str, remaining: int | None, path_contains: str | None, shop_id: str | None):
        self.kind = kind
        self.remaining = remaining
        self.path_contains = path_contains
        self.shop_id = shop_id

    def matches(self, path: str, is_api: bool, shop_id: str | None) -> bool:
        if self.shop_id is not None and self.shop_id != shop_id:
            return False
        return (self.path_contains is None and is_api) or (
            self.path_contains is not None and self.path_contains in path
        )


class Faults:
    def __init__(self, rate: float = 0.0, kinds=None, seed: int = 1):
        self.lock = threading.Lock()
        self.queue: list[Queued] = []
        self.seed = seed
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

    def inject(self, kind: str, count: int | None = 1, path_contains: str | None = None, shop_id: str | None = None):
        parse_kinds([kind])
        if count is not None and count < 1:
            return
        with self.lock:
            self.queue.append(Queued(kind, None if count is None else int(count), path_contains, shop_id))

    def clear(self):
        with self.lock:
            self.queue.clear()

    def draw(self, path: str, is_api: bool, shop_id: str | None = None) -> str | None:
        return self.take(path, is_api, shop_id)[0]

    def take(self, path: str, is_api: bool, shop_id: str | None = None) -> tuple[str | None, Queued | None]:
        """The fault to apply to this call, if any, and the injection it came from (``None``: the random rate).
        Queued faults come first (in injection order); those without ``path_contains`` only match API calls,
        those with it match any path containing it (token endpoints included); those with ``shop_id`` only calls
        to that shop.  The random rate applies to API calls only."""
        with self.lock:
            for entry in self.queue:
                if entry.matches(path, is_api, shop_id):
                    if entry.remaining is not None:
                        entry.remaining -= 1
                        if entry.remaining <= 0:
                            self.queue.remove(entry)
                    return entry.kind, entry
            if is_api and self.rate > 0 and self.rng.random() < self.rate:
                return self.rng.choice(self.kinds), None
        return None, None

    def give_back(self, entry: Queued | None):
        """An injected fault drawn for a call it could not apply to (a page with nothing to lie about) waits for
        the next matching call."""
        if entry is None or entry.remaining is None:
            return
        with self.lock:
            entry.remaining += 1
            if entry not in self.queue:
                self.queue.insert(0, entry)

    def rng_for(self, kind: str, method: str, path: str, query: dict, body: bytes) -> random.Random:
        """The seeded choices of a lie (where to cut, which record): the same for the same seed and request,
        whatever the order the calls come in."""
        asked = sorted((k, v) for k, v in query.items() if k not in ("sign", "timestamp"))
        return random.Random(f"{self.seed}:{kind}:{method}:{path}:{asked}:{body!r}")


# the longest pause between two pieces of a trickled body: a client's timeout between reads never fires
TRICKLE_GAP_S = 0.1


def trickle(body: bytes, duration_s: float) -> tuple[list[bytes], float]:
    """``body`` in pieces, and the pause between two: the last piece arrives ``duration_s`` after the first."""
    pieces = max(2, min(len(body), int(duration_s / TRICKLE_GAP_S) + 1))
    size = -(-len(body) // pieces)
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    return chunks, duration_s / max(1, len(chunks) - 1)


def truncated(body: bytes, rng: random.Random) -> bytes:
    """A strict prefix of ``body``, at least one byte: never a whole JSON value (an object ends with its brace)."""
    return body[: rng.randint(1, max(1, len(body) - 1))]


# a string TikTok sends holding a number (ids, amounts, Unix seconds as strings): what wrong_type sends as one
NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")


def records_of(data: dict) -> list:
    """The records of a list page: the first list of objects in its ``data``."""
    for value in data.values():
        if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
            return value
    return []


def lie_about_page(kind: str, data: dict, sort_field: str, first_page_token: str, rng: random.Random) -> dict | None:
    """Alters a list page's ``data`` in place as the fault ``kind`` says; what it did (the log's
    ``fault_detail``), or ``None`` if the page holds nothing to lie about."""
    if kind == "token_loop":
        if not data.get("next_page_token"):
            return None
        data["next_page_token"] = first_page_token
        return {"next_page_token": "leads to the first page"}
    records = records_of(data)
    if kind == "missing_cursor":
        # the field the page is sorted by, and the time fields an incremental read may take as its cursor
        fields = list(dict.fromkeys((sort_field, "update_time", "create_time")))
        chosen = [i for i, r in enumerate(records) if any(f in r for f in fields)]
        if not chosen:
            return None
        i = rng.choice(chosen)
        removed = [f for f in fields if records[i].pop(f, None) is not None]
        return {"record": i, "id": records[i].get("id"), "removed": removed}
    if kind == "wrong_type":
        chosen = [
            (i, k) for i, r in enumerate(records) for k, v in r.items() if isinstance(v, str) and NUMBER.fullmatch(v)
        ]
        if not chosen:
            return None
        i, k = rng.choice(chosen)
        detail = {"record": i, "id": records[i].get("id"), "field": k, "was": records[i][k]}
        records[i][k] = float(detail["was"]) if "." in detail["was"] else int(detail["was"])
        return detail
    raise ValueError(f"{kind} is not a lie about a page")


class Bucket:
    """A token bucket: ``qps`` tokens per second, holding at most one second's worth (at least one)."""

    def __init__(self, qps: float, now: float):
        self.qps = qps
        self.cap = max(1.0, float(qps))
        self.tokens = self.cap
        self.last = now

    def refill(self, now: float) -> bool:
        """Refills to `now`; whether a token is there to take."""
        self.tokens = min(self.cap, self.tokens + (now - self.last) * self.qps)
        self.last = now
        return self.tokens >= 1.0


class Budget:
    """``limit`` requests per app x shop in each fixed window of ``window_s`` seconds, the windows counted from
    ``epoch`` (a ``time.monotonic()``): window k is [epoch + k * window_s, epoch + (k + 1) * window_s)."""

    def __init__(self, limit: int, window_s: float, epoch: float):
        self.limit = limit
        self.window_s = window_s
        self.epoch = epoch
        self.used: dict = {}  # key -> (window index, requests counted in it)

    def window(self, now: float) -> int:
        return int((now - self.epoch) // self.window_s)

    def used_in(self, key, now: float) -> int:
        k, n = self.used.get(key, (None, 0))
        return n if k == self.window(now) else 0

    def spent(self, key, now: float) -> bool:
        return self.used_in(key, now) >= self.limit

    def take(self, key, now: float):
        self.used[key] = (self.window(now), self.used_in(key, now) + 1)

    def ends(self, now: float) -> float:
        """When the window holding ``now`` ends (a ``time.monotonic()``)."""
        return self.epoch + (self.window(now) + 1) * self.window_s


def check_budget(name: str, limit, window_s) -> int | None:
    if window_s is None or window_s <= 0:
        raise ValueError(f"the window of {name} must be > 0 seconds")
    if limit is None:
        return None
    if isinstance(limit, bool) or int(limit) != limit or limit < 1:
        raise ValueError(f"{name} must be a whole number >= 1 (or None to disable)")
    return int(limit)


class RateLimiter:
    """Counts requests as TikTok does: per app x shop (``qps_per_shop``) and per app x shop x API
    (``qps_per_endpoint``), each a token bucket; request budgets per app x shop over an hour and a day
    (``set_budgets``); and, when scheduled, a platform-wide throttle that refuses every API call for a while
    (``throttle_all``)."""

    def __init__(self, qps: float | None = None, qps_per_endpoint: float | None = None):
        self.lock = threading.Lock()
        self.set_qps(qps)
        self.set_qps_per_endpoint(qps_per_endpoint)
        self.set_budgets()
        self._throttle: tuple[float, float] | None = None  # (after, for) seconds, from the first call after setting
        self._throttle_window: tuple[float, float] | None = None

    def set_budgets(
        self,
        per_hour: int | None = None,
        per_day: int | None = None,
        hour_s: float = 3600.0,
        day_s: float = 86400.0,
    ):
        """Budgets of requests per app x shop: ``per_hour`` in each window of ``hour_s`` seconds, ``per_day`` in
        each of ``day_s``.  Fixed windows, the first starting now; the counts start again from zero."""
        per_hour = check_budget("requests_per_hour", per_hour, hour_s)
        per_day = check_budget("requests_per_day", per_day, day_s)
        now = time.monotonic()
        with self.lock:
            self.budgets = {
                name: Budget(limit, float(window_s), now)
                for name, limit, window_s in (("hour", per_hour, hour_s), ("day", per_day, day_s))
                if limit is not None
            }

    def realign_budgets(self):
        """Starts the budgets' windows (and counts) again from now: the sandbox does at its start."""
        now = time.monotonic()
        with self.lock:
            for budget in self.budgets.values():
                budget.epoch, budget.used = now, {}

    def budget(self, key) -> dict:
        """What the budgets of ``key`` hold now: per budget (``hour``, ``day``) its limit, window, requests used
        and left, and when its window resets; ``back_in_s``: how long until ``key`` is no longer refused by any
        budget (0 if it is not)."""
        with self.lock:
            now = time.monotonic()
            out: dict = {"hour": None, "day": None}
            for name, budget in self.budgets.items():
                used = budget.used_in(key, now)
                out[name] = {
                    "limit": budget.limit,
                    "window_s": budget.window_s,
                    "used": used,
                    "remaining": max(0, budget.limit - used),
                    "resets_in_s": budget.ends(now) - now,
                }
            back = now
            while True:  # windows after this one are unused, so this ends within one step per budget
                spent = [b for b in self.budgets.values() if b.used_in(key, back) >= b.limit]
                if not spent:
                    break
                back = max(b.ends(back) for b in spent)
            out["back_in_s"] = back - now
            return out

    def set_qps(self, qps: float | None):
        if qps is not None and qps <= 0:
            raise ValueError("qps_per_shop must be > 0 (or None to disable)")
        with self.lock:
            self.qps = qps
            self.buckets: dict = {}

    def set_qps_per_endpoint(self, qps: float | None):
        if qps is not None and qps <= 0:
            raise ValueError("qps_per_endpoint must be > 0 (or None to disable)")
        with self.lock:
            self.qps_per_endpoint = qps
            self.endpoint_buckets: dict = {}

    def throttle_all(self, after_s: float, for_s: float):
        """Refuse every API call for ``for_s`` seconds, starting ``after_s`` seconds after the next call."""
        if after_s < 0 or for_s <= 0:
            raise ValueError("throttle_all needs after >= 0 and for > 0 seconds")
        with self.lock:
            self._throttle, self._throttle_window = (after_s, for_s), None

    def allow(self, key, endpoint: str = "") -> bool:
        with self.lock:
            now = time.monotonic()
            if self._throttle is not None and self._throttle_window is None:
                after, duration = self._throttle
                self._throttle_window = (now + after, now + after + duration)
            if self._throttle_window and self._throttle_window[0] <= now < self._throttle_window[1]:
                return False
            buckets = []
            if self.qps is not None:
                buckets.append(self.buckets.setdefault(key, Bucket(self.qps, now)))
            if self.qps_per_endpoint is not None:
                buckets.append(self.endpoint_buckets.setdefault((key, endpoint), Bucket(self.qps_per_endpoint, now)))
            if not all([bucket.refill(now) for bucket in buckets]):
                return False
            budgets = self.budgets.values()
            if any(budget.spent(key, now) for budget in budgets):
                return False
            for bucket in buckets:
                bucket.tokens -= 1.0
            for budget in budgets:  # only requests let through count (a sandbox choice, docs/sandbox.md)
                budget.take(key, now)
            return True
