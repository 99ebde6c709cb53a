"""Every stream's schema against TikTok's model of its endpoint (unit_tests/resources/tiktok_models.json).

A schema declares exactly the fields of its record's model, recursively, with the model's types, plus the
columns the connector adds: a field missing, a field the model lacks or a type that disagrees fails, named by
its dotted path. scripts/extract_models.py refreshes the models; scripts/generate_schemas.py rewrites the
schemas from them.
"""

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from source_tiktok_shop.catalog import STREAMS_BY_NAME
from source_tiktok_shop.reading.declarations import AsIs, Detail

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "source_tiktok_shop" / "schemas"
MODELS = json.loads((ROOT / "unit_tests" / "resources" / "tiktok_models.json").read_text())["operations"]


# lead: replace with the declarations table (Record, SHOP, SHOP_KEY and RECORDS down to STREAMS)
class Record(NamedTuple):
    operation: str  # "METHOD path", a key of the vendored models
    records_key: str | None  # the list under `data` (a dotted path) whose items are the records; None: `data` is
    nested: str | None  # a list in each of those records whose items are the rows instead
    added: Mapping[str, str]  # columns the connector adds to each row, with their model types
    primary_key: tuple[str, ...]
    cursor_field: str | None = None


SHOP = {"shop_id": "string"}
SHOP_KEY = ("shop_id", "id")
# The analytics rows: the day each covers is added, and keys them.
DAY = {**SHOP, "date": "datetime.date"}
DAY_KEY = ("shop_id", "id", "date")
RECORDS: Mapping[str, Record] = {
    "shops": Record("GET /authorization/202309/shops", "shops", None, SHOP, ("id",)),
    "orders": Record("POST /order/202309/orders/search", "orders", None, SHOP, SHOP_KEY, "update_time"),
    "order_line_items": Record(
        "POST /order/202309/orders/search",
        "orders",
        "line_items",
        {**SHOP, "order_id": "string", "update_time": "integer"},
        SHOP_KEY,
        "update_time",
    ),
    "products": Record("POST /product/202502/products/search", "products", None, SHOP, SHOP_KEY, "update_time"),
    "skus": Record(
        "POST /product/202502/products/search",
        "products",
        "skus",
        {**SHOP, "product_id": "string", "update_time": "integer"},
        SHOP_KEY,
        "update_time",
    ),
    "product_details": Record("GET /product/202309/products/{product_id}", None, None, SHOP, SHOP_KEY, "update_time"),
    "returns": Record(
        "POST /return_refund/202602/returns/search",
        "return_orders",
        None,
        SHOP,
        ("shop_id", "return_id"),
        "update_time",
    ),
    "cancellations": Record(
        "POST /return_refund/202602/cancellations/search",
        "cancellations",
        None,
        SHOP,
        ("shop_id", "cancel_id"),
        "update_time",
    ),
    "packages": Record("POST /fulfillment/202309/packages/search", "packages", None, SHOP, SHOP_KEY, "update_time"),
    "statements": Record("GET /finance/202309/statements", "statements", None, SHOP, SHOP_KEY, "statement_time"),
    "statement_transactions": Record(
        "GET /finance/202501/statements/{statement_id}/statement_transactions",
        "transactions",
        None,
        {**SHOP, "statement_id": "string", "statement_time": "integer", "currency": "string"},
        ("shop_id", "statement_id", "id"),
        "statement_time",
    ),
    "payments": Record("GET /finance/202605/payments", "payments", None, SHOP, SHOP_KEY, "create_time"),
    "withdrawals": Record("GET /finance/202309/withdrawals", "withdrawals", None, SHOP, SHOP_KEY, "create_time"),
    "warehouses": Record("GET /logistics/202309/warehouses", "warehouses", None, SHOP, SHOP_KEY),
    "categories": Record("GET /product/202309/categories", "categories", None, SHOP, SHOP_KEY),
    "brands": Record("GET /product/202309/brands", "brands", None, SHOP, SHOP_KEY),
    "promotion_activities": Record("POST /promotion/202309/activities/search", "activities", None, SHOP, SHOP_KEY),
    "coupons": Record("POST /promotion/202406/coupons/search", "coupons", None, SHOP, SHOP_KEY),
    "shop_performance": Record(
        "GET /analytics/202609/shop/performance", "performance.intervals", None, DAY, ("shop_id", "date"), "date"
    ),
    "shop_product_performance": Record(
        "GET /analytics/202605/shop_products/performance", "products", None, DAY, DAY_KEY, "date"
    ),
    "shop_sku_performance": Record("GET /analytics/202509/shop_skus/performance", "skus", None, DAY, DAY_KEY, "date"),
    "shop_video_performance": Record(
        "GET /analytics/202605/shop_videos/performance", "videos", None, DAY, DAY_KEY, "date"
    ),
    "shop_live_performance": Record(
        "GET /analytics/202609/shop_lives/performance", "live_stream_sessions", None, DAY, DAY_KEY, "date"
    ),
    "order_settlements": Record(
        "GET /finance/202501/orders/{order_id}/statement_transactions",
        "sku_transactions",
        None,
        {
            **SHOP,
            "order_id": "string",
            "order_create_time": "integer",
            "currency": "string",
            "order_revenue_amount": "string",
            "order_fee_and_tax_amount": "string",
            "order_shipping_cost_amount": "string",
            "order_settlement_amount": "string",
            "statement_time": "integer",
        },
        ("shop_id", "order_id", "statement_id", "sku_id"),
        "statement_time",
    ),
    "unsettled_transactions": Record("GET /finance/202507/orders/unsettled", "transactions", None, SHOP, SHOP_KEY),
    "affiliate_orders": Record(
        "POST /affiliate_seller/202410/orders/search", "orders", None, SHOP, SHOP_KEY, "create_time"
    ),
    "affiliate_order_skus": Record(
        "POST /affiliate_seller/202410/orders/search",
        "orders",
        "skus",
        {**SHOP, "order_id": "string", "create_time": "integer"},
        ("shop_id", "order_id", "sku_id"),
        "create_time",
    ),
    "open_collaborations": Record(
        "POST /affiliate_seller/202412/open_collaborations/search", "open_collaborations", None, SHOP, SHOP_KEY
    ),
    "target_collaborations": Record(
        "POST /affiliate_seller/202508/target_collaborations/search", "target_collaborations", None, SHOP, SHOP_KEY
    ),
    "sample_applications": Record(
        "POST /affiliate_seller/202508/sample_applications/search", "sample_applications", None, SHOP, SHOP_KEY
    ),
}
STREAMS = sorted(RECORDS)

