"""The command line a person types: `--help`, the `catalog` command, and discover's streams."""

import io
import json
import sys

import pytest
from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer, SyncMode
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import InMemoryMessageRepository

from source_tiktok_shop.catalog import STREAMS
from source_tiktok_shop.config import parse_settings
from source_tiktok_shop.reading.shared_pages import SharedPages
from source_tiktok_shop.run import catalog_command, run
from source_tiktok_shop.source import Sync, airbyte_stream

EVERY_COMMAND = ("spec", "check", "discover", "read", "authorize", "catalog")


def exit_of(monkeypatch, *args: str) -> int | str | None:
    monkeypatch.setattr(sys, "argv", ["source-tiktok-shop", *args])
    with pytest.raises(SystemExit) as stopped:
        run()
    return stopped.value.code


def test_help_lists_every_command(monkeypatch, capsys):
    assert exit_of(monkeypatch, "--help") == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines() if line.startswith("  ")]
    assert set(EVERY_COMMAND) <= set(listed), listed


@pytest.mark.parametrize("args", [(), ("frobnicate",)], ids=["no command", "unknown command"])
def test_without_a_known_command_every_command_is_named_without_a_traceback(monkeypatch, capsys, args):
    code = exit_of(monkeypatch, *args)
    assert isinstance(code, str) and all(command in code for command in EVERY_COMMAND)
    assert "Traceback" not in capsys.readouterr().err


def test_the_catalog_command_writes_a_catalog_of_the_streams_named():
    out = io.StringIO()
    assert catalog_command(["orders", "shops"], out) == 0
    catalog = ConfiguredAirbyteCatalogSerializer.load(json.loads(out.getvalue()))
    orders, shops = catalog.streams
    assert (orders.stream.name, orders.sync_mode, orders.cursor_field) == (
        "orders",
        SyncMode.incremental,
        ["update_time"],
    )
    assert (shops.stream.name, shops.sync_mode) == ("shops", SyncMode.full_refresh)


def test_the_catalog_command_without_names_writes_every_stream_and_can_read_in_full():
    out = io.StringIO()
    catalog_command(["--full-refresh"], out)
    catalog = ConfiguredAirbyteCatalogSerializer.load(json.loads(out.getvalue()))
    assert [configured.stream.name for configured in catalog.streams] == [stream.name for stream in STREAMS]
    assert {configured.sync_mode for configured in catalog.streams} == {SyncMode.full_refresh}


def test_the_catalog_command_names_the_streams_there_are_for_a_misspelled_one(capsys):
    with pytest.raises(SystemExit) as stopped:
        catalog_command(["order"], io.StringIO())
    assert stopped.value.code == 2
    assert "`order`" in capsys.readouterr().err


CONFIG = {
    "credentials": {"app_key": "k", "app_secret": "s", "access_token": "t"},
    "start_date": "2025-01-01T00:00:00Z",
}


@pytest.mark.parametrize("declaration", STREAMS, ids=lambda declaration: declaration.name)
def test_discover_reports_each_stream_as_the_stream_read_is(declaration):
    sync = Sync(parse_settings(CONFIG), CONFIG, ConnectorStateManager(), InMemoryMessageRepository(), SharedPages())
    assert airbyte_stream(declaration) == sync.stream(declaration).as_airbyte_stream()
