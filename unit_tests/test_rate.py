"""The adaptive rate policy on a fake clock: increase, cut, Retry-After, platform throttle, ceiling."""

import pytest
import requests

from source_tiktok_shop.tiktok import rate
from source_tiktok_shop.tiktok.rate import (
    BUDGET_AFTER_SECONDS,
    BUDGET_DAY_SECONDS,
    BUDGET_HOUR_SECONDS,
    BUDGET_PROBE_SECONDS,
    FIRST_CUT,
    INITIAL_RATE,
    PLATFORM_KEYS,
    BudgetSpent,
    RateKey,
    RatePolicy,
)

ORDERS = RateKey.of("shop-a", "/order/202309/orders/search")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def drive(
    policy: RatePolicy, clock: Clock, key: RateKey, seconds: float, quota: float | None = None
) -> tuple[int, int]:
    """Sends as fast as the policy lets one eager client send for `seconds`, against a token bucket of `quota`
    requests/s (capacity one second's worth), as TikTok and the sandbox count; returns (sent, throttled)."""
    tokens, last, end = quota or 0.0, clock.now, clock.now + seconds
    sent = throttled = 0
    while clock.now < end:
        wait = policy.reserve(key)
        if wait > 0:
            clock.now += wait
            continue
        sent += 1
        if quota is not None:
            tokens = min(quota, tokens + (clock.now - last) * quota)
            last = clock.now
            if tokens < 1:
                throttled += 1
                policy.throttled(key)
                continue
            tokens -= 1
        policy.succeeded(key)
    return sent, throttled


def test_given_successes_while_paced_then_the_rate_at_least_doubles_each_second():
    clock = Clock()
    policy = RatePolicy(clock=clock)
    drive(policy, clock, ORDERS, seconds=1.0)
    assert policy.settled(ORDERS).rate >= 2 * INITIAL_RATE


def test_given_successes_that_the_pace_did_not_hold_back_then_the_rate_stays():
    clock = Clock()
    policy = RatePolicy(clock=clock)
    for _ in range(50):
        assert policy.reserve(ORDERS) == 0.0
        policy.succeeded(ORDERS)
        clock.now += 1.0  # a slow reader: one request a second
    assert policy.settled(ORDERS).rate == INITIAL_RATE


def test_given_a_first_rate_limit_then_the_rate_is_cut_to_half_of_what_was_sent():
    clock = Clock()
    policy = RatePolicy(clock=clock)
    sent, _ = drive(policy, clock, ORDERS, seconds=1.0)
    before = policy.settled(ORDERS).rate
    policy.throttled(ORDERS)
    assert policy.settled(ORDERS).rate == pytest.approx(FIRST_CUT * min(before, sent), abs=0.6)
    assert policy.settled(ORDERS).throttled == 1


@pytest.mark.parametrize("quota", [3.0, 5.0, 20.0])
def test_given_a_quota_then_the_rate_settles_just_under_it_with_few_refusals(quota):
    clock = Clock()
    policy = RatePolicy(clock=clock)
    sent, throttled = drive(policy, clock, ORDERS, seconds=60.0, quota=quota)
    assert throttled / sent <= 0.05
    assert (sent - throttled) / 60.0 >= 0.85 * quota  # uses the quota, not a timid fraction of it
    assert 0.75 * quota <= policy.settled(ORDERS).rate <= 1.3 * quota


def test_given_retry_after_then_nothing_of_that_key_is_sent_before_it():
    clock = Clock()
    policy = RatePolicy(clock=clock)
    assert policy.reserve(ORDERS) == 0.0
    policy.throttled(ORDERS, retry_after=7.0)
    refused_at = clock.now
    while (wait := policy.reserve(ORDERS)) > 0:
        clock.now += wait
    assert clock.now - refused_at == pytest.approx(7.0)


def test_given_other_endpoints_and_shops_then_they_keep_their_own_rates():
    clock = Clock()
    policy = RatePolicy(clock=clock)
    products = RateKey.of("shop-a", "/product/202502/products/search")
    other_shop = RateKey.of("shop-b", "/order/202309/orders/search")
    policy.reserve(ORDERS)
    policy.throttled(ORDERS)
    assert policy.reserve(products) == 0.0 and policy.reserve(other_shop) == 0.0
    assert policy.settled(products).rate == policy.settled(other_shop).rate == INITIAL_RATE


def test_given_an_older_version_then_it_is_the_same_api_and_key():
    assert RateKey.of("c", "/return_refund/202309/returns/search") == RateKey.of(
        "c", "/return_refund/202602/returns/search"
    )


def test_given_ids_in_paths_then_one_endpoint_is_one_key():
    assert RateKey.of("c", "/product/202309/products/1729382256910270464") == RateKey.of(
        "c", "/product/202309/products/1729382256910270999"
    )


