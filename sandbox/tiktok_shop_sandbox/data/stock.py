"""Stock: Inventory Search (product 202309) over the shop's products, and Fulfilled by TikTok (FBT): its warehouses
(202408), goods inventory (202408), inventory records (202410) and inbound orders (202602), derived per shop.

Inventory Search: a SKU's stock is in the shop's sales warehouse (Get Product's ``inventory[].quantity``, which
TikTok's notes say it equals); committed units are those of the SKU in paid orders not shipped yet.

FBT: onboarded shops (``fbt_onboarded``) have platform warehouses, goods (one per SKU of a third of their
products) and a history per goods and warehouse: inbound orders received, customer orders shipped, customer
returns, adjustments. Each inventory record starts where the goods' previous one ended; the last one ends at the
goods' quantity on hand today. Defective units have a history of their own (goods type DEFECTIVE).
"""

from __future__ import annotations

import random
from collections import defaultdict

from .common import CITIES, DAY, HOUR, IdGen
from .derived import derived
from .products import HIDDEN_FROM_GET_PRODUCT
from .promotion_details import activity_details
from .settlements import random_for

# Paid, not shipped: the units a SKU's stock holds for its orders.
UNSHIPPED = ("ON_HOLD", "AWAITING_SHIPMENT", "PARTIALLY_SHIPPING")
# The markets with Fulfilled by TikTok; a cross-border seller is not onboarded (sandbox choice).
FBT_REGIONS = frozenset({"US", "GB", "ID", "MY", "TH", "VN", "PH", "SG"})
FBT_WAREHOUSE_NAMES = {
    "US": ("TikTok_Eastvale(CA)", "TikTok_Ontario(CA)", "TikTok_Edison(NJ)"),
    "ID": ("TikTok_Cikarang", "TikTok_Surabaya", "TikTok_Medan"),
    "TH": ("TikTok_BangNa", "TikTok_Lamphun", "TikTok_Chonburi"),
    "PH": ("TikTok_Cavite", "TikTok_Cebu", "TikTok_Davao"),
}
LOGISTICS_SERVICES = (("6000000000000000001", "Standard inbound"), ("6000000000000000002", "Small parcel inbound"))
PARCEL_CARRIERS = ("FEDEX", "UPS", "USPS")
# The statuses an inbound order goes through, in order (TikTok's notes list them).
INBOUND_FLOW = ("WORKING", "READY_TO_SHIP", "TO_BE_RECEIVED", "RECEIVING", "RECEIVED")


def fbt_onboarded(shop) -> bool:
    return shop.seller_type == "LOCAL" and shop.region in FBT_REGIONS


# -- Inventory Search -----------------------------------------------------------------------------------------


