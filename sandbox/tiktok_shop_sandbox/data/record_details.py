"""The detail reads of one record: Get Return Records (202309), a return's timeline as its status went; Get
Product Diagnoses (202405), what a live product's listing lacks, judged from its Get Product record.
"""

from __future__ import annotations

import random

from .aftersales import SELLER_FAULT
from .common import CDN, image
from .derived import derived

# What each step of a return was, by the status it reached: (event, role, description). Event names are the
# sandbox's (TikTok's notes say they vary with the flow); roles are TikTok's.
REQUEST = {
    "REFUND": ("BUYER_REQUEST_REFUND", "The buyer requested a refund."),
    "RETURN_AND_REFUND": ("BUYER_REQUEST_RETURN", "The buyer requested a return and refund."),
    "REPLACEMENT": ("BUYER_REQUEST_REPLACEMENT", "The buyer requested a replacement."),
    "EXCHANGE": ("BUYER_REQUEST_EXCHANGE", "The buyer requested an exchange."),
}
STEP = {
    "REFUND_OR_RETURN_REQUEST_REJECT": ("SELLER_REJECT_REQUEST", "SELLER", "The seller rejected the request."),
    "REPLACEMENT_REQUEST_REJECT": ("SELLER_REJECT_REQUEST", "SELLER", "The seller rejected the request."),
    "RETURN_OR_REFUND_REQUEST_CANCEL": ("BUYER_CANCEL_REQUEST", "BUYER", "The buyer cancelled the request."),
    "REPLACEMENT_REQUEST_CANCEL": ("BUYER_CANCEL_REQUEST", "BUYER", "The buyer cancelled the request."),
    "AWAITING_BUYER_RESPONSE": ("SELLER_OFFER_PARTIAL_REFUND", "SELLER", "The seller offered a partial refund."),
    "AWAITING_BUYER_SHIP": ("SELLER_APPROVE_RETURN", "SELLER", "The seller approved the return."),
    "BUYER_SHIPPED_ITEM": ("BUYER_SHIP_ITEM", "BUYER", "The buyer shipped the item back."),
    "RETURN_OR_REFUND_REQUEST_SUCCESS": ("SELLER_RECEIVE_PACKAGE", "SELLER", "The seller received the package."),
    "RETURN_OR_REFUND_REQUEST_COMPLETE": ("REFUND_COMPLETED", "SELLER", "The refund was issued to the buyer."),
    "REPLACEMENT_REQUEST_COMPLETE": ("REPLACEMENT_SHIPPED", "SELLER", "The seller sent the replacement."),
    "EXCHANGE_REQUEST_COMPLETE": ("EXCHANGE_SHIPPED", "SELLER", "The seller sent the exchange item."),
}
BUYER_NOTES = {
    "Damaged item": "Arrived with a cracked corner.",
    "Not as described": "The colour is not the one in the photos.",
    "Missing parts": "The box had no charger inside.",
}


def return_records(ret) -> list[dict]:
    """Get Return Records' ``records`` of the return: one per step, oldest first."""
    rng = random.Random(ret.nid ^ 0x4EC0)
    out = []
    for k, (status, at) in enumerate(ret.steps):
        images, videos = [], []
        if k == 0:
            event, description = REQUEST[ret.return_type]
            role, reason, note = "BUYER", ret.reason, BUYER_NOTES.get(ret.reason, "")
            if ret.reason in SELLER_FAULT:  # the buyer shows what is wrong
                base = f"tos-maliva-i-o3syd03w52-us/return{ret.nid % 10**9:09d}"
                images = [_image(f"{base}-{n}") for n in range(rng.randint(1, 3))]
                if rng.random() < 0.3:
                    videos = [
                        {
                            "url": f"{CDN}/{base}.mp4",
                            "cover": f"{CDN}/{base}-cover.jpeg",
                            "width": 720,
                            "height": 1280,
                            "duration_millis": rng.randint(5, 60) * 1000,
                        }
                    ]
        else:
            event, role, description = STEP[status]
            reason, note = "", ""
            if status == "BUYER_SHIPPED_ITEM":
                note = f"Tracking number {ret.tracking}"
            elif status == "RETURN_OR_REFUND_REQUEST_COMPLETE" and ret.quick_refund:
                role = "SYSTEM"  # refunded at once, without the seller (TikTok's quick refunds)
        out.append(
            {
                "event": event,
                "role": role,
                "description": description,
                "reason_text": reason,
                "note": note,
                "images": images,
                "videos": videos,
                "create_time": at,
            }
        )
    return out


