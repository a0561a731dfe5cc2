"""Token attacks at a portal operation and at the organisation operation, over HTTP.

Every forged, stale, misdirected or insufficient token is refused: 401 when the token is not
valid (with ``WWW-Authenticate``), 403 when it is valid but not enough. Every refusal is an
RFC 9457 problem that does not echo the token, and a refused change stores nothing: the victim's
ETag and preferences are the same after each attempt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwt

from infra.local.dev_idp import ISSUER, DevIdentityProvider
from infra.local.workspace import Workspace
from shared.models.partij import SoortIdentificator, oidc_id_type
from tests.support import (
    ApiClient,
    random_eidas_identificator,
    random_kvk_nummer,
    random_test_bsn,
)

GRANTED_OIN = "00000099000000000001"
UNGRANTED_OIN = "00000099000000000002"
SCOPE = "profielservice.opvragen"
ACR_LOW = "http://eidas.europa.eu/LoA/low"
CLOCK_SKEW_SECONDS = 30

PORTAL = "portal"
ORGANISATION = "organisation"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value: Any) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


@dataclass(frozen=True)
class Sent:
    """What an attacker sends: header lines (possibly repeated) and query parameters."""

    headers: tuple[tuple[str, str], ...] = ()
    params: dict[str, str] = field(default_factory=dict)
    # Every secret-ish string that must never come back in an answer.
    secrets: tuple[str, ...] = ()


def bearer(token: str) -> Sent:
    return Sent((("Authorization", f"Bearer {token}"),), secrets=_pieces(token))


def _pieces(token: str) -> tuple[str, ...]:
    return (token, *(part for part in token.split(".") if len(part) >= 16))


@dataclass
class Forge:
    """The attacker's workbench: the issuer's public JWKS, and (for claims tests) the real IdP."""

    idp: DevIdentityProvider
    signing_pem: str
    victim_bsn: str
    attacker_bsn: str

    def claims(self, target: str) -> dict[str, Any]:
        """The identity an attacker wants at ``target``: the victim, or the granted organisation."""
        if target == PORTAL:
            return {"sub": self.victim_bsn, "sub_id_type": oidc_id_type(SoortIdentificator.BSN)}
        return {"sub": GRANTED_OIN, "client_id": GRANTED_OIN, "scope": SCOPE, "acr": None}

    def full(self, claims: dict[str, Any], **overrides: Any) -> dict[str, Any]:
        """The claim set the IdP would sign, with ``overrides`` (None leaves a claim out)."""
        return self.idp.claims({**claims, **overrides})

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        [key] = self.idp.jwks["keys"]
        n = int.from_bytes(b64url_decode(key["n"]), "big")
        e = int.from_bytes(b64url_decode(key["e"]), "big")
        return rsa.RSAPublicNumbers(e, n).public_key()

    def public_pem(self, pkcs1: bool = False) -> bytes:
        return self.public_key.public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.PKCS1
            if pkcs1
            else serialization.PublicFormat.SubjectPublicKeyInfo,
        )


# --- the forgeries: each takes the workbench and the target, and returns what is sent ---------


def alg_none(forge: Forge, target: str) -> Sent:
    header = {"alg": "none", "typ": "JWT", "kid": forge.idp.key_id}
    return bearer(f"{b64url_json(header)}.{b64url_json(forge.full(forge.claims(target)))}.")


def alg_none_keeping_a_signature(forge: Forge, target: str) -> Sent:
    """``alg: none`` spelled differently, with the signature of a real token left on."""
    real = forge.idp.token(forge.claims(target)).split(".")[2]
    header = {"alg": "None", "typ": "JWT", "kid": forge.idp.key_id}
    payload = forge.full(forge.claims(target))
    return bearer(f"{b64url_json(header)}.{b64url_json(payload)}.{real}")


def _hs256_with(secret: bytes, forge: Forge, target: str) -> Sent:
    header = {"alg": "HS256", "typ": "JWT", "kid": forge.idp.key_id}
    signing_input = f"{b64url_json(header)}.{b64url_json(forge.full(forge.claims(target)))}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return bearer(f"{signing_input}.{b64url(signature)}")


def hs256_public_key_spki(forge: Forge, target: str) -> Sent:
    """The classic key confusion: HMAC keyed with the issuer's public key as PEM."""
    return _hs256_with(forge.public_pem(), forge, target)