class Inventory:
    """Per SKU: the units its paid, unshipped orders hold; and the stock an ongoing flash sale or a creator holds."""

    def __init__(self, shop):
        self.shop = shop
        self.product_of_sku = {sku.id: p for p in shop.products for sku in p.skus}
        self.committed: dict[str, int] = defaultdict(int)
        for order in shop.orders:
            if order.status in UNSHIPPED:
                for i, (_product, sku) in enumerate(order.units):
                    if not order.unit_pkg or order.unit_pkg[i] is None:
                        self.committed[sku.id] += 1
        now = shop.world.now_ts
        # an ongoing flash sale holds stock for its SKUs, up to their quantity limit
        self.campaigns: dict[str, tuple[str, int]] = {}
        for row in shop.activities:
            a = row.data
            if a["activity_type"] == "FLASHSALE" and a["begin_time"] <= now < a["end_time"]:
                for product in activity_details(shop).products(a["id"]):
                    for sku in product.get("skus", ()):
                        if sku["quantity_limit"] > 0:
                            self.campaigns.setdefault(sku["id"], (a["title"], sku["quantity_limit"]))
        # a creator with a sample of the product sells from stock of their own
        self.creators: dict[str, str] = {}
        for row in shop.affiliate.sample_applications:
            product = row.data["product"]
            self.creators.setdefault(product["sku_id"], row.data["creator"]["nickname"])

    def product(self, product, sku_ids: set[str] | None = None) -> dict:
        """A product's ``inventory[]`` item: all its SKUs, or those of ``sku_ids``."""
        return {
            "product_id": product.id,
            "skus": [self._sku(sku) for sku in product.skus if sku_ids is None or sku.id in sku_ids],
        }

    def _sku(self, sku) -> dict:
        available, committed = sku.stock, self.committed.get(sku.id, 0)
        campaign = []
        held = 0
        if sku.id in self.campaigns:
            name, limit = self.campaigns[sku.id]
            held = min(available, limit)
            campaign.append({"quantity": held, "campaign_name": name})
        creator = []
        if sku.id in self.creators:
            quantity = min(available - held, 5)
            creator.append({"quantity": quantity, "creator_name": self.creators[sku.id]})
            held += quantity
        return {
            "id": sku.id,
            "seller_sku": sku.seller_sku,
            "total_available_quantity": available,
            "total_committed_quantity": committed,
            "warehouse_inventory": [
                {
                    "warehouse_id": self.shop.sales_warehouse_id,
                    "available_quantity": available,
                    "committed_quantity": committed,
                }
            ],
            "total_available_inventory_distribution": {
                "campaign_inventory": campaign,
                "creator_inventory": creator,
                "in_shop_inventory": {"quantity": available - held},
            },
        }


def inventory(shop) -> Inventory:
    return derived(shop, Inventory)


def listed_products(shop) -> list:
    """The products Inventory Search answers for: those Get Product serves."""
    return [p for p in shop.products if p.status not in HIDDEN_FROM_GET_PRODUCT]


# -- Fulfilled by TikTok --------------------------------------------------------------------------------------


class Goods:
    __slots__ = ("id", "nid", "product", "sku", "reference_code")

    def render(self) -> dict:
        return {"id": self.id, "reference_code": self.reference_code, "name": f"{self.product.title} {self.sku.name}"}


class StockRow:
    """The inventory of one goods in one FBT warehouse: a record of FBT Inventory Search."""

    __slots__ = ("nid", "goods", "warehouse", "available", "reserved", "defective", "in_transit")

    @property
    def warehouse_id(self) -> str:
        return self.warehouse["fbt_warehouse_id"]

    @property
    def on_hand(self) -> int:
        return self.available + self.reserved + self.defective

    def render(self) -> dict:
        g = self.goods
        on_hand = {
            "total_quantity": self.available + self.reserved,
            "available_quantity": self.available,
            "reserved_quantity": self.reserved,
        }
        return {
            "goods": {**g.render(), "skus": [{"id": g.sku.id, "on_hand_detail": dict(on_hand)}]},
            "fbt_warehouse_id": self.warehouse_id,
            "in_transit_quantity": self.in_transit,
            "on_hand_detail": {
                **on_hand,
                "total_quantity": self.on_hand,
                "unfulfillable_quantity": self.defective,
            },
        }


class RecordRow:
    """One change of a goods' quantity in a warehouse: a record of FBT Inventory Record search."""

    __slots__ = (
        "nid",
        "create_time",
        "goods",
        "warehouse_id",
        "order_id",
        "order_type",
        "goods_type",
        "initial",
        "final",
    )

    def render(self) -> dict:
        return {
            "goods": self.goods.render(),
            "fbt_warehouse_id": self.warehouse_id,
            "order": {"id": self.order_id, "type": self.order_type},
            "create_time": self.create_time,
            "inventory_goods_type": self.goods_type,
            "initial_on_hand_quantity": self.initial,
            "final_on_hand_quantity": self.final,
            "changed_quantity": self.final - self.initial,
        }


