"""read-access-log over HTTP: ``GET /profiel/inzage``, newest first, in pages; the history of
the profile's changes; the contact moments organisations recorded
(``GET /profiel/contactmomenten``).

``limiet`` (1-100, default 20) sets the page size; ``vanaf`` is the opaque ``volgende`` of the
previous page (a position in time, not an identifier).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from functions.access_log import core
from functions.access_log.usecases import ContactmomentenLezen, HistorieLezen, InzageLezen
from functions.registry import function
from shared.http.api import FunctionApi, Response, json_response
from shared.identity.access import PartijCaller
from shared.problems import InvalidParam, invalid_input
from shared.store.audit import AuditTrail
from shared.store.contactmomenten import ContactmomentRepository
from shared.store.logboek import Logboek
from shared.store.register import OrganisatieRegister

api = FunctionApi(function("read-access-log"))
historie = HistorieLezen(AuditTrail())
_register = OrganisatieRegister()
inzage = InzageLezen(Logboek(), _register)
contactmomenten = ContactmomentenLezen(
    ContactmomentRepository(), _register, clock=lambda: datetime.now(UTC)
)

_POSITION = re.compile(r"[0-9]{13}-[0-9a-f]{16}")


@api.route("GET /profiel/historie")
def read_history(caller: PartijCaller) -> Response:
    return json_response(200, {"wijzigingen": historie(caller)})


@api.route("GET /profiel/contactmomenten")
def read_contact_moments(caller: PartijCaller) -> Response:
    return json_response(200, {"contactmomenten": contactmomenten(caller)})


@api.route("GET /profiel/inzage")
def read_access_log(caller: PartijCaller) -> Response:
    query = api.current_event.query_string_parameters or {}
    limit = _limit(query.get("limiet"))
    before = query.get("vanaf")
    if before is not None and not _POSITION.fullmatch(before):
        raise invalid_input(
            [InvalidParam("vanaf", "ongeldig", "gebruik 'volgende' van een pagina")]
        )
    return json_response(200, inzage(caller, limit, before))


def _limit(value: str | None) -> int:
    if value is None:
        return core.DEFAULT_PAGE
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= core.MAXIMUM_PAGE:
        raise invalid_input(
            [InvalidParam("limiet", "ongeldig", f"een getal van 1 tot en met {core.MAXIMUM_PAGE}")]
        )
    return int(value)
