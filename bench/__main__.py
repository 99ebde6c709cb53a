"""`make bench`: the connector's throughput, latency-bound speed, memory and request count.

Every figure is a ratio against a baseline measured in the same run, on this machine; nothing here
is a pass/fail test. The sandbox runs in this process, the connector and the baseline in their own,
so each has a core of its own on a 2-core machine.
"""

import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from integration_tests.harness import config_for
from source_tiktok_shop.config import DEFAULT_NUM_WORKERS
from source_tiktok_shop.tiktok.signing import sign
from tiktok_shop_sandbox import Sandbox

ROOT = Path(__file__).resolve().parent.parent
CONNECTOR = str(Path(sys.executable).parent / "source-tiktok-shop")
# Benchmark 2 reads these streams; order_line_items and skus are rows of the orders and products pages.
LATENCY_STREAMS = ["orders", "order_line_items", "products", "skus", "returns", "cancellations", "packages",
                   "statements", "payments", "withdrawals"]  # fmt: skip
# The endpoints behind them, by the sandbox resource each pages through, at its largest page size.
PAGE_SIZES = {"orders": 100, "products": 100, "returns": 50, "cancellations": 50, "packages": 50,
              "statements": 100, "payments": 100, "withdrawals": 100}  # fmt: skip


def catalog(streams: list[str]) -> dict[str, Any]:
    return {
        "streams": [
            {
                "stream": {"name": name, "json_schema": {}, "supported_sync_modes": ["full_refresh", "incremental"]},
                "sync_mode": "incremental",
                "destination_sync_mode": "append",
            }
            for name in streams
        ]
    }


def timed(command: list[str], folder: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of a command whose output goes to /dev/null."""
    start = time.monotonic()
    with open(os.devnull, "w") as devnull:
        process = subprocess.Popen(command, stdout=devnull, cwd=folder, env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{command[:2]} failed")
    return time.monotonic() - start, usage.ru_maxrss // 1024


def read_connector(sandbox: Any, streams: list[str], folder: Path, **extra: Any) -> tuple[float, int]:
    (folder / "config.json").write_text(json.dumps({**config_for(sandbox), **extra}))
    (folder / "catalog.json").write_text(json.dumps(catalog(streams)))
    return timed([CONNECTOR, "read", "--config", "config.json", "--catalog", "catalog.json"], folder)


class SandboxProcess:
    """The sandbox in a process of its own, so this process stays small and its data is not
    counted in a child's peak RSS (a forked child starts as a copy of its parent)."""

    def __init__(self, *flags: str):
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tiktok_shop_sandbox", "--port", "0", *flags], stdout=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        self.base_url = self._process.stdout.readline().split()[-1]
        self.credentials = json.loads(self._process.stdout.readline())

    def new_auth_code(self) -> str:
        code = self.credentials.pop("auth_code", None)
        if code is None:
            sys.exit("the sandbox process gives one auth code; start another for another exchange")
        return code

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=30)


def throughput(orders: int, folder: Path) -> dict[str, Any]:
    results = {}
    for reader in ("baseline", "connector"):
        sandbox = SandboxProcess("--seed", "1", "--shops", "1", "--orders", str(orders))
        try:
            if reader == "baseline":
                credentials = sandbox.credentials
                command = [sys.executable, str(ROOT / "bench" / "baseline.py"), sandbox.base_url,
                           credentials["app_key"], credentials["app_secret"], sandbox.new_auth_code()]  # fmt: skip
                results[reader] = timed(command, folder)
            else:
                # This sandbox has no quota to stay under, so the per-shop pace is lifted.
                results[reader] = read_connector(sandbox, ["orders"], folder, requests_per_second_per_shop=100_000)
        finally:
            sandbox.stop()
    (baseline_s, baseline_rss), (connector_s, connector_rss) = results["baseline"], results["connector"]
    return {
        "orders": orders,
        "connector_records_per_s": round(orders / connector_s),
        "baseline_records_per_s": round(orders / baseline_s),
        "ratio": round(baseline_s / connector_s, 2),
        "connector_peak_rss_mib": connector_rss,
        "baseline_peak_rss_mib": baseline_rss,
    }


NEXT_PAGE_TOKEN = re.compile(rb'"next_page_token":"([^"]*)"')


