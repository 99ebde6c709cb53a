"""The time a call may take, learned per shop and endpoint (tiktok/latency.py), and a body that trickles in."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from source_tiktok_shop.tiktok import latency
from source_tiktok_shop.tiktok.latency import (
    CEILING_SECONDS,
    FIRST_CALL_SECONDS,
    FLOOR_SECONDS,
    CallTimer,
    Latencies,
    LearnedTimeout,
)
from source_tiktok_shop.tiktok.rate import RateKey

ORDERS = RateKey.of("cipher-1", "/order/202309/orders/search")
RETURNS = RateKey.of("cipher-1", "/return_refund/202602/returns/search")


def test_given_nothing_answered_yet_then_a_call_gets_the_first_calls_allowance():
    assert Latencies().allowed(ORDERS) == FIRST_CALL_SECONDS


def test_given_fast_answers_then_a_call_gets_the_floor_and_a_key_not_called_yet_what_the_sync_has_learned():
    latencies = Latencies()
    for _ in range(20):
        latencies.answered(ORDERS, 0.05)
    assert latencies.allowed(ORDERS) == FLOOR_SECONDS
    assert latencies.allowed(RETURNS) == FLOOR_SECONDS


def test_given_slow_and_uneven_answers_then_the_allowance_is_well_above_them():
    latencies = Latencies()
    for seconds in [3.0, 5.0] * 10:
        latencies.answered(ORDERS, seconds)
    assert 5.0 < latencies.allowed(ORDERS) < CEILING_SECONDS


@pytest.mark.parametrize("timeouts, doubled", [(1, 2), (2, 4), (10, None)])
def test_given_timeouts_in_a_row_then_the_allowance_doubles_each_time_up_to_the_ceiling_and_an_answer_resets_it(
    timeouts, doubled
):
    latencies = Latencies()
    latencies.answered(ORDERS, 0.05)
    for _ in range(timeouts):
        latencies.timed_out(ORDERS)
    assert latencies.allowed(ORDERS) == (FLOOR_SECONDS * doubled if doubled else CEILING_SECONDS)
    latencies.answered(ORDERS, 0.05)
    assert latencies.allowed(ORDERS) == FLOOR_SECONDS


def test_the_failures_in_a_row_count_per_key_and_a_success_resets_them():
    latencies = Latencies()
    assert [latencies.failed(ORDERS) for _ in range(3)] == [1, 2, 3]
    assert latencies.failed(RETURNS) == 1
    latencies.succeeded(ORDERS)
    assert latencies.failed(ORDERS) == 1


def test_a_learned_timeout_is_asked_for_again_at_each_send():
    allowed = iter([2.0, 4.0])
    timeout = LearnedTimeout(lambda: next(allowed))
    assert [timeout.clone().read_timeout for _ in range(2)] == [2.0, 4.0]


class Trickle(BaseHTTPRequestHandler):
    """Answers at once, then sends its body a few bytes every 50 ms for 3 s: no single read ever waits long."""

    def do_GET(self) -> None:
        body = b'{"code": 0, "message": "", "request_id": "r", "data": {}}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body) * 60))
        self.end_headers()
        for _ in range(60):
            self.wfile.write(body)
            self.wfile.flush()
            time.sleep(0.05)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def trickling_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_body_that_trickles_in_past_the_allowance_is_abandoned_as_timed_out(monkeypatch, trickling_server):
    monkeypatch.setattr(latency, "FLOOR_SECONDS", 0.5)
    latencies = Latencies()
    latencies.answered(None, 0.01)
    timer = CallTimer(latencies)
    request = requests.Request("GET", trickling_server).prepare()
    timer.watch(request)
    timer.watch(request)  # watched once, however often the signer sees the request
    assert request.hooks["response"] == [timer.on_response]
    started = time.monotonic()
    with requests.Session() as session, pytest.raises(requests.ReadTimeout, match="still arriving after"):
        session.send(request, timeout=LearnedTimeout(lambda: latencies.allowed(None)))
    assert time.monotonic() - started < 2.0


def test_a_body_that_arrives_within_the_allowance_is_read_and_its_latency_learned(trickling_server):
    latencies = Latencies()
    timer = CallTimer(latencies)
    request = requests.Request("GET", trickling_server).prepare()
    timer.watch(request)
    with requests.Session() as session:
        response = session.send(request, timeout=LearnedTimeout(lambda: latencies.allowed(None)))
    assert len(response.content) == 60 * len(b'{"code": 0, "message": "", "request_id": "r", "data": {}}')
    assert latencies.allowed(None) > 3.0 + FLOOR_SECONDS  # a first sample of 3 s, and half as much again as deviation
