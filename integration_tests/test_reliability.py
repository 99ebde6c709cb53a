"""Failure paths against the sandbox: faults, rate limits, a killed process, a missing scope."""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from airbyte_cdk.models import Status, SyncMode
from airbyte_cdk.sources.streams.http import rate_limiting

from integration_tests.harness import STREAM_NAMES, catalog_of, config_for, every_stream, run, token_config
from integration_tests.truth import SCOPES, by_key, expected_rows, key_of, without_snapshot_time
from tiktok_shop_sandbox import KINDS, Sandbox

SMALL = {"shops": 2, "orders": 60, "start": "2025-01-01", "end": "2025-02-15"}
# Three weeks of analytics: a hundred days read one request a day would make faults the whole test's length.
FAULTY = {**SMALL, "orders": 120, "end": "2025-03-31", "analytics_retention_days": 21}


def assert_exactly_the_ground_truth(sandbox, result, streams=STREAM_NAMES):
    assert not result.output.errors, [error.trace.error.message for error in result.output.errors]
    for stream in streams:
        rows = result.records(stream)
        keys = [key_of(stream, row) for row in rows]
        assert len(keys) == len(set(keys)), f"{stream}: duplicated records"
        assert by_key(stream, without_snapshot_time(stream, rows)) == by_key(stream, expected_rows(sandbox, stream)), (
            f"{stream}: records lost or changed"
        )


# Every kind of fault the sandbox can draw at random. An expired token is not a random event: a token
# expires once, and its refreshed successor is valid (TikTok answering 105002 to a fresh token twice in a
# row means the credentials are bad). Expiry has its own test below, with short-lived tokens. The lies of a
# server (truncated bodies, slow bodies, looping tokens, ...) are among them.
RANDOM_FAULTS = [kind for kind in KINDS if kind != "expired_token"]


def test_every_stream_is_exact_under_ten_percent_faults_of_every_kind():
    # A request the sandbox holds back for a minute is abandoned after a few seconds, from the latency learned.
    with Sandbox(seed=21, fault_rate=0.1, fault_kinds=RANDOM_FAULTS, **FAULTY) as sandbox:
        sandbox.timeout_fault_s = 60
        result = run("read", config_for(sandbox), every_stream())
        faults = [entry for entry in sandbox.requests if entry["status"] != 200 or entry["code"] not in (0, None)]
        assert_exactly_the_ground_truth(sandbox, result)
    assert len(faults) >= 10, "the sandbox injected too few faults for this test to mean anything"


def test_tokens_expiring_again_and_again_during_a_sync_lose_nothing():
    streams = ["orders", "order_line_items", "returns", "packages", "statements", "statement_transactions"]
    with Sandbox(seed=26, token_ttl_s=2, latency_ms=20, **SMALL) as sandbox:
        # Paced so that the sync outlives several tokens.
        config = {**config_for(sandbox), "requests_per_second_per_shop": 5}
        result = run("read", config, catalog_of({name: SyncMode.incremental for name in streams}))
        refreshes = [entry for entry in sandbox.requests if entry["path"] == "/api/v2/token/refresh"]
        assert_exactly_the_ground_truth(sandbox, result, streams)
    assert len(refreshes) >= 2, "the tokens did not expire during the sync; make it longer"
    assert len(result.control_configs) == len(refreshes) + 1  # the auth code exchange, then every rotation


STREAMS_UNDER_QUOTA = ["orders", "returns", "packages", "warehouses"]


@pytest.mark.parametrize(
    "pace, expect_429", [(3, False), (20, True)], ids=["paced under the quota", "bursting over the quota"]
)
def test_a_tight_per_shop_quota_loses_nothing(pace, expect_429):
    with Sandbox(seed=22, qps_per_shop=3, **SMALL) as sandbox:
        config = {**config_for(sandbox), "requests_per_second_per_shop": pace}
        result = run("read", config, catalog_of({name: SyncMode.full_refresh for name in STREAMS_UNDER_QUOTA}))
        refused = [entry for entry in sandbox.requests if entry["status"] == 429]
        assert_exactly_the_ground_truth(sandbox, result, STREAMS_UNDER_QUOTA)
    assert bool(refused) is expect_429


