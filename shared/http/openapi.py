"""The API's OpenAPI 3.0.3 document, built from the route table and the models.

Built here rather than by the powertools resolver, which emits OpenAPI 3.1: the NL API Design
Rules (ADR) linter accepts 3.0 only. The document follows from
- ``functions/registry.py``: every route of every function is an operation; a route without an
  entry in ``_OPERATIONS`` fails the build, so a new route cannot go undocumented;
- the pydantic models of the request bodies and the profile: their JSON Schema (draft 2020-12),
  converted to the OpenAPI 3.0 Schema Object by :func:`_schema`;
- for the answers that have no model (the overview per organisation, a lookup's results, the
  inzage, the history): the schemas below, written from ``docs/api.md``.

Paths are relative to the one server URL, the base path ``/api/profiel/v1``, as the registry's
routes are. The document is built once per process (the models do not change at run time).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import RootModel
from pydantic.json_schema import models_json_schema

from functions.lookup_preferences.core import MAXIMUM_BETROKKENEN, Opvraging
from functions.registry import BASE_PATH, FUNCTIONS
from shared.http.entrypoints import API_VERSION
from shared.http.profiel import ETAG_PATTERN, IF_MATCH_PATTERN
from shared.http.routes import Toegang
from shared.identity.subject import ActorRole
from shared.models.audit import Actie
from shared.models.profiel import (
    Contactgegeven,
    ContactgegevenToevoegen,
    ContactgegevenWijzigen,
    Delen,
    Postadres,
    Profiel,
    VerificatieStatus,
)
from shared.models.values import OIN_PATTERN, UUID_PATTERN
from shared.models.verificatie import VerificatieBevestigen, VerificatiecodeVerzonden
from shared.models.voorkeuren import CODE_PATTERN, Voorkeurset
from shared.problems import PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE

__all__ = ["OPENAPI_MEDIA_TYPE", "openapi_document", "openapi_json"]

OPENAPI_VERSION = "3.0.3"
# The media type registered for OpenAPI documents, with the major.minor of the specification.
OPENAPI_MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.0"
JSON = "application/json"

_SCHEMA_REF = "#/components/schemas/{model}"


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _schema_ref(name: str) -> dict[str, str]:
    return {"$ref": _SCHEMA_REF.format(model=name)}


# --- the operations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """How one route of the registry is documented."""

    operation_id: str
    summary: str
    description: str
    status: int  # of the answer when all goes well
    answer: str  # its description
    schema: dict[str, Any] | None  # of its body
    media_type: str = JSON  # of its body
    request: str | None = None  # schema name of the request body, if there is one
    request_types: tuple[str, ...] = (JSON,)
    parameters: tuple[str, ...] = ()  # names in components.parameters, besides the path's
    headers: tuple[str, ...] = ()  # response headers besides API-Version
    errors: tuple[int, ...] = ()  # besides the ones of the security scheme
    tag: str | None = None  # None: the tag of the function that serves the route


# Each function's operations under one tag: the name a reader sees, and what it covers.
_TAGS: dict[str, tuple[str, str]] = {
    "get-profile": ("Profiel", "Het eigen profiel lezen."),
    "update-profile": (
        "Profiel wijzigen",
        "Contactgegevens, postadres, voorkeuren en delen wijzigen. Elke wijziging vraagt "
        "`If-Match` met de actuele `ETag` van het profiel.",
    ),
    "verify-contact": (
        "Verificatie",
        "Een contactgegeven verifiëren met een code die naar het adres wordt gestuurd.",
    ),
    "lookup-preferences": (
        "Opvragingen",
        "Voor organisaties: contactvoorkeuren opvragen voor een doel waarvoor zij een "
        "toekenning hebben.",
    ),
    "read-access-log": (
        "Inzage",
        "Wie wanneer gegevens opvroeg (Logboek Dataverwerkingen), en de historie van de eigen "
        "wijzigingen.",
    ),
}
_DOCUMENTATION_TAG = ("Documentatie", "Dit OpenAPI-document.")

# The problems every operation of a security scheme can answer: no or a bad token (401), a token
# that may not do this (403), an error of ours (500), the store or the identity provider's keys
# out of reach (503).
_SCHEME_ERRORS = (401, 403, 500, 503)
# A JSON body: invalid (400), too large (413), not JSON (415).
_BODY_ERRORS = (400, 413, 415)
# Every change through update-profile: a malformed If-Match or path parameter (400), no If-Match
# (428), a stale one (412).
_CHANGE_ERRORS = (*_BODY_ERRORS, 412, 428)
_REMOVAL_ERRORS = (400, 404, 412, 428)

_PROFIEL = _schema_ref("Profiel")
_CONTACTGEGEVEN = _schema_ref("Contactgegeven")

_OPERATIONS: dict[str, Operation] = {
    "GET /profiel": Operation(
        "leesProfiel",
        "Het eigen profiel",
        "Het profiel van de ingelogde burger of onderneming, met de `ETag` van deze versie. "
        'Een profiel dat nooit is opgeslagen is leeg, met `ETag` `"0"`.',
        200,
        "Het profiel.",
        _PROFIEL,
        headers=("ETag",),
    ),
    "GET /profiel/contactgegevens/{contactgegevenId}": Operation(
        "leesContactgegeven",
        "Eén contactgegeven",
        "Eén contactgegeven uit het eigen profiel.",
        200,
        "Het contactgegeven.",
        _CONTACTGEGEVEN,
        headers=("ETag",),
        errors=(400, 404),
    ),
    "GET /profiel/organisaties": Operation(
        "leesVoorkeurenPerOrganisatie",
        "Voorkeuren per organisatie",
        "Per organisatie uit het register, en per dienst: de voorkeuren die gelden en het "
        "e-mailadres en telefoonnummer dat zij zou gebruiken, en of dat afwijkt van het niveau "
        "erboven.",
        200,
        "Het overzicht.",
        _schema_ref("OrganisatieOverzicht"),
        headers=("ETag",),
    ),
    "POST /profiel/contactgegevens": Operation(
        "voegContactgegevenToe",
        "Contactgegeven toevoegen",
        "Voegt een e-mailadres of telefoonnummer toe; er gaat een verificatiecode naar het "
        "nieuwe adres. Het antwoord is het hele nieuwe profiel; `Location` wijst naar het "
        "nieuwe contactgegeven.",
        201,
        "Toegevoegd: het nieuwe profiel.",
        _PROFIEL,
        request="ContactgegevenToevoegen",
        parameters=("IfMatch", "Traceparent"),
        headers=("ETag", "Location"),
        errors=(*_CHANGE_ERRORS, 409, 429),
    ),
    "PATCH /profiel/contactgegevens/{contactgegevenId}": Operation(
        "wijzigContactgegeven",
        "Contactgegeven wijzigen",
        "Wijzigt het adres of de omschrijving, of maakt het contactgegeven het standaardadres "
        "van zijn soort. Alleen de meegestuurde velden veranderen; `omschrijving: null` "
        "verwijdert de omschrijving. Een nieuw adres krijgt een verificatiecode; een vervangen "
        "geverifieerd e-mailadres een bericht.",
        200,
        "Gewijzigd: het nieuwe profiel.",
        _PROFIEL,
        request="ContactgegevenWijzigen",
        parameters=("IfMatch", "Traceparent"),
        headers=("ETag",),
        errors=(*_CHANGE_ERRORS, 404, 409, 429),
    ),
    "DELETE /profiel/contactgegevens/{contactgegevenId}": Operation(
        "verwijderContactgegeven",
        "Contactgegeven verwijderen",
        "Verwijdert het contactgegeven; was het het standaardadres, dan wordt het volgende van "
        "zijn soort standaard. Een verwijderd geverifieerd e-mailadres krijgt een bericht.",
        200,
        "Verwijderd: het nieuwe profiel.",
        _PROFIEL,
        parameters=("IfMatch", "Traceparent"),
        headers=("ETag",),
        errors=_REMOVAL_ERRORS,
    ),
    "PUT /profiel/postadres": Operation(
        "zetPostadres",
        "Postadres vastleggen",
        "Legt het postadres vast: een Nederlands adres (`soort: nederlands`) of een buitenlands "
        "adres (`soort: buitenlands`).",
        200,
        "Vastgelegd: het nieuwe profiel.",
        _PROFIEL,
        request="Postadres",
        parameters=("IfMatch", "Traceparent"),
        headers=("ETag",),
        errors=_CHANGE_ERRORS,
    ),
    "DELETE /profiel/postadres": Operation(
        "verwijderPostadres",
        "Postadres verwijderen",
        "Verwijdert het postadres.",
        200,
        "Verwijderd: het nieuwe profiel.",
        _PROFIEL,
        parameters=("IfMatch", "Traceparent"),
        headers=("ETag",),
        errors=_REMOVAL_ERRORS,
    ),
    "PATCH /profiel/voorkeuren": Operation(
        "wijzigVoorkeuren",
        "Standaardvoorkeuren wijzigen",
        "Wijzigt de standaardvoorkeuren als JSON Merge Patch (RFC 7396): objecten worden "
        "samengevoegd, `null` wist een keuze. Een vertegenwoordiger wiens token een vestiging "
        "noemt, wijzigt die van de vestiging.",
        200,
        "Gewijzigd: het nieuwe profiel.",
        _PROFIEL,
        request="VoorkeurenWijziging",
        request_types=(JSON, "application/merge-patch+json"),
        parameters=("IfMatch", "Traceparent"),
        headers=("ETag",),
        errors=(*_CHANGE_ERRORS, 409),
    ),
    "PUT /profiel/delen": Operation(
        "zetDelen",
        "Delen met organisaties",
        "Met welke organisaties de contactgegevens gedeeld worden: `geweigerd` sluit "
        "organisaties uit, `alleenMet` beperkt het delen tot de genoemde (`null`: iedereen die "
        "niet geweigerd is).",
        200,
        "Vastgelegd: het nieuwe profiel.",
        _PROFIEL,
        request="Delen",
        parameters=("IfMatch", "Traceparent"),
        headers=("ETag",),
        errors=_CHANGE_ERRORS,
    ),
    "PUT /profiel/voorkeuren/organisaties/{oin}": Operation(
        "zetOrganisatievoorkeuren",
        "Voorkeuren voor een organisatie",
        "Legt de voorkeuren vast voor één organisatie uit het register; die voor haar diensten "
        "blijven staan.",
        200,
        "Vastgelegd: het nieuwe profiel.",
        _PROFIEL,
        request="Voorkeurset",
        parameters=("IfMatch", "Traceparent"),
        headers=("ETag",),
        errors=(*_CHANGE_ERRORS, 404, 409),
    ),
    "DELETE /profiel/voorkeuren/organisaties/{oin}": Operation(
        "verwijderOrganisatievoorkeuren",
        "Voorkeuren voor een organisatie verwijderen",
        "Verwijdert de voorkeuren voor de organisatie, met die voor haar diensten.",
        200,
        "Verwijderd: het nieuwe profiel.",
        _PROFIEL,
        parameters=("IfMatch", "Traceparent"),
        headers=("ETag",),
        errors=_REMOVAL_ERRORS,
    ),
    "PUT /profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}": Operation(
        "zetDienstvoorkeuren",
        "Voorkeuren voor een dienst",
        "Legt de voorkeuren vast voor één dienst van een organisatie uit het register.",
        200,
        "Vastgelegd: het nieuwe profiel.",
        _PROFIEL,
        request="Voorkeurset",
        parameters=("IfMatch", "Traceparent"),
        headers=("ETag",),
        errors=(*_CHANGE_ERRORS, 404, 409),
    ),
    "DELETE /profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}": Operation(
        "verwijderDienstvoorkeuren",
        "Voorkeuren voor een dienst verwijderen",
        "Verwijdert de voorkeuren voor de dienst.",
        200,
        "Verwijderd: het nieuwe profiel.",
        _PROFIEL,
        parameters=("IfMatch", "Traceparent"),
        headers=("ETag",),
        errors=_REMOVAL_ERRORS,
    ),
    "POST /profiel/contactgegevens/{contactgegevenId}/verificatiecode": Operation(
        "verstuurVerificatiecode",
        "Nieuwe verificatiecode",
        "Stuurt een nieuwe code naar het contactgegeven: een e-mail of een sms. Een code heeft "
        "6 cijfers, is 15 minuten geldig en werkt één keer; een nieuwe code maakt de vorige "
        "ongeldig. Hoogstens 5 codes per contactgegeven per 15 minuten, minstens 60 seconden "
        "ertussen, en hoogstens 10 per profiel per 15 minuten.",
        202,
        "Verstuurd.",
        _schema_ref("VerificatiecodeVerzonden"),
        errors=(400, 404, 429),
    ),
    "POST /profiel/contactgegevens/{contactgegevenId}/verificatie": Operation(
        "bevestigVerificatie",
        "Verificatiecode invoeren",
        "Met de juiste code is het contactgegeven geverifieerd. Geen `If-Match` nodig: de code "
        "hoort bij het adres waarheen hij ging, niet bij een versie van het profiel. Na 5 "
        "foute pogingen is de code geblokkeerd.",
        200,
        "Geverifieerd: het contactgegeven, met de nieuwe `ETag` van het profiel.",
        _CONTACTGEGEVEN,
        request="VerificatieBevestigen",
        parameters=("Traceparent",),
        headers=("ETag",),
        errors=(*_BODY_ERRORS, 404, 409),
    ),
    "POST /opvragingen": Operation(
        "vraagVoorkeurenOp",
        "Contactvoorkeuren opvragen",
        "Voor organisaties, met een client-credentials access token (zie het securityschema "
        "`organisatie`). Per betrokkene, in de gevraagde volgorde: niet beschikbaar (geen "
        "profiel, of er wordt niet met deze organisatie gedeeld: die twee zijn niet te "
        "onderscheiden), of precies de velden die het doel toestaat; een adres alleen als het "
        "geverifieerd en niet verouderd is. Elke opvraging wordt per betrokkene vastgelegd in "
        "het Logboek Dataverwerkingen, in de trace van `traceparent`; lukt dat niet, dan 503 "
        "en wordt niets verstrekt.",
        200,
        "De resultaten, één per betrokkene.",
        _schema_ref("Opvragingsresultaten"),
        request="Opvraging",
        parameters=("FscAuthorization", "Traceparent"),
        headers=("traceparent",),
        errors=_BODY_ERRORS,
    ),
    "GET /profiel/inzage": Operation(
        "leesInzage",
        "Wie keek in het profiel",
        "De opvragingen door organisaties uit het Logboek Dataverwerkingen, nieuwste eerst, "
        "in pagina's: `limiet` per pagina, `vanaf` de `volgende` van de vorige pagina.",
        200,
        "Een pagina van de inzage.",
        _schema_ref("Inzage"),
        parameters=("Limiet", "Vanaf"),
        errors=(400,),
    ),
    "GET /profiel/historie": Operation(
        "leesHistorie",
        "Historie van het profiel",
        "De eigen wijzigingen van het profiel, nieuwste eerst: welke velden, wanneer en in "
        "welke rol, nooit de waarden.",
        200,
        "De historie.",
        _schema_ref("Historie"),
    ),
    "GET /openapi.json": Operation(
        "leesOpenapi",
        "Dit OpenAPI-document",
        "De beschrijving van deze API, zonder inloggen op te halen en vanaf elke origin te "
        "lezen (CORS).",
        200,
        "Het OpenAPI-document.",
        {"type": "object"},
        media_type=OPENAPI_MEDIA_TYPE,
        headers=("access-control-allow-origin",),
        errors=(500,),
        tag=_DOCUMENTATION_TAG[0],
    ),
}

# The path parameters of the registry's routes.
_PATH_PARAMETERS = {
    "contactgegevenId": "ContactgegevenId",
    "oin": "Oin",
    "dienst": "Dienst",
}


# --- the document ----------------------------------------------------------------------------


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.0.3 document of every operation of every function (a copy to change)."""
    return copy.deepcopy(_document())


