"""The stream schemas against the schema rules (reference §0 data types) and the sandbox's seeded records."""

import functools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft7Validator

from integration_tests.truth import expected_rows
from tiktok_shop_sandbox.data import World
from unit_tests.test_schemas_match_models import RECORDS, STREAMS, load_schema

PRIMARY_KEYS = {stream: list(record.primary_key) for stream, record in RECORDS.items()}
CURSORS = {stream: record.cursor_field for stream, record in RECORDS.items() if record.cursor_field}

SEEDS = (1, 7)
# Three shops cover a taxed US shop (line item `item_tax`), a cross-border GB shop and an ID shop
# (`integrated_platform_statuses`); the sizes keep the whole module well under a second.
WORLD_SIZE = {"shops": 3, "orders": 150}

# Property names that hold ids or money: never a JSON number (64-bit ids lose digits, amounts are decimal strings).
ID_NAME = re.compile(r"(^|_)ids?$")
MONEY_NAME = re.compile(r"amount|price|fee|discount|(^|_)(sub_)?total|(^|_)tax$|^value$|exchange_rate")
# Names the patterns catch that TikTok's models give as other things: a flag, counts, and the percentages of
# subscription discounts.
NOT_MONEY = {
    "price_sync",
    "total_claim_limit",
    "total_quantity",
    "total_received_count",
    "discount_value",
    "discount_options",
    "max_discount",
    "min_discount",
    "total_available_quantity",  # units of stock
    "total_committed_quantity",
}
# Ids TikTok's model gives as integers, kept so (docs/tiktok-shop.md): TikTok's ids stay below 2^63, which
# destinations store exactly as 64-bit integers.
MODEL_INTEGER_IDS = {("shop_sku_performance", "id"), ("shop_sku_performance", "product_id")}
# An FBT inventory record has no id: its time is part of its key, Unix seconds as the model has it; so are the
# refresh time of the score, the end of a metric's window and the hour of a day (integers in TikTok's models).
KEY_TIMES = {
    ("fbt_inventory_records", "create_time"),
    ("shop_performance_score", "update_time"),
    ("shop_performance_score_metrics", "end_evaluation_time"),
    ("shop_hourly_performance", "index"),
}


@functools.cache
def world(seed: int) -> World:
    return World(seed=seed, **WORLD_SIZE)


def rows(seed: int, stream: str) -> list[dict[str, Any]]:
    """The rows the connector emits for `stream`, built from the sandbox's records as the streams module does."""
    w = world(seed)
    out: list[dict[str, Any]] = []
    if stream == "order_line_items":
        for shop_id, orders in w.records("orders").items():
            for order in orders:
                for item in order.get("line_items") or []:
                    out.append(
                        {**item, "order_id": order["id"], "update_time": order.get("update_time"), "shop_id": shop_id}
                    )
    elif stream == "skus":
        for shop_id, products in w.records("products").items():
            for product in products:
                for sku in product.get("skus") or []:
                    out.append(
                        {
                            **sku,
                            "product_id": product["id"],
                            "update_time": product.get("update_time"),
                            "shop_id": shop_id,
                        }
                    )
    elif stream == "statement_transactions":
        statements = w.records("statements")
        for shop_id, transactions in w.records("statement_transactions").items():
            statement_time = {st["id"]: st.get("statement_time") for st in statements[shop_id]}
            for txn in transactions:
                out.append({**txn, "statement_time": statement_time[txn["statement_id"]], "shop_id": shop_id})
    elif stream in (
        "order_settlements",
        "affiliate_order_skus",
        "shop_live_performance",
        "target_collaborations",
        "fbt_inventory",
        "fbt_inventory_records",
        "fbt_inbound_orders",
        "live_overview_performance",
        "inventory",
        "promotion_activity_products",
        "sample_application_fulfillments",
    ):
        out = expected_rows(w, stream)  # rows made of several records, or of the records one query asks for
    elif stream == "shops":
        for shops in w.records("shops").values():
            out.extend({**shop, "shop_id": str(shop["id"])} for shop in shops)
    else:
        for shop_id, records in w.records(stream).items():
            out.extend({**record, "shop_id": shop_id} for record in records)
    return out


