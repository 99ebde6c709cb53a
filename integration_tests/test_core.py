"""The connector end to end against the sandbox: spec, check, discover, orders, tokens, incremental."""

import json
from pathlib import Path

import pytest
from airbyte_cdk.models import AirbyteStateMessageSerializer, Status, SyncMode

from integration_tests.harness import catalog_of, config_for, every_stream, run, token_calls, token_config, without_shop
from integration_tests.truth import CURSORS, by_key, expected_rows
from tiktok_shop_sandbox import Sandbox

DESIGN_FIELDS = {
    "auth_type", "app_key", "app_secret", "auth_code", "access_token", "access_token_expires_at", "refresh_token",
    "auth_url", "endpoint_url", "state_length", "response_type_key", "grant_type", "access_token_key", "refresh_token_key",
}  # fmt: skip
SECRETS = {"app_secret", "auth_code", "access_token", "refresh_token"}


def by_id(records):
    return {(record["shop_id"], record["id"]): record for record in records}


def test_spec_has_the_design_fields_and_marks_secrets():
    spec = run("spec").output.spec_messages[0].spec.connectionSpecification
    assert {"credentials", "start_date", "end_date", "shop_ids", "lookback_window_minutes"} <= set(spec["properties"])
    assert spec["required"] == ["credentials", "start_date"]
    (auth,) = spec["properties"]["credentials"]["oneOf"]
    assert set(auth["properties"]) == DESIGN_FIELDS
    assert {name for name, field in auth["properties"].items() if field.get("airbyte_secret")} == SECRETS
    assert auth["properties"]["auth_type"]["const"] == "tts_auth"
    assert auth["properties"]["grant_type"]["default"] == "authorized_code"
    assert auth["properties"]["state_length"]["default"] == 15
    assert auth["properties"]["auth_url"]["default"] == "https://auth.tiktok-shops.com"
    assert auth["properties"]["endpoint_url"]["default"] == "https://open-api.tiktokglobalshop.com"
    assert {name for name, field in auth["properties"].items() if field.get("group") == "advanced"} >= {
        "auth_url", "endpoint_url", "state_length", "response_type_key", "grant_type", "access_token_key", "refresh_token_key",
    }  # fmt: skip


def test_check_with_only_an_auth_code_spends_nothing_and_discover_exchanges_it_once(sandbox):
    """Airbyte checks a source before it exists and can keep no token for it: the code waits for discover."""
    config = config_for(sandbox)
    sandbox.clear_requests()
    checked = run("check", config)
    assert checked.connection_status.status == Status.SUCCEEDED
    assert "first discover or read" in checked.connection_status.message
    assert "30 minutes" in checked.connection_status.message
    assert not sandbox.requests, "check made a request"
    assert not checked.control_configs

    discovered = run("discover", config)
    assert not discovered.output.errors
    assert len(token_calls(sandbox)) == 1
    (persisted,) = discovered.control_configs
    credentials = persisted["credentials"]
    assert "auth_code" not in credentials, "the emitted config still holds the spent code"
    assert credentials["access_token"] and credentials["refresh_token"] and credentials["access_token_expires_at"]
    assert any("config_change_callback" in line for line in discovered.logs)
    checked = run("check", persisted)
    assert checked.connection_status.status == Status.SUCCEEDED
    assert "2 shop(s)" in checked.connection_status.message


def test_a_spent_auth_code_fails_a_read_of_every_stream_once_with_one_token_call(sandbox):
    spent = config_for(sandbox)
    run("discover", spent)  # the tokens of this exchange are not kept, as by a caller without config_change_callback
    assert run("check", spent).connection_status.status == Status.SUCCEEDED  # a check cannot tell
    sandbox.clear_requests()
    result = run("read", spent, every_stream())
    assert len(token_calls(sandbox)) == 1
    assert len(sandbox.requests) == 1, "the read went on after the token call failed"
    (error,) = result.error_messages
    assert "36004004" in error and "works once" in error and "config_change_callback" in error
    assert result.exit_code == 1
    assert "Traceback" not in result.text


