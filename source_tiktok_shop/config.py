"""Reads and checks the user's configuration before any request is made."""

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlparse

import jsonschema
import pendulum
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .reading.windows import SyncBounds
from .tiktok.client import ClientSettings

DEFAULT_AUTH_URL = "https://auth.tiktok-shops.com"
DEFAULT_ENDPOINT_URL = "https://open-api.tiktokglobalshop.com"
DEFAULT_NUM_WORKERS = 16
MAX_BUDGET_WAIT_MINUTES = 1440  # TikTok's longest budget window known, the day's
GRANT_TYPES = ("authorized_code", "authorization_code")
# The currency of the analytics streams' amounts: the shop's own (TikTok's default) or US dollars.
ANALYTICS_CURRENCIES = ("LOCAL", "USD")
# The systems an order's external references may be on (the `platform` enum of Get External Order References).
EXTERNAL_ORDER_PLATFORMS = (
    "AMAZON",
    "BIGCOMMERCE",
    "CHANNEL_ADVISOR",
    "ERP_SYSTEM",
    "MAGENTO",
    "ORDER_MANAGEMENT_SYSTEM",
    "SALESFORCE_COMMERCE_CLOUD",
    "SHOPIFY",
    "WAREHOUSE_MANAGEMENT_SYSTEM",
    "WOOCOMMERCE",
)


class ConfigError(AirbyteTracedException):
    """A problem the user fixes in the connector's settings; never retried, never a traceback."""

    def __init__(self, field: str, problem: str):
        super().__init__(message=f"Invalid configuration: `{field}` {problem}", failure_type=FailureType.config_error)


@dataclass
class Settings:
    app_key: str
    app_secret: str
    auth_url: str
    endpoint_url: str
    start: pendulum.DateTime
    end: pendulum.DateTime | None
    shop_ids: tuple[str, ...]
    lookback_minutes: int | None
    num_workers: int
    requests_per_second_per_shop: float | None  # a ceiling; None: the rate policy finds TikTok's quota
    analytics_currency: str = "LOCAL"
    analytics_lookback_days: int | None = None  # None: the streams' default
    external_order_platforms: tuple[str, ...] = ()
    budget_wait_minutes: int = 0  # how long a sync may wait for a shop's spent request budget (0: it does not)

    @cached_property
    def sync_end(self) -> int:
        """Where every incremental window of this sync ends (exclusive): `end_date` or now, the same for all streams."""
        now = pendulum.now("UTC")
        end = min(self.end, now) if self.end else now
        # Includes the current second; a later sync reads it again through the lookback anyway.
        return int(end.timestamp()) + 1

    @property
    def bounds(self) -> SyncBounds:
        return SyncBounds(
            int(self.start.timestamp()), self.sync_end, self.lookback_minutes, self.analytics_lookback_days
        )

    @property
    def options(self) -> dict[str, Any]:
        """The config fields a stream's queries may take values from (`query_from_config`, `ConfigValues`)."""
        return {
            "analytics_currency": self.analytics_currency,
            "external_order_platforms": self.external_order_platforms,
        }

    @property
    def client(self) -> ClientSettings:
        return ClientSettings(
            self.app_key,
            self.app_secret,
            self.auth_url,
            self.endpoint_url,
            self.requests_per_second_per_shop,
            max_in_flight=self.num_workers,
            budget_wait_minutes=self.budget_wait_minutes,
        )


def _text(section: Mapping[str, Any], key: str, field: str, required: bool = False) -> str:
    value = section.get(key)
    if value is None or value == "":
        if required:
            raise ConfigError(field, "is required.")
        return ""
    if not isinstance(value, str):
        raise ConfigError(field, f"must be a string, got {type(value).__name__}.")
    return value.strip()


def _host(section: Mapping[str, Any], key: str, default: str) -> str:
    field = f"credentials.{key}"
    url = _text(section, key, field) or default
    parsed = urlparse(url)
    if parsed.scheme not in ("https", "http") or not parsed.hostname:
        raise ConfigError(field, f"must be an https:// URL such as {default}.")
    if parsed.scheme == "http" and not _is_loopback(parsed.hostname):
        raise ConfigError(
            field, "must use https://; plain http:// is accepted only for loopback addresses (a local sandbox)."
        )
    return url.rstrip("/")


def _is_loopback(hostname: str) -> bool:
    if hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def parse_datetime(value: Any, field: str) -> pendulum.DateTime:
    if not isinstance(value, str):
        raise ConfigError(field, "must be a date-time string like 2025-01-01T00:00:00Z.")
    try:
        parsed = pendulum.parse(value, tz="UTC", strict=False)
    except (ValueError, pendulum.parsing.exceptions.ParserError):
        raise ConfigError(field, f"is not a date-time like 2025-01-01T00:00:00Z (got {value!r}).") from None
    if isinstance(parsed, pendulum.DateTime):
        return parsed.in_timezone("UTC")
    if isinstance(parsed, pendulum.Date):
        return pendulum.datetime(parsed.year, parsed.month, parsed.day, tz="UTC")
    raise ConfigError(field, f"is not a date-time like 2025-01-01T00:00:00Z (got {value!r}).")