class Fbt:
    """A shop's FBT: warehouses, goods, inbound orders, and the inventory they lead to (empty if not onboarded)."""

    def __init__(self, shop):
        self.shop = shop
        self.onboarded = fbt_onboarded(shop)
        self.warehouses: list[dict] = []
        self.goods: list[Goods] = []
        self.inbound: list[dict] = []
        self.inbound_by_id: dict[str, dict] = {}
        self.records: list[RecordRow] = []
        self.stock: list[StockRow] = []
        if not self.onboarded:
            return
        world = shop.world
        rng = random_for(shop, "fbt")
        self.merchant = {
            "id": str(7300000000000000000 + shop.idx * 10**9 + rng.randrange(10**9)),
            "name": f"{shop.name} FBT",
        }
        self._warehouses(rng)
        subscribed = [w for w in self.warehouses if w["subscribed"]]
        gid = IdGen(rng, "8100", 19, shop.idx)
        live = [p for p in shop.products if p.status == "ACTIVATE"]
        for product in sorted(rng.sample(live, len(live) // 3), key=lambda p: p.nid) if live else []:
            for sku in product.skus:
                g = Goods()
                g.nid = gid.next()
                g.id = str(g.nid)
                g.product, g.sku = product, sku
                g.reference_code = f"{sku.seller_sku}-FBT"
                self.goods.append(g)
        if self.goods:
            self._history(rng, subscribed, world.start_ts, world.now_ts)

    def _warehouses(self, rng: random.Random):
        shop = self.shop
        ids = IdGen(rng, "7900", 19, shop.idx)
        state, city, postal = CITIES[shop.region][0]
        for k, name in enumerate(FBT_WAREHOUSE_NAMES[shop.region]):
            subscribed = k < 2
            self.warehouses.append(
                {
                    "fbt_warehouse_id": str(ids.next()),
                    "warehouse_ids": [str(ids.next())],
                    "name": name,
                    "type": "PLATFORM_WAREHOUSE" if k < 2 else "OTHER_WAREHOUSE",
                    "subscribed": subscribed,
                    "addresses": [
                        {
                            "postal_code": postal,
                            "region_code": shop.region,
                            "state": state,
                            "district": city,
                            "city": city,
                            "address_line_1": f"{rng.randint(100, 9999)} Logistics Park",
                            "address_line_2": f"Dock {k + 1}",
                            "address_line_3": "",
                        }
                    ],
                    "logistics_services": [
                        {"id": sid, "name": sname, "subscribed": subscribed and (j == 0 or rng.random() < 0.5)}
                        for j, (sid, sname) in enumerate(LOGISTICS_SERVICES)
                    ],
                }
            )

    def _history(self, rng: random.Random, warehouses: list[dict], start: int, now: int):
        """Inbound orders to each subscribed warehouse every two weeks or so, received goods by goods; then customer
        orders shipped, returns and adjustments, in time order; today's stock is where the history ends."""
        shop = self.shop
        ids = IdGen(rng, "6100", 19, shop.idx)
        # (time, sequence, goods, warehouse, order type, order id, change, goods type)
        events: list[tuple[int, int, Goods, dict, str, str, int, str]] = []
        goods_by_id = {g.id: g for g in self.goods}
        in_transit: dict[tuple[str, str], int] = defaultdict(int)
        seq = 0
        for w in warehouses:
            t = start - 30 * DAY + rng.randrange(14 * DAY)
            while t < now - DAY:
                inbound = self._inbound(rng, ids, w, t, now)
                for lot in inbound["inbound_goods_lot_receive_item_details"]:
                    goods = goods_by_id[lot["goods_id"]]
                    if "received_time" in inbound:
                        received = inbound["received_time"]
                        for goods_type, count in (
                            ("NORMAL", lot["normal_received_count"]),
                            ("DEFECTIVE", lot["defective_received_count"]),
                        ):
                            if count:
                                seq += 1
                                events.append(
                                    (received, seq, goods, w, "INBOUND_ORDER", inbound["order_id"], count, goods_type)
                                )
                    elif "ship_time" in inbound and "actual_arrival_time" not in inbound:
                        in_transit[(goods.id, w["fbt_warehouse_id"])] += lot["planned_count"]
                t += rng.randint(10 * DAY, 20 * DAY)
            # and the plan of the next one, made within the last day: not shipped yet
            self._inbound(rng, ids, w, now - rng.randint(2 * HOUR, 20 * HOUR), now)
        # what leaves and comes back between the receipts: a goods' units go out weekly, some come back
        for w in warehouses:
            for goods in self.goods:
                t = start + rng.randrange(7 * DAY)
                while t < now:
                    seq += 1
                    kind = rng.random()
                    if kind < 0.75:
                        events.append(
                            (t, seq, goods, w, "CONSIGN_ORDER", str(ids.next()), -rng.randint(1, 12), "NORMAL")
                        )
                    elif kind < 0.9:
                        events.append(
                            (t, seq, goods, w, "CUSTOMER_RETURN", str(ids.next()), rng.randint(1, 2), "NORMAL")
                        )
                    elif kind < 0.97:
                        events.append(
                            (
                                t,
                                seq,
                                goods,
                                w,
                                "INVENTORY_QUANTITY_ADJUSTMENT_ORDER",
                                str(ids.next()),
                                rng.choice((-2, -1, 1, 2)),
                                "NORMAL",
                            )
                        )
                    else:
                        events.append((t, seq, goods, w, "DISPOSAL", str(ids.next()), -1, "DEFECTIVE"))
                    t += rng.randint(5 * DAY, 9 * DAY)
        events.sort(key=lambda e: (e[0], e[1]))
        on_hand: dict[tuple[str, str, str], int] = defaultdict(int)
        rid = IdGen(rng, "6200", 19, shop.idx)
        for t, _seq, goods, w, order_type, order_id, change, goods_type in events:
            key = (goods.id, w["fbt_warehouse_id"], goods_type)
            before = on_hand[key]
            after = max(0, before + change)
            if after == before:
                continue  # nothing to ship or dispose of
            on_hand[key] = after
            r = RecordRow()
            r.nid = rid.next()
            r.create_time, r.goods, r.warehouse_id = t, goods, w["fbt_warehouse_id"]
            r.order_id, r.order_type, r.goods_type = order_id, order_type, goods_type
            r.initial, r.final = before, after
            self.records.append(r)
        # a goods has a row in each warehouse it was ever stocked in, or is on its way to
        stocked = {(r.goods.id, r.warehouse_id) for r in self.records} | {k for k, n in in_transit.items() if n}
        for k, w in enumerate(warehouses):
            for goods in self.goods:
                wid = w["fbt_warehouse_id"]
                if (goods.id, wid) not in stocked:
                    continue
                normal, defective = on_hand[(goods.id, wid, "NORMAL")], on_hand[(goods.id, wid, "DEFECTIVE")]
                s = StockRow()
                s.nid = goods.nid * 10 + k
                s.goods, s.warehouse = goods, w
                s.reserved = min(normal, rng.randint(0, 3))  # units held for orders not shipped out yet
                s.available, s.defective, s.in_transit = normal - s.reserved, defective, in_transit[(goods.id, wid)]
                self.stock.append(s)

    def _inbound(self, rng: random.Random, ids: IdGen, w: dict, created: int, now: int) -> dict:
        """An inbound order to ``w``: created, shipped, arrived and received, as far as "now"."""
        order_nid = ids.next()
        chosen = rng.sample(self.goods, min(len(self.goods), rng.randint(1, 4)))
        shipped = created + rng.randint(DAY, 3 * DAY)
        expected = shipped + rng.randint(5 * DAY, 10 * DAY)
        arrived = expected + rng.randint(-2 * DAY, 2 * DAY)
        received = arrived + rng.randint(6 * HOUR, 2 * DAY)
        small_parcel = rng.random() < 0.4
        lots = []
        cartons = []
        for k, goods in enumerate(chosen):
            planned = rng.randint(2, 20) * 10
            defective = rng.randint(0, 3) if rng.random() < 0.3 else 0
            lot_managed = goods.product.noun in ("Face Serum", "Lip Gloss", "Candle")
            lots.append(
                {
                    "goods_id": goods.id,
                    "lot_code": f"L{created // DAY % 100000:05d}{k}" if lot_managed else "",
                    "expiration_time": created + 540 * DAY if lot_managed else 0,
                    "planned_count": planned,
                    "normal_received_count": planned - defective,
                    "defective_received_count": defective,
                    "total_received_count": planned,
                }
            )
            cartons.append(
                {
                    "carton_no": f"C{order_nid % 10**8:08d}-{k + 1}",
                    "carton_type": "SINGLE_SKU",
                    "box_measurements": {
                        "weight": f"{rng.randint(2, 20)}.{rng.randint(0, 9)}",
                        "weight_unit": "KILOGRAM",
                        "width": str(rng.randint(30, 60)),
                        "height": str(rng.randint(20, 50)),
                        "length": str(rng.randint(30, 70)),
                        "length_unit": "CENTIMETER",
                    },
                    "items": [{"goods_id": goods.id, "quantity": planned}],
                }
            )
        steps = list(
            zip(INBOUND_FLOW, (created, created + rng.randint(HOUR, DAY), shipped, arrived, received), strict=True)
        )
        done = [(status, t) for status, t in steps if t <= now]
        out = {
            "order_id": str(order_nid),
            "order_id_string": f"IB{order_nid}",
            "order_plan_id": f"IP{order_nid - 1}",
            "merchant": dict(self.merchant),
            "create_time": created,
            "warehouse": {
                "fbt_warehouse_id": w["fbt_warehouse_id"],
                "business_warehouse_ids": list(w["warehouse_ids"]),
                "name": w["name"],
                "type": "FC",
            },
            "status_logs": [
                {
                    "operate_time": t,
                    "new_status": status,
                    "previous_status": done[k - 1][0] if k else "",
                    "operator": self.merchant["name"]
                    if status in ("WORKING", "READY_TO_SHIP", "TO_BE_RECEIVED")
                    else w["name"],
                }
                for k, (status, t) in enumerate(done)
            ],
            "logistic_info_list": [
                {
                    "provider_name": rng.choice(PARCEL_CARRIERS),
                    "waybill_number": f"1Z{rng.randrange(10**12):012d}",
                    "related_number": carton["carton_no"],
                }
                for carton in cartons
            ]
            if small_parcel
            else [],
            "carton_details": cartons,
            "inbound_goods_lot_receive_item_details": lots,
        }
        if shipped <= now:
            out["ship_time"] = shipped
            out["expected_arrival_time"] = expected
        if arrived <= now:
            out["actual_arrival_time"] = arrived
        if received > now:  # nothing counted before the goods are received
            for lot in lots:
                lot["normal_received_count"] = lot["defective_received_count"] = lot["total_received_count"] = 0
        else:
            out["received_time"] = received
        self.inbound.append(out)
        self.inbound_by_id[out["order_id"]] = out
        return out

    def inbound_order(self, order_id: str, cartons: bool) -> dict | None:
        found = self.inbound_by_id.get(order_id)
        if found is None:
            return None
        out = {k: v for k, v in found.items() if k != "received_time"}
        if not cartons:
            out.pop("carton_details")
        return out


def fbt(shop) -> Fbt:
    return derived(shop, Fbt)


RESOURCES = {
    "inventory": lambda shop: [inventory(shop).product(p) for p in listed_products(shop)],
    "fbt_warehouses": lambda shop: fbt(shop).warehouses,
    "fbt_inventory": lambda shop: [s.render() for s in sorted(fbt(shop).stock, key=lambda s: s.nid)],
    "fbt_inventory_records": lambda shop: [r.render() for r in fbt(shop).records],
    "fbt_inbound_orders": lambda shop: [fbt(shop).inbound_order(o["order_id"], True) for o in fbt(shop).inbound],
}