def failing_configs(sandbox):
    """Configs whose tokens check uses; an auth code alone is not exchanged by a check."""
    return {
        "wrong app secret": (token_config(sandbox, access_token=None, app_secret="wrong-secret"), "app secret"),
        "unknown refresh token": (
            config_for(sandbox, auth_code=None, refresh_token="not-a-refresh-token"),
            "Authorize the app again",
        ),
        "unknown shop id": ({**token_config(sandbox), "shop_ids": ["123"]}, "shop_ids"),
        "unreachable API host": (
            token_config(sandbox, endpoint_url=CLOSED, auth_url=CLOSED, refresh_token=None),
            "`credentials.endpoint_url`",
        ),
        "unreachable token host": (
            token_config(sandbox, endpoint_url=CLOSED, auth_url=CLOSED, access_token=None),
            "`credentials.auth_url`",
        ),
        "plain http host": (config_for(sandbox, endpoint_url="http://example.com"), "https"),
    }


CLOSED = "http://127.0.0.1:9"


@pytest.mark.parametrize(
    "case",
    [
        "wrong app secret",
        "unknown refresh token",
        "unknown shop id",
        "unreachable API host",
        "unreachable token host",
        "plain http host",
    ],
)
def test_check_failures_say_what_to_fix(sandbox, case):
    config, hint = failing_configs(sandbox)[case]
    result = run("check", config)
    assert result.connection_status.status == Status.FAILED
    assert hint in result.connection_status.message
    assert "Traceback" not in result.connection_status.message


def test_check_with_no_authorized_shop():
    with Sandbox(seed=2, shops=0, orders=10) as empty:
        result = run("check", token_config(empty))
    assert result.connection_status.status == Status.FAILED
    assert "no shop" in result.connection_status.message


def test_discover_publishes_keys_cursors_and_sync_modes(sandbox):
    streams = {stream.name: stream for stream in run("discover", config_for(sandbox)).output.catalog.catalog.streams}
    assert streams["orders"].source_defined_primary_key == [["shop_id"], ["id"]]
    assert streams["orders"].default_cursor_field == ["update_time"]
    assert SyncMode.incremental in streams["orders"].supported_sync_modes
    assert streams["shops"].supported_sync_modes == [SyncMode.full_refresh]


def test_full_read_of_orders_equals_the_ground_truth(sandbox):
    result = run(
        "read", config_for(sandbox), catalog_of({"orders": SyncMode.full_refresh, "shops": SyncMode.full_refresh})
    )
    assert not result.output.errors, result.output.errors
    records = result.records("orders")
    assert len(records) == len(by_id(records)), "an order was emitted twice"
    truth = {(shop_id, order["id"]): order for shop_id, orders in sandbox.records("orders").items() for order in orders}
    assert by_id(records).keys() == truth.keys()
    for key, record in by_id(records).items():
        assert without_shop([record])[0] == truth[key]
    assert {record["id"] for record in result.records("shops")} == {shop["id"] for shop in sandbox.shops}


def test_incremental_sync_after_touching_orders_returns_those_orders(sandbox):
    config = config_for(sandbox)
    catalog = catalog_of({"orders": SyncMode.incremental})
    first = run("read", config, catalog)
    assert not first.output.errors
    state = first.state_of("orders")
    assert set(state) == {str(shop["id"]) for shop in sandbox.shops}, "state is kept per shop"

    touched = set(sandbox.touch("orders", 7))
    second = run("read", first.config_after(config), catalog, first.state)
    assert not second.output.errors
    returned = {record["id"] for record in second.records("orders")}
    assert touched <= returned
    overlap = returned - touched
    lookback = 60 * 60
    for shop_id, orders in sandbox.records("orders").items():
        for order in orders:
            if order["id"] in overlap:
                assert order["update_time"] >= state[shop_id]["update_time"] - lookback


def test_auth_code_only_config_persists_tokens_for_the_next_sync(sandbox):
    config = config_for(sandbox)
    catalog = catalog_of({"orders": SyncMode.incremental, "packages": SyncMode.incremental})
    sandbox.clear_requests()
    first = run("read", config, catalog)
    assert not first.output.errors
    assert len(token_calls(sandbox)) == 1
    stored = first.config_after(config)
    assert stored["credentials"]["refresh_token"] != sandbox.credentials["refresh_token"]
    assert "auth_code" not in stored["credentials"]
    (keep,) = [line for line in first.logs if "CONNECTOR_CONFIG" in line]
    assert "config_change_callback" in keep and "must keep" in keep
    second = run("read", stored, catalog, first.state)
    assert not second.output.errors, second.output.errors
    assert not second.control_configs, "a valid access token needs no refresh"


