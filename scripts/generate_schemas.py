"""Write every stream's schema from TikTok's model of its endpoint.

    .venv/bin/python scripts/generate_schemas.py

The records come from the stream declarations (source_tiktok_shop/catalog.py), as unit_tests/test_schemas_match_models.py
reads them (endpoint, records key, nested list, added columns, primary key), and the vendored models in unit_tests/resources/tiktok_models.json (refresh them
with scripts/extract_models.py). Each schema declares every field of its record's model, recursively, with the
model's types, nullable except the primary key and `shop_id`, in the model's order, then the added columns.
The descriptions below are ours; TikTok's own texts stay out of the repo.
"""

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract_models import json_text  # noqa: E402

from unit_tests.test_schemas_match_models import JSON_TYPES, RECORDS, SCHEMAS, record_model  # noqa: E402

WHAT = {
    "shops": "A shop the seller authorized the app for",
    "orders": "An order, with its line items, payment totals and recipient address",
    "order_line_items": "A line item of an order",
    "products": "A product as product search lists it, with its SKUs' prices and inventory",
    "skus": "A SKU of a product, with its price and inventory",
    "product_details": "The full record of a product (Get Product), read for each product that changed",
    "returns": "A return or refund request",
    "cancellations": "A cancellation request",
    "packages": "A package and the order line items it holds",
    "statements": "A daily settlement statement",
    "statement_transactions": "An order, adjustment or reserve transaction of a statement",
    "payments": "A payout to the seller's bank account",
    "withdrawals": "A withdrawal, settlement, transfer or reversal of the seller's balance",
    "warehouses": "A sales or return warehouse of the shop",
    "categories": "A product category the shop can see",
    "brands": "A brand the shop can use",
    "promotion_activities": "A promotion activity (product discount, flash sale, shipping discount, ...)",
    "coupons": "A seller coupon",
    "shop_performance": "A day of the shop's sales, GMV by channel and traffic",
    "shop_product_performance": "A day of one product's sales and traffic, in all and by channel",
    "shop_sku_performance": "A day of one SKU's sales",
    "shop_video_performance": "A day of one shoppable video's views, engagement and sales",
    "shop_live_performance": "A LIVE session of the day, with its traffic, engagement and sales",
    "order_settlements": "A SKU's settlement in an order a statement settled, with the order's fields and totals",
    "unsettled_transactions": "An order or adjustment not settled yet, with estimated amounts (gone once settled)",
    "affiliate_orders": "An order credited to affiliate creators, with its affiliate SKU orders",
    "affiliate_order_skus": "An affiliate SKU order: a SKU of an affiliate order, its creator and commission",
    "open_collaborations": "An open collaboration: a product any creator may promote, at a commission rate",
    "target_collaborations": "A target collaboration: an invitation of chosen creators to promote products",
    "sample_applications": "A creator's application for a free sample of a product",
    "fbt_warehouses": "A Fulfilled by TikTok warehouse, subscribed by the shop or not",
    "fbt_inventory": "The stock of one goods in one Fulfilled by TikTok warehouse the shop subscribed",
    "fbt_inventory_records": "A change of one goods' stock in one Fulfilled by TikTok warehouse, and the order behind it",
    "fbt_inbound_orders": "A shipment of goods into a Fulfilled by TikTok warehouse, read once its first goods were "
    "received",
    "open_collaboration_products": "A product of the affiliate marketplace of the shop's region, open to any creator",
    "creator_outreach_records": "An outreach of the shop to a creator this week: messages, invitations, pairing",
    "customer_service_performance": "A day of the shop's chat support: sessions, response, satisfaction and the GMV"
    " it guided",
    "shop_performance_score": "The Shop Performance Score as TikTok last refreshed it: score, tier, dimensions,"
    " benefits and top issues",
    "shop_performance_score_metrics": "A metric of the Shop Performance Score over its evaluation window, with its"
    " benchmarks",
    "shop_hourly_performance": "An hour of the shop's sales and traffic",
    "live_overview_performance": "A day of the shop's LIVE sales and traffic, every LIVE session of every account",
    "order_price_details": "What an order cost, itemized: list and sale prices, seller and platform discounts,"
    " vouchers, shipping and tax, per order and per line item",
    "external_orders": "A reference of an order in an external system (OMS, WMS, store), with its line items",
    "inventory": "A SKU's stock: available and committed units, per warehouse, and how the available units are"
    " split between campaigns, creators and the shop",
    "order_tracking": "The carrier's tracking events of a shipped order",
    "return_records": "The timeline of a return: each step, who took it and why",
    "promotion_activity_products": "A product (with its SKUs) of a promotion activity, at its activity price or"
    " discount",
    "video_product_performance": "A day of one product's sales and traffic in one shoppable video",
    "product_diagnoses": "The listing-quality issues of a live product, with suggestions",
    "sample_application_fulfillments": "Content a creator posted for a sample application, with its views and orders",
}
SNAPSHOT = (
    "When the sync started reading this shop for this stream (Unix seconds), the same for every row of a shop in "
    "one sync: tells successive snapshots apart; added by the connector."
)

