"""Reading one's own profile: as stored with what its source register says now, one contact
detail of it, or what applies per organisation of the register; and completing an address from
the BAG."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from functions.get_profile import core
from shared.identity.access import PartijCaller
from shared.models.bronnen import AdresVraag, BagAdres, Registratie
from shared.models.profiel import Contactgegeven
from shared.ports import Clock, Profielen, Register, StoredProfiel
from shared.registratie import Bronregisters
from shared.tracing import TraceContext


@dataclass(frozen=True)
class ProfielLezen:
    profielen: Profielen
    register: Register
    bronnen: Bronregisters
    clock: Clock

    def profiel(
        self, caller: PartijCaller, trace: TraceContext
    ) -> tuple[StoredProfiel, Registratie]:
        """The stored profile, and the partij's registration read at its source now: a register
        that cannot answer is marked so, the profile is still read."""
        registratie = self.bronnen.van_intussen(caller, trace)  # the register beside the store
        return self.profielen.get(caller.partij), registratie.result()

    def adressen(
        self, caller: PartijCaller, vraag: AdresVraag, trace: TraceContext
    ) -> tuple[BagAdres, ...]:
        """The BAG's addresses for a postcode and huisnummer: to complete an address in a form."""
        return self.bronnen.zoek_adressen(vraag, caller, trace)

    def contactgegeven(
        self, caller: PartijCaller, contactgegeven_id: UUID
    ) -> tuple[Contactgegeven, int]:
        stored = self.profielen.get(caller.partij)
        return stored.profiel.eigen_contactgegeven(contactgegeven_id), stored.version

    def per_organisatie(
        self, caller: PartijCaller, weergave: Callable[[Contactgegeven, datetime], dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], int]:
        """Per organisation of the register: which channel and address it will use (for a
        branch's representative: the branch's); ``weergave`` shows a contact detail as it
        counts at a moment."""
        stored = self.profielen.get(caller.partij)
        now = self.clock()
        body = core.per_organisatie(
            stored.profiel,
            self.register.all(),
            lambda c: weergave(c, now),
            caller.vestigingsnummer,
        )
        return body, stored.version
