"""RFC 9457 problem details: the one shape of every 4xx and 5xx answer.

Domain and adapter code raise :class:`Problem` (or a subclass); the HTTP layer renders it.
Titles and details are Dutch, for the people who read them; they never carry personal data
or internal names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.errors import InvalidParam

__all__ = ["InvalidParam", "Problem"]

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:nl:profielservice:problem:"


@dataclass
class Problem(Exception):
    status: int
    title: str
    detail: str
    slug: str = ""
    invalid_params: tuple[InvalidParam, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.title)

    @property
    def type(self) -> str:
        return PROBLEM_TYPE_BASE + self.slug if self.slug else "about:blank"

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.invalid_params:
            body["invalidParams"] = [
                {"name": p.name, "code": p.code, "reason": p.reason} for p in self.invalid_params
            ]
        return body


def invalid_input(params: tuple[InvalidParam, ...] | list[InvalidParam]) -> Problem:
    names = ", ".join(p.name for p in params)
    return Problem(
        400,
        "Ongeldige invoer",
        f"De invoer klopt niet voor: {names}.",
        "ongeldige-invoer",
        tuple(params),
    )


def not_found(detail: str = "Deze bron bestaat niet.") -> Problem:
    return Problem(404, "Niet gevonden", detail, "niet-gevonden")


def method_not_allowed(allowed: list[str]) -> Problem:
    return Problem(
        405,
        "Methode niet toegestaan",
        f"Deze bron ondersteunt alleen: {', '.join(allowed)}.",
        "methode-niet-toegestaan",
        headers={"Allow": ", ".join(allowed)},
    )


def unauthorized(detail: str, token_sent: bool = True) -> Problem:
    # RFC 6750: an error code only when a token was sent and refused.
    challenge = 'Bearer realm="profielservice"' + (', error="invalid_token"' if token_sent else "")
    return Problem(
        401,
        "Niet geauthenticeerd",
        detail,
        "niet-geauthenticeerd",
        headers={"WWW-Authenticate": challenge},
    )


def forbidden(detail: str) -> Problem:
    return Problem(403, "Geen toegang", detail, "geen-toegang")


def server_error() -> Problem:
    return Problem(
        500,
        "Serverfout",
        "Er ging iets mis aan onze kant. Probeer het later opnieuw.",
        "serverfout",
    )


def service_unavailable(detail: str) -> Problem:
    return Problem(
        503,
        "Tijdelijk niet beschikbaar",
        detail,
        "niet-beschikbaar",
        headers={"Retry-After": "5"},
    )
