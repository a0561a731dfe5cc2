"""The development IdP's login (infra/local/dev_idp_web.py): the authorization-code flow with PKCE
a relying party such as the reference portal goes through, and the test login page it shows.

The tokens are checked as their readers check them: the access token against the JWKS with the
audience the service accepts (and read by the service's own ``subject_from_claims``), the ID token
with the relying party's client_id and nonce - and once end to end by Authlib's Flask client, as
the portal uses it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from jose import jwt
from werkzeug.test import Client, TestResponse

from infra.local.demo import DEMO_BSNS, DEMO_KVK_NUMMERS, DEMO_VESTIGINGSNUMMER
from infra.local.dev_idp import AUDIENCE, ISSUER, DevIdentityProvider
from infra.local.dev_idp_web import (
    CODE_LIFETIME_SECONDS,
    OPENID_CONFIGURATION_PATH,
    DevIdpClient,
    DevIdpKeys,
    DevIdpWeb,
)
from infra.local.gateway import Gateway
from infra.local.serving import serve
from infra.local.store import free_port
from infra.local.workspace import Workspace
from shared.identity.subject import ActorRole, subject_from_claims
from shared.models.partij import SoortIdentificator
from tests.support import random_test_bsn

CLIENT_ID = "referentieportaal"
SECRET = "geheim-" + "x" * 32
REDIRECT_URI = "http://127.0.0.1:5000/inloggen/terug"
OTHER_REDIRECT_URI = "https://portaal.example.nl/terug?bron=test"


class _Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> DevIdentityProvider:
    return DevIdentityProvider(Workspace(tmp_path_factory.mktemp("dev-idp")))


@pytest.fixture
def clock() -> _Clock:
    return _Clock()


@pytest.fixture
def web(provider: DevIdentityProvider, clock: _Clock) -> DevIdpWeb:
    client = DevIdpClient(CLIENT_ID, SECRET, (REDIRECT_URI, OTHER_REDIRECT_URI))
    return DevIdpWeb(provider, [client], clock=clock)


@pytest.fixture
def browser(web: DevIdpWeb) -> Client:
    return Client(web)


class _Page(HTMLParser):
    """What a browser and a checker would find on the page: the forms with what they submit,
    and the structure WCAG asks for."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: dict[str, dict[str, str | None]] = {}
        self.buttons: dict[str, str] = {}
        self.tags: list[str] = []
        self._form: str | None = None
        self._select: str | None = None
        self._button = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if a.get("id"):
            self.ids.append(a["id"] or "")
        if tag == "form":
            self._form = a["id"]
            self.forms[self._form or ""] = {}
        elif tag == "label":
            self.label_for.add(a["for"] or "")
        elif tag in ("input", "select") and self._form is not None:
            if a.get("type") != "hidden":
                self.controls[a["id"] or ""] = a
            if tag == "select":
                self._select = a["name"]
            else:
                self.forms[self._form][a["name"] or ""] = a.get("value") or ""
        elif tag == "option" and self._form is not None and self._select is not None:
            fields = self.forms[self._form]
            if self._select not in fields or "selected" in a:
                fields[self._select] = a["value"] or ""
        elif tag == "button":
            self._button = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "button":
            self._button = False

    def handle_data(self, data: str) -> None:
        if self._button and self._form is not None:
            self.buttons[self._form] = data


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _authorize_query(challenge: str, **overrides: str | None) -> dict[str, str]:
    query: dict[str, str | None] = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid",
        "state": "toestand-123",
        "nonce": "nonce-456",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **overrides,
    }
    return {name: value for name, value in query.items() if value is not None}


def _redirected(response: TestResponse) -> tuple[str, dict[str, str]]:
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    query = {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}
    return location, query


def _log_in(
    browser: Client, form_id: str, challenge: str, fields: dict[str, str], **overrides: str | None
) -> TestResponse:
    """As a browser: open the login page, fill in one form, submit it."""
    page = browser.get("/dev-idp/authorize", query_string=_authorize_query(challenge, **overrides))
    assert page.status_code == 200, page.get_data(as_text=True)
    submitted = {**_Page(page.get_data(as_text=True)).forms[form_id], **fields}
    return browser.post("/dev-idp/authorize", data=submitted)


def _code(browser: Client, form_id: str, challenge: str, fields: dict[str, str]) -> str:
    location, query = _redirected(_log_in(browser, form_id, challenge, fields))
    assert location.startswith(REDIRECT_URI + "?")
    assert query["state"] == "toestand-123"
    return query["code"]


def _token(browser: Client, code: str, verifier: str, **overrides: str) -> TestResponse:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
        **overrides,
    }
    return browser.post("/dev-idp/token", data=form)


