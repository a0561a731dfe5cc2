"""The profile of one partij (a burger or an ondernemer): the domain model, free of I/O.

Names follow the VNG Klantinteracties standard (Open Klant: ``soortDigitaalAdres``, ``adres``,
``isStandaardAdres``, ``verificatieDatum``) and the BRP for the Dutch postal address.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from dateutil import tz
from dateutil.relativedelta import relativedelta
from pydantic import (
    Field,
    StrictBool,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from shared.errors import niet_gevonden
from shared.models.base import ApiModel, api_schema
from shared.models.values import (
    NOT_BLANK_PATTERN,
    Landcode,
    Oin,
    Postcode,
    Tekst,
    normalise_email,
    normalise_telefoonnummer,
)
from shared.models.voorkeuren import Voorkeuren, Voorkeurset


class SoortDigitaalAdres(StrEnum):
    EMAIL = "email"
    TELEFOONNUMMER = "telefoonnummer"


# How many contact details of each kind one profile may hold: enough for real life, small enough
# to keep the stored profile well inside one read unit.
MAXIMUM_PER_SOORT = {SoortDigitaalAdres.EMAIL: 5, SoortDigitaalAdres.TELEFOONNUMMER: 3}

_NORMALISERS = {
    SoortDigitaalAdres.EMAIL: normalise_email,
    SoortDigitaalAdres.TELEFOONNUMMER: normalise_telefoonnummer,
}

# The longest e-mail address SMTP allows; phone numbers are far shorter.
MAXIMUM_ADRES_LENGTH = 254
# What the document says of an address sent: its rules are libraries', not a pattern's.
_ADRES_DESCRIPTION = (
    "Naar `soortDigitaalAdres`: een e-mailadres (gecontroleerd en genormaliseerd met "
    "email-validator, zonder DNS) of een geldig telefoonnummer (python-phonenumbers; een "
    "Nederlands nummer mag zonder landcode), opgeslagen en getoond als E.164 (`+31612345678`). "
    "Een adres dat geen van beide is: 400."
)


def normalise_adres(soort: SoortDigitaalAdres, value: str) -> str:
    """The stored form of a digital address: a normalised e-mail address or an E.164 number."""
    return _NORMALISERS[soort](value)


# A verified detail nobody re-confirmed for this long may be out of date (the rule of Altinn and
# the Norwegian KRR): the owner is asked to confirm it again, organisations no longer get it.
STALE_AFTER = relativedelta(months=18)

# dateutil's own copy of the tz database stands in where the system has none (a Lambda image).
NEDERLAND = tz.gettz("Europe/Amsterdam")


def kalenderdatum(moment: datetime) -> date:
    """The date in the Netherlands at a moment: the day a burger would name."""
    return moment.astimezone(NEDERLAND).date()


class VerificatieStatus(StrEnum):
    NIET_GEVERIFIEERD = "niet-geverifieerd"
    GEVERIFIEERD = "geverifieerd"
    VEROUDERD = "verouderd"
    # Messages to the address bounce for good: whatever its verification says, nobody is
    # reached there, so it goes before the others (a new verification ends it).
    ONBESTELBAAR = "onbestelbaar"


class Contactgegeven(ApiModel):
    id: UUID
    soort_digitaal_adres: SoortDigitaalAdres
    adres: str
    omschrijving: Tekst(40) | None = None
    # Strict, as every boolean and number the API takes: 1 or "ja" is a mistake to point out.
    is_standaard_adres: StrictBool = False
    # The day (as Open Klant: a date) the owner last proved to receive at this address - a code
    # sent to it, entered back. Cleared whenever the address changes.
    verificatie_datum: date | None = Field(
        default=None,
        description="De dag (in Nederland) waarop de eigenaar voor het laatst een code naar dit "
        "adres terugvoerde; een nieuw adres wist hem.",
    )
    # The day (in the Netherlands) a permanent bounce was reported - by an organisation that was
    # given the address, or by NotifyNL for a message of the service's own. Absent in every item
    # stored before it existed (left out when None, as every default): they read as deliverable.
    onbestelbaar_sinds: date | None = Field(
        default=None,
        description="De dag (in Nederland) waarop gemeld werd dat berichten naar dit adres "
        "blijvend niet aankomen; zolang hij er staat krijgt geen organisatie het adres. Een "
        "nieuwe verificatie met een code of een nieuw adres wist hem.",
    )

    def verificatie_status(self, now: datetime) -> VerificatieStatus:
        if self.onbestelbaar_sinds is not None:
            return VerificatieStatus.ONBESTELBAAR
        if self.verificatie_datum is None:
            return VerificatieStatus.NIET_GEVERIFIEERD
        if kalenderdatum(now) >= self.verificatie_datum + STALE_AFTER:
            return VerificatieStatus.VEROUDERD
        return VerificatieStatus.GEVERIFIEERD

    def mag_worden_verstrekt(self, now: datetime) -> bool:
        """Whether this detail may ever be released to an organisation.

        Only verified, non-stale, deliverable details: an organisation that writes to an address
        nobody proved to own may reach the wrong person, and one that bounces reaches nobody.
        Every organisation-facing reader applies this.
        """
        return self.verificatie_status(now) is VerificatieStatus.GEVERIFIEERD


class AdresWijziging(StrEnum):
    """What happened to a verified address, as its old owner is told."""

    VERVANGEN = "vervangen"
    VERWIJDERD = "verwijderd"


class NederlandsPostadres(ApiModel):
    model_config = api_schema(
        description="Een adres in Nederland zoals het in de BAG staat; de postcode wordt `1234 AB`."
    )

    soort: Literal["nederlands"]
    straat: Tekst(80)
    huisnummer: StrictInt = Field(ge=1, le=99999)
    huisletter: str | None = Field(default=None, pattern=r"^[A-Za-z]$")
    huisnummertoevoeging: str | None = Field(default=None, pattern=r"^[A-Za-z0-9]{1,4}$")
    postcode: Postcode
    woonplaats: Tekst(80)
    # The BAG's reference of the address and the day it was found there: an organisation can
    # check it again, and an address entered before the BAG was consulted has neither.
    nummeraanduiding_identificatie: str | None = Field(
        default=None,
        pattern=r"^[0-9]{16}$",
        description="De identificatie van de nummeraanduiding in de BAG.",
        json_schema_extra={"readOnly": True},
    )
    gecontroleerd_op: date | None = Field(
        default=None,
        description="De dag waarop het adres in de BAG is gevonden.",
        json_schema_extra={"readOnly": True},
    )


class NederlandsPostadresInvoer(ApiModel):
    """A Dutch address as a client sends it: the BAG completes and checks it."""

    model_config = api_schema(
        description="Een adres in Nederland: postcode en huisnummer (met huisletter en "
        "toevoeging als het adres die heeft). Het adres moet in de BAG staan; straat en "
        "woonplaats komen uit de BAG (meegestuurd mag, maar de BAG gaat voor)."
    )

    soort: Literal["nederlands"]
    straat: Tekst(80) | None = None
    huisnummer: StrictInt = Field(ge=1, le=99999)
    huisletter: str | None = Field(default=None, pattern=r"^[A-Za-z]$")
    huisnummertoevoeging: str | None = Field(default=None, pattern=r"^[A-Za-z0-9]{1,4}$")
    postcode: Postcode
    woonplaats: Tekst(80) | None = None


class Postbusadres(ApiModel):
    model_config = api_schema(
        description="Een postbus in Nederland; niet in de BAG, dus niet daar gecontroleerd."
    )

    soort: Literal["postbus"]
    postbusnummer: StrictInt = Field(ge=1, le=999999)
    postcode: Postcode
    woonplaats: Tekst(80)


class BuitenlandsPostadres(ApiModel):
    model_config = api_schema(description="Een adres buiten Nederland.")

    soort: Literal["buitenlands"]
    adresregel1: Tekst(80)
    adresregel2: Tekst(80) | None = None
    adresregel3: Tekst(80) | None = None
    land: Landcode


Postadres = Annotated[
    NederlandsPostadres | BuitenlandsPostadres | Postbusadres, Field(discriminator="soort")
]
# What a client sends: a Dutch address is completed from the BAG before it becomes a Postadres.
PostadresInvoer = Annotated[
    NederlandsPostadresInvoer | BuitenlandsPostadres | Postbusadres, Field(discriminator="soort")
]


class Delen(ApiModel):
    """With which organisations the partij shares its contact details at all.

    Whatever a purpose allows, a refused organisation gets "not available" - the same answer as
    for someone without a profile, so it cannot tell the two apart.
    """

    model_config = api_schema(
        description="Met welke organisaties (OIN's) de contactgegevens gedeeld worden."
    )

    geweigerd: tuple[Oin, ...] = Field(default=(), max_length=100)
    alleen_met: tuple[Oin, ...] | None = Field(
        default=None,
        max_length=100,
        description="Alleen met deze organisaties; weggelaten of null: met iedereen.",
    )

    def met(self, oin: str) -> bool:
        return oin not in self.geweigerd and (self.alleen_met is None or oin in self.alleen_met)


class Profiel(ApiModel):
    contactgegevens: tuple[Contactgegeven, ...] = ()
    # The correspondence address the partij chose; the registered address is read at the source
    # (BRP, KVK) and never stored here.
    postadres: Postadres | None = None
    contactnaam: Tekst(200) | None = Field(
        default=None,
        description="De naam waarmee organisaties de partij mogen aanschrijven, als hun doel dat "
        "toestaat; op verzoek overgenomen uit de BRP of het Handelsregister.",
    )
    voorkeuren: Voorkeuren = Field(default_factory=Voorkeuren)
    delen: Delen = Field(default_factory=Delen)

    @model_validator(mode="after")
    def _consistent(self) -> Profiel:
        # The operations in functions.update_profile.core keep these true; this guards the
        # stored form against anything else.
        ids = [c.id for c in self.contactgegevens]
        if len(ids) != len(set(ids)):
            raise ValueError("contactgegevens hebben dubbele id's")
        for soort in SoortDigitaalAdres:
            of_soort = [c for c in self.contactgegevens if c.soort_digitaal_adres == soort]
            if len(of_soort) > MAXIMUM_PER_SOORT[soort]:
                raise ValueError(f"te veel contactgegevens van soort {soort}")
            if sum(c.is_standaard_adres for c in of_soort) > 1:
                raise ValueError(f"meer dan een standaardadres van soort {soort}")
            if len({c.adres for c in of_soort}) != len(of_soort):
                raise ValueError(f"een adres van soort {soort} staat er dubbel in")
        if unknown_voorkeursadressen(self):
            raise ValueError("een voorkeursadres verwijst naar een contactgegeven dat er niet is")
        return self

    def contactgegeven(self, contactgegeven_id: UUID) -> Contactgegeven | None:
        return next((c for c in self.contactgegevens if c.id == contactgegeven_id), None)

    def eigen_contactgegeven(self, contactgegeven_id: UUID) -> Contactgegeven:
        """The contact detail with this id; not found - whoever else's it may be - if it is not
        in this profile."""
        found = self.contactgegeven(contactgegeven_id)
        if found is None:
            raise niet_gevonden("Dit contactgegeven staat niet in uw profiel.")
        return found

    def voorkeursadres(
        self, soort: SoortDigitaalAdres, voorkeuren: Voorkeurset
    ) -> Contactgegeven | None:
        """The contact detail of this kind to use under these (resolved) preferences: the one
        chosen, else the standard one of its kind."""
        chosen = getattr(voorkeuren.voorkeursadressen, soort.value)
        found = self.contactgegeven(chosen) if chosen else None
        return found or next(
            (
                c
                for c in self.contactgegevens
                if c.soort_digitaal_adres == soort and c.is_standaard_adres
            ),
            None,
        )


class ContactgegevenToevoegen(ApiModel):
    """Body of ``POST /profiel/contactgegevens``."""

    model_config = api_schema(description="Een nieuw e-mailadres of telefoonnummer.")

    soort_digitaal_adres: SoortDigitaalAdres
    adres: str = Field(
        min_length=1,
        max_length=MAXIMUM_ADRES_LENGTH,
        description=_ADRES_DESCRIPTION,
        json_schema_extra={"pattern": NOT_BLANK_PATTERN},
    )
    omschrijving: Tekst(40) | None = None
    is_standaard_adres: StrictBool | None = Field(
        default=None,
        description="Standaard voor zijn soort; weggelaten: alleen als er nog geen standaard is.",
    )

    @field_validator("adres")
    @classmethod
    def _normalise_adres(cls, value: str, info: ValidationInfo) -> str:
        soort = info.data.get("soort_digitaal_adres")
        # Without a valid kind the kind is reported; the address cannot be judged.
        return normalise_adres(soort, value) if soort else value


def _niet_null(**more: Any) -> Callable[[dict[str, Any]], None]:
    """A field's JSON Schema without its null: the field may be left out, not sent as null."""

    def schema(field: dict[str, Any]) -> None:
        field.update(field.pop("anyOf")[0], **more)

    return schema


