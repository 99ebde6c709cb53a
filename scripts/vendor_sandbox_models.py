"""Vendor the response models of the operations the sandbox serves for issue #20's streams, for its shape tests.

    python scripts/vendor_sandbox_models.py /path/to/reference

The reference folder holds TikTok's models as JSON (`tiktok-openapi-2026.json`, the current version of every
operation). For each operation in `OPERATIONS` this writes its method, path and response type tree to
sandbox_tests/resources/tiktok_models_new_streams.json: the same facts as unit_tests/resources/tiktok_models.json
(written by scripts/extract_models.py), kept apart because that file follows the connector's declarations. Facts
only: TikTok's descriptions are not copied.
"""

import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "sandbox_tests" / "resources" / "tiktok_models_new_streams.json"
OPERATIONS = (
    "GET /order/202407/orders/{order_id}/price_detail",
    "GET /order/202406/orders/{order_id}/external_orders",
    "POST /order/202406/orders/external_order_search",
    "GET /fulfillment/202309/orders/{order_id}/tracking",
    "POST /product/202309/inventory/search",
    "GET /fbt/202409/merchants/onboarded_regions",
    "GET /fbt/202408/warehouses",
    "POST /fbt/202408/inventory/search",
    "POST /fbt/202410/inventory_records/search",
    "GET /fbt/202602/inbound_orders",
    "GET /return_refund/202309/returns/{return_id}/records",
    "GET /promotion/202309/activities/{activity_id}",
    "GET /product/202405/products/diagnoses",
    "GET /customer_service/202407/performance",
    "GET /analytics/202606/shop_performances/overview",
    "GET /analytics/202606/shop_performances/metrics",
    "GET /analytics/202510/shop/performance/{date}/performance_per_hour",
    "GET /analytics/202509/shop_videos/{video_id}/products/performance",
    "GET /analytics/202609/shop_lives/overview_performance",
    "POST /affiliate_seller/202409/sample_applications/{application_id}/fulfillments/search",
    "POST /affiliate_seller/202405/open_collaborations/products/search",
    "POST /affiliate_seller/202608/creator_outreach/records/query",
)


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit(__doc__)
    found = {
        f"{o['method']} {o['path']}": o
        for o in json.loads((Path(argv[0]) / "tiktok-openapi-2026.json").read_text())["operations"]
    }
    unknown = [key for key in OPERATIONS if key not in found]
    if unknown:
        sys.exit(f"not in the 2026 models: {unknown}")
    models = {
        "about": "Written by scripts/vendor_sandbox_models.py from TikTok's 2026 models; edit that script instead.",
        "operations": {
            key: {
                "method": found[key]["method"],
                "path": found[key]["path"],
                "response_data": found[key]["response_data"],
            }
            for key in OPERATIONS
        },
    }
    OUTPUT.write_text(json.dumps(models, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(OPERATIONS)} operations to {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
