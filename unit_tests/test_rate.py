"""The adaptive rate policy on a fake clock: increase, cut, Retry-After, platform throttle, ceiling."""

import pytest
import requests

from source_tiktok_shop.tiktok.rate import (
    FIRST_CUT,
    INITIAL_RATE,
    PLATFORM_KEYS,
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