class ContactnaamZetten(ApiModel):
    """Body of ``PUT /profiel/contactnaam``: a name of one's own, or the register's."""

    model_config = api_schema(
        description="Een eigen naam (`contactnaam`), of `uitRegister: true` om de naam uit de "
        "BRP (aanschrijfwijze) of het Handelsregister (naam) over te nemen; niet allebei.",
        oneOf=[
            {"required": ["contactnaam"]},
            {"required": ["uitRegister"], "properties": {"uitRegister": {"enum": [True]}}},
        ],
    )

    contactnaam: Tekst(200) | None = Field(default=None, json_schema_extra=_niet_null())
    uit_register: StrictBool = False

    @model_validator(mode="after")
    def _een_van_beide(self) -> ContactnaamZetten:
        if (self.contactnaam is None) == (not self.uit_register):
            raise ValueError("geef een contactnaam of uitRegister: true")
        return self


class ContactgegevenWijzigen(ApiModel):
    """Body of ``PATCH /profiel/contactgegevens/{id}``: only the fields sent change.

    The kind of address cannot change; ``omschrijving: null`` removes the description.
    """

    model_config = api_schema(
        description="Alleen de meegestuurde velden veranderen; de soort niet."
    )

    # A changed address and the standard flag can be left out, but not cleared: the change
    # refuses null (``change_contactgegeven``), and so does the document.
    adres: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAXIMUM_ADRES_LENGTH,
        description=_ADRES_DESCRIPTION + " Niet `null`.",
        json_schema_extra=_niet_null(pattern=NOT_BLANK_PATTERN),
    )
    omschrijving: Tekst(40) | None = None
    is_standaard_adres: StrictBool | None = Field(default=None, json_schema_extra=_niet_null())


def unknown_voorkeursadressen(profiel: Profiel) -> list[str]:
    """Where, as ``<level>.voorkeursadressen.<kind>``, a preferred address names no contact
    detail of that kind in the profile."""
    ids = {
        soort: {c.id for c in profiel.contactgegevens if c.soort_digitaal_adres == soort}
        for soort in SoortDigitaalAdres
    }
    wrong = []
    for where, level in profiel.voorkeuren.levels():
        for soort in SoortDigitaalAdres:
            chosen = getattr(level.voorkeursadressen, soort.value)
            if chosen is not None and chosen not in ids[soort]:
                wrong.append(f"{where}voorkeursadressen.{soort.value}")
    return wrong