@lru_cache(maxsize=1)
def openapi_json() -> str:
    """The document as served: compact JSON, built once per process."""
    return json.dumps(_document(), ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    tags: dict[str, str] = {}
    for function in FUNCTIONS:
        for route in function.routes:
            operation = _OPERATIONS.get(route.key)
            if operation is None:
                raise LookupError(f"{route.key} ({function.name}) is not documented in openapi.py")
            tag, tag_description = (
                _TAGS[function.name] if operation.tag is None else _DOCUMENTATION_TAG
            )
            tags[tag] = tag_description
            item = paths.setdefault(route.path, {})
            names = re.findall(r"\{(\w+)\}", route.path)
            if names:
                # Path parameters belong to the path: the same for each of its operations.
                item["parameters"] = [_ref("parameters", _PATH_PARAMETERS[n]) for n in names]
            item[route.method.lower()] = _operation(
                operation, tag, _SECURITY[route.toegang], has_path_parameters=bool(names)
            )
    unknown = set(_OPERATIONS) - {r.key for f in FUNCTIONS for r in f.routes}
    if unknown:
        raise LookupError(f"documented but not in the registry: {sorted(unknown)}")
    document = {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Profiel Service API",
            "description": (
                "Eén plek waar burgers (DigiD) en ondernemers (eHerkenning) hun contactgegevens "
                "en communicatievoorkeuren beheren, en waar organisaties die opvragen voor een "
                "doel waarvoor zij een toekenning hebben. Het profiel is altijd dat van het "
                "token: er staat nooit een BSN of KVK-nummer in een URL. Fouten zijn "
                "`application/problem+json` (RFC 9457); elk antwoord heeft de header "
                "`API-Version`."
            ),
            # The service's own mailbox and site are not set up yet: reserved example names
            # until they are, so that nobody mails a stranger.
            "contact": {
                "name": "Beheer Profiel Service",
                "url": "https://profiel.example.nl",
                "email": "beheer@profiel.example.nl",
            },
            "license": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
            "version": API_VERSION,
        },
        "servers": [{"url": BASE_PATH, "description": "Het basispad van deze versie."}],
        "security": [{"burger": []}],
        "tags": [{"name": name, "description": text} for name, text in tags.items()],
        "paths": paths,
        "components": {
            "schemas": _schemas(),
            "responses": _problem_responses(),
            "parameters": _PARAMETERS,
            "headers": _HEADERS,
            "securitySchemes": _SECURITY_SCHEMES,
        },
    }
    _drop_unused_schemas(document)
    return document


