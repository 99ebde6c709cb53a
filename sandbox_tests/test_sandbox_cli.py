from __future__ import annotations

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


def test_cli_sigint_and_flags(tmp_path):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tiktok_shop_sandbox",
            "--orders",
            "5",
            "--latency-ms",
            "1",
            "--qps-per-shop",
            "50",
            "--fault-rate",
            "0.1",
            "--fault-kinds",
            "internal,timeout",
            "--token-ttl-s",
            "60",
            "--start",
            "2025-02-01",
            "--end",
            "2025-02-28",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().startswith("listening on ")
        creds = json.loads(proc.stdout.readline())
        assert creds["app_key"]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_cli_rejects_bad_fault_kind():
    r = subprocess.run(
        [sys.executable, "-m", "tiktok_shop_sandbox", "--fault-kinds", "meteor"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert r.returncode == 2 and "meteor" in r.stderr
