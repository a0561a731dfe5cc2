"""What can go wrong with any write or read of the store, as the callers see it."""

from __future__ import annotations

from shared.problems import Problem, service_unavailable


class VersionConflict(Exception):
    """Someone else changed the item since the version the caller read."""


def store_unavailable() -> Problem:
    return service_unavailable("De opslag is even niet bereikbaar. Probeer het zo opnieuw.")