def hs256_public_key_pkcs1(forge: Forge, target: str) -> Sent:
    return _hs256_with(forge.public_pem(pkcs1=True), forge, target)


def expired(forge: Forge, target: str) -> Sent:
    return bearer(
        forge.idp.token(forge.claims(target), lifetime_seconds=-(CLOCK_SKEW_SECONDS + 90))
    )


def not_yet_valid(forge: Forge, target: str) -> Sent:
    later = int(time.time()) + CLOCK_SKEW_SECONDS + 120
    return bearer(forge.idp.token({**forge.claims(target), "nbf": later, "iat": later}))


def wrong_issuer(forge: Forge, target: str) -> Sent:
    return bearer(forge.idp.token({**forge.claims(target), "iss": "https://idp.evil.example"}))


def issuer_with_trailing_slash(forge: Forge, target: str) -> Sent:
    return bearer(forge.idp.token({**forge.claims(target), "iss": ISSUER + "/"}))


def wrong_audience(forge: Forge, target: str) -> Sent:
    return bearer(forge.idp.token({**forge.claims(target), "aud": "een-andere-dienst"}))


def no_expiry(forge: Forge, target: str) -> Sent:
    token = jwt.encode(
        forge.full(forge.claims(target), exp=None),
        forge.signing_pem,
        algorithm="RS256",
        headers={"kid": forge.idp.key_id},
    )
    return bearer(token)


def unknown_kid(forge: Forge, target: str) -> Sent:
    token = jwt.encode(
        forge.full(forge.claims(target)),
        forge.signing_pem,
        algorithm="RS256",
        headers={"kid": f"unknown-{uuid.uuid4().hex[:8]}"},
    )
    return bearer(token)


def foreign_key_with_the_real_kid(forge: Forge, target: str) -> Sent:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    token = jwt.encode(
        forge.full(forge.claims(target)), pem, algorithm="RS256", headers={"kid": forge.idp.key_id}
    )
    return bearer(token)


def tampered_payload(forge: Forge, target: str) -> Sent:
    """A real token of the attacker's own, ``sub`` changed to the victim's, signature kept."""
    if target == PORTAL:
        own = forge.idp.burger_token(forge.attacker_bsn)
    else:
        own = forge.idp.organisation_token(UNGRANTED_OIN)
    header, payload, signature = own.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["sub"] = forge.victim_bsn if target == PORTAL else GRANTED_OIN
    if target == ORGANISATION:
        claims["client_id"] = GRANTED_OIN
    return bearer(f"{header}.{b64url_json(claims)}.{signature}")


def missing_scope(forge: Forge, target: str) -> Sent:
    return bearer(forge.idp.organisation_token(GRANTED_OIN, scope="openid profiel"))


def acr_low(forge: Forge, target: str) -> Sent:
    return bearer(forge.idp.burger_token(forge.victim_bsn, acr=ACR_LOW))


def acr_unknown(forge: Forge, target: str) -> Sent:
    return bearer(forge.idp.burger_token(forge.victim_bsn, acr="urn:evil:loa:high"))


def portal_token(forge: Forge, target: str) -> Sent:
    return bearer(forge.idp.burger_token(forge.victim_bsn))


def representative_token(forge: Forge, target: str) -> Sent:
    return bearer(forge.idp.ondernemer_token(random_kvk_nummer()))


def organisation_token(forge: Forge, target: str) -> Sent:
    return bearer(forge.idp.organisation_token(GRANTED_OIN))


def _acting_for_victim(forge: Forge, **represents: Any) -> dict[str, Any]:
    """The attacker's own DigiD login, "acting for" the victim as ``represents`` says."""
    bsn = oidc_id_type(SoortIdentificator.BSN)
    return {
        "sub": forge.attacker_bsn,
        "sub_id_type": bsn,
        "represents": {"sub": forge.victim_bsn, "sub_id_type": bsn, **represents},
    }


