"""API versions and markets: returns and cancellations at 202602 and 202309, payments at 202605 and 202309, each in
its own shape; a version made unavailable in some markets; versions the sandbox does not emulate; payments refused
in South East Asia."""

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
def test_each_version_is_served_in_its_own_shape(sb, client, resource):
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
    sb, client = fresh(shops=2, orders=200, version_unavailable_in={"202602": ["GB"], "202605": "GB"})
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


def test_a_version_the_sandbox_does_not_emulate_says_so(client, sb):
    cipher = sb.shops[0]["cipher"]
    r = client.request(
        "GET",
        "/finance/202309/statements/1/statement_transactions",
        {"sort_field": "order_create_time"},
        shop_cipher=cipher,
    )
    body = r.json()
    assert r.status_code == 404 and body["code"] == 36009014
    assert "does not emulate" in body["message"] and "202501" in body["message"] and "retired" not in body["message"]
    unknown = client.request("POST", "/return_refund/202212/returns/search", {}, {}, shop_cipher=cipher).json()
    assert unknown["code"] == 36009014 and "retired" in unknown["message"]


def test_payments_are_refused_in_south_east_asia_at_both_versions(fresh):
    sb, client = fresh(shops=8, orders=60)
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
