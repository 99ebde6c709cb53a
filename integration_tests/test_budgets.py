"""Request budgets (issue #21): a shop whose hourly or daily budget runs out mid-sync is asked no more, its streams end
with one transient error naming it and when the budget is back, the other shop completes, and the next sync goes on
from the state; or, with `budget_wait_minutes`, the sync waits for the budget and completes in one go.

The sandbox's hour and day are shortened to seconds, and so are the connector's: its rule (refused for 15 s through
pauses of 1, 2, 4 and 8 s), its probe a minute and the windows it assumes run on a clock four (or far more) times as
fast, the same rule on a shorter scale."""

import calendar
import logging
import re
import time

import pytest
from airbyte_cdk.models import FailureType, SyncMode

from integration_tests.harness import catalog_of, run, token_config
from integration_tests.truth import by_key, expected_rows, key_of
from source_tiktok_shop.config import parse_settings
from source_tiktok_shop.source import with_own_credentials
from source_tiktok_shop.tiktok import rate
from source_tiktok_shop.tiktok.client import TikTokClient
from source_tiktok_shop.tiktok.endpoints import ENDPOINTS, Query
from tiktok_shop_sandbox import Sandbox

STREAMS = ["orders", "order_line_items", "returns", "packages"]
DATA = {"shops": 2, "orders": 1000, "start": "2025-01-01", "end": "2025-03-31", "latency_ms": 10}
WINDOW_S = 12.0  # the sandbox's hour (or day): long enough for a shop to run out and the connector to notice
SPARE = 15  # requests of its budget that the shop not spent by another reader has beyond what its sync needs
BUDGET_ERROR = re.compile(
    r"TikTok has refused every request for shop (?P<shop>\d+) .* the shop's request budget is spent\. "
    r"The hourly budget is back by (?P<hour>[\d-]+ [\d:]+) UTC at the latest \(the daily budget, if that is the one "
    r"spent, by (?P<day>[\d-]+ [\d:]+) UTC\)\. Stopped reading this shop"
)


@pytest.fixture
def quick_budgets(monkeypatch):
    """The connector's budget rule on a clock four times as fast, its probe every half second."""
    monkeypatch.setattr(rate, "STREAK_PAUSE", rate.STREAK_PAUSE / 4)
    monkeypatch.setattr(rate, "MAX_PAUSE", rate.MAX_PAUSE / 4)
    monkeypatch.setattr(rate, "BUDGET_AFTER_SECONDS", rate.BUDGET_AFTER_SECONDS / 4)
    monkeypatch.setattr(rate, "BUDGET_PROBE_SECONDS", 0.5)
    monkeypatch.setattr(rate, "BUDGET_POLL", 0.1)

    def windows(hour_s: float, day_s: float) -> None:
        monkeypatch.setattr(rate, "BUDGET_HOUR_SECONDS", hour_s)
        monkeypatch.setattr(rate, "BUDGET_DAY_SECONDS", day_s)

    return windows


def catalog():
    return catalog_of({name: SyncMode.incremental for name in STREAMS})


def config(sandbox, **fields):
    return {**token_config(sandbox), "lookback_window_minutes": 0, **fields}


def requests_per_shop(sandbox) -> dict[str, int]:
    """The API requests the sandbox let through, by shop."""
    counts = dict.fromkeys(sandbox.records("shops"), 0)
    for shop_id in counts:
        counts[shop_id] = len([entry for entry in requests_of(sandbox, shop_id) if entry["status"] == 200])
    return counts


def requests_of(sandbox, shop_id: str) -> list[dict]:
    """The shop's API requests in the sandbox's log, in the order they were answered."""
    ((shop,),) = [shops for listed, shops in sandbox.records("shops").items() if listed == shop_id]
    return sorted((entry for entry in sandbox.requests if entry.get("shop_cipher") == shop["cipher"]), key=ts)


def ts(entry: dict) -> float:
    return entry["ts"]


