"""`make bench`: the connector's throughput, speed under TikTok's quotas, memory and request count.

Every figure is a ratio against a baseline measured in the same run, on this machine, start-up included; nothing
here is a pass/fail test. The connector runs in a process of its own, the plain loops it is compared with
(bench/baseline.py) in this one. `python -m bench [FIGURE ...] [--runs N]` measures some of the figures, or all of
them N times for their spread.
"""

import argparse
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import requests
from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer

from bench import baseline
from integration_tests.harness import STREAM_NAMES, config_for, token_config
from integration_tests.harness import every_stream as every_stream_catalog
from integration_tests.truth import by_key, expected_rows, without_snapshot_time
from source_tiktok_shop.catalog import STREAMS, STREAMS_BY_NAME
from source_tiktok_shop.config import DEFAULT_NUM_WORKERS
from source_tiktok_shop.tiktok.signing import sign
from tiktok_shop_sandbox import KINDS, Sandbox

ROOT = Path(__file__).resolve().parent.parent
CONNECTOR = str(Path(sys.executable).parent / "source-tiktok-shop")
# Benchmark 2 reads these streams; order_line_items, skus and affiliate_order_skus are rows of the orders, products
# and affiliate orders pages.
LATENCY_STREAMS = ["orders", "order_line_items", "products", "skus", "returns", "cancellations", "packages",
                   "statements", "payments", "withdrawals", "unsettled_transactions", "affiliate_orders",
                   "affiliate_order_skus", "open_collaborations", "target_collaborations",
                   "sample_applications"]  # fmt: skip
# The endpoints behind them, by the sandbox resource each pages through, at its largest page size.
PAGE_SIZES = {"orders": 100, "products": 100, "returns": 50, "cancellations": 50, "packages": 50,
              "statements": 100, "payments": 100, "withdrawals": 100, "unsettled_transactions": 100,
              "affiliate_orders": 100, "open_collaborations": 100, "target_collaborations": 100,
              "sample_applications": 50}  # fmt: skip
# What a page counts, where it is not the records: affiliate orders' pages count their SKU orders.
PAGED_ITEMS = {"affiliate_orders": "skus"}
# Records asked for by a query of their own besides (deleted products): its pages count too, one at least.
ASKED_SEPARATELY = {"products": ("status", "DELETED")}


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


