import pytest

from tiktok_shop_sandbox import Sandbox


@pytest.fixture(scope="module")
def sandbox():
    """Two shops of modest size; modules that change the sandbox's behaviour start their own."""
    with Sandbox(seed=11, shops=2, orders=200) as sb:
        yield sb
