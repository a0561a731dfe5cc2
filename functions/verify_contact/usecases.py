"""Verifying one's own contact detail: sending a code, and confirming it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from functions.verify_contact import core
from shared.errors import conflict
from shared.identity.access import PartijCaller
from shared.models.profiel import Contactgegeven
from shared.ports import Clock, Codes, Profielen
from shared.registratie import Bronregisters
from shared.store.errors import VersionConflict
from shared.store.profielen import change_by
from shared.tracing import TraceContext

# A right code is used up when checked: a change of the profile in between is retried, not lost.
_SAVE_ATTEMPTS = 3


@dataclass(frozen=True)
class CodeVersturen:
    profielen: Profielen
    codes: Codes
    bronnen: Bronregisters
    clock: Clock

    def __call__(
        self, caller: PartijCaller, trace: TraceContext, contactgegeven_id: UUID
    ) -> dict[str, Any]:
        """Send a new code to one's own contact detail; what was sent and when the next may.
        Nothing is sent for a partij its source no longer keeps."""
        self.bronnen.voor_wijziging(caller, trace)
        profiel = self.profielen.get(caller.partij).profiel
        contactgegeven = profiel.eigen_contactgegeven(contactgegeven_id)
        now = self.clock()
        sent = self.codes.send(caller.partij, contactgegeven, now)
        return core.code_sent(contactgegeven, sent, now)


@dataclass(frozen=True)
class CodeBevestigen:
    profielen: Profielen
    codes: Codes
    bronnen: Bronregisters
    clock: Clock

    def __call__(
        self, caller: PartijCaller, trace: TraceContext, contactgegeven_id: UUID, code: str
    ) -> tuple[Contactgegeven, int]:
        """The contact detail verified with ``code``, and the profile's new version."""
        self.bronnen.voor_wijziging(caller, trace)
        stored = self.profielen.get(caller.partij)
        contactgegeven = stored.profiel.eigen_contactgegeven(contactgegeven_id)
        now = self.clock()
        core.require_right_code(self.codes.check(caller.partij, contactgegeven, code, now))
        change = change_by(caller, trace, now)
        for _ in range(_SAVE_ATTEMPTS):
            profiel = core.verified(stored.profiel, contactgegeven, now)
            try:
                version = self.profielen.save(caller.partij, profiel, stored.version, change)
            except VersionConflict:
                stored = self.profielen.get(caller.partij)
                continue
            return profiel.eigen_contactgegeven(contactgegeven_id), version
        raise conflict(
            "Het profiel werd tegelijk gewijzigd. De code is gebruikt; vraag een nieuwe aan."
        )
