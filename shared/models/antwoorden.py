"""The bodies the API answers with, besides the domain models it shows as they are.

Each model dumps (``model_dump(mode="json", by_alias=True)``) to exactly the JSON the service
answers, and is what the OpenAPI document says of that answer (``python -m functions.openapi``
generates it from these and the other models; ``api_schema`` names and describes each).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    PrivateAttr,
    WithJsonSchema,
    WrapSerializer,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from shared.identity.subject import ActorRole
from shared.models.audit import Actie
from shared.models.base import ApiModel, api_schema
from shared.models.bronnen import BagAdres, Registratie, RegistratieAdres
from shared.models.partij import MAXIMUM_BETROKKENEN
from shared.models.profiel import Contactgegeven, Postadres, Profiel, VerificatieStatus
from shared.models.voorkeuren import Correspondentie, Kanalen, Voorkeurset, Weergave
from shared.problems import PROBLEM_TYPE_BASE


def _opsomming(enum: type[StrEnum]) -> WithJsonSchema:
    """An enum's values written out in place, not as a component of its own."""
    return WithJsonSchema({"type": "string", "enum": [member.value for member in enum]})


class Antwoord(ApiModel):
    """A body, or a part of one, some of whose members can be absent: a field with a default
    that was not given is left out of the answer - absent, not null."""

    # No return annotation: pydantic would take it for the schema of the answer.
    @model_serializer(mode="wrap")
    def _gegeven(self, handler):
        return _alleen_gegeven(self, handler(self))


def _alleen_gegeven(model: ApiModel, body: dict[str, Any]) -> dict[str, Any]:
    fields = type(model).model_fields
    unset = fields.keys() - model.model_fields_set
    absent = {key for name in unset for key in (name, fields[name].alias)}
    return {key: value for key, value in body.items() if key not in absent}


# --- the profile, as its owner sees it -----------------------------------------------------------


class GetoondContactgegeven(Contactgegeven):
    """A contact detail as its owner sees it: as stored, and whether it counts as verified now."""

    model_config = api_schema("Contactgegeven", "Een e-mailadres of telefoonnummer in het profiel.")

    # Not named verificatie_status: that is the method it is computed by.
    status: Annotated[VerificatieStatus, _opsomming(VerificatieStatus)] = Field(
        alias="verificatieStatus",
        description="`verouderd`: 18 maanden of langer geleden geverifieerd; bevestig opnieuw "
        "met een nieuwe code. `onbestelbaar`: berichten naar dit adres kwamen blijvend niet aan "
        "(gemeld door een organisatie of door NotifyNL, zie `onbestelbaarSinds`); organisaties "
        "krijgen het niet meer. Controleer het adres, of bevestig het opnieuw met een nieuwe code.",
        json_schema_extra={"readOnly": True},
    )

    @classmethod
    def van(cls, contactgegeven: Contactgegeven, now: datetime) -> GetoondContactgegeven:
        return cls(**dict(contactgegeven), status=contactgegeven.verificatie_status(now))


class Registratieadres(ApiModel):
    model_config = api_schema(
        description="Het adres zoals de basisregistratie het heeft, in de regels van een envelop."
    )

    adresregel1: str | None
    adresregel2: str | None
    adresregel3: str | None
    land: str | None = Field(description="Alleen bij een adres buiten Nederland.")

    @classmethod
    def van(cls, adres: RegistratieAdres | None) -> Registratieadres | None:
        if adres is None:
            return None
        return cls(
            adresregel1=adres.adresregel1,
            adresregel2=adres.adresregel2,
            adresregel3=adres.adresregel3,
            land=adres.land,
        )


# BRP test persona 999993653 as the BRP addresses her: the example of the registration, alone and
# in the profile.
_REGISTRATIE_VOORBEELD = {
    "bron": "brp",
    "beschikbaar": True,
    "ingeschreven": True,
    "bijgehouden": True,
    "adres": {
        "adresregel1": "Boterdiep 31",
        "adresregel2": "3077 AW  ROTTERDAM",
        "adresregel3": None,
        "land": None,
    },
    "aanhef": "Geachte mevrouw Moulin",
    "aanschrijfwijze": "S. Moulin",
    "gebruikInLopendeTekst": "mevrouw Moulin",
}


