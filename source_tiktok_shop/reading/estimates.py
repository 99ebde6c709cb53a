"""Row estimates from the API's `total_count`, so the platform can show a sync's progress."""

import threading
import time
from collections.abc import Hashable

from airbyte_cdk.models import (
    AirbyteEstimateTraceMessage,
    AirbyteMessage,
    AirbyteTraceMessage,
    EstimateType,
    TraceType,
    Type,
)
from airbyte_cdk.sources.message import MessageRepository


class Estimates:
    """The rows a stream will emit, summed over its shops' queries as the first page of each tells."""

    def __init__(self, stream_name: str, message_repository: MessageRepository):
        self._stream_name = stream_name
        self._message_repository = message_repository
        self._lock = threading.Lock()
        self._by_query: dict[Hashable, int] = {}

    def query_total(self, query: Hashable, total: int) -> None:
        """`total`: the rows of one query of a shop (`query` names it: the shop, and the filters of its variant)."""
        with self._lock:
            self._by_query[query] = total
            rows = sum(self._by_query.values())
        estimate = AirbyteEstimateTraceMessage(name=self._stream_name, type=EstimateType.STREAM, row_estimate=rows)
        self._message_repository.emit_message(
            AirbyteMessage(
                type=Type.TRACE,
                trace=AirbyteTraceMessage(type=TraceType.ESTIMATE, emitted_at=time.time() * 1000, estimate=estimate),
            )
        )
