"""Authentication of callers and the keys of their data: the entry points every function calls."""

from __future__ import annotations

from collections.abc import Mapping

from shared.config import get_settings
from shared.identity.assurance import meets
from shared.identity.pseudonym import pseudonym
from shared.identity.subject import (
    BSN_ID_TYPE,
    ActorRole,
    SoortPartij,
    Subject,
    UnsupportedSubject,
    subject_from_claims,
)
from shared.identity.tokens import InvalidToken, KeySetUnavailable, verify_token
from shared.models.values import normalise_oin
from shared.problems import forbidden, service_unavailable, unauthorized

__all__ = [
    "ActorRole",
    "SoortPartij",
    "Subject",
    "authenticate",
    "authenticate_organisation",
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
    claims = _verified(bearer_token(headers))
    if not meets(claims.get("acr"), settings.minimum_assurance):
        raise forbidden(
            f"Voor deze handeling is inloggen op minimaal niveau '{settings.minimum_assurance}' nodig."
        )
    try:
        return subject_from_claims(claims)
    except UnsupportedSubject as error:
        raise forbidden(f"Dit token geeft geen toegang tot een profiel: {error}.") from None


def authenticate_organisation(headers: Mapping[str, str]) -> str:
    """The OIN of the organisation making this request (headers in lower case).

    An OAuth2 client-credentials access token with the organisation scope; behind an FSC inway
    the organisation is the ``sub`` of the token in ``Fsc-Authorization``, otherwise the access
    token's own ``sub``. A token of a person (a portal's) is refused here, as an organisation's
    token is refused by :func:`authenticate`.
    """
    settings = get_settings()
    claims = _verified(bearer_token(headers))
    if "represents" in claims or claims.get("sub_id_type") == BSN_ID_TYPE:
        raise forbidden("Dit is het token van een persoon; deze handeling is voor organisaties.")
    if settings.organisation_scope not in str(claims.get("scope", "")).split():
        raise forbidden(f"Het token mist de scope '{settings.organisation_scope}'.")
    fsc_token = (headers.get("fsc-authorization") or "").strip()
    if fsc_token:
        claims = _verified(fsc_token.removeprefix("Bearer ").strip())
    try:
        return normalise_oin(str(claims.get("sub", "")))
    except ValueError:
        raise forbidden("Het token identificeert geen organisatie met een OIN.") from None


def _verified(token: str) -> dict:
    try:
        return verify_token(token, get_settings())
    except InvalidToken as error:
        raise unauthorized(f"Het access token is niet geldig: {error}.") from None
    except KeySetUnavailable:
        raise service_unavailable("De sleutels van de inlogdienst zijn niet bereikbaar.") from None


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
