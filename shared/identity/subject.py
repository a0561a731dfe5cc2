"""Who is asking: the partij whose profile is at stake, and who acts for it.

OIDC NL GOV claims:
- a burger logs in with DigiD: ``sub`` is the BSN, ``sub_id_type`` ``urn:nl-eid-gdi:1.0:id:BSN``;
- an ondernemer's representative logs in with eHerkenning: the company is in ``represents``
  (``sub`` the KVK-nummer, ``sub_id_type`` ``urn:nl-eid-gdi:1.0:id:KvKnr``); the token's own
  ``sub`` identifies the person acting. A representative authorised for one branch only has its
  ``vestigingsnummer`` in ``represents`` as well, and maintains that branch's preferences.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.models.partij import SoortIdentificator, soort_of_oidc_id_type
from shared.models.values import normalise_bsn, normalise_kvk_nummer, normalise_vestigingsnummer


class ActorRole(StrEnum):
    """In whose role a change was made, as the audit trail shows it (never who by name)."""

    BURGER = "burger"
    VERTEGENWOORDIGER = "vertegenwoordiger"
    ORGANISATIE = "organisatie"
    SYSTEEM = "systeem"


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
    represents = claims.get("represents")
    if represents is not None:
        if (
            not isinstance(represents, dict)
            or soort_of_oidc_id_type(represents.get("sub_id_type")) != SoortIdentificator.KVK_NUMMER
        ):
            raise UnsupportedSubject(
                "alleen vertegenwoordiging van een KVK-nummer wordt ondersteund"
            )
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
            actor_identifier=str(claims["sub"]),
            vestigingsnummer=vestiging,
        )
    if soort_of_oidc_id_type(claims.get("sub_id_type")) == SoortIdentificator.BSN:
        try:
            bsn = normalise_bsn(str(claims["sub"]))
        except ValueError:
            raise UnsupportedSubject("het BSN in het token is ongeldig") from None
        return Subject(SoortIdentificator.BSN, bsn, ActorRole.BURGER)
    raise UnsupportedSubject("het token identificeert geen burger (BSN) of onderneming (KVK)")


def subject_for(bsn: str | None = None, kvk_nummer: str | None = None) -> Subject:
    """The partij with this BSN or KVK-nummer, acted on by the system (operator tools, seeding)."""
    if bsn is not None:
        return Subject(SoortIdentificator.BSN, normalise_bsn(bsn), ActorRole.SYSTEEM)
    if kvk_nummer is not None:
        return Subject(
            SoortIdentificator.KVK_NUMMER, normalise_kvk_nummer(kvk_nummer), ActorRole.SYSTEEM
        )
    raise ValueError("give a BSN or a KVK-nummer")


def is_person_token(claims: dict) -> bool:
    """Whether a token is a person's (a portal's): a burger's or a representative's."""
    return "represents" in claims or (
        soort_of_oidc_id_type(claims.get("sub_id_type")) == SoortIdentificator.BSN
    )


__all__ = [
    "ActorRole",
    "Subject",
    "UnsupportedSubject",
    "is_person_token",
    "subject_for",
    "subject_from_claims",
]
