"""The portal as a WSGI app: ``create_app(config)``; ``portal.wsgi:app`` for a WSGI server.

What a relying party owes the person, in one place: tokens only in a server-side session (the
cookie holds a random id, ``HttpOnly``, ``SameSite=Lax``, ``Secure`` over TLS), a CSRF token on
every form, no script at all (the Content-Security-Policy says so), no page cached.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import requests
from authlib.integrations.flask_client import OAuth
from cachelib import BaseCache, SimpleCache
from flask import Flask, redirect, request, url_for
from flask_session import Session
from flask_wtf.csrf import CSRFError, CSRFProtect
from jinja2 import StrictUndefined

from portal import pages
from portal.api import ApiProblem, Dutch, NotLoggedIn
from portal.config import PortalConfig
from portal.errors import error_page
from portal.session import end_session, language, who
from portal.texts import text

# Idle time after which the person logs in again (as DigiD's own session ends).
SESSION_LIFETIME = timedelta(minutes=15)
COOKIE_NAME = "portaal_sessie"


def create_app(
    config: PortalConfig,
    sessions: BaseCache | None = None,
    http: requests.Session | None = None,
) -> Flask:
    """``sessions``: where sessions are kept (one process: in memory; several instances share
    a cachelib backend such as Redis, or Flask-Session's DynamoDB interface)."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=config.secret_key,
        SESSION_TYPE="cachelib",
        SESSION_CACHELIB=sessions if sessions is not None else SimpleCache(threshold=10_000),
        SESSION_PERMANENT=True,
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.over_tls,
        # The token is bound to the session, not to a clock: a form stays valid while the
        # session does.
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=config.over_tls,
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    app.extensions["portal.config"] = config
    app.extensions["portal.http"] = http or requests.Session()
    Session(app)
    CSRFProtect(app)
    oauth = OAuth(app)
    oauth.register(
        "idp",
        client_id=config.client_id,
        client_secret=config.client_secret,
        server_metadata_url=config.oidc_metadata_url,
        client_kwargs={
            "scope": "openid",
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_post",
        },
    )
    app.jinja_env.undefined = StrictUndefined
    app.jinja_env.globals.update(t=_translate, language=language, who=who)
    app.jinja_env.tests["dutch"] = lambda value: isinstance(value, Dutch)
    for blueprint in pages.BLUEPRINTS:
        app.register_blueprint(blueprint)
    _register_error_pages(app)
    app.after_request(_security_headers)
    return app


def _translate(key: str, **values: Any) -> str:
    return text(key, language(), **values)


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        return error_page("error.csrf", 400)

    @app.errorhandler(NotLoggedIn)
    def _expired(error: NotLoggedIn) -> Any:
        end_session()
        return redirect(url_for("auth.login"))

    @app.errorhandler(ApiProblem)
    def _problem(problem: ApiProblem) -> tuple[str, int]:
        # A page handles the problems a person can fix; what reaches here, they cannot.
        if problem.status == 409:
            return error_page("error.read.only", 409)
        if problem.status == 429:
            return error_page("error.too.many", 429)
        return error_page("error.unavailable", 503 if problem.status >= 500 else problem.status)

    @app.errorhandler(requests.RequestException)
    def _unreachable(error: requests.RequestException) -> tuple[str, int]:
        return error_page("error.unavailable", 503)

    @app.errorhandler(404)
    def _not_found(error: Exception) -> tuple[str, int]:
        return error_page("error.not.found", 404)

    @app.errorhandler(405)
    def _not_allowed(error: Exception) -> tuple[str, int]:
        return error_page("error.not.found", 405)


def _security_headers(response: Any) -> Any:
    headers = response.headers
    # No script at all: the portal works without it, and nothing injected could run.
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'",
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if not request.path.startswith("/static/"):
        # Pages show personal data: never kept by a browser or proxy.
        headers["Cache-Control"] = "no-store"
    return response