def _drop_unused_schemas(document: dict[str, Any]) -> None:
    """Leave out the schemas nothing refers to (a nullable enum is written out in place)."""
    schemas = document["components"]["schemas"]
    outside = {key: value for key, value in document.items() if key != "components"}
    outside["components"] = {k: v for k, v in document["components"].items() if k != "schemas"}
    used: set[str] = set()
    todo = _schema_refs(outside)
    while todo:
        name = todo.pop()
        if name not in used:
            used.add(name)
            todo |= _schema_refs(schemas[name])
    for name in set(schemas) - used:
        del schemas[name]


def _schema_refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        schema = isinstance(ref, str) and ref.startswith("#/components/schemas/")
        found = {ref.rsplit("/", 1)[1]} if schema else set()
        for value in node.values():
            found |= _schema_refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_schema_refs(value) for value in node)) if node else set()
    return set()


# The security scheme of each kind of caller a route declares (None: no token).
_SECURITY = {Toegang.PARTIJ: "burger", Toegang.ORGANISATIE: "organisatie", Toegang.IEDEREEN: None}


def _operation(
    operation: Operation, tag: str, security: str | None, has_path_parameters: bool = False
) -> dict[str, Any]:
    success: dict[str, Any] = {
        "description": operation.answer,
        "headers": {name: _ref("headers", _HEADER_COMPONENT[name]) for name in _SUCCESS_HEADERS}
        | {name: _ref("headers", _HEADER_COMPONENT[name]) for name in operation.headers},
    }
    if operation.schema is not None:
        success["content"] = {operation.media_type: {"schema": operation.schema}}
    errors = set(operation.errors)
    if security is not None:
        errors |= set(_SCHEME_ERRORS)
    if has_path_parameters:
        # A parameter value with a slash (even encoded) is another path: no such resource (404),
        # or another resource that does not take this method (405).
        errors |= {404, 405}
    responses = {str(operation.status): success} | {
        str(status): _ref("responses", _PROBLEMS[status][0]) for status in sorted(errors)
    }
    document: dict[str, Any] = {
        "tags": [tag],
        "operationId": operation.operation_id,
        "summary": operation.summary,
        "description": operation.description,
    }
    if operation.parameters:
        document["parameters"] = [_ref("parameters", name) for name in operation.parameters]
    if operation.request is not None:
        schema = _schema_ref(operation.request)
        document["requestBody"] = {
            "required": True,
            "content": {media_type: {"schema": schema} for media_type in operation.request_types},
        }
    document["responses"] = responses
    document["security"] = [] if security is None else [{security: []}]
    return document


