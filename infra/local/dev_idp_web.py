"""The development IdP over HTTP: OIDC discovery, its keys, and a login as DigiD's, eHerkenning's
and eIDAS's test environments offer one - pick a test identity, nothing is checked but its form.

A relying party (the reference portal) logs people in here exactly as it would at a broker: the
authorization-code flow (RFC 6749 §4.1) with PKCE S256 (RFC 7636), the client authenticated with
its secret at the token endpoint, discovery by ``/.well-known/openid-configuration``. The access
token it gets is the one the Profiel Service accepts (``DevIdentityProvider``); the ID token is for
the relying party itself (``aud`` its client_id). Only for local use: codes live in this process.
Nothing here is logged: every request carries an identifier or a code.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import unquote_plus, urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core.util import create_half_hash
from jinja2 import Environment, PackageLoader, StrictUndefined
from jose import jwt
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from infra.local.dev_idp import ALGORITHM, ISSUER, JWKS_PATH, DevIdentityProvider
from shared.models.values import (
    normalise_bsn,
    normalise_eidas_identificator,
    normalise_kvk_nummer,
    normalise_vestigingsnummer,
)

PREFIX = "/dev-idp/"
OPENID_CONFIGURATION_PATH = "/dev-idp/.well-known/openid-configuration"
AUTHORIZE_PATH = "/dev-idp/authorize"
TOKEN_PATH = "/dev-idp/token"
CODE_LIFETIME_SECONDS = 60
TOKEN_LIFETIME_SECONDS = 3600
EIDAS_EXAMPLE = "DE/NL/A1B2C3D4"

DIGID = "digid"
EHERKENNING = "eherkenning"
EIDAS = "eidas"

_AUTHORIZE_PARAMETERS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
)
# BASE64URL(SHA256(verifier)) without padding is always 43 characters (RFC 7636 §4.2).
_S256_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")
# The verifier (§4.1), checked before it is hashed: an unreserved ASCII string of 43 to 128.
_CODE_VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")
# state and nonce are opaque to us, but they go back in a URL and into a page: printable ASCII
# (RFC 6749 Appendix A.5, VSCHAR), and short enough for a hidden field.
_OPAQUE = re.compile(r"[\x20-\x7e]{0,512}")
# Characters that would end a Content-Security-Policy source or directive, or a header.
_UNSAFE_IN_CSP = re.compile(r"[\s;,'\"]")


@dataclass(frozen=True)
class DevIdpClient:
    """A relying party registered at the development IdP."""

    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.client_id or not self.client_secret:
            raise ValueError("a client needs a client_id and a client_secret")
        if isinstance(self.redirect_uris, str):
            # A bare string would be taken as a tuple of its characters.
            raise TypeError("redirect_uris is a tuple of URIs, not one URI")
        object.__setattr__(self, "redirect_uris", tuple(self.redirect_uris))
        if not self.redirect_uris:
            raise ValueError("a client needs at least one redirect_uri")
        for uri in self.redirect_uris:
            parts = urlsplit(uri)
            # RFC 6749 §3.1.2: absolute, no fragment. An origin of it goes into the login page's
            # Content-Security-Policy, so it must be one a policy can hold.
            if (
                parts.scheme not in ("http", "https")
                or not parts.hostname
                or parts.fragment
                or "@" in parts.netloc
                or _UNSAFE_IN_CSP.search(uri)
            ):
                raise ValueError(f"not a usable redirect_uri for {self.client_id}: {uri}")


@dataclass(frozen=True)
class _Identity:
    """Who logged in, and how. The identifier never appears in a repr (tracebacks, logs)."""

    middel: str
    identifier: str = field(repr=False)
    vestigingsnummer: str | None = field(default=None, repr=False)

    def access_token(self, idp: DevIdentityProvider) -> str:
        if self.middel == DIGID:
            return idp.burger_token(self.identifier, TOKEN_LIFETIME_SECONDS)
        if self.middel == EHERKENNING:
            return idp.ondernemer_token(
                self.identifier, TOKEN_LIFETIME_SECONDS, vestigingsnummer=self.vestigingsnummer
            )
        return idp.eidas_token(self.identifier, TOKEN_LIFETIME_SECONDS)


@dataclass(frozen=True)
class _Grant:
    """What an authorization code stands for: bound to the client, its redirect_uri and its
    PKCE challenge, so only the party that asked for it can redeem it."""

    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    identity: _Identity
    auth_time: int
    expires_at: float


class _Codes:
    """Authorization codes in memory: the gateway serves from several threads."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._grants: dict[str, _Grant] = {}

    def issue(self, grant: _Grant) -> str:
        code = secrets.token_urlsafe(32)
        now = self._clock()
        with self._lock:
            # Codes nobody redeemed would pile up for as long as the stack runs.
            for stale in [c for c, g in self._grants.items() if g.expires_at <= now]:
                del self._grants[stale]
            self._grants[code] = grant
        return code

    def take(self, code: str) -> _Grant | None:
        """The grant of ``code``, once: a code is gone after its first presentation, whether
        the rest of that request was right or not (a guessed verifier gets one try)."""
        with self._lock:
            grant = self._grants.pop(code, None)
        if grant is None or self._clock() >= grant.expires_at:
            return None
        return grant


