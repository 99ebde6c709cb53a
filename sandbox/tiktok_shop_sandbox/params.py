"""Reading a call's parameters: page size, page token, sort, and the search filters, declared as data.

What TikTok's rules say of a request (required parameters and fields, enumerations, the names an operation takes)
is checked before the handler, by ``spec.validate_request``; what is read here is what they cannot say: types,
ranges, page sizes, list lengths, and the enumerations TikTok gives only in its notes.

A list endpoint declares its filters as ``Filter(name, field, kind)`` entries: ``read_filters`` reads them all from
the call and ``narrowing`` makes a keyset range and a row predicate of them. ``name`` is the request parameter; ``field`` the row attribute it narrows on (dotted through linked
rows, like ``order.user_id``; ``None`` for a parameter the sandbox checks and binds page tokens to, but does not
filter on); ``kind`` how the parameter is read and a row matched:

    kind      the parameter                                      a row matches when
    ge        an integer >= 0 (Unix seconds)                     field >= it
    lt, le    an integer >= 0 (Unix seconds)                     field < it, field <= it
    enum      a string (one of ``values``, if given)             field == it
    among     a string (one of ``values``, if given)             field (a collection) holds it
    string    a string                                           field == it
    bool      a JSON boolean (in a query: true, false, 1, 0)     field == it
    in        an array of strings (of ``values``, if given)      field is one of them
    overlaps  an array of strings                                field (a collection) holds one of them
    csv       comma-separated strings (of ``values``, if given)  field is one of them
    contains  a string                                           field contains it, ignoring case and outer blanks

``values`` are declared only where TikTok's rules do not enumerate the parameter and its notes do (each with its
source); the rules' enumerations are the spec's to check. A parameter that is absent or empty filters nothing, and
so does the ``wildcard`` value of an enum. Filters are checked in the order declared, so a call with several bad
ones hears of the first, with the filter's ``err`` code or else the endpoint's.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from dataclasses import dataclass


class ApiError(Exception):
    def __init__(self, code: int, message: str, http: int = 200):
        super().__init__(message)
        self.code = code
        self.message = message
        self.http = http


def integer(value, name: str, err: int, minimum: int = 0) -> int:
    if isinstance(value, bool):
        raise ApiError(err, f"Invalid {name}: must be an integer")
    if isinstance(value, int):
        v = value
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        v = int(value.strip())
    else:
        raise ApiError(err, f"Invalid {name}: must be an integer")
    if v < minimum:
        raise ApiError(err, f"Invalid {name}: must be >= {minimum}")
    return v


def page_size(src: dict, lo: int, hi: int, default: int | None, err: int) -> int:
    """The page size asked for, within [lo, hi]; ``default`` where none is sent (``None``: TikTok's rules require
    one, and the spec check before the handler has refused a call without it)."""
    raw = src.get("page_size")
    if raw is None or raw == "":
        if default is None:
            raise LookupError("page_size missing though TikTok's rules require it: the spec check did not run")
        return default
    try:
        v = integer(raw, "page_size", err, minimum=-(10**9))
    except ApiError:
        raise ApiError(err, f"Invalid page_size: must be an integer between {lo} and {hi}") from None
    if not lo <= v <= hi:
        raise ApiError(err, f"Invalid page_size: must be between {lo} and {hi}")
    return v


def page_token(src: dict, err: int) -> str | None:
    t = src.get("page_token")
    if t is None or t == "":
        return None
    if not isinstance(t, str):
        raise ApiError(err, "Invalid page_token")
    return t


def sort_params(q: dict, fields: tuple, default_field: str, default_order: str, err: int) -> tuple[str, bool]:
    """The sort field and whether it is descending. TikTok's rules enumerate ``sort_order`` wherever it is taken, and
    ``sort_field`` on most endpoints; ``fields`` are its values where they do not (from TikTok's notes), else ``()``.
    ``default_field`` is the one sorted by where none is sent (where the rules require one, it is always sent)."""
    field = q.get("sort_field") or default_field
    if fields and field not in fields:
        raise ApiError(err, f"Invalid sort_field: must be one of {', '.join(fields)}")
    return field, (q.get("sort_order") or default_order) == "DESC"


# -- filters ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """One filter parameter of a list endpoint (see the table above)."""

    name: str
    field: str | None
    kind: str
    values: tuple[str, ...] = ()
    max_len: int | None = None
    err: int | None = None
    wildcard: str | None = None

    def __post_init__(self):
        if self.kind not in READERS:
            raise ValueError(f"filter {self.name}: unknown kind {self.kind!r}")

    def read(self, src: dict, err: int, query: bool):
        """The parameter's value as the filter uses it (``None``: no filter), or ApiError."""
        err = self.err if self.err is not None else err
        raw = src.get(self.name)
        if raw is None or raw == "":
            return None
        value = READERS[self.kind](self, raw, err, query)
        return None if value == self.wildcard else value

    def test(self, value) -> Callable:
        """A predicate on rows: does the row match ``value``?"""
        return MATCHERS[self.kind](operator.attrgetter(self.field), value)


def time_range(field: str, upper: str = "lt", err: int | None = None) -> tuple[Filter, Filter]:
    """``<field>_ge`` (inclusive) and ``<field>_lt`` (exclusive) or ``<field>_le`` (inclusive)."""
    return Filter(f"{field}_ge", field, "ge", err=err), Filter(f"{field}_{upper}", field, upper, err=err)


def read_filters(filters: tuple[Filter, ...], src: dict, err: int, query: bool) -> list[tuple[Filter, object]]:
    """The filters set in ``src`` (the call's query if ``query``, else its JSON body), with their values."""
    read = []
    for f in filters:
        value = f.read(src, err, query)
        if value is not None:
            read.append((f, value))
    return read


@dataclass
class Narrowing:
    """What a call's filters make of a listing: the range of the sort field (``lo`` inclusive, ``hi`` exclusive;
    the keyset index seeks to it), a predicate for the rest (``None``: every row in the range), and what binds a
    page token to the filters."""

    lo: int | None = None
    hi: int | None = None
    pred: Callable | None = None
    binding: dict = dataclasses.field(default_factory=dict)


def narrowing(read: list[tuple[Filter, object]], sort_field: str) -> Narrowing:
    """Time filters on the sort field bound the range; every other filter with a ``field`` tests rows."""
    out = Narrowing()
    tests = []
    for f, value in read:
        out.binding[f.name] = sorted(value) if isinstance(value, set) else value
        if f.field == sort_field and f.kind == "ge":
            out.lo = value if out.lo is None else max(out.lo, value)
        elif f.field == sort_field and f.kind in ("lt", "le"):
            hi = value if f.kind == "lt" else value + 1
            out.hi = hi if out.hi is None else min(out.hi, hi)
        elif f.field is not None:
            tests.append(f.test(value))
    if len(tests) == 1:
        out.pred = tests[0]
    elif tests:
        out.pred = lambda row: all(t(row) for t in tests)
    return out


def _integer(f: Filter, raw, err: int, query: bool) -> int:
    return integer(raw, f.name, err)


def _string(f: Filter, raw, err: int, query: bool) -> str:
    if not isinstance(raw, str):
        raise ApiError(err, f"Invalid {f.name}")
    return raw


def _enum(f: Filter, raw, err: int, query: bool) -> str:
    if not isinstance(raw, str) or (f.values and raw not in f.values):
        listed = f": must be one of {', '.join(f.values)}" if f.values else ": must be a string"
        raise ApiError(err, f"Invalid {f.name}{listed}")
    return raw


def _bool(f: Filter, raw, err: int, query: bool) -> bool:
    if query and raw in ("true", "1", "false", "0"):
        return raw in ("true", "1")
    if not query and isinstance(raw, bool):
        return raw
    raise ApiError(err, f"Invalid {f.name}: must be a boolean")


def _strings(f: Filter, raw, err: int, query: bool) -> set[str] | None:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ApiError(err, f"Invalid {f.name}: must be an array of strings")
    if f.max_len is not None and len(raw) > f.max_len:
        raise ApiError(err, f"Invalid {f.name}: at most {f.max_len} values")
    return _of_values(f, raw, err)


def _csv(f: Filter, raw, err: int, query: bool) -> set[str] | None:
    return _of_values(f, [x.strip() for x in _string(f, raw, err, query).split(",")], err)


def _of_values(f: Filter, items: list[str], err: int) -> set[str] | None:
    if f.values:
        bad = [x for x in items if x not in f.values]
        if bad:
            raise ApiError(err, f"Invalid {f.name}: {bad[0]!r} is not one of {', '.join(f.values)}")
    return set(items) or None


def _contains(f: Filter, raw, err: int, query: bool) -> str | None:
    return _string(f, raw, err, query).strip().lower() or None


READERS = {
    "ge": _integer,
    "lt": _integer,
    "le": _integer,
    "enum": _enum,
    "among": _enum,
    "string": _string,
    "bool": _bool,
    "in": _strings,
    "overlaps": _strings,
    "csv": _csv,
    "contains": _contains,
}

MATCHERS = {
    "ge": lambda get, v: lambda row: get(row) >= v,
    "lt": lambda get, v: lambda row: get(row) < v,
    "le": lambda get, v: lambda row: get(row) <= v,
    "enum": lambda get, v: lambda row: get(row) == v,
    "among": lambda get, v: lambda row: v in get(row),
    "string": lambda get, v: lambda row: get(row) == v,
    "bool": lambda get, v: lambda row: get(row) == v,
    "in": lambda get, v: lambda row: get(row) in v,
    "overlaps": lambda get, v: lambda row: not v.isdisjoint(get(row)),
    "csv": lambda get, v: lambda row: get(row) in v,
    "contains": lambda get, v: lambda row: v in get(row).lower(),
}


def ids_given(raw, name: str, most: int, err: int) -> list[str]:
    """Ids as a call gives them, a JSON array or a query's comma-joined list (reference §2.2): in the order given,
    without repeats; more than ``most`` given is refused."""
    if raw is None:
        return []
    if isinstance(raw, str):
        given = [x.strip() for x in raw.split(",") if x.strip()]
    elif isinstance(raw, list) and all(isinstance(x, str) for x in raw):
        given = raw
    else:
        raise ApiError(err, f"Invalid {name}: must be an array of strings")
    if len(given) > most:
        raise ApiError(err, f"Invalid {name}: at most {most} ids")
    return list(dict.fromkeys(given))
