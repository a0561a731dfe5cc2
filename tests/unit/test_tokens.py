"""Token verification (shared.identity.tokens) and the settings it runs on (shared.config).

Real keys, real signatures: every token here is signed with a freshly generated RSA or EC key,
and the issuer's JWKS is a file the key set cache reads through a file:// URI.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jose import jwk, jwt
from pydantic import ValidationError

from shared import config
from shared.config import ConfigurationError, Settings, TrustedIssuer, get_settings
from shared.identity import access, tokens
from shared.identity.tokens import InvalidToken, KeySetCache, KeySetUnavailable, verify_token
from shared.problems import Problem

ISS = "https://inlog.example.nl"
OTHER_ISS = "https://andere-inlog.example.nl"
AUD = "profielservice"
BSN = "999993653"
BSN_ID_TYPE = "urn:nl-eid-gdi:1.0:id:BSN"


# --- keys ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    kid: str
    alg: str
    private_pem: bytes
    public_pem: bytes

    # Loading a PEM validates the key, which takes tens of milliseconds for RSA: done once per
    # key, the signatures themselves are made fresh for every token.
    @cached_property
    def _signing_key(self) -> Any:
        return jwk.construct(self.private_pem, self.alg)

    @cached_property
    def _public(self) -> dict[str, Any]:
        public = jwk.construct(self.private_pem, self.alg).public_key().to_dict()
        public.pop("alg", None)  # the JWKS states an alg only where a test says so
        return public

    def public_jwk(self, **extra: Any) -> dict[str, Any]:
        return {**self._public, "kid": self.kid, **extra}

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        headers = {"kid": self.kid, **header}
        algorithm = headers.pop("alg", self.alg)
        return jwt.encode(claims, self._signing_key, algorithm=algorithm, headers=headers)


def _pems(private_key: Any) -> tuple[bytes, bytes]:
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem


def _rsa_key(kid: str) -> Key:
    return Key(kid, "RS256", *_pems(rsa.generate_private_key(public_exponent=65537, key_size=2048)))


def _ec_key(kid: str) -> Key:
    return Key(kid, "ES256", *_pems(ec.generate_private_key(ec.SECP256R1())))


# Key generation is the slow part (RSA especially): once per module is enough, the keys are
# never changed by a test.
@pytest.fixture(scope="module")
def rsa_key() -> Key:
    return _rsa_key("rsa-1")


@pytest.fixture(scope="module")
def ec_key() -> Key:
    return _ec_key("ec-1")


@pytest.fixture(scope="module")
def other_rsa_key() -> Key:
    return _rsa_key("rsa-other")


# --- issuer, settings, tokens ----------------------------------------------------------------


def write_jwks(path: Path, *keys: dict[str, Any]) -> None:
    path.write_text(json.dumps({"keys": list(keys)}))


@pytest.fixture
def jwks_file(tmp_path: Path, rsa_key: Key, ec_key: Key) -> Path:
    path = tmp_path / "jwks.json"
    write_jwks(path, rsa_key.public_jwk(), ec_key.public_jwk())
    return path


def make_settings(*issuers: tuple[str, Path | str], **overrides: Any) -> Settings:
    trusted = [
        {"issuer": issuer, "jwks_uri": uri.as_uri() if isinstance(uri, Path) else uri}
        for issuer, uri in issuers
    ]
    return Settings(
        pseudonym_key="x" * 32,
        trusted_issuers=json.dumps(trusted),
        audience=AUD,
        **overrides,
    )


@pytest.fixture
def settings(jwks_file: Path) -> Settings:
    return make_settings((ISS, jwks_file))


@pytest.fixture
def key_sets() -> KeySetCache:
    return KeySetCache()


def claims(**changes: Any) -> dict[str, Any]:
    """Valid DigiD-like claims; a change of ``None`` removes the claim."""
    now = int(time.time())
    values: dict[str, Any] = {
        "iss": ISS,
        "aud": AUD,
        "sub": BSN,
        "sub_id_type": BSN_ID_TYPE,
        "acr": "http://eidas.europa.eu/LoA/substantial",
        "iat": now,
        "nbf": now,
        "exp": now + 300,
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value is not None}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value: Any) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def assert_refused(
    token: str,
    settings: Settings,
    key_sets: KeySetCache,
    verified: tokens.VerifiedTokenCache | None = None,
) -> InvalidToken:
    with pytest.raises(InvalidToken) as caught:
        if verified is None:
            verify_token(token, settings, key_sets)
        else:
            verify_token(token, settings, key_sets, verified)
    message = str(caught.value)
    # The message is returned to the client: it names no claim values.
    assert BSN not in message
    assert ISS not in message
    if token:
        assert token not in message
    assert message  # but it does say something
    return caught.value


# --- valid tokens ----------------------------------------------------------------------------


@pytest.mark.parametrize("key_fixture", ["rsa_key", "ec_key"])
def test_a_valid_token_gives_its_claims(
    key_fixture: str, request: pytest.FixtureRequest, settings: Settings, key_sets: KeySetCache
) -> None:
    key: Key = request.getfixturevalue(key_fixture)
    sent = claims()
    token = key.sign(sent)
    assert jwt.get_unverified_header(token)["alg"] == key.alg

    assert verify_token(token, settings, key_sets) == sent


def test_an_audience_list_that_includes_the_service_is_accepted(
    rsa_key: Key, settings: Settings, key_sets: KeySetCache
) -> None:
    token = rsa_key.sign(claims(aud=["andere-dienst", AUD]))
    assert verify_token(token, settings, key_sets)["sub"] == BSN


@pytest.mark.parametrize("jwk_alg", ["RS256", None])
def test_a_key_whose_own_alg_agrees_with_the_header_is_used(
    jwk_alg: str | None, tmp_path: Path, rsa_key: Key, key_sets: KeySetCache
) -> None:
    path = tmp_path / "jwks.json"
    write_jwks(path, rsa_key.public_jwk(**({"alg": jwk_alg} if jwk_alg else {})))
    token = rsa_key.sign(claims())
    assert verify_token(token, make_settings((ISS, path)), key_sets)["sub"] == BSN


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"exp": -10}, id="expired-within-leeway"),
        pytest.param({"nbf": 10}, id="not-yet-valid-within-leeway"),
    ],
)
def test_clock_skew_within_the_leeway_is_tolerated(
    change: dict[str, int], rsa_key: Key, settings: Settings, key_sets: KeySetCache
) -> None:
    assert settings.clock_skew_seconds == 30
    now = int(time.time())
    token = rsa_key.sign(claims(**{name: now + delta for name, delta in change.items()}))
    assert verify_token(token, settings, key_sets)["sub"] == BSN


def test_the_leeway_comes_from_the_settings(
    rsa_key: Key, jwks_file: Path, key_sets: KeySetCache
) -> None:
    token = rsa_key.sign(claims(exp=int(time.time()) - 120))
    assert_refused(token, make_settings((ISS, jwks_file)), key_sets)
    lenient = make_settings((ISS, jwks_file), clock_skew_seconds=300)
    assert verify_token(token, lenient, key_sets)["sub"] == BSN


def test_each_issuer_is_checked_against_its_own_key_set(
    tmp_path: Path, rsa_key: Key, other_rsa_key: Key, key_sets: KeySetCache
) -> None:
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    write_jwks(ours, rsa_key.public_jwk())
    write_jwks(theirs, other_rsa_key.public_jwk())
    settings = make_settings((ISS, ours), (OTHER_ISS, theirs))

    assert verify_token(other_rsa_key.sign(claims(iss=OTHER_ISS)), settings, key_sets)["iss"] == (
        OTHER_ISS
    )
    assert verify_token(rsa_key.sign(claims()), settings, key_sets)["iss"] == ISS
    # A key of the other issuer does not vouch for tokens in our issuer's name.
    assert_refused(other_rsa_key.sign(claims(iss=ISS)), settings, key_sets)
    assert_refused(rsa_key.sign(claims(iss=OTHER_ISS)), settings, key_sets)


# --- refused tokens --------------------------------------------------------------------------


def test_alg_none_is_refused(rsa_key: Key, settings: Settings, key_sets: KeySetCache) -> None:
    for alg in ("none", "None", "NONE"):
        token = f"{b64url_json({'alg': alg, 'kid': rsa_key.kid})}.{b64url_json(claims())}."
        assert_refused(token, settings, key_sets)


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_signed_with_the_public_key_is_refused(
    alg: str, rsa_key: Key, settings: Settings, key_sets: KeySetCache
) -> None:
    """Algorithm confusion: the public key's PEM used as the HMAC secret."""
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    signing_input = f"{b64url_json({'alg': alg, 'typ': 'JWT', 'kid': rsa_key.kid})}."
    signing_input += b64url_json(claims())
    signature = hmac.new(rsa_key.public_pem, signing_input.encode(), digest).digest()
    token = f"{signing_input}.{b64url(signature)}"
    assert_refused(token, settings, key_sets)


