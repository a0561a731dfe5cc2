"""An organisation looks up how to reach people, for a purpose the register grants it.

Steps: the purpose it has a grant for (refused without), one batch read of the profiles of the
partijen of a kind the purpose covers (the others answer as absent), for the partijen that would
be answered whether their source register still keeps them (the BRP, the Handelsregister), the
answers from the pure core, one LDV record per data subject - and only then the answer. If the
Logboek cannot record them all, or a register cannot say whether a partij is still kept, nothing
is told (fail closed): better no answer than a message to someone who died.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from functions.lookup_preferences import core
from shared.errors import (
    DomainError,
    Fout,
    InvalidParam,
    ongeldige_invoer,
    register_niet_beschikbaar,
)
from shared.identity.access import OrganisatieCaller, PartijKeys
from shared.models.bronnen import Bron
from shared.models.ldv import Verwerking
from shared.models.partij import SoortIdentificator, ldv_id_type
from shared.models.profiel import Profiel
from shared.ports import Clock, Logboek, Profielen, Register
from shared.registratie import Bronregisters, Partij
from shared.tracing import TraceContext, new_span_id, now_ms

# The LDV name of the processing action, the same for every purpose.
VERWERKING = "opvragen contactvoorkeuren"
# Where a partij's registered address is, by the kind of its identifier (none: no register).
_BRON = {SoortIdentificator.BSN: Bron.BRP, SoortIdentificator.KVK_NUMMER: Bron.KVK}


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
        self, caller: OrganisatieCaller, opvraging: core.Opvraging, trace: TraceContext
    ) -> list[dict[str, Any]]:
        """One answer per betrokkene, in the order asked, after the Logboek recorded them."""
        start_time = self.millis()
        organisatie = self.register.get(caller.oin)
        doel = organisatie.doel(opvraging.doel) if organisatie else None
        if doel is None:
            raise DomainError(
                Fout.GEEN_TOEGANG, "Uw organisatie heeft geen toekenning voor dit doel."
            )
        if opvraging.dienst is not None and organisatie.dienst(opvraging.dienst) is None:
            raise ongeldige_invoer(
                [InvalidParam("dienst", "onbekend", "geen dienst van uw organisatie")]
            )
        partij_keys = [self.partij_keys(*b.identificator) for b in opvraging.betrokkenen]
        keys = [k.key for k in partij_keys]
        # A partij of a kind the purpose does not cover is not even read: absent, as if unknown.
        covered = [
            k
            for k, betrokkene in zip(partij_keys, opvraging.betrokkenen, strict=True)
            if betrokkene.identificator[0] in doel.soorten
        ]
        stored = self._profielen(covered) if covered else {}
        found = self._still_kept(stored, partij_keys, opvraging, caller.oin, trace)
        now = self.clock()
        answers = [
            core.answer(
                found.get(key),
                _BRON.get(betrokkene.identificator[0]),
                caller.oin,
                doel,
                opvraging.dienst,
                opvraging.alleen_bereikbaarheid,
                now,
            )
            for key, betrokkene in zip(keys, opvraging.betrokkenen, strict=True)
        ]
        end_time = self.millis()
        # One record per data subject, asked once or more.
        subjects = {
            k.key: (k, b.identificator[0])
            for k, b in zip(partij_keys, opvraging.betrokkenen, strict=True)
        }
        self.logboek.write(
            Verwerking(
                trace_id=trace.trace_id,
                span_id=self.span_ids(),
                parent_span_id=trace.parent_span_id,
                name=VERWERKING,
                status="Ok",
                start_time=start_time,
                end_time=end_time,
                processing_activity_id=str(doel.verwerkingsactiviteit),
                data_subject_id=subject.key,
                data_subject_id_type=ldv_id_type(kind),
                oin=caller.oin,
                doel=doel.code,
                sealed_identifier=subject.sealed_identifier,
            )
            for subject, kind in subjects.values()
        )
        return answers

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
        keys: list[PartijKeys],
        opvraging: core.Opvraging,
        oin: str,
        trace: TraceContext,
    ) -> dict[str, Profiel]:
        """The profiles found, without those of partijen their source no longer keeps. Only a
        partij that would be answered is looked up at its source: no register read for someone
        without a profile, or who does not share with this organisation."""
        partijen = {
            k.key: Partij(*betrokkene.identificator, k.key, k.sealed_identifier)
            for k, betrokkene in zip(keys, opvraging.betrokkenen, strict=True)
            if k.key in found and found[k.key].delen.met(oin)
        }
        registraties = self.bronnen.lees(list(partijen.values()), trace)
        unavailable = next((r.bron for r in registraties.values() if not r.beschikbaar), None)
        if unavailable is not None:
            raise register_niet_beschikbaar(
                unavailable.naam, "zonder haar antwoord worden geen gegevens verstrekt"
            )
        return {
            key: profiel
            for key, profiel in found.items()
            if key not in registraties or registraties[key].bijgehouden
        }
