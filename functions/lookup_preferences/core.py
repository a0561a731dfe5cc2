"""Answering an organisation: per partij, only what the purpose allows, only what may be released.

No I/O, no clock: the use case (``shared.opvragen``) passes what it found and the time. The rules,
in order:

1. no profile, the partij does not share with this organisation, or its source register no
   longer keeps it (deceased, emigrated, a company gone from the Handelsregister), or the purpose
   does not cover its kind of partij (``Doel.soorten``; the use case leaves such profiles out):
   ``beschikbaar: false`` and nothing else - refusal and absence look the same;
2. the preferences that apply to this organisation (and service), and per kind the address they
   choose if it may be released (verified, not stale): :func:`shared.models.verstrekking.verstrekking`,
   the rule every surface shares;
3. of all that, only the fields the purpose allows - or, in reachability mode, per channel only
   yes or no. The registered address is never among them: without a chosen postal address the
   organisation is told which register has it (``postadresBron``), never what it is - or
   ``geen`` for a partij no register keeps.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict, Field, StrictBool, model_validator

from shared.models.base import ApiModel
from shared.models.bronnen import Bron
from shared.models.partij import MAXIMUM_BETROKKENEN, SoortIdentificator
from shared.models.profiel import Profiel, SoortDigitaalAdres
from shared.models.register import Doel, Veld
from shared.models.values import Bsn, EidasIdentificator, KvkNummer
from shared.models.verstrekking import Verstrekking, verstrekking
from shared.models.voorkeuren import CODE_PATTERN, Kanaal
from shared.opvragen import Gevonden, Opgevraagd, Vraag


class Betrokkene(ApiModel):
    """One partij asked about: a burger by BSN, a company by KVK-nummer, or a person known only
    by an eIDAS identifier."""

    # Exactly one of the three, not null: as the model validator below decides.
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": ["bsn"], "properties": {"bsn": {"type": "string"}}},
                {"required": ["kvkNummer"], "properties": {"kvkNummer": {"type": "string"}}},
                {"required": ["eidas"], "properties": {"eidas": {"type": "string"}}},
            ]
        }
    )

    bsn: Bsn | None = None
    kvk_nummer: KvkNummer | None = None
    eidas: EidasIdentificator | None = None

    @property
    def identificator(self) -> tuple[SoortIdentificator, str]:
        """What identifies the partij asked about: its kind and its (normalised) value."""
        if self.bsn is not None:
            return SoortIdentificator.BSN, self.bsn
        if self.eidas is not None:
            return SoortIdentificator.EIDAS, self.eidas
        return SoortIdentificator.KVK_NUMMER, str(self.kvk_nummer)

    @model_validator(mode="after")
    def _exactly_one(self) -> Betrokkene:
        given = [self.bsn, self.kvk_nummer, self.eidas]
        if sum(value is not None for value in given) != 1:
            raise ValueError("geef precies een van bsn, kvkNummer of eidas")
        return self


class Opvraging(ApiModel):
    """Body of ``POST /opvragingen``: identifiers only here, never in a URL."""

    doel: str = Field(pattern=CODE_PATTERN)
    dienst: str | None = Field(default=None, pattern=CODE_PATTERN)
    alleen_bereikbaarheid: StrictBool = Field(
        default=False, description="Per kanaal alleen ja of nee, zonder adressen."
    )
    betrokkenen: tuple[Betrokkene, ...] = Field(min_length=1, max_length=MAXIMUM_BETROKKENEN)

    @property
    def vraag(self) -> Vraag:
        return Vraag(self.doel, self.dienst, tuple(b.identificator for b in self.betrokkenen))


NIET_BESCHIKBAAR: dict[str, Any] = {"beschikbaar": False}


def answers(
    opgevraagd: Opgevraagd, dienst: str | None, alleen_bereikbaarheid: bool
) -> list[dict[str, Any]]:
    """One answer per betrokkene, in the order asked."""
    return [
        answer(
            g,
            opgevraagd.organisatie.oin,
            opgevraagd.doel,
            dienst,
            alleen_bereikbaarheid,
            opgevraagd.moment,
        )
        for g in opgevraagd.gevonden
    ]


def answer(
    gevonden: Gevonden,
    oin: str,
    doel: Doel,
    dienst: str | None,
    alleen_bereikbaarheid: bool,
    now: datetime,
) -> dict[str, Any]:
    profiel = gevonden.profiel
    if profiel is None or not profiel.delen.met(oin):
        return dict(NIET_BESCHIKBAAR)
    gegeven = verstrekking(profiel, oin, dienst, now)
    if alleen_bereikbaarheid:
        return {"beschikbaar": True, "bereikbaar": _reachable(gegeven)}
    return {"beschikbaar": True, "gegevens": _fields(doel, profiel, gevonden.bron, gegeven)}


def _reachable(gegeven: Verstrekking) -> dict[str, bool]:
    """Per channel: may and can this organisation reach the partij there? A channel refused at
    the level that applies is no; an address channel needs a releasable address; Berichtenbox
    and portal need an explicit yes (the service cannot know of a Berichtenbox otherwise)."""
    kanalen = gegeven.voorkeuren.kanalen
    return {
        Kanaal.EMAIL: kanalen.email is not False
        and gegeven.adres(SoortDigitaalAdres.EMAIL) is not None,
        Kanaal.SMS: kanalen.sms is not False
        and gegeven.adres(SoortDigitaalAdres.TELEFOONNUMMER) is not None,
        Kanaal.BERICHTENBOX: kanalen.berichtenbox is True,
        Kanaal.PORTAAL: kanalen.portaal is True,
        Kanaal.POST: kanalen.post is not False,
    }


def _fields(
    doel: Doel,
    profiel: Profiel,
    bron: Bron | None,
    gegeven: Verstrekking,
) -> dict[str, Any]:
    voorkeuren = gegeven.voorkeuren

    def adres(soort: SoortDigitaalAdres) -> str | None:
        found = gegeven.adres(soort)
        return found.adres if found else None

    def postadres() -> dict[str, Any]:
        if profiel.postadres is None:
            return {"postadres": None, "postadresBron": bron.value if bron else "geen"}
        shown = profiel.postadres.model_dump(mode="json", by_alias=True)
        return {"postadres": shown, "postadresBron": "profiel"}

    values = {
        Veld.EMAIL: lambda: adres(SoortDigitaalAdres.EMAIL),
        Veld.TELEFOONNUMMER: lambda: adres(SoortDigitaalAdres.TELEFOONNUMMER),
        Veld.KANALEN: lambda: voorkeuren.kanalen.model_dump(mode="json", by_alias=True),
        Veld.CORRESPONDENTIE: lambda: voorkeuren.correspondentie,
        Veld.TAAL: lambda: voorkeuren.taal,
        Veld.WEERGAVE: lambda: voorkeuren.weergave.model_dump(mode="json", by_alias=True),
        Veld.CONTACTNAAM: lambda: profiel.contactnaam,
    }
    gegevens: dict[str, Any] = {}
    for veld in doel.velden:
        if veld is Veld.POSTADRES:
            gegevens.update(postadres())
        else:
            gegevens[veld.value] = values[veld]()
    return gegevens
