"""The detail reads (return records, Get Activity, product diagnoses), the performance beyond the daily lists
(customer service, the shop performance score, hours, a video's products, the LIVE overview) and the affiliate
reads (sample fulfillments, the open-collaboration marketplace, creator outreach): each against the records it
derives from as the other endpoints serve them, and how it pages, filters and refuses."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

import pytest

from tiktok_shop_sandbox.data import World, derived

from .truth import D, by_id, call, ground_truth

ERR = 36009004
DATE_TOO_OLD = 66007004
MARKET_UNAVAILABLE = 22005010
RETURNS_PARAM = 25001001
DAY = 86400
PRIORITY = ("POOR", "FAIR", "GOOD", "EXCELLENT")
MARKET = "/affiliate_seller/202405/open_collaborations/products/search"
OUTREACH = "/affiliate_seller/202608/creator_outreach/records/query"
LIVE_OVERVIEW = "/analytics/202609/shop_lives/overview_performance"


def next_day(day: str, n: int = 1) -> str:
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=n)).isoformat()


# -- return records --------------------------------------------------------------------------------------------


def test_return_records_tell_each_returns_steps_in_time_order(every_market):
    roles = Counter()
    for shop_id, returns in ground_truth(every_market, "returns").items():
        timelines = by_id(ground_truth(every_market, "return_records")[shop_id], "return_id")
        assert set(timelines) == {r["return_id"] for r in returns}
        for ret in returns:
            records = timelines[ret["return_id"]]["records"]
            times = [r["create_time"] for r in records]
            assert times == sorted(times)
            assert times[0] == ret["create_time"] and times[-1] == ret["update_time"]
            first = records[0]
            assert (first["role"], first["reason_text"]) == ("BUYER", ret["return_reason_text"])
            assert all(not r["videos"] for r in records[1:])  # only buyers upload videos (TikTok's notes)
            shipped = [r for r in records if r["event"] == "BUYER_SHIP_ITEM"]
            assert bool(shipped) is bool(ret["return_tracking_number"])
            assert all(ret["return_tracking_number"] in r["note"] for r in shipped)
            roles.update(r["role"] for r in records)
    assert {"BUYER", "SELLER", "SYSTEM"} <= set(roles)


def test_return_records_over_http(client, sb):
    ret = sb.records("return_records")[sb.shops[0]["id"]][0]
    answer = call(client, sb, "GET", f"/return_refund/202309/returns/{ret['return_id']}/records", {"locale": "de-DE"})
    assert answer["data"] == {"records": ret["records"]}
    other = sb.records("returns")[sb.shops[1]["id"]][0]["return_id"]
    assert call(client, sb, "GET", f"/return_refund/202309/returns/{other}/records")["code"] == RETURNS_PARAM


# -- Get Activity ----------------------------------------------------------------------------------------------


def test_get_activity_is_the_searched_activity_with_its_products(every_market):
    now = every_market.now_ts
    for shop_id, activities in ground_truth(every_market, "promotion_activities").items():
        details = by_id(ground_truth(every_market, "promotion_activity_details")[shop_id], "activity_id")
        products = by_id(ground_truth(every_market, "products")[shop_id])
        units = defaultdict(list)  # product, SKU -> the creation times of their paid units
        for order in ground_truth(every_market, "orders")[shop_id]:
            if "paid_time" in order and order["status"] != "CANCELLED":
                for item in order["line_items"]:
                    units[item["product_id"]].append(order["create_time"])
                    units[item["sku_id"]].append(order["create_time"])
        assert set(details) == {a["id"] for a in activities}
        for activity in activities:
            detail = details[activity["id"]]
            same = {k: v for k, v in detail.items() if k not in ("products", "target_user_info", "benefit_products")}
            assert same == {("activity_id" if k == "id" else k): v for k, v in activity.items()}
            stop = min(activity["end_time"], now)
            if activity["status"] == "DEACTIVATED":  # it stopped when it was last changed
                stop = min(stop, activity["update_time"] // 1000)
            if activity["product_level"] == "SHOP":
                assert detail["products"] == []
            ended_long_ago = activity["end_time"] + 180 * DAY < now
            if ended_long_ago and activity["activity_type"] in ("FIXED_PRICE", "DIRECT_DISCOUNT", "FLASHSALE"):
                assert detail["products"] == []  # TikTok's notes: left out 180 days after the end
            for item in detail["products"]:
                product = products[item["id"]]
                assert product["create_time"] <= activity["create_time"] // 1000 or len(products) == 1
                sold = [t for t in units[item["id"]] if activity["begin_time"] <= t < stop]
                assert item["used_quantity"] == len(sold)
                assert ("skus" in item) is (activity["product_level"] == "VARIATION")
                for sku in item.get("skus", ()):
                    assert sku["id"] in {s["id"] for s in product["skus"]}
                    assert sku["used_quantity"] == sum(activity["begin_time"] <= t < stop for t in units[sku["id"]])


def test_get_activity_over_http(client, sb):
    detail = sb.records("promotion_activity_details")[sb.shops[0]["id"]][0]
    assert call(client, sb, "GET", f"/promotion/202309/activities/{detail['activity_id']}")["data"] == detail
    assert call(client, sb, "GET", "/promotion/202309/activities/1")["code"] == ERR


# -- diagnoses -------------------------------------------------------------------------------------------------


def test_diagnoses_are_of_live_products_and_tell_what_their_tier_lacks(every_market):
    for shop in every_market.shops:
        products = by_id(ground_truth(every_market, "products")[shop.id])
        diagnosed = ground_truth(every_market, "product_diagnoses")[shop.id]
        assert {d["id"] for d in diagnosed} == {p for p, row in products.items() if row["status"] == "ACTIVATE"}
        for d in diagnosed:
            results = [r for field in d["diagnoses"] for r in field["diagnosis_results"]]
            if shop.region != "US":
                assert "listing_quality" not in d and all("quality_tier" not in r for r in results)
                continue
            tier = products[d["id"]]["listing_quality_tier"]
            assert d["listing_quality"] == {"current_tier": tier, "remaining_recommendations": len(results)}
            assert all(PRIORITY.index(r["quality_tier"]) > PRIORITY.index(tier) for r in results)


def test_diagnoses_over_http_leave_out_products_not_live(client, sb):
    shop = sb.shops[0]["id"]
    diagnosed = sb.records("product_diagnoses")[shop]
    idle = next(p["id"] for p in sb.records("products")[shop] if p["status"] != "ACTIVATE")
    asked = [diagnosed[2]["id"], idle, diagnosed[0]["id"]]
    answer = call(client, sb, "GET", "/product/202405/products/diagnoses", {"product_ids": ",".join(asked)})
    assert answer["data"] == {"products": [diagnosed[2], diagnosed[0]]}
    refused = call(client, sb, "GET", "/product/202405/products/diagnoses", {"product_ids": ",".join(["1"] * 201)})
    assert refused["code"] == ERR and "product_ids" in refused["message"]


# -- customer service ------------------------------------------------------------------------------------------


def test_customer_service_over_a_week_is_its_days_added_up(client, sb):
    shop = sb.shops[0]["id"]
    days = sb.records("customer_service_performance")[shop]
    week = days[-14:-7]
    answer = call(
        client,
        sb,
        "GET",
        "/customer_service/202407/performance",
        {"support_date_ge": week[0]["date"], "support_date_lt": next_day(week[-1]["date"])},
    )
    total = answer["data"]["performance"]
    assert total["support_session_count"] == sum(d["support_session_count"] for d in week)
    assert D(total["cs_guided_gmv"]) == sum(D(d["cs_guided_gmv"]) for d in week)
    one = call(
        client,
        sb,
        "GET",
        "/customer_service/202407/performance",
        {"support_date_ge": week[0]["date"], "support_date_lt": week[1]["date"]},
    )
    assert one["data"]["performance"] == {k: v for k, v in week[0].items() if k != "date"}
    later = call(
        client,
        sb,
        "GET",
        "/customer_service/202407/performance",
        {"support_date_ge": next_day(days[-1]["date"]), "support_date_lt": next_day(days[-1]["date"], 5)},
    )
    assert later["code"] == 0 and later["data"] == {}  # no day of data yet: no performance
    older = call(
        client,
        sb,
        "GET",
        "/customer_service/202407/performance",
        {"support_date_ge": next_day(days[0]["date"], -1), "support_date_lt": days[0]["date"]},
    )
    assert older["code"] == DATE_TOO_OLD


def test_cs_guided_gmv_is_at_most_the_days_gmv(every_market):
    for shop_id, days in ground_truth(every_market, "customer_service_performance").items():
        sales = by_id(ground_truth(every_market, "shop_performance")[shop_id], "date")
        for day in days:
            assert D(day["cs_guided_gmv"]) <= D(sales[day["date"]]["sales"]["gmv"]["amount"])
            assert D(day["response_percentage"]) <= 100 and D(day["satisfaction_percentage"]) <= 100


# -- the shop performance score --------------------------------------------------------------------------------


def test_the_score_is_its_dimensions_and_its_dimensions_their_metrics(every_market):
    for shop in every_market.shops:
        overviews = ground_truth(every_market, "shop_performance_score")[shop.id]
        metrics = ground_truth(every_market, "shop_performance_score_metrics")[shop.id]
        if shop.region == "ID":  # the market without the score
            assert overviews == [] and metrics == []
            continue
        (overview,) = overviews
        assert [m["metric_code"] for m in metrics] == ["NRR", "NBFR", "SFCR", "OTDR", "AHT", "IM_DSAT"]
        weighted = []
        for dimension in overview["dimensions"]:
            scores = [D(m["score"]) for m in metrics if m["dimension"] == dimension["name"] and m["status"] != "NIL"]
            assert D(dimension["score"]) == round(sum(scores) / len(scores), 1)
            weighted.append((D(dimension["weight"]), D(dimension["score"])))
        assert D(overview["sps_score"]) == round(sum(w * s for w, s in weighted) / sum(w for w, _ in weighted), 1)
        weak = sorted((m for m in metrics if m["status"] in ("POOR", "CRITICAL")), key=lambda m: D(m["score"]))
        assert [i["metric_code"] for i in overview["top_issues"]["issues"]] == [m["metric_code"] for m in weak]
        assert all(m["end_evaluation_time"] == overview["update_time"] <= every_market.now_ts for m in metrics)
        assert [b["is_unlocked"] for b in overview["benefits"]] == [
            D(overview["sps_score"]) >= D(b["unlock_score"]) for b in overview["benefits"]
        ]


def test_the_seller_fault_cancellation_rate_is_the_orders(every_market):
    for shop in every_market.shops:
        if shop.region == "ID":
            continue
        (sfcr,) = [
            m
            for m in ground_truth(every_market, "shop_performance_score_metrics")[shop.id]
            if m["metric_code"] == "SFCR"
        ]
        start, end = sfcr["start_evaluation_time"], sfcr["end_evaluation_time"]
        paid = [o for o in ground_truth(every_market, "orders")[shop.id] if start <= o.get("paid_time", 0) < end]
        by_seller = [o for o in paid if o.get("cancellation_initiator") == "SELLER"]
        assert D(sfcr["value"]) == round(D(100 * len(by_seller)) / len(paid), 2)


def test_the_score_is_refused_in_its_market_without_it(fresh):
    sb, client = fresh(shops=3, orders=40)
    assert sb.shops[2]["region"] == "ID"
    for path in ("/analytics/202606/shop_performances/overview", "/analytics/202606/shop_performances/metrics"):
        refused = call(client, sb, "GET", path, {"locale": "en-US"}, shop=2)
        assert refused["code"] == MARKET_UNAVAILABLE and "(ID)" in refused["message"]
        assert call(client, sb, "GET", path, shop=0)["code"] == 0


# -- hours -----------------------------------------------------------------------------------------------------

ADDED_UP = ("orders_count", "items_sold", "sku_orders_count", "product_clicks", "product_impressions", "unique_clicks")
AMOUNTS = ("gmv", "live_attributed_gmv", "video_attributed_gmv", "product_card_attributed_gmv")


@pytest.mark.parametrize("currency", ["LOCAL", "USD"])
def test_a_days_hours_add_up_to_its_shop_performance(client, sb, currency):
    shop = sb.shops[0]["id"]
    days = sb.records("shop_performance")[shop]
    for day in days[-5:]:
        answer = call(
            client,
            sb,
            "GET",
            f"/analytics/202510/shop/performance/{day['date']}/performance_per_hour",
            {"currency": currency},
        )["data"]["performance"]
        hours = answer["intervals"]
        assert [h["index"] for h in hours] == list(range(24))
        daily = call(
            client,
            sb,
            "GET",
            "/analytics/202609/shop/performance",
            {"start_date_ge": day["date"], "end_date_lt": next_day(day["date"]), "currency": currency},
        )
        (interval,) = daily["data"]["performance"]["intervals"]
        sales, traffic = interval["sales"], interval["traffic"]
        for name in ADDED_UP:
            whole = sales.get(name, traffic.get(name))
            assert sum(h[name] for h in hours) == whole == answer["overall"][name], name
        for name in AMOUNTS:
            assert (
                sum(D(h[name]["amount"]) for h in hours)
                == D(sales[name]["amount"])
                == D(answer["overall"][name]["amount"])
            )
        assert answer["overall"]["customers_count"] == sales["customers_count"]


def test_hours_of_today_so_far_and_the_last_thirty_days_only(client, sb):
    shop = sb.shops[0]  # US: the sandbox's "now" (00:00 UTC after the end) is 16:00 there
    hourly = sb.records("shop_hourly_performance")[shop["id"]]
    today = max(h["date"] for h in hourly)
    assert len({h["date"] for h in hourly}) == 30
    answer = call(client, sb, "GET", f"/analytics/202510/shop/performance/{today}/performance_per_hour")["data"]
    assert [h["index"] for h in answer["performance"]["intervals"]] == list(range(16))
    assert answer["performance"]["latest_available_timestamp"] <= sb.world.now_ts
    old = call(client, sb, "GET", f"/analytics/202510/shop/performance/{next_day(today, -30)}/performance_per_hour")
    assert old["code"] == DATE_TOO_OLD
    ahead = call(client, sb, "GET", f"/analytics/202510/shop/performance/{next_day(today)}/performance_per_hour")
    assert ahead["code"] == 0 and ahead["data"]["performance"]["intervals"] == []
    bad = call(client, sb, "GET", "/analytics/202510/shop/performance/2025-6-1/performance_per_hour")
    assert bad["code"] == ERR


# -- the products of a video -----------------------------------------------------------------------------------


def test_a_videos_products_sell_at_most_what_the_video_sold(every_market):
    for shop_id, rows in ground_truth(every_market, "video_product_performance").items():
        videos = {(v["id"], v["date"]): v for v in ground_truth(every_market, "shop_video_performance")[shop_id]}
        by_video = defaultdict(list)
        for row in rows:
            by_video[(row["video_id"], row["date"])].append(row)
        assert set(by_video) == set(videos)  # every video on every day it is listed
        for key, products in by_video.items():
            video = videos[key]
            assert {p["id"] for p in products} == {p["id"] for p in video["products"]}
            assert sum(D(p["gmv"]["amount"]) for p in products) <= D(video["gmv"]["amount"])
            assert sum(p["units_sold"] for p in products) <= video["items_sold"]


def test_a_videos_products_page_in_each_sort_order(client, sb):
    shop = sb.shops[0]["id"]
    rows = sb.records("video_product_performance")[shop]
    counts = Counter((r["video_id"], r["date"]) for r in rows)
    (video, day), _ = counts.most_common(1)[0]
    truth = [
        {k: v for k, v in r.items() if k not in ("video_id", "date")}
        for r in rows
        if (r["video_id"], r["date"]) == (video, day)
    ]
    path = f"/analytics/202509/shop_videos/{video}/products/performance"
    dates = {"start_date_ge": day, "end_date_lt": next_day(day)}
    listed, pages = client.page_all(
        "GET", path, {**dates, "page_size": 1}, key="products", shop_cipher=sb.shops[0]["cipher"]
    )
    assert pages == len(truth) > 1
    assert [r["gmv"]["amount"] for r in listed] == sorted((r["gmv"]["amount"] for r in truth), key=D, reverse=True)
    listed, _ = client.page_all(
        "GET",
        path,
        {**dates, "sort_field": "units_sold", "sort_order": "ASC"},
        key="products",
        shop_cipher=sb.shops[0]["cipher"],
    )
    assert [r["units_sold"] for r in listed] == sorted(r["units_sold"] for r in truth)
    assert sorted(listed, key=lambda r: r["id"]) == sorted(truth, key=lambda r: r["id"])
    missing = call(client, sb, "GET", "/analytics/202509/shop_videos/1/products/performance", dates)
    assert missing["code"] == ERR and "video_id" in missing["message"]


# -- the LIVE overview -----------------------------------------------------------------------------------------


def test_the_live_overview_adds_up_the_days_sessions(every_market):
    for shop_id, intervals in ground_truth(every_market, "live_overview_performance").items():
        sessions = defaultdict(list)
        for row in ground_truth(every_market, "shop_live_performance")[shop_id]:
            sessions[row["date"]].append(row)
        for interval in intervals:
            day = sessions[interval["start_date"]]
            assert interval["end_date"] == next_day(interval["start_date"])
            assert D(interval["live_gmv"]["amount"]) == sum(
                D(s["sales_performance"]["live_gmv"]["amount"]) for s in day
            )
            assert interval["views"] == sum(s["traffic"]["views"] for s in day)
            assert interval["live_attributed_items_sold"] == sum(
                s["sales_performance"]["live_attributed_items_sold"] for s in day
            )


def test_the_live_overview_by_account_type_and_over_a_week(client, sb):
    shop = sb.shops[0]["id"]
    week = sb.records("live_overview_performance")[shop][-7:]
    dates = {"start_date_ge": week[0]["start_date"], "end_date_lt": week[-1]["end_date"]}
    answer = call(client, sb, "GET", LIVE_OVERVIEW, {**dates, "granularity": "1D"})["data"]
    assert answer["performance"]["intervals"] == week
    (whole,) = call(client, sb, "GET", LIVE_OVERVIEW, dates)["data"]["performance"]["intervals"]
    assert whole["views"] == sum(day["views"] for day in week)
    sessions = [
        s
        for s in sb.records("shop_live_performance")[shop]
        if dates["start_date_ge"] <= s["date"] < dates["end_date_lt"]
    ]
    for account_type, kinds in (
        ("AFFILIATE_ACCOUNTS", {"AFFILIATE_ACCOUNTS"}),
        ("LINKED_ACCOUNTS", {"OFFICIAL_ACCOUNTS", "MARKETING_ACCOUNTS"}),
    ):
        (part,) = call(client, sb, "GET", LIVE_OVERVIEW, {**dates, "account_type": account_type})["data"][
            "performance"
        ]["intervals"]
        assert part["views"] == sum(s["traffic"]["views"] for s in sessions if s["account_type"] in kinds)


# -- sample fulfillments, the marketplace, outreach ------------------------------------------------------------


def test_only_completed_sample_applications_have_content_of_their_product(every_market):
    formats = Counter()
    for shop_id, applications in ground_truth(every_market, "sample_applications").items():
        fulfilled = defaultdict(list)
        for f in ground_truth(every_market, "sample_application_fulfillments")[shop_id]:
            fulfilled[f["application_id"]].append(f)
        created = {a["id"]: a for a in applications}
        for app in applications:
            found = fulfilled.get(app["id"], [])
            assert bool(found) is (app["status"] == "COMPLETED")
            for f in found:
                assert f["product"]["id"] == app["product"]["id"]
                assert ("live_end_time" in f["content"]) is (f["content"]["format"] == "LIVE")
                assert f"@{app['creator']['username']}/" in f["content"]["page_link"]  # its creator's
                assert f["content"]["create_time"] <= every_market.now_ts
                formats[f["content"]["format"]] += 1
        assert set(fulfilled) <= set(created)
    assert formats["VIDEO"] and formats["LIVE"], formats


def test_sample_fulfillments_by_content_format(client, sb):
    shop = sb.shops[0]["id"]
    rows = sb.records("sample_application_fulfillments")[shop]
    app = rows[0]["application_id"]
    path = f"/affiliate_seller/202409/sample_applications/{app}/fulfillments/search"
    mine = [{k: v for k, v in r.items() if k != "application_id"} for r in rows if r["application_id"] == app]
    assert call(client, sb, "POST", path, body={})["data"] == {"fulfillments": mine}
    for kind in ("LIVE", "VIDEO"):
        answer = call(client, sb, "POST", path, body={"content_format": kind})["data"]["fulfillments"]
        assert answer == [f for f in mine if f["content"]["format"] == kind]
    assert call(client, sb, "POST", "/affiliate_seller/202409/sample_applications/1/fulfillments/search")["code"] == ERR


def test_the_marketplace_holds_the_regions_open_collaborations(every_market):
    for shop in every_market.shops:
        market = by_id(ground_truth(every_market, "open_collaboration_products")[shop.id])
        products = by_id(ground_truth(every_market, "products")[shop.id])
        own = {c["product"]["id"]: c for c in ground_truth(every_market, "open_collaborations")[shop.id]}
        live = {pid for pid in own if products[pid]["status"] == "ACTIVATE"}
        assert {pid for pid, row in market.items() if row["shop"]["name"] == shop.name} == live
        for pid in live:
            assert market[pid]["commission"]["rate"] == own[pid]["current_commission"]["rate"]
            prices = [D(s["price"]["sale_price"]) for s in products[pid]["skus"]]
            assert (
                D(market[pid]["sales_price"]["minimum_amount"]),
                D(market[pid]["sales_price"]["maximum_amount"]),
            ) == (
                min(prices),
                max(prices),
            )
        assert all(row["sale_region"] == shop.region for row in market.values())
        assert len(market) > len(live)  # other sellers of the region too


def _market(client, sb, body: dict, params=None) -> list[dict]:
    listed, _ = client.page_all(
        "POST", MARKET, {"page_size": 20, **(params or {})}, body, key="products", shop_cipher=sb.shops[0]["cipher"]
    )
    return listed


def test_the_marketplace_pages_sorts_and_filters(client, sb):
    truth = sb.records("open_collaboration_products")[sb.shops[0]["id"]]
    listed = _market(client, sb, {})
    assert [r["commission"]["rate"] for r in listed] == sorted(r["commission"]["rate"] for r in truth)
    assert sorted(listed, key=lambda r: r["id"]) == sorted(truth, key=lambda r: r["id"])
    by_units = _market(client, sb, {}, {"sort_field": "units_sold", "sort_order": "DESC"})
    assert [r["units_sold"] for r in by_units] == sorted((r["units_sold"] for r in truth), reverse=True)
    word = truth[0]["title"].split()[-1]
    found = _market(client, sb, {"title_keywords": [word.upper(), truth[0]["title"].split()[0]]})
    assert truth[0] in found and all(
        word.lower() in r["title"].lower() and truth[0]["title"].split()[0].lower() in r["title"].lower() for r in found
    )
    category = truth[0]["category_chains"][0]["id"]
    found = _market(client, sb, {"category": {"id": category}})
    assert found and sorted(r["id"] for r in found) == sorted(
        r["id"] for r in truth if category in {c["id"] for c in r["category_chains"]}
    )
    low = sorted(D(r["sales_price"]["minimum_amount"]) for r in truth)[len(truth) // 2]
    found = _market(
        client, sb, {"sales_price_range": {"amount_ge": str(low)}, "commission_rate_range": {"rate_lt": 2000}}
    )
    assert sorted(r["id"] for r in found) == sorted(
        r["id"] for r in truth if D(r["sales_price"]["minimum_amount"]) >= low and r["commission"]["rate"] < 2000
    )
    for size in (0, 21):
        assert call(client, sb, "POST", MARKET, {"page_size": size}, {})["code"] == ERR
    refused = call(client, sb, "POST", MARKET, {"page_size": 5}, {"title_keywords": ["x"] * 21})
    assert refused["code"] == ERR and "title_keywords" in refused["message"]


def test_creator_outreach_pages_by_index(client, sb):
    shop = sb.shops[0]["id"]
    truth = sb.records("creator_outreach_records")[shop]
    applications = sb.records("sample_applications")[shop]
    paired = {
        a["creator"]["creator_open_id"] for a in applications if a["status"] not in ("PENDING", "REJECT_CANCELLED")
    }
    assert {r["creator_open_id"] for r in truth if r["is_paired"]} == paired & {r["creator_open_id"] for r in truth}
    pages, index = [], 1
    while True:
        data = call(client, sb, "POST", OUTREACH, body={"page_index": index, "page_size": 7})["data"]["data"]
        assert data["total"] == len(truth)
        if not data["connect_list"]:
            break
        pages.extend(data["connect_list"])
        index += 1
    assert pages == truth and index == -(-len(truth) // 7) + 1
    for body in (
        {"page_index": 0, "page_size": 5},
        {"page_index": 1, "page_size": 1},
        {"page_index": 1, "page_size": 51},
    ):
        assert call(client, sb, "POST", OUTREACH, body=body)["code"] == ERR, body


def test_a_product_the_seller_deletes_leaves_the_marketplace(fresh):
    sb, client = fresh(shops=1, orders=120)
    shop = sb.shops[0]
    own = [r for r in sb.records("open_collaboration_products")[shop["id"]] if r["shop"]["name"] == shop["name"]]
    sb.delete_product(own[0]["id"])
    listed = _market(client, sb, {})
    assert own[0]["id"] not in {r["id"] for r in listed}
    assert len(listed) == len(sb.records("open_collaboration_products")[shop["id"]])


def test_the_derived_families_are_made_on_first_use_only():
    world = World(shops=2, orders=50)
    assert not any(shop in derived._FAMILIES for shop in world.shops)  # the world costs what it did
    world.records("order_price_details")
    assert all(shop in derived._FAMILIES for shop in world.shops)


def test_get_activity_tells_the_activitys_update_time_after_a_touch(fresh):
    sb, client = fresh(shops=1, orders=60)
    (touched,) = sb.touch("promotion_activities", 1)
    (now,) = [a for a in sb.records("promotion_activities")[sb.shops[0]["id"]] if a["id"] == touched]
    answer = call(client, sb, "GET", f"/promotion/202309/activities/{touched}")["data"]
    assert answer["update_time"] == now["update_time"]
