"""report-delivery over HTTP: ``POST /onbestelbaar`` for organisations, and
``POST /notifynl/afleverberichten`` for NotifyNL's delivery receipts.

The adapters of the use cases (``usecases``). An organisation's report is answered 202 without a
body whatever came of it: the answer tells nothing about the partij or its addresses. NotifyNL's
receipt comes without a person's or an organisation's token (the registry lets anyone reach the
route); it is taken only with the bearer token NotifyNL's callback is configured with
(``PROFIEL_NOTIFY_CALLBACK_TOKEN``), and answered 204 - also for a reference that is not ours, so
that NotifyNL does not retry what can never be used.
"""

from __future__ import annotations

from datetime import UTC, datetime

from functions.registry import function
from functions.report_delivery import core
from functions.report_delivery.usecases import AfleverberichtVerwerken, OnbestelbaarMelden
from shared.config import get_notify_settings
from shared.http.api import FunctionApi, Response, parse_body
from shared.identity.access import OrganisatieCaller, bearer_token, partij_keys_for
from shared.identity.referentie import referentie, uit_referentie
from shared.logs import logger
from shared.notify import NotifyBerichten
from shared.problems import unauthorized
from shared.store.logboek import Logboek
from shared.store.profielen import ProfielRepository
from shared.store.register import OrganisatieRegister
from shared.tracing import trace_context

api = FunctionApi(function("report-delivery"))
_profielen, _berichten = ProfielRepository(), NotifyBerichten()


def _verhuizen(previous: str, current: str) -> None:
    from shared.store.rotation import move_on_access  # the store's mover, only during a rotation

    move_on_access(previous, current)


melden = OnbestelbaarMelden(
    _profielen,
    _berichten,
    lambda: datetime.now(UTC),
    referentie,
    register=OrganisatieRegister(),
    logboek=Logboek(),
    partij_keys=partij_keys_for,
    verhuizen=_verhuizen,
)
verwerken = AfleverberichtVerwerken(
    _profielen, _berichten, lambda: datetime.now(UTC), referentie, uit_referentie=uit_referentie
)


@api.route("POST /onbestelbaar")
def report(caller: OrganisatieCaller) -> Response:
    request = parse_body(api.current_event, core.Onbestelbaarmelding)
    trace = trace_context(api.current_event.headers)
    melden(caller, request, trace)
    return Response(status_code=202, headers={"traceparent": trace.traceparent})


@api.route("POST /notifynl/afleverberichten")
def receipt() -> Response:
    headers = api.current_event.headers
    configured = get_notify_settings().callback_token
    if not core.token_klopt(
        bearer_token(headers), configured.get_secret_value() if configured else None
    ):
        if configured is None:
            logger.warning("a delivery receipt came, but no PROFIEL_NOTIFY_CALLBACK_TOKEN is set")
        raise unauthorized("Dit is niet het token van de NotifyNL-callback.")
    bericht = parse_body(api.current_event, core.Afleverbericht)
    marked = verwerken(bericht, trace_context(headers))
    # Never the recipient: the notification's id is NotifyNL's, and enough to find it there.
    logger.info(
        "delivery receipt",
        extra={"notify_status": bericht.status, "notify_id": str(bericht.id), "marked": marked},
    )
    return Response(status_code=204)
