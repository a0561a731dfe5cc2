"""Who is asking: the partij whose profile is at stake, and who acts for it.

OIDC NL GOV claims; the End-User, the person who logged in, is always the token's own ``sub``:
- a burger logs in with DigiD: ``sub`` is the BSN, ``sub_id_type`` ``urn:nl-eid-gdi:1.0:id:BSN``;
- a person logs in through eIDAS without a BSN: ``sub`` is the eIDAS uniqueness identifier
  (``DE/NL/...``), ``sub_id_type`` ``urn:nl-eid-gdi:1.0:id:EIDAS`` (``shared.models.partij``).
  A BSN wins whenever the token has one - in ``sub``, or in an ``alt_sub`` for this service (the
  profile's "alternative Subject Identifiers ... in the context of a specific audience"): an eIDAS
  login the BRP matched to a BSN is a burger with a BSN, and has one profile, not two;
- an ondernemer's representative logs in with eHerkenning: the company is in ``represents``
  (``sub`` the KVK-nummer, ``sub_id_type`` ``urn:nl-eid-gdi:1.0:id:KvKnr``). A representative
  authorised for one branch only has its ``vestigingsnummer`` in ``represents`` as well, and
  maintains that branch's preferences;
- a person acting for another natural person - a gemachtigde by DigiD Machtigen, a curator or a
  bewindvoerder - has that person in ``represents`` (``sub`` the BSN, ``sub_id_type`` BSN) and
  says in which role in ``represents.rol``: ``gemachtigde``, ``curator`` or ``bewindvoerder``.
  The partij is the represented person; who acts is kept as a pseudonym with the role.

Refused: a chain of representations (a nested ``represents``), and an RFC 8693 ``act`` claim.
OIDC NL GOV reverses RFC 8693 on purpose - the End-User in ``sub``, the represented party in
``represents`` - so that a client cannot take someone acting for another for that other; a token
whose ``sub`` is the represented person and whose ``act`` is the one acting would be read exactly
that wrong way, and the audit trail would name the wrong person as acting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from shared.models.partij import SoortIdentificator, soort_of_oidc_id_type
from shared.models.values import (
    normalise_bsn,
    normalise_eidas_identificator,
    normalise_kvk_nummer,
    normalise_vestigingsnummer,
)


class ActorRole(StrEnum):
    """In whose role a change was made, as the audit trail shows it (never who by name)."""

    BURGER = "burger"
    VERTEGENWOORDIGER = "vertegenwoordiger"
    # Acting for another natural person (``represents`` with a BSN), in the role the token says:
    GEMACHTIGDE = "gemachtigde"  # DigiD Machtigen: a mandate the person gave, for services
    CURATOR = "curator"  # curatele (BW boek 1, titel 16): the legal representative in all matters
    BEWINDVOERDER = "bewindvoerder"  # beschermingsbewind (BW boek 1, titel 19): property only
    ORGANISATIE = "organisatie"
    SYSTEEM = "systeem"


# The roles in which a token may act for another natural person: ``represents.rol``.
NAMENS_EEN_PERSOON = frozenset({ActorRole.GEMACHTIGDE, ActorRole.CURATOR, ActorRole.BEWINDVOERDER})
# Who is a natural person logging in for themselves.
_PERSOON = frozenset({SoortIdentificator.BSN, SoortIdentificator.EIDAS})


@dataclass(frozen=True)
class Subject:
    soort: SoortIdentificator
    identifier: str
    actor_role: ActorRole
    # The identifier of the person acting, when that is not the partij itself (a representative).
    actor_identifier: str | None = None
    # The branch a representative is authorised for, if only for one.
    vestigingsnummer: str | None = None

    def __repr__(self) -> str:
        # Dataclass reprs end up in tracebacks and debug logs; this one must not carry a BSN.
        return f"Subject(soort={self.soort}, actor_role={self.actor_role})"

    __str__ = __repr__


class UnsupportedSubject(Exception):
    """The token is valid but does not identify a partij this service keeps a profile for."""


def subject_from_claims(claims: dict) -> Subject:
    """The partij a verified token acts for (UnsupportedSubject: none this service knows).

    Messages name what is wrong, never a value: they reach the caller and may reach a log.
    """
    if "act" in claims:
        raise UnsupportedSubject(
            "een act-claim wordt niet ondersteund: wie voor een ander handelt, staat in sub en "
            "de vertegenwoordigde in represents"
        )
    represents = claims.get("represents")
    if represents is not None:
        return _vertegenwoordigd(claims, represents)
    return _zelf(claims)


def _zelf(claims: dict) -> Subject:
    """The End-User for themselves: by BSN when the token has one, else by eIDAS identifier."""
    identificatoren = _eigen_identificatoren(claims)
    bsns = [value for soort, value in identificatoren if soort is SoortIdentificator.BSN]
    if bsns:
        bsn = _one(bsns, normalise_bsn, ("het", "BSN"))
        return Subject(SoortIdentificator.BSN, bsn, ActorRole.BURGER)
    eidas = [value for soort, value in identificatoren if soort is SoortIdentificator.EIDAS]
    if eidas:
        identificatie = _one(eidas, normalise_eidas_identificator, ("de", "eIDAS-identificatie"))
        return Subject(SoortIdentificator.EIDAS, identificatie, ActorRole.BURGER)
    raise UnsupportedSubject(
        "het token identificeert geen burger (BSN of eIDAS) of onderneming (KVK)"
    )


def _one(values: list[object], normalise: Callable[[str], str], wat: tuple[str, str]) -> str:
    """The one identifier of a kind the token gives (the same one twice is one); ``wat``: its
    article and name, for the message."""
    lidwoord, naam = wat
    try:
        if not all(isinstance(value, str) for value in values):
            raise ValueError
        normalised = {normalise(value) for value in values}
    except ValueError:
        raise UnsupportedSubject(f"{lidwoord} {naam} in het token is ongeldig") from None
    if len(normalised) > 1:
        raise UnsupportedSubject(f"het token noemt meer dan één {naam}")
    return normalised.pop()


def _eigen_identificatoren(claims: dict) -> list[tuple[SoortIdentificator, object]]:
    """The End-User's identifiers of a kind this service knows: ``sub``, and each ``alt_sub``
    for this service - for an audience the token itself is for (its ``aud``, verified)."""
    found = [(soort_of_oidc_id_type(claims.get("sub_id_type")), claims.get("sub"))]
    audiences = _audiences(claims.get("aud"))
    for entry in _alt_subs(claims):
        if not isinstance(entry, dict):
            raise UnsupportedSubject("alt_sub is geen lijst van objecten")
        if isinstance(entry.get("aud"), str) and entry["aud"] in audiences:
            found.append((soort_of_oidc_id_type(entry.get("sub_id_type")), entry.get("sub")))
    return [(soort, value) for soort, value in found if soort is not None]


def _alt_subs(claims: dict) -> list[object]:
    alt_sub = claims.get("alt_sub")
    if alt_sub is None:
        return []
    return alt_sub if isinstance(alt_sub, list) else [alt_sub]


def _audiences(aud: object) -> set[str]:
    if isinstance(aud, str):
        return {aud}
    return {a for a in aud if isinstance(a, str)} if isinstance(aud, list) else set()


def _vertegenwoordigd(claims: dict, represents: object) -> Subject:
    if not isinstance(represents, dict):
        raise UnsupportedSubject("represents is geen object")
    if "represents" in represents:
        # OIDC NL GOV's chain: the deepest is the party served, each link an intermediary whose
        # authority this service cannot check.
        raise UnsupportedSubject("een keten van vertegenwoordigingen wordt niet ondersteund")
    soort = soort_of_oidc_id_type(represents.get("sub_id_type"))
    if soort is SoortIdentificator.KVK_NUMMER:
        return _onderneming(claims, represents)
    if soort is SoortIdentificator.BSN:
        return _persoon(claims, represents)
    raise UnsupportedSubject(
        "alleen vertegenwoordiging van een KVK-nummer of een BSN wordt ondersteund"
    )


def _onderneming(claims: dict, represents: dict) -> Subject:
    try:
        kvk = normalise_kvk_nummer(str(represents.get("sub", "")))
    except ValueError:
        raise UnsupportedSubject("het vertegenwoordigde KVK-nummer is ongeldig") from None
    vestiging = represents.get("vestigingsnummer")
    try:
        vestiging = None if vestiging is None else normalise_vestigingsnummer(str(vestiging))
    except ValueError:
        raise UnsupportedSubject("het vertegenwoordigde vestigingsnummer is ongeldig") from None
    return Subject(
        SoortIdentificator.KVK_NUMMER,
        kvk,
        ActorRole.VERTEGENWOORDIGER,
        actor_identifier=_handelende(claims),
        vestigingsnummer=vestiging,
    )


def _persoon(claims: dict, represents: dict) -> Subject:
    """Acting for another natural person, by BSN, in the role ``represents.rol`` names."""
    sub = represents.get("sub")
    try:
        bsn = normalise_bsn(sub if isinstance(sub, str) else "")
    except ValueError:
        raise UnsupportedSubject("het BSN van de vertegenwoordigde is ongeldig") from None
    rol = represents.get("rol")
    if not isinstance(rol, str) or rol not in NAMENS_EEN_PERSOON:
        raise UnsupportedSubject(
            "represents.rol ontbreekt of is geen gemachtigde, curator of bewindvoerder"
        )
    if "vestigingsnummer" in represents:
        raise UnsupportedSubject("een persoon heeft geen vestigingsnummer")
    actor = _handelende(claims)
    if actor == bsn:
        raise UnsupportedSubject("wie zichzelf vertegenwoordigt, logt in voor zichzelf")
    return Subject(SoortIdentificator.BSN, bsn, ActorRole(rol), actor_identifier=actor)


def _handelende(claims: dict) -> str:
    """Who acts for the represented partij: the End-User, the token's own ``sub``."""
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise UnsupportedSubject("het token noemt niet wie er handelt")
    return sub