def _image(uri: str) -> dict:
    full = image(uri, 1080, 1440)
    return {"url": full["urls"][0], "width": full["width"], "height": full["height"]}


# -- diagnoses --------------------------------------------------------------------------------------------------

TIERS = ("POOR", "FAIR", "GOOD", "EXCELLENT")
MIN_TITLE = 25  # characters: shorter titles are diagnosed (sandbox choice)
MIN_IMAGES = 3
APPAREL_CATEGORIES = {"601102", "601103", "604405"}


def _result(code: str, how: str, tier: str, us: bool) -> dict:
    out = {"code": code, "how_to_solve": how}
    if us:  # TikTok's notes: the quality tier is told in the US market only
        out["quality_tier"] = tier
    return out


def diagnosis(product) -> dict:
    """Get Product Diagnoses' ``products[]`` item for a live product, from what its Get Product record holds."""
    detail = product.detail()
    shop = product.shop
    us = shop.region == "US"
    rng = random.Random(product.rseed ^ 0xD1A6)
    title = detail["title"]
    noun = product.noun.lower()
    found: list[tuple[str, dict, dict]] = []  # field, result, suggestion
    if len(title) < MIN_TITLE:
        suggestion = {
            "seo_words": [{"text": word} for word in (noun, f"{noun} for women", f"best {noun}")],
            "smart_texts": [
                {"text": f"{title} – {rng.choice(['Lightweight', 'Durable', 'Everyday'])} {noun}, gift ready"}
            ],
        }
        found.append(
            ("TITLE", _result("TITLE_TOO_SHORT", f"Use at least {MIN_TITLE} characters.", "FAIR", us), suggestion)
        )
    if len(detail["main_images"]) < MIN_IMAGES:
        first = detail["main_images"][0]
        optimized = f"{first['uri']}-optimized"
        suggestion = {
            "images": [
                {
                    "height": 1200,
                    "width": 1200,
                    "uri": first["uri"],
                    "url": first["urls"][0],
                    "optimized_uri": optimized,
                    "optimized_url": image(optimized, 1200, 1200)["urls"][0],
                }
            ]
        }
        found.append(
            (
                "IMAGE",
                _result("MAIN_IMAGE_COUNT_LOW", f"Add at least {MIN_IMAGES} main images.", "FAIR", us),
                suggestion,
            )
        )
    if len(detail["description"]) < 200:
        suggestion = {
            "smart_texts": [{"text": f"<p>{title}: what it is made of, its size and how to care for it.</p>"}]
        }
        found.append(
            (
                "DESCRIPTION",
                _result("DESCRIPTION_TOO_SHORT", "Describe materials, size and care.", "GOOD", us),
                suggestion,
            )
        )
    if rng.random() < 0.4:
        found.append(("ATTRIBUTE", _result("ATTRIBUTE_MISSING", "Fill in the recommended attributes.", "GOOD", us), {}))
    if product.category in APPAREL_CATEGORIES and rng.random() < 0.5:
        found.append(("SIZE_CHART", _result("SIZE_CHART_LOW_QUALITY", "Upload a clearer size chart.", "GOOD", us), {}))
    out: dict = {"id": product.id}
    if us:
        # the product's tier (Search Products'): only the recommendations of higher tiers are still to do
        current = detail["listing_quality_tier"]
        rank = TIERS.index(current)
        found = [f for f in found if TIERS.index(f[1]["quality_tier"]) > rank]
        out["listing_quality"] = {"current_tier": current, "remaining_recommendations": len(found)}
    by_field: dict[str, dict] = {}
    for field, result, suggestion in found:
        entry = by_field.setdefault(field, {"field": field, "diagnosis_results": []})
        entry["diagnosis_results"].append(result)
        if suggestion:
            entry["suggestion"] = suggestion
    out["diagnoses"] = list(by_field.values())
    return out


class Diagnoses:
    """Every live product's diagnosis, made once: the diagnosis reads the product's full record."""

    def __init__(self, shop):
        self.by_id = {p.id: diagnosis(p) for p in shop.products if p.status == "ACTIVATE"}


def diagnoses(shop) -> Diagnoses:
    return derived(shop, Diagnoses)


RESOURCES = {
    "return_records": lambda shop: [{"return_id": r.id, "records": return_records(r)} for r in shop.returns],
    "product_diagnoses": lambda shop: [
        diagnoses(shop).by_id[p.id] for p in shop.products if p.status == "ACTIVATE" and p.id in diagnoses(shop).by_id
    ],
}
