"""The Airbyte source: spec, check, discover, and read on the CDK's `ConcurrentSource`, as Airbyte's own runtime does."""

import logging
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from queue import Queue
from typing import Any

from airbyte_cdk.models import (
    AirbyteCatalog,
    AirbyteConnectionStatus,
    AirbyteMessage,
    AirbyteStateMessage,
    AirbyteStream,
    ConfiguredAirbyteCatalog,
    ConfiguredAirbyteStream,
    DestinationSyncMode,
    FailureType,
    Status,
    SyncMode,
)
from airbyte_cdk.sources.concurrent_source.concurrent_source import ConcurrentSource
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import InMemoryMessageRepository, MessageRepository
from airbyte_cdk.sources.message.concurrent_repository import ConcurrentMessageRepository
from airbyte_cdk.sources.source import Source
from airbyte_cdk.sources.streams.concurrent.abstract_stream import AbstractStream
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor, CursorField, FinalStateCursor
from airbyte_cdk.sources.streams.concurrent.default_stream import DefaultStream
from airbyte_cdk.sources.streams.concurrent.partitions.types import QueueItem
from airbyte_cdk.sources.utils.schema_helpers import ResourceSchemaLoader
from airbyte_cdk.sources.utils.slice_logger import DebugSliceLogger
from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from . import inputs
from .catalog import STREAMS, STREAMS_BY_NAME
from .config import Settings, parse_settings
from .reading.cursor import ShopCursor
from .reading.declarations import StreamDeclaration
from .reading.estimates import Estimates
from .reading.failures import Failures
from .reading.page_checks import page_checks
from .reading.parallel_windows import ReaderPool
from .reading.partitions import ShopPartitions, StreamReader
from .reading.shared_pages import SharedPages
from .reading.shops import ShopDirectory
from .tiktok.client import TikTokClient
from .tiktok.errors import MAX_RETRIES
from .tiktok.tokens import KEEP_THE_NEW_TOKENS

LOGGER = logging.getLogger("airbyte")
# `check` answers a person waiting in a form: fail in seconds rather than retry for a minute.
CHECK_RETRIES = 2
QUEUE_SIZE = 1_000
# A checkpoint every page's worth of records at most, for endpoints that are not paged too.
DEFAULT_CHECKPOINT_EVERY = 100
AUTH_CODE_KEPT_FOR_LATER = (
    "The configuration is valid. The auth code was not used: it can be exchanged only once, and the tokens it "
    "gives must be kept, which a check cannot do for a source being created. The connector exchanges it on the "
    "first discover or read (Airbyte runs discover when you set up a connection), which must come within 30 "
    "minutes of the seller's consent; the shops are listed then."
)