@dataclass(frozen=True)
class _AuthorizationRequest:
    client: DevIdpClient
    redirect_uri: str
    scope: str
    state: str | None
    nonce: str | None
    code_challenge: str

    @property
    def redirect_origin(self) -> str:
        parts = urlsplit(self.redirect_uri)
        return f"{parts.scheme}://{parts.netloc}"

    def hidden_fields(self) -> list[tuple[str, str]]:
        fields = [
            ("response_type", "code"),
            ("client_id", self.client.client_id),
            ("redirect_uri", self.redirect_uri),
            ("scope", self.scope),
            ("state", self.state),
            ("nonce", self.nonce),
            ("code_challenge", self.code_challenge),
            ("code_challenge_method", "S256"),
        ]
        return [(name, value) for name, value in fields if value is not None]


class _Message(NamedTuple):
    """A text in Dutch, and in English beneath it."""

    nl: str
    en: str


class _Request(Request):
    # A login form is a few hundred bytes; nothing bigger is read into memory.
    max_content_length = 64 * 1024
    max_form_memory_size = 64 * 1024
    max_form_parts = 100


class DevIdpKeys:
    """Only the key set, and a discovery document naming it: for a gateway given a JWKS alone."""

    def __init__(self, jwks: dict) -> None:
        self._jwks = jwks

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = _Request(environ)
        try:
            response = self.respond(request)
        except HTTPException as error:
            # Werkzeug's own refusals (a body over the limit): its status, without its HTML.
            response = _text(error.code or 400, error.name)
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        if request.path not in (JWKS_PATH, OPENID_CONFIGURATION_PATH):
            return _text(404, "Not Found")
        if request.method not in ("GET", "HEAD"):
            return _text(405, "Method Not Allowed", {"Allow": "GET, HEAD"})
        if request.path == JWKS_PATH:
            return _json(200, self._jwks)
        return _json(200, self.configuration(request.host_url.rstrip("/")))

    def configuration(self, base_url: str) -> dict[str, Any]:
        # The issuer stays the configured one, whatever host the request came in by: the tokens
        # carry it, and a relying party compares the two.
        return {"issuer": ISSUER, "jwks_uri": base_url + JWKS_PATH}


