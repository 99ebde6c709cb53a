"""Reads streams and shops in parallel on the CDK's concurrent framework, with per-shop state.

Each partition is one shop of one stream, read in order (windows, then pages), so a shop's cursor
only moves forward; shops and streams run side by side on a bounded pool of workers.
"""

import threading
from collections.abc import MutableMapping
from typing import Any

from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor
from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.types import Record

from .streams.base import IncrementalTikTokShopStream


class ShopStateCursor(Cursor):
    """Checkpoints the stream's own per-shop state: after every page's worth of records and every partition.

    The stream knows when its cursor may safely move (after each record when the endpoint sorts
    ascending, after each window otherwise); this cursor only decides when to emit it.
    """

    def __init__(
        self,
        stream: IncrementalTikTokShopStream,
        state_manager: ConnectorStateManager,
        message_repository: MessageRepository,
    ):
        self._stream = stream
        self._state_manager = state_manager
        self._message_repository = message_repository
        self._lock = threading.Lock()
        self._records_since_checkpoint = 0
        self._checkpoint_every = stream.state_checkpoint_interval or 100

    @property
    def state(self) -> MutableMapping[str, Any]:
        return self._stream.state

    def observe(self, record: Record) -> None:
        with self._lock:
            self._records_since_checkpoint += 1
            due = self._records_since_checkpoint >= self._checkpoint_every
        if due:
            self._checkpoint()

    def close_partition(self, partition: Partition) -> None:
        self._checkpoint()

    def ensure_at_least_one_state_emitted(self) -> None:
        self._checkpoint()

    def should_be_synced(self, record: Record) -> bool:
        return True

    def _checkpoint(self) -> None:
        with self._lock:
            self._records_since_checkpoint = 0
            name, namespace = self._stream.name, self._stream.namespace
            self._state_manager.update_state_for_stream(name, namespace, self._stream.state)
            self._message_repository.emit_message(self._state_manager.create_state_message(name, namespace))
