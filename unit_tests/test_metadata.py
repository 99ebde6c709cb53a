"""metadata.yaml against Airbyte's registry schema, and the places that must agree with it.

The schema is a copy of airbytehq/airbyte-connector-models' ConnectorMetadataDefinitionV0.json
(unit_tests/resources), so the test needs nothing outside the repo.
"""

import ast
import json
import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml
from airbyte_cdk.models.connector_metadata import ConnectorLanguage, MetadataFile
from jsonschema import Draft7Validator

from source_tiktok_shop.catalog import STREAMS

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "unit_tests" / "resources" / "ConnectorMetadataDefinitionV0.json"
BASE_IMAGE = re.compile(r"^docker\.io/airbyte/python-connector-base:(?P<version>[0-9.]+)@sha256:[0-9a-f]{64}$")


@pytest.fixture(scope="module")
def metadata() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "metadata.yaml").read_text())


@pytest.fixture(scope="module")
def data(metadata: dict[str, Any]) -> dict[str, Any]:
    return metadata["data"]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "source_tiktok_shop" / "spec.yaml").read_text())


def setup_py() -> ast.Module:
    return ast.parse((ROOT / "setup.py").read_text())


def setup_version() -> str:
    for node in setup_py().body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "VERSION" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("setup.py has no VERSION = '...'")


def console_scripts() -> dict[str, str]:
    for node in ast.walk(setup_py()):
        if isinstance(node, ast.keyword) and node.arg == "entry_points":
            scripts = ast.literal_eval(node.value)["console_scripts"]
            return dict(script.replace(" ", "").split("=", 1) for script in scripts)
    raise AssertionError("setup.py declares no entry_points")


def dockerfile() -> dict[str, Any]:
    text = (ROOT / "Dockerfile").read_text()
    return {
        "base_image": re.search(r"^ARG BASE_IMAGE=(\S+)$", text, re.M).group(1),
        "froms": re.findall(r"^FROM (\S+)", text, re.M),
        "labels": dict(re.findall(r"^LABEL (io\.airbyte\.[a-z]+)=(\S+)$", text, re.M)),
        "user": re.findall(r"^USER (\S+)$", text, re.M),
        "entrypoint": json.loads(re.search(r"^ENTRYPOINT (\[.*\])$", text, re.M).group(1)),
        "airbyte_entrypoint": re.search(r'^ENV AIRBYTE_ENTRYPOINT="([^"]+)"$', text, re.M).group(1),
    }


def bundled_schema() -> Any:
    """The schema with the `$id`s of its inlined parts removed: the bundle's `$ref`s all point from
    the root (`#/properties/data/...`), but a nested `$id` would make them resolve inside that part."""

    def strip(node: Any, root: bool = False) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if root or k not in ("$id", "$schema")}
        if isinstance(node, list):
            return [strip(item) for item in node]
        return node

    return strip(json.loads(SCHEMA.read_text()), root=True)


def test_metadata_is_valid_for_the_registry(metadata):
    validator = Draft7Validator(bundled_schema(), format_checker=Draft7Validator.FORMAT_CHECKER)
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(metadata)]
    assert not problems, "\n".join(problems)


def test_metadata_reads_as_the_cdk_reads_it():
    parsed = MetadataFile.from_file(ROOT / "metadata.yaml").data
    assert parsed.language == ConnectorLanguage.PYTHON
    assert BASE_IMAGE.match(parsed.connectorBuildOptions.baseImage)


def test_identity_fields(metadata, data):
    assert metadata["metadataSpecVersion"] == "1.0"
    assert uuid.UUID(data["definitionId"]).version == 4
    assert (data["connectorType"], data["connectorSubtype"]) == ("source", "api")
    assert data["dockerRepository"] == "airbyte/source-tiktok-shop"
    assert data["githubIssueLabel"] == "source-tiktok-shop"
    assert (data["license"], data["releaseStage"], data["supportLevel"]) == ("MIT", "alpha", "community")
    assert {"language:python", "cdk:python"} <= set(data["tags"])
    assert (ROOT / data["icon"]).is_file()


def test_versions_agree_everywhere(data):
    labels = dockerfile()["labels"]
    assert data["dockerImageTag"] == setup_version() == labels["io.airbyte.version"]
    assert labels["io.airbyte.name"] == data["dockerRepository"]


def test_every_image_tag_the_docs_give_is_the_declared_one(data):
    """The tag a user builds and adds in Airbyte, wherever it is written (the image tests' `:dev` is the CDK's own)."""
    image = re.compile(re.escape(data["dockerRepository"]) + r":([\w.-]+)")
    texts = {path.name: path.read_text() for path in [ROOT / "README.md", ROOT / "Dockerfile", *ROOT.glob("docs/*.md")]}
    tags = {(name, tag) for name, text in texts.items() for tag in image.findall(text)}
    assert {name for name, _ in tags} >= {"README.md", "Dockerfile", "airbyte.md"}
    assert {tag for _, tag in tags} == {data["dockerImageTag"]}, sorted(tags)


def test_dockerfile_builds_from_the_declared_base_image(data):
    built = dockerfile()
    declared = data["connectorBuildOptions"]["baseImage"]
    assert built["base_image"] == declared
    assert BASE_IMAGE.match(declared).group("version") == "4.0.2"
    assert set(built["froms"]) == {"${BASE_IMAGE}"}


def test_dockerfile_runs_the_console_script_as_airbyte():
    built = dockerfile()
    connector = "source-tiktok-shop"
    assert console_scripts()[connector] == "source_tiktok_shop.run:run"
    assert built["entrypoint"] == [connector] and built["airbyte_entrypoint"] == connector
    assert built["user"] == ["airbyte"]


def test_documentation_url_matches_the_spec(data, spec):
    assert data["documentationUrl"] == spec["documentationUrl"]


def test_allowed_hosts_are_the_default_hosts_of_the_spec(data, spec):
    (auth,) = spec["connectionSpecification"]["properties"]["credentials"]["oneOf"]
    defaults = {urlparse(auth["properties"][key]["default"]).hostname for key in ("auth_url", "endpoint_url")}
    assert set(data["allowedHosts"]["hosts"]) == defaults == {"auth.tiktok-shops.com", "open-api.tiktokglobalshop.com"}


def test_suggested_streams_exist(data):
    names = {stream.name for stream in STREAMS}
    suggested = data["suggestedStreams"]["streams"]
    assert suggested and set(suggested) <= names
    assert len(suggested) == len(set(suggested))


def test_docs_page_covers_every_field_and_stream_and_this_version(spec):
    page = (ROOT / "docs" / "tiktok-shop.md").read_text()
    connection = spec["connectionSpecification"]
    (auth,) = connection["properties"]["credentials"]["oneOf"]
    fields = [f"credentials.{name}" for name in auth["properties"]]
    fields += [name for name in connection["properties"] if name != "credentials"]
    assert [field for field in fields if f"| `{field}` |" not in page] == []
    assert [stream.name for stream in STREAMS if f"| `{stream.name}` |" not in page] == []
    assert re.search(rf"^\| {re.escape(setup_version())} +\| \d{{4}}-\d{{2}}-\d{{2}} \|", page, re.M)
