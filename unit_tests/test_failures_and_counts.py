"""One failure, one report (reading/failures.py) and counted, not assumed (reading/counts.py): on built pages and
messages, no HTTP."""

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from airbyte_cdk.models import (
    AirbyteErrorTraceMessage,
    AirbyteLogMessage,
    AirbyteMessage,
    AirbyteTraceMessage,
    FailureType,
    Level,
    StreamDescriptor,
    TraceType,
    Type,
)
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_tiktok_shop.reading.counts import COUNTED, LEFT_WHILE_READ, NOT_COUNTED, SHORTFALL, Counts
from source_tiktok_shop.reading.failures import ENDPOINT_FAILED, SAME_CAUSE, SCOPE_LOST, SYNC_ENDED, Failures
from source_tiktok_shop.tiktok.endpoints import ENDPOINTS, Query, Shop, Window
from source_tiktok_shop.tiktok.envelope import Page
from source_tiktok_shop.tiktok.errors import MissingScopeError, ShopStopped
from source_tiktok_shop.tiktok.rate import Settled

US, GB = Shop("1", "c1", "US"), Shop("2", "c2", "GB")
STATEMENTS, PAYMENTS = ENDPOINTS["statements"], ENDPOINTS["payments"]


class Failing:
    """A client whose calls to the endpoints named fail for good, each with an answer of its own."""

    def __init__(self, failing: set[str], failure_type: FailureType = FailureType.transient_error):
        self.failing = failing
        self.failure_type = failure_type
        self.sent = 0

    def pages(self, query: Query, page_token: str | None = None):
        self.sent += 1
        if query.endpoint.name in self.failing:
            raise AirbyteTracedException(
                message=f"TikTok answered with a server error (request_id {self.sent}).",
                internal_message="retries spent",
                failure_type=self.failure_type,
            )
        yield page([{"id": "a"}], total=1)

    def call(self, query: Query) -> Page:
        return next(self.pages(query))

    def settled(self, query: Query) -> Settled:
        return Settled(1.0, 0, 0)

    def parallelism(self, query: Query) -> int:
        return 1


def page(records: list[dict[str, Any]], total: int | None = None, key: str = "statements") -> Page:
    data: dict[str, Any] = {key: records, "next_page_token": ""}
    if total is not None:
        data["total_count"] = total
    return Page.parse(json.dumps({"code": 0, "message": "success", "data": data}).encode(), key)


def raised(call) -> AirbyteTracedException:
    with pytest.raises(AirbyteTracedException) as error:
        call()
    return error.value


def test_a_shop_and_endpoint_that_failed_for_good_fail_at_once_with_the_error_that_names_them():
    client = Failing({"statements"})
    api = Failures(logging.getLogger("test")).api_for(client)
    first = raised(lambda: list(api.pages(Query(STATEMENTS, US))))
    assert first.message == (
        "GET /finance/202309/statements failed for shop 1 (US): TikTok answered with a server error (request_id 1)."
    )
    assert first.failure_type == FailureType.transient_error and first.internal_message == "retries spent"
    again = raised(lambda: list(api.pages(Query(STATEMENTS, US, Window(0, 10)))))
    assert (again.message, client.sent) == (first.message, 1), "asked again, or reported otherwise"
    assert raised(lambda: api.call(Query(STATEMENTS, US))).message == first.message
    # Another shop, another endpoint: asked, and their own.
    assert "shop 2 (GB)" in raised(lambda: list(api.pages(Query(STATEMENTS, GB)))).message
    assert list(api.pages(Query(PAYMENTS, US)))[0].records == [{"id": "a"}]
    assert client.sent == 3


def test_a_call_failing_at_the_same_time_as_the_first_is_the_same_cause_unless_of_another_kind():
    failures = Failures(logging.getLogger("test"))
    first = failures.failed(Query(STATEMENTS, US), AirbyteTracedException(message="500 (request_id 1)."))
    alike = failures.failed(Query(STATEMENTS, US), AirbyteTracedException(message="500 (request_id 2)."))
    other = failures.failed(
        Query(STATEMENTS, US),
        AirbyteTracedException(message="Refused (request_id 3).", failure_type=FailureType.config_error),
    )
    assert alike.message == first.message and "request_id 1" in first.message
    assert "request_id 3" in other.message and other.failure_type == FailureType.config_error


def test_an_error_of_the_whole_shop_ends_each_of_its_endpoints_with_its_own_words_and_no_other_shops():
    failures = Failures(logging.getLogger("test"))
    spent = ShopStopped(message="Shop 1's request budget is spent.", failure_type=FailureType.transient_error)
    first = failures.failed(Query(STATEMENTS, US), spent)
    assert (first.message, first.failure_type) == (spent.message, FailureType.transient_error)
    # Its other endpoints fail at once, in the same words (one report); another shop is asked.
    api = failures.api_for(Failing(set()))
    assert raised(lambda: list(api.pages(Query(PAYMENTS, US)))).message == spent.message
    assert list(api.pages(Query(PAYMENTS, GB)))[0].records == [{"id": "a"}]


