"""Airbyte's standard connector tests, driven by acceptance-test-config.yml, against the local sandbox.

`SourceTestSuiteBase` runs spec, check (valid and invalid configs), discover, basic read and full
refresh in-process. Its image tests need a docker daemon and are deselected by pytest.ini
(`image_tests`). The CDK does not collect the `incremental` section, so the two incremental checks
of the retired acceptance tests are here, read from that section: two sequential reads, and a read
from a state far in the future.
"""

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from airbyte_cdk.models import (
    AirbyteStateMessageSerializer,
    ConfiguredAirbyteCatalog,
    ConfiguredAirbyteStream,
    DestinationSyncMode,
    SyncMode,
)
from airbyte_cdk.test.standard_tests import SourceTestSuiteBase

from integration_tests.acceptance.fixtures import acceptance_files, acceptance_sandbox  # noqa: F401
from integration_tests.harness import Run, run
from integration_tests.truth import CURSORS
from source_tiktok_shop import SourceTiktokShop

pytest_plugins = ["airbyte_cdk.test.standard_tests.pytest_hooks"]

ROOT = Path(__file__).resolve().parents[1]
INCREMENTAL_KEYS = {"config_path", "configured_catalog_path", "future_state"}
LOOKBACK_MINUTES = {stream: lookback for stream, (_, lookback) in CURSORS.items()}


def restart_of(stream: str, saved: int | str) -> int | str:
    """Where a sync resumes from a saved cursor: its value less the stream's lookback (whole days for days)."""
    if isinstance(saved, str):
        return (date.fromisoformat(saved) - timedelta(days=LOOKBACK_MINUTES[stream] // (24 * 60))).isoformat()
    return saved - 60 * LOOKBACK_MINUTES[stream]


def incremental_entries() -> list[dict[str, Any]]:
    """The `incremental` entries of acceptance-test-config.yml; unknown keys fail, as the CDK does elsewhere."""
    tests = yaml.safe_load((ROOT / "acceptance-test-config.yml").read_text())["acceptance_tests"]["incremental"][
        "tests"
    ]
    for entry in tests:
        unknown = set(entry) - INCREMENTAL_KEYS
        assert not unknown, f"`incremental` entry for {entry.get('config_path')}: keys not read: {sorted(unknown)}"
    return tests


def read_json(relative: str) -> Any:
    return json.loads((ROOT / relative).read_text())


def incremental_catalog(config: dict[str, Any], catalog_path: str) -> ConfiguredAirbyteCatalog:
    """The declared streams and cursors, with each stream as `discover` reports it (like the CDK's reads)."""
    discovered = {stream.name: stream for stream in run("discover", config).output.catalog.catalog.streams}
    declared = read_json(catalog_path)["streams"]
    for configured in declared:
        stream = discovered[configured["stream"]["name"]]
        assert SyncMode.incremental in stream.supported_sync_modes
        assert configured["cursor_field"] == stream.default_cursor_field
    return ConfiguredAirbyteCatalog(
        streams=[
            ConfiguredAirbyteStream(
                stream=discovered[configured["stream"]["name"]],
                sync_mode=SyncMode.incremental,
                destination_sync_mode=DestinationSyncMode.append_dedup,
                cursor_field=configured["cursor_field"],
            )
            for configured in declared
        ]
    )


def cursor_of(catalog: ConfiguredAirbyteCatalog) -> dict[str, str]:
    return {configured.stream.name: configured.cursor_field[0] for configured in catalog.streams}


def assert_clean(result: Run) -> None:
    assert not result.output.errors, [error.trace.error.message for error in result.output.errors]
    # A refresh would rotate the refresh token in the scenario files, breaking the scenarios after this one.
    assert not result.control_configs


@pytest.mark.parametrize("entry", incremental_entries(), ids=lambda entry: Path(entry["config_path"]).stem)
class TestIncremental:
    def test_two_sequential_reads(self, entry):
        config = read_json(entry["config_path"])
        catalog = incremental_catalog(config, entry["configured_catalog_path"])
        cursors = cursor_of(catalog)

        first = run("read", config, catalog)
        assert_clean(first)
        assert first.records()
        for stream, cursor in cursors.items():
            state = first.state_of(stream)
            assert state, f"{stream} emitted no state"
            for record in first.records(stream):
                assert record[cursor] <= state[record["shop_id"]][cursor], stream

        second = run("read", config, catalog, first.state)
        assert_clean(second)
        assert len(second.records()) <= len(first.records())
        for stream, cursor in cursors.items():
            before, after = first.state_of(stream), second.state_of(stream)
            for shop_id, shop_state in before.items():
                assert after[shop_id][cursor] >= shop_state[cursor], f"{stream} state went back for shop {shop_id}"
            for record in second.records(stream):
                restart = restart_of(stream, before[record["shop_id"]][cursor])
                assert record[cursor] >= restart, f"{stream} re-read a record older than its state and lookback"

    def test_read_from_a_future_state_reads_nothing(self, entry):
        config = read_json(entry["config_path"])
        catalog = incremental_catalog(config, entry["configured_catalog_path"])
        future = [
            AirbyteStateMessageSerializer.load(message)
            for message in read_json(entry["future_state"]["future_state_path"])
        ]
        assert {message.stream.stream_descriptor.name for message in future} == set(cursor_of(catalog))

        result = run("read", config, catalog, future)

        assert_clean(result)
        assert not result.records()
        for message in future:
            stream = message.stream.stream_descriptor.name
            given, kept = message.stream.stream_state.__dict__, result.state_of(stream)
            for shop_id, shop_state in given.items():
                assert kept[shop_id] == shop_state, f"{stream} moved a future state for shop {shop_id}"


class TestAirbyteStandards(SourceTestSuiteBase):
    # The repo folder is not named source-tiktok-shop, so the CDK cannot guess the class.
    connector = SourceTiktokShop
