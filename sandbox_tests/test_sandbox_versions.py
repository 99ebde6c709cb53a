"""API versions and markets: returns and cancellations at 202602 and 202309, payments at 202605 and 202309 (until
TikTok retired it), each in its own shape; a version made unavailable in some markets; versions TikTok retired,
versions the sandbox does not emulate, versions no model has; payments refused in South East Asia."""

from __future__ import annotations

import pytest

from tiktok_shop_sandbox import Sandbox

from .tts_client import Client

SEA = {"ID", "MY", "PH", "SG", "TH", "VN"}
# resource -> (method, path with {version}, records key, extra query)
ENDPOINTS = {
    "returns": ("POST", "/return_refund/{version}/returns/search", "return_orders", {"page_size": 50}),
    "cancellations": ("POST", "/return_refund/{version}/cancellations/search", "cancellations", {"page_size": 50}),
    "payments": ("GET", "/finance/{version}/payments", "payments", {"page_size": 100, "sort_field": "create_time"}),
}
VERSIONS = {"returns": ("202602", "202309"), "cancellations": ("202602", "202309"), "payments": ("202605", "202309")}
# TikTok's changelog (issue #18): payments 202309 retired on 2026-08-15, statement transactions 202309 blocked after
# 2025-12-31. The day before the payments' retirement, the sandbox still serves 202309.
BEFORE_PAYMENTS_RETIRED = "2026-08-14"
TRANSACTIONS_202309 = "/finance/202309/statements/1/statement_transactions"


@pytest.fixture(scope="module")
def before():
    """The default sandbox's world, the day before TikTok retired payments 202309."""
    with Sandbox(today=BEFORE_PAYMENTS_RETIRED) as s:
        yield s, Client.for_sandbox(s)


def read(client: Client, shop: dict, resource: str, version: str) -> list[dict]:
    method, path, key, query = ENDPOINTS[resource]
    body = {} if method == "POST" else None
    pages = client.page_all(method, path.format(version=version), query, body, key=key, shop_cipher=shop["cipher"])
    return by_id(pages[0])


def by_id(records: list[dict]) -> list[dict]:
    return sorted(records, key=lambda r: r.get("return_id") or r.get("cancel_id") or r["id"])


def ask(client: Client, shop: dict, resource: str, version: str) -> dict:
    method, path, _key, query = ENDPOINTS[resource]
    return client.request(method, path.format(version=version), query, shop_cipher=shop["cipher"])


@pytest.mark.parametrize("resource", sorted(ENDPOINTS))
def test_each_version_is_served_in_its_own_shape(before, resource):
    sb, client = before
    current, older = VERSIONS[resource]
    shop = sb.shops[0]
    for version in (current, older):
        assert read(client, shop, resource, version) == by_id(sb.records(resource, version)[shop["id"]])
    assert sb.records(resource) == sb.records(resource, current)
    new_fields = {"returns": "is_quick_refund", "cancellations": "should_replenish_stock"}.get(resource)
    if new_fields:
        assert all(new_fields in r for r in sb.records(resource, current)[shop["id"]])
        assert not any(new_fields in r for r in sb.records(resource, older)[shop["id"]])
    else:  # payments: 202309 adds the reserve
        assert all("reserve_amount" in r for r in sb.records(resource, older)[shop["id"]])
        assert not any("reserve_amount" in r for r in sb.records(resource, current)[shop["id"]])


def test_a_version_unavailable_in_a_market_is_refused_to_its_shops_only(fresh):
    sb, client = fresh(
        shops=2, orders=200, version_unavailable_in={"202602": ["GB"], "202605": "GB"}, today=BEFORE_PAYMENTS_RETIRED
    )
    us, gb = sb.shops
    for resource in ENDPOINTS:
        current, older = VERSIONS[resource]
        refused = ask(client, gb, resource, current)
        assert refused.status_code == 404
        body = refused.json()
        assert body["code"] == 36009014 and "not available in this shop's market (GB)" in body["message"], body
        assert ask(client, gb, resource, older).json()["code"] == 0
        assert ask(client, us, resource, current).json()["code"] == 0
    assert by_id(sb.records("returns", "202309")[gb["id"]]) == read(client, gb, "returns", "202309")


