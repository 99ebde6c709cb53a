"""TikTok's request rules, the one place the sandbox reads them: which query parameters and body fields an operation
takes, which it requires, and the values of its enumerations.

    from tiktok_shop_sandbox.spec import validate_request, SpecViolation
    validate_request("GET", "/analytics/202609/shop_lives/performance", {"start_date_ge": ...}, None)

The facts are vendored beside this module by ``scripts/vendor_spec.py``: ``tiktok-openapi-2026-rules.json`` (TikTok's
2026 spec, per operation: the query parameters without a default, the enumerated ones and their values, whether a
body is required, its required top-level fields and their enums) and ``operations.json`` (per operation of TikTok's
2026 spec and of its 2025 SDK's older versions: the query parameter names, those typed as arrays, the top-level
body field names).

An older version (one of the 2025 SDK only) carries names but no rules of its own: it takes the rules of the same
operation at its 2026 version, for the names it has (a sandbox choice, docs/sandbox.md). A name the operation's
model does not have is refused, so that a typo does not pass for a filter left out (TikTok is silent on unknown
names: a sandbox choice too). Nested body objects are not descended.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..params import ApiError

INVALID_PARAM = 36009004
# Sent with every call (reference §2): app_key, timestamp, sign; shop_cipher where the shop is addressed; and
# access_token, as the legacy calls sent it. Checked by the server, not by an operation's rules.
COMMON_QUERY = frozenset({"app_key", "timestamp", "sign", "shop_cipher", "access_token"})
RULES_FILE = "tiktok-openapi-2026-rules.json"
NAMES_FILE = "operations.json"


class SpecViolation(ApiError):
    """A request TikTok's rules refuse: TikTok's invalid-parameter answer (36009004, HTTP 200), naming the parameter
    (``parameter``) and, for an enumeration, the values allowed."""

    def __init__(self, parameter: str, message: str):
        super().__init__(INVALID_PARAM, message)
        self.parameter = parameter


class UnknownOperation(LookupError):
    """The method and path are no operation of TikTok's models: there is nothing to check the request against."""


@dataclass(frozen=True)
class Operation:
    """One operation of TikTok's models, with the rules its requests are checked by.

    ``path`` is TikTok's, version filled and path parameters in braces; ``model`` the file its names come from
    ("2026" or "2025"); ``rules_of`` the 2026 operation whose rules apply (itself, or an older version's current one;
    ``None``: no rules, names only). ``body`` is ``None`` for an operation that takes no body."""

    method: str
    path: str
    model: str
    query: frozenset[str]
    query_arrays: frozenset[str]
    body: frozenset[str] | None
    rules_of: str | None
    query_required: tuple[str, ...]
    query_enums: Mapping[str, tuple[str, ...]]
    body_required: bool
    body_fields_required: tuple[str, ...]
    body_enums: Mapping[str, tuple[str, ...]]

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def version(self) -> str:
        return self.path.split("/")[2]

    @property
    def unversioned(self) -> str:
        return unversioned(self.path)


def unversioned(path: str) -> str:
    """``/finance/202309/payments`` → ``/finance/{version}/payments``."""
    parts = path.split("/")
    return "/".join(parts[:2] + ["{version}"] + parts[3:])


def _shape(path: str) -> str:
    """A path with every path parameter as ``{}``: TikTok's models and the sandbox may name them apart."""
    return "/".join("{}" if part.startswith("{") else part for part in path.split("/"))


def _load(name: str) -> dict[str, Any]:
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))


def _operations() -> dict[str, Operation]:
    rules = _load(RULES_FILE)["operations"]
    named = _load(NAMES_FILE)["operations"]
    current = {}  # (method, unversioned shape) → the 2026 operation's key
    for key, names in named.items():
        method, path = key.split(" ", 1)
        if names["model"] == "2026":
            current[(method, _shape(unversioned(path)))] = key
    out = {}
    for key, names in named.items():
        method, path = key.split(" ", 1)
        rules_of = key if key in rules else current.get((method, _shape(unversioned(path))))
        out[key] = _operation(method, path, names, rules_of, rules.get(rules_of) if rules_of else None)
    return out


def _operation(method: str, path: str, names: dict, rules_of: str | None, rules: dict | None) -> Operation:
    query = frozenset(names["query"])
    body = frozenset(names["body"]) if names["body"] is not None else None
    rules = rules or {}
    fields = body or frozenset()
    return Operation(
        method=method,
        path=path,
        model=names["model"],
        query=query,
        query_arrays=frozenset(names["query_arrays"]),
        body=body,
        rules_of=rules_of if rules else None,
        query_required=tuple(name for name in rules.get("query_required", ()) if name in query),
        query_enums={name: tuple(v) for name, v in rules.get("query_enums", {}).items() if name in query},
        body_required=body is not None and bool(rules.get("body_required")),
        body_fields_required=tuple(name for name in rules.get("body_fields_required", ()) if name in fields),
        body_enums={name: tuple(v) for name, v in rules.get("body_enums", {}).items() if name in fields},
    )


OPERATIONS: Mapping[str, Operation] = _operations()
# (method, number of path segments) → the operations of that form, literal paths before those with parameters
_BY_FORM: dict[tuple[str, int], list[tuple[list[str], Operation]]] = {}
for _op in sorted(OPERATIONS.values(), key=lambda op: op.path.count("{")):
    _BY_FORM.setdefault((_op.method, _op.path.count("/")), []).append((_op.path.split("/"), _op))


