"""Runs the connector in-process, the way the platform would, and keeps everything it printed."""

import contextlib
import io
import json
import logging
import tempfile
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airbyte_cdk.logger import AirbyteLogFormatter
from airbyte_cdk.models import (
    AirbyteMessage,
    AirbyteStateMessage,
    AirbyteStateMessageSerializer,
    ConfiguredAirbyteCatalog,
    ConfiguredAirbyteCatalogSerializer,
    SyncMode,
    Type,
)
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput

from source_tiktok_shop.catalog import STREAMS
from source_tiktok_shop.run import launch

STREAM_NAMES = [stream.name for stream in STREAMS]

START_DATE = "2023-07-01T00:00:00Z"


def config_for(sandbox: Any, **credentials: Any) -> dict[str, Any]:
    """A config that starts from a fresh auth code of the sandbox, unless told otherwise."""
    base = {
        "auth_type": "tts_auth",
        "app_key": sandbox.credentials["app_key"],
        "app_secret": sandbox.credentials["app_secret"],
        "auth_code": sandbox.new_auth_code(),
        "auth_url": sandbox.base_url,
        "endpoint_url": sandbox.base_url,
    }
    base.update(credentials)
    return {"credentials": {key: value for key, value in base.items() if value is not None}, "start_date": START_DATE}


def token_config(sandbox: Any, **credentials: Any) -> dict[str, Any]:
    """A config as the platform holds it once the auth code is exchanged: tokens (fresh from the sandbox), no code."""
    tokens = sandbox.new_tokens()
    held = {
        "auth_code": None,
        "access_token": tokens["access_token"],
        "access_token_expires_at": tokens["access_token_expire_in"],
        "refresh_token": tokens["refresh_token"],
    }
    return config_for(sandbox, **{**held, **credentials})


def token_calls(sandbox: Any) -> list[dict[str, Any]]:
    return [entry for entry in sandbox.requests if entry["path"].startswith("/api/v2/token/")]


@dataclass
class Run:
    output: EntrypointOutput
    stdout: str  # what the connector printed outside the entrypoint's messages (control messages)
    messages: list[str] = field(default_factory=list)
    exit_code: int | None = None  # None: the run raised (a bug), as `uncaught_exception`

    @property
    def text(self) -> str:
        """Every line the run produced, for secret scans."""
        return "\n".join(self.messages) + "\n" + self.stdout

    @property
    def control_configs(self) -> list[dict[str, Any]]:
        configs = []
        for line in self.stdout.splitlines():
            if line.startswith("{") and '"CONTROL"' in line:
                configs.append(json.loads(line)["control"]["connectorConfig"]["config"])
        return configs

    def config_after(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """The config the platform holds after this run: the last control message wins."""
        return self.control_configs[-1] if self.control_configs else dict(config)

    def records(self, stream: str | None = None) -> list[dict[str, Any]]:
        return [m.record.data for m in self.output.records if stream is None or m.record.stream == stream]

    @property
    def state(self) -> list[AirbyteStateMessage]:
        """The latest state of each stream, as the platform would pass it to the next sync."""
        latest: dict[str, AirbyteStateMessage] = {}
        for message in self.output.state_messages:
            latest[message.state.stream.stream_descriptor.name] = message.state
        return list(latest.values())

    def state_of(self, stream: str) -> dict[str, Any]:
        for state in self.state:
            if state.stream.stream_descriptor.name == stream:
                return dict(state.stream.stream_state.__dict__)
        return {}

    @property
    def connection_status(self) -> Any:
        return self.output.connection_status_messages[-1].connectionStatus

    @property
    def traces(self) -> list[AirbyteMessage]:
        return [m for m in self.output.trace_messages]

    @property
    def error_messages(self) -> list[str]:
        return [error.trace.error.message for error in self.output.errors]

    @property
    def logs(self) -> list[str]:
        return [message.log.message for message in self.output.logs]


def catalog_of(streams: Mapping[str, SyncMode]) -> ConfiguredAirbyteCatalog:
    builder = CatalogBuilder()
    for name, mode in streams.items():
        builder.with_stream(name, mode)
    return builder.build()


def every_stream() -> ConfiguredAirbyteCatalog:
    """Every stream, incremental where it can be."""
    return catalog_of(
        {stream.name: SyncMode.incremental if stream.incremental else SyncMode.full_refresh for stream in STREAMS}
    )


def run(
    command: str,
    config: Mapping[str, Any] | None = None,
    catalog: ConfiguredAirbyteCatalog | str | None = None,
    state: list[AirbyteStateMessage] | str | None = None,
) -> Run:
    """Like the CDK's entrypoint wrapper, but runs what the process runs (`run.launch`: a known failure is one
    error message and exit code 1) and keeps the raw lines and what was printed to stdout."""
    with tempfile.TemporaryDirectory() as folder:
        args = [command]
        if config is not None:
            args += ["--config", _write(Path(folder) / "config.json", json.dumps(config))]
        if catalog is not None:
            if not isinstance(catalog, str):  # a string is the file's text, as a person wrote it
                catalog = json.dumps(ConfiguredAirbyteCatalogSerializer.dump(catalog))
            args += ["--catalog", _write(Path(folder) / "catalog.json", catalog)]
        if state is not None:
            if not isinstance(state, str):
                state = json.dumps([AirbyteStateMessageSerializer.dump(message) for message in state])
            args += ["--state", _write(Path(folder) / "state.json", state)]
        logs = io.StringIO()
        handler = logging.StreamHandler(logs)
        handler.setLevel(logging.INFO)
        handler.setFormatter(AirbyteLogFormatter())
        logging.getLogger().addHandler(handler)
        printed = io.StringIO()
        lines: list[str] = []
        error: BaseException | None = None
        exit_code: int | None = None
        try:
            with contextlib.redirect_stdout(printed):
                exit_code = launch(args, lines.append)
        except Exception as exception:
            error = exception
        finally:
            logging.getLogger().removeHandler(handler)
    lines += logs.getvalue().splitlines()
    trace = "".join(traceback.format_exception(error)) if error else ""
    return Run(
        output=EntrypointOutput(messages=lines, uncaught_exception=error),
        stdout=printed.getvalue() + trace,
        messages=lines,
        exit_code=exit_code,
    )


def _write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


def without_shop(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in record.items() if key != "shop_id"} for record in records]


__all__ = ["Type", "SyncMode"]
