"""Identity and access: who is asking, verified inside the function on every request."""

from __future__ import annotations

from collections.abc import Mapping

from shared.config import get_settings
from shared.identity.assurance import meets
from shared.identity.pseudonym import pseudonym
from shared.identity.subject import (
    ActorRole,
    SoortPartij,
    Subject,
    UnsupportedSubject,
    subject_from_claims,
)
from shared.identity.tokens import InvalidToken, KeySetUnavailable, verify_token
from shared.problems import forbidden, service_unavailable, unauthorized

__all__ = [
    "ActorRole",
    "SoortPartij",
    "Subject",
    "authenticate",
    "partij_key",
    "actor_key",
]


def bearer_token(headers: Mapping[str, str]) -> str:
    value = headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized(
            "Stuur een access token mee: Authorization: Bearer <token>.", token_sent=False
        )
    return token.strip()


def authenticate(headers: Mapping[str, str]) -> Subject:
    """The burger or ondernemer on whose behalf this request is made (headers in lower case)."""
    settings = get_settings()
    try:
        claims = verify_token(bearer_token(headers), settings)
    except InvalidToken as error:
        raise unauthorized(f"Het access token is niet geldig: {error}.") from None
    except KeySetUnavailable:
        raise service_unavailable("De sleutels van de inlogdienst zijn niet bereikbaar.") from None
    if not meets(claims.get("acr"), settings.minimum_assurance):
        raise forbidden(
            f"Voor deze handeling is inloggen op minimaal niveau '{settings.minimum_assurance}' nodig."
        )
    try:
        return subject_from_claims(claims)
    except UnsupportedSubject as error:
        raise forbidden(f"Dit token geeft geen toegang tot een profiel: {error}.") from None


def partij_key(subject: Subject) -> str:
    """The store's key of the subject's profile: a keyed pseudonym, never the identifier."""
    return pseudonym(subject.id_type, subject.identifier, _key())


def actor_key(subject: Subject) -> str | None:
    """A pseudonym of the person acting for the partij, if that is someone else."""
    if subject.actor_identifier is None:
        return None
    return pseudonym("actor", subject.actor_identifier, _key())


def _key() -> bytes:
    return get_settings().pseudonym_key.get_secret_value().encode()
