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
from dataclasses import dataclass, field
from typing import Protocol

from functions.update_profile import core
from shared.errors import DomainError, Fout, niet_gevonden, versie_verouderd
from shared.identity.access import PartijCaller
from shared.models.bronnen import Registratie
from shared.models.profiel import (
    AdresWijziging,
    NederlandsPostadresInvoer,
    Postadres,
    PostadresInvoer,
    Profiel,
    SoortDigitaalAdres,
)
from shared.ports import Berichten, Clock, Codes, Contactmomenten, Profielen, StoredProfiel
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
        # The register beside the store: its answer (or refusal) is awaited before anything else.
        pending = self.bronnen.voor_wijziging_intussen(wijziging.caller, wijziging.trace)
        stored = self.profielen.get(wijziging.caller.partij)
        registratie = pending.result()
        return self._change(wijziging, apply, stored, registratie), registratie

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
        stored: StoredProfiel,
        registratie: Registratie,
    ) -> StoredProfiel:
        partij = wijziging.caller.partij
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


@dataclass(frozen=True)
class ProfielWissen:
    """Erasure (AVG art. 17): the profile, all verification state and the contact moments
    organisations recorded go; each verified e-mail address is told. The audit trail records the
    erasure from the stream (who, no values) and goes on after it; the Logboek's records stay, as
    the law requires, and so does the inzage of them. Lookups then find no profile, and a new one
    may be started."""

    profielen: Profielen
    codes: Codes
    berichten: Berichten
    clock: Clock
    contactmomenten: Contactmomenten = field(kw_only=True)

    def __call__(self, wijziging: Wijziging) -> int:
        """The version the erasure produced (the ETag a new profile starts from)."""
        caller = wijziging.caller
        if not caller.mag_rechten_uitoefenen:
            raise DomainError(
                Fout.GEEN_TOEGANG,
                "Alleen de persoon zelf of diens curator kan het profiel laten verwijderen; een "
                "gemachtigde of bewindvoerder niet.",
            )
        stored = self.profielen.get(caller.partij)
        if stored.version == 0:
            raise niet_gevonden("Er is geen profiel om te verwijderen.")
        if not wijziging.verwacht.matches(stored.version):
            raise versie_verouderd()
        now = self.clock()
        # The notices first: if NotifyNL is down nothing is erased, and the request can be
        # repeated as it was.
        for contactgegeven in stored.profiel.contactgegevens:
            if (
                contactgegeven.soort_digitaal_adres is SoortDigitaalAdres.EMAIL
                and contactgegeven.verificatie_datum is not None
            ):
                self.berichten.send_notice(contactgegeven.adres, AdresWijziging.VERWIJDERD)
        self.codes.vergeet(caller.partij)
        self.contactmomenten.vergeet(caller.partij)
        try:
            return self.profielen.wis(
                caller.partij, stored.version, change_by(caller, wijziging.trace, now)
            )
        except VersionConflict:
            raise versie_verouderd() from None
