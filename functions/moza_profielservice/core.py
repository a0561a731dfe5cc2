"""The MOZa profielservice surface's own rules: the requests, the scope a caller may ask in, and
the answer in MOZa's shapes (``specs/moza-profielservice-api.json``). No I/O, no clock.

What is released is decided elsewhere, the same as for every organisation
(:mod:`shared.models.verstrekking`); here it is only put in the shapes MOZa's clients read, so
that their own selection lands on the address that rule gives. MOZa's notification component
picks, of a partij's e-mail addresses, the first whose ``scopes`` name the dienstverlener and the
dienst it asked for, then one scoped to the dienstverlener alone, then one with ``isDefault``,
then one without scopes. So a partij holds only the addresses the rule gives this organisation
(and dienst) on a channel the partij did not refuse - one of each kind at most - each scoped to
exactly what was asked and ``isDefault``: every step of that selection lands on the same address.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict, Field

from shared.errors import DomainError, Fout, InvalidParam, ongeldige_invoer
from shared.identity.verwijzing import adres_uuid, partij_uuid
from shared.models.base import ApiModel
from shared.models.partij import MAXIMUM_BETROKKENEN, SoortIdentificator
from shared.models.profiel import Contactgegeven, Profiel, SoortDigitaalAdres
from shared.models.register import Dienst, Doel, Organisatie, Veld
from shared.models.values import normalise_bsn, normalise_kvk_nummer
from shared.models.verstrekking import verstrekking
from shared.models.voorkeuren import Voorkeurset
from shared.opvragen import Opgevraagd


class IdentificatieType(StrEnum):
    BSN = "BSN"
    KVK = "KVK"
    # A legal entity's RSIN: this service keeps no partij by it (a company is its KVK-nummer), so
    # it names nobody - answered as absent, as MOZa answers a number it does not know.
    RSIN = "RSIN"


_SOORT = {
    IdentificatieType.BSN: SoortIdentificator.BSN,
    IdentificatieType.KVK: SoortIdentificator.KVK_NUMMER,
}
_NORMALISE = {IdentificatieType.BSN: normalise_bsn, IdentificatieType.KVK: normalise_kvk_nummer}
# Room for any identifier MOZa knows (the contract only asks for a non-blank one).
_NUMMER = Field(min_length=1, max_length=64, pattern=r"\S")
# A name in the register is at most 100 characters; more is no name of ours, but room to say so.
_NAAM = Field(default=None, max_length=200)


class _MozaRequest(ApiModel):
    """A body of MOZa's contract. Unlike this service's own API, a property the model does not
    know is ignored, not refused: MOZa's document allows any, MOZa's own server ignores them, and
    its clients may send what a later version of the contract adds."""

    model_config = ConfigDict(extra="ignore")


class PartijIdentificatieRequest(_MozaRequest):
    """One partij asked about, as MOZa names it (``PartijIdentificatieRequest``)."""

    identificatie_type: IdentificatieType
    identificatie_nummer: str = _NUMMER

    @property
    def sleutel(self) -> tuple[str, str]:
        """The identification as asked: what a bulk answer is matched on."""
        return self.identificatie_type.value, self.identificatie_nummer

    @property
    def betrokkene(self) -> tuple[SoortIdentificator, str] | None:
        """The partij this names, by kind and normalised identifier; None for one this service
        cannot keep - an RSIN, a number that fails its check. The contract takes any non-blank
        number, and MOZa answers an unknown one with 404: so does this (MOZa's notification
        component takes a 404 as final - nothing is sent - and any other error as an outage to
        retry later)."""
        normalise = _NORMALISE.get(self.identificatie_type)
        if normalise is None:
            return None
        try:
            return _SOORT[self.identificatie_type], normalise(self.identificatie_nummer)
        except ValueError:
            return None


class PartijRequest(PartijIdentificatieRequest):
    """Body of ``POST /partij``. ``dienstverlener`` and ``dienstNaam`` say for whom the scopes
    are; MOZa's client may send them as null."""

    dienstverlener: str | None = _NAAM
    dienst_naam: str | None = _NAAM


