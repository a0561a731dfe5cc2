"""SnapStart (shared.snapstart): after a restore, nothing the snapshotted process kept is reused.

Each cache is filled as a request would fill it, the hook runs as the Lambda runtime runs it
after a restore, and what the next request gets must be new: re-read settings, the issuer's
current key set, new connections and clients, a new data key, a reseeded ``random``.
"""

from __future__ import annotations

import base64
import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, x25519
from jose import jwt

from shared import config, notify, registers, snapstart
from shared.identity import sealing, tokens
from shared.store.tables import TABLES, ProfielItem

ISSUER = "https://inlog.example.nl"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _jwks(kid: str) -> dict:
    return _jwks_of(kid, ec.generate_private_key(ec.SECP256R1()))


def _jwks_of(kid: str, key: ec.EllipticCurvePrivateKey) -> dict:
    numbers = key.public_key().public_numbers()
    return {
        "keys": [
            {
                "kty": "EC",
                "crv": "P-256",
                "kid": kid,
                "x": _b64(numbers.x.to_bytes(32, "big")),
                "y": _b64(numbers.y.to_bytes(32, "big")),
            }
        ]
    }


@pytest.fixture
def snapshotted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A process configured as a deployed function; its caches are left empty afterwards."""
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(_jwks("sleutel-1")))
    issuers = [{"issuer": ISSUER, "jwks_uri": jwks.as_uri()}]
    environment = {
        "PROFIEL_PSEUDONYM_KEY": "k" * 32,
        "PROFIEL_TRUSTED_ISSUERS": json.dumps(issuers),
        "PROFIEL_BRP_BASE_URL": "https://brp.example.nl/api",
        "PROFIEL_KVK_BASE_URL": "https://kvk.example.nl/api",
        "PROFIEL_BAG_BASE_URL": "https://bag.example.nl/api",
        # NotifyNL's form: "<key name>-<service id>-<secret>".
        "PROFIEL_NOTIFY_API_KEY": "profiel-11111111-1111-4111-8111-111111111111-"
        "22222222-2222-4222-8222-222222222222",
        "PROFIEL_NOTIFY_BASE_URL": "https://api.notifynl.example",
        "PROFIEL_NOTIFY_TEMPLATE_EMAIL_CODE": "11111111-1111-4111-8111-111111111111",
        "PROFIEL_NOTIFY_TEMPLATE_SMS_CODE": "22222222-2222-4222-8222-222222222222",
        "PROFIEL_NOTIFY_TEMPLATE_EMAIL_NOTICE": "33333333-3333-4333-8333-333333333333",
        "PROFIEL_NOTIFY_TEMPLATE_EMAIL_ONBESTELBAAR": "44444444-4444-4444-8444-444444444444",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    snapstart.after_restore()  # whatever an earlier test of this process left
    yield jwks
    monkeypatch.undo()
    snapstart.after_restore()


def test_settings_are_read_anew_after_a_restore(
    snapshotted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = [
        config.get_settings(),
        config.get_event_settings(),
        config.get_notify_settings(),
        config.get_register_settings(),
    ]
    # The secret was rotated while the snapshot waited.
    monkeypatch.setenv("PROFIEL_PSEUDONYM_KEY", "n" * 32)
    assert config.get_settings() is before[0]

    snapstart.after_restore()

    after = [
        config.get_settings(),
        config.get_event_settings(),
        config.get_notify_settings(),
        config.get_register_settings(),
    ]
    assert all(new is not old for new, old in zip(after, before, strict=True))
    assert after[0].pseudonym_key.get_secret_value() == "n" * 32


def test_the_issuers_key_sets_and_verified_tokens_are_dropped(
    snapshotted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signing_key = ec.generate_private_key(ec.SECP256R1())
    snapshotted.write_text(json.dumps(_jwks_of("sleutel-1", signing_key)))
    claims = {"iss": ISSUER, "aud": "profielservice", "sub": "s", "exp": int(time.time()) + 300}
    pem = signing_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    token = jwt.encode(claims, pem, algorithm="ES256", headers={"kid": "sleutel-1"})
    full_checks = []
    checked = tokens._verify_signature_and_claims
    monkeypatch.setattr(
        tokens,
        "_verify_signature_and_claims",
        lambda *arguments: full_checks.append(1) or checked(*arguments),
    )
    tokens.verify_token(token, config.get_settings())
    tokens.verify_token(token, config.get_settings())
    assert len(full_checks) == 1  # the second time from what the process kept
    issuer = config.get_settings().trusted_issuers[0]
    key = tokens.KEY_SETS.key(issuer, "sleutel-1")
    built = tokens._public_key(json.dumps(key, sort_keys=True), "ES256")
    # The issuer rotated its key while the snapshot waited: the cache keeps a key set an hour.
    snapshotted.write_text(json.dumps(_jwks("sleutel-2")))
    assert tokens.KEY_SETS.key(issuer, "sleutel-1") == key

    snapstart.after_restore()

    issuer = config.get_settings().trusted_issuers[0]
    assert tokens._public_key(json.dumps(key, sort_keys=True), "ES256") is not built
    assert tokens.KEY_SETS.key(issuer, "sleutel-2") is not None
    with pytest.raises(tokens.InvalidToken):  # its key is gone from the issuer's key set
        tokens.verify_token(token, config.get_settings())
    assert len(full_checks) == 2


def test_connections_and_clients_are_made_anew(snapshotted: Path) -> None:
    store = ProfielItem._get_connection()
    shared_connection = store.connection
    brp, kvk, bag = registers.personen(), registers.handelsregister(), registers.adressen()
    notify_client = notify._client()

    snapstart.after_restore()

    assert all(model._connection is None for model in TABLES)
    assert ProfielItem._get_connection() is not store
    assert ProfielItem._get_connection().connection is not shared_connection
    assert registers.personen() is not brp
    assert registers.handelsregister() is not kvk
    assert registers.adressen() is not bag
    assert notify._client() is not notify_client


def test_the_data_key_for_sealing_is_the_restored_process_s_own(snapshotted: Path) -> None:
    public = x25519.X25519PrivateKey.generate().public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    data_key, sealed = sealing._data_key(_b64(raw))

    snapstart.after_restore()

    new_key, new_sealed = sealing._data_key(_b64(raw))
    assert new_key != data_key
    assert new_sealed != sealed


def test_random_is_seeded_anew(snapshotted: Path) -> None:
    random.seed(20)
    snapshotted_state = random.getstate()

    snapstart.after_restore()

    assert random.getstate() != snapshotted_state


def test_a_handler_registers_the_hook_once_with_the_runtime_library() -> None:
    from snapshot_restore_py import get_after_restore

    import functions.get_profile.handler
    import functions.process_log.handler  # noqa: F401

    snapstart.register_hooks()
    hooks = [entry for entry in get_after_restore() if entry[0] is snapstart.after_restore]
    assert hooks == [(snapstart.after_restore, (), {})]


def test_without_the_runtime_library_nothing_is_registered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)  # import fails
    monkeypatch.setattr(snapstart, "_registered", False)
    snapstart.register_hooks()
    assert snapstart._registered is False
