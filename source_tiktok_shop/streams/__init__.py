"""Every stream, as a declaration on the shared bases (see base.py for how they are read)."""

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from airbyte_cdk.models import SyncMode
from airbyte_cdk.sources.streams.core import StreamData

from ..api import ENDPOINTS
from ..errors import raise_for_envelope
from .base import IncrementalTikTokShopStream, ShopDirectory, TikTokShopStream

DAY_MINUTES = 24 * 60


class Shops(TikTokShopStream):
    """The authorized shops (narrowed to `shop_ids`); one partition, no shop_cipher."""

    name = "shops"
    endpoint = ENDPOINTS["authorized_shops"]
    primary_key = "id"

    def stream_slices(self, **kwargs: Any) -> Iterable[Mapping[str, Any]]:
        return [{}]

    def read_shop(self, shop: Mapping[str, Any]) -> Iterator[StreamData]:
        for record in self._shops.shops():
            yield {**record, "shop_id": str(record["id"])}


class Orders(IncrementalTikTokShopStream):
    name = "orders"
    endpoint = ENDPOINTS["orders_search"]


class OrderLineItems(Orders):
    """One row per line item of each order read by `orders`; no other API call."""

    name = "order_line_items"
    nested_rows = ("line_items", "order_id")
    rows_are_records = False


class Products(IncrementalTikTokShopStream):
    name = "products"
    endpoint = ENDPOINTS["products_search"]


class Skus(Products):
    """One row per SKU of each product read by `products`, with its price and inventory."""

    name = "skus"
    nested_rows = ("skus", "product_id")
    rows_are_records = False


class ProductDetails(Products):
    """Get Product for each product that changed since the last sync (found by products search)."""

    name = "product_details"
    detail = ENDPOINTS["product_detail"]

    def rows(self, record: Mapping[str, Any], shop: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
        if record.get("status") in ("FREEZE", "DELETED"):
            return  # Get Product does not return these (reference §4.3)
        response = self.send(self.build(shop, endpoint=self.detail, path_params={"product_id": record["id"]}))
        yield {**raise_for_envelope(response).data, "shop_id": shop["shop_id"]}


class Returns(IncrementalTikTokShopStream):
    name = "returns"
    endpoint = ENDPOINTS["returns_search"]
    primary_key = ["shop_id", "return_id"]


class Cancellations(IncrementalTikTokShopStream):
    name = "cancellations"
    endpoint = ENDPOINTS["cancellations_search"]
    primary_key = ["shop_id", "cancel_id"]


class Packages(IncrementalTikTokShopStream):
    name = "packages"
    endpoint = ENDPOINTS["packages_search"]


class Statements(IncrementalTikTokShopStream):
    """Statements change payment status days after they are created (reference §4.6), hence the long lookback."""

    name = "statements"
    endpoint = ENDPOINTS["statements"]
    cursor_field = "statement_time"
    default_lookback_minutes = 7 * DAY_MINUTES


class StatementTransactions(Statements):
    """The transactions of each statement read by `statements` (202501 works in every region)."""

    rows_are_records = False

    name = "statement_transactions"
    primary_key = ["shop_id", "statement_id", "id"]
    transactions = ENDPOINTS["statement_transactions"]

    def rows(self, record: Mapping[str, Any], shop: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
        statement = {
            "statement_id": record["id"],
            "statement_time": record.get("statement_time"),
            "shop_id": shop["shop_id"],
        }
        for page in self.read_pages(shop, self.transactions, path_params={"statement_id": record["id"]}):
            for transaction in page.records:
                yield {**transaction, **statement}


class Payments(IncrementalTikTokShopStream):
    name = "payments"
    endpoint = ENDPOINTS["payments"]
    cursor_field = "create_time"
    default_lookback_minutes = 7 * DAY_MINUTES


class Withdrawals(IncrementalTikTokShopStream):
    name = "withdrawals"
    endpoint = ENDPOINTS["withdrawals"]
    cursor_field = "create_time"


class Warehouses(TikTokShopStream):
    name = "warehouses"
    endpoint = ENDPOINTS["warehouses"]


class Categories(TikTokShopStream):
    name = "categories"
    endpoint = ENDPOINTS["categories"]

    def extra_query(self, stream_slice: Mapping[str, Any]) -> Mapping[str, str]:
        # US shops must read the 7-level v2 category tree (reference §7.5).
        return {"category_version": "v2"} if stream_slice.get("region") == "US" else {}


class Brands(TikTokShopStream):
    name = "brands"
    endpoint = ENDPOINTS["brands"]


class PromotionActivities(TikTokShopStream):
    name = "promotion_activities"
    endpoint = ENDPOINTS["activities_search"]


class Coupons(TikTokShopStream):
    name = "coupons"
    endpoint = ENDPOINTS["coupons_search"]


STREAMS: tuple[type[TikTokShopStream], ...] = (
    Shops,
    Orders,
    OrderLineItems,
    Products,
    Skus,
    ProductDetails,
    Returns,
    Cancellations,
    Packages,
    Statements,
    StatementTransactions,
    Payments,
    Withdrawals,
    Warehouses,
    Categories,
    Brands,
    PromotionActivities,
    Coupons,
)

__all__ = ["STREAMS", "ShopDirectory", "SyncMode"]