@pytest.mark.parametrize(
    "delta",
    [
        pytest.param({"exp": -31 - 5}, id="exp-just-beyond-leeway"),
        pytest.param({"exp": -3600}, id="exp-an-hour-ago"),
        pytest.param({"nbf": 31 + 5}, id="nbf-just-beyond-leeway"),
        pytest.param({"nbf": 3600}, id="nbf-in-an-hour"),
    ],
)
def test_a_token_outside_its_validity_period_is_refused(
    delta: dict[str, int], rsa_key: Key, settings: Settings, key_sets: KeySetCache
) -> None:
    now = int(time.time())
    token = rsa_key.sign(claims(**{name: now + d for name, d in delta.items()}))
    assert_refused(token, settings, key_sets)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"exp": None}, id="no-exp"),
        pytest.param({"sub": None}, id="no-sub"),
        pytest.param({"aud": None}, id="no-aud"),
        pytest.param({"iss": None}, id="no-iss"),
        pytest.param({"iss": "https://evil.example"}, id="untrusted-iss"),
        pytest.param({"iss": ISS + "/"}, id="iss-with-trailing-slash"),
        pytest.param({"aud": "andere-dienst"}, id="wrong-aud"),
        pytest.param({"aud": ["andere-dienst", "nog-een"]}, id="aud-list-without-us"),
        pytest.param({"exp": "morgen"}, id="exp-not-a-number"),
        pytest.param({"sub": 999993653}, id="sub-not-a-string"),
    ],
)
def test_a_token_with_wrong_or_missing_claims_is_refused(
    change: dict[str, Any], rsa_key: Key, settings: Settings, key_sets: KeySetCache
) -> None:
    assert_refused(rsa_key.sign(claims(**change)), settings, key_sets)


