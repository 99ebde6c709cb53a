import sys

from airbyte_cdk.entrypoint import launch

from .source import SourceTiktokShop


def run() -> None:
    launch(SourceTiktokShop(), sys.argv[1:])
