"""A local emulator of the TikTok Shop Partner API (202309+), for tests, demos and benchmarks.

    from tiktok_shop_sandbox import Sandbox
    with Sandbox(seed=1, shops=2, orders=500) as sb:
        sb.base_url, sb.credentials, sb.shops, sb.records("orders"), ...

See docs/sandbox.md.
"""

from __future__ import annotations

import datetime
import threading
import time

from .auth import AuthState
from .data import REGIONS, RESOURCES, World
from .data.analytics import RETENTION_DAYS
from .endpoints import ROUTES, EndpointState
from .faults import KINDS, LIES, Faults, RateLimiter
from .server import Core, make_server
from .signing import EMPTY_BODY_READINGS

__all__ = ["Sandbox", "KINDS", "LIES", "RESOURCES"]


def check_version_regions(version_unavailable_in: dict | None) -> dict[str, frozenset[str]]:
    """``{version: regions}`` checked: versions the sandbox serves, regions it has shops in."""
    served = {v for route in ROUTES for v in route.versions}
    known = {region[0] for region in REGIONS}
    out = {}
    for version, regions in (version_unavailable_in or {}).items():
        regions = frozenset([regions] if isinstance(regions, str) else regions)
        if version not in served:
            raise ValueError(f"the sandbox serves no version {version!r}")
        unknown = sorted(regions - known)
        if unknown:
            raise ValueError(f"unknown region {unknown[0]!r}; known: {', '.join(sorted(known))}")
        out[version] = regions
    return out


def check_date(today: str | None):
    """``today`` is a date, YYYY-MM-DD, or ``None``."""
    try:
        if today is not None and not (len(today) == 10 and datetime.date.fromisoformat(today)):
            raise ValueError(today)
    except (TypeError, ValueError):
        raise ValueError(f"today must be a date YYYY-MM-DD, not {today!r}") from None


