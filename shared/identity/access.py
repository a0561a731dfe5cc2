"""Authentication of callers and the keys of their data.

A route declares who may call it (``Toegang``, in the registry); the function's API
authenticates the request accordingly and hands the route one typed caller: a
:class:`PartijCaller` (the partij's store key, who acts, the kind of identifier) or an
:class:`OrganisatieCaller` (its OIN). No route authenticates by itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from shared.config import get_settings
from shared.identity.assurance import meets
from shared.identity.pseudonym import pseudonym, pseudonym_input
from shared.identity.subject import (
    ActorRole,
    Subject,
    UnsupportedSubject,
    is_person_token,
    subject_from_claims,
)
from shared.identity.tokens import (
    InvalidToken,
    KeySetUnavailable,
    TokenBoundCache,
    accepted_until,
    token_digest,
    verify_token,
)
from shared.models.partij import SoortIdentificator, oidc_id_type
from shared.models.values import normalise_oin
from shared.problems import forbidden, service_unavailable, unauthorized

__all__ = [
    "ActorRole",
    "OrganisatieCaller",
    "PartijCaller",
    "PartijKeys",
    "Subject",
    "actor_key",
    "authenticate",
    "authenticate_koppeling",
    "authenticate_organisation",
    "caller_of",
    "partij_key",
    "partij_key_for",
    "partij_keys_for",
    "previous_partij_key_for",
    "sealed_identifier_for",
]


# Who may exercise the partij's own rights over its profile: choose whom it is shared with
# (``PUT /profiel/delen``) and have it erased (``DELETE /profiel``). The partij itself; a company's
# representative (eHerkenning authorised the person for the company); a curator, the legal
# representative of a person under curatele in personal as well as property matters, who
# exercises that person's rights under the AVG. Not a gemachtigde: DigiD Machtigen gives a mandate
# to act in services, not to decide for the person who may reach them, or to erase what they
# keep. Not a bewindvoerder: beschermingsbewind covers the person's property only. Both may read
# and maintain the profile - the person keeps the last word on it. And the system, which acts on
# a request that reached it otherwise (operator tools). A role not named here may not: a new
# role starts without these rights until someone decides otherwise.
_UITOEFENAARS_VAN_RECHTEN = frozenset(
    {ActorRole.BURGER, ActorRole.VERTEGENWOORDIGER, ActorRole.CURATOR, ActorRole.SYSTEEM}
)


@dataclass(frozen=True)
class PartijCaller:
    """The partij a request acts for, authenticated."""

    subject: Subject
    partij: str  # the store's key of its profile: a keyed pseudonym, never the identifier
    actor: str | None  # a pseudonym of the person acting for it, when that is someone else
    # During a key rotation: its key under the key being replaced, where its items may still be.
    previous_partij: str | None = None
    # Its identifier sealed for a key rotation, carried by what is stored under its key.
    sealed_identifier: str | None = None

    @property
    def soort(self) -> SoortIdentificator:
        return self.subject.soort

    @property
    def rol(self) -> ActorRole:
        return self.subject.actor_role

    @property
    def vestigingsnummer(self) -> str | None:
        return self.subject.vestigingsnummer

    @property
    def mag_rechten_uitoefenen(self) -> bool:
        """Whether who acts may exercise the partij's own rights: choose with whom the profile
        is shared, have it erased. False for a gemachtigde and a bewindvoerder: those stay with
        the person (403 at those operations)."""
        return self.rol in _UITOEFENAARS_VAN_RECHTEN


@dataclass(frozen=True)
class OrganisatieCaller:
    oin: str
    # The purpose its credentials are bound to: an API key's, or a token's ``doel:<code>`` scope.
    # Needed where the client's contract names no purpose (Klantinteracties, MOZa).
    doel: str | None = None


# An API key's SHA-256 -> the OIN and purpose it is bound to (the register's ``sleutels``).
Sleutels = Callable[[str], "tuple[str, str] | None"]
# The scope that binds an organisation's access token to one purpose: ``doel:<code>``.
DOEL_SCOPE_PREFIX = "doel:"


@dataclass(frozen=True)
class PartijKeys:
    """What the store knows a partij by: its key, during a key rotation its key under the key
    being replaced, and its identifier sealed for a rotation."""

    key: str
    previous: str | None = None
    sealed_identifier: str | None = None


def partij_keys_for(soort: SoortIdentificator, identificator: str) -> PartijKeys:
    return PartijKeys(
        partij_key_for(soort, identificator),
        previous_partij_key_for(soort, identificator),
        sealed_identifier_for(soort, identificator),
    )


def caller_of(subject: Subject) -> PartijCaller:
    keys = partij_keys_for(subject.soort, subject.identifier)
    return PartijCaller(
        subject, keys.key, actor_key(subject), keys.previous, keys.sealed_identifier
    )


def bearer_token(headers: Mapping[str, str]) -> str:
    value = headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized(
            "Stuur een access token mee: Authorization: Bearer <token>.", token_sent=False
        )
    return token.strip()


# The caller of each token: its keys (HMACs), its sealed identifier and the checks of its
# identifiers depend on the claims and the settings alone, so they are worked out once per token.
# Read only after the request's own token passed verify_token (exp, nbf and key, every time).
_CALLERS: TokenBoundCache[PartijCaller] = TokenBoundCache()


def authenticate(headers: Mapping[str, str]) -> PartijCaller:
    """The burger or ondernemer on whose behalf this request is made (headers in lower case)."""
    settings = get_settings()
    token = bearer_token(headers)
    claims = _verified(token)
    if not meets(claims.get("acr"), settings.minimum_assurance):
        raise forbidden(
            f"Voor deze handeling is inloggen op minimaal niveau '{settings.minimum_assurance}' nodig."
        )
    digest = token_digest(token)
    caller = _CALLERS.get(digest, settings)
    if caller is None:
        caller = _caller_of_claims(claims)
        _CALLERS.put(digest, settings, caller, accepted_until(claims, settings))
    return caller


def _caller_of_claims(claims: dict) -> PartijCaller:
    try:
        return caller_of(subject_from_claims(claims))
    except UnsupportedSubject as error:
        raise forbidden(f"Dit token geeft geen toegang tot een profiel: {error}.") from None


def authenticate_organisation(headers: Mapping[str, str]) -> OrganisatieCaller:
    """The OIN of the organisation making this request (headers in lower case).

    An OAuth2 client-credentials access token with the organisation scope; behind an FSC inway
    the organisation is the ``sub`` of the token in ``Fsc-Authorization``, otherwise the access
    token's own ``sub``. A token of a person (a portal's) is refused here, as an organisation's
    token is refused by :func:`authenticate`.
    """
    settings = get_settings()
    claims = _verified(bearer_token(headers))
    if is_person_token(claims):
        raise forbidden("Dit is het token van een persoon; deze handeling is voor organisaties.")
    if settings.organisation_scope not in str(claims.get("scope", "")).split():
        raise forbidden(f"Het token mist de scope '{settings.organisation_scope}'.")
    scopes = str(claims.get("scope", "")).split()
    doelen = [s.removeprefix(DOEL_SCOPE_PREFIX) for s in scopes if s.startswith(DOEL_SCOPE_PREFIX)]
    fsc_token = (headers.get("fsc-authorization") or "").strip()
    if fsc_token:
        claims = _verified(fsc_token.removeprefix("Bearer ").strip())
    try:
        oin = normalise_oin(str(claims.get("sub", "")))
    except ValueError:
        raise forbidden("Het token identificeert geen organisatie met een OIN.") from None
    return OrganisatieCaller(oin, doelen[0] if len(doelen) == 1 else None)


def authenticate_koppeling(headers: Mapping[str, str], sleutels: Sleutels) -> OrganisatieCaller:
    """An organisation's existing client on a contract that names no purpose (Klantinteracties,
    MOZa): an API key from the register (``Authorization: Token <key>``, as Open Klant's clients
    send it), or an access token as :func:`authenticate_organisation` takes it with exactly one
    ``doel:<code>`` scope. Either way bound to one purpose."""
    scheme, _, key = (headers.get("authorization") or "").partition(" ")
    if scheme.lower() == "token":
        found = sleutels(hashlib.sha256(key.strip().encode()).hexdigest()) if key.strip() else None
        if found is None:
            raise unauthorized("De API-sleutel (Authorization: Token) is niet geldig.")
        return OrganisatieCaller(*found)
    caller = authenticate_organisation(headers)
    if caller.doel is None:
        raise forbidden(
            "Het token noemt geen doel: vraag het aan met precies één scope "
            f"'{DOEL_SCOPE_PREFIX}<doelcode>', of gebruik een API-sleutel (Authorization: Token)."
        )
    return caller


def _verified(token: str) -> dict:
    try:
        return verify_token(token, get_settings())
    except InvalidToken as error:
        raise unauthorized(f"Het access token is niet geldig: {error}.") from None
    except KeySetUnavailable:
        raise service_unavailable("De sleutels van de inlogdienst zijn niet bereikbaar.") from None


def partij_key(subject: Subject) -> str:
    """The store's key of the subject's profile: a keyed pseudonym, never the identifier."""
    return partij_key_for(subject.soort, subject.identifier)


def partij_key_for(soort: SoortIdentificator, identificator: str) -> str:
    """The store's key of the profile of the partij with this (normalised) identifier."""
    return pseudonym(oidc_id_type(soort), identificator, _key())


def previous_partij_key_for(soort: SoortIdentificator, identificator: str) -> str | None:
    """During a key rotation, the partij's key under the key being replaced; otherwise None."""
    previous = get_settings().pseudonym_key_previous
    if previous is None:
        return None
    return pseudonym(oidc_id_type(soort), identificator, previous.get_secret_value().encode())


def sealed_identifier_for(soort: SoortIdentificator, identificator: str) -> str | None:
    """The identifier sealed to the rotation key pair (None where no public key is configured)."""
    public_key = get_settings().sealing_public_key
    if public_key is None:
        return None
    from shared.identity.sealing import seal  # the cryptography import only where it seals

    return seal(pseudonym_input(oidc_id_type(soort), identificator), public_key)


def actor_key(subject: Subject) -> str | None:
    """A pseudonym of the person acting for the partij, if that is someone else."""
    if subject.actor_identifier is None:
        return None
    return pseudonym("actor", subject.actor_identifier, _key())


def _key() -> bytes:
    return get_settings().pseudonym_key.get_secret_value().encode()