# --- reusable parts ---------------------------------------------------------------------------

# The traceparent it answers with: version 00, the trace, its own span, sampled.
_TRACEPARENT_SENT = r"^00-[0-9a-f]{32}-[0-9a-f]{16}-01$"

_SUCCESS_HEADERS = ("API-Version",)
_HEADER_COMPONENT = {
    "API-Version": "ApiVersion",
    "ETag": "ETag",
    "Location": "Location",
    "traceparent": "Traceparent",
    "access-control-allow-origin": "AccessControlAllowOrigin",
    "Retry-After": "RetryAfter",
    "WWW-Authenticate": "WwwAuthenticate",
    "Allow": "Allow",
}

_HEADERS: dict[str, Any] = {
    "ApiVersion": {
        "description": "De volledige versie van de API (Semantic Versioning), in elk antwoord.",
        "schema": {"type": "string", "example": API_VERSION},
    },
    "ETag": {
        "description": 'De versie van het profiel; `"0"` voor een profiel dat nooit is '
        "opgeslagen. Stuur hem mee als `If-Match` bij een wijziging.",
        "schema": {"type": "string", "pattern": ETAG_PATTERN, "example": '"3"'},
    },
    "Location": {
        "description": "Het nieuwe contactgegeven.",
        "schema": {
            "type": "string",
            "format": "uri-reference",
            "example": f"{BASE_PATH}/profiel/contactgegevens/2d9f4401-bea2-4f28-ac4a-485727e2d80f",
        },
    },
    "Traceparent": {
        "description": "W3C Trace Context: de trace waarin de opvraging is vastgelegd (die van "
        "de aanroeper als die een geldige `traceparent` meestuurde, anders een nieuwe).",
        "schema": {
            "type": "string",
            "pattern": _TRACEPARENT_SENT,
            "example": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        },
    },
    "AccessControlAllowOrigin": {
        "description": "Elke origin mag dit document lezen.",
        "schema": {"type": "string", "enum": ["*"]},
    },
    "RetryAfter": {
        "description": "Na hoeveel seconden het opnieuw kan.",
        "schema": {"type": "integer", "minimum": 1, "example": 60},
    },
    "WwwAuthenticate": {
        "description": 'Bearer, met `error="invalid_token"` als er een token was.',
        "schema": {"type": "string", "example": 'Bearer realm="profielservice"'},
    },
    "Allow": {
        "description": "De methoden die dit pad wel kent.",
        "schema": {"type": "string", "example": "GET"},
    },
}