class GetoondeVestiging(ApiModel):
    model_config = api_schema("Vestiging", "Een vestiging uit het Handelsregister.")

    vestigingsnummer: str
    naam: str | None = Field(description="De eerste handelsnaam van de vestiging.")
    adres: str | None = Field(
        description="Het volledige adres, zoals het Handelsregister het geeft."
    )
    hoofdvestiging: bool


class GetoondVestigingsprofiel(ApiModel):
    model_config = api_schema(
        "Vestigingsprofiel", "De vestiging van de vertegenwoordiger, uit het Handelsregister."
    )

    vestigingsnummer: str
    naam: str | None = Field(description="De eerste handelsnaam van de vestiging.")
    handelsnamen: tuple[str, ...]
    adres: Registratieadres | None = Field(
        description="Het correspondentieadres van de vestiging, anders het bezoekadres."
    )


class GetoondeRegistratie(Antwoord):
    """What the source register says, read now and never stored; only for the partij itself."""

    model_config = api_schema(
        "Registratie",
        "Wat de basisregistratie zegt, nu gelezen en nergens opgeslagen: de BRP voor een "
        "burger, het Handelsregister (KVK) voor een onderneming. Alleen voor de partij zelf: de "
        "Profiel Service geeft deze gegevens nooit aan organisaties. `beschikbaar: false`: de "
        "registratie kon nu niet worden gelezen; de rest van het profiel staat er wel. "
        "`bron: geen`: de partij staat in geen basisregistratie (ingelogd met eIDAS, zonder "
        "BSN); dan staan hier alleen `beschikbaar` en `bijgehouden`, beide `true`.",
        example=_REGISTRATIE_VOORBEELD,
    )

    bron: Literal["brp", "kvk", "geen"]
    beschikbaar: bool
    ingeschreven: bool | SkipJsonSchema[None] = Field(
        default=None,
        description="Of de registratie de partij kent (alleen als beschikbaar, niet bij "
        "`bron: geen`).",
    )
    bijgehouden: bool = Field(
        description="`false`: overleden, geëmigreerd of niet meer in het Handelsregister. Dan "
        "kan het profiel alleen worden gelezen en krijgen organisaties niets meer."
    )
    adres: Registratieadres | SkipJsonSchema[None] = Field(
        default=None,
        description="Het adres in de registratie: bij de BRP de adressering, bij een "
        "onderneming het correspondentieadres (anders het bezoekadres).",
    )
    aanhef: str | SkipJsonSchema[None] = Field(
        default=None, description="BRP: de aanhef van een brief, de standaard voor berichten."
    )
    aanschrijfwijze: str | SkipJsonSchema[None] = Field(
        default=None, description="BRP: de naam op een envelop; voorstel voor de contactnaam."
    )
    gebruik_in_lopende_tekst: str | SkipJsonSchema[None] = Field(
        default=None, description="BRP: de naam in een zin."
    )
    naam: str | SkipJsonSchema[None] = Field(default=None, description="KVK: de naam.")
    handelsnamen: tuple[str, ...] | SkipJsonSchema[None] = Field(
        default=None, description="KVK: de handelsnamen, in volgorde."
    )
    vestigingen: tuple[GetoondeVestiging, ...] | SkipJsonSchema[None] = Field(
        default=None, description="KVK: de vestigingen."
    )
    vestiging: GetoondVestigingsprofiel | SkipJsonSchema[None] = Field(
        default=None,
        description="KVK, voor de vertegenwoordiger van één vestiging: die vestiging "
        "(Vestigingsprofiel).",
    )

    @classmethod
    def van(cls, registratie: Registratie) -> GetoondeRegistratie:
        shown: dict[str, Any] = {
            "bron": registratie.bron.value if registratie.bron else "geen",
            "beschikbaar": registratie.beschikbaar,
            "bijgehouden": registratie.bijgehouden,
        }
        if registratie.beschikbaar and registratie.bron:
            shown["ingeschreven"] = registratie.bekend
        persoon, onderneming = registratie.persoon, registratie.onderneming
        if persoon is not None:
            shown.update(
                adres=Registratieadres.van(persoon.adressering),
                aanhef=persoon.aanhef,
                aanschrijfwijze=persoon.aanschrijfwijze,
                gebruik_in_lopende_tekst=persoon.gebruik_in_lopende_tekst,
            )
        if onderneming is not None:
            shown.update(
                naam=onderneming.naam,
                handelsnamen=onderneming.handelsnamen,
                adres=Registratieadres.van(onderneming.adres),
                vestigingen=tuple(
                    GetoondeVestiging(
                        vestigingsnummer=v.vestigingsnummer,
                        naam=v.naam,
                        adres=v.adres,
                        hoofdvestiging=v.hoofdvestiging,
                    )
                    for v in onderneming.vestigingen
                ),
            )
        vestiging = registratie.vestiging
        if vestiging is not None:
            shown["vestiging"] = GetoondVestigingsprofiel(
                vestigingsnummer=vestiging.vestigingsnummer,
                naam=vestiging.naam,
                handelsnamen=vestiging.handelsnamen,
                adres=Registratieadres.van(vestiging.adres),
            )
        # What the register does not have is left out, not null.
        return cls(**{name: value for name, value in shown.items() if value is not None})


