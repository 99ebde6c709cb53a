"""The filter declarations (params.py): how each kind reads a parameter, refuses a bad one, and matches rows."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tiktok_shop_sandbox.params import ApiError, Filter, narrowing, read_filters, time_range

ERR = 36009004

READS = [
    # filter, parameter value, in the query?, value the filter uses (None: filters nothing)
    (Filter("s", "status", "enum", ("A", "B")), "A", False, "A"),
    (Filter("s", "status", "enum", ("ALL", "A"), wildcard="ALL"), "ALL", False, None),
    (Filter("s", "status", "enum", ("A",)), "", False, None),
    (Filter("s", "status", "enum"), "ANY", False, "ANY"),  # values the spec checks, where TikTok's rules give them
    (Filter("s", "states", "among", ("A", "B")), "B", False, "B"),
    (Filter("u", "user_id", "string"), "42", False, "42"),
    (Filter("c", "flag", "bool"), False, False, False),
    (Filter("c", "flag", "bool"), "1", True, True),
    (Filter("c", "flag", "bool"), "false", True, False),
    (Filter("w", "warehouse_id", "in"), ["1", "2"], False, {"1", "2"}),
    (Filter("w", "warehouse_id", "in"), [], False, None),
    (Filter("k", "skus", "overlaps"), ["x"], False, {"x"}),
    (Filter("t", "type", "csv", ("A", "B")), " A , B", True, {"A", "B"}),
    (Filter("n", "name", "contains"), "  Mug ", True, "mug"),
    (Filter("n", "name", "contains"), "   ", True, None),
    (Filter("t_ge", "t", "ge"), "17", True, 17),
    (Filter("t_lt", "t", "lt"), 18, False, 18),
]


@pytest.mark.parametrize(("f", "raw", "query", "value"), READS)
def test_read(f, raw, query, value):
    assert f.read({f.name: raw}, ERR, query) == value


REFUSED = [
    # filter, parameter value, in the query?, message
    (Filter("s", "status", "enum", ("A", "B")), "C", False, "Invalid s: must be one of A, B"),
    (Filter("s", "status", "enum", ("A",)), 5, False, "Invalid s: must be one of A"),
    (Filter("s", "status", "enum"), 5, False, "Invalid s: must be a string"),
    (Filter("s", "states", "among", ("A", "B")), "C", False, "Invalid s: must be one of A, B"),
    (Filter("u", "user_id", "string"), 42, False, "Invalid u"),
    (Filter("c", "flag", "bool"), "true", False, "Invalid c: must be a boolean"),
    (Filter("c", "flag", "bool"), "yes", True, "Invalid c: must be a boolean"),
    (Filter("w", "warehouse_id", "in"), "1", False, "Invalid w: must be an array of strings"),
    (Filter("w", "warehouse_id", "in"), [1], False, "Invalid w: must be an array of strings"),
    (Filter("w", "warehouse_id", "in", max_len=1), ["1", "2"], False, "Invalid w: at most 1 values"),
    (Filter("r", "kind", "in", ("A",)), ["A", "Z"], False, "Invalid r: 'Z' is not one of A"),
    (Filter("t", "type", "csv", ("A", "B")), "A,C", True, "Invalid t: 'C' is not one of A, B"),
    (Filter("n", "name", "contains"), 3, False, "Invalid n"),
    (Filter("t_ge", "t", "ge"), "yesterday", False, "Invalid t_ge: must be an integer"),
    (Filter("t_lt", "t", "lt"), -1, False, "Invalid t_lt: must be >= 0"),
]


@pytest.mark.parametrize(("f", "raw", "query", "message"), REFUSED)
def test_refused(f, raw, query, message):
    with pytest.raises(ApiError) as exc:
        f.read({f.name: raw}, ERR, query)
    assert (exc.value.code, exc.value.message) == (ERR, message)


def test_a_filter_error_code_wins_over_the_endpoint_one():
    with pytest.raises(ApiError) as exc:
        Filter("t_ge", "t", "ge", err=12019118).read({"t_ge": "x"}, ERR, False)
    assert exc.value.code == 12019118


def test_the_first_bad_filter_declared_answers():
    filters = (Filter("a", "a", "enum", ("X",)), Filter("b", "b", "enum", ("X",)))
    with pytest.raises(ApiError, match="Invalid a"):
        read_filters(filters, {"b": "bad", "a": "bad"}, ERR, False)


ROWS = [
    SimpleNamespace(
        nid=1, status="A", t=10, name="Blue Mug", skus=["x", "y"], order=SimpleNamespace(user_id="7"), tags={"new"}
    ),
    SimpleNamespace(
        nid=2, status="B", t=20, name="Red Cap", skus=["z"], order=SimpleNamespace(user_id="8"), tags=set()
    ),
    SimpleNamespace(
        nid=3, status="A", t=30, name="Red Mug", skus=[], order=SimpleNamespace(user_id="7"), tags={"new", "sale"}
    ),
]
FILTERS = (
    *time_range("t"),
    Filter("status", "status", "enum", ("A", "B")),
    Filter("title", "name", "contains"),
    Filter("sku_ids", "skus", "overlaps"),
    Filter("buyers", "order.user_id", "in"),
    Filter("version", None, "enum", ("v1", "v2")),
    Filter("tag", "tags", "among"),
)
MATCHES = [
    # parameters, sort field, rows matched (by nid) within the range, range of the sort field
    ({}, "t", [1, 2, 3], (None, None)),
    ({"status": "A"}, "t", [1, 3], (None, None)),
    ({"status": "A", "title": "red"}, "t", [3], (None, None)),
    ({"sku_ids": ["y", "z"]}, "t", [1, 2], (None, None)),
    ({"buyers": ["8"]}, "t", [2], (None, None)),
    ({"version": "v2"}, "t", [1, 2, 3], (None, None)),
    ({"tag": "new"}, "t", [1, 3], (None, None)),
    ({"tag": "sale", "status": "A"}, "t", [3], (None, None)),
    ({"t_ge": 20, "t_lt": 30}, "t", [1, 2, 3], (20, 30)),  # the range on the sort field is the index's to seek
    ({"t_ge": 20, "t_lt": 30}, "nid", [2], (None, None)),  # on another field it is a predicate
]


@pytest.mark.parametrize(("params", "sort_field", "matched", "bounds"), MATCHES)
def test_narrowing(params, sort_field, matched, bounds):
    narrowed = narrowing(read_filters(FILTERS, params, ERR, False), sort_field)
    assert [r.nid for r in ROWS if narrowed.pred is None or narrowed.pred(r)] == matched
    assert (narrowed.lo, narrowed.hi) == bounds
    assert set(narrowed.binding) == set(params)


def test_le_bounds_the_sort_field_inclusively():
    narrowed = narrowing(read_filters(time_range("t", "le"), {"t_le": 20}, ERR, False), "t")
    assert (narrowed.lo, narrowed.hi) == (None, 21)


def test_a_filter_of_an_unknown_kind_is_refused_when_declared():
    with pytest.raises(ValueError, match="unknown kind"):
        Filter("x", "x", "regex")
