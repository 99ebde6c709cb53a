"""The connector against what the comparison with TikTok's models found (issue 11), each against the sandbox taught
the real behaviour: empty bodies signed either way, versions a market lacks, payments outside SEA only, products
gone before Get Product, the currency of statement transactions."""

import dataclasses

import pytest
from airbyte_cdk.models import SyncMode

from integration_tests.harness import catalog_of, config_for, run
from integration_tests.truth import by_key, expected_rows
from source_tiktok_shop import source
from tiktok_shop_sandbox import Sandbox

SMALL = {"orders": 120, "start": "2025-01-01", "end": "2025-03-31"}
SEA = {"ID", "MY", "PH", "SG", "TH", "VN"}


def warnings_with(result, text: str) -> list[str]:
    return [m.log.message for m in result.output.logs if m.log.level.value == "WARN" and text in m.log.message]


def assert_ground_truth(sandbox, result, streams, versions=None):
    assert not result.output.errors, [error.trace.error.message for error in result.output.errors]
    for stream in streams:
        expected = by_key(stream, expected_rows(sandbox, stream, versions))
        assert expected, f"the sandbox has no {stream} to compare with"
        assert by_key(stream, result.records(stream)) == expected, stream


def read_with_empty_bodies(reading: str, shops: int, hold_first_s: float = 0, streams=("coupons", "returns")):
    """Search Coupons has no filter to send: its body is `{}` (Search Returns sends its time window). `hold_first_s`:
    the first coupons request is answered that much later than the others."""
    with Sandbox(seed=31, shops=shops, empty_body_signing=reading, **SMALL) as sandbox:
        if hold_first_s:
            sandbox.timeout_fault_s = hold_first_s
            sandbox.inject("timeout", count=1, path_contains="/coupons/search")
        result = run("read", config_for(sandbox), catalog_of({name: SyncMode.full_refresh for name in streams}))
        refused = [entry for entry in sandbox.requests if entry["code"] == 106001]
        empty = [entry for entry in sandbox.requests if entry["body"] == {} and entry["code"] == 0]
        assert_ground_truth(sandbox, result, streams)
    assert empty, "no request had an empty body: nothing was tested"
    return result, refused


@pytest.mark.parametrize("reading", ["omitted", "signed"])
def test_reads_right_whichever_way_tiktok_signs_an_empty_body(reading):
    """The connector signs `{}` as TikTok's SDK does (left out of the signature); a sandbox holding the other
    reading refuses that once, and the connector signs empty bodies the other way for the rest of the sync, saying
    so once."""
    result, refused = read_with_empty_bodies(reading, shops=1)
    switched = warnings_with(result, "signs empty bodies as part of the request")
    if reading == "omitted":
        assert not refused and not switched
    else:
        assert len(refused) == 1 and refused[0]["body"] == {}
        assert len(switched) == 1


def test_empty_bodies_refused_for_two_shops_at_once_are_both_signed_again():
    # The first shop's refusal is held back (for less than the 2 s a call may take before it is abandoned): the
    # second shop's comes first and switches the signer, then the first shop's, signed before the switch, comes.
    result, refused = read_with_empty_bodies("signed", shops=2, hold_first_s=1, streams=("coupons",))
    assert len(refused) == 2
    assert len(warnings_with(result, "signs empty bodies as part of the request")) == 1


def test_a_shop_whose_market_lacks_the_current_versions_reads_the_previous_ones():
    """The GB shop's market has neither 202602 (returns, cancellations) nor 202605 (payments) yet: the connector
    falls back to 202309 for that shop alone, says so once per endpoint, and reads the 202309 records; payments
    202309 is retired, so the GB shop is skipped for payments with one warning, and the US shop's are read."""
    streams = ["returns", "cancellations", "payments"]
    unavailable = {"202602": ["GB"], "202605": ["GB"]}
    with Sandbox(seed=32, shops=2, version_unavailable_in=unavailable, **SMALL) as sandbox:
        us, gb = sandbox.shops
        result = run("read", config_for(sandbox), catalog_of({name: SyncMode.incremental for name in streams}))
        asked = {(entry["shop_cipher"], entry["path"].split("/")[2], entry["code"]) for entry in sandbox.requests}
        assert_ground_truth(sandbox, result, streams[:2], versions={gb["id"]: "202309"})
        us_payments = [row for row in expected_rows(sandbox, "payments") if row["shop_id"] == us["id"]]
    for endpoint in ("returns_search", "cancellations_search"):
        fallbacks = warnings_with(result, f"{endpoint} version")
        assert len(fallbacks) == 1 and gb["id"] in fallbacks[0] and "202309" in fallbacks[0], fallbacks
    assert (gb["cipher"], "202602", 36009014) in asked and (gb["cipher"], "202605", 36009014) in asked
    assert not {entry for entry in asked if entry[0] == us["cipher"] and entry[1] == "202309"}
    assert not {entry for entry in asked if entry[0] == gb["cipher"] and entry[1] == "202309" and entry[2] != 0}
    gb_returns = [row for row in result.records("returns") if row["shop_id"] == gb["id"]]
    assert gb_returns and not any("is_quick_refund" in row for row in gb_returns)  # the 202309 shape
    assert all("is_quick_refund" in row for row in result.records("returns") if row["shop_id"] == us["id"])
    (skipped,) = warnings_with(result, "Skipping stream payments")
    assert gb["id"] in skipped and "retired 202309 on 2026-08-15" in skipped
    assert us_payments and by_key("payments", result.records("payments")) == by_key("payments", us_payments)


