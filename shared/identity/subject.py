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

from shared.models.values import normalise_bsn, normalise_kvk_nummer, normalise_vestigingsnummer

BSN_ID_TYPE = "urn:nl-eid-gdi:1.0:id:BSN"
KVK_ID_TYPE = "urn:nl-eid-gdi:1.0:id:KvKnr"


class SoortPartij(StrEnum):
    BURGER = "burger"
    ONDERNEMER = "ondernemer"


class ActorRole(StrEnum):
    """In whose role a change was made, as the audit trail shows it (never who by name)."""

    BURGER = "burger"
    VERTEGENWOORDIGER = "vertegenwoordiger"
    ORGANISATIE = "organisatie"
    SYSTEEM = "systeem"


@dataclass(frozen=True)
class Subject:
    soort: SoortPartij
    id_type: str
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
        if not isinstance(represents, dict) or represents.get("sub_id_type") != KVK_ID_TYPE:
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
            SoortPartij.ONDERNEMER,
            KVK_ID_TYPE,
            kvk,
            ActorRole.VERTEGENWOORDIGER,
            actor_identifier=str(claims["sub"]),
            vestigingsnummer=vestiging,
        )
    if claims.get("sub_id_type") == BSN_ID_TYPE:
        try:
            bsn = normalise_bsn(str(claims["sub"]))
        except ValueError:
            raise UnsupportedSubject("het BSN in het token is ongeldig") from None
        return Subject(SoortPartij.BURGER, BSN_ID_TYPE, bsn, ActorRole.BURGER)
    raise UnsupportedSubject("het token identificeert geen burger (BSN) of onderneming (KVK)")


def subject_for(bsn: str | None = None, kvk_nummer: str | None = None) -> Subject:
    """The partij with this BSN or KVK-nummer, acted on by the system (operator tools, seeding)."""
    if bsn is not None:
        return Subject(SoortPartij.BURGER, BSN_ID_TYPE, normalise_bsn(bsn), ActorRole.SYSTEEM)
    if kvk_nummer is not None:
        return Subject(
            SoortPartij.ONDERNEMER, KVK_ID_TYPE, normalise_kvk_nummer(kvk_nummer), ActorRole.SYSTEEM
        )
    raise ValueError("give a BSN or a KVK-nummer")
