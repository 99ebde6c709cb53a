"""Every stream's schema against TikTok's model of its endpoint (unit_tests/resources/tiktok_models.json).

Every declared stream (source_tiktok_shop/catalog.py) falls under it: where its rows come from is derived from its
declaration. A schema declares exactly the fields of its record's model, recursively, with the model's types, plus
the columns the connector adds: a field missing, a field the model lacks or a type that disagrees fails, named by
its dotted path. scripts/extract_models.py refreshes the models; scripts/generate_schemas.py rewrites the
schemas from them.
"""

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from source_tiktok_shop.catalog import STREAMS as CATALOG
from source_tiktok_shop.catalog import STREAMS_BY_NAME
from source_tiktok_shop.reading.declarations import StreamDeclaration
from source_tiktok_shop.reading.shapes import AsIs, Detail
from source_tiktok_shop.tiktok.endpoints import ENDPOINTS, Endpoint

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "source_tiktok_shop" / "schemas"
MODELS = json.loads((ROOT / "unit_tests" / "resources" / "tiktok_models.json").read_text())["operations"]


class Record(NamedTuple):
    """What a stream's rows are, in the models' terms, derived from its declaration (`record_of`)."""

    operation: str  # "METHOD path", a key of the vendored models
    records_key: str | None  # the list under `data` (a dotted path) whose items are the records; None: `data` is
    nested: str | None  # a list in each of those records whose items are the rows instead
    added: Mapping[str, str]  # columns the connector adds to each row, with their model types
    primary_key: tuple[str, ...]
    cursor_field: str | None = None


def only_item(model: Any, where: str) -> Any:
    if not (isinstance(model, list) and len(model) == 1):
        raise ValueError(f"{where} is not a list in the model")
    return model[0]


def records_model(operation: str, records_key: str | None) -> Any:
    """The model of one record of an operation's answer: an item of `data.<records_key>` (the object itself, where it
    is one), or `data` itself."""
    model = MODELS[operation]["response_data"]
    if records_key:
        *path, key = records_key.split(".")
        for name in path:
            model = model[name]
        model = model.get(key)
        model = model if isinstance(model, dict) else only_item(model, f"data.{records_key}")
    return model


def tagged(endpoint: Endpoint) -> dict[str, str]:
    """The column the endpoint's variant queries add to records that do not say their value (`Variants`)."""
    variants = endpoint.variants
    if variants is None or variants.parameter in records_model(endpoint.operation(), endpoint.records_key):
        return {}
    return {variants.parameter: "string"}


def page_types(endpoint: Endpoint, fields: Mapping[str, str]) -> dict[str, str]:
    """The model types of the fields beside an answer's records, under the columns the connector copies them to."""
    page = MODELS[endpoint.operation()]["response_data"]
    return {column: page[name] for column, name in fields.items()}


def record_of(declared: StreamDeclaration) -> Record:
    """Where the rows of a declared stream come from and what the connector adds to them (reading/shapes.py):
    by its row shape, then the columns every row of the stream gets (`key_columns`, `snapshot_time`)."""
    record = shaped_record_of(declared)
    model = records_model(record.operation, record.records_key)
    if record.nested:
        model = only_item(model.get(record.nested), record.nested)
    keys = {column: nested_type(model, path) for column, path in declared.key_columns.items()}
    snapshot = {"snapshot_time": "integer"} if declared.snapshot else {}
    return record._replace(added={**record.added, **keys, **snapshot})


def nested_type(model: Any, path: str) -> Any:
    for name in path.split("."):
        model = model[name]
    return model


def shaped_record_of(declared: StreamDeclaration) -> Record:
    """The record the rows are, as the row shape says it (`RowOrigin`), and the types of the columns it adds: those
    copied from beside the records typed as the model types them."""
    origin = declared.rows.origin(declared.endpoint, declared.by_day)
    cursor, endpoint = declared.cursor_field, origin.endpoint
    added = {"shop_id": "string", **({origin.parent_key: "string"} if origin.parent_key else {})}
    if origin.cursor and cursor:  # the day a row covers (by day), or the time of the record it came from
        added[cursor] = "datetime.date" if declared.by_day else "integer"
    added.update(page_types(endpoint, origin.page_fields))
    if endpoint == declared.endpoint and not origin.nested:  # the stream's own records
        added.update(tagged(endpoint))
    return Record(endpoint.operation(), endpoint.records_key, origin.nested, added, declared.primary_key, cursor)


