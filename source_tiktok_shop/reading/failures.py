"""One failure, one report: an endpoint that failed for good for a shop is asked no more this sync, its error is
reported once, and the sync's end names every stream it ended, with the shop and the cause.

The CDK's concurrent read emits an error trace for each partition that raises and goes on with the others; at the
end it raises one error naming the failed streams. A cause shared by several streams (the statements that both
`statements` and `statement_transactions` read) or partitions would be one error trace each, after the retries of
each: here the first error of a shop and endpoint names both, the later calls of that shop and endpoint fail at once
with it, and its repeats are dropped from the messages (`Failures.reported`).

A scope missing from the start skips the streams that need it (partitions.py); one taken back during the sync, from
an endpoint that answered earlier in it, is such a failure: the streams reading it stop part way, and their state
must not move past what they read.
"""

import logging
import threading
from collections.abc import Generator, Iterable, Iterator

from airbyte_cdk.models import AirbyteMessage, FailureType, TraceType, Type
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..tiktok.endpoints import Query
from ..tiktok.envelope import Page
from ..tiktok.errors import MissingScopeError, ShopStopped
from ..tiktok.rate import Settled
from .page_reader import Api

# What the error of a shop and endpoint says (the trace and the sync's end quote it); docs/tiktok-shop.md too.
ENDPOINT_FAILED = "{operation} failed for shop {shop}: {cause}"
SCOPE_LOST = (
    "TikTok stopped granting scope `{scope}` during the sync ({answer}): it was revoked for the app or the seller's "
    "authorization. Enable it for the app in TikTok Partner Center and have the seller authorize the app again; the "
    "next sync goes on from the saved state."
)
SAME_CAUSE = "Stream {stream} ended too, from the failure already reported: {message}"
SYNC_ENDED = (
    "Not everything was read. {failures} The other streams and shops were read in full and their state is saved; "
    "the next sync goes on from it."
)


# The CDK logs each failed partition with its traceback (concurrent_read_processor.py); for an error this connector
# raised on purpose (retries spent, a refusal), the error trace says it all: the line keeps the error's message only.
CDK_FAILED_STREAM_LINE = "Exception while syncing stream "


class KnownFailureLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if str(record.msg).startswith(CDK_FAILED_STREAM_LINE) and isinstance(error, AirbyteTracedException):
            record.msg, record.args = f"{record.msg}: {error.message}", None
            record.exc_info = record.exc_text = None
        return True


KNOWN_FAILURE_LINES = KnownFailureLines()


