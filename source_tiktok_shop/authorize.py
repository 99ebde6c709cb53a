"""`source-tiktok-shop authorize`: the seller's consent outside Airbyte, ending in a ready config file.

Inside Airbyte the platform runs this flow from the spec's `advanced_auth`. Anyone else (PyAirbyte,
a cron job, a notebook) gets the same thing here: the consent links with a fresh random `state`, the
seller's redirect (caught on a loopback port, or pasted back), a check that the redirect carries our
`state` (CSRF, reference §1.1), and the one-time exchange of the auth code, done by the connector's
own authenticator. The app secret and the tokens go to the config file only, never to the terminal.
"""

import argparse
import getpass
import hmac
import ipaddress
import json
import logging
import os
import queue
import secrets
import string
import sys
import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, urlencode, urlsplit

import yaml
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets, filter_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .config import DEFAULT_AUTH_URL, parse_settings
from .tiktok.client import TikTokClient

# The service-based links TikTok's app page copies differ by market (reference §1.1).
SERVICE_CONSENT_URLS = {
    "US shops": "https://services.tiktokshops.us/open/authorize",
    "Shops outside the US": "https://services.tiktokshop.com/open/authorize",
}
LEGACY_CONSENT_PATH = "/oauth/authorize"
STATE_ALPHABET = string.ascii_letters + string.digits
# Integrators commonly back-fill 90 days on a first sync (reference §7.6).
DEFAULT_BACKFILL_DAYS = 90
DEFAULT_OUTPUT = "secrets/config.json"
DEFAULT_TIMEOUT_SECONDS = 30 * 60  # an auth code lives 30 minutes
# The browser's page waits for the exchange (about a minute of retries at most), then for its own reply.
EXCHANGE_WAIT_SECONDS = 180
BROWSER_REPLY_SECONDS = 10
SECRET_ENV = "TIKTOK_SHOP_APP_SECRET"
TOKEN_FIELDS = ("auth_code", "access_token", "access_token_expires_at", "refresh_token")


def credential_fields() -> dict[str, Any]:
    """The credential fields of spec.yaml, whose defaults and bounds apply here too."""
    spec = yaml.safe_load(resources.files(__package__).joinpath("spec.yaml").read_text())
    (tts_auth,) = spec["connectionSpecification"]["properties"]["credentials"]["oneOf"]
    fields: dict[str, Any] = tts_auth["properties"]
    return fields


class AuthorizationRefused(Exception):
    """The redirect cannot be used: declined by the seller, no code, or not our `state`."""


class StateMismatch(AuthorizationRefused):
    pass


def new_state(length: int) -> str:
    return "".join(secrets.choice(STATE_ALPHABET) for _ in range(length))


def consent_urls(
    app_key: str, state: str, service_id: str | None = None, auth_url: str = DEFAULT_AUTH_URL
) -> dict[str, str]:
    """The links a seller opens to authorize the app, each carrying `state`."""
    urls = {
        market: f"{base}?{urlencode({'service_id': service_id, 'state': state})}"
        for market, base in SERVICE_CONSENT_URLS.items()
        if service_id
    }
    urls["Legacy link (any market)"] = (
        f"{auth_url.rstrip('/')}{LEGACY_CONSENT_PATH}?{urlencode({'app_key': app_key, 'state': state})}"
    )
    return urls


def code_from_redirect(query: Mapping[str, Sequence[str]], state: str, code_key: str) -> str:
    """The auth code of a consent redirect (`?code=...&state=...`), once its `state` is ours."""
    received = (query.get("state") or [""])[0]
    if not hmac.compare_digest(received.encode(), state.encode()):
        raise StateMismatch("the redirect's `state` is not the one this authorization sent; it was refused.")
    error = (query.get("error") or [""])[0]
    code = (query.get(code_key) or [""])[0]
    if error or not code or code == "null":
        raise AuthorizationRefused(f"the seller did not authorize the app ({error or f'no `{code_key}`'}).")
    return code


