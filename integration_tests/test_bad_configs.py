"""Bad input fails cleanly: a FAILED status naming the field, no traceback, no secret, no request."""

import copy
import json

import pendulum
import pytest
from airbyte_cdk.models import Status, SyncMode

from integration_tests.harness import STREAM_NAMES, catalog_of, run, token_config

SECRET = "s3cr3t-app-secret-value"
CODE = "auth-code-value-123"
GOOD = {
    "credentials": {
        "auth_type": "tts_auth",
        "app_key": "app-key",
        "app_secret": SECRET,
        "auth_code": CODE,
        "auth_url": "http://127.0.0.1:9",
        "endpoint_url": "http://127.0.0.1:9",
    },
    "start_date": "2025-01-01T00:00:00Z",
}


def changed(path: str, value: object) -> dict:
    config = copy.deepcopy(GOOD)
    *parents, key = path.split(".")
    target = config
    for parent in parents:
        target = target[parent]
    if value is DELETE:
        del target[key]
    else:
        target[key] = value
    return config


DELETE = object()
FUTURE = pendulum.now("UTC").add(days=30).strftime("%Y-%m-%dT%H:%M:%SZ")

BAD_CONFIGS = {
    "no credentials": (changed("credentials", DELETE), "credentials"),
    "no app key": (changed("credentials.app_key", DELETE), "credentials.app_key"),
    "no app secret": (changed("credentials.app_secret", DELETE), "credentials.app_secret"),
    "app key not a string": (changed("credentials.app_key", 12345), "credentials.app_key"),
    "no auth code nor token": (changed("credentials.auth_code", DELETE), "credentials.auth_code"),
    "plain http to a public host": (
        changed("credentials.endpoint_url", "http://open-api.example.com"),
        "credentials.endpoint_url",
    ),
    "token host not a URL": (changed("credentials.auth_url", "auth.tiktok-shops.com"), "credentials.auth_url"),
    "unknown grant type": (changed("credentials.grant_type", "password"), "credentials.grant_type"),
    "no start date": (changed("start_date", DELETE), "start_date"),
    "unparsable start date": (changed("start_date", "01/02/2025"), "start_date"),
    "impossible start date": (changed("start_date", "2025-02-30T00:00:00Z"), "start_date"),
    "start date in the future": (changed("start_date", FUTURE), "start_date"),
    "end date before start date": (changed("end_date", "2024-06-01T00:00:00Z"), "end_date"),
    "shop ids not a list": (changed("shop_ids", "7495"), "shop_ids"),
    "negative lookback": (changed("lookback_window_minutes", -5), "lookback_window_minutes"),
    "zero workers": (changed("num_workers", 0), "num_workers"),
    "state length too short": (changed("credentials.state_length", 2), "credentials.state_length"),
    "unknown analytics currency": (changed("analytics_currency", "EUR"), "analytics_currency"),
    "negative analytics lookback": (changed("analytics_lookback_days", -1), "analytics_lookback_days"),
    "negative budget wait": (changed("budget_wait_minutes", -1), "budget_wait_minutes"),
    "budget wait beyond a day": (changed("budget_wait_minutes", 1441), "budget_wait_minutes"),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_bad_config_fails_cleanly_naming_the_field(case):
    config, field = BAD_CONFIGS[case]
    result = run("check", config)
    status = result.connection_status
    assert status.status == Status.FAILED
    assert f"`{field}`" in status.message, status.message
    assert "Traceback" not in result.text
    assert SECRET not in result.text and CODE not in result.text


def assert_one_clean_error(result, *says: str) -> str:
    (error,) = result.error_messages
    for text in says:
        assert text in error, error
    assert result.exit_code == 1
    assert "Traceback" not in result.text
    assert not [line for line in result.logs if "Retrying in" in line], "a request was made"
    assert SECRET not in result.text and CODE not in result.text
    return error


def test_a_bad_config_stops_a_read_once_without_a_traceback():
    config, _ = BAD_CONFIGS["end date before start date"]
    result = run("read", config, catalog_of({"orders": SyncMode.incremental, "returns": SyncMode.incremental}))
    assert_one_clean_error(result, "`end_date`")


def test_a_misspelled_stream_is_named_with_the_streams_there_are():
    result = run("read", GOOD, catalog_of({"orders": SyncMode.incremental, "order": SyncMode.full_refresh}))
    error = assert_one_clean_error(result, "`order`")
    assert all(name in error for name in STREAM_NAMES)


STATE_OF_ORDERS = {"type": "STREAM", "stream": {"stream_descriptor": {"name": "orders"}, "stream_state": {}}}


def state_of_orders(stream_state: object) -> dict:
    return {**STATE_OF_ORDERS, "stream": {**STATE_OF_ORDERS["stream"], "stream_state": stream_state}}


@pytest.mark.parametrize(
    "state, says",
    [
        ([state_of_orders({"update_time": 1735689600})], '{"<shop_id>": {"update_time": <Unix seconds>}}'),
        ([state_of_orders({"7494": {"update_time": "2025-01-01"}})], "'7494'"),
        ({"orders": {"7494": {"update_time": 1735689600}}}, '"type": "STREAM"'),
        (["orders"], '"type": "STREAM"'),
        ([{"type": "STATE", "state": {"type": "SHOP"}}], '"type": "STREAM"'),
    ],
    ids=["a single cursor", "a cursor that is not Unix seconds", "legacy by-stream object", "not messages", "bad type"],
)
def test_a_state_of_another_form_is_refused_naming_the_form(state, says):
    catalog = catalog_of({"orders": SyncMode.incremental})
    result = run("read", GOOD, catalog, json.dumps(state))
    assert_one_clean_error(result, says)


@pytest.mark.parametrize(
    "catalog, says",
    [
        ({"streams": [{"stream": {"name": "orders"}, "sync_mode": "incremental"}]}, "json_schema"),
        ({"streams": [{"name": "orders"}]}, "stream"),
        (["orders"], "configured catalog"),
    ],
    ids=["stream without schema", "discover's streams", "a list of names"],
)
def test_a_guessed_catalog_is_explained(catalog, says):
    result = run("read", GOOD, json.dumps(catalog))
    assert_one_clean_error(result, says, "source-tiktok-shop catalog")


def test_a_catalog_that_is_not_json_is_explained():
    result = run("read", GOOD, '{"streams": [')
    assert_one_clean_error(result, "is not JSON", "line 1")


def test_the_state_lines_a_read_printed_are_a_state_file(sandbox):
    """The raw STATE messages, as a person saves them from a read's output (`grep '"STATE"'`): as lines or a list."""
    config = token_config(sandbox)
    catalog = catalog_of({"orders": SyncMode.incremental, "returns": SyncMode.incremental})
    first = run("read", config, catalog)
    lines = [line for line in first.messages if line.startswith("{") and '"type":"STATE"' in line]
    assert lines
    everything = sum(len(orders) for orders in sandbox.records("orders").values())
    last_of_orders = [line for line in lines if '"name":"orders"' in line][-1]
    for saved in ("\n".join(lines), f"[{', '.join(lines)}]", last_of_orders):
        resumed = run("read", config, catalog, saved)
        assert not resumed.output.errors, resumed.error_messages
        assert len(resumed.records("orders")) < everything, "the saved state was not used"