@pytest.mark.parametrize("key_fixture", ["rsa_key", "ec_key"])
def test_an_unknown_kid_is_refused(
    key_fixture: str, request: pytest.FixtureRequest, settings: Settings, key_sets: KeySetCache
) -> None:
    key: Key = request.getfixturevalue(key_fixture)
    assert_refused(key.sign(claims(), kid="onbekend"), settings, key_sets)


@pytest.mark.parametrize("kid", [None, 17, ["rsa-1"]])
def test_a_missing_or_non_string_kid_is_refused(
    kid: Any, rsa_key: Key, settings: Settings, key_sets: KeySetCache
) -> None:
    header = {"alg": "RS256", "kid": kid} if kid is not None else {"alg": "RS256"}
    signing_input = f"{b64url_json(header)}.{b64url_json(claims())}"
    valid = rsa_key.sign(claims())
    # A signature over another input: the point is that no key is chosen at all.
    token = f"{signing_input}.{valid.rsplit('.', 1)[1]}"
    assert_refused(token, settings, key_sets)


def test_a_token_signed_by_another_key_with_a_known_kid_is_refused(
    rsa_key: Key, other_rsa_key: Key, settings: Settings, key_sets: KeySetCache
) -> None:
    forged = other_rsa_key.sign(claims(), kid=rsa_key.kid)
    assert_refused(forged, settings, key_sets)


def test_an_ec_token_signed_by_another_ec_key_with_a_known_kid_is_refused(
    ec_key: Key, settings: Settings, key_sets: KeySetCache
) -> None:
    forged = _ec_key("ander").sign(claims(), kid=ec_key.kid)
    assert_refused(forged, settings, key_sets)


@pytest.mark.parametrize("key_fixture", ["rsa_key", "ec_key"])
def test_a_tampered_payload_with_the_original_signature_is_refused(
    key_fixture: str, request: pytest.FixtureRequest, settings: Settings, key_sets: KeySetCache
) -> None:
    key: Key = request.getfixturevalue(key_fixture)
    header, _payload, signature = key.sign(claims(sub="999993653")).split(".")
    # The original is valid; only the payload changes (the BSN of someone else).
    tampered = f"{header}.{b64url_json(claims(sub='999993654'))}.{signature}"
    assert_refused(tampered, settings, key_sets)


def test_a_tampered_header_with_the_original_signature_is_refused(
    rsa_key: Key, settings: Settings, key_sets: KeySetCache
) -> None:
    _header, payload, signature = rsa_key.sign(claims()).split(".")
    header = b64url_json({"alg": "RS256", "kid": rsa_key.kid, "typ": "JWT", "x": 1})
    assert_refused(f"{header}.{payload}.{signature}", settings, key_sets)