def represents_victim_without_rol(forge: Forge, target: str) -> Sent:
    return bearer(forge.idp.token(_acting_for_victim(forge)))


def represents_victim_as_unknown_rol(forge: Forge, target: str) -> Sent:
    return bearer(forge.idp.token(_acting_for_victim(forge, rol="mentor")))


def represents_malformed_bsn(forge: Forge, target: str) -> Sent:
    """The victim's BSN spelled so that a lenient parser would still read it."""
    return bearer(
        forge.idp.token(_acting_for_victim(forge, sub=f" {forge.victim_bsn}", rol="curator"))
    )


def represents_chain_to_victim(forge: Forge, target: str) -> Sent:
    """A company in between: OIDC NL GOV's chain, whose deepest link is the party served."""
    inner = _acting_for_victim(forge, rol="curator")["represents"]
    kvk = {"sub": random_kvk_nummer(), "sub_id_type": oidc_id_type(SoortIdentificator.KVK_NUMMER)}
    claims = {**_acting_for_victim(forge), "represents": {**kvk, "represents": inner}}
    return bearer(forge.idp.token(claims))


def act_claim_naming_the_attacker(forge: Forge, target: str) -> Sent:
    """RFC 8693 delegation: the victim as ``sub``, the attacker as ``act``."""
    claims = {**forge.claims(PORTAL), "act": {"sub": forge.attacker_bsn}}
    return bearer(forge.idp.token(claims))


def eidas_acr_low(forge: Forge, target: str) -> Sent:
    return bearer(forge.idp.eidas_token(random_eidas_identificator(), acr=ACR_LOW))


def eidas_token(forge: Forge, target: str) -> Sent:
    return bearer(forge.idp.eidas_token(random_eidas_identificator(), scope=SCOPE))


def representative_of_a_person_token(forge: Forge, target: str) -> Sent:
    token = forge.idp.representative_token(forge.victim_bsn, "curator", forge.attacker_bsn)
    return bearer(token)


def token_in_query_string(forge: Forge, target: str) -> Sent:
    token = forge.idp.token(forge.claims(target))
    return Sent(params={"access_token": token}, secrets=_pieces(token))


def garbage_bearer(forge: Forge, target: str) -> Sent:
    return bearer("dit-is-geen-token")


def three_garbage_segments(forge: Forge, target: str) -> Sent:
    return bearer("eyJub3QiOiJqc29uIn0.bm90IGpzb24.c2lnbmF0dXJl")


def empty_bearer(forge: Forge, target: str) -> Sent:
    return Sent((("Authorization", "Bearer "),))


def basic_scheme(forge: Forge, target: str) -> Sent:
    secret = base64.b64encode(f"{forge.victim_bsn}:geheim-wachtwoord".encode()).decode()
    return Sent((("Authorization", f"Basic {secret}"),), secrets=(secret, "geheim-wachtwoord"))


def bearer_and_basic(forge: Forge, target: str) -> Sent:
    """A second ``Authorization`` header with another scheme, after a valid bearer token."""
    token = forge.idp.token(forge.claims(target))
    secret = base64.b64encode(b"beheerder:geheim-wachtwoord").decode()
    return Sent(
        (("Authorization", f"Bearer {token}"), ("Authorization", f"Basic {secret}")),
        secrets=(*_pieces(token), secret),
    )


def basic_and_bearer(forge: Forge, target: str) -> Sent:
    token = forge.idp.token(forge.claims(target))
    secret = base64.b64encode(b"beheerder:geheim-wachtwoord").decode()
    return Sent(
        (("Authorization", f"Basic {secret}"), ("Authorization", f"Bearer {token}")),
        secrets=(*_pieces(token), secret),
    )


def forged_fsc_header(forge: Forge, target: str) -> Sent:
    """A valid token of an organisation without the grant, an unsigned FSC token for one with."""
    token = forge.idp.organisation_token(UNGRANTED_OIN)
    header = {"alg": "none", "typ": "JWT"}
    fsc = f"{b64url_json(header)}.{b64url_json(forge.full(forge.claims(ORGANISATION)))}."
    return Sent(
        (("Authorization", f"Bearer {token}"), ("Fsc-Authorization", fsc)),
        secrets=(*_pieces(token), *_pieces(fsc)),
    )