class SourceTiktokShop(Source):
    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        try:
            settings = parse_settings(config)
            client = TikTokClient(with_own_credentials(config), settings.client, LOGGER, CHECK_RETRIES)
            if client.tokens.would_spend_auth_code:
                # Airbyte checks a new source before it exists, and can keep no token for it (design.md).
                return AirbyteConnectionStatus(status=Status.SUCCEEDED, message=AUTH_CODE_KEPT_FOR_LATER)
            shops = ShopDirectory(client.shops, settings.shop_ids).shops()
        except AirbyteTracedException as error:
            return AirbyteConnectionStatus(status=Status.FAILED, message=filter_secrets(error.message or ""))
        names = ", ".join(f"{shop.record.get('name')} ({shop.region})" for shop in shops)
        return AirbyteConnectionStatus(status=Status.SUCCEEDED, message=f"Connected to {len(shops)} shop(s): {names}.")

    def discover(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteCatalog:
        sync = Sync(parse_settings(config), config, ConnectorStateManager(), InMemoryMessageRepository(), SharedPages())
        # Airbyte keeps the tokens of a discover (the source exists by then), within the code's 30 minutes.
        sync.exchange_auth_code()
        return AirbyteCatalog(streams=[airbyte_stream(declaration) for declaration in STREAMS])

    def read(
        self,
        logger: logging.Logger,
        config: Mapping[str, Any],
        catalog: ConfiguredAirbyteCatalog,
        state: list[AirbyteStateMessage] | None = None,
    ) -> Iterator[AirbyteMessage]:
        settings = parse_settings(config)
        selected = [declaration_of(configured.stream.name) for configured in catalog.streams]
        if not selected:
            return
        queue: Queue[QueueItem] = Queue(maxsize=QUEUE_SIZE)
        # State goes through the records' queue, so it is never printed ahead of the records it covers.
        repository = ConcurrentMessageRepository(queue, InMemoryMessageRepository())
        reading = Counter(name for declaration in selected for name in declaration.paged_endpoints)
        shared = {name for name, count in reading.items() if count > 1}
        readers = ReaderPool(settings.num_workers)
        with tempfile.TemporaryDirectory(prefix="tiktok-shop-pages-") as folder:
            shared_pages = SharedPages(Path(folder), shared)
            sync = Sync(settings, config, ConnectorStateManager(state), repository, shared_pages, readers)
            streams: list[AbstractStream] = [sync.stream(declaration) for declaration in selected]
            # Once for the whole sync, before any stream starts: what fails here would fail every stream alike.
            sync.start()
            # `num_workers` threads run the partitions (one of them also generates them), and the pool's
            # `num_workers` read the parts of the windows cut in parts; the client sends `num_workers` requests
            # at most at once, whichever thread sends them (docs/reading.md).
            source = ConcurrentSource.create(
                settings.num_workers, 1, LOGGER, DebugSliceLogger(), repository, queue=queue
            )
            try:
                yield from sync.failures.reported(source.read(streams))
            finally:
                readers.close()

    @staticmethod
    def read_config(config_path: str) -> dict[str, Any]:
        return inputs.read_config(config_path)

    @classmethod
    def read_catalog(cls, catalog_path: str) -> ConfiguredAirbyteCatalog:
        return inputs.read_catalog(catalog_path)

    @classmethod
    def read_state(cls, state_path: str) -> list[AirbyteStateMessage]:
        return inputs.read_state(state_path) if state_path else []


class Sync:
    """What the streams of one read share: the client, the shops, the state, the spool of shared pages."""

    def __init__(
        self,
        settings: Settings,
        config: Mapping[str, Any],
        state_manager: ConnectorStateManager,
        repository: MessageRepository,
        shared_pages: SharedPages,
        readers: ReaderPool | None = None,
    ):
        self._settings = settings
        self._state_manager = state_manager
        self._repository = repository
        self._client = TikTokClient(with_own_credentials(config), settings.client, LOGGER, MAX_RETRIES)
        self._client.page_checks = page_checks(STREAMS, SCHEMAS.get_schema)
        self._directory = ShopDirectory(self._client.shops, settings.shop_ids)
        self._shared_pages = shared_pages
        self._readers = readers
        self.failures = Failures(LOGGER)

    def exchange_auth_code(self) -> None:
        """Spends the auth code, when the config holds nothing else, and says where the tokens went."""
        if self._client.tokens.would_spend_auth_code:
            self._client.tokens.access_token()
            LOGGER.warning(KEEP_THE_NEW_TOKENS)

    def start(self) -> None:
        """One token call at most and the shop list, once: a failure here is the sync's one error."""
        self.exchange_auth_code()
        self._directory.shops()

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
                days=declaration.by_day,
            )
        reader = StreamReader(
            declaration,
            self.failures.api_for(self._client),
            self._directory,
            self._settings.bounds,
            shop_cursor,
            self._shared_pages,
            Estimates(declaration.name, self._repository),
            LOGGER,
            readers=self._readers,
            options=self._settings.options,
        )
        return DefaultStream(
            partition_generator=ShopPartitions(reader),
            name=declaration.name,
            json_schema=SCHEMAS.get_schema(declaration.name),
            primary_key=list(declaration.primary_key),
            cursor_field=CursorField(declaration.cursor_field) if declaration.cursor_field else None,
            logger=LOGGER,
            cursor=cursor,
        )


def with_own_credentials(config: Mapping[str, Any]) -> MutableMapping[str, Any]:
    """A copy of the config for the tokens to be written into (and emitted from) as they rotate."""
    return {**config, "credentials": dict(config["credentials"])}


SCHEMAS = ResourceSchemaLoader(__package__ or "source_tiktok_shop")


def airbyte_stream(declaration: StreamDeclaration) -> AirbyteStream:
    """A stream as discover reports it, from its declaration alone (no config needed)."""
    incremental = declaration.incremental is not None
    return AirbyteStream(
        name=declaration.name,
        json_schema=SCHEMAS.get_schema(declaration.name),
        supported_sync_modes=[SyncMode.full_refresh, SyncMode.incremental] if incremental else [SyncMode.full_refresh],
        source_defined_cursor=True if incremental else None,
        default_cursor_field=[declaration.cursor_field] if declaration.cursor_field else None,
        source_defined_primary_key=[[key] for key in declaration.primary_key],
        is_resumable=incremental,
        is_file_based=False,
    )


def declaration_of(name: str) -> StreamDeclaration:
    """A catalog's stream; one the connector does not have is a config error, as the CDK's own sources make it."""
    if name not in STREAMS_BY_NAME:
        raise AirbyteTracedException(
            message=f"The catalog names a stream this connector does not have: `{name}`. "
            f"Its streams: {', '.join(STREAMS_BY_NAME)}.",
            failure_type=FailureType.config_error,
        )
    return STREAMS_BY_NAME[name]


def configured_catalog(names: Sequence[str] = (), full_refresh: bool = False) -> ConfiguredAirbyteCatalog:
    """A catalog for `read`: the streams named (default: all), incremental where they can be unless `full_refresh`."""
    declarations = [declaration_of(name) for name in names] if names else list(STREAMS)
    configured = []
    for declaration in declarations:
        incremental = declaration.incremental is not None and not full_refresh
        configured.append(
            ConfiguredAirbyteStream(
                stream=airbyte_stream(declaration),
                sync_mode=SyncMode.incremental if incremental else SyncMode.full_refresh,
                destination_sync_mode=DestinationSyncMode.append_dedup
                if incremental
                else DestinationSyncMode.overwrite,
                cursor_field=[declaration.cursor_field] if incremental and declaration.cursor_field else None,
                primary_key=[[key] for key in declaration.primary_key],
            )
        )
    return ConfiguredAirbyteCatalog(streams=configured)
