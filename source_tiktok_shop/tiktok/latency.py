"""How long a call may take before it is abandoned and sent again: learned per (shop, endpoint) from its calls.

TikTok's calls answer in well under a second, so a call that has not answered after many times the usual is
taken for hung and sent again (reads are idempotent, the POST searches too) instead of waiting out a fixed
minute. The allowance is TCP's retransmission timeout (RFC 6298): the smoothed latency plus four times its
smoothed deviation, with a floor of a few seconds, doubled for each time in a row a call of the key timed out
(a server slow for real gets the time it needs), and capped at a minute. It covers the time to the answer's
headers (the socket's timeouts) and, again, the time its body takes to arrive: a body that trickles in is
abandoned like a call that hangs.
"""

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from urllib3.util import Timeout

from .rate import RateKey, RatePolicy

FLOOR_SECONDS = 2.0
CEILING_SECONDS = 60.0
FIRST_CALL_SECONDS = 15.0  # before any call of the sync has been answered
CONNECT_SECONDS = 10.0
SMOOTHING, DEVIATION_SMOOTHING, DEVIATIONS = 0.125, 0.25, 4.0  # RFC 6298's alpha, beta and K


@dataclass
class Estimate:
    smoothed: float | None = None
    deviation: float = 0.0
    timeouts: int = 0  # calls that timed out in a row
    failures: int = 0  # calls that failed in a row (any cause), for the backoff

    def sample(self, seconds: float) -> None:
        if self.smoothed is None:
            self.smoothed, self.deviation = seconds, seconds / 2
        else:
            self.deviation += DEVIATION_SMOOTHING * (abs(self.smoothed - seconds) - self.deviation)
            self.smoothed += SMOOTHING * (seconds - self.smoothed)
        self.timeouts = 0

    def allowance(self) -> float | None:
        if self.smoothed is None:
            return None
        return max(FLOOR_SECONDS, self.smoothed + DEVIATIONS * self.deviation)


class Latencies:
    """The latency of each (shop, endpoint), and of the sync's calls as a whole for keys not called yet."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[RateKey, Estimate] = {}
        self._overall = Estimate()

    def answered(self, key: RateKey | None, seconds: float) -> None:
        with self._lock:
            self._overall.sample(seconds)
            if key is not None:
                self._estimate(key).sample(seconds)

    def timed_out(self, key: RateKey | None) -> None:
        with self._lock:
            estimate = self._estimate(key) if key is not None else self._overall
            estimate.timeouts += 1

    def failed(self, key: RateKey | None) -> int:
        """Counts a failed call of `key`; how many have failed in a row."""
        with self._lock:
            estimate = self._estimate(key) if key is not None else self._overall
            estimate.failures += 1
            return estimate.failures

    def succeeded(self, key: RateKey | None) -> None:
        with self._lock:
            self._overall.failures = 0
            if key is not None:
                self._estimate(key).failures = 0

    def allowed(self, key: RateKey | None) -> float:
        """Seconds a call of `key` may take to answer (and again for its body to arrive)."""
        with self._lock:
            estimate = self._keys.get(key) if key is not None else self._overall
            own = estimate.allowance() if estimate else None
            base = own if own is not None else self._overall.allowance() or FIRST_CALL_SECONDS
            doublings = estimate.timeouts if estimate else self._overall.timeouts
            return min(CEILING_SECONDS, base * 2.0**doublings)

    def _estimate(self, key: RateKey) -> Estimate:
        estimate = self._keys.get(key)
        if estimate is None:
            estimate = self._keys[key] = Estimate()
        return estimate


class LearnedTimeout(Timeout):
    """urllib3's timeout of a request, asked for again at each send of it, retries included (urllib3 clones the
    timeout it is given for every send): a call that timed out goes again with a longer allowance."""

    def __init__(self, allowed: Callable[[], float]):
        self._allowed = allowed
        super().__init__(connect=CONNECT_SECONDS, read=CEILING_SECONDS)

    def clone(self) -> Timeout:
        seconds = self._allowed()
        return Timeout(connect=min(CONNECT_SECONDS, seconds), read=seconds)


class CallTimer:
    """A `requests` response hook on every call: reads the body within the call's allowance (else the call is
    abandoned as timed out) and learns the call's latency, headers and body."""

    def __init__(self, latencies: Latencies):
        self._latencies = latencies

    def watch(self, request: requests.PreparedRequest) -> None:
        hooks = request.hooks.setdefault("response", [])
        if self.on_response not in hooks:
            hooks.append(self.on_response)

    def on_response(self, response: requests.Response, **_: Any) -> requests.Response:
        key = RatePolicy.key_of(response.request)
        allowed = self._latencies.allowed(key)
        started = time.monotonic()
        abandoned = threading.Event()
        # A body that trickles in never trips the socket's timeout (each piece arrives in time): past the allowance
        # the socket is shut down under the read, which ends it.
        timer = threading.Timer(allowed, _abandon, (response, abandoned))
        timer.daemon = True
        timer.start()
        try:
            response.content  # noqa: B018 - read here, within the allowance
        except requests.RequestException as error:
            if not abandoned.is_set():
                # As the error of any other call that failed: it says which request (and so which shop and endpoint).
                error.request, error.response = response.request, response
                raise
        finally:
            timer.cancel()
        if abandoned.is_set():
            response.close()
            raise requests.ReadTimeout(
                f"its body was still arriving after {allowed:.0f} s", request=response.request, response=response
            )
        self._latencies.answered(key, response.elapsed.total_seconds() + time.monotonic() - started)
        return response


def _abandon(response: requests.Response, abandoned: threading.Event) -> None:
    abandoned.set()
    shutdown = getattr(response.raw, "shutdown", None)  # urllib3's; a stand-in body in tests may lack it
    if shutdown is not None:
        with contextlib.suppress(ValueError, RuntimeError, OSError):  # already released or closed: nothing to end
            shutdown()
