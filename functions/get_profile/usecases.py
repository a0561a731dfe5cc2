"""Reading one's own profile: as stored, one contact detail of it, or what applies per
organisation of the register."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from functions.get_profile import core
from shared.identity.access import PartijCaller
from shared.models.profiel import Contactgegeven
from shared.ports import Clock, Profielen, Register, StoredProfiel


@dataclass(frozen=True)
class ProfielLezen:
    profielen: Profielen
    register: Register
    clock: Clock

    def profiel(self, caller: PartijCaller) -> StoredProfiel:
        return self.profielen.get(caller.partij)

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
