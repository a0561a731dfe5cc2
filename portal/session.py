"""The person's session, kept on the server: their tokens, who they are, their language.

The browser holds only the session's random id. Nothing here is ever put into a page but
``who()``, the kind of login (burger, ondernemer, eIDAS) - never a token, never an identifier.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import current_app, redirect, request, session, url_for

from portal.api import NotLoggedIn, ProfielApi
from portal.texts import DEFAULT_LANGUAGE, LANGUAGES

EIDAS_ID_TYPE = "urn:nl-eid-gdi:1.0:id:EIDAS"
KVK_ID_TYPE = "urn:nl-eid-gdi:1.0:id:KvKnr"
# Set when the page language came from the profile (at login or a later change of ``taal``), so
# that a new preference is followed too; a switch by hand removes it.
FOLLOWS_PROFILE = "taal_volgt_profiel"


@dataclass(frozen=True)
class Who:
    """The kind of login, for the page: ``burger``, ``eidas``, ``ondernemer`` or
    ``vestiging`` (a representative of one branch)."""

    soort: str

    @property
    def ondernemer(self) -> bool:
        return self.soort in ("ondernemer", "vestiging")


def who() -> Who | None:
    soort = session.get("soort")
    return Who(soort) if soort else None


def soort_of(claims: dict[str, Any]) -> str:
    represents = claims.get("represents") or {}
    if represents.get("sub_id_type") == KVK_ID_TYPE:
        return "vestiging" if represents.get("vestigingsnummer") else "ondernemer"
    if claims.get("sub_id_type") == EIDAS_ID_TYPE:
        return "eidas"
    return "burger"


def start_session(access_token: str, expires_in: int, claims: dict[str, Any]) -> None:
    """A new session for who just logged in, under a new id (no session fixation); the
    language the person chose before logging in stays."""
    chosen = session.get("taal")
    session.clear()
    current_app.session_interface.regenerate(session)
    session["token"] = access_token
    session["token_expires"] = int(time.time()) + int(expires_in)
    session["soort"] = soort_of(claims)
    if chosen:
        session["taal"] = chosen


def end_session() -> None:
    # Emptied, Flask-Session deletes it from the store: the old cookie opens nothing any more.
    session.clear()


def language() -> str:
    """The profile's ``taal`` or the person's own switch (kept in the session); before either,
    what the browser asks for, and English for a European login whose browser asks for
    neither language (eIDAS users may read no Dutch)."""
    chosen = session.get("taal")
    if chosen in LANGUAGES:
        return chosen
    asked = request.accept_languages.best_match(LANGUAGES)
    if asked:
        return asked
    return "en" if session.get("soort") == "eidas" else DEFAULT_LANGUAGE


def choose_language(code: str) -> None:
    if code in LANGUAGES:
        session["taal"] = code
        session.pop(FOLLOWS_PROFILE, None)


def follow_preference(taal: str | None) -> None:
    """The profile's ``taal`` decides, unless the person switched on a page: any language
    other than Dutch reads English (eIDAS users may read no Dutch)."""
    if "taal" in session and not session.get(FOLLOWS_PROFILE):
        return
    if taal:
        session["taal"] = "nl" if taal == "nl" else "en"
        session[FOLLOWS_PROFILE] = True
    else:
        # The preference was cleared: back to the portal's default.
        session.pop("taal", None)
        session.pop(FOLLOWS_PROFILE, None)


def api() -> ProfielApi:
    token = session.get("token")
    if not token or session.get("token_expires", 0) <= time.time():
        raise NotLoggedIn
    config = current_app.extensions["portal.config"]
    return ProfielApi(config.api_url, token, current_app.extensions["portal.http"])


def login_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not session.get("token"):
            return redirect(url_for("auth.login"))
        return view(*args, **kwargs)

    return wrapped


def safe_return_path(target: str | None, default: str = "/") -> str:
    """Only a path of the portal itself: never an open redirect."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return default


def current_path() -> str:
    return request.full_path.rstrip("?") if request.query_string else request.path