_PARAMETERS: dict[str, Any] = {
    "ContactgegevenId": {
        "name": "contactgegevenId",
        "in": "path",
        "required": True,
        "description": "Het `id` van een contactgegeven in het eigen profiel: een UUID, "
        "geschreven als 8-4-4-4-12 hexadecimale cijfers. Een andere vorm: 400.",
        "schema": {"type": "string", "format": "uuid", "pattern": UUID_PATTERN},
    },
    "Oin": {
        "name": "oin",
        "in": "path",
        "required": True,
        "description": "Het OIN van een organisatie (20 cijfers). Een andere vorm: 400.",
        "schema": {"type": "string", "pattern": OIN_PATTERN, "example": "00000099000000000001"},
    },
    "Dienst": {
        "name": "dienst",
        "in": "path",
        "required": True,
        "description": "De code van een dienst van die organisatie in het register: kleine "
        "letters, cijfers en streepjes, hoogstens 40 tekens. Een andere vorm: 400.",
        "schema": {"type": "string", "pattern": CODE_PATTERN, "example": "parkeren"},
    },
    "IfMatch": {
        "name": "If-Match",
        "in": "header",
        "required": True,
        "description": "De `ETag` van de versie waarop de wijziging is gebaseerd, met de "
        'aanhalingstekens: `"3"`. Ook een lijst van ETags (RFC 9110: `"2", "3"`), of `*`: elke '
        "opgeslagen versie. Zonder, of leeg: 428; iets anders dan `*` of een ETag-lijst "
        "(bijvoorbeeld `3` zonder aanhalingstekens): 400; geen actuele versie (ook een zwakke "
        '`W/"3"`): 412.',
        "schema": {"type": "string", "pattern": IF_MATCH_PATTERN, "example": '"3"'},
    },
    "Traceparent": {
        "name": "traceparent",
        "in": "header",
        "required": False,
        "description": "W3C Trace Context (`00-<trace-id>-<parent-id>-<trace-flags>`, "
        "hexadecimaal in kleine letters); de trace wordt bij de wijziging of opvraging "
        "vastgelegd. Zonder, of met een ongeldige waarde, begint een nieuwe trace: zoals Trace "
        "Context voorschrijft wordt een ongeldige `traceparent` genegeerd, nooit geweigerd.",
        "schema": {
            "type": "string",
            "example": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        },
    },
    "FscAuthorization": {
        "name": "Fsc-Authorization",
        "in": "header",
        "required": False,
        "description": "Achter een FSC-inway: het token dat de organisatie identificeert (zijn "
        "`sub`, een OIN). Zonder deze header is dat het access token zelf.",
        "schema": {"type": "string"},
    },
    "Limiet": {
        "name": "limiet",
        "in": "query",
        "required": False,
        "description": "Hoeveel opvragingen per pagina.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    },
    "Vanaf": {
        "name": "vanaf",
        "in": "query",
        "required": False,
        "description": "De `volgende` van de vorige pagina.",
        "schema": {"type": "string", "pattern": r"^[0-9]{13}-[0-9a-f]{16}$"},
    },
}

_SECURITY_SCHEMES: dict[str, Any] = {
    "burger": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "Het access token van de ingelogde burger (DigiD) of van de "
        "vertegenwoordiger van een onderneming (eHerkenning), van een vertrouwde uitgever en "
        "op minimaal het ingestelde betrouwbaarheidsniveau (standaard substantieel).",
    },
    "organisatie": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "Een OAuth 2.0 client-credentials access token van de organisatie, met "
        "de scope `profielservice.opvragen`; de organisatie is de `sub` (een OIN), of achter "
        "een FSC-inway de `sub` van het token in de header `Fsc-Authorization`. Het token van "
        "een persoon wordt hier geweigerd (403), en dat van een organisatie bij elke andere "
        "operatie.",
    },
}

# Per status: the name in components.responses, its description, its headers besides
# API-Version.
_PROBLEMS: dict[int, tuple[str, str, tuple[str, ...]]] = {
    400: (
        "OngeldigeInvoer",
        "Ongeldige invoer (`ongeldige-invoer`): `invalidParams` noemt elk veld, padparameter "
        "of `If-Match` dat niet klopt; of een verkeerde verificatiecode "
        "(`verificatiecode-onjuist`).",
        (),
    ),
    401: (
        "NietGeauthenticeerd",
        "Geen token, of geen geldig token (`niet-geauthenticeerd`).",
        ("WWW-Authenticate",),
    ),
    403: (
        "GeenToegang",
        "Een geldig token dat dit niet mag (`geen-toegang`): te laag niveau, geen burger of "
        "onderneming, het verkeerde soort token, een ontbrekende scope of een doel zonder "
        "toekenning.",
        (),
    ),
    404: (
        "NietGevonden",
        "Niet gevonden (`niet-gevonden`): geen contactgegeven of postadres in het eigen "
        "profiel, of geen organisatie of dienst in het register.",
        (),
    ),
    409: (
        "Conflict",
        "In strijd met het profiel (`conflict`): het adres staat er al, de soort is vol, of te "
        "veel organisaties, diensten of vestigingen; of de verificatiecode is geblokkeerd "
        "(`verificatiecode-geblokkeerd`) of loopt niet (`verificatiecode-ongeldig`).",
        (),
    ),
    412: (
        "VersieVerouderd",
        "`If-Match` is niet de actuele versie van het profiel (`versie-verouderd`).",
        (),
    ),
    413: ("TeGroot", "De aanvraag is te groot (`te-groot`).", ()),
    405: (
        "MethodeNietToegestaan",
        "Dit pad bestaat, maar niet met deze methode (`methode-niet-toegestaan`); `Allow` noemt "
        "de methoden.",
        ("Allow",),
    ),
    415: ("Mediatype", "De aanvraag is niet als JSON verstuurd (`mediatype`).", ()),
    428: ("IfMatchOntbreekt", "Een wijziging zonder `If-Match` (`if-match-ontbreekt`).", ()),
    429: (
        "TeVeelVerzoeken",
        "Te veel verificatiecodes (`te-veel-verzoeken`); `Retry-After` zegt wanneer het weer kan.",
        ("Retry-After",),
    ),
    500: ("Serverfout", "Een onverwachte fout (`serverfout`).", ()),
    503: (
        "NietBeschikbaar",
        "Een onmisbare dienst is even niet bereikbaar (`niet-beschikbaar`): de opslag, de "
        "sleutels van de inlogdienst, NotifyNL of het Logboek Dataverwerkingen. Er is niets "
        "gewijzigd of verstrekt.",
        ("Retry-After",),
    ),
}


def _problem_responses() -> dict[str, Any]:
    return {
        name: {
            "description": description,
            "headers": {
                header: _ref("headers", _HEADER_COMPONENT[header])
                for header in (*_SUCCESS_HEADERS, *headers)
            },
            "content": {PROBLEM_CONTENT_TYPE: {"schema": _schema_ref("Problem")}},
        }
        for name, description, headers in _PROBLEMS.values()
    }


# --- schemas ---------------------------------------------------------------------------------