class PartijBulkRequest(_MozaRequest):
    """Body of ``POST /partijen/bulk``: bounded as ``/opvragingen``, one lookup for them all."""

    identificaties: tuple[PartijIdentificatieRequest, ...] = Field(
        min_length=1, max_length=MAXIMUM_BETROKKENEN
    )


@dataclass(frozen=True)
class Scope:
    """For whom an answer is: the calling organisation, and one of its services or none."""

    organisatie: Organisatie
    dienst: Dienst | None = None

    def response(self) -> dict[str, str]:
        """MOZa's ``ScopeResponse``: names as the register has them; no ``dienstNaam`` at the
        organisation's level (MOZa's client reads a missing or blank one as that)."""
        shown = {"dienstverlenerNaam": self.organisatie.naam}
        if self.dienst is not None:
            shown["dienstNaam"] = self.dienst.naam
        return shown


def scope(organisatie: Organisatie, dienstverlener: str | None, dienst_naam: str | None) -> Scope:
    """The scope a request asks for, in the caller's own organisation only.

    ``dienstverlener``: the organisation's name in the register or its OIN (MOZa's clients send
    the name); any other organisation is refused - credentials bound to one OIN cannot ask with
    another organisation's preferences (403). ``dienstNaam``: one of its services by code or by
    name; another is a mistake in the client's configuration (400), not something to answer at
    the organisation's level instead. Names compare without regard to case or repeated spaces;
    blank is not given. Nothing is looked up or recorded before this passes.
    """
    if _given(dienstverlener) and _same(dienstverlener) not in (
        _same(organisatie.naam),
        organisatie.oin,
    ):
        raise DomainError(
            Fout.GEEN_TOEGANG,
            "U kunt alleen opvragen voor uw eigen organisatie: 'dienstverlener' is de naam of "
            "het OIN van de organisatie van uw sleutel of token.",
        )
    if not _given(dienst_naam):
        return Scope(organisatie)
    wanted = _same(dienst_naam)
    dienst = next(
        (d for d in organisatie.diensten if dienst_naam == d.code or wanted == _same(d.naam)),
        None,
    )
    if dienst is None:
        raise ongeldige_invoer(
            [InvalidParam("dienstNaam", "onbekend", "geen dienst van uw organisatie")]
        )
    return Scope(organisatie, dienst)


def _given(value: str | None) -> bool:
    return value is not None and value.strip() != ""


def _same(value: str) -> str:
    return " ".join(value.split()).casefold()


_CONTACT_TYPE = {
    SoortDigitaalAdres.EMAIL: "Email",
    SoortDigitaalAdres.TELEFOONNUMMER: "Telefoonnummer",
}
_VELD = {
    SoortDigitaalAdres.EMAIL: Veld.EMAIL,
    SoortDigitaalAdres.TELEFOONNUMMER: Veld.TELEFOONNUMMER,
}


def partijen(
    opgevraagd: Opgevraagd, identificaties: tuple[PartijIdentificatieRequest, ...], scope: Scope
) -> list[dict[str, Any]]:
    """A ``PartijResponse`` per partij found, in the order asked, each once; a partij that is
    absent, refuses this organisation or is no longer kept by its register is left out - as the
    contract leaves out a partij it does not find. ``identificaties`` are those whose
    :attr:`~PartijIdentificatieRequest.betrokkene` the lookup asked about, in its order."""
    shown: dict[str, dict[str, Any]] = {}
    for identificatie, gevonden in zip(identificaties, opgevraagd.gevonden, strict=True):
        if gevonden.profiel is None or gevonden.partij in shown:
            continue
        shown[gevonden.partij] = partij(
            gevonden.partij,
            gevonden.profiel,
            identificatie,
            scope,
            opgevraagd.doel,
            opgevraagd.moment,
        )
    return list(shown.values())


def alle_gevonden(
    identificaties: tuple[PartijIdentificatieRequest, ...], partijen: list[dict[str, Any]]
) -> bool:
    """Whether every identification asked (each once) is answered: else the contract's 206."""
    answered = {
        (i["identificatieType"], i["identificatieNummer"])
        for p in partijen
        for i in p["identificaties"]
    }
    return {i.sleutel for i in identificaties} <= answered


