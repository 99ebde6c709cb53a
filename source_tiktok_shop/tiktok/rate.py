"""The rate policy: finds each (shop, endpoint)'s quota instead of guessing it (reference §5.2).

TikTok limits every app × shop pair per API, allocates the quota dynamically and publishes neither the
number nor a way to ask for it. So each (shop, endpoint) gets its own rate, found as TCP finds a link's
capacity: it starts moderate, doubles about every second while requests succeed and the pace is what
holds them back, is cut when TikTok answers with a rate limit, then approaches the rate that was too much
and probes gently past it. Requests are spaced evenly, never in bursts, as TikTok asks. When every
endpoint is throttled at once (a platform-wide protective throttle), everything pauses, longer each time
it goes on, and resumes at the rates it had.

TikTok also budgets a shop's requests over an hour and a day (issue #21), and answers a spent budget exactly as
a rate limit, saying neither which nor until when. A shop refused for longer than any per-second quota lasts
(`BUDGET_AFTER_SECONDS`, through pauses of 1, 2, 4 and 8 s) has spent a budget: it is no longer asked, or asked
once a minute while the sync may wait for the budget (docs/tiktok-shop.md, "Request budgets").
"""

import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from airbyte_cdk.sources.streams.call_rate import APIBudget, BaseCallRatePolicy, CallRateLimitHit

INITIAL_RATE = 20.0  # requests/s of a (shop, endpoint) before anything is known
MIN_RATE = 1.0
MAX_RATE = 200.0
# TikTok's older documentation: 50 requests/s per API per app × shop. What a (shop, endpoint) may reach
# before it has been throttled, for deciding how many windows are worth reading in parallel.
DOCUMENTED_RATE = 50.0
SLOW_START_STEP = 2.0  # added per success while nothing is known: the rate doubles about every 0.35 s
FIRST_CUT = 0.5  # of the rate TikTok refused first: the quota is somewhere below it
MARGIN = 0.95  # of the quota measured between two refusals
APPROACH = 0.1  # of the gap to the quota's estimate, closed per success
PROBE = 0.02  # the rate grows by this fraction per second past the quota's estimate
MEASURE_SECONDS = 1.0  # requests sent in this last stretch say what a refused rate really was
# Between two refusals the quota's bucket went from empty to empty again: what succeeded in between, over
# the time in between, is the quota itself (given enough of both to measure).
MIN_CYCLE_SECONDS, MIN_CYCLE_SUCCESSES = 1.0, 5
STREAK_PAUSE = 1.0  # seconds, doubling with each refusal in a row, up to MAX_PAUSE
MAX_PAUSE = 30.0
PLATFORM_KEYS = 3  # (shop, endpoint)s refused in a row at once: the whole platform is throttling
# During a platform-wide throttle one request at a time probes whether it is over, 1 s apart and then half as long
# again each time, up to 8 s: a throttle of unknown length is left alone, and its end is noticed within seconds.
PLATFORM_PAUSE, PLATFORM_GROWTH, MAX_PLATFORM_PAUSE = 1.0, 1.5, 8.0
IN_FLIGHT_HEADROOM = 1.5
PAUSE_POLL = 0.25  # how often a request kept waiting by a pause looks whether it is over
# A shop's budget is spent when none of its requests succeeded for this long since the first refusal, through at
# least this many refusals: the pauses of a key refused in a row (1, 2, 4, 8 s) outlast any per-second quota, and
# a request stays unanswered for far less (docs/tiktok-shop.md, "Request budgets").
BUDGET_AFTER_SECONDS, BUDGET_REFUSALS = 15.0, 4
# How long TikTok's budget windows are, the hour's and the day's (TikTok does not say which one is spent, nor when it
# began): a budget found spent is back by the first refusal plus its window at the latest.
BUDGET_HOUR_SECONDS, BUDGET_DAY_SECONDS = 3600.0, 86400.0
BUDGET_PROBE_SECONDS = 60.0  # while a sync waits for a shop's budget, one request a minute asks whether it is back
BUDGET_POLL = 1.0  # how often a request kept waiting for a budget looks whether it is back
# Ids (products/{id}) and dates (shop/performance/{date}/...) in paths; API versions have 6 digits.
ID_SEGMENT = re.compile(r"/(?:\d{10,}|\d{4}-\d{2}-\d{2})(?=/|$)")
VERSION_SEGMENT = re.compile(r"^(/[a-z_]+)/\d{6}(?=/)")  # /order/202309/...: one API, whatever version a shop reads


