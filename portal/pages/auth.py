"""Logging in and out: OIDC authorization code with PKCE (Authlib), tokens kept on the server.

``/inloggen`` sends the person to the identity provider (state, nonce and the PKCE verifier in
the session); ``/inloggen/terug`` exchanges the code, checks the ID token's signature, issuer,
audience and nonce, and starts a new session. ``/uitloggen`` is a form (CSRF-protected) that
deletes the session on the server.
"""

from __future__ import annotations

from authlib.integrations.base_client import OAuthError
from flask import Blueprint, current_app, redirect, url_for
from werkzeug.wrappers import Response

from portal.errors import error_page
from portal.session import api, end_session, follow_preference, start_session

blueprint = Blueprint("auth", __name__)


def _client():  # Authlib's registered client
    return current_app.extensions["authlib.integrations.flask_client"].idp


@blueprint.get("/inloggen")
def login() -> Response:
    config = current_app.extensions["portal.config"]
    return _client().authorize_redirect(config.redirect_uri)


@blueprint.get("/inloggen/terug")
def callback() -> Response | tuple[str, int]:
    try:
        token = _client().authorize_access_token()
    except OAuthError:
        return error_page("error.login", 400)
    start_session(token["access_token"], token.get("expires_in", 900), token["userinfo"])
    profiel = api().get("/profiel").body or {}
    follow_preference((profiel.get("voorkeuren") or {}).get("taal"))
    return redirect(url_for("contact.overview"))


@blueprint.post("/uitloggen")
def logout() -> Response:
    end_session()
    return redirect(url_for("start.home", uitgelogd=1))
