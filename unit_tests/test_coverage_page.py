"""docs/coverage.md is the declarations' and docs/coverage.json's (scripts/coverage_page.py), and they agree."""

import json
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import coverage_page  # noqa: E402

from source_tiktok_shop.catalog import STREAMS  # noqa: E402

DATA = json.loads(coverage_page.DATA.read_text())
# TikTok's 2026 operations, as the sandbox vendors them from the spec (scripts/vendor_spec.py).
SPEC = json.loads(
    (Path(__file__).resolve().parents[1] / "sandbox/tiktok_shop_sandbox/spec/operations.json").read_text()
)["operations"]


def test_the_page_is_a_fresh_generation():
    fresh = coverage_page.page(DATA, coverage_page.readers(STREAMS))
    assert coverage_page.PAGE.read_text() == fresh, "run scripts/coverage_page.py: docs/coverage.md has drifted"


def test_the_data_and_the_declarations_agree():
    assert coverage_page.disagreements(DATA, coverage_page.readers(STREAMS)) == []


def test_every_operation_a_stream_reads_is_one_of_tiktoks_2026_spec():
    read = coverage_page.readers(STREAMS)
    assert {key for key in read if SPEC.get(key, {}).get("model") != "2026"} == set()


def test_every_stream_is_on_the_page():
    text = coverage_page.PAGE.read_text()
    assert [declared.name for declared in STREAMS if f"`{declared.name}`" not in text] == []


def test_a_stream_that_stops_reading_an_operation_makes_them_disagree():
    coupons = next(declared for declared in STREAMS if declared.name == "coupons")
    moved = replace(coupons, endpoint=replace(coupons.endpoint, versions=("209901",)))
    others = [declared for declared in STREAMS if declared.name != "coupons"]
    problems = coverage_page.disagreements(DATA, coverage_page.readers([*others, moved]))
    assert problems == [
        "POST /promotion/209901/coupons/search: read by coupons but not in coverage.json",
        "POST /promotion/202406/coupons/search: no stream reads it, and coverage.json gives no reason",
    ]


def test_a_reason_for_an_operation_a_stream_reads_makes_them_disagree():
    rows = [
        {**row, "reason": "niche", "note": "planted"} if row["path"] == "/promotion/202406/coupons/search" else row
        for row in DATA["operations"]
    ]
    problems = coverage_page.disagreements({**DATA, "operations": rows}, coverage_page.readers(STREAMS))
    assert problems == [
        "POST /promotion/202406/coupons/search: read by coupons, yet coverage.json gives it a reason (niche)"
    ]