def _error(response: TestResponse, status: int, error: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.get_json()["error"] == error
    assert response.headers["Cache-Control"] == "no-store"


# Discovery


def test_the_discovery_document_names_the_endpoints_at_the_host_asked(browser: Client) -> None:
    response = browser.get(OPENID_CONFIGURATION_PATH, base_url="http://localhost:8080")
    configuration = response.get_json()
    assert configuration["issuer"] == ISSUER  # the tokens' iss, whatever the host
    assert configuration["authorization_endpoint"] == "http://localhost:8080/dev-idp/authorize"
    assert configuration["token_endpoint"] == "http://localhost:8080/dev-idp/token"
    assert configuration["jwks_uri"] == "http://localhost:8080/dev-idp/jwks.json"
    assert configuration["code_challenge_methods_supported"] == ["S256"]
    assert configuration["response_types_supported"] == ["code"]
    assert configuration["grant_types_supported"] == ["authorization_code"]
    assert set(configuration["token_endpoint_auth_methods_supported"]) == {
        "client_secret_post",
        "client_secret_basic",
    }
    assert configuration["id_token_signing_alg_values_supported"] == ["RS256"]
    assert configuration["subject_types_supported"] == ["public"]
    assert configuration["scopes_supported"] == ["openid"]


def test_the_key_set_is_the_public_half(browser: Client, provider: DevIdentityProvider) -> None:
    keys = browser.get("/dev-idp/jwks.json").get_json()
    assert keys == provider.jwks
    assert "d" not in keys["keys"][0]


# The whole flow, for each means of logging in


@pytest.mark.parametrize(
    ("form_id", "fields", "soort", "identifier", "role"),
    [
        ("digid", {"bsn_keuze": DEMO_BSNS[1]}, SoortIdentificator.BSN, DEMO_BSNS[1], "burger"),
        (
            "eherkenning",
            {"kvk_keuze": DEMO_KVK_NUMMERS[0], "vestigingsnummer": DEMO_VESTIGINGSNUMMER},
            SoortIdentificator.KVK_NUMMER,
            DEMO_KVK_NUMMERS[0],
            "vertegenwoordiger",
        ),
        ("eidas", {}, SoortIdentificator.EIDAS, "DE/NL/A1B2C3D4", "burger"),
    ],
)
def test_a_login_gives_tokens_the_service_and_the_relying_party_accept(
    browser: Client,
    provider: DevIdentityProvider,
    clock: _Clock,
    form_id: str,
    fields: dict[str, str],
    soort: SoortIdentificator,
    identifier: str,
    role: str,
) -> None:
    verifier, challenge = _pkce()
    code = _code(browser, form_id, challenge, fields)
    response = _token(browser, code, verifier)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "openid"

    access = jwt.decode(
        body["access_token"], provider.jwks, algorithms=["RS256"], audience=AUDIENCE, issuer=ISSUER
    )
    subject = subject_from_claims(access)
    assert (subject.soort, subject.identifier, subject.actor_role) == (
        soort,
        identifier,
        ActorRole(role),
    )
    if form_id == "eherkenning":
        assert subject.vestigingsnummer == DEMO_VESTIGINGSNUMMER

    id_token = jwt.decode(
        body["id_token"],
        provider.jwks,
        algorithms=["RS256"],
        audience=CLIENT_ID,
        issuer=ISSUER,
        access_token=body["access_token"],  # checks at_hash
    )
    assert id_token["nonce"] == "nonce-456"
    assert id_token["auth_time"] == int(clock.now)
    for claim in ("sub", "sub_id_type", "represents", "acr"):
        assert id_token.get(claim) == access.get(claim)


def test_a_typed_bsn_goes_before_the_chosen_one(
    browser: Client, provider: DevIdentityProvider
) -> None:
    typed = random_test_bsn()
    verifier, challenge = _pkce()
    code = _code(browser, "digid", challenge, {"bsn_keuze": DEMO_BSNS[0], "bsn": f" {typed} "})
    access = _token(browser, code, verifier).get_json()["access_token"]
    assert jwt.get_unverified_claims(access)["sub"] == typed


def test_client_secret_basic_is_accepted_too(browser: Client) -> None:
    verifier, challenge = _pkce()
    code = _code(browser, "digid", challenge, {})
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
    }
    basic = base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()
    response = browser.post(
        "/dev-idp/token", data=form, headers={"Authorization": f"Basic {basic}"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_redirect_uri_with_a_query_keeps_it(browser: Client) -> None:
    _, challenge = _pkce()
    response = _log_in(browser, "digid", challenge, {}, redirect_uri=OTHER_REDIRECT_URI)
    location, query = _redirected(response)
    assert location.startswith(OTHER_REDIRECT_URI + "&code=")
    assert query["bron"] == "test"


# The token endpoint refuses


def test_a_wrong_verifier_is_an_invalid_grant_and_spends_the_code(browser: Client) -> None:
    verifier, challenge = _pkce()
    code = _code(browser, "digid", challenge, {})
    _error(_token(browser, code, _pkce()[0]), 400, "invalid_grant")
    # One try: the right verifier after a wrong one finds the code gone.
    _error(_token(browser, code, verifier), 400, "invalid_grant")


def test_a_code_is_used_once(browser: Client) -> None:
    verifier, challenge = _pkce()
    code = _code(browser, "digid", challenge, {})
    assert _token(browser, code, verifier).status_code == 200
    _error(_token(browser, code, verifier), 400, "invalid_grant")


def test_a_code_expires(browser: Client, clock: _Clock) -> None:
    verifier, challenge = _pkce()
    code = _code(browser, "digid", challenge, {})
    clock.now += CODE_LIFETIME_SECONDS + 1
    _error(_token(browser, code, verifier), 400, "invalid_grant")


def test_a_code_is_bound_to_its_redirect_uri(browser: Client) -> None:
    verifier, challenge = _pkce()
    code = _code(browser, "digid", challenge, {})
    _error(_token(browser, code, verifier, redirect_uri=OTHER_REDIRECT_URI), 400, "invalid_grant")


def test_a_wrong_secret_is_an_invalid_client(browser: Client) -> None:
    verifier, challenge = _pkce()
    code = _code(browser, "digid", challenge, {})
    response = _token(browser, code, verifier, client_secret=SECRET + "x")
    _error(response, 401, "invalid_client")
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    # A client that failed to authenticate spent nothing.
    assert _token(browser, code, verifier).status_code == 200


def test_an_unknown_grant_type_and_missing_parameters(browser: Client) -> None:
    verifier, challenge = _pkce()
    code = _code(browser, "digid", challenge, {})
    _error(_token(browser, code, verifier, grant_type="password"), 400, "unsupported_grant_type")
    _error(_token(browser, code, verifier, code_verifier=""), 400, "invalid_request")
    no_client = browser.post("/dev-idp/token", data={"grant_type": "authorization_code"})
    _error(no_client, 401, "invalid_client")


# The authorization endpoint refuses


@pytest.mark.parametrize(
    "overrides",
    [
        {"redirect_uri": "http://127.0.0.1:5000/elders"},
        {"redirect_uri": None},
        {"client_id": "onbekend"},
    ],
)
def test_an_unregistered_client_or_redirect_uri_is_told_not_redirected(
    browser: Client, overrides: dict[str, str | None]
) -> None:
    _, challenge = _pkce()
    response = browser.get(
        "/dev-idp/authorize", query_string=_authorize_query(challenge, **overrides)
    )
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert response.mimetype == "text/html"
    assert "form-action 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"code_challenge": None}, "invalid_request"),
        ({"code_challenge_method": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "profile"}, "invalid_scope"),
    ],
)
def test_a_faulty_request_goes_back_with_its_error_and_state(
    browser: Client, overrides: dict[str, str | None], error: str
) -> None:
    _, challenge = _pkce()
    response = browser.get(
        "/dev-idp/authorize", query_string=_authorize_query(challenge, **overrides)
    )
    location, query = _redirected(response)
    assert location.startswith(REDIRECT_URI + "?")
    assert query["error"] == error
    assert query["state"] == "toestand-123"
    assert "code" not in query