class GetoondProfiel(Profiel):
    """The profile as its owner reads it: each contact detail with its verification status."""

    model_config = api_schema(
        "Profiel",
        "Het profiel van een burger of onderneming.",
        example={
            "contactgegevens": [
                {
                    "id": "2d9f4401-bea2-4f28-ac4a-485727e2d80f",
                    "soortDigitaalAdres": "email",
                    "adres": "jan@example.nl",
                    "omschrijving": None,
                    "isStandaardAdres": True,
                    "verificatieDatum": "2026-11-22",
                    "onbestelbaarSinds": None,
                    "verificatieStatus": "geverifieerd",
                },
                {
                    "id": "a4da9940-aadd-443f-8083-79ce69d79a18",
                    "soortDigitaalAdres": "telefoonnummer",
                    "adres": "+31612345678",
                    "omschrijving": "Mobiel",
                    "isStandaardAdres": True,
                    "verificatieDatum": None,
                    "onbestelbaarSinds": None,
                    "verificatieStatus": "niet-geverifieerd",
                },
            ],
            # A foreign address: the ADR linter takes any key with "post" in it below the paths
            # (here a Dutch address's "postcode") for an operation that must answer 400.
            "postadres": {
                "soort": "buitenlands",
                "adresregel1": "Rue de la Loi 16",
                "adresregel2": "1000 Bruxelles",
                "adresregel3": None,
                "land": "BE",
            },
            "voorkeuren": {"correspondentie": "digitaal"},
            "contactnaam": "S. Moulin",
            "registratie": _REGISTRATIE_VOORBEELD,
        },
    )

    contactgegevens: tuple[GetoondContactgegeven, ...] = ()
    registratie: GetoondeRegistratie = Field(json_schema_extra={"readOnly": True})

    @classmethod
    def van(cls, profiel: Profiel, registratie: Registratie, now: datetime) -> GetoondProfiel:
        shown = tuple(GetoondContactgegeven.van(c, now) for c in profiel.contactgegevens)
        # Not validated again: every part is a validated model already, and the profile's own
        # checks (Profiel._consistent) passed when it was read.
        return cls.model_construct(
            **{**dict(profiel), "contactgegevens": shown},
            registratie=GetoondeRegistratie.van(registratie),
        )


# --- GET /profiel/organisaties: what applies per organisation and service ----------------------


def _zonder_voorkeursadressen(voorkeuren: Voorkeurset, handler):
    # No return annotation: pydantic would take it for the field's schema.
    shown = handler(voorkeuren)
    shown.pop("voorkeursadressen", None)
    return shown


# A level's preferences as they apply: the preferred addresses are written out beside them, as
# the contact details themselves.
ToegepasteVoorkeuren = Annotated[
    Voorkeurset,
    WrapSerializer(_zonder_voorkeursadressen),
    Field(
        description="De voorkeuren die hier gelden (zonder `voorkeursadressen`: die staan als "
        "`email` en `telefoonnummer` uitgeschreven)."
    ),
]
Afwijkend = Annotated[
    bool, Field(description="Of de voorkeuren of adressen hier afwijken van het niveau erboven.")
]
Email = Annotated[
    GetoondContactgegeven | None, Field(description="Het e-mailadres dat hier gebruikt wordt.")
]
Telefoonnummer = Annotated[
    GetoondContactgegeven | None, Field(description="Het telefoonnummer dat hier gebruikt wordt.")
]