def operation(method: str, path: str) -> Operation | None:
    """The operation of ``method`` and ``path`` (concrete, ``/finance/202501/statements/123/...``, or TikTok's
    template), or ``None`` where TikTok's models have none."""
    method = method.upper()
    found = OPERATIONS.get(f"{method} {path}")
    if found is not None:
        return found
    segments = path.split("/")
    for parts, op in _BY_FORM.get((method, path.count("/")), ()):
        if all(want == got or (want.startswith("{") and got) for want, got in zip(parts, segments, strict=True)):
            return op
    return None


def versions(method: str, path: str) -> tuple[str, ...]:
    """Every version TikTok's models list for the operation of ``path`` (any version, or ``{version}``), oldest first."""
    shape = _shape(unversioned(path))
    return tuple(
        sorted(
            op.version for op in OPERATIONS.values() if op.method == method.upper() and _shape(op.unversioned) == shape
        )
    )


def validate_request(method: str, path: str, query: Mapping[str, str], body: Any | None) -> None:
    """Checks one request against TikTok's rules for its operation; raises ``SpecViolation`` for the first fault
    found, in this order: a query name the operation does not have, a required query parameter missing, a query value
    outside its enumeration (each element of an array parameter, sent comma-separated), a body required but absent,
    a body field name the operation does not have, a required body field missing, a body value outside its
    enumeration (each element of an array). The common parameters (``COMMON_QUERY``) are the server's business.
    A value that is empty (``""``, or a JSON null) counts as absent.

    ``path`` is concrete (version and path parameters filled), ``query`` the decoded query as sent, ``body`` the
    parsed JSON body (``None``: no body). Raises ``UnknownOperation`` where TikTok's models have no such operation."""
    op = operation(method, path)
    if op is None:
        raise UnknownOperation(f"TikTok's models have no operation {method.upper()} {path}")
    _check_query(op, query)
    _check_body(op, body)


def _check_query(op: Operation, query: Mapping[str, str]) -> None:
    unknown = sorted(set(query) - op.query - COMMON_QUERY)
    if unknown:
        raise SpecViolation(
            unknown[0],
            f"Invalid parameter: {unknown[0]!r} is not a query parameter of this API{_takes(op.query - COMMON_QUERY)}.",
        )
    for name in op.query_required:
        if _absent(query.get(name)):
            raise SpecViolation(name, f"Invalid parameter: {name!r} is required{_one_of(op.query_enums.get(name))}.")
    for name, allowed in op.query_enums.items():
        raw = query.get(name)
        if _absent(raw):
            continue
        values = [part.strip() for part in raw.split(",")] if name in op.query_arrays else [raw]
        _check_values(name, values, allowed)


def _check_body(op: Operation, body: Any | None) -> None:
    if body is None:
        if op.body_required:
            fields = ", ".join(op.body_fields_required)
            raise SpecViolation(
                "body", f"Invalid parameter: this API requires a JSON body{f' (with {fields})' if fields else ''}."
            )
        return
    if not isinstance(body, Mapping):
        raise SpecViolation("body", "Invalid parameter: the request body must be a JSON object.")
    fields = op.body or frozenset()
    unknown = sorted(set(body) - fields)
    if unknown:
        where = f"a body field of this API{_takes(fields)}" if fields else "a body field of this API (it takes none)"
        raise SpecViolation(unknown[0], f"Invalid parameter: {unknown[0]!r} is not {where}.")
    for name in op.body_fields_required:
        if _absent(body.get(name)):
            raise SpecViolation(
                name, f"Invalid parameter: body field {name!r} is required{_one_of(op.body_enums.get(name))}."
            )
    for name, allowed in op.body_enums.items():
        raw = body.get(name)
        if _absent(raw):
            continue
        _check_values(name, raw if isinstance(raw, list) else [raw], allowed)


def _check_values(name: str, values: Iterable[Any], allowed: tuple[str, ...]) -> None:
    for value in values:
        if value not in allowed:
            raise SpecViolation(
                name, f"Invalid parameter: {name!r} must be one of {', '.join(allowed)}; got {value!r}."
            )


def _absent(value: Any) -> bool:
    return value is None or value == ""


def _one_of(allowed: tuple[str, ...] | None) -> str:
    return f" (one of {', '.join(allowed)})" if allowed else ""


def _takes(names: Iterable[str]) -> str:
    listed = sorted(names)
    return f" (it takes {', '.join(listed)})" if listed else " (it takes none)"


def served_operations() -> list[Operation]:
    """The operations the sandbox serves (every route at every version it serves), each with its rules: for tests
    that go over every one, so that a new route falls under them. Raises ``UnknownOperation`` for a route TikTok's
    models do not have."""
    from ..endpoints import ROUTES  # the route table needs the handlers; the rules do not need it

    out = []
    for route in ROUTES:
        for version in route.versions:
            path = route.path(version)
            op = operation(route.method, path)
            if op is None:
                raise UnknownOperation(f"the sandbox serves {route.method} {path}, which TikTok's models do not have")
            out.append(op)
    return out
