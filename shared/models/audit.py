"""An audit record: who changed which fields of a profile, when, in which request. Never values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Actie(StrEnum):
    AANGEMAAKT = "aangemaakt"
    GEWIJZIGD = "gewijzigd"
    VERWIJDERD = "verwijderd"


@dataclass(frozen=True)
class AuditRecord:
    partij: str  # pseudonym
    volgnummer: str  # the stream record's sequence number, zero-padded: unique per change
    actie: Actie
    velden: tuple[str, ...]
    versie_voor: int | None
    versie_na: int | None
    actor_rol: str
    actor: str | None  # pseudonym of a representative
    tijdstip: str  # ISO 8601
    trace_id: str | None