class DienstToepassing(ApiModel):
    model_config = api_schema(description="Wat voor één dienst van de organisatie geldt.")

    code: str = Field(description="De code van de dienst.")
    naam: str = Field(description="De naam van de dienst.")
    afwijkend: Afwijkend
    voorkeuren: ToegepasteVoorkeuren
    email: Email
    telefoonnummer: Telefoonnummer


class OrganisatieToepassing(ApiModel):
    model_config = api_schema(description="Wat voor één organisatie uit het register geldt.")

    oin: str = Field(description="Het OIN van de organisatie.")
    naam: str = Field(description="De naam van de organisatie.")
    afwijkend: Afwijkend
    voorkeuren: ToegepasteVoorkeuren
    email: Email
    telefoonnummer: Telefoonnummer
    diensten: tuple[DienstToepassing, ...]


class OrganisatieOverzicht(ApiModel):
    """Body of ``GET /profiel/organisaties``."""

    model_config = api_schema()

    organisaties: tuple[OrganisatieToepassing, ...]


# --- POST /opvragingen: an organisation's lookup -------------------------------------------------


class Gegevens(Antwoord):
    """Exactly the fields a purpose allows, in the order the register lists them."""

    model_config = api_schema(
        description="Precies de velden die het doel toestaat, voor deze organisatie (en dienst); "
        "een adres alleen als het geverifieerd en niet verouderd is, anders `null`."
    )

    email: str | None = None
    telefoonnummer: str | None = None
    kanalen: Kanalen | SkipJsonSchema[None] = None
    correspondentie: Correspondentie | None = None
    taal: str | None = None
    weergave: Weergave | SkipJsonSchema[None] = None
    postadres: Postadres | None = None
    postadres_bron: Literal["profiel", "brp", "kvk", "geen"] | SkipJsonSchema[None] = Field(
        default=None,
        description="Met `postadres`: waar het postadres staat. `profiel`: het gekozen "
        "correspondentieadres hierboven; `brp` of `kvk`: er is er geen gekozen, het "
        "geregistreerde adres staat in die basisregistratie (de Profiel Service geeft het niet "
        "door); `geen`: er is er geen gekozen en de partij staat in geen basisregistratie "
        "(een persoon met alleen een eIDAS-identificatie): er is geen postadres bekend.",
    )
    contactnaam: str | None = None

    # The names as given, in their order: the order of the purpose's velden.
    _volgorde: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _onthoud_volgorde(cls, data: Any, handler):
        gegevens = handler(data)
        if isinstance(data, dict):
            gegevens._volgorde = tuple(data)
        return gegevens

    @model_serializer(mode="wrap")
    def _gegeven(self, handler):
        body = _alleen_gegeven(self, handler(self))
        return {name: body[name] for name in self._volgorde if name in body} | body


class Bereikbaarheid(ApiModel):
    model_config = api_schema(
        description="Per kanaal: mag en kan de organisatie de partij daar bereiken."
    )

    email: bool
    sms: bool
    berichtenbox: bool
    portaal: bool
    post: bool


class Opvragingsresultaat(Antwoord):
    model_config = api_schema(
        description="Niet beschikbaar, of beschikbaar met `gegevens` (of met `bereikbaar` als om "
        "alleen de bereikbaarheid is gevraagd)."
    )

    beschikbaar: bool
    gegevens: Gegevens | SkipJsonSchema[None] = None
    bereikbaar: Bereikbaarheid | SkipJsonSchema[None] = None


class Opvragingsresultaten(ApiModel):
    """Body of the answer to ``POST /opvragingen``."""

    model_config = api_schema()

    resultaten: tuple[Opvragingsresultaat, ...] = Field(
        max_length=MAXIMUM_BETROKKENEN, description="Eén per betrokkene, in de gevraagde volgorde."
    )


# --- GET /profiel/inzage: the lookups in the Logboek Dataverwerkingen ----------------------------


class Verwerkingsattributen(ApiModel):
    """The ``dpl.core`` attributes of an LDV record."""

    model_config = api_schema()

    processing_activity_id: str = Field(
        alias="dpl.core.processing_activity_id",
        description="De verwerkingsactiviteit van het doel.",
    )
    data_subject_id: str = Field(
        alias="dpl.core.data_subject_id", description="Het pseudoniem van de betrokkene."
    )
    data_subject_id_type: str = Field(
        alias="dpl.core.data_subject_id_type", description="Wat gepseudonimiseerd is."
    )


