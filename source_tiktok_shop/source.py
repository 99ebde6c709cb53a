"""The Airbyte source: spec, check, discover, and read on the CDK's `ConcurrentSource`, as Airbyte's own runtime does."""

import logging
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping, MutableMapping
from pathlib import Path
from queue import Queue
from typing import Any

from airbyte_cdk.models import (
    AirbyteCatalog,
    AirbyteConnectionStatus,
    AirbyteMessage,
    AirbyteStateMessage,
    ConfiguredAirbyteCatalog,
    FailureType,
    Status,
)
from airbyte_cdk.sources.concurrent_source.concurrent_source import ConcurrentSource
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import InMemoryMessageRepository, MessageRepository
from airbyte_cdk.sources.message.concurrent_repository import ConcurrentMessageRepository
from airbyte_cdk.sources.source import Source
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor, CursorField, FinalStateCursor
from airbyte_cdk.sources.streams.concurrent.default_stream import DefaultStream
from airbyte_cdk.sources.streams.concurrent.partitions.types import QueueItem
from airbyte_cdk.sources.utils.schema_helpers import ResourceSchemaLoader
from airbyte_cdk.sources.utils.slice_logger import DebugSliceLogger
from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .catalog import STREAMS, STREAMS_BY_NAME
from .config import Settings, parse_settings
from .reading.cursor import ShopCursor
from .reading.declarations import StreamDeclaration
from .reading.estimates import Estimates
from .reading.partitions import ShopPartitions, StreamReader
from .reading.shared_pages import SharedPages
from .reading.shops import ShopDirectory
from .tiktok.client import TikTokClient
from .tiktok.errors import MAX_RETRIES

LOGGER = logging.getLogger("airbyte")
# `check` answers a person waiting in a form: fail in seconds rather than retry for a minute.
CHECK_RETRIES = 2
QUEUE_SIZE = 1_000
# A checkpoint every page's worth of records at most, for endpoints that are not paged too.
DEFAULT_CHECKPOINT_EVERY = 100


class SourceTiktokShop(Source):
    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        try:
            settings = parse_settings(config)
            client = TikTokClient(with_own_credentials(config), settings.client, LOGGER, CHECK_RETRIES)
            shops = ShopDirectory(client.shops, settings.shop_ids).shops()
        except AirbyteTracedException as error:
            message = filter_secrets(error.message or "")
            if error.failure_type != FailureType.config_error:
                message = (
                    "Could not get an answer from TikTok Shop after retrying. Check `credentials.endpoint_url`, "
                    f"`credentials.auth_url` and the network. ({message})"
                )
            return AirbyteConnectionStatus(status=Status.FAILED, message=message)
        names = ", ".join(f"{shop.record.get('name')} ({shop.region})" for shop in shops)
        return AirbyteConnectionStatus(status=Status.SUCCEEDED, message=f"Connected to {len(shops)} shop(s): {names}.")

    def discover(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteCatalog:
        sync = Sync(parse_settings(config), config, ConnectorStateManager(), InMemoryMessageRepository(), SharedPages())
        return AirbyteCatalog(streams=[sync.stream(declaration).as_airbyte_stream() for declaration in STREAMS])

    def read(
        self,
        logger: logging.Logger,
        config: Mapping[str, Any],
        catalog: ConfiguredAirbyteCatalog,
        state: list[AirbyteStateMessage] | None = None,
    ) -> Iterator[AirbyteMessage]:
        settings = parse_settings(config)
        selected = [
            STREAMS_BY_NAME[configured.stream.name]
            for configured in catalog.streams
            if configured.stream.name in STREAMS_BY_NAME
        ]
        if not selected:
            return
        queue: Queue[QueueItem] = Queue(maxsize=QUEUE_SIZE)
        # State goes through the records' queue, so it is never printed ahead of the records it covers.
        repository = ConcurrentMessageRepository(queue, InMemoryMessageRepository())
        readers = Counter(name for declaration in selected for name in declaration.paged_endpoints)
        shared = {name for name, count in readers.items() if count > 1}
        with tempfile.TemporaryDirectory(prefix="tiktok-shop-pages-") as folder:
            shared_pages = SharedPages(Path(folder), shared)
            sync = Sync(settings, config, ConnectorStateManager(state), repository, shared_pages)
            # `num_workers` threads in all; one of them also generates the partitions.
            source = ConcurrentSource.create(
                settings.num_workers, 1, LOGGER, DebugSliceLogger(), repository, queue=queue
            )
            yield from source.read([sync.stream(declaration) for declaration in selected])


class Sync:
    """What the streams of one read share: the client, the shops, the state, the spool of shared pages."""

    def __init__(
        self,
        settings: Settings,
        config: Mapping[str, Any],
        state_manager: ConnectorStateManager,
        repository: MessageRepository,
        shared_pages: SharedPages,
    ):
        self._settings = settings
        self._state_manager = state_manager
        self._repository = repository
        self._client = TikTokClient(with_own_credentials(config), settings.client, LOGGER, MAX_RETRIES)
        self._directory = ShopDirectory(self._client.shops, settings.shop_ids)
        self._shared_pages = shared_pages
        self._schemas = ResourceSchemaLoader(__package__ or "source_tiktok_shop")

    def stream(self, declaration: StreamDeclaration) -> DefaultStream:
        cursor: Cursor = FinalStateCursor(declaration.name, None, self._repository)
        shop_cursor = None
        if declaration.incremental:
            shop_cursor = cursor = ShopCursor(
                declaration.name,
                declaration.incremental.field,
                declaration.advances_per_record,
                self._state_manager,
                self._repository,
                declaration.endpoint.page_size or DEFAULT_CHECKPOINT_EVERY,
            )
        reader = StreamReader(
            declaration,
            self._client,
            self._directory,
            self._settings.bounds,
            shop_cursor,
            self._shared_pages,
            Estimates(declaration.name, self._repository),
            LOGGER,
            most_parts=self._settings.num_workers,
        )
        return DefaultStream(
            partition_generator=ShopPartitions(reader),
            name=declaration.name,
            json_schema=self._schemas.get_schema(declaration.name),
            primary_key=list(declaration.primary_key),
            cursor_field=CursorField(declaration.cursor_field) if declaration.cursor_field else None,
            logger=LOGGER,
            cursor=cursor,
        )


def with_own_credentials(config: Mapping[str, Any]) -> MutableMapping[str, Any]:
    """A copy of the config for the tokens to be written into (and emitted from) as they rotate."""
    return {**config, "credentials": dict(config["credentials"])}
