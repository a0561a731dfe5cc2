"""Which functions exist, which routes each one serves, and where its entry points are.

Data only: importing this module imports no function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BASE_PATH = "/api/profiel/v1"


@dataclass(frozen=True)
class Route:
    method: str
    path: (
        str  # below BASE_PATH, OpenAPI template syntax: /profiel/contactgegevens/{contactgegevenId}
    )

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def rule(self) -> str:
        """The full path in the ``<param>`` syntax of the routers (powertools, werkzeug)."""
        return BASE_PATH + re.sub(r"\{(\w+)\}", r"<\1>", self.path)

    @property
    def route_key(self) -> str:
        """The route key as API Gateway declares it and puts it in the event: the full path."""
        return f"{self.method} {BASE_PATH}{self.path}"


@dataclass(frozen=True)
class Function:
    name: str
    package: str
    routes: tuple[Route, ...] = ()
    # The function consumes the stream of the profile table instead of serving HTTP.
    consumes_profile_stream: bool = False

    @property
    def handler_module(self) -> str:
        return f"{self.package}.handler"

    @property
    def source_path(self) -> str:
        return self.handler_module.replace(".", "/") + ".py"


def _routes(*keys: str) -> tuple[Route, ...]:
    return tuple(Route(*key.split(" ", 1)) for key in keys)


FUNCTIONS: tuple[Function, ...] = (
    Function(
        "get-profile",
        "functions.get_profile",
        _routes(
            "GET /profiel",
            "GET /profiel/contactgegevens/{contactgegevenId}",
        ),
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
        ),
    ),
    Function("process-log", "functions.process_log", consumes_profile_stream=True),
)


def function(name: str) -> Function:
    return next(f for f in FUNCTIONS if f.name == name)