class RedirectListener:
    """Catches the consent redirect on a loopback address; the app's redirect URL must point here.

    The browser that brought the code waits for the exchange: its page says "authorized" only once the
    tokens are in the config file (`finish`), and says what failed otherwise.
    """

    def __init__(self, host: str, port: int, state: str, code_key: str, out: TextIO):
        if not is_loopback(host):
            raise ValueError(f"--listen must be a loopback address such as 127.0.0.1, not {host!r}.")
        self._host = host
        self._answers: queue.Queue[str | AuthorizationRefused] = queue.Queue()
        self._outcome: queue.Queue[tuple[int, str]] = queue.Queue()
        self._replied = threading.Event()
        self._done = threading.Event()
        self._server = ThreadingHTTPServer((host, port), self._handler(state, code_key, out))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._host, self._server.server_address[1]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    def __enter__(self) -> "RedirectListener":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait(self, timeout: float) -> str:
        try:
            answer = self._answers.get(timeout=timeout)
        except queue.Empty:
            raise AuthorizationRefused(f"no redirect arrived within {timeout:.0f} seconds.") from None
        if isinstance(answer, AuthorizationRefused):
            raise answer
        return answer

    def finish(self, status: int, text: str) -> None:
        """Answers the browser that brought the code, now that the exchange is over."""
        self._outcome.put((status, text))
        self._replied.wait(BROWSER_REPLY_SECONDS)

    def _handler(self, state: str, code_key: str, out: TextIO) -> type[BaseHTTPRequestHandler]:
        answers, done, outcome, replied = self._answers, self._done, self._outcome, self._replied

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                if not ({"state", "error", code_key} & set(query)):
                    return self._reply(404, "Waiting for TikTok's redirect.")
                if done.is_set():
                    return self._reply(410, "This authorization is already finished.")
                try:
                    code = code_from_redirect(query, state, code_key)
                except StateMismatch as refused:
                    print(f"Ignored a redirect: {refused}", file=out, flush=True)
                    return self._reply(400, f"Refused: {refused}")
                except AuthorizationRefused as refused:
                    done.set()
                    answers.put(refused)
                    return self._reply(400, f"Not authorized: {refused}")
                done.set()
                answers.put(code)
                try:
                    status, text = outcome.get(timeout=EXCHANGE_WAIT_SECONDS)
                except queue.Empty:
                    status, text = 504, "The code arrived, but exchanging it took too long; see the terminal."
                self._reply(status, text)
                replied.set()

            def _reply(self, status: int, text: str) -> None:
                body = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                """The request line holds the auth code: never log it."""

        return Handler


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exchange(base_config: Mapping[str, Any], code: str, logger: logging.Logger) -> dict[str, Any]:
    """A config holding fresh tokens instead of the (now spent) auth code.

    The connector's authenticator spends an auth code when the config has no refresh token, so the
    exchange here is exactly the one a first sync would make (reference §1.2, §1.3).
    """
    credentials = {key: value for key, value in base_config["credentials"].items() if key not in TOKEN_FIELDS}
    config: dict[str, Any] = {**base_config, "credentials": {**credentials, "auth_code": code}}
    add_to_secrets(code)
    # Written to the file by the caller rather than emitted as a control message.
    client = TikTokClient(config, parse_settings(config).client, logger, persist=lambda config: None)
    client.tokens.access_token()
    tokens = {key: config["credentials"][key] for key in TOKEN_FIELDS[1:] if config["credentials"].get(key)}
    return {**config, "credentials": {**credentials, **tokens}}


def exchange_and_write(
    config: Mapping[str, Any], code: str, output: Path, logger: logging.Logger, out: TextIO
) -> dict[str, Any]:
    print("Exchanging the auth code for tokens.", file=out, flush=True)
    authorized = exchange(config, code, logger)
    write_private(output, authorized)
    return authorized


def describe(problem: Exception) -> str:
    text = problem.message if isinstance(problem, AirbyteTracedException) else str(problem)
    return filter_secrets(text or type(problem).__name__)


