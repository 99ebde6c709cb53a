from __future__ import annotations

import pytest

from tiktok_shop_sandbox import Sandbox
from tiktok_shop_sandbox.data import World

from .tts_client import Client


@pytest.fixture(scope="module")
def sb():
    """A default sandbox shared by a test module; tests using it must not change its state."""
    with Sandbox() as s:
        yield s


@pytest.fixture(scope="module")
def client(sb):
    return Client.for_sandbox(sb)


@pytest.fixture(scope="module")
def box():
    """A small sandbox (20 orders a shop) and a client, shared by a module whose tests set limits or faults and
    set them back."""
    with Sandbox(orders=20) as s:
        yield s, Client.for_sandbox(s)


@pytest.fixture
def clean_box(box):
    """``box`` with an empty request log, and no fault left behind (injected, permanent or at random)."""
    s, c = box
    s.clear_requests()
    yield s, c
    s.clear_faults()
    s.set_fault_rate(0.0)


@pytest.fixture
def fresh():
    """Factory for a private sandbox + client (for tests that change state)."""
    made = []

    def make(**kw):
        s = Sandbox(**kw).start()
        made.append(s)
        return s, Client.for_sandbox(s)

    yield make
    for s in made:
        s.stop()


@pytest.fixture(scope="session")
def every_market():
    """A world with a shop in each of the ten markets, and enough products for the rarer kinds of listing."""
    return World(seed=4, shops=10, orders=400, counts={"products": 400})
