"""``python -m tiktok_shop_sandbox`` / ``tiktok-shop-sandbox``: run the sandbox until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading

from . import Sandbox
from .data.analytics import RETENTION_DAYS
from .faults import KINDS, parse_kinds


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tiktok-shop-sandbox", description="Local emulator of the TikTok Shop Partner API")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port (default 0 = a free port)")
    p.add_argument("--credentials-file", help="also write the credentials JSON to this path")
    p.add_argument("--seed", type=int, default=1, help="data seed (default 1); same seed, same data")
    p.add_argument("--shops", type=int, default=2, help="number of shops (default 2)")
    p.add_argument("--orders", type=int, default=500, help="orders per shop (default 500)")
    p.add_argument("--start", default="2025-01-01", help="first day of the data, YYYY-MM-DD (default 2025-01-01)")
    p.add_argument("--end", default="2025-06-30", help="last day of the data, YYYY-MM-DD (default 2025-06-30)")
    p.add_argument("--latency-ms", type=float, default=0.0, help="sleep added to every call (default 0)")
    p.add_argument("--qps-per-shop", type=float, default=None, help="token bucket per app x shop (default: off)")
    p.add_argument(
        "--qps-per-endpoint", type=float, default=None, help="token bucket per app x shop x API (default: off)"
    )
    p.add_argument(
        "--requests-per-hour",
        type=int,
        default=None,
        help="budget of requests per app x shop in each hour (--quota-window-s); spent: 429 / 36009002 until the "
        "window resets (default: off)",
    )
    p.add_argument(
        "--requests-per-day",
        type=int,
        default=None,
        help="budget of requests per app x shop in each day (--quota-day-s), as --requests-per-hour (default: off)",
    )
    p.add_argument(
        "--quota-window-s",
        type=float,
        default=3600.0,
        help="length of the hour of --requests-per-hour, in seconds (default 3600); fixed windows from the start",
    )
    p.add_argument(
        "--quota-day-s",
        type=float,
        default=86400.0,
        help="length of the day of --requests-per-day, in seconds (default 86400); fixed windows from the start",
    )
    p.add_argument(
        "--throttle-all-after",
        type=float,
        default=None,
        help="seconds after the first API call when every call starts being refused with 429 (with --throttle-all-for)",
    )
    p.add_argument("--throttle-all-for", type=float, default=None, help="seconds the platform-wide throttle lasts")
    p.add_argument("--fault-rate", type=float, default=0.0, help="fraction of API calls given a random fault")
    p.add_argument("--fault-kinds", default=None, help=f"comma list restricting the random faults ({', '.join(KINDS)})")
    p.add_argument(
        "--slow-body-s",
        type=float,
        default=90.0,
        help="how long the body of a slow_body fault trickles in, first byte to last (default 90)",
    )
    p.add_argument(
        "--fail-always",
        action="append",
        default=[],
        metavar="PATH[=KIND]",
        help="every API call whose path contains PATH is answered with the fault KIND (default server_error: HTTP "
        "500), for good; repeatable",
    )
    p.add_argument(
        "--overstate-total-count",
        action="append",
        default=[],
        metavar="PATH=EXTRA",
        help="list pages of paths containing PATH say EXTRA records more in total_count than there are; repeatable",
    )
    p.add_argument("--token-ttl-s", type=int, default=604800, help="access-token lifetime (default 604800)")
    p.add_argument(
        "--redirect-url",
        help="the app's redirect URL: where the consent page /oauth/authorize sends the seller with a fresh code",
    )
    p.add_argument("--auth-codes", type=int, default=1, help="auth codes to print at start (default 1)")
    p.add_argument("--state-file", help="keep codes and tokens in this file, across restarts")
    p.add_argument(
        "--analytics-retention-days",
        type=int,
        default=RETENTION_DAYS,
        help=f"days of analytics kept, up to the latest available day (default {RETENTION_DAYS})",
    )
    p.add_argument(
        "--deleted-products",
        choices=("listed", "asked"),
        default="listed",
        help="Search Products lists DELETED products unasked (listed, the default) or only to status DELETED (asked)",
    )
    p.add_argument(
        "--empty-body-signing",
        choices=("omitted", "signed"),
        default="omitted",
        help="whether a body that is an empty JSON object is left out of the signature (default, as TikTok's SDK "
        "signs) or signed",
    )
    p.add_argument(
        "--version-unavailable-in",
        action="append",
        default=[],
        metavar="VERSION=REGIONS",
        help="serve API version VERSION to no shop of these comma-separated regions (36009014), e.g. 202602=GB,DE; "
        "repeatable",
    )
    p.add_argument(
        "--today",
        default=None,
        metavar="YYYY-MM-DD",
        help="the date TikTok's version retirements are judged at (default: the wall clock's, UTC)",
    )
    return p


def version_regions(values: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for value in values:
        version, sep, regions = value.partition("=")
        if not sep or not version.strip() or not regions.strip():
            raise ValueError(f"--version-unavailable-in wants VERSION=REGION[,REGION...], not {value!r}")
        out.setdefault(version.strip(), []).extend(r.strip() for r in regions.split(",") if r.strip())
    return out


def path_of(value: str, path: str, flag: str) -> str:
    if not path.strip():
        raise ValueError(f"{flag} wants a path (a part of one), not {value!r}")
    return path.strip()


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.auth_codes < 1:
        parser.error("--auth-codes must be 1 or more")
    try:
        kinds = parse_kinds(args.fault_kinds) if args.fault_kinds else None
        sb = Sandbox(
            seed=args.seed,
            shops=args.shops,
            orders=args.orders,
            start=args.start,
            end=args.end,
            latency_ms=args.latency_ms,
            qps_per_shop=args.qps_per_shop,
            qps_per_endpoint=args.qps_per_endpoint,
            fault_rate=args.fault_rate,
            fault_kinds=kinds,
            token_ttl_s=args.token_ttl_s,
            analytics_retention_days=args.analytics_retention_days,
            deleted_products=args.deleted_products,
            host=args.host,
            port=args.port,
            redirect_url=args.redirect_url,
            state_file=args.state_file,
            empty_body_signing=args.empty_body_signing,
            version_unavailable_in=version_regions(args.version_unavailable_in),
            today=args.today,
            requests_per_hour=args.requests_per_hour,
            requests_per_day=args.requests_per_day,
            quota_window_s=args.quota_window_s,
            quota_day_s=args.quota_day_s,
            slow_body_s=args.slow_body_s,
        )
        if (args.throttle_all_after is None) != (args.throttle_all_for is None):
            raise ValueError("--throttle-all-after and --throttle-all-for go together")
        if args.throttle_all_for is not None:
            sb.throttle_all(args.throttle_all_after, args.throttle_all_for)
        for value in args.fail_always:
            path, _, kind = value.partition("=")
            sb.fail_always(path_of(value, path, "--fail-always"), kind.strip() or "server_error")
        for value in args.overstate_total_count:
            path, _, extra = value.partition("=")
            if not extra.strip().isdigit():
                raise ValueError(f"--overstate-total-count wants PATH=EXTRA, not {value!r}")
            sb.overstate_total_count(int(extra), path_of(value, path, "--overstate-total-count"))
    except (ValueError, OSError) as exc:
        print(f"tiktok-shop-sandbox: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sb.prerender().start()
    try:
        creds = sb.credentials
        if args.auth_codes > 1:
            creds["auth_codes"] = [creds["auth_code"]] + [sb.new_auth_code() for _ in range(args.auth_codes - 1)]
        if args.credentials_file:  # written before the lines are printed, so it exists once they are read
            tmp = args.credentials_file + ".tmp"
            with open(tmp, "w") as fh:
                json.dump(creds, fh)
            os.replace(tmp, args.credentials_file)
        print(f"listening on {sb.base_url}", flush=True)
        print(json.dumps(creds), flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        sb.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
