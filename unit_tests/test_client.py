"""The TikTok client against the CDK's HTTP mocker: paging, the token renewed on 105002, retries, a version refused."""

import json
import logging
from unittest import TestCase

from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse
from airbyte_cdk.test.mock_http.request import ANY_QUERY_PARAMS
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_tiktok_shop.tiktok.client import ClientSettings, TikTokClient
from source_tiktok_shop.tiktok.endpoints import ENDPOINTS, Query, Shop, Window
from source_tiktok_shop.tiktok.errors import ShopNotEligible

HOST = "https://open-api.test"
SETTINGS = ClientSettings("key", "secret", HOST, HOST, requests_per_second_per_shop=1_000)
SHOP = Shop("1", "cipher-1", "US", {})


def answer(data: dict | None = None, code: int = 0, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps({"code": code, "message": "m", "request_id": "r", "data": data}), status)


def api(path: str, token: str | None = None) -> HttpRequest:
    return HttpRequest(f"{HOST}{path}", ANY_QUERY_PARAMS, headers={"x-tts-access-token": token} if token else None)


def client(persisted: list | None = None, max_retries: int = 2) -> TikTokClient:
    config = {
        "credentials": {
            "app_key": "key",
            "app_secret": "secret",
            "access_token": "old",
            "access_token_expires_at": "2999-01-01T00:00:00Z",
            "refresh_token": "refresh",
        }
    }
    persist = persisted.append if persisted is not None else (lambda config: None)
    return TikTokClient(config, SETTINGS, logging.getLogger("test"), max_retries, persist=persist)


class TikTokClientTest(TestCase):
    def test_given_chained_page_tokens_when_reading_then_every_page_is_read_once(self) -> None:
        with HttpMocker() as mocker:
            pages = [
                answer({"brands": [{"id": str(n)}], "next_page_token": "a+b/c" if n == 0 else ""}) for n in range(2)
            ]
            brands = api("/product/202309/brands")
            mocker.get(brands, pages)
            read = list(client().pages(Query(ENDPOINTS["brands"], SHOP)))
            mocker.assert_number_of_calls(brands, 2)
        assert [page.next_page_token for page in read] == ["a+b/c", None]

    def test_given_105002_for_the_current_token_then_it_is_renewed_once_persisted_and_the_request_retried(self) -> None:
        persisted: list = []
        with HttpMocker() as mocker:
            mocker.get(api("/authorization/202309/shops", "old"), answer(code=105002))
            mocker.get(api("/authorization/202309/shops", "new"), answer({"shops": [{"id": "1", "cipher": "c"}]}))
            refresh = HttpRequest(f"{HOST}/api/v2/token/refresh", ANY_QUERY_PARAMS)
            renewed = {"access_token": "new", "refresh_token": "refresh-2", "access_token_expire_in": 4_102_444_800}
            mocker.get(refresh, answer(renewed))
            shops = client(persisted).shops()
            mocker.assert_number_of_calls(refresh, 1)
        assert [shop.id for shop in shops] == ["1"]
        (config,) = persisted
        assert config["credentials"]["refresh_token"] == "refresh-2"
        assert config["credentials"]["access_token_expires_at"] == "2100-01-01T00:00:00Z"

    def test_given_a_rate_limit_answer_then_the_request_is_retried(self) -> None:
        with HttpMocker() as mocker:
            mocker.get(
                api("/logistics/202309/warehouses"),
                [answer(code=36009002, status=429), answer({"warehouses": [{"id": "w"}]})],
            )
            (page,) = client().pages(Query(ENDPOINTS["warehouses"], SHOP))
        assert page.records == [{"id": "w"}]

    def test_given_the_only_version_refused_where_tiktok_retired_the_older_then_the_shop_is_not_eligible(self) -> None:
        """Payments 202309 is retired: a shop refused 202605 has no payments to read, and is skipped (a refusal the
        read goes on from), not failed with advice to upgrade the connector."""
        with HttpMocker() as mocker:
            mocker.get(api("/finance/202605/payments"), answer(code=36009014, status=404))
            with self.assertRaisesRegex(ShopNotEligible, "202605.*retired 202309 on 2026-08-15"):
                list(client().pages(Query(ENDPOINTS["payments"], SHOP, Window(0, 10))))

    def test_given_the_only_version_refused_where_nothing_was_retired_then_the_sync_fails_naming_it(self) -> None:
        with HttpMocker() as mocker:
            mocker.get(api("/product/202309/brands"), answer(code=36009014, status=404))
            with self.assertRaisesRegex(AirbyteTracedException, "brands version 202309.*upgrade the connector"):
                list(client().pages(Query(ENDPOINTS["brands"], SHOP)))

    def test_given_a_page_token_that_leads_back_to_the_first_page_then_the_page_before_is_asked_again(self) -> None:
        def brands(ids: list[str], token: str) -> HttpResponse:
            return answer({"brands": [{"id": n} for n in ids], "next_page_token": token})

        with HttpMocker() as mocker:
            # page 1 names a token that leads back to page 1; asked again, it names the right one
            mocker.get(
                api("/product/202309/brands"),
                [brands(["1"], "loop"), brands(["1"], "two"), brands(["1"], "two"), brands(["2"], "")],
            )
            read = [
                record["id"] for page in client().pages(Query(ENDPOINTS["brands"], SHOP)) for record in page.records
            ]
        assert read == ["1", "2"]

    def test_given_page_tokens_that_keep_looping_then_the_query_ends_with_an_error_naming_it(self) -> None:
        with HttpMocker() as mocker:
            mocker.get(api("/product/202309/brands"), answer({"brands": [{"id": "1"}], "next_page_token": "again"}))
            with self.assertRaisesRegex(AirbyteTracedException, "brands for shop 1 kept leading back to pages already"):
                list(client().pages(Query(ENDPOINTS["brands"], SHOP)))

    def test_given_a_page_that_fails_its_check_then_it_is_asked_again_and_if_it_keeps_failing_named(self) -> None:
        def checked(problem: str | None) -> TikTokClient:
            tiktok = client()
            tiktok.page_checks = {"brands": lambda page: problem if page.records[0]["id"] == "bad" else None}
            return tiktok

        with HttpMocker() as mocker:
            brands = api("/product/202309/brands")
            mocker.get(brands, [answer({"brands": [{"id": "bad"}]}), answer({"brands": [{"id": "good"}]})])
            (page,) = checked("`id` is a number").pages(Query(ENDPOINTS["brands"], SHOP))
            assert page.records == [{"id": "good"}]
        with HttpMocker() as mocker:
            mocker.get(api("/product/202309/brands"), answer({"brands": [{"id": "bad"}]}))
            with self.assertRaisesRegex(
                AirbyteTracedException, "brands for shop 1 is not what its model says: `id` is a"
            ):
                list(checked("`id` is a number").pages(Query(ENDPOINTS["brands"], SHOP)))