@dataclass(frozen=True)
class RateKey:
    """TikTok's quota unit: one shop (by cipher) and one API (its path, version and ids left out)."""

    shop_cipher: str
    path: str

    @classmethod
    def of(cls, shop_cipher: str, path: str) -> "RateKey":
        return cls(shop_cipher, ID_SEGMENT.sub("/{id}", VERSION_SEGMENT.sub(r"\1/{version}", path)))


@dataclass
class KeyRate:
    rate: float = INITIAL_RATE
    quota: float | None = None  # the estimate of the quota, once TikTok has refused a rate
    refused_time: float = 0.0  # when TikTok last refused a request of this key
    succeeded_since: int = 0  # successes since then
    next_send: float = 0.0
    paused_until: float = 0.0
    paced: bool = False  # a request waited for its slot since the last success: the pace is the limit
    streak: int = 0  # refusals in a row
    sent: int = 0
    throttled: int = 0
    latency: float | None = None  # seconds a request of this key takes to be answered, smoothed
    recent: deque[float] = field(default_factory=deque)  # send times within MEASURE_SECONDS


@dataclass
class ShopRefusals:
    """A shop's requests refused since the last one of them that succeeded, and its budget once that says it is
    spent."""

    since: float | None = None  # the first refusal since the shop's last success
    refusals: int = 0
    spent: "Spent | None" = None


@dataclass
class Spent:
    """A shop whose budget TikTok has found spent: when it is back at the latest, and whether the sync waits."""

    since: float  # the first refusal (the policy's clock)
    since_wall: float  # the same, in Unix seconds
    window: str  # "hour", or "day" once the shop is still refused after an hour
    back_by: float  # the policy's clock
    refusals: int  # the refusals that told it (the same in every error of the shop)
    wait_until: float | None  # until when the sync waits for it (None: it does not)
    next_probe: float = 0.0
    probe_sent: float | None = None

    @property
    def back_by_wall(self) -> float:
        return self.since_wall + (self.back_by - self.since)

    @property
    def day_back_by_wall(self) -> float:
        """When the day's budget is back at the latest, if it is the one spent."""
        return self.since_wall + BUDGET_DAY_SECONDS

    @property
    def waiting(self) -> bool:
        return self.wait_until is not None


class BudgetSpent(Exception):
    """The shop's budget is spent and the sync does not wait for it (the client makes it the shop's error)."""

    def __init__(self, spent: Spent):
        super().__init__(f"request budget spent, back by {spent.back_by_wall}")
        self.spent = spent


@dataclass(frozen=True)
class Settled:
    rate: float
    sent: int
    throttled: int