def test_an_access_token_expiring_mid_sync_is_refreshed_once_and_persisted(sandbox):
    config = token_config(sandbox)
    original = dict(config["credentials"])
    sandbox.inject("expired_token", count=1, path_contains="/order/")
    result = run("read", config, catalog_of({"orders": SyncMode.full_refresh}))
    assert not result.output.errors, result.output.errors
    assert len(result.records("orders")) == sum(len(orders) for orders in sandbox.records("orders").values())
    (persisted,) = result.control_configs
    assert persisted["credentials"]["access_token"] != original["access_token"]
    assert persisted["credentials"]["refresh_token"] != original["refresh_token"]


def test_expired_access_token_in_config_is_refreshed_before_use(sandbox):
    config = token_config(sandbox)
    config["credentials"]["access_token_expires_at"] = "2020-01-01T00:00:00Z"
    result = run("check", config)
    assert result.connection_status.status == Status.SUCCEEDED
    assert len(result.control_configs) == 1


def test_an_access_token_alone_is_used_until_tiktok_refuses_it(sandbox):
    token_only = token_config(sandbox, access_token_expires_at=None, refresh_token=None)
    result = run("check", token_only)
    assert result.connection_status.status == Status.SUCCEEDED
    assert not result.control_configs
    sandbox.expire_access_tokens()
    result = run("check", token_only)
    assert result.connection_status.status == Status.FAILED
    assert "no refresh token" in result.connection_status.message


def test_no_output_contains_a_secret(sandbox):
    config = config_for(sandbox)
    secrets = [config["credentials"]["app_secret"], config["credentials"]["auth_code"]]
    runs = [run("check", config), run("discover", config)]
    stored = runs[1].config_after(config)
    secrets += [stored["credentials"]["access_token"], stored["credentials"]["refresh_token"]]
    runs.append(run("discover", stored))
    runs.append(run("read", stored, catalog_of({"orders": SyncMode.incremental, "shops": SyncMode.full_refresh})))
    runs.append(run("check", config_for(sandbox, app_secret="wrong-secret-value")))
    # Failures quote TikTok's answers and the request's host: never the query, which holds the secret and the code.
    runs.append(
        run("read", config_for(sandbox, app_secret="wrong-secret-value"), catalog_of({"shops": SyncMode.full_refresh}))
    )
    runs.append(run("read", config, catalog_of({"shops": SyncMode.full_refresh})))  # the code is spent
    sandbox.inject("internal", count=2, path_contains="/authorization/")
    runs.append(run("read", stored, catalog_of({"shops": SyncMode.full_refresh})))
    assert [len(result.error_messages) for result in runs[-3:]] == [1, 1, 0]
    assert any("retry 2 of 6" in line for line in runs[-1].logs)
    for result in runs:
        # The control message is the one place tokens must appear: it is how the platform stores them.
        text = "\n".join(line for line in result.text.splitlines() if '"CONTROL"' not in line)
        for secret in secrets + ["wrong-secret-value"]:
            assert secret not in text
    assert runs[1].control_configs  # the tokens did reach the platform


END_OF_MARCH = 1743379200  # 2025-03-31T00:00:00Z, the sync's end_date (included)


def test_a_state_file_written_before_the_redesign_resumes_from_its_cursors():
    """`resources/state_written_before_the_redesign.json` is what the connector before the core redesign (440a1fb)
    left after an incremental sync of this sandbox up to 2025-02-15; a read from it goes on from each shop's cursor."""
    saved = json.loads((Path(__file__).parent / "resources" / "state_written_before_the_redesign.json").read_text())
    state = [AirbyteStateMessageSerializer.load(message) for message in saved]
    cursors = {message.stream.stream_descriptor.name: message.stream.stream_state.__dict__ for message in state}
    with Sandbox(seed=5, shops=2, orders=80, start="2025-01-01", end="2025-03-31") as sandbox:
        config = {**config_for(sandbox), "end_date": "2025-03-31T00:00:00Z", "lookback_window_minutes": 0}
        result = run("read", config, catalog_of({name: SyncMode.incremental for name in cursors}), state)
        assert not result.output.errors, result.output.errors
        for stream, by_shop in cursors.items():
            field, _ = CURSORS[stream]
            expected = [
                row
                for row in expected_rows(sandbox, stream)
                if by_shop[row["shop_id"]][field] <= row[field] <= END_OF_MARCH
            ]
            assert expected, f"the sandbox has nothing after the saved {stream} cursor to resume with"
            assert by_key(stream, result.records(stream)) == by_key(stream, expected), stream
            for shop_id, value in result.state_of(stream).items():
                assert value[field] >= by_shop[shop_id][field]
