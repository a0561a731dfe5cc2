"""The register of organisations, their services and their purposes: data the platform team
manages.

It says which organisations a partij can set preferences for, lets a portal show per organisation
which address and channel it will use, and is the **doelbinding register**: for which purposes an
organisation may look up contact preferences, on which legal basis, logged under which processing
activity, which fields each purpose may receive - nothing else ever leaves - and about which kinds
of partij. The file format is this model in JSON: a list of organisations, see
``infra/local/register.json``.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import AnyUrl, Field, model_validator

from shared.models.base import ApiModel, require_unique
from shared.models.partij import SoortIdentificator
from shared.models.root import DeferredRootModel
from shared.models.values import Oin, Tekst
from shared.models.voorkeuren import CODE_PATTERN, Dienstcode


class Dienst(ApiModel):
    code: str = Dienstcode
    naam: Tekst(100)


class Veld(StrEnum):
    """What a purpose may let an organisation receive; addresses only when verified and fresh."""

    EMAIL = "email"  # the preferred e-mail address for this organisation
    TELEFOONNUMMER = "telefoonnummer"  # the preferred phone number
    KANALEN = "kanalen"  # per channel: wanted or not
    CORRESPONDENTIE = "correspondentie"  # digital or paper
    TAAL = "taal"
    WEERGAVE = "weergave"
    POSTADRES = "postadres"  # the chosen postal address, else where the registered one is
    CONTACTNAAM = "contactnaam"  # the name the partij chose to be addressed by


class Doel(ApiModel):
    """A purpose an organisation may look up contact preferences for."""

    code: str = Field(pattern=CODE_PATTERN)
    omschrijving: Tekst(200)
    grondslag: Tekst(300) = Field(description="De wettelijke grondslag")
    verwerkingsactiviteit: AnyUrl = Field(
        description="De verwerkingsactiviteit in het register, voor het Logboek Dataverwerkingen"
    )
    velden: tuple[Veld, ...] = Field(min_length=1)
    # About whom: burgers by BSN and companies by KVK-nummer unless the register says otherwise,
    # so that every register written before keeps its meaning. A person known only by an eIDAS
    # identifier only for a purpose that names ``eidas``: its legal basis must cover people
    # without a BSN. A partij of a kind not named is answered as absent (``beschikbaar: false``),
    # as one without a profile: the organisation learns nothing about whether it has one.
    soorten: tuple[SoortIdentificator, ...] = Field(
        default=(SoortIdentificator.BSN, SoortIdentificator.KVK_NUMMER), min_length=1
    )

    @model_validator(mode="after")
    def _unique_velden(self) -> Doel:
        require_unique(self.velden, "veld")
        require_unique(self.soorten, "soort")
        if SoortIdentificator.VESTIGINGSNUMMER in self.soorten:
            raise ValueError("een vestiging wordt opgevraagd met het KVK-nummer (kvk_nummer)")
        return self


class Sleutel(ApiModel):
    """An API key of an existing client that sends ``Authorization: Token <key>`` (Open Klant's
    clients: NotifyNL's OMC, Open Forms; MOZa's components). Only its SHA-256 is kept - the key
    itself is shown once, when ``profiel register key`` makes it - and it is bound to one of the
    organisation's purposes: such clients name no purpose in their calls."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    doel: str = Field(pattern=CODE_PATTERN)
    omschrijving: Tekst(100) | None = None


class Organisatie(ApiModel):
    oin: Oin
    naam: Tekst(100)
    diensten: tuple[Dienst, ...] = Field(default=(), max_length=50)
    doelen: tuple[Doel, ...] = Field(default=(), max_length=50)
    sleutels: tuple[Sleutel, ...] = Field(default=(), max_length=20)

    @model_validator(mode="after")
    def _unique_diensten_and_doelen(self) -> Organisatie:
        require_unique((d.code for d in self.diensten), "dienstcode")
        require_unique((d.code for d in self.doelen), "doelcode")
        unknown = [s.doel for s in self.sleutels if self.doel(s.doel) is None]
        if unknown:
            raise ValueError(
                f"een sleutel voor een doel dat de organisatie niet heeft: {unknown[0]}"
            )
        return self

    def dienst(self, code: str) -> Dienst | None:
        return next((d for d in self.diensten if d.code == code), None)

    def doel(self, code: str) -> Doel | None:
        return next((d for d in self.doelen if d.code == code), None)


class Register(DeferredRootModel[tuple[Organisatie, ...]]):
    @model_validator(mode="after")
    def _unique_oins(self) -> Register:
        require_unique((o.oin for o in self.root), "OIN")
        require_unique((s.sha256 for o in self.root for s in o.sleutels), "sleutel")
        return self
