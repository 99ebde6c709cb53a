"""HTTP handling: request checks in the documented order, envelopes, faults, the request log."""

from __future__ import annotations

import html
import json
import re
import secrets
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

from .auth import AuthError
from .faults import PAGE_LIES, lie_about_page, trickle, truncated

try:  # orjson encodes pages several times faster; the standard library's encoder is the fallback
    import orjson

    def _dumps(obj) -> bytes:
        return orjson.dumps(obj)

except ImportError:  # pragma: no cover - orjson comes with the `fast` extra

    def _dumps(obj) -> bytes:
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


from .endpoints import Ctx, resolve
from .params import ApiError
from .signing import verify_sign
from .spec import SpecViolation, validate_request

TOKEN_GET = "/api/v2/token/get"
TOKEN_REFRESH = "/api/v2/token/refresh"
# The seller's consent page of the legacy authorization link (reference §1.1): auth host + this path.
CONSENT = "/oauth/authorize"
TIMESTAMP_RE = re.compile(r"^\d{10}$")
TIMESTAMP_PAST_S = 300
TIMESTAMP_FUTURE_S = 30

HTML_503 = (
    b"<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    b"<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>TikTok Shop</title></head><body><p>Something went wrong. "
    b"Please try again later.</p></body></html>"
)


def _page(title: str, text: str) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><title>TikTok Shop sandbox: {html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{text}</p></body></html>"
    ).encode()


def request_id() -> str:
    return time.strftime("%Y%m%d%H%M%S", time.gmtime()) + secrets.token_hex(10).upper()


class Response:
    __slots__ = ("status", "body", "content_type", "code", "action", "headers", "listing")

    def __init__(
        self, status: int, body: bytes, content_type: str = "application/json", code=None, action=None, headers=None
    ):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.code = code
        self.action = action  # None | "drop" | "trickle"
        self.headers = headers or {}
        self.listing: tuple[str, str] | None = None  # (binding, sort field) of a list page


def envelope(code: int, message: str, data=None) -> bytes:
    obj = {"code": code, "message": message, "request_id": request_id()}
    if data is not None or code == 0:
        obj["data"] = data if data is not None else {}
    return _dumps(obj)


def error(http: int, code: int, message: str) -> Response:
    return Response(http, envelope(code, message), code=code)


VERSION_UNAVAILABLE = 36009014
# sandbox choice (UNCONFIRMED: TikTok documents no code for an API its market does not have, e.g. payments in SEA)
MARKET_UNAVAILABLE = 22005010