class OpvragendeOrganisatie(ApiModel):
    model_config = api_schema()

    oin: str | None = Field(description="Het OIN.")
    naam: str | None = Field(
        description="Uit het register; `null` als de organisatie er niet meer in staat."
    )


class Opvraagdoel(ApiModel):
    model_config = api_schema()

    code: str = Field(description="De code van het doel.")
    omschrijving: str | None = Field(description="Uit het register.")
    grondslag: str | None = Field(description="De wettelijke grondslag.")


_SPAN_ID = "^[0-9a-f]{16}$"
Milliseconden = Annotated[
    int,
    Field(
        description="In milliseconden sinds 1970-01-01T00:00:00Z.",
        json_schema_extra={"format": "int64"},
    ),
]


class ProcessingActivity(Antwoord):
    model_config = api_schema(
        description="Eén opvraging, als de `ProcessingActivity` van de leesextensie van het "
        "Logboek Dataverwerkingen, met de organisatie en het doel uit het register."
    )

    trace_id: str = Field(pattern="^[0-9a-f]{32}$", description="W3C trace-id.")
    span_id: str = Field(pattern=_SPAN_ID, description="W3C span-id.")
    # The read extension's parentSpanId is a span id or absent, never null.
    parent_span_id: Annotated[str, Field(pattern=_SPAN_ID)] | SkipJsonSchema[None] = Field(
        default=None,
        description="De span van de aanroeper (zijn `traceparent`); ontbreekt als die er geen "
        "meestuurde.",
    )
    name: str = Field(description="De verwerking.")
    status: Literal["Ok", "Error"]
    start_time: Milliseconden
    end_time: Milliseconden
    attributes: Verwerkingsattributen
    organisatie: OpvragendeOrganisatie
    doel: Opvraagdoel


class Inzage(ApiModel):
    """Body of ``GET /profiel/inzage``: one page."""

    model_config = api_schema()

    processing_activities: tuple[ProcessingActivity, ...] = Field(description="Nieuwste eerst.")
    volgende: str | None = Field(
        description="Voor de volgende pagina (als `vanaf`); `null`: dit was de laatste."
    )


# --- GET /profiel/historie: the owner's own changes ----------------------------------------------


class Wijziging(ApiModel):
    model_config = api_schema(
        description="Eén wijziging van het profiel: welke velden, nooit de waarden."
    )

    tijdstip: str = Field(description="Wanneer.", json_schema_extra={"format": "date-time"})
    actie: Annotated[Actie, _opsomming(Actie)]
    velden: tuple[str, ...]
    door: Annotated[ActorRole, _opsomming(ActorRole)] = Field(description="In welke rol.")
    versie: int | None = Field(description="De versie erna; `null` als het profiel is verwijderd.")
    trace_id: str | None = Field(description="De trace van het verzoek.")


class Historie(ApiModel):
    """Body of ``GET /profiel/historie``."""

    model_config = api_schema()

    wijzigingen: tuple[Wijziging, ...] = Field(description="Nieuwste eerst.")


# --- GET /profiel/contactmomenten: the contact organisations recorded ----------------------------


class GetoondContactmoment(ApiModel):
    model_config = api_schema(
        "Contactmoment",
        "Eén keer dat een organisatie contact zocht, zoals haar systeem het vastlegde: nooit de "
        "inhoud van het bericht.",
    )

    tijdstip: str = Field(
        description="Wanneer het contact plaatsvond.", json_schema_extra={"format": "date-time"}
    )
    organisatie: OpvragendeOrganisatie
    kanaal: str = Field(description="Het kanaal, zoals de organisatie het noemt (`email`, `sms`).")
    onderwerp: str = Field(description="Het onderwerp van het bericht.")
    gelukt: bool | None = Field(
        description="Of het contact lukte; `null` als de organisatie dat niet zei."
    )


class Contactmomenten(ApiModel):
    """Body of ``GET /profiel/contactmomenten``."""

    model_config = api_schema()

    contactmomenten: tuple[GetoondContactmoment, ...] = Field(description="Nieuwste eerst.")


