import logging
from collections.abc import Mapping
from typing import Any

from airbyte_cdk.models import AirbyteConnectionStatus, Status
from airbyte_cdk.sources import AbstractSource
from airbyte_cdk.sources.streams import Stream
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .auth import TikTokShopAuthenticator
from .config import parse_settings
from .streams import STREAMS, ShopDirectory


class SourceTiktokShop(AbstractSource):
    def _shop_directory(
        self, config: Mapping[str, Any], logger: logging.Logger
    ) -> tuple[Any, TikTokShopAuthenticator, ShopDirectory]:
        settings = parse_settings(config)
        authenticator = TikTokShopAuthenticator(config, settings, logger)  # type: ignore[arg-type]
        return settings, authenticator, ShopDirectory(settings, authenticator, logger)

    def check_connection(self, logger: logging.Logger, config: Mapping[str, Any]) -> tuple[bool, Any]:
        try:
            _, _, directory = self._shop_directory(config, logger)
            shops = directory.shops()
        except AirbyteTracedException as error:
            return False, error.message
        names = ", ".join(f"{shop.get('name')} ({shop.get('region')})" for shop in shops)
        return True, f"Connected to {len(shops)} shop(s): {names}."

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        succeeded, message = self.check_connection(logger, config)
        return AirbyteConnectionStatus(status=Status.SUCCEEDED if succeeded else Status.FAILED, message=message)

    def streams(self, config: Mapping[str, Any]) -> list[Stream]:
        settings, authenticator, directory = self._shop_directory(config, logging.getLogger("airbyte"))
        return [stream(settings, authenticator, directory) for stream in STREAMS]