class RatePolicy(BaseCallRatePolicy):
    """Paces the requests of each (shop, endpoint) at its own adaptive rate, and each shop at an optional ceiling.

    Used through the CDK's `APIBudget`: `try_acquire` runs before every send, retries included, and asks the
    budget to wait (by raising `CallRateLimitHit`) until the request's slot. The client reports each answer
    with `succeeded` or `throttled`.
    """

    def __init__(
        self,
        ceiling_per_shop: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        budget_wait_seconds: float = 0.0,
        wall_clock: Callable[[], float] = time.time,
    ):
        super().__init__(matchers=[])
        self._ceiling = ceiling_per_shop
        self._clock = clock
        self._wall_clock = wall_clock
        self._budget_wait = budget_wait_seconds  # how long a sync may wait for a shop's spent budget
        self._shops: dict[str, ShopRefusals] = {}
        self._lock = threading.Lock()
        self._keys: dict[RateKey, KeyRate] = {}
        self._shop_next_send: dict[str, float] = {}
        self._platform_until = 0.0
        self._platform_refusals = 0  # in a row, while the whole platform throttles (0: it does not)
        self._probing = False  # a request is out to see whether the platform-wide throttle is over

    @staticmethod
    def key_of(request: Any) -> RateKey | None:
        url = urlsplit(getattr(request, "url", "") or "")
        ciphers = parse_qs(url.query).get("shop_cipher")
        return RateKey.of(ciphers[0], url.path) if ciphers else None

    def matches(self, request: Any) -> bool:
        """Requests without a shop (the shop list, the token host) are not paced."""
        return self.key_of(request) is not None

    def try_acquire(self, request: Any, weight: int) -> None:
        key = self.key_of(request)
        wait = self.reserve(key) if key else 0.0
        if wait > 0:
            raise CallRateLimitHit(
                "waiting for the slot of this shop and endpoint", request, weight, "adaptive", timedelta(seconds=wait)
            )

    def update(self, available_calls: int | None, call_reset_ts: Any) -> None:
        """TikTok publishes no quota headers to sync with (reference §5.2)."""

    def reserve(self, key: RateKey) -> float:
        """Takes the next slot of `key` (0.0), or says how many seconds remain until it."""
        with self._lock:
            now = self._clock()
            state = self._state(key)
            spent = self._shop(key.shop_cipher).spent
            if spent is not None and not spent.waiting:
                raise BudgetSpent(spent)
            if spent is not None:
                # Waiting for the shop's budget: one request a probe interval asks whether it is back, whatever
                # the pauses of its endpoint (the refusals of a budget are no rate to slow down for).
                if now < spent.next_probe:
                    return min(spent.next_probe - now, BUDGET_POLL)
                spent.next_probe, spent.probe_sent = now + BUDGET_PROBE_SECONDS, now
            else:
                earliest = max(state.next_send, state.paused_until, self._platform_until)
                if self._ceiling:
                    earliest = max(earliest, self._shop_next_send.get(key.shop_cipher, 0.0))
                if now < earliest:
                    state.paced = state.paced or earliest == state.next_send
                    # A pause may end early (the throttle is over): look again soon rather than sleep it all out.
                    return earliest - now if earliest == state.next_send else min(earliest - now, PAUSE_POLL)
            if self._platform_refusals:  # this request probes whether the throttle is over; the others wait for it
                self._platform_until, self._probing = now + self._platform_pause(), True
            # From the slot just taken when it is taken late by less than a slot (a thread wakes up a little after
            # its time): the lateness does not add up over the requests, and the pace stays the rate.
            slot = state.next_send if now - state.next_send < 1.0 / state.rate else now
            state.next_send = slot + 1.0 / state.rate
            if self._ceiling:
                self._shop_next_send[key.shop_cipher] = now + 1.0 / self._ceiling
            state.sent += 1
            state.recent.append(now)
            while state.recent and state.recent[0] < now - MEASURE_SECONDS:
                state.recent.popleft()
            return 0.0

    def succeeded(self, key: RateKey, latency: float | None = None) -> Spent | None:
        """A request of `key` was answered (not refused for its rate); the shop's spent budget if it is back now."""
        with self._lock:
            state = self._state(key)
            if latency is not None:
                state.latency = latency if state.latency is None else 0.8 * state.latency + 0.2 * latency
            state.streak = 0
            state.succeeded_since += 1
            shop = self._shop(key.shop_cipher)
            back, shop.spent, shop.since, shop.refusals = shop.spent, None, None, 0
            if self._platform_refusals:  # the platform-wide throttle is over: everything resumes at its rate
                self._platform_refusals, self._platform_until, self._probing = 0, 0.0, False
                for other in self._keys.values():
                    if other.streak:
                        other.streak, other.paused_until = 0, 0.0
            if back is not None:
                # The shop's budget is back: its refusals said nothing of its endpoints' quotas, which are found again
                # from the initial rate.
                for other_key, other in self._keys.items():
                    if other_key.shop_cipher == key.shop_cipher:
                        self._keys[other_key] = KeyRate(
                            self._capped(INITIAL_RATE),
                            sent=other.sent,
                            throttled=other.throttled,
                            latency=other.latency,
                        )
                state = self._keys[key]
            self._faster(state)
            return back

    def _faster(self, state: KeyRate) -> None:
        """A success of a key the pace held back: its rate grows (under the lock)."""
        if not state.paced:
            return  # the pace did not hold this key back: no evidence that more would be welcome
        state.paced = False
        target = MARGIN * state.quota if state.quota is not None else None
        if target is None:
            state.rate += SLOW_START_STEP
        elif state.rate < target:
            state.rate += APPROACH * (target - state.rate)
        else:
            state.rate *= 1.0 + PROBE / state.rate
        state.rate = self._capped(state.rate)

    def throttled(self, key: RateKey, retry_after: float | None = None) -> Spent | None:
        """TikTok refused a request of `key` for its rate (HTTP 429 or 36009002); the shop's budget if that tells
        the client something new of it (found spent, or found to be the day's)."""
        with self._lock:
            now = self._clock()
            news = self._shop_refused(key.shop_cipher, now)
            self._slower(key, now, retry_after)
            return news

    def _shop_refused(self, shop_cipher: str, now: float) -> Spent | None:
        """Counts a refusal of the shop: its budget found spent, or found to be the day's, or given up waiting for
        (under the lock)."""
        shop = self._shop(shop_cipher)
        shop.refusals += 1
        if shop.since is None:
            shop.since = now
        spent = shop.spent
        if spent is None:
            if now - shop.since < BUDGET_AFTER_SECONDS or shop.refusals < BUDGET_REFUSALS:
                return None
            back_by = shop.since + BUDGET_HOUR_SECONDS
            waits = self._budget_wait > 0 and back_by <= now + self._budget_wait
            wait_until = now + self._budget_wait if waits else None
            shop.spent = Spent(
                shop.since,
                self._wall_clock() - (now - shop.since),
                "hour",
                back_by,
                shop.refusals,
                wait_until,
                next_probe=now + BUDGET_PROBE_SECONDS,
            )
            return shop.spent
        news = None
        if spent.window == "hour" and spent.probe_sent is not None and spent.probe_sent >= spent.back_by:
            # Asked after the hour's budget would be back, and still refused: the day's is spent.
            spent.window, spent.back_by, news = "day", spent.since + BUDGET_DAY_SECONDS, spent
        if spent.wait_until is not None and (spent.back_by > spent.wait_until or now >= spent.wait_until):
            spent.wait_until = None  # not back within the wait allowed: the shop's requests fail from now on
        return news

    def _slower(self, key: RateKey, now: float, retry_after: float | None) -> None:
        """A refusal of `key` cuts its rate or pauses it, or the whole platform (under the lock)."""
        state = self._state(key)
        state.throttled += 1
        if state.streak and now - state.refused_time < IN_FLIGHT_HEADROOM * (state.latency or 0.0):
            # Sent before the streak's first refusal came back (in flight already): the same refusal, not a
            # longer streak, so no pause; it goes again at the pace already cut.
            state.next_send = max(state.next_send, now + 1.0 / state.rate)
            return
        state.streak += 1
        if (
            state.streak == 1
            and state.quota is None
            and len(state.recent) < MIN_CYCLE_SUCCESSES
            and not state.throttled - 1
        ):
            # The key's first refusal, among its first few requests: too few to say what rate was too much
            # (they were sent at the initial rate, which a quota cuts after a burst of its own size). A stray
            # refusal; the request goes again, and the next refusal is measured.
            pass
        elif state.streak == 1:
            cycle = now - state.refused_time
            if state.quota is None:
                sent_lately = len([sent for sent in state.recent if sent >= now - MEASURE_SECONDS]) / MEASURE_SECONDS
                state.quota = min(state.rate, max(sent_lately, MIN_RATE))
                state.rate = self._capped(FIRST_CUT * state.quota)
            elif cycle >= MIN_CYCLE_SECONDS and state.succeeded_since >= MIN_CYCLE_SUCCESSES:
                state.quota = state.succeeded_since / cycle
                state.rate = self._capped(MARGIN * state.quota)
            else:  # refused again soon: the rate just refused bounds the quota
                state.quota = min(state.rate, state.quota)
                state.rate = self._capped(MARGIN * state.quota)
            state.refused_time, state.succeeded_since = now, 0
        elif self._platform_refusals or self._platform_throttles():
            if self._probing or not self._platform_refusals:  # not a request sent before the pause began
                self._platform_refusals += 1
                self._probing = False
            self._platform_until = max(self._platform_until, now + self._platform_pause())
        else:
            pause = min(MAX_PAUSE, STREAK_PAUSE * 2 ** (state.streak - 2))
            state.paused_until = max(state.paused_until, now + pause)
        if retry_after:
            state.paused_until = max(state.paused_until, now + retry_after)
        state.next_send = max(state.next_send, now + 1.0 / state.rate)

    def _platform_throttles(self) -> bool:
        """Whether the whole platform throttles: keys refused in a row, of more than one shop if more than one is read
        (the keys of one shop refused alone are that shop's budget, not the platform's throttle)."""
        refused = [key for key, other in self._keys.items() if other.streak >= 2]
        shops = {key.shop_cipher for key in self._keys}
        return len(refused) >= PLATFORM_KEYS and (len(shops) == 1 or len({key.shop_cipher for key in refused}) > 1)

    def _shop(self, shop_cipher: str) -> ShopRefusals:
        shop = self._shops.get(shop_cipher)
        if shop is None:
            shop = self._shops[shop_cipher] = ShopRefusals()
        return shop

    def waits_for_budget(self, shop_cipher: str) -> bool:
        """Whether the shop's budget is spent and the sync waits for it."""
        with self._lock:
            spent = self._shop(shop_cipher).spent
            return spent is not None and spent.waiting

    def _state(self, key: RateKey) -> KeyRate:
        """The state of `key`, at the initial rate the first time (under the lock)."""
        state = self._keys.get(key)
        if state is None:
            state = self._keys[key] = KeyRate(rate=self._capped(INITIAL_RATE))
        return state

    def _platform_pause(self) -> float:
        return min(MAX_PLATFORM_PAUSE, PLATFORM_PAUSE * PLATFORM_GROWTH ** max(0, self._platform_refusals - 1))

    def settled(self, key: RateKey) -> Settled:
        with self._lock:
            state = self._keys.get(key) or KeyRate()
            return Settled(round(state.rate, 1), state.sent, state.throttled)

    def parallelism(self, key: RateKey) -> int:
        """How many requests of `key` can usefully be in flight: the rate it may reach (the quota found if TikTok
        refused a rate, else the documented one) times the time a request takes."""
        with self._lock:
            state = self._keys.get(key)
            if state is None or state.latency is None:
                return 1
            reachable = self._capped(state.quota if state.quota is not None else DOCUMENTED_RATE)
            # Half as many again: a reader also waits for its turn and hands its pages over between requests.
            return max(1, math.ceil(IN_FLIGHT_HEADROOM * reachable * state.latency))

    def _capped(self, rate: float) -> float:
        return max(MIN_RATE, min(rate, self._ceiling or MAX_RATE, MAX_RATE))


def budget(policy: RatePolicy) -> APIBudget:
    return APIBudget(policies=[policy])