class Sandbox:
    """The sandbox server, running in a background thread on ``host`` (default 127.0.0.1), free port.

    ``today`` (YYYY-MM-DD) is the date TikTok's version retirements are judged at (docs/sandbox.md); by default the
    wall clock's, in UTC."""

    def __init__(
        self,
        seed: int = 1,
        shops: int = 2,
        orders: int = 500,
        start: str = "2025-01-01",
        end: str = "2025-06-30",
        latency_ms: float = 0,
        qps_per_shop: float | None = None,
        qps_per_endpoint: float | None = None,
        fault_rate: float = 0.0,
        fault_kinds=None,
        token_ttl_s: int = 604800,
        scopes=None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        counts: dict | None = None,
        redirect_url: str | None = None,
        state_file: str | None = None,
        analytics_retention_days: int = RETENTION_DAYS,
        deleted_products: str = "listed",
        empty_body_signing: str = "omitted",
        version_unavailable_in: dict | None = None,
        today: str | None = None,
        requests_per_hour: int | None = None,
        requests_per_day: int | None = None,
        quota_window_s: float = 3600.0,
        quota_day_s: float = 86400.0,
        slow_body_s: float = 90.0,
    ):
        # the options are checked before the world is made
        if empty_body_signing not in EMPTY_BODY_READINGS:
            raise ValueError(f"empty_body_signing must be one of {', '.join(EMPTY_BODY_READINGS)}")
        check_date(today)
        unavailable = check_version_regions(version_unavailable_in)
        limiter = RateLimiter(qps_per_shop, qps_per_endpoint)
        limiter.set_budgets(requests_per_hour, requests_per_day, quota_window_s, quota_day_s)
        self.world = World(
            seed=seed,
            shops=shops,
            orders=orders,
            start=start,
            end=end,
            counts=counts,
            analytics_retention_days=analytics_retention_days,
        )
        first = self.world.shops[0] if self.world.shops else None  # shops=0: a seller with no authorized shop
        self._auth = AuthState(
            self.world.app_key,
            self.world.app_secret,
            token_ttl_s,
            scopes=scopes,
            open_id=f"{int(first.id) % 10**12:012d}-open" if first else f"{self.world.seed % 10**12:012d}-open",
            seller_name=first.name if first else "",
            region=first.region if first else "",
            state_file=state_file,
        )
        self._core = Core(
            self.world,
            self._auth,
            EndpointState(self.world, deleted_products),
            Faults(fault_rate, fault_kinds, seed=seed),
            limiter,
            latency_ms,
            empty_body_signing=empty_body_signing,
            version_unavailable_in=unavailable,
            today=today,
        )
        self._core.redirect_url = redirect_url
        self.slow_body_s = slow_body_s
        self._host, self._port = host, port
        self._server = None
        self._thread = None
        self._credentials = None
        self._started_once = False

    # -- lifecycle -----------------------------------------------------------------------------------------

    def prerender(self) -> Sandbox:
        """Encode every order ahead of serving (the CLI does), so the sandbox never dominates a benchmark."""
        self._core.state.prerender_orders()
        return self

    def start(self) -> Sandbox:
        if self._server is not None:
            return self
        self._core.stop_event.clear()
        self._server = make_server(self._core, self._host, self._port)
        if not self._started_once:  # the budgets' windows are aligned to the sandbox's (first) start
            self._core.limiter.realign_budgets()
            self._started_once = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, name="tiktok-shop-sandbox", daemon=True
        )
        self._thread.start()
        self._credentials = {
            "app_key": self._auth.app_key,
            "app_secret": self._auth.app_secret,
            "auth_code": self._auth.new_auth_code(),
            "refresh_token": self._auth.new_grant()["refresh_token"],
        }
        return self

    def stop(self):
        if self._server is None:
            return
        self._core.stop_event.set()  # wakes latency / timeout sleeps
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- connection facts ----------------------------------------------------------------------------------

    @property
    def host(self) -> str:
        return self._server.server_address[0] if self._server else self._host

    @property
    def port(self) -> int:
        return self._server.server_address[1] if self._server else self._port

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def credentials(self) -> dict:
        if self._credentials is None:
            raise RuntimeError("the sandbox is not started")
        return dict(self._credentials)

    @property
    def empty_body_signing(self) -> str:
        """ "omitted" or "signed": how the sandbox reads the signature of a request whose body is ``{}``."""
        return self._core.empty_body_signing

    def new_auth_code(self) -> str:
        return self._auth.new_auth_code()

    @property
    def consent_url(self) -> str:
        """The legacy authorization link (reference §1.1) a seller opens; each visit mints a fresh code."""
        return f"{self.base_url}/oauth/authorize?app_key={self._auth.app_key}"

    @property
    def redirect_url(self) -> str | None:
        """The app's redirect URL, as registered in Partner Center: where the consent page sends the seller."""
        return self._core.redirect_url

    @redirect_url.setter
    def redirect_url(self, url: str | None):
        self._core.redirect_url = url

    def new_tokens(self) -> dict:
        """Extension: a fresh token pair, as the token endpoint's ``data`` would return it."""
        return self._auth.new_grant()

    # -- data ------------------------------------------------------------------------------------------------

    @property
    def shops(self) -> list[dict]:
        return [s.info() for s in self.world.shops]

    def records(self, resource: str, version: str | None = None) -> dict[str, list[dict]]:
        return self.world.records(resource, version)

    def touch(self, resource: str, n: int, shop_id: str | None = None) -> list[str]:
        with self._core.state.lock:
            return self.world.touch(resource, n, shop_id=shop_id)

    def delete_products(self, n: int, shop_id: str | None = None) -> list[str]:
        with self._core.state.lock:
            return self.world.delete_products(n, shop_id=shop_id)

    def delete_product(self, product_id: str, once_listed: bool = False):
        """The seller deletes a product, now or (``once_listed``) as soon as a Search Products page has listed it:
        a client that reads the page and then asks Get Product for it meets a product gone in between."""
        with self._core.state.lock:
            if once_listed:
                self.world.delete_once_listed.add(product_id)
            else:
                self.world.delete_product(product_id)

    # -- request log -----------------------------------------------------------------------------------------

    @property
    def requests(self) -> list[dict]:
        with self._core.log_lock:
            return [dict(e) for e in self._core.log]

    def clear_requests(self):
        with self._core.log_lock:
            self._core.log.clear()

    # -- faults and limits ---------------------------------------------------------------------------------

    def inject(self, kind: str, count: int | None = 1, path_contains: str | None = None, shop_id: str | None = None):
        """Queue ``kind`` for the next ``count`` matching calls; ``count=None``: every matching call, for good (a
        sticky fault, until ``clear_faults``).  ``path_contains`` narrows to paths containing it (token-host paths
        too), ``shop_id`` to the calls of that shop."""
        self._core.faults.inject(kind, count, path_contains, shop_id)

    def clear_faults(self):
        """Forget every injected fault, sticky ones too, and every ``overstate_total_count`` (the random rate
        stays as set)."""
        self._core.faults.clear()
        self._core.total_count_excess = []

    def fail_always(self, path_contains: str, kind: str = "server_error", shop_id: str | None = None):
        """Every API call whose path contains ``path_contains`` (of the shop ``shop_id``, if given) is answered
        with the fault ``kind``, for good (until ``clear_faults``): one endpoint that fails permanently."""
        self.inject(kind, None, path_contains, shop_id)

    def overstate_total_count(self, extra: int, path_contains: str | None = None, shop_id: str | None = None):
        """List pages (of paths containing ``path_contains``, of the shop ``shop_id``, if given) say in
        ``total_count`` ``extra`` records more than the query has: every page of it, until ``clear_faults``.
        The pages and ``records`` hold what there is."""
        if isinstance(extra, bool) or int(extra) != extra or extra < 1:
            raise ValueError("extra must be a whole number >= 1")
        self._core.total_count_excess = [*self._core.total_count_excess, (int(extra), path_contains, shop_id)]

    @property
    def timeout_fault_s(self) -> float:
        return self._core.timeout_fault_s

    @timeout_fault_s.setter
    def timeout_fault_s(self, value: float):
        self._core.timeout_fault_s = float(value)

    @property
    def slow_body_s(self) -> float:
        """How long the body of a ``slow_body`` fault takes to arrive, first byte to last (default 90 s)."""
        return self._core.slow_body_s

    @slow_body_s.setter
    def slow_body_s(self, value: float):
        if not value > 0:
            raise ValueError("slow_body_s must be > 0 seconds")
        self._core.slow_body_s = float(value)

    def expire_access_tokens(self):
        self._auth.expire_all()

    def revoke_scope(self, scope: str):
        self._auth.revoke_scope(scope)

    def set_fault_rate(self, rate: float, kinds=None):
        self._core.faults.set_rate(rate, kinds)

    def set_qps_per_shop(self, q: float | None):
        self._core.limiter.set_qps(q)

    def set_qps_per_endpoint(self, q: float | None):
        self._core.limiter.set_qps_per_endpoint(q)

    def set_budgets(
        self,
        requests_per_hour: int | None = None,
        requests_per_day: int | None = None,
        quota_window_s: float = 3600.0,
        quota_day_s: float = 86400.0,
    ):
        """Request budgets per app x shop (``None``: no budget), in fixed windows of ``quota_window_s`` (the
        hour) and ``quota_day_s`` (the day) seconds, the first starting now; counts start again from zero."""
        self._core.limiter.set_budgets(requests_per_hour, requests_per_day, quota_window_s, quota_day_s)

    def budget(self, shop_id: str | None = None) -> dict:
        """The budgets of the shop ``shop_id`` (``None``: the shop-less calls, one count per app) now:
        ``{"hour": {...} | None, "day": {...} | None, "back_in_s", "back_at"}``; each budget set has ``limit``,
        ``window_s``, ``used``, ``remaining``, ``resets_in_s`` and ``resets_at`` (Unix seconds, float);
        ``back_at`` / ``back_in_s``: when the shop's calls are no longer refused by a budget (now if they are
        not)."""
        status = self._core.limiter.budget((self._auth.app_key, shop_id or ""))
        now = time.time()
        for name in ("hour", "day"):
            if status[name] is not None:
                status[name]["resets_at"] = now + status[name]["resets_in_s"]
        status["back_at"] = now + status["back_in_s"]
        return status

    def throttle_all(self, after_s: float, for_s: float):
        """A platform-wide protective throttle: every API call refused with 429 for ``for_s`` seconds,
        starting ``after_s`` seconds after the next call."""
        self._core.limiter.throttle_all(after_s, for_s)

    def set_latency_ms(self, ms: float):
        self._core.latency_ms = float(ms or 0)
