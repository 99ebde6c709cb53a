"""What the checks of the derived families share: the sandbox's ground truth read once per world and resource
(the world-wide checks read several resources of a large world, each rendered in full by ``records``), and a few
small readers."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache


@lru_cache(maxsize=64)
def ground_truth(world, resource: str) -> dict[str, list[dict]]:
    """``world.records(resource)``, shared by the checks: they read it, never change it."""
    return world.records(resource)


def D(value: str) -> Decimal:
    return Decimal(value)


def by_id(rows: list[dict], key: str = "id") -> dict:
    return {row[key]: row for row in rows}


def call(client, sb, method, path, params=None, body=None, shop=0):
    """A call for the ``shop``-th shop of the sandbox."""
    return client.call(method, path, params, body, shop_cipher=sb.shops[shop]["cipher"])