def test_payments_skip_the_south_east_asian_shops_with_one_warning_and_read_the_others():
    with Sandbox(seed=33, shops=3, **SMALL) as sandbox:  # US, GB and ID
        sea = [shop for shop in sandbox.shops if shop["region"] in SEA]
        result = run("read", config_for(sandbox), catalog_of({"payments": SyncMode.incremental}))
        asked = {entry["shop_cipher"] for entry in sandbox.requests if entry["path"].endswith("/payments")}
        assert_ground_truth(sandbox, result, ["payments"])
    (shop,) = sea
    skipped = warnings_with(result, "Skipping stream payments")
    assert len(skipped) == 1 and shop["id"] in skipped[0]
    assert shop["cipher"] not in asked and len(asked) == 2
    assert {row["shop_id"] for row in result.records("payments")} == {s["id"] for s in sandbox.shops} - {shop["id"]}


def test_a_market_refusal_skips_the_shop_even_where_the_connector_did_not_expect_it(monkeypatch):
    """Were TikTok to refuse payments in a market the connector does not list, its refusal (22005010, the
    sandbox's code: UNCONFIRMED) skips that shop with one warning, and the others go on."""
    unrestricted = dataclasses.replace(source.STREAMS_BY_NAME["payments"], unavailable_in=frozenset())
    monkeypatch.setitem(source.STREAMS_BY_NAME, "payments", unrestricted)
    with Sandbox(seed=33, shops=3, **SMALL) as sandbox:
        (shop,) = [s for s in sandbox.shops if s["region"] in SEA]
        result = run("read", config_for(sandbox), catalog_of({"payments": SyncMode.incremental}))
        refused = [entry for entry in sandbox.requests if entry["code"] == 22005010]
        assert_ground_truth(sandbox, result, ["payments"])
    assert refused and {entry["shop_cipher"] for entry in refused} == {shop["cipher"]}
    skipped = warnings_with(result, "Skipping stream payments")
    assert len(skipped) == 1 and shop["id"] in skipped[0] and "22005010" in skipped[0]


def test_a_product_deleted_between_the_search_and_get_product_is_skipped_with_a_warning():
    with Sandbox(seed=34, shops=1, **SMALL) as sandbox:
        shop = sandbox.shops[0]
        listed = [p for p in sandbox.records("products")[shop["id"]] if p["status"] == "ACTIVATE"]
        gone = listed[len(listed) // 2]["id"]
        sandbox.delete_product(gone, once_listed=True)
        result = run("read", config_for(sandbox), catalog_of({"product_details": SyncMode.incremental}))
        refused = [entry for entry in sandbox.requests if entry["code"] == 12052048]
        assert_ground_truth(sandbox, result, ["product_details"])
    assert [entry["path"] for entry in refused] == [f"/product/202309/products/{gone}"]
    # Get Product's refusal skipped it; the deleted products' own query then gave its row, marked DELETED.
    assert [row["status"] for row in result.records("product_details") if row["id"] == gone] == ["DELETED"]
    (warning,) = warnings_with(result, "gone")
    assert gone in warning and "skipped" in warning


def test_statement_transactions_carry_the_currency_of_their_page():
    with Sandbox(seed=35, shops=3, **SMALL) as sandbox:  # USD, GBP, IDR
        result = run("read", config_for(sandbox), catalog_of({"statement_transactions": SyncMode.incremental}))
        currencies = {
            shop["id"]: {s["currency"] for s in sandbox.records("statements")[shop["id"]]} for shop in sandbox.shops
        }
        assert_ground_truth(sandbox, result, ["statement_transactions"])
    rows = result.records("statement_transactions")
    assert {row["shop_id"] for row in rows} == set(currencies)
    for row in rows:
        assert {row["currency"]} == currencies[row["shop_id"]]
    assert {row["currency"] for row in rows} == {"USD", "GBP", "IDR"}
