"""Deleted products in products, skus and product_details, whether Search Products lists them unasked or only when
asked for: TikTok does not say, so the sandbox can do either (`deleted_products`) and the connector asks."""

import math

import pytest
from airbyte_cdk.models import SyncMode

from integration_tests.harness import catalog_of, config_for, run
from integration_tests.truth import by_key, expected_rows
from tiktok_shop_sandbox import Sandbox

PRODUCT_STREAMS = ("products", "skus", "product_details")
SEARCH = "/product/202502/products/search"


@pytest.mark.parametrize("reading", ["listed", "asked"], ids=["listed unasked", "listed only when asked"])
def test_deleted_products_are_read_once_and_a_deletion_reaches_every_product_table(reading):
    with Sandbox(seed=9, shops=2, orders=100, counts={"products": 250}, deleted_products=reading) as sandbox:
        config = config_for(sandbox)
        catalog = catalog_of(dict.fromkeys(PRODUCT_STREAMS, SyncMode.incremental))
        first = run("read", config, catalog)
        assert not first.output.errors, first.output.errors
        for stream in PRODUCT_STREAMS:
            rows = first.records(stream)
            assert len(by_key(stream, rows)) == len(rows), f"{stream}: a row came twice"
            assert by_key(stream, rows) == by_key(stream, expected_rows(sandbox, stream)), stream
        products = sandbox.records("products")
        deleted = {(shop, p["id"]) for shop, listed in products.items() for p in listed if p["status"] == "DELETED"}
        assert deleted
        assert deleted <= {(row["shop_id"], row["id"]) for row in first.records("product_details")}
        assert deleted <= {(row["shop_id"], row["product_id"]) for row in first.records("skus")}

        # What it costs: one query of every product (deleted ones too if search lists them), one of the deleted.
        searches = [entry for entry in sandbox.requests if entry["path"] == SEARCH]
        for shop in sandbox.shops:
            listed = products[shop["id"]]
            gone = sum(1 for product in listed if product["status"] == "DELETED")
            unasked = len(listed) if reading == "listed" else len(listed) - gone
            asked = [entry for entry in searches if entry["shop_cipher"] == shop["cipher"]]
            assert sum(1 for entry in asked if entry["body"].get("status") == "DELETED") == max(
                1, math.ceil(gone / 100)
            )
            assert sum(1 for entry in asked if "status" not in entry["body"]) == math.ceil(unasked / 100)

        removed = set(sandbox.delete_products(4))
        second = run("read", first.config_after(config), catalog, first.state)
        assert not second.output.errors, second.output.errors
    for stream, id_field in (("products", "id"), ("skus", "product_id"), ("product_details", "id")):
        seen = {row[id_field]: row for row in second.records(stream) if row[id_field] in removed}
        assert set(seen) == removed, f"{stream} missed a deletion"
        assert all(row["update_time"] > first.state_of(stream)[row["shop_id"]]["update_time"] for row in seen.values())
    assert {row["status"] for row in second.records("products") if row["id"] in removed} == {"DELETED"}
    assert {row["status"] for row in second.records("product_details") if row["id"] in removed} == {"DELETED"}
