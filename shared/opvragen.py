"""An organisation looks up how to reach partijen, for a purpose the register grants it.

The one use case behind every surface organisations read through: ``POST /opvragingen``, the
Klantinteracties surface of Open Klant's clients and the MOZa profielservice contract. Each
surface turns its request into a :class:`Vraag` and renders the :class:`Opgevraagd` in its own
shape; what is found, and what is recorded, is the same.

Steps: the purpose it has a grant for (refused without), one batch read of the profiles of the
partijen of a kind the purpose covers (the others answer as absent), for the partijen that would
be answered whether their source register still keeps them (the BRP, the Handelsregister), one
LDV record per data subject - and only then the answer. If the Logboek cannot record them all,
or a register cannot say whether a partij is still kept, nothing is told (fail closed): better
no answer than a message to someone who died.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from shared.errors import (
    DomainError,
    Fout,
    InvalidParam,
    ongeldige_invoer,
    register_niet_beschikbaar,
)
from shared.identity.access import PartijKeys
from shared.models.bronnen import Bron
from shared.models.ldv import Verwijzing, organisatie_verwerking
from shared.models.partij import SoortIdentificator
from shared.models.profiel import Profiel
from shared.models.register import Doel, Organisatie
from shared.ports import Clock, Logboek, Profielen, Register
from shared.registratie import Bronregisters, Partij
from shared.tracing import TraceContext, new_span_id, now_ms

# The LDV name of the processing action, the same for every purpose and surface.
VERWERKING = "opvragen contactvoorkeuren"
# Where a partij's registered address is, by the kind of its identifier (none: no register).
_BRON = {SoortIdentificator.BSN: Bron.BRP, SoortIdentificator.KVK_NUMMER: Bron.KVK}


@dataclass(frozen=True)
class Vraag:
    """What an organisation asks, whatever the surface: for which purpose (and service), about
    which partijen - by kind and normalised identifier, in the order asked."""

    doel: str
    dienst: str | None
    betrokkenen: tuple[tuple[SoortIdentificator, str], ...]


@dataclass(frozen=True)
class Gevonden:
    """One partij asked about. ``profiel`` is None where nothing may be told: no profile, not
    shared with this organisation, no longer kept by its register, or of a kind the purpose does
    not cover - refusal and absence look the same."""

    soort: SoortIdentificator
    partij: str  # its store key (keyed pseudonym)
    profiel: Profiel | None
    bron: Bron | None  # where its registered address is


@dataclass(frozen=True)
class Opgevraagd:
    organisatie: Organisatie
    doel: Doel
    moment: datetime
    gevonden: tuple[Gevonden, ...]


# What a surface gives the organisation to find a partij by again (Klantinteracties: its UUID for
# that organisation), from the OIN, the partij's key and its identifier; recorded with the lookup
# of each partij found.
Verwijzen = Callable[[str, str, SoortIdentificator, str], Verwijzing]


@dataclass(frozen=True)
class Opvragen:
    profielen: Profielen
    register: Register
    logboek: Logboek
    bronnen: Bronregisters
    clock: Clock
    # What the store knows the partij with this identifier by (its keyed pseudonym).
    partij_keys: Callable[[SoortIdentificator, str], PartijKeys]
    span_ids: Callable[[], str] = new_span_id
    millis: Callable[[], int] = field(default=now_ms)

    def __call__(
        self,
        oin: str,
        vraag: Vraag,
        trace: TraceContext,
        verwijzen: Verwijzen | None = None,
    ) -> Opgevraagd:
        """What may be told per betrokkene, in the order asked, after the Logboek recorded them;
        with ``verwijzen``, each partij found with what the organisation may find it by again."""
        start_time = self.millis()
        organisatie = self.register.get(oin)
        doel = organisatie.doel(vraag.doel) if organisatie else None
        if doel is None:
            raise DomainError(
                Fout.GEEN_TOEGANG, "Uw organisatie heeft geen toekenning voor dit doel."
            )
        if vraag.dienst is not None and organisatie.dienst(vraag.dienst) is None:
            raise ongeldige_invoer(
                [InvalidParam("dienst", "onbekend", "geen dienst van uw organisatie")]
            )
        keys = tuple(self.partij_keys(*b) for b in vraag.betrokkenen)
        # A partij of a kind the purpose does not cover is not even read: absent, as if unknown.
        covered = [
            k
            for k, (soort, _) in zip(keys, vraag.betrokkenen, strict=True)
            if soort in doel.soorten
        ]
        stored = self._profielen(covered) if covered else {}
        found = self._still_kept(stored, keys, vraag, oin, trace)
        now = self.clock()
        gevonden = tuple(
            Gevonden(soort, k.key, found.get(k.key), _BRON.get(soort))
            for k, (soort, _) in zip(keys, vraag.betrokkenen, strict=True)
        )
        end_time = self.millis()
        # One record per data subject, asked once or more.
        subjects = {
            g.partij: (k, g, identificator)
            for k, g, (_, identificator) in zip(keys, gevonden, vraag.betrokkenen, strict=True)
        }
        self.logboek.write(
            organisatie_verwerking(
                name=VERWERKING,
                trace=trace,
                span_id=self.span_ids(),
                start_time=start_time,
                end_time=end_time,
                oin=oin,
                doel=doel,
                partij=subject.key,
                soort=g.soort,
                sealed_identifier=subject.sealed_identifier,
                verwijzing=(
                    verwijzen(oin, subject.key, g.soort, identificator)
                    if verwijzen is not None and g.profiel is not None
                    else None
                ),
            )
            for subject, g, identificator in subjects.values()
        )
        return Opgevraagd(organisatie, doel, now, gevonden)

    def _profielen(self, partijen: list[PartijKeys]) -> dict[str, Profiel]:
        """The stored profiles by the partijen's keys. During a key rotation a profile may still
        be under the key being replaced: read there too, in the same batch."""
        previous = {k.previous: k.key for k in partijen if k.previous is not None}
        stored = self.profielen.get_many([k.key for k in partijen] + list(previous))
        for old, key in previous.items():
            if old in stored:
                found = stored.pop(old)
                stored.setdefault(key, found)
        return stored

    def _still_kept(
        self,
        found: dict[str, Profiel],
        keys: tuple[PartijKeys, ...],
        vraag: Vraag,
        oin: str,
        trace: TraceContext,
    ) -> dict[str, Profiel]:
        """The profiles found that may be answered: shared with this organisation, and of
        partijen their source still keeps. Only a partij that would be answered is looked up at
        its source: no register read for someone without a profile, or who does not share with
        this organisation."""
        partijen = {
            k.key: Partij(*betrokkene, k.key, k.sealed_identifier)
            for k, betrokkene in zip(keys, vraag.betrokkenen, strict=True)
            if k.key in found and found[k.key].delen.met(oin)
        }
        registraties = self.bronnen.lees(list(partijen.values()), trace)
        unavailable = next((r.bron for r in registraties.values() if not r.beschikbaar), None)
        if unavailable is not None:
            raise register_niet_beschikbaar(
                unavailable.naam, "zonder haar antwoord worden geen gegevens verstrekt"
            )
        return {
            key: found[key]
            for key in partijen
            if key not in registraties or registraties[key].bijgehouden
        }