def subject_for(
    bsn: str | None = None, kvk_nummer: str | None = None, eidas: str | None = None
) -> Subject:
    """The partij with this BSN, KVK-nummer or eIDAS identifier, acted on by the system
    (operator tools, seeding)."""
    if bsn is not None:
        return Subject(SoortIdentificator.BSN, normalise_bsn(bsn), ActorRole.SYSTEEM)
    if kvk_nummer is not None:
        return Subject(
            SoortIdentificator.KVK_NUMMER, normalise_kvk_nummer(kvk_nummer), ActorRole.SYSTEEM
        )
    if eidas is not None:
        return Subject(
            SoortIdentificator.EIDAS, normalise_eidas_identificator(eidas), ActorRole.SYSTEEM
        )
    raise ValueError("give a BSN, a KVK-nummer or an eIDAS identifier")


def is_person_token(claims: dict) -> bool:
    """Whether a token is a person's (a portal's): a burger's (BSN or eIDAS, in ``sub`` or in
    an ``alt_sub`` for any audience) or a representative's (of a company or of a person)."""
    if "represents" in claims:
        return True
    kinds = {soort_of_oidc_id_type(claims.get("sub_id_type"))}
    kinds |= {
        soort_of_oidc_id_type(entry.get("sub_id_type"))
        for entry in _alt_subs(claims)
        if isinstance(entry, dict)
    }
    return bool(kinds & _PERSOON)


__all__ = [
    "NAMENS_EEN_PERSOON",
    "ActorRole",
    "Subject",
    "UnsupportedSubject",
    "is_person_token",
    "subject_for",
    "subject_from_claims",
]