class _PostadresSchema(RootModel[Postadres]):
    """The postal address union as a component of its own (a body and a profile field)."""


# The request bodies (validation) and the answers with a model (serialization), in one set of
# definitions so that a model both read and written is one component.
_MODELS = (
    (Profiel, "serialization"),
    (Contactgegeven, "serialization"),
    (VerificatiecodeVerzonden, "serialization"),
    (ContactgegevenToevoegen, "validation"),
    (ContactgegevenWijzigen, "validation"),
    (_PostadresSchema, "validation"),
    (Delen, "validation"),
    (Voorkeurset, "validation"),
    (VerificatieBevestigen, "validation"),
    (Opvraging, "validation"),
)

# Descriptions for the components, in the API's language (the models' docstrings are written
# for developers).
_DESCRIPTIONS = {
    "Profiel": "Het profiel van een burger of onderneming.",
    "Contactgegeven": "Een e-mailadres of telefoonnummer in het profiel.",
    "ContactgegevenToevoegen": "Een nieuw e-mailadres of telefoonnummer.",
    "ContactgegevenWijzigen": "Alleen de meegestuurde velden veranderen; de soort niet.",
    "Postadres": "Een Nederlands of buitenlands postadres, naar `soort`.",
    "NederlandsPostadres": "Een adres in Nederland; de postcode wordt `1234 AB`.",
    "BuitenlandsPostadres": "Een adres buiten Nederland.",
    "Delen": "Met welke organisaties (OIN's) de contactgegevens gedeeld worden.",
    "Voorkeurset": "Eén niveau van voorkeuren; elk veld is optioneel (niet gekozen).",
    "Voorkeuren": "De standaardvoorkeuren, met niveaus per organisatie en per vestiging.",
    "OrganisatieVoorkeuren": "De voorkeuren voor één organisatie, met die voor haar diensten.",
    "DienstVoorkeuren": "De voorkeuren voor één dienst.",
    "VestigingVoorkeuren": "De voorkeuren van één vestiging van de onderneming.",
    "Kanalen": "Per kanaal: wel (`true`) of niet (`false`) benaderen, of niet gekozen.",
    "Voorkeursadressen": "Per soort: het `id` van het contactgegeven dat gebruikt wordt.",
    "Weergave": "Hoe berichten en schermen de partij aanspreken en tonen.",
    "Correspondentie": "Post digitaal of op papier.",
    "SoortDigitaalAdres": "De soort van een contactgegeven.",
    "VerificatieBevestigen": "De ontvangen code.",
    "VerificatiecodeVerzonden": "Wanneer de code verloopt en vanaf wanneer een nieuwe kan.",
    "Opvraging": "Wie, voor welk doel (en welke dienst). Identificerende nummers alleen hier, "
    "nooit in een URL.",
    "Betrokkene": "Eén partij: een burger (`bsn`) of een onderneming (`kvkNummer`).",
}

# What a model allows but the change refuses: a changed address and the standard flag can be
# left out, but not cleared.
_NOT_NULLABLE = {"ContactgegevenWijzigen": ("adres", "isStandaardAdres")}

_SCHEMA_KEYWORDS_MAP = ("properties",)
_SCHEMA_KEYWORDS_ONE = ("items", "additionalProperties", "not")
_SCHEMA_KEYWORDS_LIST = ("allOf", "anyOf", "oneOf")
_NULL = {"type": "null"}


def _schemas() -> dict[str, Any]:
    _, top = models_json_schema(_MODELS, ref_template=_SCHEMA_REF)
    raw: dict[str, Any] = top["$defs"]
    raw["Postadres"] = raw.pop(_PostadresSchema.__name__)
    union = {k: v for k, v in raw["Postadres"].items() if k not in ("title", "description")}
    raw = _replace(raw, union, _schema_ref("Postadres"))
    raw["Postadres"] = union

    schemas = {name: _schema(schema, raw) for name, schema in sorted(raw.items())}
    for name, description in _DESCRIPTIONS.items():
        if name in schemas:
            schemas[name]["description"] = description
    for name, fields in _NOT_NULLABLE.items():
        for field in fields:
            schemas[name]["properties"][field].pop("nullable", None)

    # The answer shows, per contact detail, whether it counts as verified now.
    contactgegeven = schemas["Contactgegeven"]
    contactgegeven["properties"]["verificatieStatus"] = {
        "type": "string",
        "enum": [status.value for status in VerificatieStatus],
        "readOnly": True,
        "description": "`verouderd`: 18 maanden of langer geleden geverifieerd; bevestig "
        "opnieuw met een nieuwe code.",
    }
    contactgegeven["required"] = [*contactgegeven["required"], "verificatieStatus"]
    contactgegeven["properties"]["verificatieDatum"]["description"] = (
        "De dag (in Nederland) waarop de eigenaar voor het laatst een code naar dit adres "
        "terugvoerde; een nieuw adres wist hem."
    )
    schemas["Profiel"]["example"] = _PROFIEL_EXAMPLE
    schemas["Opvraging"]["example"] = _OPVRAGING_EXAMPLE
    schemas["VoorkeurenWijziging"] = _merge_patch(schemas["Voorkeurset"], raw)
    return dict(sorted((schemas | _HANDWRITTEN).items()))


def _replace(node: Any, old: Any, new: Any) -> Any:
    if node == old:
        return new
    if isinstance(node, dict):
        return {key: _replace(value, old, new) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace(value, old, new) for value in node]
    return node