def test_a_tight_quota_per_shop_and_endpoint_is_found_without_a_ceiling():
    streams = ["orders", "returns", "packages"]
    with Sandbox(seed=27, qps_per_endpoint=4, latency_ms=20, shops=2, orders=900, end="2025-03-31") as sandbox:
        result = run("read", config_for(sandbox), catalog_of({name: SyncMode.incremental for name in streams}))
        made = [entry for entry in sandbox.requests if not entry["path"].startswith("/api/v2/token")]
        refused = [entry for entry in made if entry["status"] == 429]
        assert_exactly_the_ground_truth(sandbox, result, streams)
    assert refused, "the quota was never reached: the test says nothing"
    assert len(refused) <= 0.15 * len(made), f"{len(refused)} of {len(made)} requests throttled"
    assert result.output.is_in_logs(r"Rate: orders, shop \d+: orders_search settled at [\d.]+ requests/s")


def test_a_platform_wide_throttle_mid_sync_loses_nothing():
    streams = ["orders", "order_line_items", "returns", "packages"]
    with Sandbox(seed=28, latency_ms=50, **{**SMALL, "orders": 300}) as sandbox:
        sandbox.throttle_all(after_s=0.2, for_s=2.0)
        result = run("read", config_for(sandbox), catalog_of({name: SyncMode.incremental for name in streams}))
        refused = [entry for entry in sandbox.requests if entry["status"] == 429]
        assert_exactly_the_ground_truth(sandbox, result, streams)
    assert refused, "the throttle did not land during the sync"


@pytest.mark.parametrize("scope", ["seller.finance.info", "seller.affiliate_collaboration.read"])
def test_a_missing_scope_skips_only_its_streams_with_one_warning_each(scope):
    skipped = set(SCOPES[scope])
    with Sandbox(seed=23, **SMALL) as sandbox:
        sandbox.revoke_scope(scope)
        result = run("read", config_for(sandbox), every_stream())
        assert_exactly_the_ground_truth(sandbox, result, [name for name in STREAM_NAMES if name not in skipped])
    for stream in skipped:
        assert not result.records(stream)
        warnings = [line for line in result.messages if f"Skipping stream {stream}: " in line and scope in line]
        assert len(warnings) == 1, stream