def partij(
    partij_key: str,
    profiel: Profiel,
    identificatie: PartijIdentificatieRequest,
    scope: Scope,
    doel: Doel,
    now: datetime,
) -> dict[str, Any]:
    """MOZa's ``PartijResponse`` of one partij found, for this organisation (and dienst).

    ``partijId`` is the partij's UUID for this organisation (another organisation gets another
    one for the same person); ``identificaties`` only the identification it was asked by, so
    that a bulk answer can be matched to the request - nothing the caller did not send.
    """
    oin = scope.organisatie.oin
    gegeven = verstrekking(profiel, oin, scope.dienst.code if scope.dienst else None, now)
    partij_id = partij_uuid(oin, partij_key)
    scopes = [scope.response()]
    return {
        "partijId": partij_id,
        "identificaties": [
            {
                "identificatieType": identificatie.identificatie_type.value,
                "identificatieNummer": identificatie.identificatie_nummer,
            }
        ],
        "voorkeuren": [
            {
                # Stable per organisation and partij, as the partij's own id is.
                "id": str(uuid.uuid5(uuid.UUID(partij_id), f"voorkeur:{soort}")),
                "voorkeurType": soort,
                "waarde": waarde,
                "scopes": scopes,
            }
            for soort, waarde in voorkeuren(gegeven.voorkeuren, doel)
        ],
        "contactgegevens": [
            contactgegeven(c, oin, scopes)
            for c in gegeven.per_kanaal
            if _VELD[c.soort_digitaal_adres] in doel.velden
        ],
    }


def contactgegeven(c: Contactgegeven, oin: str, scopes: list[dict[str, str]]) -> dict[str, Any]:
    """MOZa's ``ContactgegevenResponse``: only a releasable address ever gets here (verified,
    not stale, deliverable), so ``isGeverifieerd`` is always true; it is the one of its kind for
    this scope, so ``isDefault`` too. No ``createdAt``, ``lastUpdated`` or ``teVerwijderenOp``:
    this service keeps no such moments (``teVerwijderenOp`` is MOZa's retention; the registry)."""
    return {
        "id": adres_uuid(oin, c.id),
        "type": _CONTACT_TYPE[c.soort_digitaal_adres],
        "waarde": c.adres,
        "isGeverifieerd": True,
        "isDefault": True,
        "scopes": scopes,
    }


def voorkeuren(voorkeuren: Voorkeurset, doel: Doel) -> list[tuple[str, str]]:
    """MOZa's ``VoorkeurType`` and value of each preference chosen at the level that applies,
    only where the purpose's fields allow it - never more than ``/opvragingen`` would give:

    - ``WebsiteTaal`` (``taal``): the language, ISO 639-1;
    - ``WebsiteThema``, ``Aanhef`` (``weergave``): ``licht``/``donker``/``hoog-contrast`` and
      ``formeel``/``informeel``/``neutraal``, the values MOZa uses itself;
    - ``OntvangViaBerichtenbox`` (``kanalen``): ``true``/``false``, the Berichtenbox channel;
    - ``MagGebeldWorden``: never - no preference of this service says whether a person may be
      phoned (an SMS is no call), and a guess would answer a question the person was not asked.

    A preference nobody chose is left out, not given as a default.
    """
    velden = doel.velden
    found: list[tuple[str, str | None]] = []
    if Veld.TAAL in velden:
        found.append(("WebsiteTaal", voorkeuren.taal))
    if Veld.WEERGAVE in velden:
        found.append(("WebsiteThema", voorkeuren.weergave.thema))
        found.append(("Aanhef", voorkeuren.weergave.aanhef))
    if Veld.KANALEN in velden and voorkeuren.kanalen.berichtenbox is not None:
        found.append(("OntvangViaBerichtenbox", str(voorkeuren.kanalen.berichtenbox).lower()))
    return [(soort, waarde) for soort, waarde in found if waarde is not None]
