"""The document: one operation per route of the registry, as its ``Operation`` says, with the
parameters, headers, problems and security schemes the operations share. Paths are relative to
the one server URL, the base path, as the registry's routes are."""

import json
import re
from typing import Any

from functions.access_log.core import DEFAULT_PAGE, MAXIMUM_PAGE
from functions.openapi.schemas import ref, schemas
from functions.registry import BASE_PATH, FUNCTIONS
from shared.http.entrypoints import API_VERSION
from shared.http.profiel import ETAG_PATTERN, IF_MATCH_PATTERN
from shared.http.routes import Operation, Toegang
from shared.models.values import OIN_PATTERN, POSTCODE_PATTERN, UUID_PATTERN
from shared.models.voorkeuren import CODE_PATTERN
from shared.problems import PROBLEM_CONTENT_TYPE

# The security scheme of each kind of caller (None: no token), and what every operation of a
# scheme can answer: no or a bad token (401), a token that may not do this (403), an error of
# ours (500), the store or the identity provider's keys out of reach (503).
_SECURITY = {Toegang.PARTIJ: "burger", Toegang.ORGANISATIE: "organisatie", Toegang.IEDEREEN: None}
_SCHEME_ERRORS = {401, 403, 500, 503}


def document_text() -> str:
    """The document as the committed file holds it, and as it is served."""
    return json.dumps(document(), ensure_ascii=False, indent=2) + "\n"


def document() -> dict[str, Any]:
    """The OpenAPI 3.0.3 document of every operation of every function."""
    paths: dict[str, dict[str, Any]] = {}
    tags: dict[str, str] = {}
    for function in FUNCTIONS:
        for route in function.routes:
            if route.contract is not None:  # described by that contract's own document
                continue
            if route.operation is None:
                raise LookupError(f"{route.key} has no operation in functions/registry.py")
            tag, tags[tag] = route.operation.tag or function.tag
            item = paths.setdefault(route.path, {})
            names = re.findall(r"\{(\w+)\}", route.path)
            if names:  # path parameters belong to the path, the same for each of its operations
                item["parameters"] = [ref(n[0].upper() + n[1:], "parameters") for n in names]
            security = _SECURITY[route.toegang]
            item[route.method.lower()] = _operation(route.operation, tag, security, bool(names))
    problems = {
        name: _response(text, headers, ref("Problem"), PROBLEM_CONTENT_TYPE)
        for name, text, *headers in _PROBLEMS.values()
    }
    result = {
        "openapi": "3.0.3",
        "info": _INFO,
        "servers": [{"url": BASE_PATH, "description": "Het basispad van deze versie."}],
        "security": [{"burger": []}],
        "tags": [{"name": name, "description": text} for name, text in tags.items()],
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "responses": problems,
            "parameters": _PARAMETERS,
            "headers": {name: {"description": d, "schema": s} for name, d, s in _HEADERS.values()},
            "securitySchemes": _SECURITY_SCHEMES,
        },
    }
    # Leave out the schemas nothing refers to (a nullable enum is written out in place).
    used = result["components"]["schemas"]
    while unused := {n for n in used if f'"{ref(n)["$ref"]}"' not in json.dumps(result)}:
        used = result["components"]["schemas"] = {k: v for k, v in used.items() if k not in unused}
    return result


def _response(text: str, headers: Any, schema: Any, media_type: str) -> dict[str, Any]:
    names = ("API-Version", *headers)
    answer = {"description": text, "headers": {n: ref(_HEADERS[n][0], "headers") for n in names}}
    return answer | ({"content": {media_type: {"schema": schema}}} if schema else {})


def _operation(operation: Operation, tag: str, security: str | None, path_parameters: bool) -> dict:
    errors = set(operation.errors) | (_SCHEME_ERRORS if security else set())
    # A path parameter's value with a slash (even encoded) is another path: no such resource
    # (404), or another resource that does not take this method (405).
    errors |= {404, 405} if path_parameters else set()
    body = ref(operation.body) if operation.body else None
    success = _response(operation.answer, operation.headers, body, operation.media_type)
    result: dict[str, Any] = {
        "tags": [tag],
        "operationId": operation.operation_id,
        "summary": operation.summary,
        "description": operation.description,
    }
    if operation.parameters:
        result["parameters"] = [ref(name, "parameters") for name in operation.parameters]
    if operation.request:
        content = {media: {"schema": ref(operation.request)} for media in operation.request_types}
        result["requestBody"] = {"required": True, "content": content}
    responses = {str(operation.status): success} | {
        str(status): ref(_PROBLEMS[status][0], "responses") for status in sorted(errors)
    }
    return result | {"responses": responses, "security": [{security: []}] if security else []}


