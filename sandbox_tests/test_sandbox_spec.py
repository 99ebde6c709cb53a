"""The spec validator (``tiktok_shop_sandbox.spec``), table-driven: each row a request and what TikTok's rules say of
it, the expected parameter written out from TikTok's rules file (not from the validator's tables)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tiktok_shop_sandbox.spec import (
    INVALID_PARAM,
    SpecViolation,
    UnknownOperation,
    operation,
    served_operations,
    validate_request,
    versions,
)

SPEC = Path(__file__).resolve().parents[1] / "sandbox" / "tiktok_shop_sandbox" / "spec"
LIVES = "/analytics/202609/shop_lives/performance"
DATES = {"start_date_ge": "2025-06-01", "end_date_lt": "2025-06-02"}
TARGETS = "/affiliate_seller/202508/target_collaborations/search"
COMMON = {"app_key": "6abc", "timestamp": "1767225600", "sign": "f" * 64, "shop_cipher": "ROW_x", "access_token": "t"}

# (case, method, path, query, body, the parameter named, or None: accepted)
CASES = [
    ("LIVE performance without account_type", "GET", LIVES, DATES, None, "account_type"),
    (
        "LIVE performance sorted by gmv",
        "GET",
        LIVES,
        {**DATES, "account_type": "OFFICIAL_ACCOUNTS", "sort_field": "gmv"},
        None,
        "sort_field",
    ),
    (
        "LIVE performance, every parameter valid",
        "GET",
        LIVES,
        {**DATES, "account_type": "OFFICIAL_ACCOUNTS", "sort_field": "live_attributed_gmv", "sort_order": "ASC"},
        None,
        None,
    ),
    (
        "LIVE performance, an account type there is none of",
        "GET",
        LIVES,
        {**DATES, "account_type": "ALL"},
        None,
        "account_type",
    ),
    (
        "the common parameters are the server's",
        "GET",
        LIVES,
        {**DATES, "account_type": "MARKETING_ACCOUNTS", **COMMON},
        None,
        None,
    ),
    ("a required parameter sent empty", "GET", LIVES, {**DATES, "account_type": ""}, None, "account_type"),
    (
        "a query name the model does not have",
        "GET",
        LIVES,
        {**DATES, "account_type": "OFFICIAL_ACCOUNTS", "sort_feild": "x"},
        None,
        "sort_feild",
    ),
    ("target collaborations with {}", "POST", TARGETS, {"page_size": "20"}, {}, "collaboration_status"),
    ("target collaborations without a body", "POST", TARGETS, {"page_size": "20"}, None, "body"),
    ("target collaborations with a status", "POST", TARGETS, {}, {"collaboration_status": "VALID"}, None),
    ("a required body field sent null", "POST", TARGETS, {}, {"collaboration_status": None}, "collaboration_status"),
    (
        "a body name the model does not have",
        "POST",
        TARGETS,
        {},
        {"collaboration_status": "VALID", "status": "x"},
        "status",
    ),
    ("a body that is no object", "POST", TARGETS, {}, ["collaboration_status"], "body"),
    # withdrawals `types`: an array, sent comma-separated; each element is checked
    (
        "withdrawals, all six types",
        "GET",
        "/finance/202309/withdrawals",
        {"types": "WITHDRAW,SETTLE,TRANSFER,REVERSE,PAYMENT,REFUND"},
        None,
        None,
    ),
    (
        "withdrawals, one type there is none of",
        "GET",
        "/finance/202309/withdrawals",
        {"types": "WITHDRAW,DEPOSIT"},
        None,
        "types",
    ),
    ("withdrawals without types", "GET", "/finance/202309/withdrawals", {"page_size": "20"}, None, "types"),
    # a body enum, and an array of them
    (
        "orders by a status",
        "POST",
        "/order/202309/orders/search",
        {"page_size": "10"},
        {"order_status": "UNPAID"},
        None,
    ),
    (
        "orders by a status there is none of",
        "POST",
        "/order/202309/orders/search",
        {"page_size": "10"},
        {"order_status": "PAID"},
        "order_status",
    ),
    ("orders without page_size", "POST", "/order/202309/orders/search", {}, {}, "page_size"),
    (
        "returns by two types",
        "POST",
        "/return_refund/202602/returns/search",
        {},
        {"return_types": ["REFUND", "EXCHANGE"]},
        None,
    ),
    (
        "returns by a type there is none of",
        "POST",
        "/return_refund/202602/returns/search",
        {},
        {"return_types": ["REFUND", "SWAP"]},
        "return_types",
    ),
    # a path parameter filled in
    (
        "statement transactions without sort_field",
        "GET",
        "/finance/202501/statements/7301234/statement_transactions",
        {"page_size": "20"},
        None,
        "sort_field",
    ),
    (
        "statement transactions",
        "GET",
        "/finance/202501/statements/7301234/statement_transactions",
        {"sort_field": "order_create_time"},
        None,
        None,
    ),
    # an older version: its own names (2025 SDK), the rules of its current version (2026)
    ("payments 202309 without sort_field", "GET", "/finance/202309/payments", {"page_size": "20"}, None, "sort_field"),
    (
        "payments 202309",
        "GET",
        "/finance/202309/payments",
        {"sort_field": "create_time", "sort_order": "DESC"},
        None,
        None,
    ),
    (
        "products 202309: category_version is a query parameter",
        "POST",
        "/product/202309/products/search",
        {"page_size": "10", "category_version": "v1"},
        {},
        None,
    ),
    (
        "products 202309: not a body field",
        "POST",
        "/product/202309/products/search",
        {"page_size": "10"},
        {"category_version": "v1"},
        "category_version",
    ),
    (
        "products 202502: a body field",
        "POST",
        "/product/202502/products/search",
        {"page_size": "10"},
        {"category_version": "v2"},
        None,
    ),
    (
        "products 202309 by a status there is none of",
        "POST",
        "/product/202309/products/search",
        {"page_size": "10"},
        {"status": "LIVE"},
        "status",
    ),
    ("a GET has no body fields", "GET", "/logistics/202309/warehouses", {}, {"x": 1}, "x"),
]


@pytest.mark.parametrize(
    ("method", "path", "query", "body", "named"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_validate_request(method, path, query, body, named):
    if named is None:
        validate_request(method, path, query, body)
        return
    with pytest.raises(SpecViolation) as raised:
        validate_request(method, path, query, body)
    assert raised.value.code == INVALID_PARAM == 36009004
    assert raised.value.http == 200
    assert raised.value.parameter == named
    assert repr(named) in raised.value.message or named == "body"


def test_an_enum_violation_names_the_values_allowed():
    with pytest.raises(SpecViolation) as raised:
        validate_request("GET", LIVES, {**DATES, "account_type": "OFFICIAL_ACCOUNTS", "sort_field": "gmv"}, None)
    for value in ("attributed_customers", "live_attributed_gmv", "live_attributed_items_sold", "products_sold"):
        assert value in raised.value.message
    with pytest.raises(SpecViolation) as raised:
        validate_request("GET", LIVES, DATES, None)
    assert all(v in raised.value.message for v in ("OFFICIAL_ACCOUNTS", "MARKETING_ACCOUNTS", "AFFILIATE_ACCOUNTS"))


def test_an_operation_the_models_do_not_have_is_no_request_to_check():
    with pytest.raises(UnknownOperation):
        validate_request("GET", "/finance/202309/nothing_here", {}, None)
    with pytest.raises(UnknownOperation):
        validate_request("POST", "/logistics/202309/warehouses", {}, {})
    assert operation("GET", "/finance/202309/nothing_here") is None


def test_the_vendored_rules_are_tiktoks_as_they_are():
    rules = json.loads((SPEC / "tiktok-openapi-2026-rules.json").read_text())
    assert len(rules["operations"]) == 318
    lives = rules["operations"][f"GET {LIVES}"]
    assert lives["query_required"] == ["account_type", "end_date_lt", "start_date_ge"]
    for key, rule in rules["operations"].items():
        op = operation(*key.split(" ", 1))
        assert op is not None and op.rules_of == key, key
        assert op.query_required == tuple(rule["query_required"]), key


def test_every_served_operation_is_in_tiktoks_models():
    served = served_operations()
    assert {op.key for op in served} >= {f"GET {LIVES}", f"POST {TARGETS}", "GET /finance/202309/payments"}
    assert all(op.rules_of for op in served)  # every one has rules: its own, or its current version's


def test_versions_are_those_of_both_models():
    assert versions("GET", "/finance/{version}/payments") == ("202309", "202605")
    assert versions("GET", "/finance/202501/statements/{id}/statement_transactions") == ("202309", "202501")
    assert versions("POST", "/product/{version}/products/search") == ("202309", "202312", "202502")
