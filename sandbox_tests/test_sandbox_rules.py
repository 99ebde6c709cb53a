"""TikTok's rules, probed over HTTP: every operation the sandbox serves answers TikTok's invalid-parameter envelope
(36009004, HTTP 200, naming the parameter) where its rules refuse a call, and accepts every value they allow.

The requests are built from TikTok's rules file and models (``tiktok_shop_sandbox.spec``'s vendored facts) and the
sandbox's data, never from the handlers' declarations; the operations come from the sandbox's route table, so a
new route falls under every test here."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from tiktok_shop_sandbox import Sandbox
from tiktok_shop_sandbox.spec import Operation, served_operations

from .tts_client import Client

INVALID = 36009004
LIVES = "/analytics/202609/shop_lives/performance"
TARGETS = "/affiliate_seller/202508/target_collaborations/search"
DATES = {"start_date_ge": "2025-06-01", "end_date_lt": "2025-06-08"}
# TikTok's changelog (issue #18) retired payments 202309 on 2026-08-15: the day before, the sandbox still serves it.
BEFORE_RETIREMENTS = "2026-08-14"
SERVED = served_operations()
# TikTok's models of the current versions (request bodies as type trees: a list is an array), for the body enums.
MODELS = json.loads((Path(__file__).resolve().parents[1] / "unit_tests/resources/tiktok_models.json").read_text())[
    "operations"
]


@pytest.fixture(scope="module")
def probe():
    with Sandbox(shops=1, orders=120, today=BEFORE_RETIREMENTS) as sb:
        yield sb, Client.for_sandbox(sb)


def send(probe, op: Operation, query: dict, body, path: str | None = None) -> dict:
    sb, client = probe
    cipher = sb.shops[0]["cipher"] if "shop_cipher" in op.query else None  # TikTok's models list it where it goes
    return client.call(op.method, path or filled(op.path), query, body, shop_cipher=cipher)


def filled(path: str, value: str = "1") -> str:
    return "/".join(value if part.startswith("{") else part for part in path.split("/"))


def refused(answer: dict, parameter: str) -> bool:
    return answer["code"] == INVALID and f"'{parameter}'" in answer["message"] and "data" not in answer


def test_live_performance_without_an_account_type_is_refused_naming_it(probe):
    (op,) = [op for op in SERVED if op.path == LIVES]
    answer = send(probe, op, {**DATES, "sort_field": "live_attributed_gmv"}, None)
    assert refused(answer, "account_type"), answer
    assert all(
        value in answer["message"] for value in ("OFFICIAL_ACCOUNTS", "MARKETING_ACCOUNTS", "AFFILIATE_ACCOUNTS")
    )


def test_live_performance_sorted_by_gmv_is_refused_naming_the_sort_fields(probe):
    (op,) = [op for op in SERVED if op.path == LIVES]
    answer = send(probe, op, {**DATES, "account_type": "OFFICIAL_ACCOUNTS", "sort_field": "gmv"}, None)
    assert refused(answer, "sort_field"), answer
    assert "live_attributed_gmv" in answer["message"] and "'gmv'" in answer["message"]


def test_live_performance_of_official_accounts_by_attributed_gmv_is_served(probe):
    sb, client = probe
    (op,) = [op for op in SERVED if op.path == LIVES]
    query = {**DATES, "account_type": "OFFICIAL_ACCOUNTS", "sort_field": "live_attributed_gmv"}
    answer = send(probe, op, query, None)
    assert answer["code"] == 0, answer
    truth = [
        row["id"]
        for row in sb.records("shop_live_performance")[sb.shops[0]["id"]]
        if row["account_type"] == "OFFICIAL_ACCOUNTS" and DATES["start_date_ge"] <= row["date"] < DATES["end_date_lt"]
    ]
    assert sorted(s["id"] for s in answer["data"]["live_stream_sessions"]) == sorted(truth)


def test_target_collaborations_with_an_empty_body_are_refused_naming_the_status(probe):
    (op,) = [op for op in SERVED if op.path == TARGETS]
    assert refused(send(probe, op, {"page_size": 20}, {}), "collaboration_status")


def required_query(op: Operation) -> dict:
    """Every query parameter TikTok's rules require, each with a value: an enumeration's first, else "1"."""
    return {name: (op.query_enums.get(name) or ("1",))[0] for name in op.query_required}


def required_body(op: Operation):
    if op.body is None:
        return None
    return {name: (op.body_enums.get(name) or ("1",))[0] for name in op.body_fields_required}


WITH_REQUIRED = [(op, name) for op in SERVED for name in op.query_required]


@pytest.mark.parametrize(("op", "left_out"), WITH_REQUIRED, ids=[f"{op.key}-{name}" for op, name in WITH_REQUIRED])
def test_a_required_query_parameter_left_out_is_refused_naming_it(probe, op, left_out):
    query = {name: value for name, value in required_query(op).items() if name != left_out}
    answer = send(probe, op, query, required_body(op))
    assert refused(answer, left_out), answer


def test_every_served_operation_with_a_required_parameter_is_probed():
    # the LIVE list's account_type and the dates, the withdrawals' types, sort fields, page sizes, order ids
    probed = {op.key for op, _ in WITH_REQUIRED}
    assert f"GET {LIVES}" in probed and "GET /finance/202309/withdrawals" in probed
    assert len(probed) >= 20


def test_a_query_or_body_name_the_model_does_not_have_is_refused(probe):
    for op in SERVED:
        answer = send(probe, op, {**required_query(op), "sort_feild": "x"}, required_body(op))
        assert refused(answer, "sort_feild"), (op.key, answer)
        if op.body is not None:
            answer = send(probe, op, required_query(op), {**required_body(op), "stauts": "x"})
            assert refused(answer, "stauts"), (op.key, answer)


# -- every value TikTok's rules allow is accepted ----------------------------------------------------------------


def valid_requests(sb) -> dict[str, tuple[str, dict, object]]:
    """One call of each served operation that the sandbox answers with code 0: (concrete path, query, body),
    written from TikTok's rules and notes, ids from the sandbox's data."""
    shop = sb.shops[0]["id"]
    order = sb.records("orders")[shop][0]["id"]
    product = sb.records("product_details")[shop][0]["id"]
    package = sb.records("packages")[shop][0]["id"]
    statement = sb.records("statements")[shop][0]["id"]
    settled = sb.records("order_transactions")[shop][0]["order_id"]
    paged = {"page_size": 5}
    # the reads of issue #20 (their own tests: test_sandbox_orders_stock.py, test_sandbox_details_performance.py)
    ret = sb.records("returns")[shop][0]["return_id"]
    activity = sb.records("promotion_activities")[shop][0]["id"]
    application = sb.records("sample_applications")[shop][0]["id"]
    video = sb.records("shop_video_performance")[shop][-1]
    after = (datetime.date.fromisoformat(video["date"]) + datetime.timedelta(days=1)).isoformat()
    one_day = {"start_date_ge": video["date"], "end_date_lt": after}
    inbound = next(
        r["order"]["id"] for r in sb.records("fbt_inventory_records")[shop] if r["order"]["type"] == "INBOUND_ORDER"
    )
    return {
        "GET /authorization/202309/shops": ("", {}, None),
        "GET /seller/202309/shops": ("", {}, None),
        "POST /order/202309/orders/search": ("", paged, {}),
        "GET /order/202309/orders": ("", {"ids": order}, None),
        "GET /order/202507/orders": ("", {"ids": order}, None),
        "POST /product/202309/products/search": ("", paged, {}),
        "POST /product/202312/products/search": ("", paged, {}),
        "POST /product/202502/products/search": ("", paged, {}),
        "GET /product/202309/products/{product_id}": (product, {}, None),
        "POST /return_refund/202602/returns/search": ("", {}, {}),
        "POST /return_refund/202309/returns/search": ("", {}, {}),
        "POST /return_refund/202602/cancellations/search": ("", {}, {}),
        "POST /return_refund/202309/cancellations/search": ("", {}, {}),
        "POST /fulfillment/202309/packages/search": ("", paged, {}),
        "GET /fulfillment/202309/packages/{package_id}": (package, {}, None),
        "GET /finance/202309/statements": ("", {"sort_field": "statement_time"}, None),
        "GET /finance/202501/statements/{statement_id}/statement_transactions": (
            statement,
            {"sort_field": "order_create_time"},
            None,
        ),
        "GET /finance/202605/payments": ("", {"sort_field": "create_time"}, None),
        "GET /finance/202309/payments": ("", {"sort_field": "create_time"}, None),
        "GET /finance/202309/withdrawals": ("", {"types": "WITHDRAW"}, None),
        "GET /logistics/202309/warehouses": ("", {}, None),
        "GET /product/202309/categories": ("", {}, None),
        "GET /product/202309/brands": ("", paged, None),
        "POST /promotion/202309/activities/search": ("", {}, {}),
        "POST /promotion/202406/coupons/search": ("", {}, {}),
        "GET /analytics/202609/shop/performance": ("", DATES, None),
        "GET /analytics/202605/shop_products/performance": ("", DATES, None),
        "GET /analytics/202509/shop_skus/performance": ("", DATES, None),
        "GET /analytics/202605/shop_videos/performance": ("", DATES, None),
        f"GET {LIVES}": ("", {**DATES, "account_type": "OFFICIAL_ACCOUNTS"}, None),
        "GET /finance/202501/orders/{order_id}/statement_transactions": (settled, {}, None),
        "GET /finance/202507/orders/unsettled": ("", {"sort_field": "order_create_time"}, None),
        "POST /affiliate_seller/202410/orders/search": ("", paged, {}),
        "POST /affiliate_seller/202412/open_collaborations/search": ("", paged, {}),
        f"POST {TARGETS}": ("", {}, {"collaboration_status": "VALID"}),
        "POST /affiliate_seller/202508/sample_applications/search": ("", {}, {}),
        "GET /order/202407/orders/{order_id}/price_detail": (order, {}, None),
        "GET /order/202406/orders/{order_id}/external_orders": (order, {"platform": "SHOPIFY"}, None),
        "POST /order/202406/orders/external_order_search": ("", {"platform": "SHOPIFY", "external_order_id": "#1"}, {}),
        "GET /fulfillment/202309/orders/{order_id}/tracking": (order, {}, None),
        "POST /product/202309/inventory/search": ("", {}, {"product_ids": [product]}),
        "GET /fbt/202409/merchants/onboarded_regions": ("", {}, None),
        "GET /fbt/202408/warehouses": ("", {}, None),
        "POST /fbt/202408/inventory/search": ("", paged, {}),
        "POST /fbt/202410/inventory_records/search": ("", paged, {}),
        "GET /fbt/202602/inbound_orders": ("", {"order_ids": inbound}, None),
        "GET /return_refund/202309/returns/{return_id}/records": (ret, {}, None),
        "GET /promotion/202309/activities/{activity_id}": (activity, {}, None),
        "GET /product/202405/products/diagnoses": ("", {"product_ids": product}, None),
        "GET /customer_service/202407/performance": (
            "",
            {"support_date_ge": DATES["start_date_ge"], "support_date_lt": DATES["end_date_lt"]},
            None,
        ),
        "GET /analytics/202606/shop_performances/overview": ("", {}, None),
        "GET /analytics/202606/shop_performances/metrics": ("", {}, None),
        "GET /analytics/202510/shop/performance/{date}/performance_per_hour": ("2025-06-20", {}, None),
        "GET /analytics/202509/shop_videos/{video_id}/products/performance": (video["id"], one_day, None),
        "GET /analytics/202609/shop_lives/overview_performance": ("", DATES, None),
        "POST /affiliate_seller/202409/sample_applications/{application_id}/fulfillments/search": (application, {}, {}),
        "POST /affiliate_seller/202405/open_collaborations/products/search": ("", paged, {}),
        "POST /affiliate_seller/202608/creator_outreach/records/query": ("", {}, {"page_index": 1, "page_size": 5}),
    }


def test_every_served_operation_has_a_valid_call_and_it_is_served(probe):
    calls = valid_requests(probe[0])
    assert set(calls) == {op.key for op in SERVED}, "a served operation without a valid call here, or one too many"
    for op in SERVED:
        path_value, query, body = calls[op.key]
        answer = send(probe, op, query, body, filled(op.path, path_value))
        assert answer["code"] == 0, (op.key, answer)


def is_array(op: Operation, field: str) -> bool:
    """Whether TikTok's model types a body field as an array (the current version's model, where the rules are)."""
    body = (MODELS.get(op.rules_of) or MODELS.get(op.key) or {}).get("body") or {}
    return isinstance(body.get(field), list)


def allowed_values(op: Operation):
    for name, values in op.query_enums.items():
        for value in values:
            yield "query", name, value
    for name, values in op.body_enums.items():
        for value in values:
            yield "body", name, value


ENUMS = [(op, where, name, value) for op in SERVED for where, name, value in allowed_values(op)]


def test_every_value_tiktoks_rules_allow_is_accepted(probe):
    calls = valid_requests(probe[0])
    assert len(ENUMS) > 200
    for op, where, name, value in ENUMS:
        path_value, query, body = calls[op.key]
        if where == "query":
            query = {**query, name: value}
        else:
            body = {**(body or {}), name: [value] if is_array(op, name) else value}
        answer = send(probe, op, query, body, filled(op.path, path_value))
        assert answer["code"] == 0, (op.key, name, value, answer)
    # an array query parameter takes every value at once: the withdrawals' six types
    (withdrawals,) = [op for op in SERVED if op.path == "/finance/202309/withdrawals"]
    assert "types" in withdrawals.query_arrays
    every = ",".join(withdrawals.query_enums["types"])
    assert send(probe, withdrawals, {"types": every}, None)["code"] == 0


# -- values the rules allow, in the data ---------------------------------------------------------------------------

# TikTok's notes on SearchTargetCollaborationsRequest: which collaborations each collaboration_status returns
# (ONGOING: valid, more than 7 days left; EXPIRING: valid, less; VALID: all valid; CANCELING; COMPLETED: expired and
# cancelled), as the states the ground truth gives them.
LISTS_STATES = {
    "ONGOING": {"ONGOING"},
    "EXPIRING": {"EXPIRING"},
    "VALID": {"ONGOING", "EXPIRING"},
    "CANCELING": {"CANCELING"},
    "COMPLETED": {"COMPLETED"},
}
WEEK = 7 * 86400


def test_target_collaborations_are_listed_by_their_state(fresh):
    sb, client = fresh(shops=2, orders=120)
    now = sb.world.now_ts  # the world's "now": the end of its end date
    for shop in sb.shops:
        truth = sb.records("target_collaborations")[shop["id"]]
        assert {row["collaboration_status"] for row in truth} == {"ONGOING", "EXPIRING", "CANCELING", "COMPLETED"}
        for row in truth:  # each state as its times and the world's clock say, or the seller's cancelling
            left = row["end_time"] - now
            if row["collaboration_status"] == "ONGOING":
                assert left > WEEK, row
            elif row["collaboration_status"] == "EXPIRING":
                assert 0 < left < WEEK, row
            elif row["collaboration_status"] == "CANCELING":
                assert left > 0, row
        for status, states in LISTS_STATES.items():
            listed, _ = client.page_all(
                "POST", TARGETS, {"page_size": 20}, {"collaboration_status": status},
                key="target_collaborations", shop_cipher=shop["cipher"],
            )  # fmt: skip
            expected = [{k: v for k, v in row.items() if k != "collaboration_status"} for row in truth]
            wanted = [row for row, full in zip(expected, truth, strict=True) if full["collaboration_status"] in states]
            assert sorted(listed, key=lambda r: r["id"]) == sorted(wanted, key=lambda r: r["id"]), status
    answer = client.call("POST", TARGETS, {}, {"collaboration_status": "ALL"}, shop_cipher=sb.shops[0]["cipher"])
    assert answer["code"] == INVALID and "collaboration_status" in answer["message"] and "VALID" in answer["message"]


def test_withdrawals_of_all_six_types_of_the_rules_are_served(probe):
    sb, client = probe
    (op,) = [op for op in SERVED if op.path == "/finance/202309/withdrawals"]
    types = op.query_enums["types"]
    assert {"PAYMENT", "REFUND"} <= set(types)
    shop = sb.shops[0]
    listed, _ = client.page_all(
        "GET", op.path, {"types": ",".join(types), "page_size": 100}, key="withdrawals", shop_cipher=shop["cipher"]
    )
    truth = sb.records("withdrawals")[shop["id"]]
    assert sorted(listed, key=lambda r: r["id"]) == sorted(truth, key=lambda r: r["id"])
    assert {"PAYMENT", "REFUND", "WITHDRAW", "SETTLE", "TRANSFER"} <= {row["type"] for row in truth}
    for one in ("PAYMENT", "REFUND"):
        only, _ = client.page_all("GET", op.path, {"types": one}, key="withdrawals", shop_cipher=shop["cipher"])
        assert only and {row["type"] for row in only} == {one}
        assert len(only) == sum(row["type"] == one for row in truth)
