"""verify-contact over HTTP: send a code to one's own contact detail, and enter it back.

Starting needs no ``If-Match``: it changes nothing in the profile. Confirming does change the
profile (the verification time), but it is bound to the address the code went to, not to a
version the client read, so a parallel change of something else does not make it fail.
"""

from __future__ import annotations

from datetime import UTC, datetime

from functions.registry import function
from functions.verify_contact.usecases import CodeBevestigen, CodeVersturen
from shared.http.api import FunctionApi, Response, json_response, parse_body
from shared.http.path import uuid_parameter
from shared.http.profiel import contactgegeven_response
from shared.identity.access import PartijCaller
from shared.models.verificatie import VerificatieBevestigen
from shared.registers import bronregisters
from shared.store.profielen import ProfielRepository
from shared.tracing import trace_context
from shared.verification import VerificatieCodes

api = FunctionApi(function("verify-contact"))
_profielen, _codes, _bronnen = ProfielRepository(), VerificatieCodes(), bronregisters()
versturen = CodeVersturen(_profielen, _codes, _bronnen, clock=lambda: datetime.now(UTC))
bevestigen = CodeBevestigen(_profielen, _codes, _bronnen, clock=lambda: datetime.now(UTC))


@api.route("POST /profiel/contactgegevens/{contactgegevenId}/verificatiecode")
def send_code(caller: PartijCaller, contactgegevenId: str) -> Response:
    contactgegeven_id = uuid_parameter("contactgegevenId", contactgegevenId)
    trace = trace_context(api.current_event.headers)
    return json_response(202, versturen(caller, trace, contactgegeven_id))


@api.route("POST /profiel/contactgegevens/{contactgegevenId}/verificatie")
def confirm(caller: PartijCaller, contactgegevenId: str) -> Response:
    contactgegeven_id = uuid_parameter("contactgegevenId", contactgegevenId)
    request = parse_body(api.current_event, VerificatieBevestigen)
    trace = trace_context(api.current_event.headers)
    contactgegeven, version = bevestigen(caller, trace, contactgegeven_id, request.code)
    return contactgegeven_response(contactgegeven, version)
