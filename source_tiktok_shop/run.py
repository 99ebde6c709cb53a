"""`source-tiktok-shop`: the Airbyte protocol commands, plus `authorize` and `catalog` for running it by hand."""

import argparse
import gc
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TextIO

from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER
from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer, ConnectorSpecification
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .authorize import main as authorize
from .config import validate_config
from .source import SourceTiktokShop, configured_catalog

PROTOCOL_COMMANDS = {
    "spec": "print the configuration's JSON schema",
    "check": "check a config: credentials, hosts, shops (an auth code alone is kept for discover or read)",
    "discover": "print the streams, their keys and cursors (exchanges an auth code, if that is all the config has)",
    "read": "read the streams of a catalog, from an optional state; prints records, state and control messages",
}
OWN_COMMANDS = {
    "authorize": "have a seller authorize the app and write a ready config (see `authorize --help`)",
    "catalog": "print a configured catalog of every stream, or of the streams named (see `catalog --help`)",
}


class TikTokShopEntrypoint(AirbyteEntrypoint):
    """The CDK's entrypoint, with config errors that name the field at fault (the CDK's omit it)."""

    @staticmethod
    def validate_connection(source_spec: ConnectorSpecification, config: Mapping[str, Any]) -> None:
        validate_config(config, source_spec.connectionSpecification)


def messages(args: list[str]) -> Iterable[str]:
    entrypoint = TikTokShopEntrypoint(SourceTiktokShop())
    return entrypoint.run(entrypoint.parse_args(args))


def launch(args: list[str], write: Callable[[str], None]) -> int:
    """Runs one protocol command, writing each message; returns the exit code.

    A failure the connector knows (bad input, refused credentials, an unreachable host, ...) is one
    error message naming its cause, without a traceback: it is not a bug of the connector's.
    """
    try:
        for message in messages(args):
            write(message)
    except AirbyteTracedException as error:
        write(error_line(error))
        return 1
    return 0


def error_line(error: AirbyteTracedException) -> str:
    message = error.as_sanitized_airbyte_message()
    if message.trace is not None and message.trace.error is not None:
        message.trace.error.stack_trace = None
    return AirbyteEntrypoint.airbyte_message_to_string(message)


def build_parser() -> argparse.ArgumentParser:
    commands = {**PROTOCOL_COMMANDS, **OWN_COMMANDS}
    width = max(map(len, commands))
    listed = "\n".join(f"  {name:<{width}}  {text}" for name, text in commands.items())
    return argparse.ArgumentParser(
        prog="source-tiktok-shop",
        usage="source-tiktok-shop COMMAND [options]",
        description="The TikTok Shop source for Airbyte.",
        epilog=f"commands:\n{listed}\n\nRun `source-tiktok-shop COMMAND --help` for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def catalog_command(argv: Sequence[str], out: TextIO) -> int:
    parser = argparse.ArgumentParser(
        prog="source-tiktok-shop catalog",
        description="Print a configured catalog for `read --catalog`: each stream incremental where it can be.",
    )
    parser.add_argument("streams", nargs="*", metavar="STREAM", help="the streams to read (default: every stream)")
    parser.add_argument("--full-refresh", action="store_true", help="read every stream in full, ignoring any state")
    args = parser.parse_args(argv)
    try:
        catalog = configured_catalog(args.streams, args.full_refresh)
    except AirbyteTracedException as error:
        parser.error(error.message or "")
    print(json.dumps(ConfiguredAirbyteCatalogSerializer.dump(catalog), indent=2), file=out)
    return 0


def run() -> None:
    command = sys.argv[1:2]
    if command == ["authorize"]:
        sys.exit(authorize(sys.argv[2:]))
    if command == ["catalog"]:
        sys.exit(catalog_command(sys.argv[2:], sys.stdout))
    if not command or command[0] in ("-h", "--help") or command[0] not in PROTOCOL_COMMANDS:
        parser = build_parser()
        if command in (["-h"], ["--help"]):
            parser.print_help()
            sys.exit(0)
        parser.print_usage(sys.stderr)
        sys.exit(f"source-tiktok-shop: choose a command: {', '.join([*PROTOCOL_COMMANDS, *OWN_COMMANDS])}.")
    # What is loaded by now (the CDK, its models and serializers) lives as long as the process: kept out of the
    # collector's scans, which a read's many short-lived records would otherwise repeat over it.
    gc.freeze()
    with PRINT_BUFFER:
        # One write per message, so concurrent output never splits a line.
        code = launch(sys.argv[1:], lambda message: print(f"{message}\n", end=""))
    sys.exit(code)
