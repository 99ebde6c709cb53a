"""The files a person hands the connector by hand (`--config`, `--catalog`, `--state`), read as Airbyte would
read them, with a message naming the expected form, never a library's stack trace, when they are not."""

import json
from collections.abc import Iterator
from typing import Any

from airbyte_cdk.models import (
    AirbyteStateMessage,
    AirbyteStateMessageSerializer,
    ConfiguredAirbyteCatalog,
    ConfiguredAirbyteCatalogSerializer,
    FailureType,
)
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

STATE_FORM = (
    'a JSON list of the state messages a read prints, each `{"type": "STREAM", "stream": {"stream_descriptor": '
    '{"name": "orders"}, "stream_state": {"<shop_id>": {"update_time": <Unix seconds>}}}}`, or those messages as '
    'printed (`{"type": "STATE", "state": {...}}`, one per line or in a list)'
)
CATALOG_FORM = (
    'a configured catalog, `{"streams": [{"stream": {"name": ..., "json_schema": ..., "supported_sync_modes": '
    '[...]}, "sync_mode": "incremental", "destination_sync_mode": "append_dedup", "cursor_field": [...]}]}`, as '
    "Airbyte builds from `discover`; `source-tiktok-shop catalog [STREAM ...] > catalog.json` writes one"
)


class InputError(AirbyteTracedException):
    """A `--config`, `--catalog` or `--state` file the connector cannot use; the user fixes the file."""

    def __init__(self, what: str, path: str, problem: str):
        super().__init__(message=f"The {what} file {path} {problem}", failure_type=FailureType.config_error)


def _text(what: str, path: str) -> str:
    try:
        with open(path) as file:
            return file.read()
    except OSError as error:
        raise InputError(what, path, f"cannot be read: {error.strerror}.") from None


def read_json(what: str, path: str, form: str) -> Any:
    try:
        return json.loads(_text(what, path))
    except json.JSONDecodeError as error:
        # The position only: the file may hold secrets.
        raise InputError(what, path, f"is not JSON ({error.msg} at line {error.lineno}); expected {form}.") from None


def read_config(path: str) -> dict[str, Any]:
    config = read_json("config", path, "a JSON object")
    if not isinstance(config, dict):
        raise InputError("config", path, "is not a JSON object; see `source-tiktok-shop spec` for its fields.")
    return config


def read_catalog(path: str) -> ConfiguredAirbyteCatalog:
    catalog = read_json("catalog", path, CATALOG_FORM)
    try:
        return ConfiguredAirbyteCatalogSerializer.load(catalog)
    except Exception as error:
        problem = _first_line(error)
        raise InputError(
            "catalog", path, f"is not a configured catalog ({problem}); expected {CATALOG_FORM}."
        ) from None


def read_state(path: str) -> list[AirbyteStateMessage]:
    """A state file as a read's own output gives it: the state messages, raw or as printed, in a list or per line."""
    text = _text("state", path)
    try:
        entries = _state_entries(text)
        return [AirbyteStateMessageSerializer.load(entry) for entry in entries]
    except Exception as error:
        raise InputError("state", path, f"is not a state ({_first_line(error)}); expected {STATE_FORM}.") from None


def _state_entries(text: str) -> Iterator[Any]:
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError:
        # JSON lines: the STATE lines of a read's output, as saved with grep.
        loaded = [json.loads(line) for line in text.splitlines() if line.strip()]
    for entry in loaded if isinstance(loaded, list) else [loaded]:
        if isinstance(entry, dict) and entry.get("type") == "STATE" and "state" in entry:
            yield entry["state"]
        elif isinstance(entry, dict) and "type" in entry:
            yield entry
        else:
            raise ValueError(f"an entry is not a state message: {json.dumps(entry)[:80]}")


def _first_line(error: Exception) -> str:
    lines = [line.strip(" -") for line in str(error).splitlines() if line.strip(" -")]
    details = [line for line in lines if "validation failed" not in line.lower()]
    return (details or lines or [type(error).__name__])[0]
