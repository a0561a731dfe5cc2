"""Changing one's own profile: the use case every change of update-profile runs.

For the partij the caller acts for: read its registration at the source (a partij the BRP or the
Handelsregister no longer keeps can only be read; a branch must be the company's), check the
version the client saw, apply a pure change from ``core``, send the messages the change calls for - a code to a new address, a notice to a
replaced or removed verified e-mail address - and store it on condition that the version is still
the one read. The audit trail follows from the store's stream.

The messages go out *before* the write: if NotifyNL fails, nothing is stored, so a change never
happens without the messages that belong to it. The price: in the rare race where the
conditional write then fails, a message went out for a change that did not happen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from functions.update_profile import core
from shared.errors import versie_verouderd
from shared.identity.access import PartijCaller
from shared.models.bronnen import Registratie
from shared.models.profiel import (
    NederlandsPostadresInvoer,
    Postadres,
    PostadresInvoer,
    Profiel,
)
from shared.ports import Berichten, Clock, Codes, Profielen, StoredProfiel
from shared.registratie import Bronregisters
from shared.store.errors import VersionConflict
from shared.store.profielen import change_by
from shared.tracing import TraceContext


class VerwachteVersie(Protocol):
    """The version(s) of the profile the client's change is based on (its ``If-Match``)."""

    def matches(self, version: int) -> bool: ...


@dataclass(frozen=True)
class Wijziging:
    """Who changes which profile, based on which version, in which trace."""

    caller: PartijCaller
    verwacht: VerwachteVersie
    trace: TraceContext


@dataclass(frozen=True)
class ProfielWijzigen:
    profielen: Profielen
    codes: Codes
    berichten: Berichten
    bronnen: Bronregisters
    clock: Clock

    def __call__(
        self, wijziging: Wijziging, apply: Callable[[Profiel, Registratie], Profiel]
    ) -> tuple[StoredProfiel, Registratie]:
        """The profile after ``apply``, stored; as it was if ``apply`` changed nothing (nothing
        stored, nothing audited). With the registration it was changed under."""
        registratie = self.bronnen.voor_wijziging(wijziging.caller, wijziging.trace)
        return self._change(wijziging, apply, registratie), registratie

    def postadres(self, wijziging: Wijziging, invoer: PostadresInvoer) -> Postadres:
        """The postal address to store: a Dutch one as the BAG has it (400 naming the field the
        BAG does not know, 503 if it cannot be asked); a postbus or foreign one as sent."""
        if isinstance(invoer, NederlandsPostadresInvoer):
            return self.bronnen.controleer_adres(
                invoer, wijziging.caller, wijziging.trace, self.clock()
            )
        return invoer

    def _change(
        self,
        wijziging: Wijziging,
        apply: Callable[[Profiel, Registratie], Profiel],
        registratie: Registratie,
    ) -> StoredProfiel:
        partij = wijziging.caller.partij
        stored = self.profielen.get(partij)
        if not wijziging.verwacht.matches(stored.version):
            raise versie_verouderd()
        changed = apply(stored.profiel, registratie)
        if changed == stored.profiel:
            return stored
        # The core keeps the invariants; validating the whole result guards the stored form anyway.
        changed = Profiel.model_validate(changed.model_dump())
        now = self.clock()
        # Codes first: their limits may still refuse the change; a notice cannot.
        for contactgegeven in core.addresses_to_verify(stored.profiel, changed):
            self.codes.send(partij, contactgegeven, now)
        for adres, soort_wijziging in core.old_addresses_to_notify(stored.profiel, changed):
            self.berichten.send_notice(adres, soort_wijziging)
        change = change_by(wijziging.caller, wijziging.trace, now)
        try:
            version = self.profielen.save(partij, changed, stored.version, change)
        except VersionConflict:
            raise versie_verouderd() from None
        return StoredProfiel(changed, version)