def _schema(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON Schema (draft 2020-12) as an OpenAPI 3.0 Schema Object."""
    # Titles pydantic makes up from field names ("Isstandaardadres") tell a reader nothing.
    schema = {key: value for key, value in node.items() if key != "title"}
    if "const" in schema:
        schema["enum"] = [schema.pop("const")]
    if "examples" in schema:
        examples = schema.pop("examples")
        if examples:
            schema["example"] = examples[0]
    for key in _SCHEMA_KEYWORDS_MAP:
        if key in schema:
            schema[key] = {name: _schema(value, defs) for name, value in schema[key].items()}
    for key in _SCHEMA_KEYWORDS_ONE:
        if isinstance(schema.get(key), dict):
            schema[key] = _schema(schema[key], defs)
    for key in _SCHEMA_KEYWORDS_LIST:
        if key in schema:
            schema[key] = [_schema(value, defs) for value in schema[key]]
    for key in ("anyOf", "oneOf"):
        members = schema.get(key)
        if members and _NULL in members:
            rest = [member for member in members if member != _NULL]
            del schema[key]
            inner = rest[0] if len(rest) == 1 else {key: rest}
            schema = {**_nullable(inner, defs), **schema}
    # A default of null or of an object of nulls says only "not chosen": left out.
    if schema.get("default", "") is None or isinstance(schema.get("default"), dict):
        del schema["default"]
    if "$ref" in schema and len(schema) > 1:
        # OpenAPI 3.0 ignores whatever stands beside a $ref.
        schema = {"allOf": [{"$ref": schema.pop("$ref")}], **schema}
    return schema


def _nullable(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null, in OpenAPI 3.0 terms: ``nullable`` beside an explicit ``type``."""
    if "$ref" in schema:
        target = defs[schema["$ref"].rsplit("/", 1)[1]]
        if "enum" in target:
            # Inline: 3.0 wants null among the values of a nullable enum.
            return {"type": target["type"], "enum": [*target["enum"], None], "nullable": True}
        return _nullable_ref(schema["$ref"].rsplit("/", 1)[1])
    if "type" not in schema:
        # A union: nullable would widen no type here.
        return {"oneOf": [schema, _schema_ref("Geen")]}
    if "enum" in schema:
        schema = {**schema, "enum": [*schema["enum"], None]}
    return {**schema, "nullable": True}


def _merge_patch(voorkeurset: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The body of PATCH /profiel/voorkeuren: a Voorkeurset in which ``null`` clears a choice."""
    properties = {}
    for name, schema in voorkeurset["properties"].items():
        if schema.get("nullable"):
            properties[name] = schema
        else:
            bare = {k: v for k, v in schema.items() if k not in ("default", "description")}
            properties[name] = {
                **_nullable(bare, defs),
                **{k: v for k, v in schema.items() if k == "description"},
            }
    return {
        "type": "object",
        "additionalProperties": False,
        "description": "JSON Merge Patch (RFC 7396) van de standaardvoorkeuren: objecten "
        "worden samengevoegd, `null` wist een keuze.",
        "properties": properties,
        "example": {"correspondentie": "post", "kanalen": {"sms": False}, "taal": None},
    }


def _nullable_ref(name: str, description: str | None = None) -> dict[str, Any]:
    """A component or null. In 3.0.3 ``nullable`` widens only the ``type`` beside it, so
    ``nullable`` next to ``allOf: [$ref]`` still refuses null in a strict validator: one of the
    component and an explicit null."""
    schema: dict[str, Any] = {"oneOf": [_schema_ref(name), _schema_ref("Geen")]}
    if description:
        schema["description"] = description
    return schema


def _string(description: str, **more: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **more}


_AFWIJKEND = {
    "type": "boolean",
    "description": "Of de voorkeuren of adressen hier afwijken van het niveau erboven.",
}
_TOEGEPAST = {
    "afwijkend": _AFWIJKEND,
    "voorkeuren": {
        "allOf": [_schema_ref("Voorkeurset")],
        "description": "De voorkeuren die hier gelden (zonder `voorkeursadressen`: die staan "
        "als `email` en `telefoonnummer` uitgeschreven).",
    },
    "email": _nullable_ref("Contactgegeven", "Het e-mailadres dat hier gebruikt wordt."),
    "telefoonnummer": _nullable_ref(
        "Contactgegeven", "Het telefoonnummer dat hier gebruikt wordt."
    ),
}
_TOEGEPAST_REQUIRED = ["afwijkend", "voorkeuren", "email", "telefoonnummer"]

_HANDWRITTEN: dict[str, Any] = {
    "Geen": {
        "type": "object",
        "nullable": True,
        "enum": [None],
        "description": "Geen waarde: `null`.",
    },
    "Problem": {
        "type": "object",
        "description": "Probleemdetails (RFC 9457).",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": _string(f"Het soort probleem: `{PROBLEM_TYPE_BASE}<soort>`.", format="uri"),
            "title": _string("Kort, in het Nederlands."),
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": _string("Wat er mis is en wat te doen, in het Nederlands."),
            "invalidParams": {
                "type": "array",
                "description": "Bij ongeldige invoer: elk afgewezen veld.",
                "items": _schema_ref("InvalidParam"),
            },
        },
        "example": {
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
    },
    "InvalidParam": {
        "type": "object",
        "description": "Een afgewezen veld; de reden herhaalt nooit de verstuurde waarde.",
        "required": ["name", "code", "reason"],
        "properties": {
            "name": _string("Het veld zoals verstuurd: een pad met punten in de body."),
            "code": _string("Welke regel."),
            "reason": _string("Waarom, in het Nederlands."),
        },
    },
    "OrganisatieOverzicht": {
        "type": "object",
        "required": ["organisaties"],
        "properties": {
            "organisaties": {"type": "array", "items": _schema_ref("OrganisatieToepassing")}
        },
    },
    "OrganisatieToepassing": {
        "type": "object",
        "description": "Wat voor één organisatie uit het register geldt.",
        "required": ["oin", "naam", *_TOEGEPAST_REQUIRED, "diensten"],
        "properties": {
            "oin": _string("Het OIN van de organisatie."),
            "naam": _string("De naam van de organisatie."),
            **_TOEGEPAST,
            "diensten": {"type": "array", "items": _schema_ref("DienstToepassing")},
        },
    },
    "DienstToepassing": {
        "type": "object",
        "description": "Wat voor één dienst van de organisatie geldt.",
        "required": ["code", "naam", *_TOEGEPAST_REQUIRED],
        "properties": {
            "code": _string("De code van de dienst."),
            "naam": _string("De naam van de dienst."),
            **_TOEGEPAST,
        },
    },
    "Opvragingsresultaten": {
        "type": "object",
        "required": ["resultaten"],
        "properties": {
            "resultaten": {
                "type": "array",
                "description": "Eén per betrokkene, in de gevraagde volgorde.",
                "maxItems": MAXIMUM_BETROKKENEN,
                "items": _schema_ref("Opvragingsresultaat"),
            }
        },
    },
    "Opvragingsresultaat": {
        "type": "object",
        "description": "Niet beschikbaar, of beschikbaar met `gegevens` (of met `bereikbaar` "
        "als om alleen de bereikbaarheid is gevraagd).",
        "required": ["beschikbaar"],
        "properties": {
            "beschikbaar": {"type": "boolean"},
            "gegevens": {
                "type": "object",
                "description": "Precies de velden die het doel toestaat, voor deze "
                "organisatie (en dienst); een adres alleen als het geverifieerd en niet "
                "verouderd is, anders `null`.",
                "additionalProperties": False,
                "properties": {
                    "email": {"type": "string", "nullable": True},
                    "telefoonnummer": {"type": "string", "nullable": True},
                    "kanalen": _schema_ref("Kanalen"),
                    "correspondentie": {
                        "type": "string",
                        "enum": ["digitaal", "post", None],
                        "nullable": True,
                    },
                    "taal": {"type": "string", "nullable": True},
                    "weergave": _schema_ref("Weergave"),
                    "postadres": _nullable_ref("Postadres"),
                },
            },
            "bereikbaar": {
                "type": "object",
                "description": "Per kanaal: mag en kan de organisatie de partij daar bereiken.",
                "required": ["email", "sms", "berichtenbox", "portaal", "post"],
                "properties": {
                    kanaal: {"type": "boolean"}
                    for kanaal in ("email", "sms", "berichtenbox", "portaal", "post")
                },
            },
        },
    },
    "Inzage": {
        "type": "object",
        "required": ["processingActivities", "volgende"],
        "properties": {
            "processingActivities": {
                "type": "array",
                "description": "Nieuwste eerst.",
                "items": _schema_ref("ProcessingActivity"),
            },
            "volgende": _string(
                "Voor de volgende pagina (als `vanaf`); `null`: dit was de laatste.",
                nullable=True,
            ),
        },
    },
    "ProcessingActivity": {
        "type": "object",
        "description": "Eén opvraging, als de `ProcessingActivity` van de leesextensie van "
        "het Logboek Dataverwerkingen, met de organisatie en het doel uit het register.",
        "required": [
            "traceId",
            "spanId",
            "name",
            "status",
            "startTime",
            "endTime",
            "attributes",
            "organisatie",
            "doel",
        ],
        "properties": {
            "traceId": _string("W3C trace-id.", pattern="^[0-9a-f]{32}$"),
            "spanId": _string("W3C span-id.", pattern="^[0-9a-f]{16}$"),
            "parentSpanId": _string(
                "De span van de aanroeper (zijn `traceparent`); ontbreekt als die er geen "
                "meestuurde.",
                pattern="^[0-9a-f]{16}$",
            ),
            "name": _string("De verwerking."),
            "status": {"type": "string", "enum": ["Ok", "Error"]},
            "startTime": {
                "type": "integer",
                "format": "int64",
                "description": "In milliseconden sinds 1970-01-01T00:00:00Z.",
            },
            "endTime": {
                "type": "integer",
                "format": "int64",
                "description": "In milliseconden sinds 1970-01-01T00:00:00Z.",
            },
            "attributes": {
                "type": "object",
                "required": [
                    "dpl.core.processing_activity_id",
                    "dpl.core.data_subject_id",
                    "dpl.core.data_subject_id_type",
                ],
                "properties": {
                    "dpl.core.processing_activity_id": _string(
                        "De verwerkingsactiviteit van het doel."
                    ),
                    "dpl.core.data_subject_id": _string("Het pseudoniem van de betrokkene."),
                    "dpl.core.data_subject_id_type": _string("Wat gepseudonimiseerd is."),
                },
            },
            "organisatie": {
                "type": "object",
                "required": ["oin", "naam"],
                "properties": {
                    "oin": _string("Het OIN.", nullable=True),
                    "naam": _string(
                        "Uit het register; `null` als de organisatie er niet meer in staat.",
                        nullable=True,
                    ),
                },
            },
            "doel": {
                "type": "object",
                "required": ["code", "omschrijving", "grondslag"],
                "properties": {
                    "code": _string("De code van het doel."),
                    "omschrijving": _string("Uit het register.", nullable=True),
                    "grondslag": _string("De wettelijke grondslag.", nullable=True),
                },
            },
        },
    },
    "Historie": {
        "type": "object",
        "required": ["wijzigingen"],
        "properties": {
            "wijzigingen": {
                "type": "array",
                "description": "Nieuwste eerst.",
                "items": _schema_ref("Wijziging"),
            }
        },
    },
    "Wijziging": {
        "type": "object",
        "description": "Eén wijziging van het profiel: welke velden, nooit de waarden.",
        "required": ["tijdstip", "actie", "velden", "door", "versie", "traceId"],
        "properties": {
            "tijdstip": _string("Wanneer.", format="date-time"),
            "actie": {"type": "string", "enum": [actie.value for actie in Actie]},
            "velden": {"type": "array", "items": {"type": "string"}},
            "door": {
                "type": "string",
                "enum": [role.value for role in ActorRole],
                "description": "In welke rol.",
            },
            "versie": {
                "type": "integer",
                "nullable": True,
                "description": "De versie erna; `null` als het profiel is verwijderd.",
            },
            "traceId": _string("De trace van het verzoek.", nullable=True),
        },
    },
}

_PROFIEL_EXAMPLE = {
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
    # A foreign address: the ADR linter takes any key with "post" in it below the paths (here
    # a Dutch address's "postcode") for an operation that must answer 400.
    "postadres": {
        "soort": "buitenlands",
        "adresregel1": "Rue de la Loi 16",
        "adresregel2": "1000 Bruxelles",
        "adresregel3": None,
        "land": "BE",
    },
    "voorkeuren": {"correspondentie": "digitaal"},
}

_OPVRAGING_EXAMPLE = {
    "doel": "notificatie",
    "dienst": "parkeren",
    "alleenBereikbaarheid": False,
    "betrokkenen": [{"bsn": "999993653"}, {"kvkNummer": "69599084"}],
}
