"""Load a TikTok Shop into a local DuckDB file with PyAirbyte, offline, from the local sandbox.

    make example

(or, by hand: `python -m venv examples/.venv-example && examples/.venv-example/bin/pip install -e '.[example]'
-e './sandbox[fast]' && examples/.venv-example/bin/python examples/pyairbyte_duckdb.py`).

It starts the sandbox and gives PyAirbyte a config holding a fresh auth code. `check` leaves the code
unspent; the first discover (PyAirbyte runs one to list the streams) exchanges it, and the tokens come
back in a CONNECTOR_CONFIG control message, which PyAirbyte hands to `config_change_callback`; keeping
that config is what lets the next runs go on without the (spent) code. PyAirbyte runs the connector installed next to it (`local_executable`), never a registry
download, so `AIRBYTE_OFFLINE_MODE` keeps it off the network. With real credentials, replace the
sandbox config by the file `source-tiktok-shop authorize` writes.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

# Read by PyAirbyte at import: no registry lookups, no telemetry.
os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")

import airbyte as ab  # noqa: E402
from sqlalchemy import text  # noqa: E402

from tiktok_shop_sandbox import Sandbox  # noqa: E402

HERE = Path(__file__).resolve().parent
CONNECTOR = Path(sys.executable).parent / "source-tiktok-shop"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=HERE / ".cache" / "tiktok_shop")
    parser.add_argument("--shops", type=int, default=2)
    parser.add_argument("--orders", type=int, default=300, help="orders per shop")
    args = parser.parse_args()

    with Sandbox(seed=1, shops=args.shops, orders=args.orders) as sandbox:
        print(f"sandbox listening on {sandbox.base_url}")
        config: dict[str, Any] = {
            "credentials": {
                "auth_type": "tts_auth",
                "app_key": sandbox.credentials["app_key"],
                "app_secret": sandbox.credentials["app_secret"],
                "auth_code": sandbox.new_auth_code(),
                "auth_url": sandbox.base_url,
                "endpoint_url": sandbox.base_url,
            },
            "start_date": "2025-01-01T00:00:00Z",
            # The sandbox has no quota to stay under; TikTok's would call for the default pace.
            "requests_per_second_per_shop": 200,
        }
        source = ab.get_source(
            "source-tiktok-shop",
            config=config,
            local_executable=CONNECTOR,
            config_change_callback=lambda changed: source.set_config(changed),
        )
        source.check()
        print("check: succeeded; the auth code is kept for the first discover")

        cache = ab.new_local_cache(cache_name="tiktok_shop", cache_dir=args.cache_dir)
        source.select_all_streams()
        print("discover: the auth code is exchanged; config_change_callback keeps the new tokens for the read")
        started = time.monotonic()
        result = source.read(cache=cache)
        # A second run is incremental: PyAirbyte keeps each stream's state in the cache.
        print(f"read: {result.processed_records} records in {time.monotonic() - started:.1f} s into {cache.db_path}\n")
        print_row_counts(cache, sorted(result.streams))


def print_row_counts(cache: Any, streams: list[str]) -> None:
    print(f"{'table':<26} {'rows':>7}")
    with cache.get_sql_engine().connect() as connection:
        for stream in streams:
            table = cache[stream].to_sql_table()
            # The table name comes from PyAirbyte's own catalog, not from input.
            rows = connection.execute(text(f'SELECT COUNT(*) FROM "{table.schema}"."{table.name}"')).scalar()  # noqa: S608
            print(f"{table.name:<26} {rows:>7}")


if __name__ == "__main__":
    main()
