"""What each stream should hold, computed from the sandbox's ground truth (not from the connector)."""

from collections.abc import Iterable, Mapping
from typing import Any

from source_tiktok_shop.catalog import STREAMS_BY_NAME
from source_tiktok_shop.reading.declarations import Followed

DIRECT = {
    "orders": "orders",
    "products": "products",
    "returns": "returns",
    "cancellations": "cancellations",
    "packages": "packages",
    "statements": "statements",
    "payments": "payments",
    "withdrawals": "withdrawals",
    "warehouses": "warehouses",
    "categories": "categories",
    "brands": "brands",
    "promotion_activities": "promotion_activities",
    "coupons": "coupons",
    # Every day the sandbox keeps, with the day as `date`, as the connector adds it.
    "shop_performance": "shop_performance",
    "shop_product_performance": "shop_product_performance",
    "shop_sku_performance": "shop_sku_performance",
    "shop_video_performance": "shop_video_performance",
    "shop_live_performance": "shop_live_performance",
    "unsettled_transactions": "unsettled_transactions",
    "affiliate_orders": "affiliate_orders",
    "open_collaborations": "open_collaborations",
    "target_collaborations": "target_collaborations",
    "sample_applications": "sample_applications",
}
# A deleted product's detail is its search record, less the fields Get Product does not have.
SEARCH_ONLY = ("sales_regions", "product_sync_fail_reasons")
# The streams read at more than one API version (a shop whose market lacks the current one reads an older one).
VERSIONED = ("returns", "cancellations", "payments")


def key_of(stream: str, row: dict[str, Any]) -> tuple:
    return tuple(row[field] for field in STREAMS_BY_NAME[stream].primary_key)


def expected_rows(sandbox: Any, stream: str, versions: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The rows of `stream`; `versions` gives the API version a shop is read at where it is not the current one."""
    # The CDK's record serializer leaves out top-level nulls; a missing column reads as null anyway.
    rows = _rows(sandbox, stream, versions or {})
    return [{key: value for key, value in row.items() if value is not None} for row in rows]


def _records(sandbox: Any, resource: str, versions: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Each shop's records, in the shape of the version the shop is read at."""
    records = sandbox.records(resource)
    for shop_id, version in versions.items():
        records[shop_id] = sandbox.records(resource, version)[shop_id]
    return records


def _rows(sandbox: Any, stream: str, versions: Mapping[str, str]) -> list[dict[str, Any]]:
    if stream == "shops":
        return [{**shop, "shop_id": str(shop["id"])} for shop in sandbox.shops]
    if stream in VERSIONED:  # the sandbox's payments leave out the SEA shops, which TikTok refuses them
        return list(_with_shop(_records(sandbox, DIRECT[stream], versions)))
    if stream in DIRECT:
        return list(_with_shop(sandbox.records(DIRECT[stream])))
    if stream == "order_line_items":
        return [
            {**item, "order_id": order["id"], "update_time": order["update_time"], "shop_id": order["shop_id"]}
            for order in _with_shop(sandbox.records("orders"))
            for item in order.get("line_items") or []
        ]
    if stream == "skus":
        return [
            {**sku, "product_id": product["id"], "update_time": product["update_time"], "shop_id": product["shop_id"]}
            for product in _with_shop(sandbox.records("products"))
            for sku in product.get("skus") or []
        ]
    if stream == "product_details":
        # Get Product answers for every product but FREEZE and DELETED ones; a deleted one's row is its search record.
        deleted = [
            {key: value for key, value in product.items() if key not in SEARCH_ONLY}
            for product in _with_shop(sandbox.records("products"))
            if product["status"] == "DELETED"
        ]
        return deleted + list(_with_shop(sandbox.records("product_details")))
    if stream == "statement_transactions":
        statements = {(row["shop_id"], row["id"]): row for row in _with_shop(sandbox.records("statements"))}
        return [
            {
                **row,
                "statement_time": statements[(row["shop_id"], row["statement_id"])]["statement_time"],
                # The currency of a statement's transactions comes with their page, once.
                "currency": statements[(row["shop_id"], row["statement_id"])]["currency"],
            }
            for row in _with_shop(sandbox.records("statement_transactions"))
        ]
    if stream == "order_settlements":  # each order settled, through its statement: one statement per order here
        rows = STREAMS_BY_NAME[stream].rows
        order_fields = rows.page_fields if isinstance(rows, Followed) else {}
        statements = {(row["shop_id"], row["id"]): row for row in _with_shop(sandbox.records("statements"))}
        return [
            {
                **sku,
                **{column: order[field] for column, field in order_fields.items()},
                "statement_time": statements[(order["shop_id"], sku["statement_id"])]["statement_time"],
                "shop_id": order["shop_id"],
            }
            for order in _with_shop(sandbox.records("order_transactions"))
            for sku in order["sku_transactions"]
        ]
    if stream == "affiliate_order_skus":
        return [
            {**sku, "order_id": order["id"], "create_time": order["create_time"], "shop_id": order["shop_id"]}
            for order in _with_shop(sandbox.records("affiliate_orders"))
            for sku in order["skus"]
        ]
    raise KeyError(stream)


def _with_shop(records_by_shop: dict[str, list[dict[str, Any]]]) -> Iterable[dict[str, Any]]:
    for shop_id, records in records_by_shop.items():
        for record in records:
            yield {**record, "shop_id": str(shop_id)}


def by_key(stream: str, rows: list[dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
    return {key_of(stream, row): row for row in rows}