_INFO = {
    "title": "Profiel Service API",
    "description": "Eén plek waar burgers (DigiD) en ondernemers (eHerkenning) hun contactgegevens "
    "en communicatievoorkeuren beheren, en waar organisaties die opvragen voor een doel waarvoor "
    "zij een toekenning hebben. Het profiel is altijd dat van het token: er staat nooit een BSN "
    "of KVK-nummer in een URL. Fouten zijn `application/problem+json` (RFC 9457); elk antwoord "
    "heeft de header `API-Version`.",
    # Example names until the service's own mailbox and site exist: nobody mails a stranger.
    "contact": {
        "name": "Beheer Profiel Service",
        "url": "https://profiel.example.nl",
        "email": "beheer@profiel.example.nl",
    },
    "license": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
    "version": API_VERSION,
}

_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
_ID = "2d9f4401-bea2-4f28-ac4a-485727e2d80f"
_STRING: dict[str, Any] = {"type": "string"}

# Per header of an answer: its component, description and schema.
_HEADERS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "API-Version": (
        "ApiVersion",
        "De volledige versie van de API (Semantic Versioning), in elk antwoord.",
        {**_STRING, "example": API_VERSION},
    ),
    "ETag": (
        "ETag",
        'De versie van het profiel; `"0"` voor een profiel dat nooit is opgeslagen. '
        "Stuur hem mee als `If-Match` bij een wijziging.",
        {**_STRING, "pattern": ETAG_PATTERN, "example": '"3"'},
    ),
    "Location": (
        "Location",
        "Het nieuwe contactgegeven.",
        {
            **_STRING,
            "format": "uri-reference",
            "example": f"{BASE_PATH}/profiel/contactgegevens/{_ID}",
        },
    ),
    # The one it answers with: version 00, the trace, its own span, sampled.
    "traceparent": (
        "Traceparent",
        "W3C Trace Context: de trace waarin de opvraging is vastgelegd "
        "(die van de aanroeper als die een geldige `traceparent` meestuurde, anders "
        "een nieuwe).",
        {**_STRING, "pattern": r"^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", "example": _TRACEPARENT},
    ),
    "access-control-allow-origin": (
        "AccessControlAllowOrigin",
        "Elke origin mag dit document lezen.",
        {**_STRING, "enum": ["*"]},
    ),
    "Retry-After": (
        "RetryAfter",
        "Na hoeveel seconden het opnieuw kan.",
        {"type": "integer", "minimum": 1, "example": 60},
    ),
    "WWW-Authenticate": (
        "WwwAuthenticate",
        'Bearer, met `error="invalid_token"` als er een token was.',
        {**_STRING, "example": 'Bearer realm="profielservice"'},
    ),
    "Allow": ("Allow", "De methoden die dit pad wel kent.", {**_STRING, "example": "GET"}),
    "Content-Disposition": (
        "ContentDisposition",
        "Een bestand om te bewaren.",
        {**_STRING, "example": 'attachment; filename="profiel-export.json"'},
    ),
}


def _parameter(name: str, where: str, text: str, required: bool = False, **schema: Any) -> dict:
    return {
        "name": name,
        "in": where,
        "required": required or where == "path",
        "description": text,
        "schema": _STRING | schema,
    }


_PARAMETERS: dict[str, Any] = {
    "ContactgegevenId": _parameter(
        "contactgegevenId",
        "path",
        "Het `id` van een contactgegeven in het eigen profiel: een "
        "UUID, geschreven als 8-4-4-4-12 hexadecimale cijfers. Een andere vorm: 400.",
        format="uuid",
        pattern=UUID_PATTERN,
    ),
    "Oin": _parameter(
        "oin",
        "path",
        "Het OIN van een organisatie (20 cijfers). Een andere vorm: 400.",
        pattern=OIN_PATTERN,
        example="00000099000000000001",
    ),
    "Dienst": _parameter(
        "dienst",
        "path",
        "De code van een dienst van die organisatie in het register: kleine "
        "letters, cijfers en streepjes, hoogstens 40 tekens. Een andere vorm: 400.",
        pattern=CODE_PATTERN,
        example="parkeren",
    ),
    "IfMatch": _parameter(
        "If-Match",
        "header",
        "De `ETag` van de versie waarop de wijziging is gebaseerd, met de "
        'aanhalingstekens: `"3"`. Ook een lijst van ETags (RFC 9110: `"2", "3"`), of `*`: elke '
        "opgeslagen versie. Zonder, of leeg: 428; iets anders dan `*` of een ETag-lijst "
        "(bijvoorbeeld `3` zonder aanhalingstekens): 400; geen actuele versie (ook een zwakke "
        '`W/"3"`): 412.',
        required=True,
        pattern=IF_MATCH_PATTERN,
        example='"3"',
    ),
    "Traceparent": _parameter(
        "traceparent",
        "header",
        "W3C Trace Context (`00-<trace-id>-<parent-id>-<trace-flags>`, "
        "hexadecimaal in kleine letters); de trace wordt bij de wijziging of opvraging "
        "vastgelegd. Zonder, of met een ongeldige waarde, begint een nieuwe trace: zoals Trace "
        "Context voorschrijft wordt een ongeldige `traceparent` genegeerd, nooit geweigerd.",
        example=_TRACEPARENT,
    ),
    "FscAuthorization": _parameter(
        "Fsc-Authorization",
        "header",
        "Achter een FSC-inway: het token dat de organisatie "
        "identificeert (zijn `sub`, een OIN). Zonder deze header is dat het access token zelf.",
    ),
    "Limiet": _parameter(
        "limiet",
        "query",
        "Hoeveel opvragingen per pagina.",
        type="integer",
        minimum=1,
        maximum=MAXIMUM_PAGE,
        default=DEFAULT_PAGE,
    ),
    "Vanaf": _parameter(
        "vanaf", "query", "De `volgende` van de vorige pagina.", pattern=r"^[0-9]{13}-[0-9a-f]{16}$"
    ),
    "Postcode": _parameter(
        "postcode",
        "query",
        "De postcode: `1234AB` of `1234 AB`.",
        required=True,
        pattern=POSTCODE_PATTERN,
    ),
    "Huisnummer": _parameter(
        "huisnummer",
        "query",
        "Het huisnummer.",
        required=True,
        type="integer",
        minimum=1,
        maximum=99999,
    ),
    "Huisletter": _parameter("huisletter", "query", "De huisletter.", pattern=r"^[A-Za-z]$"),
    "Huisnummertoevoeging": _parameter(
        "huisnummertoevoeging", "query", "De toevoeging.", pattern=r"^[A-Za-z0-9]{1,4}$"
    ),
}

