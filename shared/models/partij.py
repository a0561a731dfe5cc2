"""What a partij's identifier is: one encoding from the token to the store, the audit trail and
the Logboek, and the one table that translates it for the standards that name it otherwise.

The encoding is Klantinteracties' ``codeSoortObjectId`` of a ``partijIdentificator`` (Open Klant's
``CodeSoortObjectIdEnum``), and ``eidas`` for the one kind Klantinteracties has no code of its own
for (there it is ``overig``, which says nothing about what the identifier is). OIDC NL GOV names
the kinds by URN in ``sub_id_type``; the Logboek Dataverwerkingen names the kind of pseudonym in
``dpl.core.data_subject_id_type``. Those names are looked up here, and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# The most betrokkenen one lookup asks about, and so the most results it answers with: the
# service's own (functions.lookup_preferences.core.Opvraging, shared.models.antwoorden) and
# MOZa's bulk request. Here rather than with the answers, which a function need not import.
MAXIMUM_BETROKKENEN = 1000


class SoortIdentificator(StrEnum):
    BSN = "bsn"
    KVK_NUMMER = "kvk_nummer"
    VESTIGINGSNUMMER = "vestigingsnummer"
    # A person who logged in through eIDAS without a BSN, known by their eIDAS uniqueness
    # identifier (``values.normalise_eidas_identificator``).
    EIDAS = "eidas"


@dataclass(frozen=True)
class _Namen:
    # OIDC NL GOV ``sub_id_type``; also what the store's pseudonym of the identifier is keyed
    # under, so it can never change for a kind that has one (every stored key would).
    oidc: str | None
    # ``dpl.core.data_subject_id_type`` of the pseudonym of such an identifier.
    ldv: str


_PSEUDONIEM = "urn:nl:profielservice:pseudoniem:hmac-sha256"
_NAMEN = {
    SoortIdentificator.BSN: _Namen("urn:nl-eid-gdi:1.0:id:BSN", f"{_PSEUDONIEM}:BSN"),
    SoortIdentificator.KVK_NUMMER: _Namen(
        "urn:nl-eid-gdi:1.0:id:KvKnr", f"{_PSEUDONIEM}:KVK-nummer"
    ),
    SoortIdentificator.VESTIGINGSNUMMER: _Namen(None, f"{_PSEUDONIEM}:vestigingsnummer"),
    # OIDC NL GOV publishes no sub_id_type for an eIDAS identifier: its examples name BSN, RSIN,
    # KvKnr and pseudonym, all ``urn:nl-eid-gdi:1.0:id:...``; eToegang delivers the eIDAS
    # PersonIdentifier ("uniqueness identifier", eIDAS SAML Attribute Profile 1.2, 2.2.3; Logius:
    # "dienstverlener specifiek identificatienummer", e.g. ES/AT/02635542Y) under names of its own.
    # This service takes the URN below, in the namespace OIDC NL GOV uses, and the broker is
    # configured to send it. Should a broker name it otherwise, accept that name beside it; never
    # change this one: it keys the store's pseudonym of every eIDAS profile.
    SoortIdentificator.EIDAS: _Namen("urn:nl-eid-gdi:1.0:id:EIDAS", f"{_PSEUDONIEM}:eIDAS"),
}


def oidc_id_type(soort: SoortIdentificator) -> str:
    """The ``sub_id_type`` of OIDC NL GOV for this kind (ValueError: the standard has none)."""
    name = _NAMEN[soort].oidc
    if name is None:
        raise ValueError(f"OIDC NL GOV has no sub_id_type for {soort}")
    return name


def soort_of_oidc_id_type(id_type: object) -> SoortIdentificator | None:
    return next((s for s, namen in _NAMEN.items() if namen.oidc == id_type), None)


def ldv_id_type(soort: SoortIdentificator | None) -> str:
    """``dpl.core.data_subject_id_type`` of the pseudonym of an identifier of this kind (of a
    pseudonym whose kind is not known, for items written before the kind was kept)."""
    return _NAMEN[soort].ldv if soort is not None else _PSEUDONIEM
