"""The checks of list pages, from the declarations and TikTok's models (reading/page_checks.py)."""

import json

import pytest

from source_tiktok_shop.catalog import STREAMS
from source_tiktok_shop.reading.page_checks import page_checks
from source_tiktok_shop.source import SCHEMAS
from source_tiktok_shop.tiktok.envelope import Page

CHECKS = page_checks(STREAMS, SCHEMAS.get_schema)


def page(records: list[dict]) -> Page:
    return Page.parse(
        json.dumps({"code": 0, "message": "", "request_id": "r", "data": {"orders": records}}).encode(), "orders"
    )


@pytest.mark.parametrize(
    "record, says",
    [
        ({"id": "1", "update_time": 5, "buyer_message": "hi"}, None),
        ({"id": "1", "buyer_message": "hi"}, "record 1 has no `update_time`"),
        ({"id": "1", "update_time": 5, "buyer_message": 12}, "`buyer_message` of record 1 is the number 12"),
        ({"id": 1, "update_time": 5}, "`id` of record 1 is the number 1, where TikTok's model has a string"),
    ],
)
def test_an_orders_page_is_checked_for_its_cursor_and_for_numbers_where_the_model_has_strings(record, says):
    problem = CHECKS["orders_search"](page([{"id": "0", "update_time": 1}, record]))
    assert problem == says if says is None else says in problem


def test_every_endpoint_of_a_stream_of_records_as_they_are_is_checked():
    assert {"orders_search", "products_search", "returns_search", "statements", "warehouses"} <= set(CHECKS)