def write_private(path: Path, config: Mapping[str, Any]) -> None:
    """Writes the config readable by its owner only, replacing any older file in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(config, file, indent=2)
        file.write("\n")
    os.replace(partial, path)


class _MaskedLog(logging.Handler):
    """Retry warnings of the token call, without secrets and without tracebacks (they hold the URL)."""

    def __init__(self, out: TextIO):
        super().__init__(logging.WARNING)
        self._out = out

    def emit(self, record: logging.LogRecord) -> None:
        print(f"{record.levelname.lower()}: {filter_secrets(record.getMessage())}", file=self._out, flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="source-tiktok-shop authorize",
        description="Authorize the TikTok Shop app for a seller and write a ready connector config. "
        f"The app secret is read from --config, from ${SECRET_ENV}, or asked for; it is never printed.",
    )
    parser.add_argument("--config", type=Path, help="a config to start from (app key and secret, hosts, start date)")
    parser.add_argument("--app-key", help="the app key, if --config has none")
    parser.add_argument("--service-id", help="the app's service id, to print the US and rest-of-world links too")
    parser.add_argument("--auth-url", help="token host (default: the config's, else TikTok's)")
    parser.add_argument("--endpoint-url", help="API host (default: the config's, else TikTok's)")
    parser.add_argument("--start-date", help=f"start_date of the config (default: {DEFAULT_BACKFILL_DAYS} days ago)")
    parser.add_argument(
        "--listen",
        metavar="HOST:PORT",
        help="catch the redirect on this loopback address (e.g. 127.0.0.1:8765; register http://HOST:PORT/ "
        "as the app's redirect URL); without it, paste the redirect URL when asked",
    )
    parser.add_argument("--output", type=Path, default=Path(DEFAULT_OUTPUT), help=f"default {DEFAULT_OUTPUT}")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS, help="seconds to wait")
    return parser


def base_config(args: argparse.Namespace, stdin: TextIO) -> dict[str, Any]:
    config: dict[str, Any] = json.loads(args.config.read_text()) if args.config else {}
    credentials = {"auth_type": "tts_auth", **config.get("credentials", {})}
    overrides = {"app_key": args.app_key, "auth_url": args.auth_url, "endpoint_url": args.endpoint_url}
    credentials.update({key: value for key, value in overrides.items() if value})
    if not credentials.get("app_key"):
        raise AuthorizationRefused("an app key is needed: pass --app-key or a --config that has one.")
    if not credentials.get("app_secret"):
        credentials["app_secret"] = os.environ.get(SECRET_ENV) or (
            getpass.getpass("App secret: ") if stdin.isatty() else ""
        )
    if not credentials["app_secret"]:
        raise AuthorizationRefused(f"an app secret is needed: set ${SECRET_ENV} or pass a --config that has one.")
    add_to_secrets(credentials["app_secret"])
    start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(DEFAULT_BACKFILL_DAYS)
    config["start_date"] = args.start_date or config.get("start_date") or start.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {**config, "credentials": credentials}


def listen_address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise AuthorizationRefused(f"--listen must look like 127.0.0.1:8765, not {value!r}.")
    return host.strip("[]"), int(port)


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    stdin, out = stdin or sys.stdin, out or sys.stdout
    args = build_parser().parse_args(argv)
    logger = logging.getLogger("source_tiktok_shop.authorize")
    logger.propagate = False
    logger.handlers = [_MaskedLog(sys.stderr)]
    try:
        config = base_config(args, stdin)
        credentials = config["credentials"]
        fields = credential_fields()
        length = credentials.get("state_length") or fields["state_length"]["default"]
        if not fields["state_length"]["minimum"] <= length <= fields["state_length"]["maximum"]:
            raise AuthorizationRefused(f"`credentials.state_length` is out of range: {length}.")
        state = new_state(length)
        code_key = credentials.get("response_type_key") or fields["response_type_key"]["default"]
        auth_url = credentials.get("auth_url") or fields["auth_url"]["default"]
        print("Open one of these links as the seller, signed in to TikTok Shop, and authorize the app:", file=out)
        for market, url in consent_urls(credentials["app_key"], state, args.service_id, auth_url).items():
            print(f"  {market}: {url}", file=out)
        if args.listen:
            with RedirectListener(*listen_address(args.listen), state, code_key, out) as listener:
                print(f"Waiting for TikTok's redirect on {listener.url}", file=out, flush=True)
                code = listener.wait(args.timeout)
                try:
                    authorized = exchange_and_write(config, code, args.output, logger, out)
                except (AirbyteTracedException, OSError) as problem:
                    listener.finish(502, f"Not authorized: {describe(problem)} See the terminal.")
                    raise
                listener.finish(200, f"The app is authorized: the tokens are in {args.output}. You can close this tab.")
        else:
            print("Then paste the full URL your browser was sent to:", file=out, flush=True)
            code = code_from_redirect(parse_qs(urlsplit(stdin.readline().strip()).query), state, code_key)
            authorized = exchange_and_write(config, code, args.output, logger, out)
    except (AuthorizationRefused, ValueError, OSError, AirbyteTracedException) as problem:
        print(f"Not authorized: {describe(problem)}", file=out, flush=True)
        return 1
    expires = authorized["credentials"]["access_token_expires_at"]
    print(
        f"Wrote {args.output} (access token valid until {expires}; the refresh token renews it). Keep it private.\n"
        f"Next: source-tiktok-shop check --config {args.output}",
        file=out,
        flush=True,
    )
    return 0
