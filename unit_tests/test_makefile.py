"""The Makefile's choice of Python, on a copy of it (nothing is installed): any 3.11 to 3.13, or a plain message."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="no make")


def make(folder: Path, shims: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`make -B ARGS` on a copy of the Makefile in `folder`, with only `shims` on the PATH."""
    shutil.copy(ROOT / "Makefile", folder / "Makefile")
    (folder / "setup.py").touch()
    (folder / "sandbox").mkdir(exist_ok=True)
    (folder / "sandbox" / "pyproject.toml").touch()
    assert MAKE is not None
    return subprocess.run(
        [MAKE, "-B", *args], cwd=folder, env={"PATH": str(shims)}, capture_output=True, text=True, check=False
    )


def shim(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


@pytest.fixture
def shims(tmp_path: Path) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    # What pyenv leaves for a version it does not select: a shim that fails.
    shim(folder, "python3.11", 'echo "pyenv: python3.11: command not found" >&2; exit 127')
    return folder


def test_the_first_python_that_runs_is_chosen(tmp_path, shims):
    shim(shims, "python3.12", f'exec {sys.executable} "$@"')
    dry_run = make(tmp_path, shims, "-n", "install")
    assert "python3.12 -m venv .venv" in dry_run.stdout, dry_run.stdout + dry_run.stderr


def test_without_a_supported_python_the_message_says_which_are_needed(tmp_path, shims):
    result = make(tmp_path, shims, "install")
    assert result.returncode != 0
    assert "no Python 3.11, 3.12 or 3.13 found" in result.stderr and "make PYTHON=" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / ".venv").exists()


def test_a_python_of_another_version_is_named(tmp_path, shims):
    shim(shims, "python3.10", "exit 1")  # fails the version check, as an older Python does
    result = make(tmp_path, shims, "install", f"PYTHON={shims / 'python3.10'}")
    assert result.returncode != 0
    assert "is not a Python 3.11 to 3.13" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / ".venv").exists()