@dataclass(frozen=True)
class Attack:
    name: str
    forge: Callable[[Forge, str], Sent]
    # Expected status at GET /profiel and PATCH /profiel/voorkeuren; None: not meaningful there.
    portal: int | None
    # Expected status at POST /opvragingen; None: not meaningful there.
    organisation: int | None


ATTACKS = (
    Attack("alg-none", alg_none, 401, 401),
    Attack("alg-None-with-a-real-signature", alg_none_keeping_a_signature, 401, 401),
    Attack("hs256-keyed-with-public-key-spki", hs256_public_key_spki, 401, 401),
    Attack("hs256-keyed-with-public-key-pkcs1", hs256_public_key_pkcs1, 401, 401),
    Attack("expired", expired, 401, 401),
    Attack("not-yet-valid", not_yet_valid, 401, 401),
    Attack("wrong-issuer", wrong_issuer, 401, 401),
    Attack("issuer-with-trailing-slash", issuer_with_trailing_slash, 401, 401),
    Attack("wrong-audience", wrong_audience, 401, 401),
    Attack("no-exp-claim", no_expiry, 401, 401),
    Attack("unknown-kid", unknown_kid, 401, 401),
    Attack("foreign-key-with-the-real-kid", foreign_key_with_the_real_kid, 401, 401),
    Attack("tampered-payload-original-signature", tampered_payload, 401, 401),
    Attack("missing-scope", missing_scope, 403, 403),
    Attack("acr-low", acr_low, 403, None),
    Attack("acr-unknown-uri", acr_unknown, 403, None),
    Attack("portal-token-at-organisation-operation", portal_token, None, 403),
    Attack("representative-token-at-organisation-operation", representative_token, None, 403),
    Attack("organisation-token-at-portal-operation", organisation_token, 403, None),
    Attack("represents-victim-without-rol", represents_victim_without_rol, 403, 403),
    Attack("represents-victim-as-unknown-rol", represents_victim_as_unknown_rol, 403, 403),
    Attack("represents-malformed-bsn", represents_malformed_bsn, 403, 403),
    Attack("represents-chain-to-victim", represents_chain_to_victim, 403, 403),
    Attack("act-claim-naming-the-attacker", act_claim_naming_the_attacker, 403, None),
    Attack("eidas-acr-low", eidas_acr_low, 403, None),
    Attack("eidas-token-at-organisation-operation", eidas_token, None, 403),
    Attack(
        "person-representative-token-at-organisation-operation",
        representative_of_a_person_token,
        None,
        403,
    ),
    Attack("token-in-query-string", token_in_query_string, 401, 401),
    Attack("garbage-bearer", garbage_bearer, 401, 401),
    Attack("three-garbage-segments", three_garbage_segments, 401, 401),
    Attack("empty-bearer", empty_bearer, 401, 401),
    Attack("basic-scheme", basic_scheme, 401, 401),
    Attack("bearer-then-second-basic-header", bearer_and_basic, 401, 401),
    Attack("basic-then-second-bearer-header", basic_and_bearer, 401, 401),
    Attack("forged-fsc-authorization", forged_fsc_header, None, 401),
)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()


def send(
    api_url: str,
    method: str,
    path: str,
    sent: Sent,
    body: Any = None,
    extra: tuple[tuple[str, str], ...] = (),
) -> Answer:
    """One request with exactly the header lines given (``requests`` cannot repeat a header)."""
    url = urlsplit(api_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    target = url.path + path + (f"?{urlencode(sent.params)}" if sent.params else "")
    payload = None if body is None else json.dumps(body).encode()
    try:
        connection.putrequest(method, target)
        for name, value in (*sent.headers, *extra):
            connection.putheader(name, value)
        if payload is not None:
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(len(payload)))
        connection.endheaders(payload)
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read().decode("utf-8"))
    finally:
        connection.close()


@dataclass
class Victim:
    bsn: str
    client: ApiClient

    def state(self) -> tuple[str, dict]:
        response = self.client.read()
        assert response.status_code == 200, response.text
        return response.headers["ETag"], response.json()


