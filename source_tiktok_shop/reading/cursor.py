"""The per-shop cursor: the only owner of an incremental stream's state, `{"<shop_id>": {"<cursor_field>": value}}`."""

import json
import threading
from collections.abc import Mapping, MutableMapping
from typing import Any

from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor
from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.types import Record
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

# Keys the CDK writes into a stream's state for its own bookkeeping (`__ab_no_cursor_state_message`, ...).
CDK_STATE_MARKER = "__ab_"
# A partition is one shop and one window.
PartitionKey = tuple[str, int | None, int | None]


class ShopCursor(Cursor):
    """Advances each shop's value as records are emitted, and checkpoints it.

    Where the endpoint returns records in ascending cursor order, the value moves with every record, so a
    checkpoint after any record is safe; otherwise it moves to the largest value of a partition only once
    the whole partition has been read. The CDK calls `observe` after a record is queued, so the state
    messages, which travel through the same queue, never run ahead of the records they cover.
    """

    def __init__(
        self,
        stream_name: str,
        cursor_field: str,
        advances_per_record: bool,
        state_manager: ConnectorStateManager,
        message_repository: MessageRepository,
        checkpoint_every: int,
    ):
        self._stream_name = stream_name
        self._field = cursor_field
        self._advances_per_record = advances_per_record
        self._state_manager = state_manager
        self._message_repository = message_repository
        self._checkpoint_every = checkpoint_every
        self._lock = threading.Lock()
        self._values: dict[str, int] = {}
        self._partition_max: dict[PartitionKey, int] = {}
        self._since_checkpoint = 0
        for shop_id, value in self.saved_values(state_manager.get_stream_state(stream_name, None)).items():
            self._values[shop_id] = value

    def saved_values(self, state: Mapping[str, Any]) -> dict[str, int]:
        """Each shop's saved value; a state of another form is refused rather than read as "start over"."""
        values = {}
        for shop_id, entry in (state or {}).items():
            if str(shop_id).startswith(CDK_STATE_MARKER):
                continue
            if not isinstance(entry, Mapping) or type(entry.get(self._field)) is not int:
                raise AirbyteTracedException(
                    message=f"The state of stream `{self._stream_name}` is not of the form this connector writes, "
                    f'{{"<shop_id>": {{"{self._field}": <Unix seconds>}}}}: the entry {str(shop_id)!r} holds '
                    f"{json.dumps(entry, default=str)[:80]}. Fix it, or remove the stream's state to read it from "
                    "`start_date`.",
                    failure_type=FailureType.config_error,
                )
            values[str(shop_id)] = entry[self._field]
        return values

    @property
    def state(self) -> MutableMapping[str, Any]:
        with self._lock:
            return self._state()

    def _state(self) -> MutableMapping[str, Any]:
        return {shop_id: {self._field: value} for shop_id, value in sorted(self._values.items())}

    def value_for(self, shop_id: str) -> int | None:
        with self._lock:
            return self._values.get(shop_id)

    def observe(self, record: Record) -> None:
        value = record.data.get(self._field)
        if isinstance(value, int):
            shop_id = str(record.data["shop_id"])
            with self._lock:
                if self._advances_per_record:
                    self._advance(shop_id, value)
                else:
                    key = self._key(record.associated_slice)
                    self._partition_max[key] = max(value, self._partition_max.get(key, value))
        with self._lock:
            self._since_checkpoint += 1
            due = self._since_checkpoint >= self._checkpoint_every
        if due:
            self._checkpoint()

    def close_partition(self, partition: Partition) -> None:
        key = self._key(partition.to_slice())
        with self._lock:
            value = self._partition_max.pop(key, None)
            if value is not None:
                self._advance(key[0], value)
        self._checkpoint()

    def ensure_at_least_one_state_emitted(self) -> None:
        self._checkpoint()

    def should_be_synced(self, record: Record) -> bool:
        return True

    @staticmethod
    def _key(stream_slice: Mapping[str, Any] | None) -> PartitionKey:
        stream_slice = stream_slice or {}
        return str(stream_slice.get("shop_id")), stream_slice.get("start"), stream_slice.get("end")

    def _advance(self, shop_id: str, value: int) -> None:
        if value > self._values.get(shop_id, -1):
            self._values[shop_id] = value

    def _checkpoint(self) -> None:
        with self._lock:
            self._since_checkpoint = 0
            self._state_manager.update_state_for_stream(self._stream_name, None, self._state())
            self._message_repository.emit_message(self._state_manager.create_state_message(self._stream_name, None))
