"""The bodies the API answers with, besides the domain models it shows as they are.

Each model dumps (``model_dump(mode="json", by_alias=True)``) to exactly the JSON the service
answers, and is what the OpenAPI document says of that answer (``python -m functions.openapi``
generates it from these and the other models; ``api_schema`` names and describes each).
"""

from __future__ import annotations

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
from shared.models.profiel import Contactgegeven, Postadres, Profiel, VerificatieStatus
from shared.models.voorkeuren import Correspondentie, Kanalen, Voorkeurset, Weergave
from shared.problems import PROBLEM_TYPE_BASE

# The most betrokkenen one lookup asks about, and so the most results it answers with
# (functions.lookup_preferences.core.Opvraging takes as many, this very number).
MAXIMUM_BETROKKENEN = 1000


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
        "met een nieuwe code.",
        json_schema_extra={"readOnly": True},
    )

    @classmethod
    def van(cls, contactgegeven: Contactgegeven, now: datetime) -> GetoondContactgegeven:
        return cls(**dict(contactgegeven), status=contactgegeven.verificatie_status(now))


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
                    "verificatieStatus": "geverifieerd",
                },
                {
                    "id": "a4da9940-aadd-443f-8083-79ce69d79a18",
                    "soortDigitaalAdres": "telefoonnummer",
                    "adres": "+31612345678",
                    "omschrijving": "Mobiel",
                    "isStandaardAdres": True,
                    "verificatieDatum": None,
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
        },
    )

    contactgegevens: tuple[GetoondContactgegeven, ...] = ()

    @classmethod
    def van(cls, profiel: Profiel, now: datetime) -> GetoondProfiel:
        shown = [GetoondContactgegeven.van(c, now) for c in profiel.contactgegevens]
        return cls(**{**dict(profiel), "contactgegevens": shown})


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
