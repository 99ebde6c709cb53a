"""`source-tiktok-shop authorize` end to end against the sandbox, and the spec's declarative OAuth flow.

The seller's browser is simulated: the test reads the consent link the command prints, and sends the
redirect TikTok would send (`?code=...&state=...`) to the loopback listener, or pastes it.
"""

import json
import queue
import re
import stat
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jinja2
import pytest
import requests
import yaml
from airbyte_cdk.models import Status

from integration_tests.harness import run
from source_tiktok_shop.authorize import consent_urls, main, new_state
from tiktok_shop_sandbox import Sandbox

SPEC = Path(__file__).resolve().parents[1] / "source_tiktok_shop" / "spec.yaml"


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(seed=5, shops=1, orders=20) as sb:
        yield sb


@pytest.fixture
def base_config(sandbox, tmp_path) -> Path:
    path = tmp_path / "base.json"
    credentials = sandbox.credentials
    config = {
        "credentials": {
            "app_key": credentials["app_key"],
            "app_secret": credentials["app_secret"],
            "auth_url": sandbox.base_url,
            "endpoint_url": sandbox.base_url,
        },
        "start_date": "2025-01-01T00:00:00Z",
    }
    path.write_text(json.dumps(config))
    return path


class Terminal:
    """What the command prints, line by line, as it prints it; and what it reads from stdin."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.printed: list[str] = []
        self._partial = ""
        self.typed: queue.Queue[str] = queue.Queue()

    def write(self, text: str) -> int:
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        for line in lines:
            self.printed.append(line)
            self.lines.put(line)
        return len(text)

    def flush(self) -> None:
        pass

    def readline(self) -> str:
        return self.typed.get(timeout=10)

    def isatty(self) -> bool:
        return False

    def wait_for(self, pattern: str) -> re.Match:
        while True:
            match = re.search(pattern, self.lines.get(timeout=10))
            if match:
                return match

    @property
    def text(self) -> str:
        return "\n".join(self.printed) + self._partial


class Authorize:
    """The command running in a thread, as a person would run it in a terminal."""

    def __init__(self, *args: str) -> None:
        self.terminal = Terminal()
        self.exit_code: int | None = None
        self._thread = threading.Thread(target=self._main, args=(list(args),), daemon=True)
        self._thread.start()

    def _main(self, args: list[str]) -> None:
        self.exit_code = main(args, stdin=self.terminal, out=self.terminal)

    @property
    def state(self) -> str:
        return self.terminal.wait_for(r"[?&]state=(\w+)").group(1)

    def finish(self) -> int | None:
        self._thread.join(timeout=30)
        return self.exit_code


def assert_nothing_secret_printed(printed: str, *values: str) -> None:
    for value in values:
        assert value not in printed


def test_listens_for_the_redirect_and_writes_a_working_config(sandbox, base_config, tmp_path):
    output = tmp_path / "secrets" / "config.json"
    command = Authorize("--config", str(base_config), "--listen", "127.0.0.1:0", "--output", str(output))
    state = command.state
    listener = command.terminal.wait_for(r"Waiting for TikTok's redirect on (\S+)").group(1)
    code = sandbox.new_auth_code()

    answer = requests.get(f"{listener}callback?{urlencode({'code': code, 'state': state})}", timeout=10)

    assert answer.status_code == 200 and "authorized" in answer.text
    assert command.finish() == 0
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    config = json.loads(output.read_text())
    credentials = config["credentials"]
    assert "auth_code" not in credentials
    assert credentials["access_token"] and credentials["refresh_token"] and credentials["access_token_expires_at"]
    assert config["start_date"] == "2025-01-01T00:00:00Z"
    assert_nothing_secret_printed(
        command.terminal.text,
        code,
        credentials["app_secret"],
        credentials["access_token"],
        credentials["refresh_token"],
    )
    checked = run("check", config)
    assert checked.connection_status.status == Status.SUCCEEDED
    assert not checked.control_configs  # the written token is used as is, nothing is refreshed


def test_a_redirect_with_another_state_is_refused_and_its_code_not_spent(sandbox, base_config, tmp_path):
    output = tmp_path / "config.json"
    command = Authorize("--config", str(base_config), "--listen", "127.0.0.1:0", "--output", str(output))
    state = command.state
    listener = command.terminal.wait_for(r"Waiting for TikTok's redirect on (\S+)").group(1)
    code = sandbox.new_auth_code()

    forged = requests.get(f"{listener}?{urlencode({'code': code, 'state': new_state(len(state))})}", timeout=10)
    assert forged.status_code == 400 and "state" in forged.text
    command.terminal.wait_for("Ignored a redirect")
    assert not output.exists()

    genuine = requests.get(f"{listener}?{urlencode({'code': code, 'state': state})}", timeout=10)
    assert genuine.status_code == 200
    assert command.finish() == 0  # the same code still worked: the forged redirect spent nothing
    assert output.exists()


def test_a_pasted_redirect_with_another_state_is_refused(base_config, sandbox, tmp_path):
    output = tmp_path / "config.json"
    command = Authorize("--config", str(base_config), "--output", str(output))
    state = command.state
    command.terminal.typed.put(f"https://example.com/cb?code={sandbox.new_auth_code()}&state={state[::-1]}x\n")
    assert command.finish() == 1
    assert "state" in command.terminal.text and not output.exists()


def test_a_pasted_redirect_is_exchanged(base_config, sandbox, tmp_path):
    output = tmp_path / "config.json"
    command = Authorize("--config", str(base_config), "--output", str(output))
    command.terminal.typed.put(f"https://example.com/cb?code={sandbox.new_auth_code()}&state={command.state}\n")
    assert command.finish() == 0
    assert run("check", json.loads(output.read_text())).connection_status.status == Status.SUCCEEDED


def test_a_declined_authorization_ends_the_command(base_config, tmp_path):
    command = Authorize("--config", str(base_config), "--listen", "127.0.0.1:0", "--output", str(tmp_path / "c.json"))
    state = command.state
    listener = command.terminal.wait_for(r"Waiting for TikTok's redirect on (\S+)").group(1)
    answer = requests.get(f"{listener}?code=null&error=auth_denied&state={state}", timeout=10)
    assert answer.status_code == 400
    assert command.finish() == 1
    assert "auth_denied" in command.terminal.text


def test_a_spent_code_is_reported_without_secrets(base_config, sandbox, tmp_path):
    code = sandbox.new_auth_code()
    first = Authorize("--config", str(base_config), "--output", str(tmp_path / "first.json"))
    first.terminal.typed.put(f"https://example.com/cb?code={code}&state={first.state}\n")
    assert first.finish() == 0
    again = Authorize("--config", str(base_config), "--output", str(tmp_path / "again.json"))
    again.terminal.typed.put(f"https://example.com/cb?code={code}&state={again.state}\n")
    assert again.finish() == 1
    assert "36004004" in again.terminal.text
    assert_nothing_secret_printed(again.terminal.text, code, sandbox.credentials["app_secret"])


def test_consent_links_for_every_market_carry_a_state_of_the_configured_length(base_config, tmp_path):
    config = json.loads(base_config.read_text())
    config["credentials"]["state_length"] = 24
    base_config.write_text(json.dumps(config))
    command = Authorize("--config", str(base_config), "--service-id", "7300000000000000001")
    links = [command.terminal.wait_for(r"^  (.+): (\S+)$") for _ in range(3)]
    command.terminal.typed.put("\n")
    assert command.finish() == 1
    urls = {match.group(1): urlsplit(match.group(2)) for match in links}
    states = {parse_qs(url.query)["state"][0] for url in urls.values()}
    (state,) = states
    assert len(state) == 24
    assert urls["US shops"].netloc == "services.tiktokshops.us"
    assert urls["Shops outside the US"].netloc == "services.tiktokshop.com"
    assert {url.path for url in urls.values()} == {"/open/authorize", "/oauth/authorize"}
    assert parse_qs(urls["US shops"].query)["service_id"] == ["7300000000000000001"]
    assert parse_qs(urls["Legacy link (any market)"].query)["app_key"] == [config["credentials"]["app_key"]]


def test_consent_links_default_to_tiktok_hosts():
    urls = consent_urls("app-key", "s" * 15, "svc")
    assert urls == {
        "US shops": "https://services.tiktokshops.us/open/authorize?service_id=svc&state=sssssssssssssss",
        "Shops outside the US": "https://services.tiktokshop.com/open/authorize?service_id=svc&state=sssssssssssssss",
        "Legacy link (any market)": "https://auth.tiktok-shops.com/oauth/authorize?app_key=app-key&state=sssssssssssssss",
    }


def test_the_spec_declarative_oauth_flow_yields_a_working_config(sandbox):
    """What Airbyte does with `advanced_auth`, step by step, with the TikTok hosts pointed at the sandbox."""
    oauth = yaml.safe_load(SPEC.read_text())["advanced_auth"]["oauth_config_specification"]
    connector_input = oauth["oauth_connector_input_specification"]
    credentials = sandbox.credentials
    variables: dict[str, Any] = {
        "client_id_key": connector_input["client_id_key"],
        "client_id_value": credentials["app_key"],
        "client_secret_key": connector_input["client_secret_key"],
        "client_secret_value": credentials["app_secret"],
        "auth_code_value": sandbox.new_auth_code(),
    }
    # Templates of URLs, not HTML: nothing to escape.
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)  # noqa: S701
    url = environment.from_string(connector_input["access_token_url"]).render(**variables)
    url = url.replace("https://auth.tiktok-shops.com", sandbox.base_url)

    response = requests.get(url, timeout=10).json()

    config: dict[str, Any] = {"credentials": {"auth_type": "tts_auth"}, "start_date": "2025-01-01T00:00:00Z"}
    for name, field in oauth["complete_oauth_server_output_specification"]["properties"].items():
        place(config, field["path_in_connector_config"], credentials[name])
    for field in oauth["complete_oauth_output_specification"]["properties"].values():
        value = response
        for key in field["path_in_oauth_response"]:
            value = value[key]
        place(config, field["path_in_connector_config"], value)
    config["credentials"].update(auth_url=sandbox.base_url, endpoint_url=sandbox.base_url)
    checked = run("check", config)
    assert checked.connection_status.status == Status.SUCCEEDED
    assert not checked.control_configs


def place(config: dict[str, Any], path: list[str], value: Any) -> None:
    *parents, key = path
    for parent in parents:
        config = config.setdefault(parent, {})
    config[key] = value


@pytest.mark.parametrize(
    ("args", "credentials", "message"),
    [
        (["--listen", "0.0.0.0:0"], {}, "loopback"),
        (["--listen", "127.0.0.1"], {}, "--listen must look like"),
        ([], {"state_length": 4}, "state_length"),
    ],
    ids=["listen on every interface", "listen without a port", "state too short"],
)
def test_unsafe_settings_are_refused(base_config, tmp_path, args, credentials, message):
    config = json.loads(base_config.read_text())
    config["credentials"].update(credentials)
    base_config.write_text(json.dumps(config))
    command = Authorize("--config", str(base_config), "--output", str(tmp_path / "c.json"), *args)
    assert command.finish() == 1
    assert message in command.terminal.text


def test_the_browser_is_told_authorized_only_once_the_code_is_exchanged(sandbox, base_config, tmp_path):
    spent = sandbox.new_auth_code()
    first = Authorize("--config", str(base_config), "--output", str(tmp_path / "first.json"))
    first.terminal.typed.put(f"https://example.com/cb?code={spent}&state={first.state}\n")
    assert first.finish() == 0
    output = tmp_path / "again.json"
    command = Authorize("--config", str(base_config), "--listen", "127.0.0.1:0", "--output", str(output))
    state = command.state
    listener = command.terminal.wait_for(r"Waiting for TikTok's redirect on (\S+)").group(1)

    answer = requests.get(f"{listener}?{urlencode({'code': spent, 'state': state})}", timeout=30)

    assert answer.status_code == 502
    assert "Not authorized" in answer.text and "36004004" in answer.text and "is authorized" not in answer.text
    assert spent not in answer.text
    assert command.finish() == 1
    assert not output.exists()


def test_authorize_end_to_end_through_the_sandbox_consent_page(sandbox, base_config, tmp_path):
    """The seller opens the printed link; the sandbox's consent page sends the browser to the listener with a
    fresh code; the page the browser ends on says "authorized" once the tokens are written."""
    output = tmp_path / "config.json"
    command = Authorize("--config", str(base_config), "--listen", "127.0.0.1:0", "--output", str(output))
    link = command.terminal.wait_for(r"Legacy link \(any market\): (\S+)").group(1)
    listener = command.terminal.wait_for(r"Waiting for TikTok's redirect on (\S+)").group(1)
    sandbox.redirect_url = listener  # the app's redirect URL, as registered in Partner Center
    try:
        page = requests.get(link, timeout=30)  # the browser follows the consent page's redirect
    finally:
        sandbox.redirect_url = None
    assert page.status_code == 200 and f"The app is authorized: the tokens are in {output}" in page.text
    assert command.finish() == 0
    assert f"Wrote {output}" in command.terminal.text
    checked = run("check", json.loads(output.read_text()))
    assert checked.connection_status.status == Status.SUCCEEDED
    assert "1 shop(s)" in checked.connection_status.message
