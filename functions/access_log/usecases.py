"""What the owner reads about their own data: who looked it up and why (the inzage, from the
Logboek Dataverwerkingen), and every change of the profile (the history, from the audit trail)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from functions.access_log import core
from shared.identity.access import PartijCaller
from shared.ports import Audittrail, Clock, Contactmomenten, Inzage, Register


@dataclass(frozen=True)
class HistorieLezen:
    trail: Audittrail

    def __call__(self, caller: PartijCaller) -> list[dict[str, Any]]:
        """The profile's changes, newest first: which fields, when, in which role (no values)."""
        return [core.change(r) for r in reversed(self.trail.of(caller.partij))]


@dataclass(frozen=True)
class InzageLezen:
    logboek: Inzage
    register: Register

    def __call__(self, caller: PartijCaller, limit: int, before: str | None) -> dict[str, Any]:
        """One page of the lookups of the caller's data, newest first, each with the
        organisation and the purpose from the register; where the next page starts."""
        records, more = self.logboek.lookups_of(caller.partij, limit, before)
        organisaties = self.register.all()
        return {
            "processingActivities": [core.processing_activity(r, organisaties) for r in records],
            "volgende": more,
        }


@dataclass(frozen=True)
class ContactmomentenLezen:
    contactmomenten: Contactmomenten
    register: Register
    clock: Clock

    def __call__(self, caller: PartijCaller) -> list[dict[str, Any]]:
        """The contact moments organisations recorded with the partij, newest first, each with
        the organisation's name from the register."""
        organisaties = self.register.all()
        return [
            core.contactmoment(m, organisaties)
            for m in self.contactmomenten.van(caller.partij, self.clock())
        ]
