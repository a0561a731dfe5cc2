from __future__ import annotations

from uuid import UUID

from shared.models.values import normalise_oin
from shared.problems import not_found


def uuid_parameter(value: str) -> UUID:
    """A path parameter that must be a UUID; anything else names no resource here (404)."""
    try:
        return UUID(value)
    except ValueError:
        raise not_found() from None


def oin_parameter(value: str) -> str:
    """An organisation's OIN in a path (an organisation's number, never a person's)."""
    try:
        return normalise_oin(value)
    except ValueError:
        raise not_found() from None