@pytest.mark.parametrize(
    ("form_id", "fields", "field_id"),
    [
        ("digid", {"bsn": "123456789"}, "bsn"),
        ("eherkenning", {"kvk_nummer": "1234567"}, "kvk_nummer"),
        ("eherkenning", {"vestigingsnummer": "38509520"}, "vestigingsnummer"),
        ("eidas", {"eidas": "NL/NL/123"}, "eidas-identificatie"),
    ],
)
def test_an_invalid_identifier_is_shown_next_to_its_field(
    browser: Client, form_id: str, fields: dict[str, str], field_id: str
) -> None:
    _, challenge = _pkce()
    response = _log_in(browser, form_id, challenge, fields)
    assert response.status_code == 400
    assert "Location" not in response.headers
    page = _Page(response.get_data(as_text=True))
    control = page.controls[field_id]
    assert control["aria-invalid"] == "true"
    message_id = f"{field_id}-fout"
    assert message_id in (control["aria-describedby"] or "").split()
    assert message_id in page.ids
    # What was typed is kept, and the request's parameters still travel with the form.
    assert page.forms[form_id] | fields == page.forms[form_id]
    assert page.forms[form_id]["code_challenge"] == challenge
    assert page.forms[form_id]["state"] == "toestand-123"


# The page


