"""update-profile over HTTP: an adapter of a few lines per route.

Each route parses its path parameters and body and hands the use case (``usecases``) the pure
change from ``core`` it asks for, with the caller, its ``If-Match`` and its trace.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from functions.registry import BASE_PATH, function
from functions.update_profile import core
from functions.update_profile.usecases import ProfielWijzigen, ProfielWissen, Wijziging
from shared.errors import DomainError, Fout, niet_gevonden
from shared.http.api import FunctionApi, Response, parse_body, validated
from shared.http.path import code_parameter, oin_parameter, uuid_parameter
from shared.http.profiel import etag, profiel_response, required_if_match
from shared.identity.access import PartijCaller
from shared.models.bronnen import Registratie
from shared.models.profiel import (
    ContactgegevenToevoegen,
    ContactgegevenWijzigen,
    ContactnaamZetten,
    Delen,
    PostadresInvoer,
    Profiel,
)
from shared.models.register import Organisatie
from shared.models.root import DeferredRootModel
from shared.models.voorkeuren import Voorkeurset
from shared.notify import NotifyBerichten
from shared.registers import bronregisters
from shared.store.contactmomenten import ContactmomentRepository
from shared.store.profielen import ProfielRepository
from shared.store.register import OrganisatieRegister
from shared.tracing import trace_context
from shared.verification import VerificatieCodes

api = FunctionApi(function("update-profile"))
register = OrganisatieRegister()
_profielen, _codes, _berichten = ProfielRepository(), VerificatieCodes(), NotifyBerichten()
wijzigen = ProfielWijzigen(
    _profielen, _codes, _berichten, bronregisters(), clock=lambda: datetime.now(UTC)
)
wissen = ProfielWissen(
    _profielen,
    _codes,
    _berichten,
    clock=lambda: datetime.now(UTC),
    contactmomenten=ContactmomentRepository(),
)


class PostadresBody(DeferredRootModel[PostadresInvoer]):
    pass


class JsonObject(DeferredRootModel[dict[str, Any]]):
    pass


@api.route("DELETE /profiel")
def erase_profiel(caller: PartijCaller) -> Response:
    """AVG art. 17: 204, with the ETag a new profile starts from."""
    version = wissen(_wijziging(caller))
    return Response(status_code=204, body="", headers={"ETag": etag(version)})


@api.route("POST /profiel/contactgegevens")
def add_contactgegeven(caller: PartijCaller) -> Response:
    request = parse_body(api.current_event, ContactgegevenToevoegen)
    new_id = uuid4()
    location = f"{BASE_PATH}/profiel/contactgegevens/{new_id}"
    return _change(
        caller,
        lambda profiel: core.add_contactgegeven(profiel, request, new_id)[0],
        status=201,
        headers={"Location": location},
    )


@api.route("PATCH /profiel/contactgegevens/{contactgegevenId}")
def change_contactgegeven(caller: PartijCaller, contactgegevenId: str) -> Response:
    contactgegeven_id = uuid_parameter("contactgegevenId", contactgegevenId)
    request = parse_body(api.current_event, ContactgegevenWijzigen)
    return _change(
        caller, lambda profiel: core.change_contactgegeven(profiel, contactgegeven_id, request)
    )


@api.route("DELETE /profiel/contactgegevens/{contactgegevenId}")
def remove_contactgegeven(caller: PartijCaller, contactgegevenId: str) -> Response:
    contactgegeven_id = uuid_parameter("contactgegevenId", contactgegevenId)
    return _change(caller, lambda profiel: core.remove_contactgegeven(profiel, contactgegeven_id))


@api.route("PUT /profiel/postadres")
def set_postadres(caller: PartijCaller) -> Response:
    invoer = parse_body(api.current_event, PostadresBody).root
    wijziging = _wijziging(caller)
    # The BAG is asked in the change's own trace, so its record in the Logboek goes with it.
    postadres = wijzigen.postadres(wijziging, invoer)
    return _submit(wijziging, lambda profiel, _: core.set_postadres(profiel, postadres))


@api.route("DELETE /profiel/postadres")
def remove_postadres(caller: PartijCaller) -> Response:
    return _change(caller, core.remove_postadres)


@api.route("PUT /profiel/contactnaam")
def set_contactnaam(caller: PartijCaller) -> Response:
    request = parse_body(api.current_event, ContactnaamZetten)
    return _submit(
        _wijziging(caller),
        lambda profiel, registratie: core.set_contactnaam(profiel, request, registratie),
    )


@api.route("DELETE /profiel/contactnaam")
def remove_contactnaam(caller: PartijCaller) -> Response:
    return _change(caller, core.remove_contactnaam)


@api.route("PUT /profiel/delen")
def set_delen(caller: PartijCaller) -> Response:
    """With which organisations the contact details are shared at all."""
    if not caller.mag_rechten_uitoefenen:
        raise DomainError(
            Fout.GEEN_TOEGANG,
            "Met wie het profiel gedeeld wordt, kiest alleen de persoon zelf of diens curator; "
            "een gemachtigde of bewindvoerder niet.",
        )
    delen = parse_body(api.current_event, Delen)
    return _change(caller, lambda profiel: core.set_delen(profiel, delen))


@api.route("PATCH /profiel/voorkeuren")
def change_voorkeuren(caller: PartijCaller) -> Response:
    """JSON Merge Patch of the default preferences (a branch representative: the branch's)."""
    patch = parse_body(api.current_event, JsonObject).root
    vestiging = caller.vestigingsnummer

    def apply(profiel: Profiel) -> Profiel:
        level = validated(Voorkeurset, core.patched_voorkeuren(profiel, patch, vestiging))
        return core.change_voorkeuren(profiel, level, vestiging)

    return _change(caller, apply)


@api.route("PUT /profiel/voorkeuren/organisaties/{oin}")
def set_organisatie(caller: PartijCaller, oin: str) -> Response:
    organisatie = _registered(oin_parameter("oin", oin))
    level = parse_body(api.current_event, Voorkeurset)
    return _change(
        caller,
        lambda profiel: core.set_organisatie(
            profiel, organisatie.oin, level, caller.vestigingsnummer
        ),
    )


@api.route("DELETE /profiel/voorkeuren/organisaties/{oin}")
def remove_organisatie(caller: PartijCaller, oin: str) -> Response:
    # Not checked against the register: a scope must stay removable after its organisation left.
    oin = oin_parameter("oin", oin)
    return _change(
        caller, lambda profiel: core.remove_organisatie(profiel, oin, caller.vestigingsnummer)
    )


@api.route("PUT /profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}")
def set_dienst(caller: PartijCaller, oin: str, dienst: str) -> Response:
    organisatie = _registered(oin_parameter("oin", oin))
    dienst = code_parameter("dienst", dienst)
    if organisatie.dienst(dienst) is None:
        raise niet_gevonden("Deze organisatie heeft geen dienst met deze code in het register.")
    level = parse_body(api.current_event, Voorkeurset)
    return _change(
        caller,
        lambda profiel: core.set_dienst(
            profiel, organisatie.oin, dienst, level, caller.vestigingsnummer
        ),
    )


@api.route("DELETE /profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}")
def remove_dienst(caller: PartijCaller, oin: str, dienst: str) -> Response:
    oin = oin_parameter("oin", oin)
    dienst = code_parameter("dienst", dienst)
    return _change(
        caller,
        lambda profiel: core.remove_dienst(profiel, oin, dienst, caller.vestigingsnummer),
    )


def _registered(oin: str) -> Organisatie:
    organisatie = register.get(oin)
    if organisatie is None:
        raise niet_gevonden("Deze organisatie staat niet in het register van de Profiel Service.")
    return organisatie


def _wijziging(caller: PartijCaller) -> Wijziging:
    headers = api.current_event.headers
    return Wijziging(caller, required_if_match(headers), trace_context(headers))


def _change(
    caller: PartijCaller,
    apply: Callable[[Profiel], Profiel],
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    return _submit(_wijziging(caller), lambda profiel, _: apply(profiel), status, headers)


def _submit(
    wijziging: Wijziging,
    apply: Callable[[Profiel, Registratie], Profiel],
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    stored, registratie = wijzigen(wijziging, apply)
    return profiel_response(stored.profiel, stored.version, registratie, status, headers)
