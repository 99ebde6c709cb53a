"""What each stream should hold, computed from the sandbox's ground truth and TikTok's models, never from the
connector: nothing here imports `source_tiktok_shop`. Keys and cursors are TikTok's id and time fields, written down
here (test_streams.py compares them with what `discover` declares)."""

import json
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

# TikTok's models, as scripts/extract_models.py vendors them.
MODELS = json.loads((Path(__file__).parents[1] / "unit_tests" / "resources" / "tiktok_models.json").read_text())[
    "operations"
]
PRODUCT_SEARCH = "POST /product/202502/products/search"
GET_PRODUCT = "GET /product/202309/products/{product_id}"
TRANSACTIONS_BY_ORDER = "GET /finance/202501/orders/{order_id}/statement_transactions"

DAY = 24 * 60
# Every row's key: its shop, then the id TikTok gives the record (or the record's parent and its item, for rows
# that are items of a record; TikTok's SKU settlements and affiliate SKU orders have no id of their own), and the
# day for the analytics. The shop list's rows are shops: their own id.
PRIMARY_KEYS: Mapping[str, tuple[str, ...]] = {
    "shops": ("id",),
    **{
        stream: ("shop_id", "id")
        for stream in (
            "orders",
            "order_line_items",
            "products",
            "skus",
            "product_details",
            "packages",
            "statements",
            "payments",
            "withdrawals",
            "warehouses",
            "categories",
            "brands",
            "promotion_activities",
            "coupons",
            "unsettled_transactions",
            "affiliate_orders",
            "open_collaborations",
            "target_collaborations",
            "sample_applications",
        )
    },  # fmt: skip
    "returns": ("shop_id", "return_id"),
    "cancellations": ("shop_id", "cancel_id"),
    # A transaction's id is unique within its statement.
    "statement_transactions": ("shop_id", "statement_id", "id"),
    # One SKU transaction per order, SKU and statement that settled it (a refund after settlement: a second one).
    "order_settlements": ("shop_id", "order_id", "statement_id", "sku_id"),
    "affiliate_order_skus": ("shop_id", "order_id", "sku_id"),
    "shop_performance": ("shop_id", "date"),
    **{
        stream: ("shop_id", "id", "date")
        for stream in (
            "shop_product_performance",
            "shop_sku_performance",
            "shop_video_performance",
            "shop_live_performance",
        )
    },  # fmt: skip
    # FBT: warehouses by TikTok's FBT warehouse id; stock per goods and warehouse; a stock change per goods,
    # warehouse, order and time, normal and defective units apart; inbound orders by their id.
    "fbt_warehouses": ("shop_id", "fbt_warehouse_id"),
    "fbt_inventory": ("shop_id", "fbt_warehouse_id", "goods_id"),
    "fbt_inventory_records": (
        "shop_id",
        "create_time",
        "goods_id",
        "fbt_warehouse_id",
        "order_id",
        "inventory_goods_type",
    ),
    "fbt_inbound_orders": ("shop_id", "order_id"),
    "open_collaboration_products": ("shop_id", "id"),
    "creator_outreach_records": ("shop_id", "id"),
    # A day, an hour of a day; the score once per refresh, each metric once per evaluation window.
    "customer_service_performance": ("shop_id", "date"),
    "shop_performance_score": ("shop_id", "update_time"),
    "shop_performance_score_metrics": ("shop_id", "metric_code", "end_evaluation_time"),
    "shop_hourly_performance": ("shop_id", "date", "index"),
    "live_overview_performance": ("shop_id", "date"),
    # Issue #20: a record that does not name its parent gets the parent's id (docs/new-streams-design.md).
    "order_price_details": ("shop_id", "order_id"),
    "external_orders": ("shop_id", "order_id", "platform", "id"),
    "inventory": ("shop_id", "id"),
    "order_tracking": ("shop_id", "order_id"),
    "return_records": ("shop_id", "return_id"),
    "promotion_activity_products": ("shop_id", "activity_id", "id"),
    "video_product_performance": ("shop_id", "video_id", "date", "id"),
    "product_diagnoses": ("shop_id", "id"),
    # The content's id, which TikTok nests in `content`, as a column (destinations dedupe on top-level columns).
    "sample_application_fulfillments": ("shop_id", "application_id", "content_id"),
}
# The columns TikTok nests a key's field in, which the rows carry at the top as well.
KEY_COLUMNS: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "fbt_inventory": {"goods_id": ("goods", "id")},
    "fbt_inventory_records": {"goods_id": ("goods", "id"), "order_id": ("order", "id")},
    "sample_application_fulfillments": {"content_id": ("content", "id")},
}
# Full refreshes of what TikTok gives no time for: each row says when its shop was read (`snapshot_time`).
SNAPSHOTS = (
    "fbt_warehouses", "fbt_inventory", "open_collaboration_products", "creator_outreach_records",
    "inventory", "product_diagnoses", "sample_application_fulfillments",
)  # fmt: skip
# The cursor of each incremental stream (the time field TikTok filters on, or the day of the analytics) and its
# default lookback in minutes, as docs/tiktok-shop.md documents them.
CURSORS: Mapping[str, tuple[str, int]] = {
    **{stream: ("update_time", 60) for stream in ("orders", "order_line_items", "products", "skus")},
    **{stream: ("update_time", 60) for stream in ("product_details", "returns", "cancellations", "packages")},
    **{stream: ("statement_time", 7 * DAY) for stream in ("statements", "statement_transactions", "order_settlements")},
    **{stream: ("create_time", 7 * DAY) for stream in ("payments", "withdrawals")},
    **{stream: ("create_time", 60 * DAY) for stream in ("affiliate_orders", "affiliate_order_skus")},
    "fbt_inventory_records": ("create_time", 60),
    # An inbound order's: the time of the first inventory record of the window that names it (a receipt).
    "fbt_inbound_orders": ("record_create_time", 60),
    **{
        stream: ("date", 7 * DAY)
        for stream in (
            "shop_performance",
            "shop_product_performance",
            "shop_sku_performance",
            "shop_video_performance",
            "shop_live_performance",
        )
    },  # fmt: skip
    **{
        stream: ("date", 7 * DAY)
        for stream in ("customer_service_performance", "shop_hourly_performance", "live_overview_performance")
    },
    # The time of the score's refresh and the end of a metric's window: a score is not revised once refreshed.
    "shop_performance_score": ("update_time", 0),
    "shop_performance_score_metrics": ("end_evaluation_time", 0),
    # With their parents: the orders', the returns' and the activities' `update_time`, the videos' day.
    **{stream: ("update_time", 60) for stream in ("order_price_details", "external_orders", "order_tracking")},
    **{stream: ("update_time", 60) for stream in ("return_records", "promotion_activity_products")},
    "video_product_performance": ("date", 7 * DAY),
}
# The streams each scope gives, as docs/tiktok-shop.md lists them (TikTok's scope of each endpoint).
SCOPES: Mapping[str, tuple[str, ...]] = {
    "seller.authorization.info": ("shops",),
    "seller.order.info": ("orders", "order_line_items", "order_price_details", "external_orders"),
    "seller.product.basic": (
        "products", "skus", "product_details", "categories", "brands", "inventory", "product_diagnoses",
    ),
    "seller.return_refund.basic": ("returns", "cancellations", "return_records"),
    "seller.fulfillment.basic": (
        "packages", "fbt_warehouses", "fbt_inventory", "fbt_inventory_records", "fbt_inbound_orders",
    ),
    "seller.finance.info": (
        "statements", "statement_transactions", "order_settlements", "unsettled_transactions", "payments",
        "withdrawals",
    ),
    "seller.logistics": ("warehouses", "order_tracking"),
    "seller.promotion.info": ("promotion_activities", "coupons", "promotion_activity_products"),
    "data.shop_analytics.public.read": (
        "shop_performance", "shop_product_performance", "shop_sku_performance", "shop_video_performance",
        "shop_live_performance", "shop_performance_score", "shop_performance_score_metrics", "shop_hourly_performance",
        "live_overview_performance", "video_product_performance",
    ),
    "seller.customer_service": ("customer_service_performance",),
    "seller.affiliate_collaboration.read": (
        "affiliate_orders", "affiliate_order_skus", "open_collaborations", "target_collaborations",
        "sample_applications", "open_collaboration_products", "creator_outreach_records",
        "sample_application_fulfillments",
    ),
}  # fmt: skip

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
    "fbt_warehouses": "fbt_warehouses",
    "fbt_inventory": "fbt_inventory",
    "fbt_inventory_records": "fbt_inventory_records",
    "open_collaboration_products": "open_collaboration_products",
    "creator_outreach_records": "creator_outreach_records",
    # Days and hours with their `date`; none of the score for a shop of a market without it.
    "customer_service_performance": "customer_service_performance",
    "shop_performance_score": "shop_performance_score",
    "shop_performance_score_metrics": "shop_performance_score_metrics",
    "shop_hourly_performance": "shop_hourly_performance",
    "product_diagnoses": "product_diagnoses",  # every live product's
    "video_product_performance": "video_product_performance",  # with `video_id` and `date`, as the connector adds
}
# The per-record reads of issue #20 whose rows name their parent record and carry its cursor value: stream → (the
# ground truth's resource, the parent's resource, the parent's id field, the id column of the rows).
WITH_PARENT = {
    "order_price_details": ("order_price_details", "orders", "id", "order_id"),
    "external_orders": ("external_orders", "orders", "id", "order_id"),
    "order_tracking": ("order_tracking", "orders", "id", "order_id"),
    "return_records": ("return_records", "returns", "return_id", "return_id"),
}
# The streams read at more than one API version (a shop whose market lacks the current one reads an older one).
VERSIONED = ("returns", "cancellations")
# TikTok's notes: sellers can only query the LIVE rooms of their own official creator accounts (docs/tiktok-shop.md).
LIVE_ACCOUNT_TYPE = "OFFICIAL_ACCOUNTS"
# The `collaboration_status` a target collaboration is listed under, by its state (TikTok's notes: VALID holds the
# ONGOING and EXPIRING ones, COMPLETED the expired and canceled ones).
LISTED_UNDER = {"ONGOING": "VALID", "EXPIRING": "VALID", "CANCELING": "CANCELING", "COMPLETED": "COMPLETED"}


