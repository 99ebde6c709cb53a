"""The connector's wheel carries the connector and its data files, nothing of the sandbox; the sandbox's own
wheel carries the sandbox alone."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Built from a copy of the checkout without what a fresh clone lacks: building in place would leave build/ and
# *.egg-info behind, and setuptools packs whatever an earlier build left in build/lib.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*cache", ".hypothesis", ".demo", ".bench"
)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("checkout") / "source-tiktok-shop"
    shutil.copytree(ROOT, copy, ignore=NOT_IN_A_CLONE)
    return copy


def wheel(project: Path, out: Path) -> zipfile.ZipFile:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet"]
        + ["--disable-pip-version-check", "-w", str(out), str(project)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    (built,) = out.glob("*.whl")
    return zipfile.ZipFile(built)


def entry_points(whl: zipfile.ZipFile) -> str:
    (name,) = [n for n in whl.namelist() if n.endswith(".dist-info/entry_points.txt")]
    return whl.read(name).decode()


@pytest.fixture(scope="module")
def connector_wheel(checkout, tmp_path_factory) -> zipfile.ZipFile:
    return wheel(checkout, tmp_path_factory.mktemp("connector-wheel"))


@pytest.fixture(scope="module")
def sandbox_wheel(checkout, tmp_path_factory) -> zipfile.ZipFile:
    return wheel(checkout / "sandbox", tmp_path_factory.mktemp("sandbox-wheel"))


def test_the_connector_wheel_holds_the_connector_its_spec_and_its_schemas(connector_wheel):
    names = set(connector_wheel.namelist())
    schemas = {f"source_tiktok_shop/schemas/{p.name}" for p in (ROOT / "source_tiktok_shop" / "schemas").glob("*.json")}
    assert schemas
    assert {"source_tiktok_shop/__init__.py", "source_tiktok_shop/spec.yaml"} | schemas <= names
    assert {n.split("/")[0] for n in names} == {"source_tiktok_shop", "source_tiktok_shop-0.1.0.dist-info"}
    assert "source-tiktok-shop = source_tiktok_shop.run:run" in entry_points(connector_wheel)


def test_the_connector_wheel_holds_nothing_of_the_sandbox(connector_wheel):
    assert not [n for n in connector_wheel.namelist() if "tiktok_shop_sandbox" in n]
    for name in connector_wheel.namelist():
        if name.endswith(".dist-info/RECORD") or name.endswith(".dist-info/top_level.txt"):
            assert "sandbox" not in connector_wheel.read(name).decode()
    assert "sandbox" not in entry_points(connector_wheel)


def test_the_sandbox_wheel_holds_the_sandbox_alone(sandbox_wheel):
    names = sandbox_wheel.namelist()
    packages = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert packages == {"tiktok_shop_sandbox"}
    assert {"tiktok_shop_sandbox/__main__.py", "tiktok_shop_sandbox/data/__init__.py"} <= set(names)
    assert "tiktok-shop-sandbox = tiktok_shop_sandbox.__main__:main" in entry_points(sandbox_wheel)
