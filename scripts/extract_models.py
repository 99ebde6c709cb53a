"""Vendor the models of the TikTok endpoints this repo reads, for tests that must run on a clean clone.

    python scripts/extract_models.py /path/to/reference

The reference folder holds TikTok's published models as JSON: `tiktok-openapi-2026.json` (the current version of
every endpoint) and `tiktok-sdk-2025.json` (TikTok's Dec 2025 SDK, with older versions). For each operation in
`OPERATIONS`, taken from the 2026 file when it has it and from the 2025 one otherwise, this writes its method,
path, query keys, body tree and response type tree to unit_tests/resources/tiktok_models.json. Facts only:
TikTok's descriptions are not copied.

A type tree is what the references give: a type name ("string", "integer", "boolean", "datetime.date"; the 2025
file says "number" for every number), a one-element list for an array of that, a dict for an object. A null or
an empty dict is a type the reference leaves open (TikTok's enums in request bodies).
"""

import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).resolve().parents[1] / "unit_tests" / "resources" / "tiktok_models.json"
REFERENCES = (("2026", "tiktok-openapi-2026.json"), ("2025", "tiktok-sdk-2025.json"))

OPERATIONS = (
    # Read by the streams.
    "GET /authorization/202309/shops",
    "POST /order/202309/orders/search",
    "POST /product/202502/products/search",
    "GET /product/202309/products/{product_id}",
    "POST /return_refund/202602/returns/search",
    "POST /return_refund/202602/cancellations/search",
    "POST /fulfillment/202309/packages/search",
    "GET /finance/202309/statements",
    "GET /finance/202501/statements/{statement_id}/statement_transactions",
    "GET /finance/202605/payments",
    "GET /finance/202309/withdrawals",
    "GET /logistics/202309/warehouses",
    "GET /product/202309/categories",
    "GET /product/202309/brands",
    "POST /promotion/202309/activities/search",
    "POST /promotion/202406/coupons/search",
    # The versions a shop falls back to where its market lacks the current one (the sandbox serves them too).
    "POST /return_refund/202309/returns/search",
    "POST /return_refund/202309/cancellations/search",
    "GET /finance/202309/payments",
    # Next streams: analytics, finance by order, affiliate.
    "GET /analytics/202609/shop/performance",
    "GET /analytics/202605/shop_products/performance",
    "GET /analytics/202509/shop_skus/performance",
    "GET /analytics/202605/shop_videos/performance",
    "GET /analytics/202609/shop_lives/performance",
    "GET /finance/202501/orders/{order_id}/statement_transactions",
    "GET /finance/202507/orders/unsettled",
    "POST /affiliate_seller/202410/orders/search",
    "POST /affiliate_seller/202412/open_collaborations/search",
    "POST /affiliate_seller/202508/target_collaborations/search",
    "POST /affiliate_seller/202508/sample_applications/search",
)


def load(reference: Path) -> dict[str, tuple[str, Mapping[str, Any]]]:
    """Every operation by "METHOD path", the 2026 reference first."""
    found: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for year, name in REFERENCES:
        for operation in json.loads((reference / name).read_text())["operations"]:
            found.setdefault(f"{operation['method']} {operation['path']}", (year, operation))
    return found


def extract(key: str, year: str, operation: Mapping[str, Any]) -> dict[str, Any]:
    method, path = key.split(" ", 1)
    return {
        "method": method,
        "path": path,
        "reference": year,
        "query": sorted(operation.get("query") or []),
        "body": operation.get("body"),
        "response_data": operation.get("response_data"),
    }


def json_text(value: Any) -> str:
    """2-space JSON with short lists of scalars (types, `required`) kept on one line."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text) + "\n"


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit(__doc__)
    operations = load(Path(argv[0]))
    unknown = [key for key in OPERATIONS if key not in operations]
    if unknown:
        sys.exit(f"not in either reference: {unknown}")
    models = {
        "about": "Written by scripts/extract_models.py from TikTok's published models; edit that script instead.",
        "operations": {key: extract(key, *operations[key]) for key in OPERATIONS},
    }
    OUTPUT.write_text(json_text(models))
    print(f"wrote {len(OPERATIONS)} operations to {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
