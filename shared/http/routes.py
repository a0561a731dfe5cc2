"""What a function's HTTP surface is made of: routes below the API's base path, each with the
operation the API's document says it is.

The table of this service's functions and routes is ``functions/registry.py``; the OpenAPI
document is generated from it (``python -m functions.openapi``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

BASE_PATH = "/api/profiel/v1"
JSON = "application/json"


class Toegang(StrEnum):
    """Who may call a route: the function's API authenticates accordingly and hands the route
    its caller (``shared.identity.access``)."""

    PARTIJ = "partij"  # a burger (DigiD), or an ondernemer's representative (eHerkenning)
    ORGANISATIE = "organisatie"  # an organisation: client credentials (and FSC)
    # An organisation's existing client on another standard's contract, which names no purpose:
    # an API key from the register, or client credentials with a ``doel:<code>`` scope.
    KOPPELING = "koppeling"
    IEDEREEN = "iedereen"  # no token: the API's own description


@dataclass(frozen=True)
class Operation:
    """What the API's document says of a route, in Dutch. Schemas are named as components: a
    model's title (``shared.models.base.api_schema``), else its class name."""

    operation_id: str
    summary: str
    description: str
    answer: str  # what the answer is when all goes well
    body: str | None = None  # the schema of its body
    status: int = 200
    request: str | None = None  # the schema of the request body, if there is one
    request_types: tuple[str, ...] = (JSON,)
    parameters: tuple[str, ...] = ()  # besides the path's: names in components.parameters
    headers: tuple[str, ...] = ()  # of the answer, besides API-Version
    # Besides those of the caller's token (401, 403, 500, 503) and of a path parameter (404, 405).
    errors: tuple[int, ...] = ()
    media_type: str = JSON  # of the answer's body
    tag: tuple[str, str] | None = None  # name and description; None: the function's


@dataclass(frozen=True)
class Contract:
    """Another standard's API that some routes answer as it specifies, so that its existing
    clients connect unchanged: its base path, and its OpenAPI document as vendored in ``specs/``.
    Those routes are described by that document, not by this service's own."""

    base: str
    document: str  # the file name in specs/


@dataclass(frozen=True)
class Route:
    method: str
    # Below its base path, in OpenAPI template syntax: /profiel/contactgegevens/{contactgegevenId}
    path: str
    toegang: Toegang = Toegang.PARTIJ
    # None only for a route made up in a test, or one of another contract's: the service's own
    # document refuses an undocumented route of its own.
    operation: Operation | None = field(default=None, compare=False)
    # None: a route of this service's own API, below BASE_PATH.
    contract: Contract | None = None

    @property
    def base(self) -> str:
        return self.contract.base if self.contract else BASE_PATH

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def methods(self) -> tuple[str, ...]:
        """The methods the route answers: HEAD as well wherever GET (RFC 9110 §9.1)."""
        return (self.method, "HEAD") if self.method == "GET" else (self.method,)

    @property
    def rule(self) -> str:
        """The full path in the ``<param>`` syntax of the routers (powertools, werkzeug)."""
        return self.base + re.sub(r"\{(\w+)\}", r"<\1>", self.path)

    def matches(self, path: str) -> bool:
        """Whether a request path (full, with its base) is this route's path, any method."""
        return self.parameters(path) is not None

    def parameters(self, path: str) -> dict[str, str] | None:
        """The path parameters of a request path (full, with its base) of this route's path, by
        name; None for another path."""
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.base + self.path))
        match = re.fullmatch(pattern, path)
        return match.groupdict() if match else None

    @property
    def manifest_key(self) -> str:
        """How the deployment manifests list the route (Knative, OpenFaaS): its key, below the
        service's own base path; another contract's route in full, with its base."""
        return self.key if self.contract is None else self.route_key

    @property
    def route_key(self) -> str:
        """The route key as API Gateway declares it and puts it in the event: the full path."""
        return f"{self.method} {self.base}{self.path}"


@dataclass(frozen=True)
class Function:
    name: str
    package: str
    routes: tuple[Route, ...] = ()
    # The function consumes the stream of the profile table instead of serving HTTP.
    consumes_profile_stream: bool = False
    # The document's tag of the function's operations: its name and what it covers.
    tag: tuple[str, str] | None = None

    @property
    def handler_module(self) -> str:
        return f"{self.package}.handler"

    @property
    def source_path(self) -> str:
        return self.handler_module.replace(".", "/") + ".py"