class Failures:
    """The sync's failures for good, by shop and endpoint; shared by every stream of the sync."""

    def __init__(self, logger: logging.Logger):
        self._logger = logger
        if KNOWN_FAILURE_LINES not in logger.filters:
            logger.addFilter(KNOWN_FAILURE_LINES)
        self._lock = threading.Lock()
        self._by_endpoint: dict[tuple[str, str], AirbyteTracedException] = {}
        self._answered: set[str] = set()  # the endpoints that answered in this sync

    def answered(self, query: Query) -> None:
        if query.endpoint.name not in self._answered:
            with self._lock:
                self._answered.add(query.endpoint.name)

    def refused(self, query: Query, error: MissingScopeError) -> Exception:
        """What a missing scope ends: the stream skipped, if the endpoint never answered in this sync; else a failure."""
        if query.endpoint.name not in self._answered:
            return error
        lost = SCOPE_LOST.format(scope=query.endpoint.scope, answer=error)
        return self.failed(query, AirbyteTracedException(message=lost, failure_type=FailureType.config_error))

    def api_for(self, api: Api) -> "GuardedApi":
        return GuardedApi(api, self)

    def known(self, query: Query) -> AirbyteTracedException | None:
        """The error the query's shop and endpoint failed with for good in this sync, if they did."""
        with self._lock:
            first = self._by_endpoint.get(_key(query)) or self._by_endpoint.get(_shop_key(query))
        return _again(first) if first else None

    def failed(self, query: Query, error: AirbyteTracedException) -> AirbyteTracedException:
        """The error to raise for `error` of the query: the first of its shop and endpoint, which names both (a call
        that failed at the same time as the first, of the same kind, is the same cause). An error of the whole shop
        (`ShopStopped`) names the shop itself, and ends its other endpoints too."""
        if isinstance(error, ShopStopped):
            with self._lock:
                first = self._by_endpoint.setdefault(_shop_key(query), error)
            return _again(first)
        shop = f"{query.shop.id} ({query.shop.region})" if query.shop else "(seller level)"
        named = AirbyteTracedException(
            message=ENDPOINT_FAILED.format(
                operation=query.endpoint.operation(), shop=shop, cause=error.message or error.internal_message
            ),
            internal_message=error.internal_message,
            failure_type=error.failure_type,
        )
        with self._lock:
            first = self._by_endpoint.setdefault(_key(query), named)
        return _again(first) if first.failure_type == error.failure_type else named

    def reported(self, messages: Iterable[AirbyteMessage]) -> Iterator[AirbyteMessage]:
        """The sync's messages, each error once (its repeats, in other streams, become a log line); the CDK's error at
        the sync's end says which streams ended with which error."""
        ended: dict[str, list[str]] = {}  # error message → the streams it ended, in order
        try:
            for message in messages:
                trace = message.trace if message.type == Type.TRACE else None
                error = trace.error if trace is not None and trace.type == TraceType.ERROR else None
                if error is None:
                    yield message
                    continue
                stream = error.stream_descriptor.name if error.stream_descriptor else ""
                streams = ended.setdefault(error.message, [])
                if streams:
                    self._logger.warning(SAME_CAUSE.format(stream=stream, message=error.message))
                else:
                    yield message
                streams.append(stream)
        except AirbyteTracedException as end:
            if not ended:
                raise
            raise AirbyteTracedException(
                message=sync_ended(ended), internal_message=end.internal_message, failure_type=end.failure_type
            ) from end


def sync_ended(ended: dict[str, list[str]]) -> str:
    """What the sync's end says: each error, and the streams it ended."""
    failures = " ".join(
        f"{', '.join(dict.fromkeys(streams))}: {message.rstrip('.')}." for message, streams in ended.items()
    )
    return SYNC_ENDED.format(failures=failures)


class GuardedApi:
    """The client as one stream reads it: a shop and endpoint that failed for good fail at once, with the error that
    names them (`Failures`)."""

    def __init__(self, api: Api, failures: Failures):
        self._api = api
        self._failures = failures

    def pages(self, query: Query, page_token: str | None = None) -> Generator[Page, None, None]:
        known = self._failures.known(query)
        if known:
            raise known
        try:
            for page in self._api.pages(query, page_token):
                self._failures.answered(query)
                yield page
        except MissingScopeError as error:
            raise self._failures.refused(query, error) from None
        except AirbyteTracedException as error:
            raise self._failures.failed(query, error) from None

    def call(self, query: Query) -> Page:
        known = self._failures.known(query)
        if known:
            raise known
        try:
            answer = self._api.call(query)
        except MissingScopeError as error:
            raise self._failures.refused(query, error) from None
        except AirbyteTracedException as error:
            raise self._failures.failed(query, error) from None
        self._failures.answered(query)
        return answer

    def settled(self, query: Query) -> Settled:
        return self._api.settled(query)

    def parallelism(self, query: Query) -> int:
        return self._api.parallelism(query)


def _key(query: Query) -> tuple[str, str]:
    return (query.shop.id if query.shop else "", query.endpoint.name)


def _shop_key(query: Query) -> tuple[str, str]:
    return (query.shop.id if query.shop else "", "")


def _again(first: AirbyteTracedException) -> AirbyteTracedException:
    """The same error once more, for another call (an exception object is raised once: it keeps its traceback)."""
    return AirbyteTracedException(
        message=first.message, internal_message=first.internal_message, failure_type=first.failure_type
    )
