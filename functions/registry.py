"""Which functions exist, which routes each one serves, and where its entry points are.

The table everything else is derived from or checked against: the functions' own routers, the
local gateway, ``serverless.yml``. Data only: importing this module imports no function.
"""

from __future__ import annotations

from shared.http.routes import BASE_PATH, Function, Route, Toegang

__all__ = ["BASE_PATH", "FUNCTIONS", "Function", "Route", "Toegang", "function"]


def _routes(*keys: str, toegang: Toegang = Toegang.PARTIJ) -> tuple[Route, ...]:
    """Routes of one kind of caller: a partij (the owner of a profile) unless said otherwise."""
    return tuple(Route(*key.split(" ", 1), toegang) for key in keys)


FUNCTIONS: tuple[Function, ...] = (
    Function(
        "get-profile",
        "functions.get_profile",
        _routes(
            "GET /profiel",
            "GET /profiel/contactgegevens/{contactgegevenId}",
            "GET /profiel/organisaties",
        )
        + _routes("GET /openapi.json", toegang=Toegang.IEDEREEN),
    ),
    Function(
        "update-profile",
        "functions.update_profile",
        _routes(
            "POST /profiel/contactgegevens",
            "PATCH /profiel/contactgegevens/{contactgegevenId}",
            "DELETE /profiel/contactgegevens/{contactgegevenId}",
            "PUT /profiel/postadres",
            "DELETE /profiel/postadres",
            "PATCH /profiel/voorkeuren",
            "PUT /profiel/delen",
            "PUT /profiel/voorkeuren/organisaties/{oin}",
            "DELETE /profiel/voorkeuren/organisaties/{oin}",
            "PUT /profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}",
            "DELETE /profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}",
        ),
    ),
    Function(
        "verify-contact",
        "functions.verify_contact",
        _routes(
            "POST /profiel/contactgegevens/{contactgegevenId}/verificatiecode",
            "POST /profiel/contactgegevens/{contactgegevenId}/verificatie",
        ),
    ),
    Function(
        "lookup-preferences",
        "functions.lookup_preferences",
        _routes("POST /opvragingen", toegang=Toegang.ORGANISATIE),
    ),
    Function(
        "read-access-log",
        "functions.access_log",
        _routes("GET /profiel/inzage", "GET /profiel/historie"),
    ),
    Function("process-log", "functions.process_log", consumes_profile_stream=True),
)


def function(name: str) -> Function:
    return next(f for f in FUNCTIONS if f.name == name)
