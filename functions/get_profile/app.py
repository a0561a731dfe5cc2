"""get-profile over HTTP: the owner reads the profile, or one contact detail of it."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response

from functions.get_profile import core
from functions.registry import function
from shared.http.api import FunctionApi
from shared.http.path import uuid_parameter
from shared.http.profiel import contactgegeven_response, profiel_response
from shared.identity import authenticate, partij_key
from shared.store.profielen import ProfielRepository

api = FunctionApi(function("get-profile"))
profielen = ProfielRepository()


@api.route("GET /profiel")
def read_profiel() -> Response:
    subject = authenticate(api.current_event.headers)
    stored = profielen.get(partij_key(subject))
    return profiel_response(stored.profiel, stored.version)


@api.route("GET /profiel/contactgegevens/{contactgegevenId}")
def read_contactgegeven(contactgegevenId: str) -> Response:  # noqa: N803 - the API's name
    subject = authenticate(api.current_event.headers)
    contactgegeven_id = uuid_parameter(contactgegevenId)
    stored = profielen.get(partij_key(subject))
    found = core.contactgegeven(stored.profiel, contactgegeven_id)
    return contactgegeven_response(found, stored.version)
