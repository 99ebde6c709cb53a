"""Every record the sandbox serves against TikTok's model of its endpoint (unit_tests/resources/tiktok_models.json).

Nothing the model lacks, every value of the model's type, and every field of the model served somewhere in a world
of every market; a record leaves a field out only where TikTok does (a field of another market, of a kind of record
it is not, a time that has not come), and those fields are listed below with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tiktok_shop_sandbox.data import World

MODELS = json.loads((Path(__file__).resolve().parents[1] / "unit_tests/resources/tiktok_models.json").read_text())[
    "operations"
]

# (resource, version) -> (operation, the list under `data` holding the records; None: `data` is the record)
SHAPES = {
    ("shops", None): ("GET /authorization/202309/shops", "shops"),
    ("orders", None): ("POST /order/202309/orders/search", "orders"),
    ("products", None): ("POST /product/202502/products/search", "products"),
    ("product_details", None): ("GET /product/202309/products/{product_id}", None),
    ("returns", "202602"): ("POST /return_refund/202602/returns/search", "return_orders"),
    ("returns", "202309"): ("POST /return_refund/202309/returns/search", "return_orders"),
    ("cancellations", "202602"): ("POST /return_refund/202602/cancellations/search", "cancellations"),
    ("cancellations", "202309"): ("POST /return_refund/202309/cancellations/search", "cancellations"),
    ("packages", None): ("POST /fulfillment/202309/packages/search", "packages"),
    ("statements", None): ("GET /finance/202309/statements", "statements"),
    ("statement_transactions", None): (
        "GET /finance/202501/statements/{statement_id}/statement_transactions",
        "transactions",
    ),
    ("payments", "202605"): ("GET /finance/202605/payments", "payments"),
    ("payments", "202309"): ("GET /finance/202309/payments", "payments"),
    ("withdrawals", None): ("GET /finance/202309/withdrawals", "withdrawals"),
    ("warehouses", None): ("GET /logistics/202309/warehouses", "warehouses"),
    ("categories", None): ("GET /product/202309/categories", "categories"),
    ("brands", None): ("GET /product/202309/brands", "brands"),
    ("promotion_activities", None): ("POST /promotion/202309/activities/search", "activities"),
    ("coupons", None): ("POST /promotion/202406/coupons/search", "coupons"),
    ("shop_performance", None): ("GET /analytics/202609/shop/performance", "performance.intervals"),
    ("shop_product_performance", None): ("GET /analytics/202605/shop_products/performance", "products"),
    ("shop_sku_performance", None): ("GET /analytics/202509/shop_skus/performance", "skus"),
    ("shop_video_performance", None): ("GET /analytics/202605/shop_videos/performance", "videos"),
    ("shop_live_performance", None): ("GET /analytics/202609/shop_lives/performance", "live_stream_sessions"),
    ("order_transactions", None): ("GET /finance/202501/orders/{order_id}/statement_transactions", None),
    ("unsettled_transactions", None): ("GET /finance/202507/orders/unsettled", "transactions"),
    ("affiliate_orders", None): ("POST /affiliate_seller/202410/orders/search", "orders"),
    ("open_collaborations", None): ("POST /affiliate_seller/202412/open_collaborations/search", "open_collaborations"),
    ("target_collaborations", None): (
        "POST /affiliate_seller/202508/target_collaborations/search",
        "target_collaborations",
    ),
    ("sample_applications", None): ("POST /affiliate_seller/202508/sample_applications/search", "sample_applications"),
}

# Fields of markets the sandbox has no shop in (Brazil, Japan), of records it does not make (replacement,
# exchange and ePharmacy orders; combined returns), or that TikTok no longer returns: never served.
NEVER_SERVED = {
    "orders": {
        "cpf", "cpf_name",  # Brazil
        "recipient_address.first_name_local_script", "recipient_address.last_name_local_script",  # Japan
        "replaced_order_id", "exchange_source_order_id", "consultation_id",
    },
    # TikTok's notes: deprecated, no longer returned (each SKU's `settlement_status` and `fully_return` say it).
    "affiliate_orders": {"status", "skus[].refunded_quantity", "skus[].returned_quantity"},
    "warehouses": {
        "address.first_name", "address.last_name",  # Japan
        "address.first_name_local_script", "address.last_name_local_script",
        "address.address_line3", "address.address_line4",  # Brazil
    },
}  # fmt: skip

TIMES_TO_COME = {"paid_time", "rts_time", "collection_time", "delivery_time"}
CANCELLED_ONLY = {"cancel_time", "cancel_reason", "cancellation_initiator"}
PACKED_OR_LATER = {"buyer_email", "recipient_address"}  # not shown while unpaid or on hold (reference §4.2)
SEA_ONLY = {
    "pick_up_cut_off_time",
    "fulfillment_priority_level",
    "recommended_shipping_time",
    "order_rights",
    "fast_rts_sla_time",
    "fast_collection_sla_time",
    "fast_dispatch_sla_time",  # Thailand and the Philippines
    "instore_pickup_sla_time",  # collected in a store
}
# Fields a record leaves out where they do not apply to it (TikTok's notes say when each applies), by resource (or
# resource and version).
CONDITIONAL = {
    "orders": TIMES_TO_COME
    | CANCELLED_ONLY
    | PACKED_OR_LATER
    | SEA_ONLY
    | {
        "request_cancel_time",  # only once the buyer asked to cancel
        "release_date",  # pre-orders
        "handling_duration",  # made-to-order items, and pre-orders outside the US
        "fast_delivery_program",  # US, when the order qualifies
        "recipient_address.post_town",  # UK
        "line_items[].item_tax",  # taxed markets (US)
        "line_items[].handling_duration_days",  # made-to-order items
        "line_items[].shipping_vat_rate",  # EU
        "line_items[].unboxing_sku_code",  # blind boxes (US)
        "line_items[].unboxing_case_list",
        "line_items[].pod_info_id",  # print-on-demand items
        "line_items[].product_listing_type",  # listed live, for an auction
        "line_items[].combined_listing_skus",  # virtual bundles
        "line_items[].sub_item_info",
        "line_items[].sub_item_info[].item_tax",
    },
    "products": {
        "listing_quality_tier",  # US
        "integrated_platform_statuses",  # Indonesia, listed on Tokopedia too
        "product_families",  # US local products in a family
        "skus[].price.starting_bid_price",  # auctions
        "skus[].external_list_prices",  # some US sellers
        "skus[].pre_sale",  # sold ahead of stock
        "skus[].pre_sale.fulfillment_type.handling_duration_days",  # by pre-sale type
        "skus[].pre_sale.fulfillment_type.release_date",
        "skus[].status_info.deactivation_source",  # deactivated SKUs
        "skus[].fees",  # Germany's bottle deposit
    },
    "product_details": {
        "brand",  # a product without a brand
        "certifications",  # products of the categories that need them
        "global_product_association",  # cross-border sellers
        "integrated_platform_statuses",  # Indonesia
        "shipping_insurance_requirement",  # listed on Tokopedia
        "listing_quality_tier",  # US
        "manufacturer_ids",  # EU
        "responsible_person_ids",
        "pod_info",  # print-on-demand products
        "pod_info.pod_templates[].surfaces[].custom_areas[].image_area",  # by the area's type
        "pod_info.pod_templates[].surfaces[].custom_areas[].text_area",
        "primary_combined_product_id",  # virtual bundles
        "product_families",  # US local products in a family
        "size_chart",  # apparel
        "subscribe_info",  # US subscribe-and-save products
        "video",
        "product_attributes[].values[].metric_standard_info",  # measured attributes
        "skus[].combined_skus",  # virtual bundles
        "skus[].combined_skus[].brand",
        "skus[].combined_skus[].sales_attributes[].sku_img",
        "skus[].combined_skus[].sales_attributes[].supplementary_sku_images",
        "skus[].external_list_prices",
        "skus[].extra_identifier_codes",  # EU bundles
        "skus[].fees",
        "skus[].global_listing_policy",  # cross-border sellers
        "skus[].pre_sale",
        "skus[].pre_sale.fulfillment_type.handling_duration_days",
        "skus[].pre_sale.fulfillment_type.release_date",
        "skus[].price.starting_bid_price",
        "skus[].price.unit_price",  # EU
        "skus[].sku_unit_count",  # EU
        "skus[].purchase_order_quantity_limit",  # when the seller sets one
        "skus[].sales_attributes[].sku_img",  # the primary attribute (colour)
        "skus[].sales_attributes[].supplementary_sku_images",  # US
        "skus[].status_info.deactivation_source",
    },
    "returns": {
        "can_buyer_keep_item",  # replacements
        "partial_refund",  # the seller offered part of the price
        "buyer_rejected_partial_refund",
        "return_warehouse_address",  # items sent back
        "return_line_items[].return_sub_line_items",  # virtual bundles
    },
    "cancellations": {"cancel_line_items[].cancel_sub_line_items"},
    "statements": {"payment_time"},  # paid statements
    "affiliate_orders": {"delivery_time"},  # delivered orders
    ("payments", "202309"): {"paid_time"},  # paid payments (202605 sends 0 until then)
    "brands": {"brand_status"},  # asked of a category, for authorized brands
    "promotion_activities": {
        "discount",  # the activity types priced per product carry none
        "discount.shipping_discount",
        "discount.bmsm_discount",
        "discount.gift_discount",
        "discount.bxgy_discount",
        "auction_support_type",  # shipping discounts
    },
    "coupons": {
        "promo_code",  # promo-code coupons
        "usage_limits.redemption_limit",  # SEA
        "discount.reduction_amount",  # by discount type
        "discount.percentage",
        "discount.max_discount",
        "threshold.min_spend",  # with a minimum spend
        "redemption_duration.start_time",  # by redemption type
        "redemption_duration.end_time",
        "redemption_duration.relative_time",
    },
}


# What the ground truth adds to the records served: the statement of a transaction, the day of an analytics row,
# the account type that lists a LIVE session, a target collaboration's state.
ADDED = {
    "statement_transactions": ("statement_id",),
    "shop_live_performance": ("date", "account_type"),
    "target_collaborations": ("collaboration_status",),
}


def served(w: World, resource: str, version: str | None) -> list[dict]:
    if resource == "brands":  # both shapes: without and with a category asked of
        return [b.render(shape) for s in w.shops for b in s.brand_rows for shape in ("all", "in_category")]
    records = [r for rows in w.records(resource, version).values() for r in rows]
    added = ADDED.get(resource, ("date",) if resource.startswith("shop_") and resource.endswith("performance") else ())
    return [{k: v for k, v in r.items() if k not in added} for r in records]


def record_model(resource: str, version: str | None):
    operation, key = SHAPES[(resource, version)]
    data = MODELS[operation]["response_data"]
    if key is None:
        return data
    *path, last = key.split(".")
    for name in path:
        data = data[name]
    return data[last][0]


TYPES = {"string": str, "integer": int, "number": int, "boolean": bool, "datetime.date": str}


def problems(value, model, path: str) -> Iterator[str]:
    """Keys the model lacks and values not of the model's type."""
    if isinstance(model, dict):
        if not isinstance(value, dict):
            yield f"{path}: {type(value).__name__} where the model has an object"
            return
        for key, sub in value.items():
            where = f"{path}.{key}" if path else key
            if key not in model:
                yield f"{where}: not in the model"
            else:
                yield from problems(sub, model[key], where)
    elif isinstance(model, list):
        if not isinstance(value, list):
            yield f"{path}: {type(value).__name__} where the model has an array"
            return
        for item in value:
            yield from problems(item, model[0], f"{path}[]")
    else:
        want = TYPES[model]
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            yield f"{path}: {value!r} is not {model}"


