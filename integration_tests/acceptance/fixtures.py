"""The sandbox behind Airbyte's standard tests, and the config files acceptance-test-config.yml names.

The standard tests read each scenario's config from a file under the connector root, so the files
must point at the sandbox of this test session: they are written here (into `generated/`, which git
ignores) rather than committed. The auth code is exchanged once, through `source-tiktok-shop
authorize`'s own exchange; the scenarios then start from a valid access token and never refresh it
(but `config_auth_code.json`, whose code a check leaves unspent).
A refresh rotates the refresh token (reference §1.3) and would leave the file stale for the next
scenario, so the token lives far longer than the session. The one scenario that does refresh
(`config_refresh_token.json`, refresh token only) gets a newly granted refresh token before each test.

Each test rewrites the files for its own sandbox while holding a lock on them, so two test runs in
the same working tree (or pytest-xdist workers) never read each other's configs.
"""

import fcntl
import json
import logging
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from integration_tests.truth import platforms_of
from source_tiktok_shop.authorize import TOKEN_FIELDS, exchange
from tiktok_shop_sandbox import Sandbox

HERE = Path(__file__).resolve().parent
GENERATED = HERE / "generated"
INCREMENTAL_CATALOG = HERE / "incremental_catalog.json"
# Far beyond any record, for the abnormal (future) state: 2100-01-01T00:00:00Z, and that day for the analytics streams.
FUTURE_CURSOR = 4_102_444_800
FUTURE_DAY = "2100-01-01"
START_DATE = "2025-05-01T00:00:00Z"
# Small, so that a full read of every stream takes seconds, but with rows in every stream.
SANDBOX = {
    "seed": 7,
    "shops": 2,
    "orders": 30,
    "start": "2025-05-01",
    "end": "2025-05-20",
    "counts": {"products": 8, "brands": 4, "promotion_activities": 4, "coupons": 4},
}


def scenario_configs(sandbox: Sandbox) -> dict[str, dict[str, Any]]:
    credentials = sandbox.credentials
    base = {
        "credentials": {
            "auth_type": "tts_auth",
            "app_key": credentials["app_key"],
            "app_secret": credentials["app_secret"],
            "auth_url": sandbox.base_url,
            "endpoint_url": sandbox.base_url,
        },
        "start_date": START_DATE,
        # The sandbox has no quota to respect; the default pace would only make the reads slow.
        "requests_per_second_per_shop": 1000,
        # The external systems the sandbox's orders have references on, for `external_orders`.
        "external_order_platforms": platforms_of(sandbox),
    }
    config = exchange(base, sandbox.new_auth_code(), logging.getLogger("airbyte"))
    first_shop = sandbox.shops[0]["id"]
    # Never exchanged: a check keeps an auth code for the first discover or read.
    auth_code = {**base, "credentials": {**base["credentials"], "auth_code": sandbox.new_auth_code()}}
    return {
        "config.json": config,
        "config_auth_code.json": auth_code,
        "config_one_shop.json": {**config, "shop_ids": [first_shop]},
        "invalid_config.json": {**config, "credentials": {**config["credentials"], "app_secret": "not-the-app-secret"}},
    }


def abnormal_state(sandbox: Sandbox) -> list[dict[str, Any]]:
    """A cursor far in the future for every shop of every incremental stream: nothing is left to read."""
    catalog = json.loads(INCREMENTAL_CATALOG.read_text())
    return [
        {
            "type": "STREAM",
            "stream": {
                "stream_descriptor": {"name": configured["stream"]["name"]},
                "stream_state": {
                    shop["id"]: {
                        configured["cursor_field"][0]: FUTURE_DAY
                        if configured["cursor_field"] == ["date"]
                        else FUTURE_CURSOR
                    }
                    for shop in sandbox.shops
                },
            },
        }
        for configured in catalog["streams"]
    ]


@pytest.fixture(scope="session")
def acceptance_sandbox() -> Iterator[tuple[Sandbox, dict[Path, str]]]:
    with Sandbox(**SANDBOX) as sandbox:
        files = {name: json.dumps(config, indent=2) for name, config in scenario_configs(sandbox).items()}
        files["abnormal_state.json"] = json.dumps(abnormal_state(sandbox), indent=2)
        yield sandbox, {GENERATED / name: text for name, text in files.items()}


def refresh_token_config(sandbox: Sandbox, config: Mapping[str, Any]) -> dict[str, Any]:
    """Credentials as a platform holds them after a while: only a refresh token, spent by the next refresh."""
    credentials = {key: value for key, value in config["credentials"].items() if key not in TOKEN_FIELDS}
    return {**config, "credentials": {**credentials, "refresh_token": sandbox.new_tokens()["refresh_token"]}}


@pytest.fixture(autouse=True)
def acceptance_files(acceptance_sandbox: tuple[Sandbox, Mapping[Path, str]]) -> Iterator[Sandbox]:
    sandbox, session_files = acceptance_sandbox
    config = json.loads(session_files[GENERATED / "config.json"])
    files = {
        **session_files,
        GENERATED / "config_refresh_token.json": json.dumps(refresh_token_config(sandbox, config), indent=2),
    }
    GENERATED.mkdir(exist_ok=True)
    with open(GENERATED / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for path, text in files.items():
            if not path.exists() or path.read_text() != text:
                partial = path.with_name(f".{path.name}.{os.getpid()}")
                partial.write_text(text)
                partial.replace(path)
        yield sandbox
