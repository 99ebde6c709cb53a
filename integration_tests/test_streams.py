"""Every stream against the sandbox (2 shops): ground truth, schemas, keys, and incremental follow-ups."""

import json
from collections import Counter

import jsonschema
import pytest
from airbyte_cdk.models import SyncMode

from integration_tests.harness import STREAM_NAMES, catalog_of, config_for, every_stream, run
from integration_tests.truth import by_key, expected_rows, key_of
from tiktok_shop_sandbox import Sandbox

TOUCHED = {"orders": ("orders", "order_line_items"), "products": ("products", "skus", "product_details"),
           "returns": ("returns",), "cancellations": ("cancellations",), "packages": ("packages",)}  # fmt: skip


@pytest.fixture(scope="module")
def world():
    with Sandbox(seed=5, shops=2, orders=150) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def catalog(world):
    streams = run("discover", config_for(world)).output.catalog.catalog.streams
    modes = {
        stream.name: SyncMode.incremental
        if SyncMode.incremental in stream.supported_sync_modes
        else SyncMode.full_refresh
        for stream in streams
    }
    return {stream.name: stream for stream in streams}, catalog_of(modes)


@pytest.fixture(scope="module")
def first_sync(world, catalog):
    config = config_for(world)
    result = run("read", config, catalog[1])
    assert not result.output.errors, result.output.errors
    return config, result


def test_discover_lists_every_stream(catalog):
    assert sorted(catalog[0]) == sorted(STREAM_NAMES)


@pytest.mark.parametrize("stream", STREAM_NAMES)
def test_stream_equals_the_ground_truth(world, first_sync, stream):
    rows = first_sync[1].records(stream)
    keys = [key_of(stream, row) for row in rows]
    assert len(keys) == len(set(keys)), f"{stream}: a primary key repeats"
    expected = by_key(stream, expected_rows(world, stream))
    assert expected, f"the sandbox has no {stream} to compare with"
    assert by_key(stream, rows) == expected


@pytest.mark.parametrize("stream", STREAM_NAMES)
def test_every_record_validates_against_its_published_schema(catalog, first_sync, stream):
    published = catalog[0][stream]
    validator = jsonschema.Draft7Validator(published.json_schema)
    for row in first_sync[1].records(stream):
        errors = sorted(validator.iter_errors(row), key=str)
        assert not errors, f"{stream}: {errors[0].message} at {list(errors[0].absolute_path)}"
    pk_fields = [path[0] for path in published.source_defined_primary_key]
    assert all(field in published.json_schema["properties"] for field in pk_fields)
    if published.default_cursor_field:
        assert published.json_schema["properties"][published.default_cursor_field[0]]["type"] in (
            "integer",
            ["null", "integer"],
        )


def test_second_sync_after_touching_returns_the_touched_records(world, catalog, first_sync):
    config, first = first_sync
    touched = {resource: set(world.touch(resource, 4)) for resource in TOUCHED}
    second = run("read", first.config_after(config), catalog[1], first.state)
    assert not second.output.errors, second.output.errors
    for resource, streams in TOUCHED.items():
        for stream in streams:
            parent_field = {"order_line_items": "order_id", "skus": "product_id"}.get(stream, "id")
            key_field = {"returns": "return_id", "cancellations": "cancel_id"}.get(stream, parent_field)
            returned = {row[key_field] for row in second.records(stream)}
            assert touched[resource] <= returned, f"{stream} missed touched {resource}"
    # Nothing else was re-read beyond the lookback: far fewer rows than the first sync.
    assert len(second.records("orders")) < len(first.records("orders")) / 2


def test_product_windows_are_split_below_the_search_cap():
    """Search Products refuses to page past 10,000 results (12052180): the connector splits its window."""
    with Sandbox(seed=6, shops=1, orders=50, counts={"products": 12_500}) as big:
        result = run("read", config_for(big), catalog_of({"products": SyncMode.incremental}))
        refused = [entry for entry in big.requests if entry["code"] == 12052180]
        assert not result.output.errors, result.output.errors
        assert by_key("products", result.records("products")) == by_key("products", expected_rows(big, "products"))
    assert not refused


def test_no_page_is_fetched_twice_in_one_sync():
    """Streams built on the same endpoint (orders and order_line_items, ...) share its pages."""
    with Sandbox(seed=7, shops=2, orders=150) as sandbox:
        result = run("read", config_for(sandbox), every_stream())
        assert not result.output.errors
        queries = [
            (entry["method"], entry["path"], json.dumps(entry["body"], sort_keys=True),
             tuple(sorted((k, v) for k, v in entry["query"].items() if k not in ("timestamp", "sign", "app_key"))))
            for entry in sandbox.requests
            if not entry["path"].startswith("/api/v2/token")
        ]  # fmt: skip
    repeated = [query for query, count in Counter(queries).items() if count > 1]
    assert not repeated, repeated[:3]
    # Search Orders is read once for both streams built on it.
    assert sum(1 for query in queries if query[1].startswith("/order/")) == sum(
        max(1, -(-len(orders) // 100)) for orders in sandbox.records("orders").values()
    )