_SECURITY_SCHEMES: dict[str, Any] = {
    scheme: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": text}
    for scheme, text in {
        "burger": "Het access token van de ingelogde burger (DigiD) of van de vertegenwoordiger "
        "van een onderneming (eHerkenning), van een vertrouwde uitgever en op minimaal het "
        "ingestelde betrouwbaarheidsniveau (standaard substantieel).",
        "organisatie": "Een OAuth 2.0 client-credentials access token van de organisatie, met de "
        "scope `profielservice.opvragen`; de organisatie is de `sub` (een OIN), of achter een "
        "FSC-inway de `sub` van het token in de header `Fsc-Authorization`. Het token van een "
        "persoon wordt hier geweigerd (403), en dat van een organisatie bij elke andere operatie.",
    }.items()
}

# Per status: the name in components.responses, its description, its headers besides API-Version.
_PROBLEMS: dict[int, tuple[str, ...]] = {
    400: (
        "OngeldigeInvoer",
        "Ongeldige invoer (`ongeldige-invoer`): `invalidParams` noemt elk "
        "veld, padparameter of `If-Match` dat niet klopt; of een verkeerde verificatiecode "
        "(`verificatiecode-onjuist`).",
    ),
    401: (
        "NietGeauthenticeerd",
        "Geen token, of geen geldig token (`niet-geauthenticeerd`).",
        "WWW-Authenticate",
    ),
    403: (
        "GeenToegang",
        "Een geldig token dat dit niet mag (`geen-toegang`): te laag niveau, geen "
        "burger of onderneming, het verkeerde soort token, een ontbrekende scope of een doel "
        "zonder toekenning.",
    ),
    404: (
        "NietGevonden",
        "Niet gevonden (`niet-gevonden`): geen contactgegeven of postadres in "
        "het eigen profiel, of geen organisatie of dienst in het register.",
    ),
    409: (
        "Conflict",
        "In strijd met het profiel (`conflict`): het adres staat er al, de soort is "
        "vol, of te veel organisaties, diensten of vestigingen; of de verificatiecode is "
        "geblokkeerd (`verificatiecode-geblokkeerd`), loopt niet (`verificatiecode-ongeldig`) of "
        "werd tegelijk nog eens geprobeerd (`gelijktijdige-pogingen`).",
    ),
    412: (
        "VersieVerouderd",
        "`If-Match` is niet de actuele versie van het profiel (`versie-verouderd`).",
    ),
    413: ("TeGroot", "De aanvraag is te groot (`te-groot`)."),
    405: (
        "MethodeNietToegestaan",
        "Dit pad bestaat, maar niet met deze methode "
        "(`methode-niet-toegestaan`); `Allow` noemt de methoden.",
        "Allow",
    ),
    415: ("Mediatype", "De aanvraag is niet als JSON verstuurd (`mediatype`)."),
    428: ("IfMatchOntbreekt", "Een wijziging zonder `If-Match` (`if-match-ontbreekt`)."),
    429: (
        "TeVeelVerzoeken",
        "Te veel verificatiecodes (`te-veel-verzoeken`); `Retry-After` zegt wanneer het weer kan.",
        "Retry-After",
    ),
    500: ("Serverfout", "Een onverwachte fout (`serverfout`)."),
    503: (
        "NietBeschikbaar",
        "Een onmisbare dienst is even niet bereikbaar (`niet-beschikbaar`): "
        "de opslag, de sleutels van de inlogdienst, NotifyNL of het Logboek Dataverwerkingen. "
        "Er is niets gewijzigd of verstrekt.",
        "Retry-After",
    ),
}