def error_trace(stream: str, message: str) -> AirbyteMessage:
    error = AirbyteErrorTraceMessage(
        message=message, failure_type=FailureType.transient_error, stream_descriptor=StreamDescriptor(name=stream)
    )
    return AirbyteMessage(type=Type.TRACE, trace=AirbyteTraceMessage(type=TraceType.ERROR, emitted_at=0, error=error))


def log(text: str) -> AirbyteMessage:
    return AirbyteMessage(type=Type.LOG, log=AirbyteLogMessage(level=Level.INFO, message=text))


def cdk_read(messages: list[AirbyteMessage], end: AirbyteTracedException | None):
    yield from messages
    if end is not None:
        raise end


def test_an_error_repeated_by_other_streams_is_emitted_once_and_the_end_names_each_stream_with_its_cause(caplog):
    cause, other = "GET statements failed for shop 1 (US): 500.", "GET payments failed for shop 2 (GB): 500."
    messages = [
        log("a"),
        error_trace("statements", cause),
        error_trace("statement_transactions", cause),
        error_trace("payments", other),
        log("b"),
    ]
    end = AirbyteTracedException(message="During the sync, ...", failure_type=FailureType.config_error)
    reported: list[AirbyteMessage] = []
    with caplog.at_level(logging.WARNING), pytest.raises(AirbyteTracedException) as final:
        for message in Failures(logging.getLogger("test")).reported(cdk_read(messages, end)):
            reported.append(message)
    assert reported == [messages[0], messages[1], messages[3], messages[4]]
    assert caplog.messages == [f"Stream statement_transactions ended too, from the failure already reported: {cause}"]
    assert final.value.message == (
        f"Not everything was read. statements, statement_transactions: {cause} payments: {other} The other streams "
        "and shops were read in full and their state is saved; the next sync goes on from it."
    )
    assert final.value.failure_type == FailureType.config_error and final.value.__cause__ is end


def test_a_read_without_errors_ends_as_the_cdk_ends_it():
    end = AirbyteTracedException(message="something else")
    with pytest.raises(AirbyteTracedException) as final:
        list(Failures(logging.getLogger("test")).reported(cdk_read([log("a")], end)))
    assert final.value is end
    assert list(Failures(logging.getLogger("test")).reported(cdk_read([log("a")], None))) == [log("a")]


def counted(records: list[int], total: int, now: int | None, caplog, endpoint=STATEMENTS, parts: bool = False):
    """Reads pages of `records` (one page each) of a query whose first page says `total` (and `now` when asked
    again; None: the second ask fails); what was logged."""
    asked: list[Query] = []

    def ask(query: Query):
        asked.append(query)
        if now is None:
            raise AirbyteTracedException(message="failed")
        yield page([], total=now)

    counts = Counts("statements", endpoint, ask, logging.getLogger("test"))
    pages = [page([{"id": str(n)} for n in range(size)], total=total) for size in records]
    count = counts.of(pages[0], Query(endpoint, US, Window(0, 86_400)))
    with caplog.at_level(logging.INFO):
        if parts:
            list(count.parts([(0, pages[0]), (0, None), *[(1, later) for later in pages[1:]], (1, None)]))
        else:
            list(count.pages(pages))
        counts.log(US)
    return [(record.levelname, record.getMessage()) for record in caplog.records], asked


@pytest.mark.parametrize("parts", [False, True], ids=["one query", "in parts"])
def test_a_query_read_in_full_logs_its_counts_and_asks_nothing_again(caplog, parts):
    logged, asked = counted([50, 50, 7], 107, 107, caplog, parts=parts)
    assert logged == [
        ("INFO", "Counted: statements, shop 1: 107 statements read, of the 107 TikTok's first pages counted.")
    ]
    assert not asked


@pytest.mark.parametrize(
    "now, level, says",
    [
        (110, "WARNING", "but TikTok's first page counted 110 and it counts 110 now: 3 not read."),
        (108, "WARNING", "but TikTok's first page counted 110 and it counts 108 now: 1 not read."),
        (None, "WARNING", "but TikTok's first page counted 110 and it could not be asked again: 3 not read."),
        (107, "INFO", "3 fewer than TikTok counted when the read began: they were updated while it went on"),
        (100, "INFO", "3 fewer than TikTok counted when the read began"),
    ],
)
def test_fewer_records_than_counted_are_a_shortfall_only_if_fewer_than_counted_after_the_read_too(
    caplog, now, level, says
):
    logged, asked = counted([50, 50, 7], 110, now, caplog)
    (shortfall, total) = logged
    assert shortfall[0] == level and says in shortfall[1], shortfall
    assert "statements, shop 1: 107 statements read from 1970-01-01T00:00:00Z to 1970-01-02T00:00:00Z" in shortfall[1]
    assert total[1].endswith("107 statements read, of the 110 TikTok's first pages counted.")
    assert [query.window for query in asked] == [Window(0, 86_400)]


