"""The per-shop cursor: the only owner of an incremental stream's state, `{"<shop_id>": {"<cursor_field>": value}}`.

A value is Unix seconds or, for the analytics streams, a day (`YYYY-MM-DD`): days order as their strings do.
"""

import json
import re
import threading
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor
from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.types import Record
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..tiktok.endpoints import Window

# Keys the CDK writes into a stream's state for its own bookkeeping (`__ab_no_cursor_state_message`, ...).
CDK_STATE_MARKER = "__ab_"
# A partition is one shop and one window.
PartitionKey = tuple[str, int | None, int | None]
# The parts of a window beyond the shop's value that were read, to their end or up to a value, while the
# parts before them were still being read: `[[start, end, read_to], ...]`.
PARTS_READ = "parts_read"
CursorValue = int | str
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Part:
    """One of the consecutive parts of a window read side by side."""

    window: Window
    done: bool = False
    max: int | None = None

    @property
    def read_to(self) -> int | None:
        """Up to where its records have been emitted (its end once done)."""
        return self.window.end if self.done else self.max


@dataclass(frozen=True)
class PartRead:
    """A part of a window an earlier sync read, up to `read_to`."""

    window: Window
    read_to: int


class ShopCursor(Cursor):
    """Advances each shop's value as records are emitted, and checkpoints it.

    Where the endpoint returns records in ascending cursor order, the value moves with every record, so a
    checkpoint after any record is safe; otherwise it moves to the largest value of a partition only once
    the whole partition has been read. The CDK calls `observe` after a record is queued, so the state
    messages, which travel through the same queue, never run ahead of the records they cover.

    A window read as parts side by side (`split`) moves the value only over its contiguous completed
    part: the parts done from the first on, and the records seen so far of the first part not done yet.
    How far each part beyond it was read is kept in the state too (`parts_read`), so a sync stopped half
    way reads again only what a part had not reached, less the lookback.
    """

    def __init__(
        self,
        stream_name: str,
        cursor_field: str,
        advances_per_record: bool,
        state_manager: ConnectorStateManager,
        message_repository: MessageRepository,
        checkpoint_every: int,
        days: bool = False,
    ):
        self._stream_name = stream_name
        self._field = cursor_field
        self._days = days  # values are days, not Unix seconds
        self._advances_per_record = advances_per_record
        self._state_manager = state_manager
        self._message_repository = message_repository
        self._checkpoint_every = checkpoint_every
        self._lock = threading.Lock()
        self._values: dict[str, CursorValue] = {}
        self._parts_read: dict[str, list[PartRead]] = {}
        self._partition_max: dict[PartitionKey, CursorValue] = {}
        self._parts: dict[str, dict[int, Part]] = {}  # per shop, by number, in window order
        self._since_checkpoint = 0
        for shop_id, entry in self.saved_entries(state_manager.get_stream_state(stream_name, None)).items():
            self._values[shop_id] = entry[self._field]
            self._parts_read[shop_id] = _parts_read(entry.get(PARTS_READ))

    def saved_entries(self, state: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
        """Each shop's saved entry; a state of another form is refused rather than read as "start over"."""
        entries = {}
        for shop_id, entry in (state or {}).items():
            if str(shop_id).startswith(CDK_STATE_MARKER):
                continue
            if not isinstance(entry, Mapping) or not self._is_value(entry.get(self._field)):
                form = '"YYYY-MM-DD"' if self._days else "<Unix seconds>"
                raise AirbyteTracedException(
                    message=f"The state of stream `{self._stream_name}` is not of the form this connector writes, "
                    f'{{"<shop_id>": {{"{self._field}": {form}}}}}: the entry {str(shop_id)!r} holds '
                    f"{json.dumps(entry, default=str)[:80]}. Fix it, or remove the stream's state to read it from "
                    "`start_date`.",
                    failure_type=FailureType.config_error,
                )
            entries[str(shop_id)] = entry
        return entries

    @property
    def state(self) -> MutableMapping[str, Any]:
        with self._lock:
            return self._state()

    def _state(self) -> MutableMapping[str, Any]:
        state: dict[str, Any] = {}
        for shop_id, value in sorted(self._values.items()):
            entry: dict[str, Any] = {self._field: value}
            parts_read = self._parts_read_now(shop_id)
            if parts_read:
                entry[PARTS_READ] = [[part.window.start, part.window.end, part.read_to] for part in parts_read]
            state[shop_id] = entry
        return state

    def value_for(self, shop_id: str) -> CursorValue | None:
        with self._lock:
            return self._values.get(shop_id)

    def parts_read_for(self, shop_id: str) -> list[PartRead]:
        """The parts beyond the shop's value an earlier sync read, and how far."""
        with self._lock:
            return list(self._parts_read.get(shop_id, []))

    def split(self, shop_id: str, parts: list[tuple[int, Window, bool]]) -> None:
        """The shop's window is read as these consecutive parts, by number (some done already); records say theirs
        in `slice["part"]`."""
        with self._lock:
            self._parts[shop_id] = {number: Part(window, done) for number, window, done in parts}
            self._parts_read.pop(shop_id, None)

    def follow(self, shop_id: str, parts: list[tuple[int, Window]]) -> None:
        """The shop's parts as they are now that some were cut again while read: a cut part ends sooner, and the
        parts cut from it are still to read."""
        with self._lock:
            known = self._parts[shop_id]
            for number, window in parts:
                if number in known:
                    known[number].window = window
                else:
                    known[number] = Part(window)
            self._parts[shop_id] = dict(sorted(known.items(), key=lambda item: item[1].window.start))

    def part_done(self, shop_id: str, number: int) -> None:
        with self._lock:
            self._parts[shop_id][number].done = True
            self._advance_over_parts(shop_id)
        self._checkpoint()

    def read_through(self, shop_id: str, value: CursorValue) -> None:
        """The shop is read up to `value`, whether any record has it or not (an analytics day without rows)."""
        with self._lock:
            self._advance(shop_id, value)

    def observe(self, record: Record) -> None:
        value = record.data.get(self._field)
        with self._lock:
            if self._is_value(value):
                self._note(value, str(record.data["shop_id"]), record.associated_slice)
            self._since_checkpoint += 1
            due = self._since_checkpoint >= self._checkpoint_every
        if due:
            self._checkpoint()

    def _note(self, value: CursorValue, shop_id: str, stream_slice: Mapping[str, Any] | None) -> None:
        """What a record emitted moves: its part of the window, the shop's value, or its partition's largest."""
        number = stream_slice.get("part") if stream_slice else None
        if isinstance(value, int) and number is not None and shop_id in self._parts:
            part = self._parts[shop_id][number]
            part.max = value if part.max is None else max(part.max, value)
            self._advance_over_parts(shop_id)
        elif self._advances_per_record:
            self._advance(shop_id, value)
        else:
            key = self._key(stream_slice)
            if _later(value, self._partition_max.get(key)):
                self._partition_max[key] = value

    def close_partition(self, partition: Partition) -> None:
        key = self._key(partition.to_slice())
        with self._lock:
            for part in self._parts.pop(key[0], {}).values():
                if part.max is not None:
                    self._advance(key[0], part.max)
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

    def _advance_over_parts(self, shop_id: str) -> None:
        for part in self._parts[shop_id].values():
            if part.max is not None:
                self._advance(shop_id, part.max)
            if not part.done:
                return

    def _parts_read_now(self, shop_id: str) -> list[PartRead]:
        """The parts read after the first part not done (or the ones saved, until this sync splits the window)."""
        by_number = self._parts.get(shop_id)
        if by_number is None:
            return self._parts_read.get(shop_id, [])
        parts = list(by_number.values())
        pending = [number for number, part in enumerate(parts) if not part.done]
        after = parts[pending[0] + 1 :] if pending else []
        return [PartRead(part.window, read_to) for part in after if (read_to := part.read_to) is not None]

    def _advance(self, shop_id: str, value: CursorValue) -> None:
        if _later(value, self._values.get(shop_id)):
            self._values[shop_id] = value

    def _is_value(self, value: Any) -> TypeGuard[CursorValue]:
        if self._days:
            return isinstance(value, str) and DAY.fullmatch(value) is not None
        return isinstance(value, int) and not isinstance(value, bool)

    def _checkpoint(self) -> None:
        with self._lock:
            self._since_checkpoint = 0
            self._state_manager.update_state_for_stream(self._stream_name, None, self._state())
            self._message_repository.emit_message(self._state_manager.create_state_message(self._stream_name, None))


def _later(value: CursorValue, than: CursorValue | None) -> bool:
    """Whether `value` is past `than`; one stream's values are all Unix seconds, or all days."""
    if than is None:
        return True
    if isinstance(value, int) and isinstance(than, int):
        return value > than
    return str(value) > str(than)


def _parts_read(saved: Any) -> list[PartRead]:
    """`parts_read` as saved; anything else in its place is ignored (those parts are read again)."""
    if not isinstance(saved, list):
        return []
    triples = [
        item for item in saved if isinstance(item, list) and len(item) == 3 and all(isinstance(x, int) for x in item)
    ]
    parts = [PartRead(Window(start, end), read_to) for start, end, read_to in triples if start < end]
    return sorted(parts, key=lambda part: part.window.start)