class Core:
    """Everything a request needs; shared by the HTTP handler threads.

    ``empty_body_signing``: whether a body that is an empty JSON object is signed ("signed") or left out of the
    signature ("omitted", TikTok's SDK); ``version_unavailable_in``: API version -> regions whose shops it is not
    served to (36009014), as for a market a new version has not reached yet; ``today``: the date (YYYY-MM-DD) TikTok's
    version retirements are judged at (``endpoints.RETIRED``; ``None``: the wall clock's, UTC).
    """

    def __init__(
        self,
        world,
        auth,
        state,
        faults,
        limiter,
        latency_ms: float = 0.0,
        empty_body_signing: str = "omitted",
        version_unavailable_in=None,
        today: str | None = None,
    ):
        self.world = world
        self.auth = auth
        self.state = state
        self.faults = faults
        self.limiter = limiter
        self.latency_ms = float(latency_ms or 0)
        self.empty_body_signing = empty_body_signing
        self.version_unavailable_in = {v: frozenset(regions) for v, regions in (version_unavailable_in or {}).items()}
        self.today = today
        self.timeout_fault_s = 30.0
        self.slow_body_s = 90.0  # longer than the usual read timeouts (60 s)
        # (extra, path_contains, shop_id): list pages whose total_count says `extra` more than there are
        self.total_count_excess: list[tuple[int, str | None, str | None]] = []
        self.stop_event = threading.Event()
        self.log_lock = threading.Lock()
        self.log: list[dict] = []
        # The app's redirect URL, as registered in Partner Center: where the consent page sends the seller.
        self.redirect_url: str | None = None

    # -- entry point ---------------------------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers, body: bytes) -> Response:
        parts = urlsplit(raw_path)
        path = parts.path
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        query = dict(pairs)  # a repeated key: the last value wins
        repeated = sorted(key for key, n in Counter(key for key, _ in pairs).items() if n > 1)
        entry = {
            "method": method,
            "path": path,
            "query": query,
            "body": None,
            "status": None,
            "code": None,
            "shop_cipher": query.get("shop_cipher"),
            "ts": time.time(),
        }
        try:
            if path in (TOKEN_GET, TOKEN_REFRESH):
                entry["query"] = {k: ("***" if k == "app_secret" else v) for k, v in query.items()}
                resp = self._token(method, path, query)
            elif path == CONSENT:
                resp = self._consent(method, query)
            else:
                resp = self._api(method, path, query, headers, body, entry, repeated)
        except Exception as exc:  # a sandbox bug must still produce a well-formed answer
            resp = error(500, 36009003, f"Internal error: {type(exc).__name__}")
        entry["status"] = resp.status
        entry["code"] = resp.code
        entry["answered_ts"] = time.time()  # with "ts", when the request was being served
        with self.log_lock:
            self.log.append(entry)
        return resp

    def _sleep(self, seconds: float):
        if seconds > 0:
            self.stop_event.wait(seconds)

    def _apply_fault(self, kind: str, entry: dict):
        """Returns a Response for faults that replace the answer, or a marker for post-processing kinds."""
        entry["fault"] = kind
        if kind == "rate_limit":
            return error(429, 36009002, "Too many requests. Please retry later.")
        if kind == "unavailable":
            return Response(503, HTML_503, "text/html")
        if kind == "internal":
            return error(200, 36009003, "Internal error, please try again later.")
        if kind == "server_error":
            return error(500, 36009003, "Internal server error.")
        if kind == "expired_token":
            return error(401, 105002, "Access token is expired, please refresh it.")
        if kind == "timeout":
            self._sleep(self.timeout_fault_s)
            return None
        return kind  # drop / malformed*: decided after the normal answer is computed

    def _post_fault(self, kind, resp: Response, call: tuple, entry: dict, source=None) -> Response:
        """The normal answer ``resp`` to ``call`` (method, path, query, body), altered by the fault ``kind``."""
        if kind == "drop":
            resp.action = "drop"
            resp.code = None
            return resp
        if kind == "malformed":
            body = resp.body[: max(1, len(resp.body) // 2)]
            return Response(200, body)
        if kind == "malformed_html":
            return Response(200, HTML_PAGE, "text/html")
        if kind == "malformed_empty":
            return Response(200, b"")
        rng = self.faults.rng_for(kind, *call)
        if kind == "truncated":
            body = truncated(resp.body, rng)
            entry["fault_detail"] = {"sent": len(body), "of": len(resp.body)}
            return Response(200, body)
        if kind == "html_200":
            return Response(200, HTML_PAGE)
        if kind == "slow_body":
            resp.action = "trickle"
            return resp
        if kind in PAGE_LIES:
            return self._lie_about_page(kind, resp, rng, entry, source)
        return resp

    def _lie_about_page(self, kind, resp: Response, rng, entry: dict, source) -> Response:
        detail = None
        if resp.code == 0 and resp.listing is not None:
            obj = json.loads(resp.body)
            binding, sort_field = resp.listing
            first_page = self.state.codec.encode(binding, (), 0)
            detail = lie_about_page(kind, obj["data"], sort_field, first_page, rng)
        if detail is None:  # nothing to lie about here: the next matching call gets the injected fault
            entry.pop("fault", None)
            self.faults.give_back(source)
            return resp
        entry["fault_detail"] = detail
        return Response(200, _dumps(obj), code=0)

    # -- token host ----------------------------------------------------------------------------------------

    def _token(self, method: str, path: str, query: dict) -> Response:
        self._sleep(self.latency_ms / 1000.0)
        fault = self.faults.draw(path, is_api=False)
        post = None
        entry: dict = {}
        if fault is not None:
            r = self._apply_fault(fault, entry)
            if isinstance(r, Response):
                return r
            post = r
        if method != "GET":
            resp = error(405, 36009010, f"Invalid HTTP method {method} for {path}")
        else:
            try:
                data = self.auth.token_get(query) if path == TOKEN_GET else self.auth.token_refresh(query)
                resp = Response(200, envelope(0, "success", data), code=0)
            except AuthError as exc:
                resp = error(200, exc.code, exc.message)
        return self._post_fault(post, resp, (method, path, query, b""), entry) if post else resp

    # -- consent page (the seller's side of reference §1.1) -----------------------------------------------

    def _consent(self, method: str, query: dict) -> Response:
        """The seller approves at once (the sandbox has no seller to ask): a fresh auth code goes to the app's
        redirect URL with the link's ``state``; ``decision=deny`` (an extension) declines instead."""
        if method != "GET":
            return Response(405, _page("Method not allowed", "Open the authorization link with GET."), "text/html")
        if query.get("app_key") != self.auth.app_key:
            return Response(400, _page("Unknown app", "This authorization link has no valid app_key."), "text/html")
        if query.get("decision") == "deny":
            params = {"code": "null", "error": "auth_denied"}
        else:
            params = {"code": self.auth.new_auth_code()}
        if "state" in query:  # links without one (Seller App Store installs) get none back
            params["state"] = query["state"]
        if not self.redirect_url:
            redirect = "https://your-redirect-url/?" + urlencode(params)
            text = (
                "The seller authorized the app. This sandbox has no redirect URL (start it with --redirect-url), "
                f"so here is where TikTok would send the browser; paste it where you are asked:<br><code>{html.escape(redirect)}</code>"
            )
            return Response(200, _page("Authorized", text), "text/html")
        location = self.redirect_url + ("&" if "?" in self.redirect_url else "?") + urlencode(params)
        body = _page("Authorized", f'Continue to <a href="{html.escape(location)}">the app</a>.')
        return Response(302, body, "text/html", headers={"Location": location})

    # -- API -----------------------------------------------------------------------------------------------

    def _api(self, method, path, query, headers, body, entry, repeated=()) -> Response:
        self._sleep(self.latency_ms / 1000.0)
        res = resolve(method, path, self.today or time.strftime("%Y-%m-%d", time.gmtime()))
        if res.status == "unknown_path":
            return error(404, 36009009, f"Invalid path: {path}")
        if res.status == "bad_version":
            return error(404, VERSION_UNAVAILABLE, f"The version name is invalid or has been retired: {res.version}")
        if res.status in ("retired", "not_emulated"):
            return error(404, VERSION_UNAVAILABLE, res.message)
        if res.status == "bad_method":
            return error(405, 36009010, f"Invalid HTTP method {method} for {path}")
        route = res.route
        content_type = headers.get("Content-Type") or ""
        if body and content_type.lower().startswith("application/json"):
            try:
                entry["body"] = json.loads(body)
            except (ValueError, UnicodeDecodeError):
                entry["body"] = None
        shop = self.world.shop_by_cipher.get(query.get("shop_cipher") or "")
        fault, source = self.faults.take(path, True, shop.id if shop is not None else None)
        post = None
        if fault is not None:
            r = self._apply_fault(fault, entry)
            if isinstance(r, Response):
                return r
            post = r
        resp = self._checked(method, path, query, headers, body, content_type, route, res, repeated)
        resp = self._overstate_total_count(resp, path, shop.id if shop is not None else None, entry)
        return self._post_fault(post, resp, (method, path, query, body), entry, source) if post else resp

    def _overstate_total_count(self, resp: Response, path: str, shop_id: str | None, entry: dict) -> Response:
        if resp.code != 0 or resp.listing is None:
            return resp
        extra = sum(
            n
            for n, pc, shop in list(self.total_count_excess)
            if (pc is None or pc in path) and (shop is None or shop == shop_id)
        )
        if not extra:
            return resp
        obj = json.loads(resp.body)
        if not isinstance(obj["data"].get("total_count"), int):
            return resp
        obj["data"]["total_count"] += extra
        entry["total_count_excess"] = extra
        out = Response(200, _dumps(obj), code=0)
        out.listing = resp.listing
        return out

    def _checked(self, method, path, query, headers, body, content_type, route, res, repeated=()) -> Response:
        auth = self.auth
        cred = "Invalid credentials. The '{}' query parameter is {}."
        app_key = query.get("app_key")
        if not app_key:
            return error(401, 36009004, cred.format("app_key", "missing"))
        if app_key != auth.app_key:
            return error(401, 36009004, cred.format("app_key", "invalid"))
        if not query.get("sign"):
            return error(401, 36009004, cred.format("sign", "missing"))
        ts = query.get("timestamp")
        if not ts:
            return error(401, 36009004, cred.format("timestamp", "missing"))
        now = time.time()
        if not TIMESTAMP_RE.match(ts) or not (now - TIMESTAMP_PAST_S <= int(ts) <= now + TIMESTAMP_FUTURE_S):
            return error(
                401,
                36009004,
                "Invalid timestamp. The 'timestamp' query parameter must be Unix seconds "
                "within [now - 300 s, now + 30 s].",
            )
        if not verify_sign(auth.app_secret, path, query, body, content_type, query["sign"], self.empty_body_signing):
            message = "Invalid credentials. The 'sign' query parameter is invalid."
            if repeated:
                keys = ", ".join(f"'{key}'" for key in repeated)
                message += f" The query repeats {keys}: a key is signed once, with the last of its values."
            return error(401, 106001, message)
        token_state = auth.check_access(headers.get("x-tts-access-token"), now)
        if token_state == "invalid":
            return error(401, 36009004, "invalid access_token: the 'x-tts-access-token' header is missing or invalid.")
        if token_state == "expired":
            return error(401, 105002, "Access token is expired, please refresh it.")
        if not auth.has_scope(route.scope):
            return error(
                200,
                105005,
                f"Access denied: the access token has not been granted the scope "
                f"'{route.scope}'. You should apply auth pkg for this api.",
            )
        cipher = query.get("shop_cipher")
        shop = None
        if route.shop:
            if not cipher:
                return error(200, 106013, "shop_cipher is required for this API.")
            shop = self.world.shop_by_cipher.get(cipher)
            if shop is None:
                return error(200, 101000, "Invalid shop_cipher: the shop is not authorized for this access token.")
        elif cipher is not None:
            return error(401, 36009004, "Unexpected identifier: shop_cipher")
        if shop is not None and shop.region in self.version_unavailable_in.get(res.version, ()):
            return error(
                404,
                VERSION_UNAVAILABLE,
                f"API version {res.version} is not available in this shop's market ({shop.region}) yet; "
                "use an earlier version.",
            )
        if not self.limiter.allow((app_key, shop.id if shop else ""), route.key):
            return error(429, 36009002, "Too many requests. The rate limit for this app and shop has been exceeded.")
        parsed = None
        if method == "POST":
            if not content_type.lower().startswith("application/json"):
                return error(
                    400,
                    36009022,
                    "Invalid content type: the request body must be JSON (content-type: application/json).",
                )
            try:
                parsed = json.loads(body)
            except (ValueError, UnicodeDecodeError):
                return error(400, 36009022, "Invalid request body: the body must be a JSON object.")
            if not isinstance(parsed, dict):
                return error(400, 36009022, "Invalid request body: the body must be a JSON object.")
        if shop is not None and shop.region in route.unavailable_in:
            return error(
                200,
                MARKET_UNAVAILABLE,
                f"This API is not available in the shop's market ({shop.region}).",
            )
        try:  # TikTok's rules for the operation (spec/): the handler reads only what they cannot say
            validate_request(method, path, query, parsed)
        except SpecViolation as exc:
            return error(exc.http, exc.code, exc.message)
        ctx = Ctx(self.state, route, res.version, shop, query, parsed, res.params)
        try:
            data = route.handler(ctx)
        except ApiError as exc:
            return error(exc.http, exc.code, exc.message)
        resp = Response(200, envelope(0, "Success", data), code=0)
        resp.listing = ctx.listing
        return resp


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "tiktok-shop-sandbox"
    sys_version = ""
    core: Core = None  # set on the subclass built by make_server

    def setup(self):
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def log_message(self, format, *args):  # noqa: A002 - silence the default stderr access log
        pass

    def _read_body(self) -> bytes:
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self):
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        resp = self.core.handle(self.command, self.path, self.headers, body)
        try:
            self.send_response(resp.status)
            ctype = resp.content_type + ("; charset=utf-8" if "json" in resp.content_type else "")
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(resp.body)))
            for name, value in resp.headers.items():
                self.send_header(name, value)
            if resp.action == "drop":
                self.end_headers()
                self.wfile.write(resp.body[: max(1, len(resp.body) // 3)])
                self.wfile.flush()
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            if resp.action == "trickle":
                self.end_headers()
                self._trickle(resp.body)
                return
            # headers and body in one write (no small-segment / delayed-ACK stalls on keep-alive connections)
            self._headers_buffer.append(b"\r\n" + (resp.body if self.command != "HEAD" else b""))
            self.flush_headers()
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True

    def _trickle(self, body: bytes):
        """The body in pieces over ``core.slow_body_s``; a stopping sandbox closes the connection instead."""
        chunks, gap = trickle(body, self.core.slow_body_s)
        for i, chunk in enumerate(chunks):
            if i and self.core.stop_event.wait(gap):
                self.close_connection = True
                return
            self.wfile.write(chunk)
            self.wfile.flush()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def make_server(core: Core, host: str = "127.0.0.1", port: int = 0) -> Server:
    handler = type("BoundHandler", (Handler,), {"core": core})
    return Server((host, port), handler)
