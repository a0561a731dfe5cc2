"""get-profile over HTTP: the owner reads the profile, or one contact detail of it.

It also serves the API's OpenAPI document, the one route without a token: the NL API Design
Rules want it readable by anyone, from any origin.
"""

from __future__ import annotations

from datetime import UTC, datetime

from functions.get_profile.usecases import ProfielExporteren, ProfielLezen
from functions.registry import function
from shared.http.api import FunctionApi, Response, json_response
from shared.http.openapi import OPENAPI_MEDIA_TYPE, openapi_json
from shared.http.path import adres_vraag, uuid_parameter
from shared.http.profiel import contactgegeven_response, contactgegeven_view, etag, profiel_response
from shared.identity.access import PartijCaller
from shared.registers import bronregisters
from shared.store.audit import AuditTrail
from shared.store.contactmomenten import ContactmomentRepository
from shared.store.logboek import Logboek
from shared.store.profielen import ProfielRepository
from shared.store.register import OrganisatieRegister
from shared.tracing import trace_context

api = FunctionApi(function("get-profile"))
lezen = ProfielLezen(
    ProfielRepository(), OrganisatieRegister(), bronregisters(), clock=lambda: datetime.now(UTC)
)
exporteren = ProfielExporteren(
    lezen, AuditTrail(), Logboek(), Logboek(), contactmomenten=ContactmomentRepository()
)


@api.route("GET /profiel")
def read_profiel(caller: PartijCaller) -> Response:
    stored, registratie = lezen.profiel(caller, trace_context(api.current_event.headers))
    return profiel_response(stored.profiel, stored.version, registratie)


@api.route("GET /profiel/export")
def export_profiel(caller: PartijCaller) -> Response:
    from shared.models.antwoorden import EXPORT_FORMAAT, Export, GetoondProfiel

    export = exporteren(caller, trace_context(api.current_event.headers))
    body = Export.model_validate(
        {
            "formaat": EXPORT_FORMAAT,
            "aangemaakt": export.aangemaakt.isoformat(),
            "versie": export.stored.version,
            "profiel": GetoondProfiel.van(
                export.stored.profiel, export.registratie, export.aangemaakt
            ),
            "historie": export.historie,
            "inzage": export.inzage,
            "contactmomenten": export.contactmomenten,
        }
    )
    # A file for the person to keep: a portal offers it as a download.
    headers = {"Content-Disposition": 'attachment; filename="profiel-export.json"'}
    return json_response(200, body.model_dump(mode="json", by_alias=True), headers)


@api.route("GET /adressen")
def complete_adres(caller: PartijCaller) -> Response:
    # Postcode and huisnummer in the query, as forms and the BAG itself have them: an address,
    # not a person. The gateway and the service log the route, never the query.
    from shared.models.antwoorden import Adressuggesties, BagAdresAntwoord

    vraag = adres_vraag(api.current_event.query_string_parameters or {})
    gevonden = lezen.adressen(caller, vraag, trace_context(api.current_event.headers))
    body = Adressuggesties(adressen=tuple(BagAdresAntwoord.van(a) for a in gevonden))
    return json_response(200, body.model_dump(mode="json", by_alias=True))


@api.route("GET /profiel/organisaties")
def read_per_organisatie(caller: PartijCaller) -> Response:
    body, version = lezen.per_organisatie(caller, contactgegeven_view)
    return json_response(200, {"organisaties": body}, {"ETag": etag(version)})


@api.route("GET /profiel/contactgegevens/{contactgegevenId}")
def read_contactgegeven(caller: PartijCaller, contactgegevenId: str) -> Response:
    contactgegeven_id = uuid_parameter("contactgegevenId", contactgegevenId)
    return contactgegeven_response(*lezen.contactgegeven(caller, contactgegeven_id))


@api.route("GET /openapi.json")
def read_openapi() -> Response:
    # Anyone may call it (the registry says so): documentation tools (Swagger UI, the ADR
    # linter) fetch it without a token, from other origins. It holds no personal data: the
    # committed file (`make openapi`), read once per process.
    return Response(
        status_code=200,
        content_type=OPENAPI_MEDIA_TYPE,
        body=openapi_json(),
        headers={"Access-Control-Allow-Origin": "*"},
    )