def closed_port() -> str:
    """A loopback address nothing listens on: connections to it are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class BackoffClock:
    """Stands in for the CDK's backoff sleeps and adds them up, so the test measures a sync's duration
    (wall time plus the waits) without waiting for it."""

    def __init__(self) -> None:
        self.slept = 0.0

    def sleep(self, seconds: float) -> None:
        self.slept += seconds


@pytest.mark.parametrize("with_tokens", [False, True], ids=["auth code", "tokens"])
def test_a_read_of_every_stream_with_no_route_to_tiktok_fails_once_within_two_minutes(monkeypatch, with_tokens):
    clock = BackoffClock()
    monkeypatch.setattr(rate_limiting, "time", clock)
    closed = closed_port()
    with Sandbox(seed=27, **SMALL) as sandbox:
        make = token_config if with_tokens else config_for
        config = make(sandbox, endpoint_url=closed, auth_url=closed)
    started = time.monotonic()
    result = run("read", config, every_stream())
    duration = time.monotonic() - started + clock.slept
    assert duration < 120, f"the read took {duration:.0f} s to fail"
    (error,) = result.error_messages
    setting = "credentials.endpoint_url" if with_tokens else "credentials.auth_url"
    assert f"Could not connect to {closed}: Connection refused." in error and setting in error
    assert result.exit_code == 1 and not result.records()
    assert "Traceback" not in result.text
    for secret in ("app_secret", "auth_code", "access_token", "refresh_token"):
        assert not config["credentials"].get(secret) or config["credentials"][secret] not in result.text
    retries = [line for line in result.logs if "Retrying in" in line]
    assert len(retries) == 6, "more than one request retried: the streams did not share the failure"
    assert not [line for line in result.logs if "Rate limit" in line]


def test_check_reports_answers_that_are_not_json():
    with Sandbox(seed=24, **SMALL) as sandbox:
        sandbox.inject("malformed_html", count=10, path_contains="/authorization/")
        result = run("check", token_config(sandbox))
    assert result.connection_status.status == Status.FAILED
    assert "not a JSON envelope" in result.connection_status.message


def most_in_flight(entries) -> int:
    """The most requests the sandbox was serving at once, by its log."""
    events = sorted([(entry["ts"], 1) for entry in entries] + [(entry["answered_ts"], -1) for entry in entries])
    now = most = 0
    for _, change in events:
        now += change
        most = max(most, now)
    return most


def test_num_workers_bounds_the_requests_in_flight_while_windows_are_read_in_parts_side_by_side():
    # Two shops' backfills, each worth more readers than the three workers (the rate x the round trip): their windows
    # are read in parts, cut again while read, and the sandbox never serves more than three requests at once.
    with Sandbox(seed=26, shops=2, orders=3_000, latency_ms=50) as sandbox:
        result = run("read", {**token_config(sandbox), "num_workers": 3}, catalog_of({"orders": SyncMode.incremental}))
        served = [entry for entry in sandbox.requests if entry["shop_cipher"]]
    assert_exactly_the_ground_truth(sandbox, result, ["orders"])
    windows = {(entry["shop_cipher"], json.dumps(entry["body"], sort_keys=True)) for entry in served}
    assert len(windows) > 2, "the windows were not read in parts"
    assert most_in_flight(served) == 3


@pytest.mark.parametrize(
    "sandbox_size, latency_ms, kill_at_state",
    [({"shops": 2, "orders": 400}, 40, 3), ({"shops": 1, "orders": 6_000}, 100, 20)],
    ids=["one query per shop", "a backfill read in parts side by side, cut again while read"],
)
def test_a_killed_read_resumes_from_its_last_state_and_completes_the_ground_truth(
    sandbox_size, latency_ms, kill_at_state
):
    connector = str(Path(sys.executable).parent / "source-tiktok-shop")
    with Sandbox(seed=25, latency_ms=latency_ms, **sandbox_size) as sandbox, tempfile.TemporaryDirectory() as folder:
        catalog = json.loads(json.dumps(_dump(catalog_of({"orders": SyncMode.incremental}))))
        config = {**token_config(sandbox), "lookback_window_minutes": 0}
        files = {name: Path(folder) / f"{name}.json" for name in ("config", "catalog", "state")}
        files["config"].write_text(json.dumps(config))
        files["catalog"].write_text(json.dumps(catalog))
        command = [connector, "read", "--config", str(files["config"]), "--catalog", str(files["catalog"])]

        first_records, last_state, parts_read, first_parts = [], None, False, None
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
        )
        states_seen = 0
        for line in process.stdout:
            message = json.loads(line) if line.startswith("{") else {}
            if message.get("type") == "RECORD":
                first_records.append(message["record"]["data"])
            elif message.get("type") == "LOG" and " parts, " in message["log"]["message"]:
                first_parts = int(message["log"]["message"].split("reading in ")[1].split(" parts")[0])
            elif message.get("type") == "STATE":
                last_state, states_seen = message["state"], states_seen + 1
                parts_read = parts_read or "parts_read" in json.dumps(last_state)
                if states_seen == kill_at_state:
                    process.send_signal(signal.SIGKILL)
                    break
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL
        total = sum(len(orders) for orders in sandbox.records("orders").values())
        assert 0 < len(first_records) < total, "the kill must land mid-stream"
        if sandbox_size["orders"] > 1_000:
            assert parts_read, "the backfill was not read in parts, or the kill came before any part was read"
            # The parts' queries in the order they were first sent: the first plan's, then those cut while read.
            starts = list(dict.fromkeys(entry["body"]["update_time_ge"] for entry in sandbox.requests if entry["body"]))
            cut_while_read = set(starts[first_parts:])
            saved = last_state["stream"]["stream_state"]
            edges = {edge for entry in saved.values() for part in entry["parts_read"] for edge in part[:2]}
            assert edges & cut_while_read, "the saved state holds no part cut while it was read"

        files["state"].write_text(json.dumps([last_state]))
        resumed = subprocess.run(command + ["--state", str(files["state"])], capture_output=True, text=True, check=True)
        second_records = [
            json.loads(line)["record"]["data"] for line in resumed.stdout.splitlines() if '"RECORD"' in line
        ]
    assert len(second_records) < total, "the resumed run started over instead of from the state"
    together = by_key("orders", first_records + second_records)
    assert together == by_key("orders", expected_rows(sandbox, "orders"))
    # Every record printed before the saved state is covered by it: with no lookback, only the records at the
    # very value a shop or a part had reached are read again.
    boundaries = {
        (shop_id, value)
        for shop_id, entry in last_state["stream"]["stream_state"].items()
        for value in [entry["update_time"], *(part[2] for part in entry.get("parts_read", []))]
    }
    again = set(by_key("orders", first_records)) & set(by_key("orders", second_records))
    beyond = [key for key in again if (key[0], together[key]["update_time"]) not in boundaries]
    assert not beyond, f"{len(beyond)} records before the saved state were read again"


def _dump(catalog):
    from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer

    return ConfiguredAirbyteCatalogSerializer.dump(catalog)
