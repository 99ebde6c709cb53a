"""`make demo`: start the local sandbox, then run spec, check, discover and read against it.

Drives the connector the way Airbyte does: each command is a separate process, and a CONNECTOR_CONFIG
control message (rotated tokens) replaces the stored config before the next command.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
CONNECTOR = str(BIN / "source-tiktok-shop")


def start_sandbox() -> tuple[subprocess.Popen, str, dict[str, str]]:
    sandbox = subprocess.Popen(
        [sys.executable, "-m", "tiktok_shop_sandbox", "--port", "0", "--shops", "2", "--orders", "300"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sandbox.stdout is not None
    url = sandbox.stdout.readline().strip().removeprefix("listening on ")
    credentials = json.loads(sandbox.stdout.readline())
    return sandbox, url, credentials


def connector(
    command: str, folder: Path, config: dict[str, Any] | None = None, catalog: Any = None, state: Any = None
) -> list[dict[str, Any]]:
    args = [CONNECTOR, command]
    if config is not None:
        (folder / "config.json").write_text(json.dumps(config))
        args += ["--config", str(folder / "config.json")]
    if catalog is not None:
        (folder / "catalog.json").write_text(json.dumps(catalog))
        args += ["--catalog", str(folder / "catalog.json")]
    if state is not None:
        (folder / "state.json").write_text(json.dumps(state))
        args += ["--state", str(folder / "state.json")]
    completed = subprocess.run(args, capture_output=True, text=True, check=False)
    messages = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0:
        errors = [m["trace"]["error"]["message"] for m in messages if m["type"] == "TRACE" and m["trace"].get("error")]
        sys.exit(f"`{command}` failed: {'; '.join(errors) or completed.stderr[-2000:]}")
    return messages


def updated(config: dict[str, Any], messages: list[dict[str, Any]]) -> dict[str, Any]:
    for message in messages:
        if message["type"] == "CONTROL":
            config = message["control"]["connectorConfig"]["config"]
            print("  control message: the platform stores the new access and refresh tokens")
    return config


def main() -> None:
    sandbox, url, credentials = start_sandbox()
    try:
        print(f"sandbox listening on {url}")
        config: dict[str, Any] = {
            "credentials": {
                "auth_type": "tts_auth",
                "app_key": credentials["app_key"],
                "app_secret": credentials["app_secret"],
                "auth_code": credentials["auth_code"],
                "auth_url": url,
                "endpoint_url": url,
            },
            "start_date": "2024-12-01T00:00:00Z",
        }
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            spec = connector("spec", folder)[-1]["spec"]
            print(f"spec: {len(spec['connectionSpecification']['properties'])} top-level fields")

            messages = connector("check", folder, config)
            config = updated(config, messages)
            status = next(m["connectionStatus"] for m in messages if m["type"] == "CONNECTION_STATUS")
            print(f"check: {status['status']} {status.get('message', '')}")

            messages = connector("discover", folder, config)
            streams = next(m["catalog"]["streams"] for m in messages if m["type"] == "CATALOG")
            print(f"discover: {len(streams)} streams")

            catalog = {"streams": [configured(stream) for stream in streams]}
            messages = connector("read", folder, config, catalog)
            config = updated(config, messages)
            report(streams, messages)

            state = list(
                {
                    m["state"]["stream"]["stream_descriptor"]["name"]: m["state"]
                    for m in messages
                    if m["type"] == "STATE"
                }.values()
            )
            messages = connector("read", folder, config, catalog, state)
            records = sum(1 for m in messages if m["type"] == "RECORD")
            print(
                f"\nsecond read from the saved state: {records} records (full-refresh streams again, plus the lookback)"
            )
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)


def configured(stream: dict[str, Any]) -> dict[str, Any]:
    incremental = "incremental" in stream["supported_sync_modes"]
    return {
        "stream": stream,
        "sync_mode": "incremental" if incremental else "full_refresh",
        "cursor_field": stream.get("default_cursor_field", []) if incremental else [],
        "destination_sync_mode": "append_dedup" if incremental else "overwrite",
        "primary_key": stream.get("source_defined_primary_key", []),
    }


def report(streams: list[dict[str, Any]], messages: list[dict[str, Any]]) -> None:
    counts: dict[str, int] = {}
    states: dict[str, Any] = {}
    estimates: dict[str, int] = {}
    for message in messages:
        if message["type"] == "TRACE" and message["trace"]["type"] == "ESTIMATE":
            estimate = message["trace"]["estimate"]
            estimates[estimate["name"]] = estimate["row_estimate"]
        elif message["type"] == "RECORD":
            counts[message["record"]["stream"]] = counts.get(message["record"]["stream"], 0) + 1
        elif message["type"] == "STATE":
            stream_state = message["state"]["stream"]
            states[stream_state["stream_descriptor"]["name"]] = stream_state.get("stream_state")
        elif message["type"] == "LOG" and message["log"]["message"].startswith("Progress"):
            print(f"  {message['log']['message']}")
    errors = [
        m["trace"]["error"]["message"] for m in messages if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"
    ]
    print(f"\n{'stream':<24} {'records':>8} {'estimate':>9}  state")
    for stream in sorted(s["name"] for s in streams):
        state = json.dumps(states.get(stream, {}), sort_keys=True)[:80]
        print(f"{stream:<24} {counts.get(stream, 0):>8} {estimates.get(stream, '-'):>9}  {state}")
    for error in errors:
        print(f"error: {error}")
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