def test_given_every_endpoint_refused_again_and_again_then_everything_pauses_and_then_resumes():
    clock = Clock()
    policy = RatePolicy(clock=clock)
    keys = [RateKey.of(f"shop-{n}", "/order/202309/orders/search") for n in range(PLATFORM_KEYS)]
    untouched = RateKey.of("shop-x", "/finance/202309/statements")
    end = clock.now + 1.0
    while clock.now < end:  # the keys running side by side for a second
        clock.now += 0.01
        for key in keys:
            if policy.reserve(key) == 0.0:
                policy.succeeded(key)
    cut_once = []
    for round_ in range(3):  # a protective throttle: every request refused
        for key in keys:
            clock.now += policy.reserve(key)
            policy.reserve(key)
            policy.throttled(key)
        if round_ == 0:
            cut_once = [policy.settled(key).rate for key in keys]
    assert policy.reserve(untouched) > 0, "a key not yet refused went on during a platform-wide throttle"
    # One request at a time probes whether the throttle is over; the others wait for its answer.
    while policy.reserve(keys[0]) > 0:
        clock.now += 0.25
    assert all(policy.reserve(key) > 0 for key in keys[1:])
    policy.throttled(keys[0])
    rates = [policy.settled(key).rate for key in keys]
    clock.now += 60.0
    for key in keys:
        assert policy.reserve(key) == 0.0
        policy.succeeded(key)
    assert policy.reserve(untouched) == 0.0
    assert rates == cut_once, "refusals in a row kept cutting the rates instead of pausing"


def test_given_a_ceiling_then_a_shops_endpoints_share_it_and_no_rate_exceeds_it():
    clock = Clock()
    policy = RatePolicy(ceiling_per_shop=4.0, clock=clock)
    products = RateKey.of("shop-a", "/product/202502/products/search")
    sent = 0
    end = clock.now + 10.0
    while clock.now < end:
        for key in (ORDERS, products):
            wait = policy.reserve(key)
            if wait:
                clock.now += wait
                continue
            sent += 1
            policy.succeeded(key)
    assert sent <= 4 * 10 + 2
    assert policy.settled(ORDERS).rate <= 4.0


def test_given_a_request_then_only_shop_scoped_ones_are_paced():
    policy = RatePolicy()
    with_shop = requests.Request("GET", "https://h/x", params={"shop_cipher": "c"}).prepare()
    without = requests.Request("GET", "https://h/authorization/202309/shops").prepare()
    assert policy.matches(with_shop) and not policy.matches(without)


SHOP_A = [RateKey.of("shop-a", path) for path in ("/order/202309/orders/search", "/product/202502/products/search")]
SHOP_A += [RateKey.of("shop-a", "/return_refund/202602/returns/search")]
SHOP_B = RateKey.of("shop-b", "/order/202309/orders/search")
WALL = 1_800_000_000.0  # the wall clock when the fake clock reads 1,000


def budget_policy(clock: Clock, wait_minutes: float = 0.0) -> RatePolicy:
    return RatePolicy(clock=clock, budget_wait_seconds=60 * wait_minutes, wall_clock=lambda: WALL + clock.now - 1_000)


def refuse_shop_a(
    policy: RatePolicy, clock: Clock, seconds: float, refused_until: float | None = None, step: float = 0.05
) -> dict[str, list[float]]:
    """Shop A's three endpoints and shop B's one sent as fast as the policy lets them for `seconds`: every request of
    shop A is refused (until `refused_until`, if given), every one of shop B succeeds. When each was sent, by shop;
    stops at the first `BudgetSpent`, which it leaves to the caller."""
    sent: dict[str, list[float]] = {"a": [], "b": []}
    end = clock.now + seconds
    while clock.now < end:
        clock.now += step
        for key in [*SHOP_A, SHOP_B]:
            if policy.reserve(key) > 0:
                continue
            sent["a" if key in SHOP_A else "b"].append(clock.now)
            if key in SHOP_A and (refused_until is None or clock.now < refused_until):
                policy.throttled(key)
            else:
                policy.succeeded(key)
    return sent


def test_given_a_shop_refused_for_longer_than_its_pauses_then_its_budget_is_spent_and_it_is_asked_no_more():
    clock = Clock()
    policy = budget_policy(clock)
    started = clock.now
    with pytest.raises(BudgetSpent) as raised:
        refuse_shop_a(policy, clock, seconds=120.0)
    spent = raised.value.spent
    assert BUDGET_AFTER_SECONDS <= clock.now - started <= BUDGET_AFTER_SECONDS + 2.0
    assert spent.window == "hour" and not spent.waiting
    first_refusal = WALL + started + 0.05 - 1_000
    assert spent.since_wall == pytest.approx(first_refusal)
    assert spent.back_by_wall == pytest.approx(first_refusal + BUDGET_HOUR_SECONDS)
    assert spent.day_back_by_wall == pytest.approx(first_refusal + BUDGET_DAY_SECONDS)
    for key in SHOP_A:  # no request of the shop is sent any more
        with pytest.raises(BudgetSpent):
            policy.reserve(key)