def test_an_rs256_header_on_an_ec_key_is_refused(
    ec_key: Key, rsa_key: Key, settings: Settings, key_sets: KeySetCache
) -> None:
    # Signed with RSA, so that only the kid (the EC key's) makes the mismatch.
    token = rsa_key.sign(claims(), kid=ec_key.kid)
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": ec_key.kid, "typ": "JWT"}
    assert_refused(token, settings, key_sets)


def test_an_es256_header_on_an_rsa_key_is_refused(
    ec_key: Key, rsa_key: Key, settings: Settings, key_sets: KeySetCache
) -> None:
    assert_refused(ec_key.sign(claims(), kid=rsa_key.kid), settings, key_sets)


def test_a_key_whose_own_alg_disagrees_with_the_header_is_refused(
    tmp_path: Path, rsa_key: Key, key_sets: KeySetCache
) -> None:
    path = tmp_path / "jwks.json"
    write_jwks(path, rsa_key.public_jwk(alg="ES256"))
    token = rsa_key.sign(claims())  # RS256, by the right key: only the JWK's alg says no
    assert_refused(token, make_settings((ISS, path)), key_sets)


@pytest.mark.parametrize("alg", ["RS384", "RS512", "PS256", "ES384", "ES512"])
def test_other_asymmetric_algorithms_are_refused(
    alg: str, rsa_key: Key, settings: Settings, key_sets: KeySetCache
) -> None:
    header = {"alg": alg, "kid": rsa_key.kid}
    token = f"{b64url_json(header)}.{b64url_json(claims())}.{b64url(b'x' * 64)}"
    assert_refused(token, settings, key_sets)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        "a.b.c",
        "a.b",
        "....",
        "eyJhbGciOiJSUzI1NiJ9.!!!.xyz",
        f"{b64url(b'not json')}.{b64url(b'not json')}.{b64url(b'sig')}",
        f"{b64url_json(['RS256'])}.{b64url_json({'sub': BSN})}.{b64url(b'sig')}",
        f"{b64url_json({'alg': 'RS256', 'kid': 'rsa-1'})}.{b64url_json([BSN])}.{b64url(b'sig')}",
    ],
)
def test_garbage_is_refused(token: str, settings: Settings, key_sets: KeySetCache) -> None:
    assert_refused(token, settings, key_sets)


def test_refusal_messages_never_carry_claim_values(
    rsa_key: Key, other_rsa_key: Key, settings: Settings, key_sets: KeySetCache
) -> None:
    """Across every kind of refusal: the sub, the issuer and the audience sent stay out."""
    now = int(time.time())
    refused = [
        rsa_key.sign(claims(exp=now - 3600)),
        rsa_key.sign(claims(nbf=now + 3600)),
        rsa_key.sign(claims(aud="dienst-999993653")),
        rsa_key.sign(claims(iss="https://999993653.example")),
        rsa_key.sign(claims(exp=None)),
        rsa_key.sign(claims(), kid="kid-999993653"),
        other_rsa_key.sign(claims(), kid=rsa_key.kid),
    ]
    messages = set()
    for token in refused:
        message = str(assert_refused(token, settings, key_sets))
        assert "999993653" not in message
        assert "dienst-" not in message
        messages.add(message)
    assert len(messages) >= 4  # the reasons are told apart, just not with values


# --- the key set cache -----------------------------------------------------------------------


def test_an_unreachable_jwks_uri_raises_key_set_unavailable(
    rsa_key: Key, key_sets: KeySetCache
) -> None:
    settings = make_settings((ISS, "file:///nonexistent/jwks.json"))
    with pytest.raises(KeySetUnavailable) as caught:
        verify_token(rsa_key.sign(claims()), settings, key_sets)
    assert "nonexistent" not in str(caught.value)


@pytest.mark.parametrize("content", ["", "not json", '{"keys": [', "\u0000"])
def test_an_unreadable_jwks_document_raises_key_set_unavailable(
    content: str, tmp_path: Path, rsa_key: Key, key_sets: KeySetCache
) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(content)
    with pytest.raises(KeySetUnavailable):
        key_sets.key(TrustedIssuer(issuer=ISS, jwks_uri=path.as_uri()), rsa_key.kid)


@pytest.mark.parametrize("document", [[], "keys", {"keys": None}, {"keys": 5}])
def test_a_jwks_document_of_the_wrong_shape_raises_key_set_unavailable(
    document: Any, tmp_path: Path, rsa_key: Key, key_sets: KeySetCache
) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(document))
    with pytest.raises(KeySetUnavailable):
        key_sets.key(TrustedIssuer(issuer=ISS, jwks_uri=path.as_uri()), rsa_key.kid)