class DevIdpWeb(DevIdpKeys):
    """Everything under ``/dev-idp/``: discovery, keys, the login page and the token endpoint.

    ``clock`` gives the time in seconds since the epoch (``auth_time``, the codes' expiry).
    """

    def __init__(
        self,
        idp: DevIdentityProvider,
        clients: Iterable[DevIdpClient],
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(idp.jwks)
        # Imported here: the demo module brings the store's modules, which read the environment
        # at import, and the stack sets it only when it runs.
        from infra.local.demo import DEMO_BSNS, DEMO_KVK_NUMMERS, DEMO_VESTIGINGSNUMMER

        self._demo_bsns = DEMO_BSNS
        self._demo_kvk_nummers = DEMO_KVK_NUMMERS
        self._demo_vestiging = (DEMO_KVK_NUMMERS[0], DEMO_VESTIGINGSNUMMER)
        self._idp = idp
        self._clients = {client.client_id: client for client in clients}
        self._clock = clock
        self._codes = _Codes(clock)

    def configuration(self, base_url: str) -> dict[str, Any]:
        return {
            **super().configuration(base_url),
            "authorization_endpoint": base_url + AUTHORIZE_PATH,
            "token_endpoint": base_url + TOKEN_PATH,
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "subject_types_supported": ["public"],
            "scopes_supported": ["openid"],
        }

    def respond(self, request: Request) -> Response:
        if request.path == AUTHORIZE_PATH:
            if request.method in ("GET", "HEAD"):
                return self._authorize_page(request)
            if request.method == "POST":
                return self._log_in(request)
            return _text(405, "Method Not Allowed", {"Allow": "GET, HEAD, POST"})
        if request.path == TOKEN_PATH:
            if request.method != "POST":
                return _oauth_error(405, "invalid_request", "use POST", {"Allow": "POST"})
            return self._token(request)
        return super().respond(request)

    # The authorization endpoint

    def _authorize_page(self, request: Request) -> Response:
        parsed = self._authorization_request(request.args)
        if isinstance(parsed, Response):
            return parsed
        return self._login_page(parsed, {}, {}, 200)

    def _log_in(self, request: Request) -> Response:
        form = request.form
        parsed = self._authorization_request(form)
        if isinstance(parsed, Response):
            return parsed
        middel = form.get("middel", "")
        if middel not in (DIGID, EHERKENNING, EIDAS):
            return _error_page(
                400,
                _Message("Onbekend inlogmiddel", "Unknown means of logging in"),
                _Message(
                    "Kies DigiD, eHerkenning of eIDAS op de inlogpagina.",
                    "Choose DigiD, eHerkenning or eIDAS on the login page.",
                ),
            )
        identity, errors = _identity(middel, form)
        if identity is None:
            # Only the submitted form's own fields: the others show as they did.
            values = {name: form[name] for name in _FIELDS if name in form}
            return self._login_page(parsed, values, errors, 400)
        grant = _Grant(
            client_id=parsed.client.client_id,
            redirect_uri=parsed.redirect_uri,
            code_challenge=parsed.code_challenge,
            nonce=parsed.nonce,
            identity=identity,
            auth_time=int(self._clock()),
            expires_at=self._clock() + CODE_LIFETIME_SECONDS,
        )
        code = self._codes.issue(grant)
        return _redirect(parsed.redirect_uri, {"code": code, "state": parsed.state})

    def _authorization_request(self, params: MultiDict) -> _AuthorizationRequest | Response:
        """The request's parameters checked as RFC 6749 §4.1.2.1 says: an unknown client or
        redirect_uri is told to the person (never redirected: it may be anyone's address), every
        other fault to the client at its redirect_uri."""
        client_ids = params.getlist("client_id")
        redirect_uris = params.getlist("redirect_uri")
        client = self._clients.get(client_ids[0]) if len(client_ids) == 1 else None
        if (
            client is None
            or len(redirect_uris) != 1
            or redirect_uris[0] not in client.redirect_uris
        ):
            return _error_page(
                400,
                _Message("Onbekende toepassing", "Unknown application"),
                _Message(
                    "De toepassing (client_id) of het terugkeeradres (redirect_uri) is niet "
                    "bekend bij deze test-IdP. Er wordt niet teruggestuurd.",
                    "The application (client_id) or its return address (redirect_uri) is not "
                    "registered at this test IdP. You are not sent back.",
                ),
            )
        redirect_uri = redirect_uris[0]
        states = params.getlist("state")
        state = states[0] if len(states) == 1 and _OPAQUE.fullmatch(states[0]) else None

        def refuse(error: str, description: str) -> Response:
            return _redirect(
                redirect_uri, {"error": error, "error_description": description, "state": state}
            )

        if any(len(params.getlist(name)) > 1 for name in _AUTHORIZE_PARAMETERS):
            return refuse("invalid_request", "a parameter was given more than once")
        if states and state is None:
            return refuse("invalid_request", "state must be at most 512 printable ASCII characters")
        nonce = params.get("nonce")
        if nonce is not None and not _OPAQUE.fullmatch(nonce):
            return refuse("invalid_request", "nonce must be at most 512 printable ASCII characters")
        response_type = params.get("response_type")
        if not response_type:
            return refuse("invalid_request", "response_type is required")
        if response_type != "code":
            return refuse("unsupported_response_type", "only response_type=code is supported")
        scope = params.get("scope", "")
        if "openid" not in scope.split(" ") or not _OPAQUE.fullmatch(scope):
            return refuse("invalid_scope", "the scope must include openid")
        if params.get("code_challenge_method") != "S256":
            return refuse("invalid_request", "PKCE is required, with code_challenge_method S256")
        code_challenge = params.get("code_challenge", "")
        if not _S256_CHALLENGE.fullmatch(code_challenge):
            return refuse("invalid_request", "code_challenge must be BASE64URL(SHA256(verifier))")
        return _AuthorizationRequest(client, redirect_uri, scope, state, nonce, code_challenge)

    def _login_page(
        self,
        auth: _AuthorizationRequest,
        values: Mapping[str, str],
        errors: Mapping[str, _Message],
        status: int,
    ) -> Response:
        kvk, vestiging = self._demo_vestiging
        page = _TEMPLATES.get_template("dev_idp_login.html").render(
            auth=auth,
            action=AUTHORIZE_PATH,
            values=values,
            errors=errors,
            demo_bsns=self._demo_bsns,
            demo_kvk_nummers=self._demo_kvk_nummers,
            demo_kvk=kvk,
            demo_vestiging=vestiging,
            eidas_example=EIDAS_EXAMPLE,
        )
        # Chromium applies form-action to the redirect that answers the submission too: the
        # relying party's origin is where the 302 goes.
        return _html(status, page, ("'self'", auth.redirect_origin))

    # The token endpoint

    def _token(self, request: Request) -> Response:
        if request.mimetype != "application/x-www-form-urlencoded":
            return _oauth_error(400, "invalid_request", "send application/x-www-form-urlencoded")
        form = request.form
        if any(len(form.getlist(name)) > 1 for name in form):
            return _oauth_error(400, "invalid_request", "a parameter was given more than once")
        client = self._authenticate(request, form)
        if isinstance(client, Response):
            return client
        grant_type = form.get("grant_type")
        if not grant_type:
            return _oauth_error(400, "invalid_request", "grant_type is required")
        if grant_type != "authorization_code":
            return _oauth_error(400, "unsupported_grant_type", "only authorization_code")
        code = form.get("code")
        redirect_uri = form.get("redirect_uri")
        verifier = form.get("code_verifier")
        if not code or not redirect_uri or not verifier:
            return _oauth_error(
                400, "invalid_request", "code, redirect_uri and code_verifier are required"
            )
        grant = self._codes.take(code)
        if (
            grant is None
            or grant.client_id != client.client_id
            or grant.redirect_uri != redirect_uri
            or not _CODE_VERIFIER.fullmatch(verifier)
            or not hmac.compare_digest(create_s256_code_challenge(verifier), grant.code_challenge)
        ):
            # One answer for all: which of them failed tells a guesser too much.
            return _oauth_error(400, "invalid_grant", "the code is invalid, used or expired")
        access_token = grant.identity.access_token(self._idp)
        # The ID token says who the access token is about in the same words: taken from the
        # token just signed here, so the two cannot tell different stories.
        issued = jwt.get_unverified_claims(access_token)
        identity_claims = {
            name: issued[name]
            for name in ("sub", "sub_id_type", "represents", "acr")
            if name in issued
        }
        identity_claims["auth_time"] = grant.auth_time
        # OIDC Core §3.1.3.6: the left half of the access token's hash, by the ID token's alg.
        identity_claims["at_hash"] = create_half_hash(access_token, ALGORITHM).decode("ascii")
        id_token = self._idp.id_token(
            client.client_id, grant.nonce, identity_claims, TOKEN_LIFETIME_SECONDS
        )
        return _json(
            200,
            {
                "access_token": access_token,
                "id_token": id_token,
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME_SECONDS,
                "scope": "openid",
            },
        )

    def _authenticate(self, request: Request, form: MultiDict) -> DevIdpClient | Response:
        """client_secret_basic or client_secret_post (RFC 6749 §2.3.1), never both at once."""
        posted_id = form.get("client_id")
        posted_secret = form.get("client_secret")
        candidates: list[str]
        if "Authorization" in request.headers:
            if posted_secret is not None:
                return _oauth_error(400, "invalid_request", "one client authentication method")
            basic = request.authorization
            if basic is None or basic.type != "basic" or basic.username is None:
                return _invalid_client()
            # RFC 6749 says form-encode both before Basic; Authlib (the portal's) sends them as
            # they are. Either is taken: for the secret, the comparison below tries both.
            client_id = unquote_plus(basic.username)
            if client_id not in self._clients:
                client_id = basic.username
            raw = basic.password or ""
            candidates = [raw, unquote_plus(raw)]
            if posted_id is not None and posted_id != client_id:
                return _oauth_error(400, "invalid_request", "client_id differs from the header")
        else:
            if posted_id is None or posted_secret is None:
                return _invalid_client()
            client_id = posted_id
            candidates = [posted_secret]
        client = self._clients.get(client_id)
        # Compared even for an unknown client, so the time taken does not tell which ids exist.
        expected = (client.client_secret if client else secrets.token_urlsafe(32)).encode()
        matches = [hmac.compare_digest(c.encode(), expected) for c in candidates]
        if client is None or not any(matches):
            return _invalid_client()
        return client


# The login form's fields (templates/dev_idp_login.html).
_FIELDS = ("bsn_keuze", "bsn", "kvk_keuze", "kvk_nummer", "vestigingsnummer", "eidas")

_BSN_ERROR = _Message(
    "Dit is geen geldig BSN: 9 cijfers die de elfproef doorstaan.",
    "This is not a valid BSN: 9 digits that pass the eleven test.",
)
_KVK_ERROR = _Message(
    "Een KVK-nummer bestaat uit precies 8 cijfers.", "A KVK number has exactly 8 digits."
)
_VESTIGING_ERROR = _Message(
    "Een vestigingsnummer bestaat uit precies 12 cijfers.",
    "A branch number has exactly 12 digits.",
)
_EIDAS_ERROR = _Message(
    f"Dit is geen eIDAS-identificatie voor een Nederlandse dienst, zoals {EIDAS_EXAMPLE}.",
    f"This is not an eIDAS identifier for a Dutch service, such as {EIDAS_EXAMPLE}.",
)


def _identity(middel: str, form: MultiDict) -> tuple[_Identity | None, dict[str, _Message]]:
    """The identity the form names, or the message for each field that is wrong. Validated as
    the service validates the identifiers in a token (``shared.models.values``): what this page
    accepts, the service accepts."""

    def typed_or_chosen(typed: str, chosen: str) -> tuple[str, str]:
        # White space around digits is a slip of the keyboard, never part of the number.
        value = form.get(typed, "").strip()
        return (value, typed) if value else (form.get(chosen, "").strip(), chosen)

    if middel == DIGID:
        bsn, where = typed_or_chosen("bsn", "bsn_keuze")
        try:
            return _Identity(DIGID, normalise_bsn(bsn)), {}
        except ValueError:
            return None, {where: _BSN_ERROR}
    if middel == EHERKENNING:
        errors: dict[str, _Message] = {}
        kvk, where = typed_or_chosen("kvk_nummer", "kvk_keuze")
        try:
            kvk = normalise_kvk_nummer(kvk)
        except ValueError:
            errors[where] = _KVK_ERROR
        vestiging: str | None = form.get("vestigingsnummer", "").strip() or None
        try:
            vestiging = None if vestiging is None else normalise_vestigingsnummer(vestiging)
        except ValueError:
            errors["vestigingsnummer"] = _VESTIGING_ERROR
        if errors:
            return None, errors
        return _Identity(EHERKENNING, kvk, vestiging), {}
    try:
        return _Identity(EIDAS, normalise_eidas_identificator(form.get("eidas", "").strip())), {}
    except ValueError:
        return None, {"eidas": _EIDAS_ERROR}


# Responses

# The pages (templates/): escaped throughout, since the client_id, the state and whatever was typed
# go into them; a name the template misspells fails loudly instead of rendering empty.
_TEMPLATES = Environment(
    loader=PackageLoader("infra.local", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _html(status: int, page: str, form_action: tuple[str, ...]) -> Response:
    policy = "; ".join(
        (
            "default-src 'none'",
            "style-src 'unsafe-inline'",
            f"form-action {' '.join(form_action)}",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        )
    )
    return Response(
        page,
        status=status,
        content_type="text/html; charset=utf-8",
        headers={
            "Content-Security-Policy": policy,
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _error_page(status: int, title: _Message, text: _Message) -> Response:
    page = _TEMPLATES.get_template("dev_idp_error.html").render(title=title, text=text)
    return _html(status, page, ("'none'",))


def _redirect(uri: str, params: dict[str, str | None]) -> Response:
    """``uri`` with ``params`` added to its query; a query it has already is kept as it is
    (RFC 6749 §3.1.2)."""
    added = urlencode({name: value for name, value in params.items() if value is not None})
    query = urlsplit(uri).query
    location = f"{uri}{'&' if query else '?'}{added}"
    return Response(
        status=302,
        headers={
            "Location": location,
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
        },
    )


def _json(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body),
        status=status,
        content_type="application/json",
        # RFC 6749 §5.1: tokens and their errors are never cached.
        headers={
            "Cache-Control": "no-store",
            "Pragma": "no-cache",
            "X-Content-Type-Options": "nosniff",
            **(headers or {}),
        },
    )


def _text(status: int, text: str, headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        text,
        status=status,
        content_type="text/plain; charset=utf-8",
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def _oauth_error(
    status: int, error: str, description: str, headers: Mapping[str, str] | None = None
) -> Response:
    return _json(status, {"error": error, "error_description": description}, headers)


def _invalid_client() -> Response:
    return _oauth_error(
        401,
        "invalid_client",
        "client authentication failed",
        {"WWW-Authenticate": 'Basic realm="dev-idp"'},
    )