def record_fields(operation: str, records_key: str | None = None) -> set[str]:
    """The fields of one record of an operation's answer in TikTok's model (`data` itself without `records_key`)."""
    data = MODELS[operation]["response_data"]
    return set(data[records_key][0] if records_key else data)


# A deleted product's detail is its search record, less the fields Get Product does not have.
SEARCH_ONLY = record_fields(PRODUCT_SEARCH, "products") - record_fields(GET_PRODUCT)
# Get Transactions by Order gives the order's own fields once, beside its SKU transactions; each row has them, the
# order's totals (its amounts) renamed `order_<name>` since a SKU's amounts have the same names (docs/tiktok-shop.md).
ORDER_COLUMNS = {
    (f"order_{name}" if name.endswith("_amount") else name): name
    for name in record_fields(TRANSACTIONS_BY_ORDER) - {"sku_transactions", "total_count"}
}


def key_of(stream: str, row: dict[str, Any]) -> tuple:
    return tuple(row[field] for field in PRIMARY_KEYS[stream])


def expected_rows(
    sandbox: Any, stream: str, versions: Mapping[str, str] | None = None, platforms: Collection[str] = ()
) -> list[dict[str, Any]]:
    """The rows of `stream`; `versions` gives the API version a shop is read at where it is not the current one,
    `platforms` the config's `external_order_platforms` (the external order references are read on those only)."""
    # The CDK's record serializer leaves out top-level nulls; a missing column reads as null anyway.
    rows = _rows(sandbox, stream, versions or {})
    if stream == "external_orders":
        rows = [row for row in rows if row["platform"] in platforms]
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
    if stream in VERSIONED:
        return list(_with_shop(_records(sandbox, DIRECT[stream], versions)))
    if stream == "shop_live_performance":  # the sandbox says each session's account type, which TikTok's rows do not
        return [
            {key: value for key, value in row.items() if key != "account_type"}
            for row in _with_shop(sandbox.records(stream))
            if row["account_type"] == LIVE_ACCOUNT_TYPE
        ]
    if stream == "live_overview_performance":  # a day's interval, with its day as `date`, as the connector adds it
        return [{**row, "date": row["start_date"]} for row in _with_shop(sandbox.records(stream))]
    if stream == "target_collaborations":
        return [
            {**row, "collaboration_status": LISTED_UNDER[row["collaboration_status"]]}
            for row in _with_shop(sandbox.records(stream))
        ]
    if stream in KEY_COLUMNS:
        return [
            {**row, **{column: row[outer][inner] for column, (outer, inner) in KEY_COLUMNS[stream].items()}}
            for row in _with_shop(sandbox.records(stream))
            if stream != "fbt_inventory" or in_stock(row)
        ]
    if stream == "fbt_inbound_orders":
        return list(inbound_orders_named(sandbox))
    if stream in DIRECT:  # the sandbox's payments leave out the SEA shops, which TikTok refuses them
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
        statements = {(row["shop_id"], row["id"]): row for row in _with_shop(sandbox.records("statements"))}
        return [
            {
                **sku,
                **{column: order[field] for column, field in ORDER_COLUMNS.items()},
                "statement_time": statements[(order["shop_id"], sku["statement_id"])]["statement_time"],
                "shop_id": order["shop_id"],
            }
            for order in _with_shop(sandbox.records("order_transactions"))
            for sku in order["sku_transactions"]
        ]
    if stream in WITH_PARENT:  # (every reference of every platform, for external orders)
        resource, parent, id_field, column = WITH_PARENT[stream]
        updated = {(row["shop_id"], row[id_field]): row["update_time"] for row in _with_shop(sandbox.records(parent))}
        return [
            {**row, "update_time": updated[(row["shop_id"], row[column])]}
            for row in _with_shop(sandbox.records(resource))
        ]
    if stream == "inventory":  # a row per SKU of every product Get Product serves
        return [
            {**sku, "product_id": product["product_id"], "shop_id": product["shop_id"]}
            for product in _with_shop(sandbox.records("inventory"))
            for sku in product["skus"]
        ]
    if stream == "promotion_activity_products":  # the products Get Activity gives, with the activity's update time
        return [
            {**product, "activity_id": activity["activity_id"], "update_time": activity["update_time"],
             "shop_id": activity["shop_id"]}
            for activity in _with_shop(sandbox.records("promotion_activity_details"))
            for product in activity.get("products") or []
        ]  # fmt: skip
    if stream == "affiliate_order_skus":
        return [
            {**sku, "order_id": order["id"], "create_time": order["create_time"], "shop_id": order["shop_id"]}
            for order in _with_shop(sandbox.records("affiliate_orders"))
            for sku in order["skus"]
        ]
    raise KeyError(stream)


