"""klantinteracties over HTTP: the reads of Open Klant 2's Klantinteracties API that NotifyNL's OMC
and Open Forms make, answered from the profiles under doelbinding.

Every read is a lookup as ``POST /opvragingen`` makes one (``shared.opvragen``): under the purpose
the caller's API key or token is bound to, one LDV record per partij, only verified details, and
nothing for a partij that is absent, refuses this organisation or is no longer kept by its
register - an empty list then, as Open Klant gives for an unknown BSN. The identifier is in the
query string because this standard puts it there: it reaches no log (the route template only).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from functions.klantinteracties import core
from functions.registry import function
from shared.http.api import FunctionApi, Response, json_response
from shared.identity.access import OrganisatieCaller, partij_keys_for
from shared.identity.verwijzing import Verwezen, ontsleuteld, partij_uuid, versleuteld
from shared.models.ldv import Verwijzing
from shared.models.partij import SoortIdentificator
from shared.opvragen import Opvragen, Vraag
from shared.problems import invalid_input, not_found
from shared.registers import bronregisters
from shared.store.logboek import Logboek
from shared.store.profielen import ProfielRepository
from shared.store.register import OrganisatieRegister
from shared.tracing import trace_context

register = OrganisatieRegister()
logboek = Logboek()
api = FunctionApi(function("klantinteracties"), sleutels=register.sleutel)
opvragen = Opvragen(
    ProfielRepository(),
    register,
    logboek,
    bronregisters(),
    clock=lambda: datetime.now(UTC),
    partij_keys=partij_keys_for,
)


@api.route("GET /partijen")
def list_partijen(caller: OrganisatieCaller) -> Response:
    query = _query(core.PARTIJEN_FILTERS)
    verwezen = core.identificator(query, "")
    found = _found(caller, verwezen) if verwezen and core.page_number(query) == 1 else None
    results = [core.partij(found, _urls(), core.expanded(query))] if found else []
    return json_response(200, core.pagina([p for p in results if core.partij_matches(p, query)]))


@api.route("GET /partijen/{uuid}")
def read_partij(caller: OrganisatieCaller, uuid: str) -> Response:
    query = _query(core.PARTIJ_FILTERS)
    verwezen = _resolved(caller, uuid)
    found = _found(caller, verwezen) if verwezen else None
    if found is None:
        raise not_found("Deze partij bestaat niet, of is er niet voor uw organisatie.")
    return json_response(200, core.partij(found, _urls(), core.expanded(query)))


@api.route("GET /digitaleadressen")
def list_digitale_adressen(caller: OrganisatieCaller) -> Response:
    query = _query(core.DIGITALE_ADRESSEN_FILTERS)
    by_uuid = query.get("verstrektDoorPartij__uuid")
    verwezen = (
        _resolved(caller, by_uuid)
        if by_uuid is not None
        else core.identificator(query, "verstrektDoorPartij__")
    )
    found = _found(caller, verwezen) if verwezen and core.page_number(query) == 1 else None
    if found is None:
        return json_response(200, core.pagina([]))
    urls = _urls()
    adressen = [core.digitaal_adres(c, found, urls) for c in found.adressen()]
    soort_partij = core.partij(found, urls, set())["soortPartij"]
    return json_response(200, core.pagina(core.filtered_adressen(adressen, query, soort_partij)))


def _found(caller: OrganisatieCaller, verwezen: Verwezen) -> core.Antwoord | None:
    """The lookup of one partij under the caller's purpose; None where nothing may be told."""
    assert caller.doel is not None  # Toegang.KOPPELING: bound to one purpose

    def verwijzen(oin: str, partij: str, _soort: SoortIdentificator, _id: str) -> Verwijzing:
        uuid = partij_uuid(oin, partij, verwezen.vestigingsnummer)
        return Verwijzing(uuid, versleuteld(uuid, verwezen))

    vraag = Vraag(caller.doel, None, ((verwezen.soort, verwezen.identificator),))
    trace = trace_context(api.current_event.headers)
    opgevraagd = opvragen(caller.oin, vraag, trace, verwijzen)
    [gevonden] = opgevraagd.gevonden
    if gevonden.profiel is None:
        return None
    uuid = partij_uuid(caller.oin, gevonden.partij, verwezen.vestigingsnummer)
    return core.Antwoord(gevonden, verwezen, uuid, caller.oin, opgevraagd.doel, opgevraagd.moment)


def _resolved(caller: OrganisatieCaller, uuid: str) -> Verwezen | None:
    """Whom a partij UUID this organisation was given refers to; None for any other UUID, and
    for a value that is no UUID at all (an empty one is no key the store can look up)."""
    canonical = core.canonical_uuid(uuid)
    if canonical is None:
        return None
    stored = logboek.verwezen(canonical, caller.oin)
    return ontsleuteld(canonical, stored) if stored else None


def _query(types: Mapping[str, str | frozenset[str]]) -> Mapping[str, str]:
    """The query string, its typed filters checked against the types the document gives them
    (before anything is looked up or recorded)."""
    query: dict[str, Any] = dict(api.current_event.query_string_parameters or {})
    invalid = core.invalid_filters(query, types)
    if invalid:
        raise invalid_input(invalid)
    return query


def _urls() -> core.Urls:
    headers = api.current_event.headers
    scheme = headers.get("x-forwarded-proto", "https").split(",")[0].strip()
    host = headers.get("x-forwarded-host") or headers.get("host", "")
    return core.Urls(f"{scheme}://{host}{api.function.routes[0].base}")
