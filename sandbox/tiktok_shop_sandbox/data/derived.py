"""Resource families derived from a shop's data on first use instead of with the world (issue #20's): the default
sandbox costs what it did, and a family's data does not depend on which family is asked for first, each drawing
from a generator of its own (``random_for``) or from its records' own seeds.

A family is a function of the shop, memoized here; it must not change the shop (its records are read, never
written). What ``touch`` and ``delete_products`` change (update times, product statuses) is read when a request is
served, never kept by a family.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_FAMILIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# Reentrant: a family may be made of others (price details name the activities' products).
_LOCK = threading.RLock()


def derived(shop, make: Callable[[object], T]) -> T:
    """``make(shop)``, made once per shop."""
    with _LOCK:
        families = _FAMILIES.setdefault(shop, {})
        if make not in families:
            families[make] = make(shop)
        return families[make]
