"""The time window each shop's query covers, and its split when the endpoint caps the results of one query."""

from dataclasses import dataclass
from datetime import UTC, datetime

from ..tiktok.endpoints import Window


@dataclass(frozen=True)
class SyncBounds:
    """The same for every stream of one sync: `start_date`, where windows end (`end_date` or now) and the
    user's lookback, which overrides each stream's default when set."""

    start: int
    end: int
    lookback_minutes: int | None = None


def window_for(bounds: SyncBounds, saved: int | None, default_lookback_minutes: int) -> Window:
    """`[saved cursor − lookback, end)`, never before `start_date`; empty when there is nothing to read."""
    start = bounds.start
    if saved is not None:
        start = max(start, saved - 60 * lookback_minutes(bounds, default_lookback_minutes))
    return Window(start, max(start, bounds.end))


def not_before(window: Window, earliest: int) -> Window:
    """The window less what lies before `earliest`."""
    start = max(window.start, earliest)
    return Window(start, max(start, window.end))


def lookback_minutes(bounds: SyncBounds, default_lookback_minutes: int) -> int:
    return default_lookback_minutes if bounds.lookback_minutes is None else bounds.lookback_minutes


def over_result_cap(total_count: int | None, cap: int | None, window: Window) -> bool:
    """Whether the endpoint would refuse to page through this window's results (12052180), so it must be halved."""
    return bool(cap and total_count and total_count > cap and window.end - window.start > 1)


def utc(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