def test_the_login_page_is_locked_down_and_accessible_by_structure(browser: Client) -> None:
    _, challenge = _pkce()
    response = browser.get("/dev-idp/authorize", query_string=_authorize_query(challenge))
    text = response.get_data(as_text=True)
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    # Chromium checks form-action on the redirect after the POST too.
    assert re.search(r"form-action 'self' http://127\.0\.0\.1:5000(;|$)", policy), policy
    assert response.headers["Cache-Control"] == "no-store"
    assert "<script" not in text.lower()
    assert text.startswith('<!DOCTYPE html><html lang="nl">')

    page = _Page(text)
    assert page.tags.count("h1") == 1 and page.tags.count("main") == 1
    assert page.tags.count("title") == 1
    assert page.tags.count("fieldset") == page.tags.count("legend") == 3
    assert len(page.ids) == len(set(page.ids))
    assert set(page.controls) <= page.label_for
    assert set(page.forms) == {"digid", "eherkenning", "eidas"}
    assert page.buttons == {
        "digid": "Inloggen met DigiD",
        "eherkenning": "Inloggen met eHerkenning",
        "eidas": "Inloggen met eIDAS",
    }
    assert {"bsn_keuze", "bsn"} <= set(page.forms["digid"])
    assert {"kvk_keuze", "kvk_nummer", "vestigingsnummer"} <= set(page.forms["eherkenning"])
    assert page.forms["eidas"]["eidas"] == "DE/NL/A1B2C3D4"
    for described in (c.get("aria-describedby") for c in page.controls.values()):
        assert all(i in page.ids for i in (described or "").split())


# Behind the gateway


def test_the_gateway_hands_the_dev_idp_its_paths(
    web: DevIdpWeb, provider: DevIdentityProvider
) -> None:
    gateway = Client(Gateway({}, dev_idp=web))
    configuration = gateway.get(OPENID_CONFIGURATION_PATH).get_json()
    assert configuration["authorization_endpoint"] == "http://localhost/dev-idp/authorize"
    _, challenge = _pkce()
    page = gateway.get("/dev-idp/authorize", query_string=_authorize_query(challenge))
    assert page.status_code == 200 and page.mimetype == "text/html"
    # Given only a key set, as before: the key set and its discovery document.
    keys_only = Client(Gateway({}, DevIdpKeys(provider.jwks)))
    assert keys_only.get("/dev-idp/jwks.json").get_json() == provider.jwks
    assert keys_only.get(OPENID_CONFIGURATION_PATH).get_json() == {
        "issuer": ISSUER,
        "jwks_uri": "http://localhost/dev-idp/jwks.json",
    }


# As the portal uses it: Authlib's Flask client, the IdP over HTTP


@pytest.fixture
def served_idp(provider: DevIdentityProvider) -> Iterator[str]:
    client = DevIdpClient(CLIENT_ID, SECRET, ("http://localhost/terug",))
    server = serve(DevIdpWeb(provider, [client]), "127.0.0.1", free_port())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_authlibs_flask_client_logs_in(served_idp: str) -> None:
    from authlib.integrations.flask_client import OAuth
    from flask import Flask, url_for

    app = Flask(__name__)
    app.secret_key = secrets.token_hex(16)
    oauth = OAuth(app)
    oauth.register(
        "devidp",
        client_id=CLIENT_ID,
        client_secret=SECRET,
        server_metadata_url=served_idp + OPENID_CONFIGURATION_PATH,
        client_kwargs={
            "scope": "openid",
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_post",
        },
    )

    @app.get("/inloggen")
    def inloggen() -> object:
        return oauth.devidp.authorize_redirect(url_for("terug", _external=True))

    @app.get("/terug")
    def terug() -> object:
        token = oauth.devidp.authorize_access_token()
        return {"userinfo": dict(token["userinfo"]), "access_token": token["access_token"]}

    portal = app.test_client()
    authorize_url = portal.get("/inloggen").headers["Location"]
    page = requests.get(authorize_url, timeout=10)
    assert page.status_code == 200
    form = _Page(page.text).forms["digid"]
    answer = requests.post(
        urljoin(authorize_url, "/dev-idp/authorize"),
        data=form,
        allow_redirects=False,
        timeout=10,
    )
    callback = urlsplit(answer.headers["Location"])
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == "http://localhost/terug"
    result = portal.get(f"/terug?{callback.query}")
    assert result.status_code == 200, result.get_data(as_text=True)
    userinfo = result.get_json()["userinfo"]
    assert userinfo["sub"] == DEMO_BSNS[0]
    assert userinfo["aud"] == CLIENT_ID
    assert jwt.get_unverified_claims(result.get_json()["access_token"])["aud"] == AUDIENCE