def present(value, model, path: str = "") -> Iterator[tuple[str, bool]]:
    """(path, whether present) for every field of the model under ``value``, where ``value`` has a place for it."""
    if isinstance(model, dict) and isinstance(value, dict):
        for key, sub in model.items():
            where = f"{path}.{key}" if path else key
            yield where, key in value
            if key in value:
                yield from present(value[key], sub, where)
    elif isinstance(model, list) and isinstance(value, list):
        for item in value:
            yield from present(item, model[0], f"{path}[]")


def model_paths(model, path: str = "") -> Iterator[str]:
    if isinstance(model, dict):
        for key, sub in model.items():
            where = f"{path}.{key}" if path else key
            yield where
            yield from model_paths(sub, where)
    elif isinstance(model, list):
        yield from model_paths(model[0], f"{path}[]")


@pytest.mark.parametrize(("resource", "version"), sorted(SHAPES, key=str))
def test_records_have_the_models_fields_and_types(every_market, resource, version):
    model = record_model(resource, version)
    records = served(every_market, resource, version)
    assert records, resource
    found = sorted({p for r in records for p in problems(r, model, "")})
    assert not found, f"{resource} {version or ''}: {found[:20]}"


@pytest.mark.parametrize(("resource", "version"), sorted(SHAPES, key=str))
def test_every_field_is_served_and_left_out_only_where_it_does_not_apply(every_market, resource, version):
    model = record_model(resource, version)
    allowed = CONDITIONAL.get((resource, version), CONDITIONAL.get(resource, set()))
    records = served(every_market, resource, version)
    assert_fields_served(f"{resource} {version or ''}", model, records, NEVER_SERVED.get(resource, set()), allowed)


def assert_fields_served(label: str, model, records: list[dict], never: set[str], allowed: set[str]):
    """Every field of the model is in some record, but those never served; a record leaves out only ``allowed``
    fields, and each of those is left out somewhere."""
    allowed = allowed & set(model_paths(model))
    seen, left_out = set(), set()
    for record in records:
        for path, there in present(record, model):
            (seen if there else left_out).add(path)
    assert not (seen & never), f"{label}: served after all: {sorted(seen & never)}"
    unserved = sorted(set(model_paths(model)) - seen - never)
    assert not unserved, f"{label}: never served: {unserved}"
    unexplained = sorted(left_out - allowed - never)
    assert not unexplained, f"{label}: left out of some records: {unexplained}"
    stale = sorted(allowed - left_out)
    assert not stale, f"{label}: listed as left out but always there: {stale}"