def test_given_one_shops_budget_spent_then_the_other_shop_is_not_paused_as_by_a_platform_wide_throttle():
    clock = Clock()
    policy = budget_policy(clock)
    with pytest.raises(BudgetSpent):
        refuse_shop_a(policy, clock, seconds=120.0)
    sent, end = 0, clock.now + 5.0
    while clock.now < end:
        clock.now += 0.05
        if policy.reserve(SHOP_B) == 0.0:
            sent += 1
            policy.succeeded(SHOP_B)
    assert sent == pytest.approx(100, abs=1)
    assert policy.settled(SHOP_B).throttled == 0


def test_given_the_other_shop_during_the_refusals_then_it_goes_on_at_its_pace():
    clock = Clock()
    policy = budget_policy(clock, wait_minutes=90)
    sent = refuse_shop_a(policy, clock, seconds=BUDGET_AFTER_SECONDS + 10.0)
    gaps = [later - earlier for earlier, later in zip(sent["b"], sent["b"][1:], strict=False)]
    assert max(gaps) <= 0.1, "shop B was paused while shop A was refused"


@pytest.mark.parametrize("seconds", [2.0, BUDGET_AFTER_SECONDS - 3.0])
def test_given_a_shop_refused_for_less_than_its_pauses_then_it_is_a_rate_and_the_shop_goes_on(seconds):
    clock = Clock()
    policy = budget_policy(clock)
    sent = refuse_shop_a(policy, clock, seconds=seconds + 30.0, refused_until=clock.now + seconds)
    assert sent["a"][-1] > clock.now - 1.0, "shop A did not go on once the refusals ended"


def test_given_a_wait_that_covers_the_hour_then_one_probe_a_minute_until_the_budget_is_back():
    clock = Clock()
    policy = budget_policy(clock, wait_minutes=61)
    back_at = clock.now + 600.0
    sent = refuse_shop_a(policy, clock, seconds=660.0, refused_until=back_at, step=0.25)
    found = next(when for when in sent["a"] if when >= 1_000 + BUDGET_AFTER_SECONDS)
    probes = [when for when in sent["a"] if found + 1.0 < when < back_at]
    gaps = [later - earlier for earlier, later in zip(probes, probes[1:], strict=False)]
    assert probes and min(gaps) >= BUDGET_PROBE_SECONDS
    after = [when for when in sent["a"] if when >= back_at]
    assert after[0] - back_at <= BUDGET_PROBE_SECONDS, "the budget's return was not noticed within a minute"
    assert len(after) > 100, "the shop did not go on at its rate once its budget was back"
    # The refusals of the budget said nothing of the quotas: they are found again from the initial rate.
    assert all(policy.settled(key).rate >= INITIAL_RATE for key in SHOP_A)
    assert not policy.waits_for_budget("shop-a")


def test_given_a_wait_shorter_than_the_hour_then_the_shop_is_not_waited_for():
    clock = Clock()
    policy = budget_policy(clock, wait_minutes=30)
    with pytest.raises(BudgetSpent):
        refuse_shop_a(policy, clock, seconds=120.0)


def test_given_still_refused_after_the_hour_then_it_is_the_day_and_a_wait_short_of_it_gives_up():
    clock = Clock()
    policy = budget_policy(clock, wait_minutes=120)
    with pytest.raises(BudgetSpent) as raised:
        refuse_shop_a(policy, clock, seconds=BUDGET_HOUR_SECONDS + 600.0, step=1.0)
    spent = raised.value.spent
    assert spent.window == "day"
    assert spent.back_by_wall == pytest.approx(spent.day_back_by_wall)
    assert 1_000 + BUDGET_HOUR_SECONDS <= clock.now <= 1_000 + BUDGET_HOUR_SECONDS + BUDGET_PROBE_SECONDS + 2.0


def test_given_the_day_spent_and_a_wait_that_covers_it_then_the_sync_waits_on():
    clock = Clock()
    policy = budget_policy(clock, wait_minutes=24 * 60 + 10)
    sent = refuse_shop_a(policy, clock, seconds=BUDGET_HOUR_SECONDS + 600.0, step=1.0)
    assert policy.waits_for_budget("shop-a")
    assert len(sent["a"]) < 120, "the shop was asked more than once a minute"


def test_given_no_wait_allowed_then_the_shop_is_not_waited_for_even_if_its_budget_should_be_back_already(
    monkeypatch,
):
    monkeypatch.setattr(rate, "BUDGET_HOUR_SECONDS", BUDGET_AFTER_SECONDS / 2)  # an hour shorter than the rule
    clock = Clock()
    policy = budget_policy(clock)
    with pytest.raises(BudgetSpent):
        refuse_shop_a(policy, clock, seconds=120.0)