def test_keys_without_a_string_kid_are_ignored(
    tmp_path: Path, rsa_key: Key, ec_key: Key, key_sets: KeySetCache
) -> None:
    path = tmp_path / "jwks.json"
    unnamed = {k: v for k, v in ec_key.public_jwk().items() if k != "kid"}
    write_jwks(path, rsa_key.public_jwk(), unnamed, {**ec_key.public_jwk(), "kid": 5}, "x")
    issuer = TrustedIssuer(issuer=ISS, jwks_uri=path.as_uri())
    assert key_sets.key(issuer, rsa_key.kid) == rsa_key.public_jwk()
    assert key_sets.key(issuer, ec_key.kid) is None


def test_a_rotated_key_is_found_after_clear(
    tmp_path: Path, rsa_key: Key, other_rsa_key: Key, key_sets: KeySetCache
) -> None:
    path = tmp_path / "jwks.json"
    write_jwks(path, rsa_key.public_jwk())
    settings = make_settings((ISS, path))
    assert verify_token(rsa_key.sign(claims()), settings, key_sets)["sub"] == BSN

    write_jwks(path, other_rsa_key.public_jwk())  # the issuer rotates
    rotated = other_rsa_key.sign(claims())
    # Within the refetch interval the cache does not go back to the issuer for an unknown kid.
    assert_refused(rotated, settings, key_sets)

    key_sets.clear()
    assert verify_token(rotated, settings, key_sets)["sub"] == BSN
    assert_refused(rsa_key.sign(claims()), settings, key_sets)  # the old key is gone


