"""lookup-preferences over HTTP: ``POST /opvragingen``, single or bulk, for a registered purpose.

The adapter of the use case every organisation's read shares (``shared.opvragen.Opvragen``): the organisation's token (and FSC header),
the body, the caller's trace; the answer carries the trace on.
"""

from __future__ import annotations

from datetime import UTC, datetime

from functions.lookup_preferences import core
from functions.registry import function
from shared.http.api import FunctionApi, Response, json_response, parse_body
from shared.identity.access import OrganisatieCaller, partij_keys_for
from shared.opvragen import Opvragen
from shared.registers import bronregisters
from shared.store.logboek import Logboek
from shared.store.profielen import ProfielRepository
from shared.store.register import OrganisatieRegister
from shared.tracing import trace_context

api = FunctionApi(function("lookup-preferences"))
opvragen = Opvragen(
    ProfielRepository(),
    OrganisatieRegister(),
    Logboek(),
    bronregisters(),
    clock=lambda: datetime.now(UTC),
    partij_keys=partij_keys_for,
)


@api.route("POST /opvragingen")
def look_up(caller: OrganisatieCaller) -> Response:
    request = parse_body(api.current_event, core.Opvraging)
    trace = trace_context(api.current_event.headers)
    opgevraagd = opvragen(caller.oin, request.vraag, trace)
    answers = core.answers(opgevraagd, request.dienst, request.alleen_bereikbaarheid)
    return json_response(200, {"resultaten": answers}, {"traceparent": trace.traceparent})