def types_of(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type", [])
    return [t] if isinstance(t, str) else list(t)


def walk(schema: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every sub-schema with its path (`a.b[].c`), the root included."""
    yield path, schema
    for name, sub in (schema.get("properties") or {}).items():
        yield from walk(sub, f"{path}.{name}" if path else name)
    if isinstance(schema.get("items"), dict):
        yield from walk(schema["items"], f"{path}[]")


def undeclared(value: Any, schema: dict[str, Any], path: str = "") -> Iterator[str]:
    """Paths of object keys in `value` that `schema` does not list in `properties`."""
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        for key, sub in value.items():
            where = f"{path}.{key}" if path else key
            if key not in props:
                yield where
            else:
                yield from undeclared(sub, props[key], where)
    elif isinstance(value, list):
        for item in value:
            yield from undeclared(item, schema.get("items") or {}, f"{path}[]")


@pytest.mark.parametrize("stream", STREAMS)
@pytest.mark.parametrize("seed", SEEDS)
def test_sandbox_rows_validate(stream, seed):
    validator = Draft7Validator(load_schema(stream))
    records = rows(seed, stream)
    assert records, f"the sandbox produced no {stream} rows"
    errors = [
        f"row {i}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
        for i, row in enumerate(records)
        for e in validator.iter_errors(row)
    ]
    assert not errors, "\n".join(errors[:20])


@pytest.mark.parametrize("stream", STREAMS)
@pytest.mark.parametrize("seed", SEEDS)
def test_sandbox_fields_are_declared(stream, seed):
    schema = load_schema(stream)
    missing = sorted({path for row in rows(seed, stream) for path in undeclared(row, schema)})
    assert not missing, f"{stream}: fields the sandbox emits but the schema does not declare: {missing}"


@pytest.mark.parametrize("stream", STREAMS)
def test_schema_shape(stream):
    schema = load_schema(stream)
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["type"] == "object"
    for path, sub in walk(schema):
        assert sub.get("additionalProperties", True) is not False, f"{stream}.{path}: additionalProperties false"
        assert "$ref" not in sub, f"{stream}.{path}: $ref"
        assert "enum" not in sub, f"{stream}.{path}: enum (TikTok adds values)"
        types = types_of(sub)
        assert types, f"{stream}.{path}: no type"
        assert "number" not in types, f"{stream}.{path}: number (ids and amounts are strings)"
        if "object" in types:
            assert isinstance(sub.get("properties"), dict) and sub["properties"], f"{stream}.{path}: no properties"
        if "array" in types:
            assert isinstance(sub.get("items"), dict) and types_of(sub["items"]), f"{stream}.{path}: untyped items"


@pytest.mark.parametrize("stream", STREAMS)
def test_primary_key_and_shop_id_are_non_null_strings(stream):
    schema = load_schema(stream)
    not_null = set(PRIMARY_KEYS[stream]) | {"shop_id"}
    for field in not_null:
        kind = "integer" if (stream, field) in MODEL_INTEGER_IDS | KEY_TIMES else "string"
        assert schema["properties"][field]["type"] == kind, f"{stream}.{field}"
        assert field in schema.get("required", []), f"{stream}.{field} not required"
    for path, sub in walk(schema):
        if path and path not in not_null:
            assert "null" in types_of(sub), f"{stream}.{path} is not nullable"


@pytest.mark.parametrize("stream", sorted(CURSORS))
def test_cursor_field_is_unix_seconds_or_a_day(stream):
    cursor = load_schema(stream)["properties"][CURSORS[stream]]
    if cursor.get("format") == "date":  # the analytics streams
        assert types_of(cursor) == ["string"]
    else:
        assert set(types_of(cursor)) <= {"null", "integer"}
        assert "integer" in types_of(cursor)


@pytest.mark.parametrize("stream", STREAMS)
def test_ids_and_money_are_strings(stream):
    checked = 0
    for path, sub in walk(load_schema(stream)):
        name = path.rsplit(".", 1)[-1].removesuffix("[]")
        types = set(types_of(sub)) - {"null"}
        if not path or types & {"object", "array"}:
            if ID_NAME.search(name) and "array" in types:  # e.g. order_line_item_ids
                assert set(types_of(sub["items"])) - {"null"} == {"string"}, f"{stream}.{path}"
            continue
        if (stream, path) in MODEL_INTEGER_IDS:
            assert types == {"integer"}, f"{stream}.{path}: {sorted(types)}"
        elif ID_NAME.search(name) or (MONEY_NAME.search(name) and name not in NOT_MONEY):
            assert types == {"string"}, f"{stream}.{path}: {sorted(types)}"
            checked += 1
    assert checked, f"{stream}: no id or money field found"


def test_money_rule_sees_the_amounts():
    """Guard the name patterns above: a sample of known money fields must match them."""
    for name in ("total_amount", "sub_total", "sale_price", "shipping_fee", "seller_discount", "tax", "value"):
        assert MONEY_NAME.search(name), name
    for name in ("id", "order_id", "order_line_item_ids"):
        assert ID_NAME.search(name), name
    assert not MONEY_NAME.search("quantity") and not ID_NAME.search("is_leaf")