def test_an_unknown_kid_refetches_at_most_once_per_interval(
    tmp_path: Path,
    rsa_key: Key,
    other_rsa_key: Key,
    key_sets: KeySetCache,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "jwks.json"
    write_jwks(path, rsa_key.public_jwk())
    issuer = TrustedIssuer(issuer=ISS, jwks_uri=path.as_uri())
    clock = [1_000_000.0]
    fetches: list[str] = []
    real_fetch = tokens._fetch_keys
    monkeypatch.setattr(tokens.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(tokens, "_fetch_keys", lambda uri: fetches.append(uri) or real_fetch(uri))

    assert key_sets.key(issuer, rsa_key.kid) is not None
    assert len(fetches) == 1
    write_jwks(path, rsa_key.public_jwk(), other_rsa_key.public_jwk())
    for _ in range(20):  # a stream of made-up kids
        assert key_sets.key(issuer, "verzonnen") is None
    assert key_sets.key(issuer, other_rsa_key.kid) is None
    assert len(fetches) == 1

    clock[0] += tokens.JWKS_REFETCH_INTERVAL_SECONDS + 1
    assert key_sets.key(issuer, other_rsa_key.kid) == other_rsa_key.public_jwk()
    assert len(fetches) == 2
    assert key_sets.key(issuer, rsa_key.kid) is not None  # known kid: no fetch
    assert len(fetches) == 2

    clock[0] += tokens.JWKS_MAX_AGE_SECONDS + 1  # stale: fetched again even for a known kid
    assert key_sets.key(issuer, rsa_key.kid) is not None
    assert len(fetches) == 3


def test_the_cache_keeps_key_sets_apart_per_jwks_uri(
    tmp_path: Path, rsa_key: Key, other_rsa_key: Key, key_sets: KeySetCache
) -> None:
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    write_jwks(ours, rsa_key.public_jwk())
    write_jwks(theirs, other_rsa_key.public_jwk())
    a = TrustedIssuer(issuer=ISS, jwks_uri=ours.as_uri())
    b = TrustedIssuer(issuer=OTHER_ISS, jwks_uri=theirs.as_uri())
    assert key_sets.key(a, rsa_key.kid) is not None
    assert key_sets.key(b, rsa_key.kid) is None
    assert key_sets.key(b, other_rsa_key.kid) is not None


# --- verified tokens: one signature check per token --------------------------------------------


@pytest.fixture
def verified() -> tokens.VerifiedTokenCache:
    return tokens.VerifiedTokenCache()


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every full verification (python-jose's decode) from here on, by token."""
    calls: list[str] = []
    real_decode = tokens.jwt.decode

    def counting(token: str, *args: Any, **kwargs: Any) -> dict:
        calls.append(token)
        return real_decode(token, *args, **kwargs)

    monkeypatch.setattr(tokens.jwt, "decode", counting)
    return calls


def test_a_token_is_verified_once_and_its_claims_are_kept(
    rsa_key: Key,
    settings: Settings,
    key_sets: KeySetCache,
    verified: tokens.VerifiedTokenCache,
    decodes: list[str],
) -> None:
    sent = claims()
    token = rsa_key.sign(sent)
    assert verify_token(token, settings, key_sets, verified) == sent
    assert verify_token(token, settings, key_sets, verified) == sent
    assert decodes == [token]


def test_kept_claims_cannot_be_changed_through_an_answer(
    rsa_key: Key, settings: Settings, key_sets: KeySetCache, verified: tokens.VerifiedTokenCache
) -> None:
    token = rsa_key.sign(claims())
    verify_token(token, settings, key_sets, verified)["sub"] = "999990019"
    assert verify_token(token, settings, key_sets, verified)["sub"] == BSN


@pytest.mark.parametrize("seconds_later", [300 + 30 + 1, 3600])
def test_a_kept_token_is_refused_once_it_expires(
    seconds_later: int,
    rsa_key: Key,
    settings: Settings,
    key_sets: KeySetCache,
    verified: tokens.VerifiedTokenCache,
    decodes: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = int(time.time())
    token = rsa_key.sign(claims(iat=now, nbf=now, exp=now + 300))
    assert verify_token(token, settings, key_sets, verified)["sub"] == BSN

    # Only the check on use can refuse it here: python-jose's own clock is not moved, so a full
    # verification would still accept the token.
    monkeypatch.setattr(tokens.time, "time", lambda: float(now + seconds_later))
    error = assert_refused(token, settings, key_sets, verified)
    assert str(error) == "het token is verlopen"
    assert decodes == [token]


def test_a_kept_token_is_accepted_within_the_leeway_after_exp(
    rsa_key: Key,
    settings: Settings,
    key_sets: KeySetCache,
    verified: tokens.VerifiedTokenCache,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = int(time.time())
    token = rsa_key.sign(claims(exp=now + 300))
    verify_token(token, settings, key_sets, verified)
    monkeypatch.setattr(tokens.time, "time", lambda: now + 300 + 30 + 0.999)
    assert verify_token(token, settings, key_sets, verified)["sub"] == BSN


def test_a_kept_token_is_refused_before_its_nbf_when_the_clock_goes_back(
    rsa_key: Key,
    settings: Settings,
    key_sets: KeySetCache,
    verified: tokens.VerifiedTokenCache,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = int(time.time())
    token = rsa_key.sign(claims(nbf=now))
    verify_token(token, settings, key_sets, verified)
    monkeypatch.setattr(tokens.time, "time", lambda: float(now - 30 - 1))
    assert_refused(token, settings, key_sets, verified)


def test_a_kept_token_is_refused_once_the_issuer_withdraws_its_key(
    tmp_path: Path,
    rsa_key: Key,
    other_rsa_key: Key,
    key_sets: KeySetCache,
    verified: tokens.VerifiedTokenCache,
) -> None:
    path = tmp_path / "jwks.json"
    write_jwks(path, rsa_key.public_jwk())
    settings = make_settings((ISS, path))
    token = rsa_key.sign(claims())
    assert verify_token(token, settings, key_sets, verified)["sub"] == BSN

    write_jwks(path, other_rsa_key.public_jwk())
    key_sets.clear()  # the key set is read anew, as it is after JWKS_MAX_AGE_SECONDS
    error = assert_refused(token, settings, key_sets, verified)
    assert str(error) == "de sleutel van het token is onbekend"


def test_a_kept_token_is_verified_in_full_when_its_kid_names_another_key(
    tmp_path: Path,
    rsa_key: Key,
    other_rsa_key: Key,
    key_sets: KeySetCache,
    verified: tokens.VerifiedTokenCache,
) -> None:
    path = tmp_path / "jwks.json"
    write_jwks(path, rsa_key.public_jwk())
    settings = make_settings((ISS, path))
    token = rsa_key.sign(claims())
    verify_token(token, settings, key_sets, verified)

    # The issuer reuses the kid for a new key: the old signature no longer verifies.
    write_jwks(path, other_rsa_key.public_jwk(kid=rsa_key.kid))
    key_sets.clear()
    error = assert_refused(token, settings, key_sets, verified)
    assert str(error) == "de handtekening van het token klopt niet"


def test_a_token_kept_under_other_settings_is_checked_against_these(
    rsa_key: Key,
    jwks_file: Path,
    key_sets: KeySetCache,
    verified: tokens.VerifiedTokenCache,
    decodes: list[str],
) -> None:
    token = rsa_key.sign(claims())
    assert verify_token(token, make_settings((ISS, jwks_file)), key_sets, verified)
    other_service = make_settings((ISS, jwks_file)).model_copy(update={"audience": "andere"})
    assert_refused(token, other_service, key_sets, verified)
    assert decodes == [token, token]


def test_a_token_with_another_signature_is_not_taken_for_a_kept_one(
    rsa_key: Key,
    other_rsa_key: Key,
    settings: Settings,
    key_sets: KeySetCache,
    verified: tokens.VerifiedTokenCache,
) -> None:
    sent = claims()
    token = rsa_key.sign(sent)
    verify_token(token, settings, key_sets, verified)
    header, payload, _ = token.split(".")
    forged_signature = other_rsa_key.sign(sent, kid=rsa_key.kid).split(".")[2]
    assert_refused(f"{header}.{payload}.{forged_signature}", settings, key_sets, verified)


def test_a_refused_token_is_not_kept(
    rsa_key: Key,
    settings: Settings,
    key_sets: KeySetCache,
    verified: tokens.VerifiedTokenCache,
    decodes: list[str],
) -> None:
    token = rsa_key.sign(claims(aud="andere-dienst"))
    assert_refused(token, settings, key_sets, verified)
    assert_refused(token, settings, key_sets, verified)
    assert decodes == [token, token]


def test_the_least_recently_used_token_leaves_when_the_cache_is_full(
    rsa_key: Key, settings: Settings, key_sets: KeySetCache, decodes: list[str]
) -> None:
    verified = tokens.VerifiedTokenCache(maxsize=2)
    first, second, third = (rsa_key.sign(claims(jti=str(n))) for n in range(3))
    for token in (first, second, first, third, first, second):
        verify_token(token, settings, key_sets, verified)
    # second left for third; first stayed, as it had just been used.
    assert decodes == [first, second, third, second]


# --- the caller of a verified token (shared.identity.access) ---------------------------------


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, jwks_file: Path):
    """The settings a function reads from its environment, with the test's issuer."""
    for variable in config.ENVIRONMENT_VARIABLES.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PROFIEL_PSEUDONYM_KEY", "p" * 32)
    monkeypatch.setenv(
        "PROFIEL_TRUSTED_ISSUERS", json.dumps([{"issuer": ISS, "jwks_uri": jwks_file.as_uri()}])
    )
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.fixture
def callers_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The partij key of every caller worked out from claims from here on."""
    made: list[str] = []
    real = access.caller_of

    def counting(subject: Any) -> access.PartijCaller:
        caller = real(subject)
        made.append(caller.partij)
        return caller

    monkeypatch.setattr(access, "caller_of", counting)
    return made


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def test_the_caller_of_a_token_is_worked_out_once(
    rsa_key: Key, environment: pytest.MonkeyPatch, callers_made: list[str]
) -> None:
    token = rsa_key.sign(claims())
    caller = access.authenticate(_bearer(token))
    assert access.authenticate(_bearer(token)) is caller
    assert callers_made == [caller.partij]
    other = access.authenticate(_bearer(rsa_key.sign(claims(sub="999990019"))))
    assert other.partij != caller.partij and len(callers_made) == 2


def test_the_caller_of_an_expired_token_is_not_handed_out(
    rsa_key: Key, environment: pytest.MonkeyPatch
) -> None:
    now = int(time.time())
    token = rsa_key.sign(claims(exp=now + 300))
    access.authenticate(_bearer(token))
    environment.setattr(tokens.time, "time", lambda: float(now + 300 + 30 + 1))
    with pytest.raises(Problem) as refused:
        access.authenticate(_bearer(token))
    assert refused.value.status == 401


def test_the_caller_is_worked_out_anew_under_new_settings(
    rsa_key: Key, environment: pytest.MonkeyPatch
) -> None:
    token = rsa_key.sign(claims())
    before = access.authenticate(_bearer(token))
    environment.setenv("PROFIEL_PSEUDONYM_KEY", "q" * 32)  # a new key: another pseudonym
    get_settings.cache_clear()
    assert access.authenticate(_bearer(token)).partij != before.partij


def test_a_token_without_a_partij_is_refused_every_time(
    rsa_key: Key, environment: pytest.MonkeyPatch, callers_made: list[str]
) -> None:
    token = rsa_key.sign(claims(sub_id_type="urn:onbekend"))
    for _ in range(2):
        with pytest.raises(Problem) as refused:
            access.authenticate(_bearer(token))
        assert refused.value.status == 403
    assert callers_made == []


# --- settings --------------------------------------------------------------------------------


def test_settings_defaults_and_parsed_issuers(jwks_file: Path) -> None:
    settings = Settings(
        pseudonym_key="x" * 32,
        trusted_issuers=json.dumps([{"issuer": ISS, "jwks_uri": jwks_file.as_uri()}]),
    )
    assert settings.trusted_issuers == (TrustedIssuer(issuer=ISS, jwks_uri=jwks_file.as_uri()),)
    assert settings.audience == "profielservice"
    assert settings.minimum_assurance == "substantial"
    assert settings.clock_skew_seconds == 30
    assert settings.max_body_bytes == 65_536
    assert "x" * 32 not in repr(settings)  # the key is a secret
    assert settings.pseudonym_key.get_secret_value() == "x" * 32
    with pytest.raises(ValidationError):
        settings.audience = "iets-anders"  # frozen


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"pseudonym_key": "x" * 31}, id="key-too-short"),
        pytest.param({"trusted_issuers": "[]"}, id="no-issuers"),
        pytest.param({"trusted_issuers": "not json"}, id="issuers-not-json"),
        pytest.param(
            {"trusted_issuers": json.dumps([{"issuer": ISS, "jwks_uri": "ftp://x/jwks"}])},
            id="jwks-uri-scheme",
        ),
        pytest.param(
            {"trusted_issuers": json.dumps([{"issuer": "", "jwks_uri": "https://x/jwks"}])},
            id="empty-issuer",
        ),
        pytest.param(
            {"trusted_issuers": json.dumps([{"issuer": ISS, "jwks_uri": "https://x", "x": 1}])},
            id="extra-issuer-field",
        ),
        pytest.param({"clock_skew_seconds": 301}, id="skew-too-large"),
        pytest.param({"clock_skew_seconds": -1}, id="skew-negative"),
        pytest.param({"max_body_bytes": 1023}, id="body-limit-too-small"),
        pytest.param({"minimum_assurance": "medium"}, id="unknown-assurance"),
    ],
)
def test_invalid_settings_are_refused(changes: dict[str, Any]) -> None:
    values: dict[str, Any] = {
        "pseudonym_key": "x" * 32,
        "trusted_issuers": json.dumps([{"issuer": ISS, "jwks_uri": "https://x/jwks"}]),
        **changes,
    }
    with pytest.raises(ValidationError):
        Settings(**values)


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch):
    for variable in config.ENVIRONMENT_VARIABLES.values():
        monkeypatch.delenv(variable, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_get_settings_reads_the_environment(clean_environment: pytest.MonkeyPatch) -> None:
    clean_environment.setenv("PROFIEL_PSEUDONYM_KEY", "k" * 40)
    clean_environment.setenv(
        "PROFIEL_TRUSTED_ISSUERS", json.dumps([{"issuer": ISS, "jwks_uri": "https://x/jwks"}])
    )
    clean_environment.setenv("PROFIEL_CLOCK_SKEW_SECONDS", "5")
    clean_environment.setenv("PROFIEL_AUDIENCE", "")  # empty counts as unset
    settings = get_settings()
    assert settings.pseudonym_key.get_secret_value() == "k" * 40
    assert settings.trusted_issuers[0].issuer == ISS
    assert settings.clock_skew_seconds == 5
    assert settings.audience == "profielservice"
    assert get_settings() is settings  # read once per process


def test_get_settings_names_the_wrong_variables_but_not_their_values(
    clean_environment: pytest.MonkeyPatch,
) -> None:
    secret = "geheim-999993653"  # too short to be a key
    clean_environment.setenv("PROFIEL_PSEUDONYM_KEY", secret)
    clean_environment.setenv("PROFIEL_CLOCK_SKEW_SECONDS", "999993653")
    with pytest.raises(ConfigurationError) as caught:
        get_settings()
    message = str(caught.value)
    assert "PROFIEL_PSEUDONYM_KEY" in message
    assert "PROFIEL_TRUSTED_ISSUERS" in message  # missing
    assert "PROFIEL_CLOCK_SKEW_SECONDS" in message
    assert "PROFIEL_AUDIENCE" not in message
    assert "geheim" not in message
    assert "999993653" not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
