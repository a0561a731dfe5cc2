"""Reading one's own profile: as stored with what its source register says now, one contact
detail of it, or what applies per organisation of the register; and completing an address from
the BAG."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from functions.access_log import core as access_log
from functions.get_profile import core
from shared.identity.access import PartijCaller
from shared.models.bronnen import AdresVraag, BagAdres, Registratie
from shared.models.ldv import Verwerking
from shared.models.partij import ldv_id_type
from shared.models.profiel import Contactgegeven
from shared.ports import (
    Audittrail,
    Clock,
    Contactmomenten,
    Inzage,
    Logboek,
    Profielen,
    Register,
    StoredProfiel,
)
from shared.registratie import Bronregisters
from shared.tracing import TraceContext, new_span_id, now_ms


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


# The export as the Logboek names it: the partij's own access to and transfer of its data.
EXPORT_VERWERKING = "exporteren eigen gegevens"
EXPORT_VERWERKINGSACTIVITEIT = "urn:nl:profielservice:verwerkingsactiviteit:export"
EXPORT_DOEL = "inzage-en-overdraagbaarheid"
# Lookups read per page from the Logboek, until there are no more.
_INZAGE_PAGE = 100


@dataclass(frozen=True)
class Export:
    """What the export holds, before it is written as the API's document."""

    stored: StoredProfiel
    registratie: Registratie
    aangemaakt: datetime
    historie: list[dict[str, Any]]  # oldest first, as the history's changes
    inzage: list[dict[str, Any]]  # oldest first, as the inzage's processing activities
    contactmomenten: list[dict[str, Any]]  # oldest first, as the partij reads them


@dataclass(frozen=True)
class ProfielExporteren:
    """Everything held about the partij, in one document (AVG art. 15 and 20); the export is
    itself a processing, recorded in the Logboek before the document leaves."""

    lezen: ProfielLezen
    trail: Audittrail
    inzage: Inzage
    logboek: Logboek
    millis: Callable[[], int] = now_ms
    span_ids: Callable[[], str] = new_span_id
    # The contact moments organisations recorded with the partij: held about it, so exported.
    contactmomenten: Contactmomenten = field(kw_only=True)

    def __call__(self, caller: PartijCaller, trace: TraceContext) -> Export:
        start = self.millis()
        stored, registratie = self.lezen.profiel(caller, trace)
        historie = [access_log.change(r) for r in self.trail.of(caller.partij)]
        organisaties = self.lezen.register.all()
        lookups = [access_log.processing_activity(v, organisaties) for v in self._lookups(caller)]
        now = self.lezen.clock()
        momenten = [
            access_log.contactmoment(m, organisaties)
            for m in reversed(self.contactmomenten.van(caller.partij, now))
        ]
        self.logboek.write([self._verwerking(caller, trace, start)])
        return Export(stored, registratie, now, historie, lookups, momenten)

    def _lookups(self, caller: PartijCaller) -> list[Verwerking]:
        """Every lookup of the partij's data, oldest first."""
        found: list[Verwerking] = []
        before: str | None = None
        while True:
            page, before = self.inzage.lookups_of(caller.partij, _INZAGE_PAGE, before)
            found += page
            if before is None:
                return found[::-1]

    def _verwerking(self, caller: PartijCaller, trace: TraceContext, start: int) -> Verwerking:
        return Verwerking(
            trace_id=trace.trace_id,
            span_id=self.span_ids(),
            parent_span_id=trace.parent_span_id,
            name=EXPORT_VERWERKING,
            status="Ok",
            start_time=start,
            end_time=self.millis(),
            processing_activity_id=EXPORT_VERWERKINGSACTIVITEIT,
            data_subject_id=caller.partij,
            data_subject_id_type=ldv_id_type(caller.soort),
            oin=None,
            doel=EXPORT_DOEL,
            sealed_identifier=caller.sealed_identifier,
        )