def timed(command: list[str], folder: Path, output: Path | None = None) -> tuple[float, int]:
    """Wall seconds (process start-up included) and peak RSS (MiB) of a command whose output goes to
    `output`, or /dev/null."""
    start = time.monotonic()
    with open(output or os.devnull, "w") as out:
        process = subprocess.Popen(command, stdout=out, cwd=folder, env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{command[:2]} failed")
    return time.monotonic() - start, usage.ru_maxrss // 1024


def read_connector(
    sandbox: Any,
    streams: list[str],
    folder: Path,
    output: Path | None = None,
    config: dict[str, Any] | None = None,
    **extra: Any,
) -> tuple[float, int]:
    (folder / "config.json").write_text(json.dumps({**(config or config_for(sandbox)), **extra}))
    (folder / "catalog.json").write_text(json.dumps(catalog(streams)))
    return timed([CONNECTOR, "read", "--config", "config.json", "--catalog", "catalog.json"], folder, output)


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
    """The connector's read of one shop's orders against the plain loop's, in this process, over the same data."""
    results = {}
    for reader in ("baseline", "connector"):
        sandbox = SandboxProcess("--seed", "1", "--shops", "1", "--orders", str(orders))
        try:
            if reader == "baseline":
                credentials = sandbox.credentials
                start = time.monotonic()
                with open(os.devnull, "w") as out:
                    baseline.read_orders(sandbox.base_url, credentials["app_key"], credentials["app_secret"],
                                         sandbox.new_auth_code(), out)  # fmt: skip
                results[reader] = (time.monotonic() - start, 0)
            else:  # the default config: the rate is the connector's to find
                results[reader] = read_connector(sandbox, ["orders"], folder)
        finally:
            sandbox.stop()
    (baseline_s, _), (connector_s, connector_rss) = results["baseline"], results["connector"]
    return {
        "orders": orders,
        "connector_s": round(connector_s, 2),
        "baseline_s": round(baseline_s, 2),
        "connector_records_per_s": round(orders / connector_s),
        "baseline_records_per_s": round(orders / baseline_s),
        "ratio": round(baseline_s / connector_s, 2),
        "connector_peak_rss_mib": connector_rss,
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
        # The resources are named as their streams; a stream TikTok does not offer in the shop's market is not read.
        offered = {
            name: size
            for name, size in PAGE_SIZES.items()
            if shop["region"] not in STREAMS_BY_NAME[name].unavailable_in
        }
        needed[shop_id] = sum(
            max(1, math.ceil(paged(sandbox.records(resource)[shop_id], PAGED_ITEMS.get(resource)) / size))
            for resource, size in offered.items()
        ) + sum(
            max(1, math.ceil(sum(1 for row in sandbox.records(resource)[shop_id] if row[field] == value) / size))
            for resource, (field, value) in ASKED_SEPARATELY.items()
            for size in (PAGE_SIZES[resource],)
        )
    return needed


def paged(records: list[dict[str, Any]], items: str | None) -> int:
    return sum(len(record[items]) for record in records) if items else len(records)


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


ORDERS_PER_PAGE = 100


def fixed_cost(folder: Path, runs: int = 3) -> dict[str, Any]:
    """A read that costs one request (the `shops` stream: the shop list) against the bare import of the CDK's
    entrypoint, each the best of `runs`: what the connector adds to starting up."""
    imported = min(timed([sys.executable, "-c", "import airbyte_cdk.entrypoint"], folder)[0] for _ in range(runs))
    with Sandbox(seed=4, shops=1, orders=10) as sandbox:
        reads = []
        for _ in range(runs):
            sandbox.clear_requests()
            reads.append(read_connector(sandbox, ["shops"], folder, config=token_config(sandbox))[0])
            requests_made = len(sandbox.requests)
    read = min(reads)
    return {
        "one_request_read_s": round(read, 2),
        "import_airbyte_cdk_entrypoint_s": round(imported, 2),
        "requests": requests_made,
        "fixed_cost_s": round(read - imported, 2),
    }


def quota_bound(
    folder: Path,
    shops: int,
    orders: int,
    qps: float,
    workers: int = DEFAULT_NUM_WORKERS,
    throttle_for: float = 0.0,
    baseline_loop: bool = False,
) -> dict[str, Any]:
    """`orders` read under a quota of `qps` per shop at 100 ms latency, against the ideal (the pages of the largest
    shop at `qps`) and, with `baseline_loop`, the plain loop reading the shops side by side in this process;
    optionally a platform-wide throttle of `throttle_for` seconds half way through the ideal time."""
    with Sandbox(seed=3, shops=shops, orders=orders, latency_ms=100, qps_per_shop=qps) as sandbox:
        sandbox.prerender()
        pages = max(math.ceil(len(rows) / ORDERS_PER_PAGE) for rows in sandbox.records("orders").values())
        ideal = pages / qps
        figures: dict[str, Any] = {"shops": shops, "orders_per_shop": orders, "qps_per_shop": qps, "workers": workers}
        if baseline_loop:
            credentials = sandbox.credentials
            start = time.monotonic()
            with open(os.devnull, "w") as out:
                baseline.read_orders(sandbox.base_url, credentials["app_key"], credentials["app_secret"],
                                     sandbox.new_auth_code(), out, parallel=True)  # fmt: skip
            figures["baseline_s"] = round(time.monotonic() - start, 2)
            time.sleep(1.5)  # the quota's buckets fill up again
            sandbox.clear_requests()
        if throttle_for:
            sandbox.throttle_all(after_s=ideal / 2, for_s=throttle_for)
        output = folder / "records.jsonl" if throttle_for else None
        seconds, _ = read_connector(sandbox, ["orders"], folder, output, num_workers=workers)
        made = [entry for entry in sandbox.requests if not entry["path"].startswith("/api/v2/token")]
        refused = sum(1 for entry in made if entry["status"] == 429)
        figures.update({
            "seconds": round(seconds, 2), "ideal_seconds": round(ideal + throttle_for, 1),
            "wall_over_ideal": round(seconds / (ideal + throttle_for), 2),
            "requests": len(made), "throttled_429": refused, "throttled_share": round(refused / len(made), 3),
        })  # fmt: skip
        if baseline_loop:
            figures["connector_over_baseline"] = round(seconds / figures["baseline_s"], 2)
        if output is not None:
            read = [json.loads(line)["record"]["data"] for line in output.open() if '"RECORD"' in line]
            figures["records_equal_ground_truth"] = by_key("orders", read) == by_key(
                "orders", expected_rows(sandbox, "orders")
            ) and len(read) == len(by_key("orders", read))
    return figures


# TikTok's quota unit is the shop and the API: its path, less the version and the ids in it.
API_OF_PATH = [(re.compile(r"/\d{10,}(?=/|$)"), "/{id}"), (re.compile(r"^(/[a-z_]+)/\d{6}(?=/)"), r"\1/{version}")]


def api_of(path: str) -> str:
    for pattern, replacement in API_OF_PATH:
        path = pattern.sub(replacement, path)
    return path


def every_stream(folder: Path, qps: float = 5) -> dict[str, Any]:
    """Every stream of 4 shops under a quota of `qps` per shop x endpoint at 100 ms latency: wall / ideal, the ideal
    being the busiest (shop, endpoint)'s requests, from the sandbox's request log, at `qps`."""
    with Sandbox(seed=5, shops=4, orders=1_500, latency_ms=100, qps_per_endpoint=qps) as sandbox:
        sandbox.prerender()
        seconds, _ = read_connector(sandbox, [declaration.name for declaration in STREAMS], folder)
        made = [entry for entry in sandbox.requests if entry["shop_cipher"]]
        refused = sum(1 for entry in made if entry["status"] == 429)
        answered = Counter((entry["shop_cipher"], api_of(entry["path"])) for entry in made if entry["status"] != 429)
    (_, busiest), most = answered.most_common(1)[0]
    ideal = most / qps
    return {
        "seconds": round(seconds, 2), "busiest_endpoint": busiest, "busiest_requests": most,
        "ideal_seconds": round(ideal, 1), "wall_over_ideal": round(seconds / ideal, 2),
        "requests": len(made), "throttled_429": refused, "throttled_share": round(refused / len(made), 3),
    }  # fmt: skip


# Benchmark H (issue #21): a full read of 2 shops, every stream, on a small world (three weeks of analytics kept), clean and with a
# share of calls given a random fault of every kind a server can answer with (expired tokens have their own tests:
# a token expires once). A hung call holds its answer back for a minute, as a stuck server would.
FAULTY_WORLD = {"shops": 2, "orders": 120, "start": "2025-01-01", "end": "2025-03-31", "analytics_retention_days": 21}
HUNG_CALL_SECONDS = 60.0
EXPIRED_TOKEN = "expired_token"


def faulty_read(folder: Path, fault_rate: float) -> dict[str, Any]:
    """Seconds of a full read of every stream with `fault_rate` of the calls faulted, and whether its records are
    exactly the ground truth (every stream, nothing lost, nothing doubled)."""
    kinds = [kind for kind in KINDS if kind != EXPIRED_TOKEN]
    with Sandbox(seed=21, fault_rate=fault_rate, fault_kinds=kinds, **FAULTY_WORLD) as sandbox:
        sandbox.timeout_fault_s = HUNG_CALL_SECONDS
        (folder / "config.json").write_text(json.dumps(config_for(sandbox)))
        (folder / "catalog.json").write_text(
            json.dumps(ConfiguredAirbyteCatalogSerializer.dump(every_stream_catalog()))
        )
        output = folder / "records.jsonl"
        command = [CONNECTOR, "read", "--config", "config.json", "--catalog", "catalog.json"]
        seconds, _ = timed(command, folder, output)
        faulted = sum(1 for entry in sandbox.requests if entry.get("fault"))
        read: dict[str, list[dict[str, Any]]] = {name: [] for name in STREAM_NAMES}
        for line in output.open():
            if '"RECORD"' in line:
                record = json.loads(line)["record"]
                read[record["stream"]].append(record["data"])
        # A snapshot's rows say when the sync took them, which the ground truth cannot know.
        taken = {name: without_snapshot_time(name, rows) for name, rows in read.items()}
        exact = all(
            len(by_key(name, rows)) == len(rows) and by_key(name, rows) == by_key(name, expected_rows(sandbox, name))
            for name, rows in taken.items()
        )
    return {"fault_rate": fault_rate, "seconds": round(seconds, 1), "faulted_calls": faulted, "exact": exact}


def under_faults(folder: Path) -> dict[str, dict[str, Any]]:
    """H20 and H5: the read with 20 % and 5 % of the calls faulted, each against the clean read of this run."""
    clean = faulty_read(folder, 0.0)
    measured = {}
    for rate, goal in ((0.2, 3.0), (0.05, 1.5)):
        faulty = faulty_read(folder, rate)
        figures = {**faulty, "clean_seconds": clean["seconds"], "ratio": round(faulty["seconds"] / clean["seconds"], 2)}
        met = figures["ratio"] <= goal and faulty["exact"] and clean["exact"]
        name = f"H{round(rate * 100)}"
        measured[name] = figures
        report(
            f"{name}. every stream of 2 shops with {rate:.0%} of calls faulted (every kind) / the clean read; "
            "records = ground truth",
            figures, "ratio", f"<= {goal}, nothing lost or doubled", met,
        )  # fmt: skip
    return measured


def run_once(folder: Path, chosen: set[str]) -> dict[str, dict[str, Any]]:
    figures: dict[str, dict[str, Any]] = {}

    def measure(name: str, title: str, figure: dict[str, Any], key: str, goal: str, met: bool) -> None:
        figures[name] = figure
        report(f"{name}. {title}", figure, key, goal, met)

    if "A" in chosen:
        small = throughput(20_000, folder)
        large = throughput(100_000, folder)
        measure("A", "throughput, default config, 1 shop x 100,000 orders, no quota, no latency: plain loop's "
                "time / connector's", large, "ratio", ">= 0.9", large["ratio"] >= 0.9)  # fmt: skip
        served = sandbox_serving_rate(20_000)
        consumed = large["connector_records_per_s"] / ORDERS_PER_PAGE
        headroom = {"sandbox_pages_per_s": round(served, 1), "connector_pages_per_s": round(consumed, 1),
                    "ratio": round(served / consumed, 2)}  # fmt: skip
        measure("A0", "the sandbox's own rate: order pages served per second vs pages the connector consumed in A",
                headroom, "ratio", ">= 3 (several times)", headroom["ratio"] >= 3)  # fmt: skip
        rss = {"rss_20k_mib": small["connector_peak_rss_mib"], "rss_100k_mib": large["connector_peak_rss_mib"],
               "ratio": round(large["connector_peak_rss_mib"] / small["connector_peak_rss_mib"], 2),
               "ratio_at_20k": small["ratio"]}  # fmt: skip
        measure("M", "memory, peak RSS at 100,000 vs 20,000 orders", rss, "ratio", "<= 1.15", rss["ratio"] <= 1.15)
    if "S" in chosen:
        cost = fixed_cost(folder)
        measure("S", "fixed cost: a one-request read less `python -c 'import airbyte_cdk.entrypoint'`", cost,
                "fixed_cost_s", "<= 0.1 s", cost["fixed_cost_s"] <= 0.1)  # fmt: skip
    # B to F run the sandbox in this process (for its quotas and its request log), after A: a forked child starts
    # with this process's memory.
    if "B" in chosen:
        tight = quota_bound(folder, shops=4, orders=3_000, qps=5, baseline_loop=True)
        measure("B", "tight quota: 4 shops x 3,000 orders, 100 ms, 5 QPS per shop: connector / plain parallel loop",
                tight, "connector_over_baseline", "<= 1.25", tight["connector_over_baseline"] <= 1.25)  # fmt: skip
    if "C" in chosen:
        backfill = quota_bound(folder, shops=1, orders=50_000, qps=50)
        measure("C", "backfill: 1 shop x 50,000 orders, 100 ms, 50 QPS per shop: connector / ideal (10 s)",
                backfill, "wall_over_ideal", "<= 1.3", backfill["wall_over_ideal"] <= 1.3)  # fmt: skip
        sequential = quota_bound(folder, shops=1, orders=50_000, qps=50, workers=1)
        measure("C1", "the same, read sequentially (num_workers 1)", sequential, "wall_over_ideal", "about 6", True)
    if "F" in chosen:
        every = every_stream(folder)
        measure("F", "every stream, 4 shops x 1,500 orders, 100 ms, 5 QPS per shop x endpoint: connector / ideal "
                "(the busiest shop x endpoint's requests / 5 QPS)", every, "wall_over_ideal", "<= 1.1",
                every["wall_over_ideal"] <= 1.1)  # fmt: skip
    shared = [figures[name] for name in ("B", "C", "F") if name in figures]
    if shared:
        share = round(sum(f["throttled_429"] for f in shared) / sum(f["requests"] for f in shared), 3)
        measure("D", "throttled share: 429s / all requests in B, C and F", {"share": share}, "share", "<= 0.05",
                share <= 0.05)  # fmt: skip
    if "E" in chosen:
        throttled = quota_bound(folder, shops=4, orders=3_000, qps=5, throttle_for=5.0)
        met = throttled["wall_over_ideal"] <= 1.5 and throttled["records_equal_ground_truth"]
        measure("E", "B with every call throttled for 5 s mid-sync: wall / (ideal + 5 s), records = ground truth",
                throttled, "wall_over_ideal", "<= 1.5, nothing lost or doubled", met)  # fmt: skip
    if "R" in chosen:
        parallel = latency_bound(folder, workers=DEFAULT_NUM_WORKERS)
        parallel["made_over_minimum"] = round(parallel["requests_made"] / parallel["requests_minimum"], 3)
        measure("R", "requests made / minimum needed: 4 shops x 2,000 orders, 16 list streams, 100 ms, 10 QPS per "
                "shop (ceiling 10)", parallel, "made_over_minimum", "= 1.0",
                parallel["made_over_minimum"] <= 1.0)  # fmt: skip
    if "H" in chosen:
        figures.update(under_faults(folder))
    return figures


FIGURES = ["A", "S", "B", "C", "F", "E", "R", "H"]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("figures", nargs="*", help=f"the figures to measure: {' '.join(FIGURES)} (default: all)")
    parser.add_argument("--runs", type=int, default=1, help="measure everything this many times, for the spread")
    args = parser.parse_args(argv)
    chosen = set(args.figures or FIGURES)
    if chosen - set(FIGURES):
        parser.error(f"no figure {' '.join(sorted(chosen - set(FIGURES)))}; the figures: {' '.join(FIGURES)}")
    started = time.monotonic()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    runs = []
    with tempfile.TemporaryDirectory() as name:
        for number in range(args.runs):
            print(f"\n== run {number + 1} of {args.runs}", flush=True)
            runs.append(run_once(Path(name), chosen))
    if args.runs > 1:
        print("\nspread over the runs:")
        for figure, key in SUMMARY.items():
            values = [run[figure][key] for run in runs if figure in run]
            if values:
                print(f"  {figure} {key}: {min(values)} to {max(values)} ({', '.join(map(str, values))})")
    print(f"total {time.monotonic() - started:.0f} s")


SUMMARY = {"A": "ratio", "S": "fixed_cost_s", "B": "connector_over_baseline", "C": "wall_over_ideal",
           "C1": "wall_over_ideal", "F": "wall_over_ideal", "D": "share", "E": "wall_over_ideal", "M": "ratio",
           "R": "made_over_minimum", "H20": "ratio", "H5": "ratio"}  # fmt: skip


def report(title: str, figures: dict[str, Any], key: str, goal: str, met: bool) -> None:
    print(
        f"\n{title}\n  {json.dumps(figures)}\n  {key} {figures[key]} (goal {goal}): {'met' if met else 'NOT met'}",
        flush=True,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