def test_the_version_option_is_checked():
    with pytest.raises(ValueError, match="no version"):
        Sandbox(shops=1, orders=5, version_unavailable_in={"209901": ["GB"]})
    with pytest.raises(ValueError, match="unknown region"):
        Sandbox(shops=1, orders=5, version_unavailable_in={"202602": ["XX"]})


def retired_or_not(client, sb, method, path, params=None):
    r = client.request(method, path, params, {} if method == "POST" else None, shop_cipher=sb.shops[0]["cipher"])
    assert r.status_code == 404, r.text
    body = r.json()
    assert body["code"] == 36009014 and "data" not in body, body
    return body["message"]


def test_a_version_tiktok_retired_is_answered_as_retired_from_the_day_it_announced(sb, client, before, fresh):
    """Today (the wall clock's date, past both) both 202309 versions are retired; the day before the payments'
    retirement only the transactions' is, and the payments' is served."""
    for path in ("/finance/202309/payments", TRANSACTIONS_202309):
        message = retired_or_not(client, sb, "GET", path, {"sort_field": "create_time"})
        assert "retired on" in message and "does not emulate" not in message, message
    assert "retired on 2026-08-15; use 202605" in retired_or_not(client, sb, "GET", "/finance/202309/payments")
    early, early_client = before
    assert "retired on 2026-01-01" in retired_or_not(early_client, early, "GET", TRANSACTIONS_202309)
    cipher = early.shops[0]["cipher"]
    assert (
        early_client.call("GET", "/finance/202309/payments", {"sort_field": "create_time"}, shop_cipher=cipher)["code"]
        == 0
    )
    # the day TikTok refused it first
    on_the_day, day_client = fresh(shops=1, orders=20, today="2026-08-15")
    assert "retired on 2026-08-15" in retired_or_not(day_client, on_the_day, "GET", "/finance/202309/payments")


def test_a_version_the_sandbox_does_not_emulate_says_so(sb, client, fresh):
    # in TikTok's models (2025 SDK), not served: not emulated, whatever the date
    for method, path in (
        ("GET", "/analytics/202508/shop_lives/performance"),
        ("POST", "/affiliate_seller/202409/target_collaborations/search"),
        ("GET", "/finance/202309/orders/1/statement_transactions"),
    ):
        message = retired_or_not(client, sb, method, path)
        assert "does not emulate" in message and "retired" not in message, message
    # before TikTok blocked it, the transactions' 202309 was only not emulated
    early, early_client = fresh(shops=1, orders=20, today="2025-12-31")
    message = retired_or_not(early_client, early, "GET", TRANSACTIONS_202309, {"sort_field": "order_create_time"})
    assert "does not emulate" in message and "202501" in message and "retired" not in message


def test_a_version_no_model_has_is_invalid(sb, client):
    for method, path in (("POST", "/return_refund/202212/returns/search"), ("GET", "/finance/202608/payments")):
        message = retired_or_not(client, sb, method, path)
        assert message == f"The version name is invalid or has been retired: {path.split('/')[2]}", message


def test_the_date_option_is_checked():
    for bad in ("2026-13-01", "20260815", "tomorrow", 20260815):
        with pytest.raises(ValueError, match="today must be a date"):
            Sandbox(shops=1, orders=5, today=bad)


def test_payments_are_refused_in_south_east_asia_at_both_versions(fresh):
    sb, client = fresh(shops=8, orders=60, today=BEFORE_PAYMENTS_RETIRED)
    assert {s["region"] for s in sb.shops} >= SEA
    for shop in sb.shops:
        for version in VERSIONS["payments"]:
            r = ask(client, shop, "payments", version)
            body = r.json()
            if shop["region"] in SEA:
                assert r.status_code == 200 and body["code"] == 22005010, body
                assert f"not available in the shop's market ({shop['region']})" in body["message"]
                assert "data" not in body
            else:
                assert body["code"] == 0
    # the statements there still name their payments; the ground truth has none to read
    sea = [s for s in sb.shops if s["region"] in SEA]
    assert all(sb.records("payments")[s["id"]] == [] for s in sea)
    assert all(st["payment_id"] for s in sea for st in sb.records("statements")[s["id"]])
