"""verify-contact over HTTP: send a code to one's own contact detail, and enter it back.

Starting needs no ``If-Match``: it changes nothing in the profile. Confirming does change the
profile (the verification time), but it is bound to the address the code went to, not to a
version the client read, so a parallel change of something else does not make it fail.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aws_lambda_powertools.event_handler import Response

from functions.registry import function
from functions.verify_contact import core
from shared.http.api import FunctionApi, json_response, parse_body
from shared.http.path import uuid_parameter
from shared.http.profiel import change_of_request, contactgegeven_response
from shared.identity.access import PartijCaller
from shared.models.verificatie import VerificatieBevestigen
from shared.problems import Problem
from shared.store.profielen import ProfielRepository, VersionConflict
from shared.verification import check_code, send_verification_code

api = FunctionApi(function("verify-contact"))
profielen = ProfielRepository()

_SAVE_ATTEMPTS = 3


@api.route("POST /profiel/contactgegevens/{contactgegevenId}/verificatiecode")
def send_code(caller: PartijCaller, contactgegevenId: str) -> Response:
    contactgegeven_id = uuid_parameter("contactgegevenId", contactgegevenId)
    key = caller.partij
    contactgegeven = core.own_contactgegeven(profielen.get(key).profiel, contactgegeven_id)
    now = datetime.now(UTC)
    sent = send_verification_code(key, contactgegeven, now)
    return json_response(202, core.code_sent(contactgegeven, sent, now))


@api.route("POST /profiel/contactgegevens/{contactgegevenId}/verificatie")
def confirm(caller: PartijCaller, contactgegevenId: str) -> Response:
    contactgegeven_id = uuid_parameter("contactgegevenId", contactgegevenId)
    request = parse_body(api.current_event, VerificatieBevestigen)
    key = caller.partij
    stored = profielen.get(key)
    contactgegeven = core.own_contactgegeven(stored.profiel, contactgegeven_id)
    now = datetime.now(UTC)
    core.require_right_code(check_code(key, contactgegeven, request.code, now))

    change = change_of_request(caller, api.current_event.headers, now)
    for _ in range(_SAVE_ATTEMPTS):
        profiel = core.verified(stored.profiel, contactgegeven, now)
        try:
            version = profielen.save(key, profiel, stored.version, change)
        except VersionConflict:
            stored = profielen.get(key)
            continue
        return contactgegeven_response(profiel.contactgegeven(contactgegeven_id), version)
    raise Problem(
        409,
        "Profiel wordt gewijzigd",
        "Het profiel werd tegelijk gewijzigd. De code is gebruikt; vraag een nieuwe aan.",
        "conflict",
    )
