"""The spec's `advanced_auth`: valid for the CDK's models, and in step with the config fields it fills.

Airbyte renders the declarative OAuth templates itself; here they are rendered with Jinja the same
way (`{{ name }}` placeholders) to check the URLs a seller and the token exchange would see.
"""

import dataclasses
import string
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jinja2
import pytest
import yaml
from airbyte_cdk.models import ConnectorSpecificationSerializer
from airbyte_cdk.models.airbyte_protocol import OauthConnectorInputSpecification
from airbyte_cdk.sources.declarative import models as declarative_models
from airbyte_cdk.sources.declarative.models.declarative_component_schema import AuthFlow
from jsonschema import Draft7Validator

from source_tiktok_shop import SourceTiktokShop

SPEC = Path(__file__).resolve().parents[1] / "source_tiktok_shop" / "spec.yaml"
DECLARATIVE_SCHEMA = Path(declarative_models.__file__).parents[1] / "declarative_component_schema.yaml"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text())


@pytest.fixture(scope="module")
def advanced_auth(spec) -> dict[str, Any]:
    return spec["advanced_auth"]


@pytest.fixture(scope="module")
def oauth(advanced_auth) -> dict[str, Any]:
    return advanced_auth["oauth_config_specification"]


@pytest.fixture(scope="module")
def connector_input(oauth) -> dict[str, Any]:
    return oauth["oauth_connector_input_specification"]


@pytest.fixture(scope="module")
def credentials(spec) -> dict[str, Any]:
    (tts_auth,) = spec["connectionSpecification"]["properties"]["credentials"]["oneOf"]
    return tts_auth


def default(credentials: dict[str, Any], field: str) -> Any:
    return credentials["properties"][field]["default"]


def render(template: str, **variables: str) -> str:
    # These templates are URLs, not HTML: escaping would be wrong.
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)  # noqa: S701
    return environment.from_string(template).render(**variables)


def test_advanced_auth_validates_against_the_cdk_declarative_schema(advanced_auth):
    schema = yaml.safe_load(DECLARATIVE_SCHEMA.read_text())
    validator = Draft7Validator({**schema["definitions"]["AuthFlow"], "definitions": schema["definitions"]})
    assert not [error.message for error in validator.iter_errors(advanced_auth)]
    parsed = AuthFlow.parse_obj(advanced_auth)
    assert parsed.auth_flow_type.value == "oauth2.0"
    assert parsed.oauth_config_specification.oauth_connector_input_specification.state.min == 15


def test_connector_input_has_no_unknown_keys(connector_input):
    """The models allow extra keys, so a misspelt one would be silently ignored by Airbyte."""
    schema = yaml.safe_load(DECLARATIVE_SCHEMA.read_text())
    known = set(
        schema["definitions"]["OAuthConfigSpecification"]["properties"]["oauth_connector_input_specification"][
            "properties"
        ]
    )
    known |= {field.name for field in dataclasses.fields(OauthConnectorInputSpecification)}
    assert set(connector_input) <= known


def test_the_connector_emits_advanced_auth_unchanged(advanced_auth):
    emitted = SourceTiktokShop().spec(logger=None)  # type: ignore[arg-type]
    assert ConnectorSpecificationSerializer.dump(emitted)["advanced_auth"] == advanced_auth


def test_predicate_selects_the_tts_auth_option(advanced_auth, spec, credentials):
    assert advanced_auth["auth_flow_type"] == "oauth2.0"
    assert advanced_auth["predicate_key"] == ["credentials", "auth_type"]
    assert "credentials" in spec["connectionSpecification"]["properties"]
    assert credentials["properties"]["auth_type"]["const"] == advanced_auth["predicate_value"] == "tts_auth"


def test_consent_url_carries_the_app_key_and_a_state_of_the_configured_length(connector_input, credentials):
    length = default(credentials, "state_length")
    assert connector_input["state"] == {"min": length, "max": length}
    state = "".join(string.ascii_letters[i % 52] for i in range(length))
    url = urlsplit(
        render(
            connector_input["consent_url"],
            client_id_key=connector_input["client_id_key"],
            client_id_value="app-key-1",
            state_key=connector_input["state_key"],
            state_value=state,
        )
    )
    assert (url.scheme, url.hostname, url.path) == (
        "https",
        urlsplit(default(credentials, "auth_url")).hostname,
        "/oauth/authorize",
    )
    assert parse_qs(url.query) == {"app_key": ["app-key-1"], "state": [state]}


def test_the_seller_redirect_is_read_with_the_response_type_key(connector_input, credentials):
    assert connector_input["auth_code_key"] == default(credentials, "response_type_key") == "code"


def test_access_token_url_exchanges_the_code_at_token_get(connector_input, credentials):
    url = urlsplit(
        render(
            connector_input["access_token_url"],
            client_id_key=connector_input["client_id_key"],
            client_id_value="app-key-1",
            client_secret_key=connector_input["client_secret_key"],
            client_secret_value="app-secret-1",
            auth_code_value="code-1",
        )
    )
    assert (url.scheme, url.hostname, url.path) == (
        "https",
        urlsplit(default(credentials, "auth_url")).hostname,
        "/api/v2/token/get",
    )
    assert parse_qs(url.query) == {
        "app_key": ["app-key-1"],
        "app_secret": ["app-secret-1"],
        "auth_code": ["code-1"],
        "grant_type": [default(credentials, "grant_type")],
    }


def test_outputs_are_the_configured_token_keys_and_land_in_credentials(oauth, connector_input, credentials):
    output = oauth["complete_oauth_output_specification"]
    by_field = {
        name: (".".join(field["path_in_oauth_response"]), field["path_in_connector_config"])
        for name, field in output["properties"].items()
    }
    assert by_field["access_token"][0] == default(credentials, "access_token_key") == "data.access_token"
    assert by_field["refresh_token"][0] == default(credentials, "refresh_token_key") == "data.refresh_token"
    assert by_field["access_token_expires_at"][0] == "data.access_token_expire_in"
    assert set(output["required"]) == {"access_token", "refresh_token"}
    assert [path for path, _ in by_field.values()] == connector_input["extract_output"]
    for name, (_, config_path) in by_field.items():
        assert config_path == ["credentials", name]
        assert name in credentials["properties"]
    assert all(credentials["properties"][name].get("airbyte_secret") for name in ("access_token", "refresh_token"))


def test_server_inputs_are_the_app_key_and_secret(oauth, connector_input, credentials):
    server_input = oauth["complete_oauth_server_input_specification"]
    server_output = oauth["complete_oauth_server_output_specification"]
    keys = {connector_input["client_id_key"], connector_input["client_secret_key"]}
    assert keys == {"app_key", "app_secret"} == set(server_input["required"]) == set(server_output["required"])
    for name, field in server_output["properties"].items():
        assert field["path_in_connector_config"] == ["credentials", name]
        assert name in credentials["required"]