RECORDS: Mapping[str, Record] = {declared.name: record_of(declared) for declared in CATALOG}
STREAMS = sorted(RECORDS)


def rows_endpoint(declared: StreamDeclaration) -> Endpoint:
    """The endpoint whose records the rows are (or come from)."""
    return declared.rows.origin(declared.endpoint, declared.by_day).endpoint


# The older versions each stream's rows are read at, where a shop's market lacks the current one.
FALLBACKS = [
    (declared.name, rows_endpoint(declared).operation(version))
    for declared in CATALOG
    for version in rows_endpoint(declared).versions[1:]
]

# The models' type names as JSON Schema types (and formats).
JSON_TYPES: Mapping[str, tuple[str, str | None]] = {
    "string": ("string", None),
    "integer": ("integer", None),
    "number": ("number", None),
    "boolean": ("boolean", None),
    "datetime.date": ("string", "date"),
    "datetime.datetime": ("string", "date-time"),
}


def record_model(stream: str) -> dict[str, Any]:
    """The type tree of one row of `stream`: its record's model plus the columns the connector adds."""
    return row_model(stream, RECORDS[stream].operation)


def row_model(stream: str, operation: str) -> dict[str, Any]:
    """The type tree of one row of `stream` read at `operation` (one version of its record's endpoint)."""
    record = RECORDS[stream]
    model = records_model(operation, record.records_key)
    if record.nested:
        model = only_item(model.get(record.nested), record.nested)
    clash = set(model) & set(record.added)
    if clash:
        raise ValueError(f"{stream}: the connector would overwrite {sorted(clash)}")
    return {**model, **record.added}


def schema_types(schema: Mapping[str, Any]) -> set[str]:
    types = schema.get("type", [])
    return {types} if isinstance(types, str) else set(types)


def disagreements(schema: Mapping[str, Any], model: Any, path: str, older: bool = False) -> Iterator[str]:
    """Where `schema` is not the model: one line per missing field, invented field or type that differs.

    `older`: the model of an older version read too, which the schema (of the current one) must hold: fields only the
    current version has are fine, and the 2025 reference's "number" is an integer or a number."""
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
            if name in model:
                yield from disagreements(sub, model[name], f"{path}.{name}", older)
            elif not older:
                yield f"{path}.{name}: not in the model"
    elif isinstance(model, list):
        if types != {"array"}:
            yield f"{path}: {sorted(types)} where the model has an array"
        else:
            yield from disagreements(schema.get("items") or {}, only_item(model, path), f"{path}[]", older)
    elif model not in JSON_TYPES:
        yield f"{path}: the model's type {model!r} has no JSON Schema type here"
    elif older and model == "number" and types in ({"integer"}, {"number"}):
        return
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


def test_every_version_read_has_a_model():
    read = {endpoint.operation(version) for endpoint in ENDPOINTS.values() for version in endpoint.versions}
    assert read <= set(MODELS), sorted(read - set(MODELS))


@pytest.mark.parametrize(("stream", "older"), FALLBACKS)
def test_schema_holds_every_field_of_the_older_versions_read(stream, older):
    """A shop falling back to an older version gets rows of that version's shape; the schema must declare them."""
    found = list(disagreements(load_schema(stream), row_model(stream, older), stream, older=True))
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


INTEGER = {"type": ["null", "integer"]}


@pytest.mark.parametrize(
    ("model", "schema", "expected"),
    [
        ({"a": "number"}, obj(a=INTEGER, b=STRING), []),
        ({"a": "number", "c": "string"}, obj(a=INTEGER), ["s.c: missing (the model has it)"]),
        ({"a": "number"}, obj(a=STRING), ["s.a: ['string'] where the model has 'number'"]),
    ],
)
def test_an_older_version_may_lack_fields_and_say_number_for_an_integer(model, schema, expected):
    assert list(disagreements(schema, model, "s", older=True)) == expected
