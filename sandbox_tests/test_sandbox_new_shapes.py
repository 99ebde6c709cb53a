"""The records of issue #20's endpoints against TikTok's 2026 models (sandbox_tests/resources/
tiktok_models_new_streams.json, vendored by scripts/vendor_sandbox_models.py): nothing the model lacks, every value of
the model's type, every field served somewhere in a world of every market, and left out only where it does not
apply (listed below with the reason). Each endpoint's whole ``data`` is checked over HTTP too, page fields included.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from tiktok_shop_sandbox.data import World
from tiktok_shop_sandbox.data.order_details import external_orders
from tiktok_shop_sandbox.spec import served_operations

from .test_sandbox_shapes import assert_fields_served, problems

MODELS = json.loads((Path(__file__).resolve().parent / "resources/tiktok_models_new_streams.json").read_text())[
    "operations"
]

# resource -> (operation, the list under `data` holding the records (None: `data` is the record), keys the ground
# truth adds to a record)
SHAPES = {
    "order_price_details": ("GET /order/202407/orders/{order_id}/price_detail", None, {"order_id"}),
    "external_orders": ("GET /order/202406/orders/{order_id}/external_orders", "external_orders", {"order_id"}),
    "external_order_search": ("POST /order/202406/orders/external_order_search", "orders", set()),
    "order_tracking": ("GET /fulfillment/202309/orders/{order_id}/tracking", None, {"order_id"}),
    "inventory": ("POST /product/202309/inventory/search", "inventory", set()),
    "fbt_warehouses": ("GET /fbt/202408/warehouses", "warehouses", set()),
    "fbt_inventory": ("POST /fbt/202408/inventory/search", "inventory", set()),
    "fbt_inventory_records": ("POST /fbt/202410/inventory_records/search", "inventory_records", set()),
    "fbt_inbound_orders": ("GET /fbt/202602/inbound_orders", "inbound_orders", set()),
    "return_records": ("GET /return_refund/202309/returns/{return_id}/records", None, {"return_id"}),
    "promotion_activity_details": ("GET /promotion/202309/activities/{activity_id}", None, set()),
    "product_diagnoses": ("GET /product/202405/products/diagnoses", "products", set()),
    "customer_service_performance": ("GET /customer_service/202407/performance", "performance", {"date"}),
    "shop_performance_score": ("GET /analytics/202606/shop_performances/overview", None, set()),
    "shop_performance_score_metrics": ("GET /analytics/202606/shop_performances/metrics", "metrics", set()),
    "shop_hourly_performance": (
        "GET /analytics/202510/shop/performance/{date}/performance_per_hour",
        "performance.intervals",
        {"date"},
    ),
    "video_product_performance": (
        "GET /analytics/202509/shop_videos/{video_id}/products/performance",
        "products",
        {"video_id", "date"},
    ),
    "live_overview_performance": (
        "GET /analytics/202609/shop_lives/overview_performance",
        "performance.intervals",
        set(),
    ),
    "sample_application_fulfillments": (
        "POST /affiliate_seller/202409/sample_applications/{application_id}/fulfillments/search",
        "fulfillments",
        {"application_id"},
    ),
    "open_collaboration_products": (
        "POST /affiliate_seller/202405/open_collaborations/products/search",
        "products",
        set(),
    ),
    "creator_outreach_records": (
        "POST /affiliate_seller/202608/creator_outreach/records/query",
        "data.connect_list",
        set(),
    ),
}

PROMOTIONS = ("activity_id", "discount_amount", "discount_type")
NEVER_SERVED = {
    # the sandbox's shipping discounts are all the platform's (orders' shipping_fee_seller_discount is zero)
    "order_price_details": {f"line_items[].seller_funded_shipping_promotions[].{k}" for k in PROMOTIONS},
}
# Fields a record leaves out where they do not apply to it, by resource.
CONDITIONAL = {
    "fbt_inbound_orders": {"ship_time", "expected_arrival_time", "actual_arrival_time"},  # times to come
    "promotion_activity_details": {
        "discount",  # the kinds priced per product carry none
        "discount.shipping_discount",
        "discount.bmsm_discount",
        "discount.gift_discount",
        "discount.bxgy_discount",
        "auction_support_type",  # shipping discounts
        "benefit_products",  # Buy X Get Y
        "products[].activity_price",  # fixed-price and flash-sale activities
        "products[].discount",  # direct discounts, product level
        "products[].quantity_limit",  # product level
        "products[].quantity_per_user",
        "products[].skus",  # SKU level
        "products[].skus[].activity_price",
        "products[].skus[].discount",
    },
    "product_diagnoses": {
        "listing_quality",  # US
        "diagnoses[].diagnosis_results[].quality_tier",  # US
        "diagnoses[].suggestion",  # the fields with a suggestion
        "diagnoses[].suggestion.seo_words",  # the title
        "diagnoses[].suggestion.smart_texts",  # the title and the description
        "diagnoses[].suggestion.images",  # the images
    },
    "sample_application_fulfillments": {"content.live_end_time"},  # LIVEs
}


def served(w: World, resource: str) -> list[dict]:
    if resource == "external_order_search":  # what the search answers for each reference
        return [
            {"id": oid, "external_order": ref}
            for s in w.shops
            for oid, refs in external_orders(s).by_order.items()
            for ref in refs
        ]
    _, _, added = SHAPES[resource]
    return [{k: v for k, v in r.items() if k not in added} for rows in w.records(resource).values() for r in rows]


def record_model(resource: str):
    operation, key, _ = SHAPES[resource]
    data = MODELS[operation]["response_data"]
    if key is None:
        return data
    *path, last = key.split(".")
    for name in path:
        data = data[name]
    return data[last][0] if isinstance(data[last], list) else data[last]


def test_every_new_operation_has_its_model_vendored():
    assert {operation for operation, _, _ in SHAPES.values()} | {"GET /fbt/202409/merchants/onboarded_regions"} == set(
        MODELS
    )


@pytest.mark.parametrize("resource", sorted(SHAPES))
def test_records_have_the_models_fields_and_types(every_market, resource):
    model = record_model(resource)
    records = served(every_market, resource)
    assert records, resource
    found = sorted({p for r in records for p in problems(r, model, "")})
    assert not found, f"{resource}: {found[:20]}"


@pytest.mark.parametrize("resource", sorted(SHAPES))
def test_every_field_is_served_and_left_out_only_where_it_does_not_apply(every_market, resource):
    records = served(every_market, resource)
    never, allowed = NEVER_SERVED.get(resource, set()), CONDITIONAL.get(resource, set())
    assert_fields_served(resource, record_model(resource), records, never, allowed)


# -- whole answers over HTTP ---------------------------------------------------------------------------------


def answers(sb) -> dict[str, tuple[str, str, dict, object]]:
    """One call of each endpoint that has something to say for the first shop: (operation, path, query, body)."""
    shop = sb.shops[0]["id"]
    order = next(o for o in sb.records("orders")[shop] if o["packages"])["id"]
    ref = sb.records("external_orders")[shop][0]
    video = sb.records("video_product_performance")[shop][-1]
    after = (datetime.date.fromisoformat(video["date"]) + datetime.timedelta(days=1)).isoformat()
    inbound = sb.records("fbt_inbound_orders")[shop][0]["order_id"]
    application = sb.records("sample_application_fulfillments")[shop][0]["application_id"]
    days = {"start_date_ge": "2025-06-01", "end_date_lt": "2025-06-08"}
    return {
        "price_detail": (
            "GET /order/202407/orders/{order_id}/price_detail",
            f"/order/202407/orders/{order}/price_detail",
            {},
            None,
        ),
        "external_orders": (
            "GET /order/202406/orders/{order_id}/external_orders",
            f"/order/202406/orders/{ref['order_id']}/external_orders",
            {"platform": ref["platform"]},
            None,
        ),
        "external_order_search": (
            "POST /order/202406/orders/external_order_search",
            "/order/202406/orders/external_order_search",
            {"platform": ref["platform"], "external_order_id": ref["id"]},
            {},
        ),
        "tracking": (
            "GET /fulfillment/202309/orders/{order_id}/tracking",
            f"/fulfillment/202309/orders/{order}/tracking",
            {},
            None,
        ),
        "inventory": (
            "POST /product/202309/inventory/search",
            "/product/202309/inventory/search",
            {},
            {"product_ids": [p["product_id"] for p in sb.records("inventory")[shop][:5]]},
        ),
        "onboarded": (
            "GET /fbt/202409/merchants/onboarded_regions",
            "/fbt/202409/merchants/onboarded_regions",
            {},
            None,
        ),
        "fbt_warehouses": ("GET /fbt/202408/warehouses", "/fbt/202408/warehouses", {}, None),
        "fbt_inventory": ("POST /fbt/202408/inventory/search", "/fbt/202408/inventory/search", {"page_size": 3}, {}),
        "fbt_records": (
            "POST /fbt/202410/inventory_records/search",
            "/fbt/202410/inventory_records/search",
            {"page_size": 3},
            {},
        ),
        "inbound": (
            "GET /fbt/202602/inbound_orders",
            "/fbt/202602/inbound_orders",
            {"order_ids": inbound, "include_carton_details": "true"},
            None,
        ),
        "customer_service": (
            "GET /customer_service/202407/performance",
            "/customer_service/202407/performance",
            {"support_date_ge": days["start_date_ge"], "support_date_lt": days["end_date_lt"]},
            None,
        ),
        "score": (
            "GET /analytics/202606/shop_performances/overview",
            "/analytics/202606/shop_performances/overview",
            {},
            None,
        ),
        "metrics": (
            "GET /analytics/202606/shop_performances/metrics",
            "/analytics/202606/shop_performances/metrics",
            {},
            None,
        ),
        "hourly": (
            "GET /analytics/202510/shop/performance/{date}/performance_per_hour",
            "/analytics/202510/shop/performance/2025-06-20/performance_per_hour",
            {},
            None,
        ),
        "video_products": (
            "GET /analytics/202509/shop_videos/{video_id}/products/performance",
            f"/analytics/202509/shop_videos/{video['video_id']}/products/performance",
            {"start_date_ge": video["date"], "end_date_lt": after, "page_size": 2},
            None,
        ),
        "lives": (
            "GET /analytics/202609/shop_lives/overview_performance",
            "/analytics/202609/shop_lives/overview_performance",
            {**days, "granularity": "1D"},
            None,
        ),
        "fulfillments": (
            "POST /affiliate_seller/202409/sample_applications/{application_id}/fulfillments/search",
            f"/affiliate_seller/202409/sample_applications/{application}/fulfillments/search",
            {},
            {},
        ),
        "marketplace": (
            "POST /affiliate_seller/202405/open_collaborations/products/search",
            "/affiliate_seller/202405/open_collaborations/products/search",
            {"page_size": 3},
            {},
        ),
        "outreach": (
            "POST /affiliate_seller/202608/creator_outreach/records/query",
            "/affiliate_seller/202608/creator_outreach/records/query",
            {},
            {"page_index": 1, "page_size": 3},
        ),
        "return_records": (
            "GET /return_refund/202309/returns/{return_id}/records",
            f"/return_refund/202309/returns/{sb.records('returns')[shop][0]['return_id']}/records",
            {},
            None,
        ),
        "activity": (
            "GET /promotion/202309/activities/{activity_id}",
            f"/promotion/202309/activities/{sb.records('promotion_activities')[shop][0]['id']}",
            {},
            None,
        ),
        "diagnoses": (
            "GET /product/202405/products/diagnoses",
            "/product/202405/products/diagnoses",
            {"product_ids": sb.records("product_diagnoses")[shop][0]["id"]},
            None,
        ),
    }


# The answers that are a record, with fields left out where they do not apply (above).
RECORD_OF = {"activity": "promotion_activity_details"}


def test_each_answer_is_the_models_data_with_every_top_level_field(fresh):
    sb, client = fresh(shops=1, orders=300)
    cipher = sb.shops[0]["cipher"]
    calls = answers(sb)
    assert {operation for operation, *_ in calls.values()} == set(MODELS)
    for name, (operation, path, query, body) in calls.items():
        answer = client.call(operation.split()[0], path, query, body, shop_cipher=cipher)
        assert answer["code"] == 0, (name, answer)
        model = MODELS[operation]["response_data"]
        assert not list(problems(answer["data"], model, "")), (name, list(problems(answer["data"], model, "")))
        missing = set(model) - set(answer["data"])
        assert not missing - CONDITIONAL.get(RECORD_OF.get(name, ""), set()), (name, missing)


# -- the coverage data -------------------------------------------------------------------------------------------

COVERAGE = json.loads((Path(__file__).resolve().parents[1] / "docs/coverage.json").read_text())
SPEC_NAMES = json.loads(
    (Path(__file__).resolve().parents[1] / "sandbox/tiktok_shop_sandbox/spec/operations.json").read_text()
)["operations"]


def is_read(key: str) -> bool:
    """A read of TikTok's 2026 spec, as the coverage data counts them: every GET, and the POSTs that search, query or get
    (and two that get records by ids)."""
    method, path = key.split(" ", 1)
    by_ids = {
        "POST /customer_engagement/202412/performances",
        "POST /affiliate_creator/202509/open_collaborations/products",
    }
    return (
        method == "GET"
        or (method == "POST" and ("search" in path or "query" in path or path.endswith("/get")))
        or (key in by_ids)
    )


def test_the_coverage_data_lists_every_read_of_the_spec_once_each_read_or_with_a_reason():
    keys = [f"{row['method']} {row['path']}" for row in COVERAGE["operations"]]
    listed = dict(zip(keys, COVERAGE["operations"], strict=True))
    assert len(listed) == len(keys)
    reads = {key for key, names in SPEC_NAMES.items() if names["model"] == "2026" and is_read(key)}
    assert set(listed) == reads
    for key, row in listed.items():
        assert "reason" not in row or (row["reason"] in COVERAGE["reasons"] and row["note"]), key
    served = {op.key for op in served_operations()}
    read_by_streams = {key for key, row in listed.items() if "reason" not in row}
    assert read_by_streams <= served, sorted(read_by_streams - served)  # the sandbox serves what the streams read
