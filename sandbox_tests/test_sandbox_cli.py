from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time

from .tts_client import Client


def test_cli_lines_credentials_file_and_sigterm(tmp_path):
    creds_file = tmp_path / "creds.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tiktok_shop_sandbox",
            "--port",
            "0",
            "--orders",
            "30",
            "--shops",
            "1",
            "--seed",
            "5",
            "--credentials-file",
            str(creds_file),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=os.path.dirname(os.path.dirname(__file__)),
    )
    try:
        line1 = proc.stdout.readline().strip()
        line2 = proc.stdout.readline().strip()
        assert line1.startswith("listening on http://127.0.0.1:"), line1
        base = line1.split(" ", 2)[2]
        creds = json.loads(line2)
        assert set(creds) == {"app_key", "app_secret", "auth_code", "refresh_token"}
        assert json.loads(creds_file.read_text()) == creds
        c = Client(base, creds["app_key"], creds["app_secret"])
        c.access_token = c.exchange(creds["auth_code"])["access_token"]
        r = c.call("GET", "/authorization/202309/shops")
        assert r["code"] == 0 and len(r["data"]["shops"]) == 1
        assert c.token_refresh(creds["refresh_token"])["code"] == 0
        proc.send_signal(signal.SIGTERM)
        t = time.monotonic()
        assert proc.wait(timeout=10) == 0
        assert time.monotonic() - t < 5
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def sandbox_cli(*flags: str):
    """The CLI in a process of its own: (base URL, credentials); killed if the test did not stop it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tiktok_shop_sandbox", *flags], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("listening on "), line
        yield proc, line.split()[-1], json.loads(proc.stdout.readline())
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_cli_sigint_and_flags(tmp_path):
    flags = ("--orders", "5", "--latency-ms", "1", "--qps-per-shop", "50", "--fault-rate", "0.1", "--fault-kinds",
             "internal,timeout", "--token-ttl-s", "60", "--start", "2025-02-01", "--end", "2025-02-28")  # fmt: skip
    with sandbox_cli(*flags) as (proc, _base, creds):
        assert creds["app_key"]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0


def test_cli_rejects_bad_fault_kind():
    r = subprocess.run(
        [sys.executable, "-m", "tiktok_shop_sandbox", "--fault-kinds", "meteor"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert r.returncode == 2 and "meteor" in r.stderr


def test_cli_empty_body_signing_version_unavailable_in_and_today():
    flags = ("--orders", "30", "--empty-body-signing", "signed", "--today", "2026-08-14",
             "--version-unavailable-in", "202602=GB", "--version-unavailable-in", "202605=GB,US")  # fmt: skip
    with sandbox_cli(*flags) as (proc, base, creds):
        c = Client(base, creds["app_key"], creds["app_secret"], empty_body_signing="signed")
        c.access_token = c.exchange(creds["auth_code"])["access_token"]
        us, gb = c.call("GET", "/authorization/202309/shops")["data"]["shops"]
        coupons = "/promotion/202406/coupons/search"
        assert c.call("POST", coupons, {"page_size": 5}, {}, shop_cipher=us["cipher"])["code"] == 0
        assert c.call("POST", coupons, {"page_size": 5}, {}, shop_cipher=us["cipher"], sign_body=b"")["code"] == 106001
        returns = "/return_refund/202602/returns/search"
        assert c.call("POST", returns, {}, {}, shop_cipher=gb["cipher"])["code"] == 36009014
        assert c.call("POST", returns, {}, {}, shop_cipher=us["cipher"])["code"] == 0
        for shop in (us, gb):
            query = {"sort_field": "create_time"}
            assert c.call("GET", "/finance/202605/payments", query, shop_cipher=shop["cipher"])["code"] == 36009014
            # the day before TikTok retired it, payments 202309 is served
            assert c.call("GET", "/finance/202309/payments", query, shop_cipher=shop["cipher"])["code"] == 0
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_cli_rejects_bad_version_flags():
    bad = ("202602", "202602=XX", "209901=GB")
    for flag in (*(f"--version-unavailable-in={value}" for value in bad), "--today=2026-02-30"):
        r = subprocess.run(
            [sys.executable, "-m", "tiktok_shop_sandbox", flag],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert r.returncode == 2, flag


def test_cli_budgets_permanent_failures_overstated_counts_and_slow_bodies():
    flags = ("--orders", "10", "--shops", "1", "--requests-per-hour", "4", "--quota-window-s", "60",
             "--fail-always", "/finance/", "--overstate-total-count", "/orders/search=3", "--slow-body-s", "0.3",
             "--fault-rate", "1", "--fault-kinds", "slow_body")  # fmt: skip
    with sandbox_cli(*flags) as (proc, base, creds):
        c = Client(base, creds["app_key"], creds["app_secret"])
        c.access_token = c.exchange(creds["auth_code"])["access_token"]
        (shop,) = c.call("GET", "/authorization/202309/shops")["data"]["shops"]
        cipher = shop["cipher"]
        t0 = time.monotonic()
        page = c.call("POST", "/order/202309/orders/search", {"page_size": 50}, {}, shop_cipher=cipher)["data"]
        assert time.monotonic() - t0 >= 0.25  # a slow body, whole in the end
        assert page["total_count"] == len(page["orders"]) + 3
        statements = c.request("GET", "/finance/202309/statements", {"page_size": 5, "sort_field": "statement_time"},
                               shop_cipher=cipher)  # fmt: skip
        assert statements.status_code == 500
        codes = [c.request("GET", "/logistics/202309/warehouses", shop_cipher=cipher).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]  # orders and three warehouses: the failed finance call did not count
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