# --- GET /adressen: an address completed from the BAG -----------------------------------------


class BagAdresAntwoord(ApiModel):
    model_config = api_schema("BagAdres", "Een adres uit de BAG, klaar om als postadres te sturen.")

    soort: Literal["nederlands"] = "nederlands"
    straat: str
    huisnummer: int
    huisletter: str | None
    huisnummertoevoeging: str | None
    postcode: str
    woonplaats: str
    nummeraanduiding_identificatie: str

    @classmethod
    def van(cls, adres: BagAdres) -> BagAdresAntwoord:
        return cls(**dataclasses.asdict(adres))


class Adressuggesties(ApiModel):
    """Body of ``GET /adressen``."""

    model_config = api_schema()

    adressen: tuple[BagAdresAntwoord, ...] = Field(
        description="De adressen met deze postcode en dit huisnummer (en huisletter of "
        "toevoeging, als die zijn meegegeven); leeg als de BAG er geen heeft."
    )


# --- every error: RFC 9457 problem details -------------------------------------------------------


class InvalidParamDetails(ApiModel):
    """One refused field of a problem (``shared.errors.InvalidParam``)."""

    model_config = api_schema(
        "InvalidParam", "Een afgewezen veld; de reden herhaalt nooit de verstuurde waarde."
    )

    name: str = Field(description="Het veld zoals verstuurd: een pad met punten in de body.")
    code: str = Field(description="Welke regel.")
    reason: str = Field(description="Waarom, in het Nederlands.")


class ProblemDetails(Antwoord):
    """The body of every 4xx and 5xx answer (``shared.problems.Problem.to_dict``)."""

    model_config = api_schema(
        "Problem",
        "Probleemdetails (RFC 9457).",
        example={
            "type": f"{PROBLEM_TYPE_BASE}ongeldige-invoer",
            "title": "Ongeldige invoer",
            "status": 400,
            "detail": "De invoer klopt niet voor: postcode.",
            "invalidParams": [
                {
                    "name": "postcode",
                    "code": "value_error",
                    "reason": "geen geldige Nederlandse postcode (1234 AB)",
                }
            ],
        },
    )

    type: str = Field(
        description=f"Het soort probleem: `{PROBLEM_TYPE_BASE}<soort>`.",
        json_schema_extra={"format": "uri"},
    )
    title: str = Field(description="Kort, in het Nederlands.")
    status: int = Field(ge=400, le=599)
    detail: str = Field(description="Wat er mis is en wat te doen, in het Nederlands.")
    invalid_params: tuple[InvalidParamDetails, ...] = Field(
        default=(), description="Bij ongeldige invoer: elk afgewezen veld."
    )


# --- GET /profiel/export: everything held about the partij (AVG art. 15 and 20) ---------------

EXPORT_FORMAAT = "urn:nl:profielservice:export:1"


class Export(ApiModel):
    """Body of ``GET /profiel/export``."""

    model_config = api_schema(
        "Export",
        "Alles wat de Profiel Service over de partij bewaart, in één document (AVG artikel 15 "
        "en 20): het profiel met elk niveau van voorkeuren, de status van elke verificatie "
        "(nooit een code) en de keuzes over delen; de historie van de wijzigingen; de inzage "
        "(elke opvraging door een organisatie); de contactmomenten (zonder inhoud). "
        "`profiel.registratie` komt uit de basisregistratie (`bron`), nu gelezen en niet "
        "bewaard.",
    )

    formaat: Literal["urn:nl:profielservice:export:1"] = Field(
        description="Welke versie van dit document."
    )
    aangemaakt: str = Field(
        description="Wanneer de export is gemaakt.", json_schema_extra={"format": "date-time"}
    )
    versie: int = Field(
        description="De versie van het profiel (zijn ETag, zonder aanhalingstekens)."
    )
    profiel: GetoondProfiel
    historie: tuple[Wijziging, ...] = Field(description="Elke wijziging, oudste eerst.")
    inzage: tuple[ProcessingActivity, ...] = Field(
        description="Elke opvraging door een organisatie, oudste eerst."
    )
    contactmomenten: tuple[GetoondContactmoment, ...] = Field(
        description="Elk contact dat een organisatie vastlegde, oudste eerst."
    )
