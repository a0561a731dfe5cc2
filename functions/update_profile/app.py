"""update-profile over HTTP.

Every change runs the same steps (:func:`_change`), for the partij the caller acts for: require
``If-Match``, read the profile, apply a pure change from ``core``, send the messages the change calls for, and store it
on condition that the version is still the one the client saw. The store write is one
conditional PutItem; the audit trail follows from the table's stream.

The messages go out *before* the write: a new address gets its verification code, a replaced or
removed verified e-mail address a notice. If NotifyNL fails the change is not stored (503), so a
change never happens without the messages that belong to it. The price: in the rare race where
the conditional write then fails (412), a message went out for a change that did not happen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from aws_lambda_powertools.event_handler import Response
from pydantic import RootModel

from functions.registry import BASE_PATH, function
from functions.update_profile import core
from shared import notify
from shared.http.api import FunctionApi, parse_body, validated
from shared.http.path import code_parameter, oin_parameter, uuid_parameter
from shared.http.profiel import (
    change_of_request,
    precondition_failed,
    profiel_response,
    required_if_match,
)
from shared.identity.access import PartijCaller
from shared.models.profiel import (
    ContactgegevenToevoegen,
    ContactgegevenWijzigen,
    Delen,
    Postadres,
    Profiel,
)
from shared.models.register import Organisatie
from shared.models.voorkeuren import Voorkeurset
from shared.problems import not_found
from shared.store.profielen import ProfielRepository, VersionConflict
from shared.store.register import OrganisatieRegister
from shared.verification import send_verification_code

api = FunctionApi(function("update-profile"))
profielen = ProfielRepository()
register = OrganisatieRegister()


class PostadresBody(RootModel[Postadres]):
    pass


class JsonObject(RootModel[dict[str, Any]]):
    pass


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
    postadres = parse_body(api.current_event, PostadresBody).root
    return _change(caller, lambda profiel: core.set_postadres(profiel, postadres))


@api.route("DELETE /profiel/postadres")
def remove_postadres(caller: PartijCaller) -> Response:
    return _change(caller, core.remove_postadres)


@api.route("PUT /profiel/delen")
def set_delen(caller: PartijCaller) -> Response:
    """With which organisations the contact details are shared at all."""
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
        raise not_found("Deze organisatie heeft geen dienst met deze code in het register.")
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
        raise not_found("Deze organisatie staat niet in het register van de Profiel Service.")
    return organisatie


def _change(
    caller: PartijCaller,
    apply: Callable[[Profiel], Profiel],
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    event = api.current_event
    if_match = required_if_match(event.headers)
    key = caller.partij
    stored = profielen.get(key)
    if not if_match.matches(stored.version):
        raise precondition_failed()
    changed = apply(stored.profiel)
    if changed == stored.profiel:
        # Nothing to store, nothing to audit: the answer is the profile as it is.
        return profiel_response(stored.profiel, stored.version, status, headers)
    # The core keeps the invariants; validating the whole result guards the stored form anyway.
    changed = Profiel.model_validate(changed.model_dump())
    now = datetime.now(UTC)
    # Codes first: their limits may still refuse the change (429); a notice cannot.
    for contactgegeven in core.addresses_to_verify(stored.profiel, changed):
        send_verification_code(key, contactgegeven, now)
    for adres, wijziging in core.old_addresses_to_notify(stored.profiel, changed):
        notify.send_notice(adres, wijziging)
    change = change_of_request(caller, event.headers, now)
    try:
        version = profielen.save(key, changed, stored.version, change)
    except VersionConflict:
        raise precondition_failed() from None
    return profiel_response(changed, version, status, headers)
