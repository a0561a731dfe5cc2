"""record-contact over HTTP: the writes of Open Klant 2's Klantinteracties API that its existing
clients make - NotifyNL's OMC after it sent a message (``POST /maak-klantcontact``, or
``/klantcontacten``, ``/betrokkenen`` and ``/onderwerpobjecten`` one by one), Open Forms' "save
for next time" (``POST /digitaleadressen``) - answered 201 in Open Klant's shapes.

The adapters of the use cases (``usecases``): the body read into its model (400 naming each bad
field, as RFC 9457 problems; no body at all is read as Open Klant reads it, see ``_body``), the
absolute URLs from the request's forwarded scheme and host as
the read surface gives them (``functions.klantinteracties.app``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from functions.klantcontacten import core
from functions.klantcontacten.usecases import Klantcontacten
from functions.registry import function
from shared.http.api import FunctionApi, ModelT, Response, json_response, parse_body, validated
from shared.identity.access import OrganisatieCaller, partij_keys_for
from shared.identity.verwijzing import Verwezen, ontsleuteld
from shared.registers import bronregisters
from shared.store.contactmomenten import ContactmomentRepository
from shared.store.logboek import Logboek
from shared.store.profielen import ProfielRepository
from shared.store.register import OrganisatieRegister
from shared.tracing import trace_context

register = OrganisatieRegister()
logboek = Logboek()
api = FunctionApi(function("record-contact"), sleutels=register.sleutel)


def _verwezen(uuid: str, oin: str) -> Verwezen | None:
    """Whom a partij UUID this organisation was given refers to (None for any other UUID)."""
    stored = logboek.verwezen(uuid, oin)
    return ontsleuteld(uuid, stored) if stored else None


def _verhuizen(previous: str, current: str) -> None:
    from shared.store.rotation import move_on_access  # the store's mover, only during a rotation

    move_on_access(previous, current)


klantcontacten = Klantcontacten(
    ContactmomentRepository(),
    register,
    logboek,
    ProfielRepository(),
    bronregisters(),
    clock=lambda: datetime.now(UTC),
    verwezen=_verwezen,
    partij_keys=lambda verwezen: partij_keys_for(verwezen.soort, verwezen.identificator),
    verhuizen=_verhuizen,
)


@api.route("POST /klantcontacten")
def create_klantcontact(caller: OrganisatieCaller) -> Response:
    invoer = _body(core.KlantcontactInvoer)
    moment = klantcontacten.klantcontact(caller, invoer)
    ids = core.Aangemaakt(moment.klantcontact)
    return _created(core.klantcontact(invoer, moment, ids, _urls()))


@api.route("POST /betrokkenen")
def create_betrokkene(caller: OrganisatieCaller) -> Response:
    invoer = _body(core.BetrokkeneMetKlantcontact)
    uuid = klantcontacten.betrokkene(caller, invoer, _trace())
    klantcontact = str(invoer.had_klantcontact.uuid)
    return _created(core.betrokkene(invoer, str(uuid), klantcontact, _urls()))


@api.route("POST /onderwerpobjecten")
def create_onderwerpobject(caller: OrganisatieCaller) -> Response:
    invoer = _body(core.OnderwerpobjectMetKlantcontact)
    uuid = klantcontacten.onderwerpobject(caller, invoer)
    klantcontact = str(invoer.klantcontact.uuid) if invoer.klantcontact else None
    return _created(core.onderwerpobject(invoer, str(uuid), klantcontact, _urls()))


@api.route("POST /maak-klantcontact")
def maak_klantcontact(caller: OrganisatieCaller) -> Response:
    invoer = _body(core.MaakKlantcontact)
    moment, ids = klantcontacten.maak(caller, invoer, _trace())
    urls = _urls()
    body: dict[str, Any] = {
        "klantcontact": core.klantcontact(invoer.klantcontact, moment, ids, urls)
    }
    if invoer.betrokkene is not None and ids.betrokkene is not None:
        body["betrokkene"] = core.betrokkene(
            invoer.betrokkene, ids.betrokkene, ids.klantcontact, urls
        )
    if invoer.onderwerpobject is not None and ids.onderwerpobject is not None:
        body["onderwerpobject"] = core.onderwerpobject(
            invoer.onderwerpobject, ids.onderwerpobject, ids.klantcontact, urls
        )
    return _created(body)


@api.route("POST /digitaleadressen")
def create_digitaal_adres(caller: OrganisatieCaller) -> Response:
    invoer = _body(core.DigitaalAdresInvoer)
    soort, adres = klantcontacten.digitaal_adres(caller, invoer, _trace())
    return _created(core.digitaal_adres(invoer, soort, adres, caller.oin, _urls()))


def _body(model: type[ModelT]) -> ModelT:
    """The request body as ``model``. No body at all is an empty object, as Open Klant (Django
    REST framework) reads a request without content whatever its Content-Type: 400 naming each
    member the document requires, or - ``POST /onderwerpobjecten``, whose document requires no
    body - an onderwerpobject of nothing. A body that is not JSON is 415 (``parse_body``), as
    Open Klant answers it."""
    event = api.current_event
    if not event.body:
        return validated(model, {})
    return parse_body(event, model)


def _created(body: dict[str, Any]) -> Response:
    return json_response(201, body)


def _trace():
    return trace_context(api.current_event.headers)


def _urls() -> core.Urls:
    headers = api.current_event.headers
    scheme = headers.get("x-forwarded-proto", "https").split(",")[0].strip()
    host = headers.get("x-forwarded-host") or headers.get("host", "")
    return core.Urls(f"{scheme}://{host}{api.function.routes[0].base}")
