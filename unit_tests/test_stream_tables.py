"""The stream tables of README.md and docs/tiktok-shop.md are the declarations' (scripts/stream_tables.py)."""

import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import stream_tables  # noqa: E402

from source_tiktok_shop.catalog import STREAMS  # noqa: E402


@pytest.mark.parametrize("path", stream_tables.FILES, ids=lambda path: path.name)
def test_the_stream_table_is_a_fresh_generation_from_the_declarations(path):
    text = path.read_text()
    assert stream_tables.written(text, path) == text, f"run scripts/stream_tables.py: {path.name} has drifted"


def test_every_stream_and_every_version_it_reads_is_in_the_table():
    table = stream_tables.table()
    for declared in STREAMS:
        assert f"| `{declared.name}` |" in table
        for version in declared.endpoint.versions:
            assert version in table


def test_a_changed_declaration_changes_the_table():
    returns = next(declared for declared in STREAMS if declared.name == "returns")
    fresh = stream_tables.row(returns)
    older = replace(returns, endpoint=replace(returns.endpoint, versions=("202602", "202309", "202301")))
    assert "202301 where a market lacks 202602" in stream_tables.row(older) != fresh


def test_a_file_without_its_markers_is_named():
    with pytest.raises(ValueError, match="README.md: needs one line"):
        stream_tables.written("no table here", Path("README.md"))
