"""`make demo` end to end, small: its files stay in the folder it names, and its by-hand commands work."""

import json
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESTART = "To read again by hand, start the sandbox with its tokens:"


def test_the_demo_keeps_its_files_and_its_by_hand_commands_read_again(tmp_path):
    demo = subprocess.run(
        [sys.executable, "scripts/demo.py", "--folder", str(tmp_path), "--shops", "1", "--orders", "10"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    assert "check: SUCCEEDED The configuration is valid. The auth code was not used" in demo.stdout
    assert {path.name for path in tmp_path.iterdir()} == {
        "config.json", "catalog.json", "state.json", "sandbox-state.json",
    }  # fmt: skip
    assert "auth_code" not in json.loads((tmp_path / "config.json").read_text())["credentials"]

    lines = demo.stdout.splitlines()
    sandbox_command = shlex.split(lines[lines.index(RESTART) + 1])
    read_command = shlex.split(lines[-1])
    with subprocess.Popen(sandbox_command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as sandbox:
        try:
            assert sandbox.stdout is not None and sandbox.stdout.readline().startswith("listening on")
            read = subprocess.run(read_command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
        finally:
            sandbox.terminate()
    messages = [json.loads(line) for line in read.stdout.splitlines() if line.startswith("{")]
    assert read.returncode == 0, read.stdout[-2000:]
    assert any(message["type"] == "RECORD" for message in messages)
    assert not any(message["type"] == "CONTROL" for message in messages), "the kept tokens should still be valid"
