"""Bad input fails cleanly: a FAILED status naming the field, no traceback, no secret, no request."""

import copy

import pendulum
import pytest
from airbyte_cdk.models import Status, SyncMode

from integration_tests.harness import catalog_of, run

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


def test_a_bad_config_stops_a_read_before_any_request():
    config, _ = BAD_CONFIGS["end date before start date"]
    result = run("read", config, catalog_of({"orders": SyncMode.incremental}))
    assert result.output.errors
    assert "end_date" in result.output.errors[-1].trace.error.message