def in_stock(row: dict[str, Any]) -> bool:
    """TikTok's notes: asked for no goods, Search FBT Inventory lists the goods with stock on hand or on its way."""
    return row["on_hand_detail"]["total_quantity"] + row["in_transit_quantity"] > 0


def inbound_orders_named(sandbox: Any, since: int = 0) -> Iterable[dict[str, Any]]:
    """The inbound orders the FBT inventory records created from `since` on name (receipts of their goods; TikTok
    has no list of inbound orders), with the time of the first of them."""
    for shop_id, records in sandbox.records("fbt_inventory_records").items():
        first: dict[str, int] = {}
        for record in records:
            order = record["order"]
            if order["type"] == "INBOUND_ORDER" and record["create_time"] >= since:
                first[order["id"]] = min(first.get(order["id"], record["create_time"]), record["create_time"])
        for inbound in sandbox.records("fbt_inbound_orders")[shop_id]:
            if inbound["order_id"] in first:
                yield {**inbound, "record_create_time": first[inbound["order_id"]], "shop_id": str(shop_id)}


def without_snapshot_time(stream: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A snapshot's rows less their `snapshot_time`, the one column the ground truth cannot know."""
    if stream not in SNAPSHOTS:
        return rows
    return [{key: value for key, value in row.items() if key != "snapshot_time"} for row in rows]


def _with_shop(records_by_shop: dict[str, list[dict[str, Any]]]) -> Iterable[dict[str, Any]]:
    for shop_id, records in records_by_shop.items():
        for record in records:
            yield {**record, "shop_id": str(shop_id)}


def by_key(stream: str, rows: list[dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
    return {key_of(stream, row): row for row in rows}


def platforms_of(sandbox: Any) -> list[str]:
    """The platforms the sandbox's orders have external references on."""
    return sorted({row["platform"] for rows in sandbox.records("external_orders").values() for row in rows})
