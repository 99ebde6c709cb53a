"""`make demo`: start the local sandbox, then run spec, check, discover and read against it.

Drives the connector the way Airbyte does: each command is a separate process, and a CONNECTOR_CONFIG
control message (the tokens of the auth code, then rotated ones) replaces the stored config before the
next command. The config, catalog and state stay in a folder (`demo/` by default), with the sandbox's
own tokens, so the same commands can be run again by hand: the end of the output says how.
"""

import argparse
import json
import re
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
CONNECTOR = str(BIN / "source-tiktok-shop")
ROOT = Path(__file__).resolve().parents[1]
PROGRESS = re.compile(r"^Progress: (\w+), shop \d+: (\d+) rows")


class Demo:
    def __init__(self, folder: Path, shops: int, orders: int):
        self.folder = folder
        self.files = {name: folder / f"{name}.json" for name in ("config", "catalog", "state", "sandbox-state")}
        self.sandbox_flags = [
            "--shops",
            str(shops),
            "--orders",
            str(orders),
            "--state-file",
            self.relative("sandbox-state"),
        ]

    def relative(self, name: str) -> str:
        return shown(self.files[name])

    def start_sandbox(self) -> tuple[subprocess.Popen, str, dict[str, str]]:
        self.files["sandbox-state"].unlink(missing_ok=True)  # each demo starts afresh, and keeps its own tokens
        sandbox = subprocess.Popen(
            [sys.executable, "-m", "tiktok_shop_sandbox", "--port", "0", *self.sandbox_flags],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert sandbox.stdout is not None
        url = sandbox.stdout.readline().strip().removeprefix("listening on ")
        credentials = json.loads(sandbox.stdout.readline())
        return sandbox, url, credentials

    def run(self, command: str, *files: str) -> list[dict[str, Any]]:
        """One command, as its own process; the config it emits in a control message replaces `config.json`."""
        args = [CONNECTOR, command, *(arg for name in files for arg in (f"--{name}", str(self.files[name])))]
        completed = subprocess.run(args, capture_output=True, text=True, check=False)
        messages = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
        for message in messages:
            if message["type"] == "CONTROL":
                self.write("config", message["control"]["connectorConfig"]["config"])
                print(f"  control message: new tokens, kept in {self.relative('config')}")
        if completed.returncode != 0:
            errors = [
                m["trace"]["error"]["message"] for m in messages if m["type"] == "TRACE" and m["trace"].get("error")
            ]
            sys.exit(f"`{command}` failed: {'; '.join(errors) or completed.stderr[-2000:]}")
        return messages

    def write(self, name: str, content: Any) -> None:
        self.files[name].write_text(json.dumps(content, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "demo", help="where the files are kept (default demo/)")
    parser.add_argument("--shops", type=int, default=2)
    parser.add_argument("--orders", type=int, default=300, help="orders per shop")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    demo = Demo(args.folder.resolve(), args.shops, args.orders)
    sandbox, url, credentials = demo.start_sandbox()
    try:
        print(f"sandbox listening on {url}")
        demo.write(
            "config",
            {
                "credentials": {
                    "auth_type": "tts_auth",
                    "app_key": credentials["app_key"],
                    "app_secret": credentials["app_secret"],
                    "auth_code": credentials["auth_code"],
                    "auth_url": url,
                    "endpoint_url": url,
                },
                "start_date": "2024-12-01T00:00:00Z",
            },
        )
        spec = demo.run("spec")[-1]["spec"]
        print(f"spec: {len(spec['connectionSpecification']['properties'])} top-level fields")

        status = next(m["connectionStatus"] for m in demo.run("check", "config") if m["type"] == "CONNECTION_STATUS")
        print(f"check: {status['status']} {status.get('message', '')}")

        streams = next(m["catalog"]["streams"] for m in demo.run("discover", "config") if m["type"] == "CATALOG")
        print(f"discover: {len(streams)} streams")

        demo.write("catalog", {"streams": [configured(stream) for stream in streams]})
        messages = demo.run("read", "config", "catalog")
        report(streams, messages)
        demo.write("state", last_states(messages))

        messages = demo.run("read", "config", "catalog", "state")
        demo.write("state", last_states(messages))
        records = sum(1 for m in messages if m["type"] == "RECORD")
        print(f"\nsecond read from the saved state: {records} records (full-refresh streams again, plus the lookback)")
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
    port = url.rsplit(":", 1)[1]
    sandbox_command = [shown(BIN / "tiktok-shop-sandbox"), "--port", port, *demo.sandbox_flags]
    read_command = [shown(Path(CONNECTOR)), "read"]
    for name in ("config", "catalog", "state"):
        read_command += [f"--{name}", demo.relative(name)]
    print(
        f"\nThe files are kept in {shown(demo.folder)}/:\n"
        "  config.json          the sandbox's config, with the tokens the auth code gave (the code is spent)\n"
        "  catalog.json         every stream, incremental where it can be\n"
        "  state.json           the state after the last read\n"
        "  sandbox-state.json   the sandbox's codes and tokens\n"
        "To read again by hand, start the sandbox with its tokens:\n"
        f"  {shlex.join(sandbox_command)}\n"
        "and, in another terminal:\n"
        f"  {shlex.join(read_command)}"
    )


def shown(path: Path) -> str:
    """A path as the user would type it from the repository's root."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def configured(stream: dict[str, Any]) -> dict[str, Any]:
    incremental = "incremental" in stream["supported_sync_modes"]
    return {
        "stream": stream,
        "sync_mode": "incremental" if incremental else "full_refresh",
        "cursor_field": stream.get("default_cursor_field", []) if incremental else [],
        "destination_sync_mode": "append_dedup" if incremental else "overwrite",
        "primary_key": stream.get("source_defined_primary_key", []),
    }


def last_states(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each stream's last state, as the platform would keep it for the next read."""
    latest = {m["state"]["stream"]["stream_descriptor"]["name"]: m["state"] for m in messages if m["type"] == "STATE"}
    return list(latest.values())


def report(streams: list[dict[str, Any]], messages: list[dict[str, Any]]) -> None:
    rows: Counter[str] = Counter()
    progress: Counter[str] = Counter()
    estimates: dict[str, int] = {}
    for message in messages:
        if message["type"] == "TRACE" and message["trace"]["type"] == "ESTIMATE":
            estimate = message["trace"]["estimate"]
            estimates[estimate["name"]] = estimate["row_estimate"]
        elif message["type"] == "RECORD":
            rows[message["record"]["stream"]] += 1
        elif message["type"] == "LOG" and message["log"]["message"].startswith("Progress"):
            print(f"  {message['log']['message']}")
            match = PROGRESS.match(message["log"]["message"])
            if match:
                progress[match.group(1)] += int(match.group(2))
    states = {
        state["stream"]["stream_descriptor"]["name"]: state["stream"].get("stream_state")
        for state in last_states(messages)
    }
    errors = [
        m["trace"]["error"]["message"] for m in messages if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"
    ]
    print(f"\n{'stream':<24} {'rows':>6} {'estimate':>9}  state")
    for stream in sorted(s["name"] for s in streams):
        state = json.dumps(states.get(stream, {}), sort_keys=True)[:80]
        print(f"{stream:<24} {rows[stream]:>6} {estimates.get(stream, '-'):>9}  {state}")
        if stream in progress and progress[stream] != rows[stream]:
            errors.append(
                f"{stream}: the progress lines count {progress[stream]} rows, the read emitted {rows[stream]}"
            )
    for error in errors:
        print(f"error: {error}")
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