# The models' type names as JSON Schema types (and formats).
JSON_TYPES: Mapping[str, tuple[str, str | None]] = {
    "string": ("string", None),
    "integer": ("integer", None),
    "number": ("number", None),
    "boolean": ("boolean", None),
    "datetime.date": ("string", "date"),
    "datetime.datetime": ("string", "date-time"),
}


def only_item(model: Any, where: str) -> Any:
    if not (isinstance(model, list) and len(model) == 1):
        raise ValueError(f"{where} is not a list in the model")
    return model[0]


def record_model(stream: str) -> dict[str, Any]:
    """The type tree of one row of `stream`: its record's model plus the columns the connector adds."""
    record = RECORDS[stream]
    model = MODELS[record.operation]["response_data"]
    if record.records_key:
        *path, key = record.records_key.split(".")
        for name in path:
            model = model[name]
        model = only_item(model.get(key), f"data.{record.records_key}")
    if record.nested:
        model = only_item(model.get(record.nested), record.nested)
    clash = set(model) & set(record.added)
    if clash:
        raise ValueError(f"{stream}: the connector would overwrite {sorted(clash)}")
    return {**model, **record.added}


def schema_types(schema: Mapping[str, Any]) -> set[str]:
    types = schema.get("type", [])
    return {types} if isinstance(types, str) else set(types)


