"""moza-profielservice over HTTP: the two reads of MOZa's profielservice contract that MOZa's
notification component makes, answered from the profiles under doelbinding.

Every read is a lookup as ``POST /opvragingen`` makes one (``shared.opvragen``): under the purpose
the caller's API key or token is bound to, one LDV record per partij, only verified details, and
nothing for a partij that is absent, refuses this organisation or is no longer kept by its
register - 404 for ``/partij`` and left out of ``/partijen/bulk``, as the contract answers a partij
it does not find. The identifier is in the body, as the contract has it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from functions.moza_profielservice import core
from functions.registry import function
from shared.errors import DomainError, Fout
from shared.http.api import FunctionApi, Response, json_response, parse_body
from shared.identity.access import OrganisatieCaller, partij_keys_for
from shared.opvragen import Opvragen, Vraag
from shared.problems import not_found
from shared.registers import bronregisters
from shared.store.logboek import Logboek
from shared.store.profielen import ProfielRepository
from shared.store.register import OrganisatieRegister
from shared.tracing import TraceContext, trace_context

register = OrganisatieRegister()
api = FunctionApi(function("moza-profielservice"), sleutels=register.sleutel)
opvragen = Opvragen(
    ProfielRepository(),
    register,
    Logboek(),
    bronregisters(),
    clock=lambda: datetime.now(UTC),
    partij_keys=partij_keys_for,
)

# The contract's 404s: MOZa's notification component reads a 404 of /partij as "no such partij"
# (final: nothing is sent), and its title and detail never say which of the reasons it was.
_NIET_GEVONDEN = "Deze partij is niet gevonden, of is er niet voor uw organisatie."
_GEEN_ENKELE = "Geen van deze partijen is gevonden, of er is er geen voor uw organisatie."


@api.route("POST /partij")
def read_partij(caller: OrganisatieCaller) -> Response:
    request = parse_body(api.current_event, core.PartijRequest)
    scope = _scope(caller, request.dienstverlener, request.dienst_naam)
    trace = trace_context(api.current_event.headers)
    found = _look_up(caller, scope, (request,), trace)
    if not found:
        raise not_found(_NIET_GEVONDEN)
    return json_response(200, found[0], {"traceparent": trace.traceparent})


@api.route("POST /partijen/bulk")
def read_partijen(caller: OrganisatieCaller) -> Response:
    request = parse_body(api.current_event, core.PartijBulkRequest)
    scope = _scope(caller, None, None)
    trace = trace_context(api.current_event.headers)
    found = _look_up(caller, scope, request.identificaties, trace)
    if not found:
        raise not_found(_GEEN_ENKELE)
    # The contract's 206: some were left out (it says nothing of which, or why).
    status = 200 if core.alle_gevonden(request.identificaties, found) else 206
    return json_response(status, found, {"traceparent": trace.traceparent})


def _scope(caller: OrganisatieCaller, dienstverlener: str | None, dienst: str | None) -> core.Scope:
    """The caller's organisation with a grant for its credentials' purpose, and the scope asked
    for; refused before anything is read or recorded."""
    assert caller.doel is not None  # Toegang.KOPPELING: bound to one purpose
    organisatie = register.get(caller.oin)
    if organisatie is None or organisatie.doel(caller.doel) is None:
        # As the use case says it: checked here too, so that a request naming nobody this
        # service keeps (an RSIN) is refused like any other and not answered 404.
        raise DomainError(Fout.GEEN_TOEGANG, "Uw organisatie heeft geen toekenning voor dit doel.")
    return core.scope(organisatie, dienstverlener, dienst)


def _look_up(
    caller: OrganisatieCaller,
    scope: core.Scope,
    identificaties: tuple[core.PartijIdentificatieRequest, ...],
    trace: TraceContext,
) -> list[dict]:
    """One lookup of every partij named (an RSIN or a number that fails its check names nobody:
    not read, not recorded), rendered for the scope; the partijen found, in the order asked."""
    named = [(i, b) for i in identificaties if (b := i.betrokkene) is not None]
    if not named:
        return []
    assert caller.doel is not None
    dienst = scope.dienst.code if scope.dienst else None
    vraag = Vraag(caller.doel, dienst, tuple(b for _, b in named))
    opgevraagd = opvragen(caller.oin, vraag, trace)
    return core.partijen(opgevraagd, tuple(i for i, _ in named), scope)
