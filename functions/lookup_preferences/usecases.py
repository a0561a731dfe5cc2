"""An organisation looks up how to reach people, for a purpose the register grants it.

Steps: the purpose it has a grant for (refused without), one batch read of all profiles, the
answers from the pure core, one LDV record per data subject - and only then the answer. If the
Logboek cannot record them all, nothing is told (fail closed).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from functions.lookup_preferences import core
from shared.errors import DomainError, Fout, InvalidParam, ongeldige_invoer
from shared.identity.access import OrganisatieCaller
from shared.models.ldv import Verwerking
from shared.models.partij import SoortIdentificator, ldv_id_type
from shared.ports import Clock, Logboek, Profielen, Register
from shared.tracing import TraceContext, new_span_id

# The LDV name of the processing action, the same for every purpose.
VERWERKING = "opvragen contactvoorkeuren"


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class Opvragen:
    profielen: Profielen
    register: Register
    logboek: Logboek
    clock: Clock
    # The store's key of the partij with this identifier (a keyed pseudonym).
    partij_key: Callable[[SoortIdentificator, str], str]
    span_ids: Callable[[], str] = new_span_id
    millis: Callable[[], int] = field(default=_now_ms)

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
        keys = [self.partij_key(*b.identificator) for b in opvraging.betrokkenen]
        found = self.profielen.get_many(keys)
        now = self.clock()
        answers = [
            core.answer(
                found.get(key),
                caller.oin,
                doel,
                opvraging.dienst,
                opvraging.alleen_bereikbaarheid,
                now,
            )
            for key in keys
        ]
        end_time = self.millis()
        # One record per data subject, asked once or more.
        kinds = {
            key: b.identificator[0] for key, b in zip(keys, opvraging.betrokkenen, strict=True)
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
                data_subject_id=key,
                data_subject_id_type=ldv_id_type(kind),
                oin=caller.oin,
                doel=doel.code,
            )
            for key, kind in kinds.items()
        )
        return answers