def disagreements(schema: Mapping[str, Any], model: Any, path: str) -> Iterator[str]:
    """Where `schema` is not the model: one line per missing field, invented field or type that differs."""
    types = schema_types(schema) - {"null"}
    if isinstance(model, dict):
        if types != {"object"}:
            yield f"{path}: {sorted(types)} where the model has an object"
            return
        properties = schema.get("properties") or {}
        for name in model:
            if name not in properties:
                yield f"{path}.{name}: missing (the model has it)"
        for name, sub in properties.items():
            if name not in model:
                yield f"{path}.{name}: not in the model"
            else:
                yield from disagreements(sub, model[name], f"{path}.{name}")
    elif isinstance(model, list):
        if types != {"array"}:
            yield f"{path}: {sorted(types)} where the model has an array"
        else:
            yield from disagreements(schema.get("items") or {}, only_item(model, path), f"{path}[]")
    elif model not in JSON_TYPES:
        yield f"{path}: the model's type {model!r} has no JSON Schema type here"
    else:
        json_type, json_format = JSON_TYPES[model]
        if types != {json_type} or schema.get("format") != json_format:
            found = f"{sorted(types)}" + (f" ({schema['format']})" if schema.get("format") else "")
            yield f"{path}: {found} where the model has {model!r}"


def load_schema(stream: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{stream}.json").read_text())


def test_every_stream_has_a_model():
    assert sorted(p.stem for p in SCHEMAS.glob("*.json")) == STREAMS
    assert {record.operation for record in RECORDS.values()} <= set(MODELS)


@pytest.mark.parametrize("stream", STREAMS)
def test_schema_is_the_model_of_its_record(stream):
    found = list(disagreements(load_schema(stream), record_model(stream), stream))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("stream", STREAMS)
def test_primary_key_and_cursor_are_in_the_model(stream):
    model = record_model(stream)
    record = RECORDS[stream]
    assert set(record.primary_key) <= set(model), f"{stream}: {record.primary_key}"
    if record.cursor_field:
        assert model.get(record.cursor_field) in ("integer", "datetime.date"), f"{stream}.{record.cursor_field}"


@pytest.mark.parametrize("stream", STREAMS)
def test_the_table_has_the_declared_key_and_cursor(stream):
    declared = STREAMS_BY_NAME[stream]
    assert (RECORDS[stream].primary_key, RECORDS[stream].cursor_field) == (declared.primary_key, declared.cursor_field)


STANDING_IN = [
    name for name in STREAMS if isinstance(rows := STREAMS_BY_NAME[name].rows, Detail) and rows.listed_statuses
]


@pytest.mark.parametrize("stream", STANDING_IN)
def test_a_listed_record_standing_in_for_its_detail_leaves_out_only_the_fields_the_detail_lacks(stream):
    declared = STREAMS_BY_NAME[stream]
    (listing,) = [
        name
        for name in STREAMS
        if STREAMS_BY_NAME[name].endpoint == declared.endpoint and isinstance(STREAMS_BY_NAME[name].rows, AsIs)
    ]
    assert isinstance(declared.rows, Detail)
    assert set(declared.rows.listed_only) == set(record_model(listing)) - set(record_model(stream))


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": ["null", "object"], "properties": properties}


STRING = {"type": ["null", "string"]}


@pytest.mark.parametrize(
    ("model", "schema", "expected"),
    [
        ({"a": "string"}, obj(a=STRING), []),
        ({"a": "string"}, obj(), ["s.a: missing (the model has it)"]),
        ({}, obj(b=STRING), ["s.b: not in the model"]),
        ({"a": "integer"}, obj(a=STRING), ["s.a: ['string'] where the model has 'integer'"]),
        ({"d": "datetime.date"}, obj(d=STRING), ["s.d: ['string'] where the model has 'datetime.date'"]),
        ({"d": "datetime.date"}, obj(d={**STRING, "format": "date"}), []),
        ({"l": [{"x": "boolean"}]}, obj(l={"type": "array", "items": obj()}), ["s.l[].x: missing (the model has it)"]),
        ({"o": {"x": "string"}}, obj(o=STRING), ["s.o: ['string'] where the model has an object"]),
        ({"e": None}, obj(e=STRING), ["s.e: the model's type None has no JSON Schema type here"]),
    ],
)
def test_disagreements_name_the_field(model, schema, expected):
    assert list(disagreements(schema, model, "s")) == expected
