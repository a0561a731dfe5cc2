"""What can go wrong with any write or read of the store, as the callers see it."""

from __future__ import annotations

from shared.errors import DomainError, niet_beschikbaar


class VersionConflict(Exception):
    """Someone else changed the item since the version the caller read."""


def store_unavailable() -> DomainError:
    return niet_beschikbaar("De opslag is even niet bereikbaar. Probeer het zo opnieuw.")
