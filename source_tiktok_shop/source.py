import logging
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from queue import Queue
from typing import Any

from airbyte_cdk.models import (
    AirbyteConnectionStatus,
    AirbyteMessage,
    AirbyteStateMessage,
    ConfiguredAirbyteCatalog,
    FailureType,
    Status,
)
from airbyte_cdk.sources.concurrent_source.concurrent_source import ConcurrentSource
from airbyte_cdk.sources.concurrent_source.concurrent_source_adapter import ConcurrentSourceAdapter
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import InMemoryMessageRepository, MessageRepository
from airbyte_cdk.sources.message.concurrent_repository import ConcurrentMessageRepository
from airbyte_cdk.sources.streams import Stream
from airbyte_cdk.sources.streams.concurrent.partitions.types import QueueItem
from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .auth import TikTokShopAuthenticator
from .concurrency import ShopStateCursor
from .config import DEFAULT_NUM_WORKERS, Settings, parse_settings
from .errors import MAX_RETRIES
from .pacing import shop_budget
from .shared_pages import SharedPages
from .streams import STREAMS, ShopDirectory
from .streams.base import IncrementalTikTokShopStream

LOGGER = logging.getLogger("airbyte")
# `check` answers a person waiting in a form: fail in seconds rather than retry for a minute.
CHECK_RETRIES = 2
QUEUE_SIZE = 1_000


class SourceTiktokShop(ConcurrentSourceAdapter):
    def __init__(self) -> None:
        self._state_manager = ConnectorStateManager()
        self._shared_pages: SharedPages | None = None
        super().__init__(concurrent_source=self._concurrent_source_for(DEFAULT_NUM_WORKERS))

    @property
    def message_repository(self) -> MessageRepository:
        return self._message_repository

    def _concurrent_source_for(self, num_workers: int) -> ConcurrentSource:
        """A pool of workers and one queue that carries records and state messages alike.

        State goes through the records' queue so it is never printed ahead of the records it covers:
        a sync killed at any point resumes without losing a record.
        """
        queue: Queue[QueueItem] = Queue(maxsize=QUEUE_SIZE)
        self._message_repository = ConcurrentMessageRepository(queue, InMemoryMessageRepository())
        # `num_workers` threads in all; one of them also generates the partitions.
        return ConcurrentSource.create(
            num_workers, 1, LOGGER, self._slice_logger, self._message_repository, queue=queue
        )

    def _connect(
        self, config: Mapping[str, Any], max_retries: int = MAX_RETRIES
    ) -> tuple[Settings, TikTokShopAuthenticator, ShopDirectory]:
        settings = parse_settings(config)
        authenticator = TikTokShopAuthenticator(config, settings, LOGGER, max_retries)  # type: ignore[arg-type]
        return settings, authenticator, ShopDirectory(settings, authenticator, max_retries)

    def check_connection(self, logger: logging.Logger, config: Mapping[str, Any]) -> tuple[bool, Any]:
        try:
            shops = self._connect(config, CHECK_RETRIES)[2].shops()
        except AirbyteTracedException as error:
            if error.failure_type == FailureType.config_error:
                return False, filter_secrets(error.message or "")
            return False, (
                "Could not get an answer from TikTok Shop after retrying. Check `credentials.endpoint_url`, "
                f"`credentials.auth_url` and the network. ({filter_secrets(error.message or '')})"
            )
        names = ", ".join(f"{shop.get('name')} ({shop.get('region')})" for shop in shops)
        return True, f"Connected to {len(shops)} shop(s): {names}."

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        succeeded, message = self.check_connection(logger, config)
        return AirbyteConnectionStatus(status=Status.SUCCEEDED if succeeded else Status.FAILED, message=message)

    def read(
        self,
        logger: logging.Logger,
        config: Mapping[str, Any],
        catalog: ConfiguredAirbyteCatalog,
        state: list[AirbyteStateMessage] | None = None,
    ) -> Iterator[AirbyteMessage]:
        self._concurrent_source = self._concurrent_source_for(parse_settings(config).num_workers)
        self._state_manager = ConnectorStateManager(state=state)
        selected = {configured.stream.name for configured in catalog.streams}
        readers = Counter(stream.endpoint.name for stream in STREAMS if stream.name in selected)
        with tempfile.TemporaryDirectory(prefix="tiktok-shop-pages-") as folder:
            self._shared_pages = SharedPages(Path(folder), {name for name, count in readers.items() if count > 1})
            try:
                yield from super().read(logger, config, catalog, state)
            finally:
                self._shared_pages = None

    def streams(self, config: Mapping[str, Any]) -> list[Stream]:
        settings, authenticator, directory = self._connect(config)
        budget = shop_budget(settings.requests_per_second_per_shop)
        streams = [stream(settings, authenticator, directory, budget, self._shared_pages) for stream in STREAMS]
        return [self._concurrent(stream) for stream in streams]

    def _concurrent(self, stream: Stream) -> Stream:
        cursor = None
        if isinstance(stream, IncrementalTikTokShopStream):
            cursor = ShopStateCursor(stream, self._state_manager, self._message_repository)
        return self.convert_to_concurrent_stream(LOGGER, stream, self._state_manager, cursor)