@pytest.fixture(scope="module")
def victim(api_url: str, idp: DevIdentityProvider) -> Victim:
    bsn = random_test_bsn()
    client = ApiClient(api_url, idp.burger_token(bsn))
    stored = client.change("PATCH", "/profiel/voorkeuren", {"taal": "nl"})
    assert stored.status_code == 200, stored.text
    return Victim(bsn, client)


@pytest.fixture(scope="module")
def forge(idp: DevIdentityProvider, workspace: Workspace, victim: Victim) -> Forge:
    return Forge(idp, workspace.signing_key.read_text(), victim.bsn, random_test_bsn())


def assert_refused(answer: Answer, status: int, sent: Sent, victim: Victim) -> None:
    assert answer.status == status, answer.text
    assert answer.content_type == "application/problem+json", answer.headers
    problem = json.loads(answer.text)
    assert problem["status"] == status
    slug = "niet-geauthenticeerd" if status == 401 else "geen-toegang"
    assert problem["type"] == f"urn:nl:profielservice:problem:{slug}"
    if status == 401:
        assert (answer.headers.get("WWW-Authenticate") or "").startswith("Bearer "), answer.headers
    for secret in sent.secrets:
        assert secret not in answer.text, "the answer echoes what was sent"
        assert secret not in str(answer.headers)
    assert victim.bsn not in answer.text
    assert "Traceback" not in answer.text


PORTAL_ATTACKS = [a for a in ATTACKS if a.portal is not None]
ORGANISATION_ATTACKS = [a for a in ATTACKS if a.organisation is not None]


def test_attack_count(capsys: pytest.CaptureFixture[str]) -> None:
    requests_made = 2 * len(PORTAL_ATTACKS) + len(ORGANISATION_ATTACKS)
    with capsys.disabled():
        print(
            f"\n[token attacks] {len(ATTACKS)} attacks: {len(PORTAL_ATTACKS)} at the portal "
            f"(GET + PATCH), {len(ORGANISATION_ATTACKS)} at /opvragingen; "
            f"{requests_made} refused requests"
        )
    assert len(ATTACKS) >= 20


@pytest.mark.parametrize("attack", PORTAL_ATTACKS, ids=lambda a: a.name)
def test_portal_operation_refuses(
    attack: Attack, api_url: str, forge: Forge, victim: Victim
) -> None:
    etag, before = victim.state()

    sent = attack.forge(forge, PORTAL)
    read = send(api_url, "GET", "/profiel", sent)
    assert_refused(read, attack.portal, sent, victim)

    sent = attack.forge(forge, PORTAL)
    change = send(
        api_url,
        "PATCH",
        "/profiel/voorkeuren",
        sent,
        {"taal": "en", "correspondentie": "post"},
        extra=(("If-Match", etag),),
    )
    assert_refused(change, attack.portal, sent, victim)
    assert "ETag" not in change.headers

    # Nothing was stored: the same version, the same preferences.
    assert victim.state() == (etag, before)


@pytest.mark.parametrize("attack", ORGANISATION_ATTACKS, ids=lambda a: a.name)
def test_organisation_operation_refuses(
    attack: Attack, api_url: str, forge: Forge, victim: Victim
) -> None:
    sent = attack.forge(forge, ORGANISATION)
    body = {"doel": "notificatie", "betrokkenen": [{"bsn": victim.bsn}]}
    answer = send(api_url, "POST", "/opvragingen", sent, body)
    assert_refused(answer, attack.organisation, sent, victim)
    assert "resultaten" not in answer.text


def test_the_real_tokens_work(api_url: str, forge: Forge, victim: Victim) -> None:
    """The control: the same requests with genuine tokens succeed, so refusals mean something."""
    assert send(api_url, "GET", "/profiel", portal_token(forge, PORTAL)).status == 200
    body = {"doel": "notificatie", "betrokkenen": [{"bsn": victim.bsn}]}
    looked_up = send(api_url, "POST", "/opvragingen", organisation_token(forge, ORGANISATION), body)
    assert looked_up.status == 200, looked_up.text
    representative = send(api_url, "GET", "/profiel", representative_token(forge, PORTAL))
    assert representative.status == 200, representative.text