def sandbox_serving_rate(orders: int) -> float:
    """Search Orders pages per second the sandbox serves to a client that does nothing but ask.

    The client reads only the next page token out of each raw body, so the figure is the sandbox's.
    """
    sandbox = SandboxProcess("--seed", "1", "--shops", "1", "--orders", str(orders))
    try:
        credentials = sandbox.credentials
        session = requests.Session()
        token = session.get(
            f"{sandbox.base_url}/api/v2/token/get",
            params={"app_key": credentials["app_key"], "app_secret": credentials["app_secret"],
                    "auth_code": sandbox.new_auth_code(), "grant_type": "authorized_code"},
            timeout=60,
        ).json()["data"]["access_token"]  # fmt: skip
        session.headers.update({"x-tts-access-token": token, "content-type": "application/json"})
        path, body = "/order/202309/orders/search", "{}"
        cipher = session.get(
            f"{sandbox.base_url}/authorization/202309/shops",
            params=signed(credentials, "/authorization/202309/shops", {}),
        ).json()["data"]["shops"][0]["cipher"]
        pages, page_token, start = 0, b"", time.monotonic()
        while True:
            query = {"shop_cipher": cipher, "page_size": "100", "sort_field": "update_time", "sort_order": "ASC"}
            if page_token:
                query["page_token"] = page_token.decode()
            # an empty body is left out of the signature (TikTok's SDK; the sandbox's default reading)
            raw = session.post(sandbox.base_url + path, params=signed(credentials, path, query), data=body).content
            pages += 1
            match = NEXT_PAGE_TOKEN.search(raw)
            page_token = match.group(1) if match else b""
            if not page_token:
                return pages / (time.monotonic() - start)
    finally:
        sandbox.stop()


def signed(credentials: dict[str, str], path: str, query: dict[str, str], body: str | None = None) -> dict[str, str]:
    query = {**query, "app_key": credentials["app_key"], "timestamp": str(int(time.time()))}
    return {**query, "sign": sign(credentials["app_secret"], path, query, body)}


def minimum_requests(sandbox: Sandbox) -> dict[str, int]:
    """Requests per shop that no reader of these streams can avoid: full pages of the largest size."""
    needed: dict[str, int] = {}
    for shop in sandbox.shops:
        shop_id = str(shop["id"])
        needed[shop_id] = sum(
            max(1, math.ceil(len(sandbox.records(resource)[shop_id]) / size)) for resource, size in PAGE_SIZES.items()
        )
    return needed


def latency_bound(folder: Path, workers: int) -> dict[str, Any]:
    qps = 10
    with Sandbox(seed=2, shops=4, orders=2000, latency_ms=100, qps_per_shop=qps) as sandbox:
        needed = minimum_requests(sandbox)
        sandbox.clear_requests()
        seconds, _ = read_connector(
            sandbox, LATENCY_STREAMS, folder, num_workers=workers, requests_per_second_per_shop=qps
        )
        made = [entry for entry in sandbox.requests if not entry["path"].startswith("/api/v2/token")]
    ideal = max(needed.values()) / qps
    refused = sum(1 for entry in made if entry["status"] == 429)
    return {
        "workers": workers,
        "seconds": round(seconds, 1),
        "ideal_seconds": round(ideal, 1),
        "wall_over_ideal": round(seconds / ideal, 2),
        "requests_made": len(made),
        "requests_minimum": sum(needed.values()) + 1,  # + the one shop listing
        "requests_refused_429": refused,
    }


def main() -> None:
    started = time.monotonic()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        small = throughput(20_000, folder)
        report("1. throughput, 1 shop, 20,000 orders, no latency", small, "ratio", ">= 0.75", small["ratio"] >= 0.75)
        served = sandbox_serving_rate(20_000)
        consumed = small["connector_records_per_s"] / 100
        headroom = round(served / consumed, 2)
        report(
            "0. the sandbox's own rate: order pages served per second vs pages the connector consumed in 1.",
            {"sandbox_pages_per_s": round(served, 1), "connector_pages_per_s": round(consumed, 1), "ratio": headroom},
            "ratio", ">= 3 (several times)", headroom >= 3,
        )  # fmt: skip
        large = throughput(100_000, folder)
        rss_ratio = round(large["connector_peak_rss_mib"] / small["connector_peak_rss_mib"], 2)
        report(
            "3. memory, peak RSS at 100,000 vs 20,000 orders",
            {"rss_20k_mib": small["connector_peak_rss_mib"], "rss_100k_mib": large["connector_peak_rss_mib"], "ratio": rss_ratio},
            "ratio", "<= 1.15", rss_ratio <= 1.15,
        )  # fmt: skip
        parallel = latency_bound(folder, workers=DEFAULT_NUM_WORKERS)
        report("2. latency-bound, 4 shops x 2,000 orders, 100 ms, 10 QPS/shop, parallel", parallel,
               "wall_over_ideal", "<= 1.3", parallel["wall_over_ideal"] <= 1.3)  # fmt: skip
        sequential = latency_bound(folder, workers=1)
        report("2. the same, read sequentially (1 worker)", sequential, "wall_over_ideal", "about 4 or worse", True)
        ratio = round(parallel["requests_made"] / parallel["requests_minimum"], 3)
        report("4. requests made / minimum needed (benchmark 2)", {"ratio": ratio}, "ratio", "= 1.0", ratio <= 1.0)
    print(f"total {time.monotonic() - started:.0f} s")


def report(title: str, figures: dict[str, Any], key: str, goal: str, met: bool) -> None:
    print(
        f"\n{title}\n  {json.dumps(figures)}\n  {key} {figures[key]} (goal {goal}): {'met' if met else 'NOT met'}",
        flush=True,
    )


if __name__ == "__main__":
    main()