def _positive_number(config: Mapping[str, Any], key: str, default: Any, kind: type) -> Any:
    value = config.get(key, default)
    if value is None:
        return default
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or value <= 0
        or (kind is int and value != int(value))
    ):
        raise ConfigError(key, f"must be a positive {'whole ' if kind is int else ''}number.")
    return kind(value)


def _whole_number(config: Mapping[str, Any], key: str, unit: str) -> int | None:
    value = config.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ConfigError(key, f"must be a whole number of {unit}, 0 or more.")
    return value


def validate_config(config: Mapping[str, Any], spec_schema: Mapping[str, Any]) -> Settings:
    """Checks the config against the spec, then its meaning, naming the field at fault.

    Messages never repeat the value given: it may be a secret.
    """
    error = jsonschema.exceptions.best_match(jsonschema.Draft7Validator(spec_schema).iter_errors(config))
    if error is not None:
        path = ".".join(str(part) for part in error.absolute_path)
        if error.validator == "required":
            missing = next(name for name in error.validator_value if name not in error.instance)
            raise ConfigError(f"{path}.{missing}" if path else missing, "is required.")
        raise ConfigError(path or "config", _expectation(str(error.validator), error.validator_value, path))
    return parse_settings(config)


def _expectation(validator: str, value: Any, path: str) -> str:
    if validator == "type":
        return f"must be of type {value}."
    if validator == "pattern":
        return "does not have the expected format" + (
            " (like 2025-01-01T00:00:00Z)." if "date" in path else f" ({value})."
        )
    if validator == "enum":
        return f"must be one of {', '.join(map(str, value))}."
    bounds = {"const": "be", "minimum": "be at least", "maximum": "be at most", "exclusiveMinimum": "be more than"}
    if validator in bounds:
        return f"must {bounds[validator]} {value}."
    return f"is not valid ({validator})."


def parse_settings(config: Mapping[str, Any]) -> Settings:
    credentials = config.get("credentials")
    if not isinstance(credentials, Mapping):
        raise ConfigError("credentials", "is required: app key, app secret and an auth code or refresh token.")
    app_key = _text(credentials, "app_key", "credentials.app_key", required=True)
    app_secret = _text(credentials, "app_secret", "credentials.app_secret", required=True)
    has_grant = any(
        _text(credentials, key, f"credentials.{key}") for key in ("auth_code", "refresh_token", "access_token")
    )
    if not has_grant:
        raise ConfigError(
            "credentials.auth_code", "or `credentials.refresh_token` is required to authorize the connector."
        )
    grant_type = _text(credentials, "grant_type", "credentials.grant_type")
    if grant_type and grant_type not in GRANT_TYPES:
        raise ConfigError("credentials.grant_type", f"must be one of {', '.join(GRANT_TYPES)}.")

    if "start_date" not in config:
        raise ConfigError("start_date", "is required, like 2025-01-01T00:00:00Z.")
    start = parse_datetime(config["start_date"], "start_date")
    now = pendulum.now("UTC")
    if start > now:
        raise ConfigError("start_date", "is in the future.")
    end = parse_datetime(config["end_date"], "end_date") if config.get("end_date") else None
    if end is not None and end <= start:
        raise ConfigError("end_date", "must be after `start_date`.")

    shop_ids = config.get("shop_ids") or []
    if not isinstance(shop_ids, list) or not all(isinstance(shop_id, (str, int)) for shop_id in shop_ids):
        raise ConfigError("shop_ids", "must be a list of shop ids.")
    lookback = _whole_number(config, "lookback_window_minutes", "minutes")
    lookback_days = _whole_number(config, "analytics_lookback_days", "days")
    budget_wait = _whole_number(config, "budget_wait_minutes", "minutes") or 0
    if budget_wait > MAX_BUDGET_WAIT_MINUTES:
        raise ConfigError("budget_wait_minutes", f"must be at most {MAX_BUDGET_WAIT_MINUTES} (a day).")
    currency = config.get("analytics_currency") or "LOCAL"
    if currency not in ANALYTICS_CURRENCIES:
        raise ConfigError("analytics_currency", f"must be one of {', '.join(ANALYTICS_CURRENCIES)}.")
    platforms = config.get("external_order_platforms") or []
    if not isinstance(platforms, list) or not all(platform in EXTERNAL_ORDER_PLATFORMS for platform in platforms):
        raise ConfigError("external_order_platforms", f"must list some of {', '.join(EXTERNAL_ORDER_PLATFORMS)}.")

    return Settings(
        app_key=app_key,
        app_secret=app_secret,
        auth_url=_host(credentials, "auth_url", DEFAULT_AUTH_URL),
        endpoint_url=_host(credentials, "endpoint_url", DEFAULT_ENDPOINT_URL),
        start=start,
        end=end,
        shop_ids=tuple(str(shop_id) for shop_id in shop_ids),
        lookback_minutes=lookback,
        num_workers=_positive_number(config, "num_workers", DEFAULT_NUM_WORKERS, int),
        requests_per_second_per_shop=_positive_number(config, "requests_per_second_per_shop", None, float),
        analytics_currency=currency,
        analytics_lookback_days=lookback_days,
        external_order_platforms=tuple(dict.fromkeys(platforms)),
        budget_wait_minutes=budget_wait,
    )
