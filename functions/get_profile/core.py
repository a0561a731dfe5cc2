"""Reading one's own profile: what of the stored profile the owner gets to see."""

from __future__ import annotations

from uuid import UUID

from shared.models.profiel import Contactgegeven, Profiel
from shared.problems import not_found


def contactgegeven(profiel: Profiel, contactgegeven_id: UUID) -> Contactgegeven:
    found = profiel.contactgegeven(contactgegeven_id)
    if found is None:
        raise not_found("Dit contactgegeven staat niet in uw profiel.")
    return found