DAY = "The day the row covers (YYYY-MM-DD, in the shop's timezone): the cursor; added by the connector."

SECONDS = "Unix time in seconds."
SNAPSHOT = (
    "When the sync read this shop (Unix seconds): the same for every row of one shop and sync, so that snapshots"
    " appended in a destination can be told apart; added by the connector."
)
MONEY = "A decimal string, in `currency`."
MONEY_OBJECT = "Money: a decimal string with its currency."

# Descriptions of top-level fields, for every stream ("*") or one.
TEXTS: Mapping[str, Mapping[str, str]] = {
    "*": {
        "id": "TikTok's id of the record: a string (ids exceed the integers a JSON number holds exactly).",
        "shop_id": "The shop the record belongs to (the `id` of `shops`); added by the connector.",
        "create_time": "When it was created. Unix time in seconds.",
        "update_time": "When it last changed. Unix time in seconds.",
        "currency": "ISO 4217 code of the amounts.",
        "status": "Status: an upper-case code; TikTok adds values over time.",
    },
    "shops": {
        "shop_id": "Same as `id`; added by the connector so that every stream has a `shop_id`.",
        "cipher": "The shop's cipher, which shop-scoped requests carry as `shop_cipher`.",
        "region": "Two-letter market code (US, GB, ID, ...).",
        "seller_type": "CROSS_BORDER or LOCAL.",
    },
    "orders": {
        "status": "UNPAID, ON_HOLD, AWAITING_SHIPMENT, PARTIALLY_SHIPPING, AWAITING_COLLECTION, IN_TRANSIT, DELIVERED,"
        " COMPLETED or CANCELLED; TikTok adds values over time.",
        "update_time": "When the order last changed. Unix time in seconds. The cursor of incremental syncs.",
        "payment": "The order's totals, decimal strings in `payment.currency`: subtotal, shipping, discounts, taxes,"
        " fees and the total the buyer paid.",
        "line_items": "The order's line items; also synced one per row as `order_line_items`.",
        "recipient_address": "Where the order goes; masked, and empty while the order is ON_HOLD.",
        "packages": "The order's packages (ids of `packages` rows).",
        "user_id": "The buyer's TikTok user id.",
        "paid_time": "When the buyer paid. Unix time in seconds.",
        "rts_time": "When the seller shipped the order. Unix time in seconds.",
        "shipping_type": "Who ships: TIKTOK, SELLER, or TIKTOK_DIGITAL for virtual goods.",
    },
    "order_line_items": {
        "order_id": "The order the line item belongs to; added by the connector.",
        "update_time": "The order's `update_time` (Unix seconds), the cursor of this stream; added by the connector.",
        "sale_price": "The item's sale price: a decimal string in `currency`.",
        "original_price": "The item's price before discounts: a decimal string in `currency`.",
        "display_status": "The item's status, as the buyer sees it.",
    },
    "products": {
        "update_time": "When the product last changed. Unix time in seconds. The cursor of incremental syncs.",
        "skus": "The product's SKUs; also synced one per row as `skus`.",
        "status": "Status, audit included: DRAFT, PENDING, FAILED, ACTIVATE, SELLER_DEACTIVATED, PLATFORM_DEACTIVATED,"
        " FREEZE, DELETED, ...",
    },
    "skus": {
        "product_id": "The product the SKU belongs to; added by the connector.",
        "update_time": "The product's `update_time` (Unix seconds), the cursor of this stream; added by the connector.",
        "price": "The SKU's price, decimal strings in `price.currency`.",
        "inventory": "Stock per warehouse.",
    },
    "product_details": {
        "update_time": "When the product last changed. Unix time in seconds. The cursor of incremental syncs.",
        "description": "The product description, as HTML.",
        "category_chains": "The product's category, from the top level down to the leaf.",
        "skus": "The product's SKUs, with prices, inventory and sales attributes.",
    },
    "returns": {
        "return_id": "TikTok's id of the return: a string.",
        "update_time": "When the return last changed. Unix time in seconds. The cursor of incremental syncs.",
        "refund_amount": "What is refunded, decimal strings in `refund_amount.currency`.",
        "return_line_items": "The order line items being returned or refunded.",
    },
    "cancellations": {
        "cancel_id": "TikTok's id of the cancellation: a string.",
        "update_time": "When the cancellation last changed. Unix time in seconds. The cursor of incremental syncs.",
        "refund_amount": "What is refunded, decimal strings in `refund_amount.currency`.",
        "cancel_line_items": "The order line items being cancelled.",
    },
    "packages": {
        "update_time": "When the package last changed. Unix time in seconds. The cursor of incremental syncs.",
        "order_line_item_ids": "The order line items in the package.",
    },
    "statements": {
        "statement_time": "When the statement was generated, daily at 00:00 UTC for the day before. Unix time in"
        " seconds. The cursor of incremental syncs.",
        "payment_status": "PAID, FAILED, PROCESSING or SETTLED; changes after the statement is created.",
        "settlement_amount": "What the seller is paid for the statement: a decimal string in `currency`.",
    },
    "statement_transactions": {
        "statement_id": "The statement the transaction belongs to; added by the connector.",
        "statement_time": "The statement's `statement_time` (Unix seconds), the cursor of this stream; added by the"
        " connector.",
        "currency": "ISO 4217 code of the amounts: the statement's currency, which TikTok gives once per page;"
        " added by the connector.",
        "type": "ORDER, RESERVE, or the kind of adjustment (SHIPPING_FEE_ADJUSTMENT, PLATFORM_PENALTY, ...).",
        "settlement_amount": "What the seller is paid for the transaction: a decimal string in `currency`.",
        "revenue_breakdown": "The parts of `revenue_amount`, decimal strings in `currency`.",
        "shipping_cost_breakdown": "The parts of `shipping_cost_amount`, decimal strings in `currency`.",
        "fee_tax_breakdown": "The parts of `fee_tax_amount` (fees, then taxes), decimal strings in `currency`.",
        "supplementary_component": "Amounts that explain the others (buyer payments, platform discounts, sales"
        " tax), decimal strings in `currency`.",
        "estimated_release_time": "When a reserve is expected to be released: Unix seconds as a string; empty once"
        " released.",
    },
    "payments": {
        "create_time": "When the payment started. Unix time in seconds. The cursor of incremental syncs.",
        "amount": "What was paid to the bank account: a decimal string `value` with its `currency`.",
        "status": "PAID, FAILED or PROCESSING; changes after the payment is created.",
        "exchange_rate": "The exchange rate applied, a decimal string with six decimals.",
        "bank_account": "The bank account, masked to its last 4 digits.",
        "paid_time": "When the payment finished. Unix time in seconds. 0 while it has not.",
    },
    "withdrawals": {
        "create_time": "When it was created. Unix time in seconds. The cursor of incremental syncs.",
        "type": "PAYMENT, REFUND, REVERSE, SETTLE, TRANSFER or WITHDRAW (every type the connector can ask for); TikTok"
        " may add others.",
    },
    "warehouses": {
        "type": "SALES_WAREHOUSE or RETURN_WAREHOUSE.",
        "effect_status": "ENABLED, DISABLED or RESTRICTED.",
    },
    "categories": {
        "parent_id": "The parent category; 0 for a top-level category.",
        "is_leaf": "Whether it is a leaf category: products can only be listed in leaf categories.",
    },
    "promotion_activities": {
        "create_time": "When it was created. Unix time in milliseconds, unlike most TikTok times.",
        "update_time": "When it last changed. Unix time in milliseconds, unlike most TikTok times.",
        "begin_time": "When the activity starts. Unix time in seconds.",
        "end_time": "When the activity ends. Unix time in seconds.",
        "activity_type": "FIXED_PRICE, DIRECT_DISCOUNT, FLASHSALE, SHIPPING_DISCOUNT, BUY_MORE_SAVE_MORE,"
        " GIFT_WITH_PURCHASE or BUY_X_GET_Y.",
    },
    "order_settlements": {
        "order_id": "The order settled; given once per answer beside its SKU transactions, added to each by the"
        " connector.",
        "order_create_time": "When the order was placed (Unix seconds); added by the connector from the answer.",
        "currency": "ISO 4217 code of the amounts, given once per order; added by the connector from the answer.",
        "order_revenue_amount": "The order's revenue at settlement (its `revenue_amount`): a decimal string in"
        " `currency`; added by the connector.",
        "order_fee_and_tax_amount": "The order's fees and taxes at settlement (its `fee_and_tax_amount`); added by the"
        " connector.",
        "order_shipping_cost_amount": "The order's shipping costs at settlement (its `shipping_cost_amount`); added by"
        " the connector.",
        "order_settlement_amount": "What the seller is paid for the order (its `settlement_amount`); added by the"
        " connector.",
        "statement_time": "The `statement_time` (Unix seconds) of the statement through which the sync found the order,"
        " the cursor of this stream; added by the connector.",
        "statement_id": "The statement that settled this SKU transaction.",
        "quantity": "The units of the SKU settled, as a string.",
        "settlement_amount": "What the seller is paid for the SKU: a decimal string in `currency`.",
    },
    "unsettled_transactions": {
        "est_settlement_amount": "The settlement expected, an estimate that changes until the statement: a decimal"
        " string in `currency`.",
        "estimated_settlement": "When it is expected to settle: Unix seconds as a string once the order is delivered,"
        " else a rule such as `Delivered + N days`.",
        "type": "ORDER, or the kind of adjustment.",
    },
    "affiliate_orders": {
        "id": "The order id (an `orders` id).",
        "create_time": "When the order was placed. Unix time in seconds. The cursor of incremental syncs.",
        "status": "Deprecated by TikTok and not returned; see each SKU's `settlement_status`.",
        "skus": "The order's affiliate SKU orders; also synced one per row as `affiliate_order_skus`.",
    },
    "affiliate_order_skus": {
        "order_id": "The affiliate order the SKU belongs to; added by the connector.",
        "create_time": "The order's `create_time` (Unix seconds), the cursor of this stream; added by the connector.",
        "commission_rate": "The creator's commission rate in hundredths of a percent, as a string: 1550 is 15.50 %.",
        "partner_commission_rate": "The affiliate partner's commission rate in hundredths of a percent, as a string.",
        "shop_ads_commission_rate": "The Shop Ads commission rate in hundredths of a percent, as a string.",
        "estimated_commission_base": "The estimated commission base. Its `amount` is a display string in the shop's"
        " locale (currency symbol, grouping and decimal separators), not a decimal string.",
        "actual_commission_base": "The actual commission base once settled. Its `amount` is a display string in the"
        " shop's locale, empty until settled.",
        "settlement_status": "AWAITING_PAYMENT, TO_SETTLE, SETTLED or INELIGIBLE (TikTok writes them in several ways).",
        "refunded_quantity": "Deprecated by TikTok and not returned; see `fully_return`.",
        "returned_quantity": "Deprecated by TikTok and not returned; see `fully_return`.",
    },
    "open_collaborations": {
        "current_commission": "The commission rate now (`rate` in hundredths of a percent, an integer: 1000 is"
        " 10.00 %) and when it applies.",
        "status": "NORMAL, or TERMINATING once the seller removed it (removed ones that expired are not listed).",
    },
    "target_collaborations": {
        "collaboration_status": "VALID, CANCELING or COMPLETED (expired or canceled): the status the connector asked"
        " for when TikTok listed it; added by the connector.",
        "creator_inivited_count": "The creators invited (TikTok's spelling).",
        "type": "STANDARD or TOP_CREATOR_PROGRAM.",
    },
    "sample_applications": {
        "commission_rate": "The creator's commission rate as a decimal fraction string: 0.20 is 20 %.",
        "status": "PENDING, AWAITING_SHIPMENT, SHIPPED, CONTENT_PENDING, COMPLETED, or a cancellation (..._CANCELLED).",
        "creator": "The creator; counts a creator did not agree to share may come as empty strings.",
    },
    "fbt_inventory": {
        "goods_id": "The goods' id (`goods.id`), for the primary key; added by the connector.",
    },
    "fbt_inventory_records": {
        "goods_id": "The goods' id (`goods.id`), for the primary key; added by the connector.",
        "order_id": "The id of the order behind the change (`order.id`), for the primary key; added by the connector.",
        "create_time": "When the stock changed. Unix time in seconds. The cursor of incremental syncs.",
        "inventory_goods_type": "NORMAL or DEFECTIVE: the units whose stock changed.",
    },
    "fbt_inbound_orders": {
        "create_time": "When the inbound order was created. Unix time in seconds.",
        "record_create_time": "The `create_time` of the first FBT inventory record of the sync that named this "
        "inbound order (Unix seconds): the cursor of incremental syncs; added by the connector.",
    },
    "coupons": {
        "create_time": "When it was created. Unix time in milliseconds, unlike most TikTok times.",
        "update_time": "When it last changed. Unix time in milliseconds, unlike most TikTok times.",
        "discount": "What the coupon takes off: an amount (AMOUNT_OFF) or a percentage (PERCENT_OFF), with a cap.",
        "threshold": "What the buyer must spend to use it.",
        "claim_duration": "When buyers can claim it (Unix seconds).",
        "redemption_duration": "When a claimed coupon can be used: fixed times (Unix seconds) or days after the claim.",
        "usage_limits": "How often it can be claimed and redeemed.",
    },
    "shop_performance": {
        "date": DAY,
        "start_date": "The first day of the interval (YYYY-MM-DD), the same as `date`.",
        "end_date": "The day after the interval (YYYY-MM-DD, exclusive).",
        "sales": "Orders, items, customers and GMV (in all, and by video, LIVE and product card), amounts with their"
        " currency.",
        "traffic": "Product impressions, clicks, page views and visitors.",
        "breakdowns": "GMV by content type and channel, product card and Shop Tab or search.",
    },
    "shop_product_performance": {
        "date": DAY,
        "id": "The product id (the `id` of `products`).",
        "total_performance": "The product's sales and traffic over every channel.",
    },
    "shop_sku_performance": {
        "date": DAY,
        "id": "The SKU id (the `id` of `skus`), an integer as TikTok's model has it.",
        "product_id": "The product the SKU belongs to (the `id` of `products`), an integer as TikTok's model has it.",
        "gmv": "The SKU's GMV, a decimal string with its currency.",
    },
    "shop_video_performance": {
        "date": DAY,
        "id": "The video id.",
        "gmv": "The GMV of orders placed from the video, a decimal string with its currency.",
        "video_post_time": "When the video was posted.",
    },
    "customer_service_performance": {
        "date": DAY,
        "response_percentage": "The share of the day's chat sessions first answered within 24 hours: a percentage as"
        " a decimal string.",
        "cs_guided_gmv": "The GMV of orders placed within 7 days of the shop's answer in chat: a decimal string in"
        " `currency`.",
    },
    "shop_performance_score": {
        "update_time": "When TikTok last refreshed the score. Unix time in seconds. The cursor of incremental syncs,"
        " read from every answer (TikTok has no filter on it).",
        "sps_score": "The score, 0 to 5, as a decimal string.",
        "sps_tier": "The tier the score gives.",
        "dimensions": "The score's dimensions, each the mean of its metrics (`shop_performance_score_metrics`).",
    },
    "shop_performance_score_metrics": {
        "end_evaluation_time": "The end of the metric's evaluation window. Unix time in seconds. The cursor of"
        " incremental syncs, read from every answer (TikTok has no filter on it).",
        "metric_code": "The metric (SFCR, OTDR, AHT, NRR, ...).",
        "value": "The metric's value, a decimal string in `value_unit`.",
    },
    "shop_hourly_performance": {
        "date": DAY,
        "index": "The hour of the day, 0 to 23 (0: 00:00 to 00:59), in the shop's timezone.",
    },
    "live_overview_performance": {
        "date": DAY,
        "start_date": "The day of the interval (YYYY-MM-DD), the same as `date`.",
        "end_date": "The day after the interval (YYYY-MM-DD, exclusive).",
    },
    "order_price_details": {
        "order_id": "The order (the `id` of `orders`); added by the connector.",
        "update_time": "The order's `update_time` (Unix seconds), the cursor of this stream; added by the connector.",
        "line_items": "The same amounts per line item, with the seller-funded promotions that made its discounts.",
    },
    "external_orders": {
        "order_id": "The TikTok order (the `id` of `orders`); added by the connector.",
        "update_time": "The order's `update_time` (Unix seconds), the cursor of this stream; added by the connector.",
        "id": "The order's id in the external system.",
        "platform": "The external system, one of `external_order_platforms`.",
        "line_items": "The external line items, each with the TikTok line item it stands for (`origin_id`).",
    },
    "inventory": {
        "id": "The SKU id (the `id` of `skus`).",
        "product_id": "The product the SKU belongs to; added by the connector.",
        "warehouse_inventory": "The SKU's units per warehouse.",
        "snapshot_time": SNAPSHOT,
    },
    "order_tracking": {
        "order_id": "The order (the `id` of `orders`); added by the connector.",
        "update_time": "The order's `update_time` (Unix seconds), the cursor of this stream; added by the connector.",
        "tracking": "The tracking events, oldest first; `update_time_millis` in Unix milliseconds.",
    },
    "return_records": {
        "return_id": "The return (the `return_id` of `returns`); added by the connector.",
        "update_time": "The return's `update_time` (Unix seconds), the cursor of this stream; added by the connector.",
        "records": "The steps of the return in time order.",
    },
    "promotion_activity_products": {
        "activity_id": "The activity (the `id` of `promotion_activities`); added by the connector.",
        "update_time": "The activity's `update_time`, in Unix milliseconds like the activities' times: the cursor"
        " of this stream; added by the connector.",
        "id": "The product id (the `id` of `products`).",
        "skus": "The SKUs in the activity, for SKU-level activities.",
    },
    "video_product_performance": {
        "date": DAY,
        "video_id": "The video (the `id` of `shop_video_performance`); added by the connector.",
        "id": "The product id (the `id` of `products`).",
    },
    "product_diagnoses": {
        "id": "The product id (the `id` of `products`).",
        "listing_quality": "The listing's quality tier and the recommendations left to reach the top one (US shops).",
        "snapshot_time": SNAPSHOT,
    },
    "sample_application_fulfillments": {
        "application_id": "The sample application (the `id` of `sample_applications`); added by the connector.",
        "content": "The video or LIVE the creator posted.",
        "content_id": "The `id` of `content`, as a column of its own for the primary key; added by the connector.",
        "snapshot_time": SNAPSHOT,
    },
    "shop_live_performance": {
        "date": DAY,
        "id": "The LIVE session id.",
        "start_time": "When the session started: Unix seconds, as a string.",
        "end_time": "When the session ended: Unix seconds, as a string.",
        "sales_performance": "The session's orders, items and GMV, amounts with their currency.",
    },
}


