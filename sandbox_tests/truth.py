"""The sandbox's ground truth, read once per world and resource: the world-wide checks read several resources of
a large world, each rendered in full by ``records``."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=64)
def ground_truth(world, resource: str) -> dict[str, list[dict]]:
    """``world.records(resource)``, shared by the checks: they read it, never change it."""
    return world.records(resource)
