"""get-profile over HTTP: the owner reads the profile, or one contact detail of it.

It also serves the API's OpenAPI document, the one route without a token: the NL API Design
Rules want it readable by anyone, from any origin.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aws_lambda_powertools.event_handler import Response

from functions.get_profile import core
from functions.registry import function
from shared.http.api import FunctionApi, json_response
from shared.http.openapi import OPENAPI_MEDIA_TYPE, openapi_json
from shared.http.path import uuid_parameter
from shared.http.profiel import contactgegeven_response, contactgegeven_view, etag, profiel_response
from shared.identity.access import PartijCaller
from shared.store.profielen import ProfielRepository
from shared.store.register import OrganisatieRegister

api = FunctionApi(function("get-profile"))
profielen = ProfielRepository()
register = OrganisatieRegister()


@api.route("GET /profiel")
def read_profiel(caller: PartijCaller) -> Response:
    stored = profielen.get(caller.partij)
    return profiel_response(stored.profiel, stored.version)


@api.route("GET /profiel/organisaties")
def read_per_organisatie(caller: PartijCaller) -> Response:
    """Per organisation of the register: which channel and address it will use."""
    stored = profielen.get(caller.partij)
    now = datetime.now(UTC)
    body = core.per_organisatie(
        stored.profiel,
        register.all(),
        lambda c: contactgegeven_view(c, now),
        caller.vestigingsnummer,
    )
    return json_response(200, {"organisaties": body}, {"ETag": etag(stored.version)})


@api.route("GET /profiel/contactgegevens/{contactgegevenId}")
def read_contactgegeven(caller: PartijCaller, contactgegevenId: str) -> Response:
    contactgegeven_id = uuid_parameter("contactgegevenId", contactgegevenId)
    stored = profielen.get(caller.partij)
    found = stored.profiel.eigen_contactgegeven(contactgegeven_id)
    return contactgegeven_response(found, stored.version)


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
