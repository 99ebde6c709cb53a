"""Request budgets per app x shop over an hour and a day (--requests-per-hour, --requests-per-day)."""

from __future__ import annotations

import time

import pytest

from tiktok_shop_sandbox import Sandbox
from tiktok_shop_sandbox.__main__ import build_parser, main

from .tts_client import Client

ORDERS = "/order/202309/orders/search"
SHOPS = "/authorization/202309/shops"


@pytest.fixture
def sbx(box):
    s, c = box
    yield s, c
    s.set_budgets()
    s.set_qps_per_shop(None)


def search(c, cipher):
    r = c.request("POST", ORDERS, {"page_size": 1}, {}, shop_cipher=cipher)
    return r.status_code, r.json()["code"], r.json()["message"]


def qps_refusal(s, c, cipher):
    """How the sandbox answers a request over the QPS limit: what a spent budget must look like."""
    s.set_qps_per_shop(0.001)
    try:
        answers = {search(c, cipher) for _ in range(2)}
    finally:
        s.set_qps_per_shop(None)
    refused = [a for a in answers if a[0] != 200]
    assert len(refused) == 1, answers
    return refused[0]


def test_an_hourly_budget_refuses_as_the_rate_limit_does_until_its_window_resets(sbx):
    s, c = sbx
    shop0, shop1 = s.shops[0], s.shops[1]
    refusal = qps_refusal(s, c, shop0["cipher"])
    assert refusal[:2] == (429, 36009002)
    s.set_budgets(requests_per_hour=5, quota_window_s=1.5)
    answers = [search(c, shop0["cipher"]) for _ in range(8)]
    assert [a[0] for a in answers] == [200] * 5 + [429] * 3
    assert set(answers[5:]) == {refusal}
    # another shop of the same app has a budget of its own
    assert search(c, shop1["cipher"])[0] == 200
    status = s.budget(shop0["id"])
    assert status["day"] is None
    hour = status["hour"]
    assert (hour["limit"], hour["used"], hour["remaining"], hour["window_s"]) == (5, 5, 0, 1.5)
    assert 0 < hour["resets_in_s"] <= 1.5
    assert status["back_in_s"] == pytest.approx(hour["resets_in_s"], abs=0.05)
    assert abs(status["back_at"] - (time.time() + status["back_in_s"])) < 0.05
    assert s.budget(shop1["id"])["hour"]["used"] == 1
    time.sleep(status["back_in_s"] + 0.05)
    assert s.budget(shop0["id"])["hour"]["used"] == 0
    assert [search(c, shop0["cipher"])[0] for _ in range(6)] == [200] * 5 + [429]


def test_refused_requests_do_not_count_and_other_apis_of_the_shop_share_the_budget(sbx):
    s, c = sbx
    cipher, shop_id = s.shops[0]["cipher"], s.shops[0]["id"]
    s.set_budgets(requests_per_hour=3, quota_window_s=1.0)
    assert [search(c, cipher)[0] for _ in range(2)] == [200, 200]
    warehouses = c.request("GET", "/logistics/202309/warehouses", {}, None, shop_cipher=cipher)
    assert warehouses.status_code == 200  # the third request of the shop, another API
    assert search(c, cipher)[0] == 429
    for _ in range(10):
        search(c, cipher)
    assert s.budget(shop_id)["hour"]["used"] == 3
    time.sleep(s.budget(shop_id)["back_in_s"] + 0.05)
    assert search(c, cipher)[0] == 200
    assert s.budget(shop_id)["hour"]["used"] == 1  # the refused ones were not carried over


def test_a_daily_budget_outlasts_the_hourly_windows(sbx):
    s, c = sbx
    cipher, shop_id = s.shops[0]["cipher"], s.shops[0]["id"]
    s.set_budgets(requests_per_hour=3, requests_per_day=5, quota_window_s=0.5, quota_day_s=3.0)
    assert [search(c, cipher)[0] for _ in range(4)] == [200, 200, 200, 429]
    status = s.budget(shop_id)
    assert status["back_in_s"] == pytest.approx(status["hour"]["resets_in_s"], abs=0.05)
    time.sleep(status["back_in_s"] + 0.05)
    assert [search(c, cipher)[0] for _ in range(3)] == [200, 200, 429]  # the day's 5 are spent
    status = s.budget(shop_id)
    assert (status["day"]["used"], status["day"]["remaining"], status["hour"]["used"]) == (5, 0, 2)
    # the hour resets first, the shop stays refused until the day does
    assert status["back_in_s"] == pytest.approx(status["day"]["resets_in_s"], abs=0.05)
    assert status["back_in_s"] > status["hour"]["resets_in_s"]
    time.sleep(status["hour"]["resets_in_s"] + 0.05)
    assert search(c, cipher)[0] == 429
    assert s.budget(shop_id)["hour"]["used"] == 0


def test_shopless_calls_have_one_budget_per_app(sbx):
    s, c = sbx
    s.set_budgets(requests_per_day=2, quota_day_s=60)
    codes = [c.request("GET", SHOPS).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert s.budget()["day"]["used"] == 2
    assert search(c, s.shops[0]["cipher"])[0] == 200


def test_the_budgets_are_options_of_the_sandbox_and_its_command_line():
    with Sandbox(orders=5, shops=1, requests_per_hour=2, quota_window_s=30) as s:
        c = Client.for_sandbox(s)
        cipher = s.shops[0]["cipher"]
        assert [search(c, cipher)[0] for _ in range(3)] == [200, 200, 429]
        assert 25 < s.budget(s.shops[0]["id"])["back_in_s"] <= 30
    args = build_parser().parse_args(
        ["--requests-per-hour", "1000", "--requests-per-day", "5000", "--quota-window-s", "2", "--quota-day-s", "9"]
    )
    assert (args.requests_per_hour, args.requests_per_day, args.quota_window_s, args.quota_day_s) == (
        1000,
        5000,
        2.0,
        9.0,
    )
    defaults = build_parser().parse_args([])
    assert (defaults.requests_per_hour, defaults.requests_per_day) == (None, None)
    assert (defaults.quota_window_s, defaults.quota_day_s) == (3600.0, 86400.0)


@pytest.mark.parametrize(
    "kw",
    [{"requests_per_hour": 0}, {"requests_per_day": -1}, {"requests_per_hour": 1.5}, {"quota_window_s": 0}],
)
def test_bad_budgets_are_refused(kw):
    with pytest.raises(ValueError):
        Sandbox(orders=1, shops=1, **kw)


def test_the_cli_refuses_a_bad_budget(capsys):
    assert main(["--shops", "1", "--orders", "1", "--requests-per-hour", "0"]) == 2
    assert "requests_per_hour" in capsys.readouterr().err
