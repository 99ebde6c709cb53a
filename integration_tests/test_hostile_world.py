"""A hostile world (issue #21): each kind of fault and lie, budgets that run out, one permanent failure."""

import time

import pytest
from airbyte_cdk.models import SyncMode

from integration_tests.harness import catalog_of, config_for, run
from integration_tests.test_reliability import assert_exactly_the_ground_truth
from tiktok_shop_sandbox import Sandbox

WORLD = {"shops": 2, "orders": 150, "start": "2025-01-01", "end": "2025-02-15"}
# Streams with list pages of several records each, and one endpoint called once per record.
STREAMS = ["orders", "order_line_items", "returns", "packages", "products", "skus", "warehouses", "statements"]
CATALOG = catalog_of(
    {name: SyncMode.full_refresh if name == "warehouses" else SyncMode.incremental for name in STREAMS}
)


# How the connector says it asks again: a retry, a page asked again, a page token that looped.
RETRIED = ("Retrying in", "Asking for it again.", "leads back to a page already read")


@pytest.mark.parametrize(
    "kind",
    [
        "timeout",
        "slow_body",
        "truncated",
        "html_200",
        "drop",
        "server_error",
        "token_loop",
        "missing_cursor",
        "wrong_type",
    ],
)
def test_each_fault_or_lie_is_retried_until_the_data_is_exactly_the_ground_truth(kind):
    with Sandbox(seed=31, **WORLD) as sandbox:
        sandbox.timeout_fault_s = 60  # a hung call, as a stuck server holds it
        sandbox.slow_body_s = 60
        sandbox.inject(kind, count=4, path_contains="/search")
        started = time.monotonic()
        result = run("read", config_for(sandbox), CATALOG)
        seconds = time.monotonic() - started
        assert_exactly_the_ground_truth(sandbox, result, STREAMS)
    # A held-back call is logged by the sandbox once it answers, after the read: the connector's lines count them. A
    # looping token on a page whose next one a reader does not need (the end of a window's part) goes unnoticed.
    retries = [line for line in result.logs if any(said in line for said in RETRIED)]
    assert 1 <= len(retries) <= 4 if kind == "token_loop" else len(retries) == 4, f"{kind}: {retries}"
    assert seconds < 30, f"{kind}: the read took {seconds:.0f} s"
    assert "Traceback" not in result.text
