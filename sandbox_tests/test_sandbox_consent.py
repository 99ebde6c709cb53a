"""The seller's consent page, codes minted on demand, and tokens kept across restarts (a state file)."""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tiktok_shop_sandbox import Sandbox

from .tts_client import Client

SHOPS = "/authorization/202309/shops"


def redirect_of(sb: Sandbox, **query: str) -> dict[str, list[str]]:
    answer = requests.get(sb.consent_url, params=query, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "http://127.0.0.1:1/callback"
    return parse_qs(location.query)


def test_the_consent_page_redirects_with_a_fresh_code_and_the_state(fresh):
    sb, client = fresh(shops=1, orders=5, redirect_url="http://127.0.0.1:1/callback")
    first, second = redirect_of(sb, state="abc"), redirect_of(sb, state="xyz")
    assert first["state"] == ["abc"] and second["state"] == ["xyz"]
    assert first["code"] != second["code"]
    for code in (first["code"][0], second["code"][0]):
        assert client.token_get(code)["code"] == 0
    assert "state" not in redirect_of(sb), "a link without a state gets none back (App Store installs)"


def test_a_declined_consent_redirects_with_the_error_tiktok_sends(fresh):
    sb, _ = fresh(shops=1, orders=5, redirect_url="http://127.0.0.1:1/callback")
    assert redirect_of(sb, state="abc", decision="deny") == {
        "code": ["null"],
        "error": ["auth_denied"],
        "state": ["abc"],
    }


def test_without_a_redirect_url_the_page_shows_the_redirect_to_paste(fresh):
    sb, client = fresh(shops=1, orders=5)
    answer = requests.get(sb.consent_url, params={"state": "abc"}, timeout=10)
    assert answer.status_code == 200
    code = parse_qs(urlsplit(answer.text.split("<code>")[1].split("</code>")[0].replace("&amp;", "&")).query)["code"][0]
    assert client.token_get(code)["code"] == 0


def test_an_unknown_app_key_gets_no_code(fresh):
    sb, _ = fresh(shops=1, orders=5, redirect_url="http://127.0.0.1:1/callback")
    answer = requests.get(
        f"{sb.base_url}/oauth/authorize", params={"app_key": "nope"}, allow_redirects=False, timeout=10
    )
    assert answer.status_code == 400 and "Location" not in answer.headers


def test_tokens_and_codes_outlive_a_restart_with_a_state_file(tmp_path):
    state = str(tmp_path / "sandbox-state.json")
    with Sandbox(seed=3, shops=1, orders=5, state_file=state) as sb:
        client = Client.for_sandbox(sb)
        tokens = client.exchange(sb.new_auth_code())
        unused = sb.new_auth_code()
    with Sandbox(seed=3, shops=1, orders=5, state_file=state) as again:
        client = Client(again.base_url, again.credentials["app_key"], again.credentials["app_secret"])
        client.access_token = tokens["access_token"]
        assert client.call("GET", SHOPS)["code"] == 0
        assert client.token_refresh(tokens["refresh_token"])["code"] == 0
        assert client.token_get(unused)["code"] == 0
    with pytest.raises(ValueError, match="--seed"):
        Sandbox(seed=4, shops=1, orders=5, state_file=state)


def test_the_cli_mints_as_many_codes_as_asked_and_keeps_a_state_file(tmp_path):
    state = tmp_path / "state.json"
    command = [sys.executable, "-m", "tiktok_shop_sandbox", "--shops", "1", "--orders", "5", "--auth-codes", "3"]
    with subprocess.Popen([*command, "--state-file", str(state)], stdout=subprocess.PIPE, text=True) as proc:
        try:
            proc.stdout.readline()
            credentials = json.loads(proc.stdout.readline())
        finally:
            proc.terminate()
    codes = credentials["auth_codes"]
    assert len(set(codes)) == 3 and codes[0] == credentials["auth_code"]
    assert set(json.loads(state.read_text())["codes"]) >= set(codes)
