"""``profiel keys``: new keys for a deployment, and a rotation begun on the local stack."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from infra.cli import main as profiel
from infra.local.workspace import Workspace
from shared.config import Settings
from shared.identity.sealing import Opener, public_key_of, seal


def test_generate_prints_a_pseudonym_key_and_a_sealing_key_pair_that_belong_together(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert profiel(["keys", "generate"]) == 0
    printed = dict(
        re.match(r"(\w+)=(\S+)", line).groups()  # type: ignore[union-attr]
        for line in capsys.readouterr().out.splitlines()
    )
    assert set(printed) == {
        "PROFIEL_PSEUDONYM_KEY",
        "PROFIEL_SEALING_PUBLIC_KEY",
        "PROFIEL_SEALING_PRIVATE_KEY",
    }
    settings = Settings.model_validate(
        {
            "pseudonym_key": printed["PROFIEL_PSEUDONYM_KEY"],
            "sealing_public_key": printed["PROFIEL_SEALING_PUBLIC_KEY"],
            "trusted_issuers": '[{"issuer": "i", "jwks_uri": "https://i/jwks"}]',
        }
    )
    assert public_key_of(printed["PROFIEL_SEALING_PRIVATE_KEY"]) == settings.sealing_public_key
    sealed = seal("bsn:999993653", printed["PROFIEL_SEALING_PUBLIC_KEY"])
    assert Opener(printed["PROFIEL_SEALING_PRIVATE_KEY"]).open(sealed) == "bsn:999993653"


def test_begin_makes_a_new_key_current_and_the_old_one_previous_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROFIEL_LOCAL_DIR", str(tmp_path))
    workspace = Workspace(tmp_path)
    old = workspace.pseudonym_key()
    assert workspace.previous_pseudonym_key() is None
    assert profiel(["keys", "begin"]) == 0
    assert workspace.previous_pseudonym_key() == old
    assert workspace.pseudonym_key() != old
    assert profiel(["keys", "begin"]) == 1  # one rotation at a time
    workspace.retire_previous_pseudonym_key()
    assert workspace.previous_pseudonym_key() is None


def test_rotate_without_a_rotation_going_on_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from shared.config import get_settings

    # The settings are cleared once the environment is back: a thread of another test (a stream
    # pump) that reads them meanwhile must not keep this test's.
    with monkeypatch.context() as patch:
        patch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9")
        patch.setenv("PROFIEL_PSEUDONYM_KEY", "k" * 64)
        patch.delenv("PROFIEL_PSEUDONYM_KEY_PREVIOUS", raising=False)
        patch.setenv("PROFIEL_TRUSTED_ISSUERS", '[{"issuer": "i", "jwks_uri": "https://i/j"}]')
        get_settings.cache_clear()
        assert profiel(["keys", "rotate"]) == 2
    get_settings.cache_clear()
    assert "no rotation is going on" in capsys.readouterr().err