def test_more_records_than_counted_are_no_shortfall(caplog):
    logged, asked = counted([50, 50, 7], 100, 100, caplog)
    assert [level for level, _ in logged] == ["INFO"] and not asked


def test_an_endpoint_whose_total_counts_a_list_in_its_records_is_counted_by_that_list(caplog):
    endpoint = ENDPOINTS["affiliate_orders_search"]
    counts = Counts("affiliate_orders", endpoint, lambda query: iter(()), logging.getLogger("test"))
    first = page([{"id": "o1", "skus": [{}, {}]}, {"id": "o2", "skus": [{}]}], total=3, key="orders")
    with caplog.at_level(logging.INFO):
        list(counts.of(first, Query(endpoint, US, Window(0, 10))).pages([first]))
        counts.log(US)
    assert caplog.messages == ["Counted: affiliate_orders, shop 1: 3 skus read, of the 3 TikTok's first pages counted."]


def test_a_page_without_total_count_or_the_query_without_a_variant_filter_is_not_counted():
    counts = Counts("x", STATEMENTS, lambda query: iter(()), logging.getLogger("test"))
    assert counts.of(page([{"id": "a"}]), Query(STATEMENTS, US)) is NOT_COUNTED
    products = ENDPOINTS["products_search"]
    by_status = Counts("products", products, lambda query: iter(()), logging.getLogger("test"))
    assert by_status.of(page([], total=1), Query(products, US)) is NOT_COUNTED
    assert by_status.of(page([], total=1), Query(products, US, filters={"status": "DELETED"})) is not NOT_COUNTED


def test_the_troubleshooting_table_quotes_every_failure_and_count_line_word_for_word():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "tiktok-shop.md").read_text()
    for template in (ENDPOINT_FAILED, SCOPE_LOST, SAME_CAUSE, SYNC_ENDED, SHORTFALL, LEFT_WHILE_READ, COUNTED):
        assert f"| {template} |" in doc, f"docs/tiktok-shop.md does not quote: {template}"


def test_a_scope_missing_from_the_start_skips_and_one_taken_back_during_the_sync_fails_the_shop_and_endpoint():
    class Revoked(Failing):
        revoked = False

        def pages(self, query: Query, page_token: str | None = None):
            if self.revoked:
                raise MissingScopeError("code 105005: Access denied (request_id 9)")
            yield from super().pages(query, page_token)

    client = Revoked(set())
    api = Failures(logging.getLogger("test")).api_for(client)
    client.revoked = True
    with pytest.raises(MissingScopeError):  # never answered: the stream is skipped (partitions.py)
        list(api.pages(Query(STATEMENTS, US)))
    client.revoked = False
    list(api.pages(Query(PAYMENTS, US)))
    client.revoked = True
    lost = raised(lambda: list(api.pages(Query(PAYMENTS, GB))))
    assert lost.message == (
        "GET /finance/202605/payments failed for shop 2 (GB): TikTok stopped granting scope `seller.finance.info` "
        "during the sync (code 105005: Access denied (request_id 9)): it was revoked for the app or the seller's "
        "authorization. Enable it for the app in TikTok Partner Center and have the seller authorize the app again; "
        "the next sync goes on from the saved state."
    )
    assert lost.failure_type == FailureType.config_error


def test_the_cdks_line_for_a_stream_that_failed_on_purpose_keeps_the_error_without_its_traceback():
    logger = logging.getLogger("test.failed_lines")
    Failures(logger)
    try:
        raise AirbyteTracedException(message="GET x failed for shop 1 (US): 500.")
    except AirbyteTracedException as error:
        known = logging.makeLogRecord(
            {"msg": "Exception while syncing stream orders", "exc_info": (type(error), error, None)}
        )
    bug = ValueError("a bug")
    other = logging.makeLogRecord({"msg": "Exception while syncing stream orders", "exc_info": (ValueError, bug, None)})
    assert logger.filter(known) and logger.filter(other)
    assert (known.getMessage(), known.exc_info) == (
        "Exception while syncing stream orders: GET x failed for shop 1 (US): 500.",
        None,
    )
    assert other.exc_info is not None, "a bug keeps its traceback"
