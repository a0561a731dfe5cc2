"""Building requests and ids for the pure cores' unit tests, short enough to read in a test."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from shared.models.profiel import ContactgegevenToevoegen, ContactgegevenWijzigen


def uid(n: int) -> UUID:
    return UUID(f"00000000-0000-4000-8000-{n:012d}")


def toevoegen(soort: str, adres: str, **extra: Any) -> ContactgegevenToevoegen:
    return ContactgegevenToevoegen.model_validate(
        {"soortDigitaalAdres": soort, "adres": adres, **extra}
    )


def wijzigen(body: dict[str, Any]) -> ContactgegevenWijzigen:
    return ContactgegevenWijzigen.model_validate(body)