def describe(stream: str, name: str, model: Any) -> str | None:
    own = TEXTS.get(stream, {})
    if name in own:
        return own[name]
    if name == "snapshot_time":
        return SNAPSHOT
    if name in TEXTS["*"]:
        return TEXTS["*"][name]
    if model == "integer" and name.endswith("_time"):
        return SECONDS
    if model == "string" and (name == "amount" or name.endswith("_amount")):
        return MONEY
    if isinstance(model, dict) and set(model) in ({"amount", "currency"}, {"value", "currency"}):
        return MONEY_OBJECT
    return None


def schema_of(model: Any, nullable: bool = True) -> dict[str, Any]:
    if isinstance(model, dict):
        node: dict[str, Any] = {"type": "object", "properties": {k: schema_of(v) for k, v in model.items()}}
    elif isinstance(model, list):
        node = {"type": "array", "items": schema_of(model[0])}
    else:
        json_type, json_format = JSON_TYPES[model]
        node = {"type": json_type, **({"format": json_format} if json_format else {})}
    if nullable:
        node["type"] = ["null", node["type"]]
    return node


def stream_schema(stream: str) -> dict[str, Any]:
    record = RECORDS[stream]
    model = record_model(stream)
    not_null = {*record.primary_key, "shop_id"}
    where = f"each of `data.{record.records_key}`" if record.records_key else "`data`"
    if record.nested:
        where = f"each of `{record.nested}` in {where}"
    added = ", ".join(f"`{name}`" for name in record.added)
    properties = {}
    for name, sub in model.items():
        text = describe(stream, name, sub)
        properties[name] = {**({"description": text} if text else {}), **schema_of(sub, name not in not_null)}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "description": f"{WHAT.get(stream, f'A `{stream}` row')}: {where} of `{record.operation}`, with {added} added by the connector."
        " Written by scripts/generate_schemas.py from TikTok's model of that endpoint.",
        "type": "object",
        "required": [name for name in model if name in not_null],
        "properties": properties,
    }


def main() -> None:
    for stream in RECORDS:
        (SCHEMAS / f"{stream}.json").write_text(json_text(stream_schema(stream)))
    print(f"wrote {len(RECORDS)} schemas to {SCHEMAS}")


if __name__ == "__main__":
    main()
