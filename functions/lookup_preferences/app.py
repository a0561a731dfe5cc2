"""lookup-preferences over HTTP: ``POST /opvragingen``, single or bulk, for a registered purpose.

Steps: the organisation's token (and FSC header), the purpose it has a grant for (403 without),
one batch read of all profiles, the answers from the pure core, one LDV record per data subject
written in batches - and only then the answer. If the log cannot be written: 503, nothing told.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from aws_lambda_powertools.event_handler import Response

from functions.lookup_preferences import core
from functions.registry import function
from shared.http.api import FunctionApi, json_response, parse_body
from shared.identity.access import OrganisatieCaller, partij_key_for
from shared.models.ldv import Verwerking
from shared.models.partij import ldv_id_type
from shared.problems import InvalidParam, forbidden, invalid_input, service_unavailable
from shared.store.logboek import Logboek, LogboekUnavailable
from shared.store.profielen import ProfielRepository
from shared.store.register import OrganisatieRegister
from shared.tracing import new_span_id, trace_context

api = FunctionApi(function("lookup-preferences"))
profielen = ProfielRepository()
register = OrganisatieRegister()
logboek = Logboek()

# The LDV name of the processing action, the same for every purpose.
VERWERKING = "opvragen contactvoorkeuren"


@api.route("POST /opvragingen")
def look_up(caller: OrganisatieCaller) -> Response:
    start_time = _now_ms()
    oin = caller.oin
    request = parse_body(api.current_event, core.Opvraging)
    organisatie = register.get(oin)
    doel = organisatie.doel(request.doel) if organisatie else None
    if doel is None:
        raise forbidden("Uw organisatie heeft geen toekenning voor dit doel.")
    if request.dienst is not None and organisatie.dienst(request.dienst) is None:
        raise invalid_input([InvalidParam("dienst", "onbekend", "geen dienst van uw organisatie")])

    keys = [partij_key_for(*betrokkene.identificator) for betrokkene in request.betrokkenen]
    found = profielen.get_many(keys)
    now = datetime.now(UTC)
    answers = [
        core.answer(found.get(key), oin, doel, request.dienst, request.alleen_bereikbaarheid, now)
        for key in keys
    ]

    trace = trace_context(api.current_event.headers)
    end_time = _now_ms()
    kinds = {
        key: betrokkene.identificator[0]
        for key, betrokkene in zip(keys, request.betrokkenen, strict=True)
    }
    try:
        logboek.write(
            Verwerking(
                trace_id=trace.trace_id,
                span_id=new_span_id(),
                parent_span_id=trace.parent_span_id,
                name=VERWERKING,
                status="Ok",
                start_time=start_time,
                end_time=end_time,
                processing_activity_id=str(doel.verwerkingsactiviteit),
                data_subject_id=key,
                data_subject_id_type=ldv_id_type(kind),
                oin=oin,
                doel=doel.code,
            )
            for key, kind in kinds.items()  # one record per data subject, asked once or more
        )
    except LogboekUnavailable:
        raise service_unavailable(
            "Het Logboek Dataverwerkingen is even niet bereikbaar; zonder vastlegging worden "
            "geen gegevens verstrekt. Probeer het zo opnieuw."
        ) from None
    return json_response(200, {"resultaten": answers}, {"traceparent": trace.traceparent})


def _now_ms() -> int:
    return time.time_ns() // 1_000_000
