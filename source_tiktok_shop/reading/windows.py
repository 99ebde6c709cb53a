"""The time window each shop's query covers, and its split when the endpoint caps the results of one query; the
days an analytics endpoint is read for, and the oldest day TikTok still keeps."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ..tiktok.endpoints import DAY_SECONDS, Window


@dataclass(frozen=True)
class SyncBounds:
    """The same for every stream of one sync: `start_date`, where windows end (`end_date` or now) and the
    user's lookback, which overrides each stream's default when set."""

    start: int
    end: int
    lookback_minutes: int | None = None
    lookback_days: int | None = None  # the analytics streams' own, in days


def window_for(bounds: SyncBounds, saved: int | None, default_lookback_minutes: int) -> Window:
    """`[saved cursor − lookback, end)`, never before `start_date`; empty when there is nothing to read."""
    start = bounds.start
    if saved is not None:
        start = max(start, saved - 60 * lookback_minutes(bounds, default_lookback_minutes))
    return Window(start, max(start, bounds.end))


def past_saved(bounds: SyncBounds, saved: int | None, default_lookback_minutes: int) -> Window:
    """The values a sync keeps of an endpoint it filters itself: those after the saved one less the lookback (the
    saved one's rows were emitted), never before `start_date`, up to the end."""
    start = bounds.start
    if saved is not None:
        start = max(start, saved - 60 * lookback_minutes(bounds, default_lookback_minutes) + 1)
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


def day_window_for(bounds: SyncBounds, saved: str | None, default_lookback_minutes: int) -> Window:
    """The days to read, as a window of UTC midnights: from the saved day less the lookback (TikTok revises recent
    days), never before `start_date`'s day, to the day `end_date` (or now) falls on."""
    first = midnight(datetime.fromtimestamp(bounds.start, tz=UTC).date())
    saved_day = midnight_of(saved)
    if saved_day is not None:
        first = max(first, saved_day - DAY_SECONDS * lookback_days(bounds, default_lookback_minutes))
    end = midnight(datetime.fromtimestamp(bounds.end - 1, tz=UTC).date()) + DAY_SECONDS
    return Window(first, max(first, end))


def lookback_days(bounds: SyncBounds, default_lookback_minutes: int) -> int:
    if bounds.lookback_days is not None:
        return bounds.lookback_days
    return default_lookback_minutes * 60 // DAY_SECONDS


def midnight(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def midnight_of(day: str | None) -> int | None:
    """The UTC midnight standing for a day (`YYYY-MM-DD`); None for anything else."""
    try:
        return midnight(date.fromisoformat(day)) if day else None
    except ValueError:
        return None


# Where the clock is furthest ahead (UTC+14): the date there is on or after every shop's own.
EASTERNMOST_SECONDS = 14 * 3600


def latest_day_at(timestamp: int) -> int:
    """The latest date it is anywhere at a Unix time, as its UTC midnight: whatever a shop's timezone, its day then
    is not after it (TikTok gives a shop's times, not its timezone)."""
    return midnight(datetime.fromtimestamp(timestamp + EASTERNMOST_SECONDS, tz=UTC).date())


def oldest_kept(first: int, last: int, latest_if_kept: Callable[[int], int | None]) -> int | None:
    """The oldest of the days `first` .. `last` (UTC midnights) TikTok still keeps, in as few questions as a binary
    search asks: TikTok keeps every day after one it keeps. `latest_if_kept` asks about one day: None if TikTok
    refuses it, else the latest day TikTok has data for, which bounds the search from then on (so that at most the
    first day it accepts is past it). None: TikTok keeps none of the days."""
    low, high, found = first, last, None
    while low <= high:
        middle = low + (high - low) // DAY_SECONDS // 2 * DAY_SECONDS
        latest = latest_if_kept(middle)
        if latest is None:
            low = middle + DAY_SECONDS
        else:
            found = max(low, min(middle, latest))
            high = found - DAY_SECONDS
    return found
