"""``profiel register key``: an API key for an organisation's existing client, kept only hashed."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from infra.cli import main as profiel
from infra.local.demo import GEMEENTE_API_KEY, GEMEENTE_OIN, LOCAL_REGISTER, WATERSCHAP_OIN
from shared.models.register import Register


@pytest.fixture
def register_file(tmp_path: Path) -> Path:
    return Path(shutil.copy(LOCAL_REGISTER, tmp_path / "register.json"))


def test_the_key_is_printed_once_and_only_its_hash_is_kept_bound_to_one_purpose(
    register_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["register", "key", str(register_file), GEMEENTE_OIN, "aanslag-versturen"]
    assert profiel([*arguments, "--omschrijving", "Open Forms"]) == 0
    key = capsys.readouterr().out.strip()
    assert len(key) >= 40
    register = Register.model_validate_json(register_file.read_text())
    [gemeente] = [o for o in register.root if o.oin == GEMEENTE_OIN]
    made = gemeente.sleutels[-1]
    assert made.sha256 == hashlib.sha256(key.encode()).hexdigest()
    assert (made.doel, made.omschrijving) == ("aanslag-versturen", "Open Forms")
    assert key not in register_file.read_text()
    # The demo key stays, and every purpose and service is as it was.
    assert hashlib.sha256(GEMEENTE_API_KEY.encode()).hexdigest() in {
        s.sha256 for s in gemeente.sleutels
    }
    before = Register.model_validate_json(LOCAL_REGISTER.read_text())
    assert [o.doelen for o in register.root] == [o.doelen for o in before.root]


def test_a_key_for_a_purpose_the_organisation_has_not_is_refused_and_the_file_unchanged(
    register_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = register_file.read_text()
    assert profiel(["register", "key", str(register_file), WATERSCHAP_OIN, "notificatie"]) == 1
    assert "notificatie" in capsys.readouterr().err
    assert profiel(["register", "key", str(register_file), "00000099000000000999", "x"]) == 1
    assert register_file.read_text() == before
    assert json.loads(before)  # still the file it was
