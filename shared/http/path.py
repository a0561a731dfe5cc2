from __future__ import annotations

from uuid import UUID

from shared.problems import not_found


def uuid_parameter(value: str) -> UUID:
    """A path parameter that must be a UUID; anything else names no resource here (404)."""
    try:
        return UUID(value)
    except ValueError:
        raise not_found() from None