def noticed_at(sandbox, shop_id: str) -> float:
    """When the connector should have told the budget from a rate: the shop's first refusal plus the rule's time."""
    first_refusal = next(entry for entry in requests_of(sandbox, shop_id) if entry["status"] == 429)
    return first_refusal["ts"] + rate.BUDGET_AFTER_SECONDS


def spend(sandbox, shop_id: str, calls: int) -> None:
    """Another reader of the same app spends `calls` requests of the shop's budget."""
    settings = parse_settings(config(sandbox))
    client = TikTokClient(with_own_credentials(config(sandbox)), settings.client, logging.getLogger("other-reader"))
    (shop,) = [shop for shop in client.shops() if shop.id == shop_id]
    for _ in range(calls):
        client.call(Query(ENDPOINTS["warehouses"], shop))


def rows_of(result, stream: str, shop_id: str) -> list[dict]:
    return [row for row in result.records(stream) if row["shop_id"] == shop_id]


def truth_of(sandbox, stream: str, shop_id: str) -> dict:
    return by_key(stream, [row for row in expected_rows(sandbox, stream) if row["shop_id"] == shop_id])


def unix(text: str) -> float:
    return calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M:%S"))


def run_into_the_budget(sandbox, budget: str, **fields):
    """Shop A has half what its sync needs left of its budget, shop B all it needs and more: the sync's result, the
    two shops and when shop A's budget is back."""
    needed = requests_per_shop(sandbox)  # the calibration sync, before any budget
    sandbox.clear_requests()
    limit = max(needed.values()) + SPARE
    window = {"hour": ("requests_per_hour", "quota_window_s"), "day": ("requests_per_day", "quota_day_s")}[budget]
    sandbox.set_budgets(**{window[0]: limit, window[1]: WINDOW_S})
    spent_shop, other_shop = sorted(needed)
    back_at = sandbox.budget(spent_shop)[budget]["resets_at"]
    spend(sandbox, spent_shop, limit - needed[spent_shop] // 2)
    return run("read", config(sandbox, **fields), catalog()), spent_shop, other_shop, back_at


def calibrated(sandbox):
    """A sync with no budget, for how many requests each shop's sync takes (and the ground truth it reads)."""
    result = run("read", config(sandbox), catalog())
    assert not result.error_messages, result.error_messages
    return result


@pytest.mark.parametrize("budget", ["hour", "day"])
def test_a_spent_budget_ends_that_shops_streams_naming_it_and_the_next_sync_completes_from_the_state(
    quick_budgets, budget
):
    # The connector takes a budget for the hour's first: the day's is named as the other possibility.
    quick_budgets(hour_s=WINDOW_S if budget == "hour" else WINDOW_S / 4, day_s=WINDOW_S)
    with Sandbox(seed=41, **DATA) as sandbox:
        calibrated(sandbox)
        first, spent_shop, other_shop, back_at = run_into_the_budget(sandbox, budget)
        asked_after = [
            entry for entry in requests_of(sandbox, spent_shop) if entry["ts"] > noticed_at(sandbox, spent_shop)
        ]

        errors = [error.trace.error for error in first.output.errors]
        of_streams = [error for error in errors if error.stream_descriptor]
        # One cause, reported once (by the first stream it ended), and the sync's end names it.
        assert len(of_streams) == 1, [error.message for error in errors]
        (error,) = of_streams
        match = BUDGET_ERROR.search(error.message)
        assert match, error.message
        assert match["shop"] == spent_shop
        assert error.failure_type == FailureType.transient_error
        # Back by the first refusal plus the window, at the latest: not before the sandbox's reset.
        assert back_at - 1.0 <= unix(match["day"]) <= back_at + WINDOW_S
        if budget == "hour":
            assert back_at - 1.0 <= unix(match["hour"]) <= back_at + WINDOW_S
        (end,) = [error for error in errors if not error.stream_descriptor]
        assert error.message.rstrip(".") in end.message
        # Once the refusals outlast the pauses, the shop is asked no more: at most the refusal that tells it comes after,
        # within a pause or two (4 s at the rule's pace), for each of the shop's endpoints.
        assert len(asked_after) <= 3, f"{len(asked_after)} requests of shop {spent_shop} after its budget was spent"
        assert not [entry for entry in asked_after if entry["ts"] > noticed_at(sandbox, spent_shop) + 4.0]

        for stream in STREAMS:  # the other shop is complete and exact
            rows = rows_of(first, stream, other_shop)
            assert len({key_of(stream, row) for row in rows}) == len(rows), f"{stream}: duplicates"
            assert by_key(stream, rows) == truth_of(sandbox, stream, other_shop), stream
        read_before = {stream: rows_of(first, stream, spent_shop) for stream in STREAMS}
        assert 0 < len(read_before["orders"]) < len(truth_of(sandbox, "orders", spent_shop)), "ran out mid-stream"
        state = first.state_of("orders")
        assert spent_shop in state and other_shop in state

        time.sleep(max(0.0, back_at - time.time()) + 0.2)
        resumed = run("read", config(sandbox), catalog(), first.state)
        assert not resumed.error_messages, resumed.error_messages
    for stream in STREAMS:  # the two syncs together: the ground truth, nothing lost
        again = rows_of(resumed, stream, spent_shop)
        together = by_key(stream, read_before[stream] + again)
        assert together == truth_of(sandbox, stream, spent_shop), f"{stream}: records lost or changed"
    # With no lookback, what the first sync's state covers is not read again, but for records at its very value.
    orders_before = by_key("orders", read_before["orders"])
    saved = state[spent_shop]["update_time"]
    read_twice = set(orders_before) & set(by_key("orders", rows_of(resumed, "orders", spent_shop)))
    assert all(orders_before[key]["update_time"] >= saved for key in read_twice)
    assert len(read_twice) < len(orders_before)


@pytest.mark.parametrize("budget", ["hour", "day"])
def test_a_wait_that_covers_the_budgets_return_completes_the_sync_in_one_go(quick_budgets, budget):
    quick_budgets(hour_s=WINDOW_S if budget == "hour" else WINDOW_S / 4, day_s=WINDOW_S)
    with Sandbox(seed=42, **DATA) as sandbox:
        truth = calibrated(sandbox)
        result, spent_shop, _, back_at = run_into_the_budget(sandbox, budget, budget_wait_minutes=1)
        # Once the refusals outlast the pauses, one request a probe interval asks whether the budget is back.
        probes = [
            entry["ts"]
            for entry in requests_of(sandbox, spent_shop)
            if entry["status"] == 429 and noticed_at(sandbox, spent_shop) + 2.0 < entry["ts"] < back_at
        ]
        resumed = [entry["ts"] for entry in requests_of(sandbox, spent_shop) if entry["ts"] >= back_at]
    assert not result.error_messages, result.error_messages
    for stream in STREAMS:
        rows = result.records(stream)
        assert len({key_of(stream, row) for row in rows}) == len(rows), f"{stream}: duplicates"
        assert (
            by_key(stream, rows)
            == by_key(stream, expected_rows(sandbox, stream))
            == by_key(stream, truth.records(stream))
        )
    assert result.output.is_in_logs(f"shop {spent_shop} .* Waiting for it")
    if budget == "day":
        assert result.output.is_in_logs("Still refused after the hour: the daily budget is spent")
    assert result.output.is_in_logs(f"TikTok answers the requests for shop {spent_shop} again")
    gaps = [later - earlier for earlier, later in zip(probes, probes[1:], strict=False)]
    assert len(probes) >= 2 and min(gaps) >= 0.9 * rate.BUDGET_PROBE_SECONDS, gaps
    assert resumed and resumed[0] - back_at <= 2 * rate.BUDGET_PROBE_SECONDS, "the budget's return was noticed late"
