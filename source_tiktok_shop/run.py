import sys
from collections.abc import Iterable, Mapping
from typing import Any

from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER
from airbyte_cdk.models import ConnectorSpecification

from .authorize import main as authorize
from .config import validate_config
from .source import SourceTiktokShop


class TikTokShopEntrypoint(AirbyteEntrypoint):
    """The CDK's entrypoint, with config errors that name the field at fault (the CDK's omit it)."""

    @staticmethod
    def validate_connection(source_spec: ConnectorSpecification, config: Mapping[str, Any]) -> None:
        validate_config(config, source_spec.connectionSpecification)


def messages(args: list[str]) -> Iterable[str]:
    entrypoint = TikTokShopEntrypoint(SourceTiktokShop())
    return entrypoint.run(entrypoint.parse_args(args))


def run() -> None:
    if sys.argv[1:2] == ["authorize"]:
        sys.exit(authorize(sys.argv[2:]))
    with PRINT_BUFFER:
        for message in messages(sys.argv[1:]):
            # One write per message, so concurrent output never splits a line.
            print(f"{message}\n", end="")
