"""Seeded synthetic world served by the sandbox, one module per resource family.

``common`` (names, money, ids, rows), ``products``, ``orders`` (with packages), ``aftersales`` (returns and
cancellations), ``finance`` (statements, transactions, payments, withdrawals), ``reference`` (warehouses,
categories, brands), ``promotions`` (activities, coupons) and ``world`` (``Shop`` and ``World``, which generate
them in a fixed order from one seed).
"""

from .world import REGIONS, RESOURCES, Shop, World

__all__ = ["REGIONS", "RESOURCES", "Shop", "World"]
