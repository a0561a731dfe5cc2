"""An audit record: who changed which fields of a profile, when, in which request. Never values.

Per partij the records form a chain: each carries its place (``positie``) and the hash of the one
before it, and its own ``hash`` is a keyed HMAC over all of that. Whoever edits, removes or
inserts a record without the key breaks the chain at that place (:func:`first_broken_link`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

# The "previous hash" of the first record of a chain.
GENESIS = "0" * 64
# A volgnummer's digits: zero-padded so that the sort key sorts as the versions do.
VERSION_WIDTH = 20


class Actie(StrEnum):
    AANGEMAAKT = "aangemaakt"
    GEWIJZIGD = "gewijzigd"
    VERWIJDERD = "verwijderd"


@dataclass(frozen=True)
class AuditRecord:
    partij: str  # pseudonym
    volgnummer: str  # the profile version the change produced, zero-padded: one per change
    actie: Actie
    velden: tuple[str, ...]
    versie_voor: int | None
    versie_na: int | None
    actor_rol: str
    actor: str | None  # pseudonym of a representative
    tijdstip: str  # ISO 8601
    trace_id: str | None
    # The chain, set when the record is appended.
    positie: int = 0
    vorige_hash: str = GENESIS
    hash: str = ""

    @property
    def versie(self) -> int:
        """The version of the profile this change produced."""
        return produced_version(self.versie_voor, self.versie_na)

    def linked(self, previous: AuditRecord | None, key: bytes) -> AuditRecord:
        """This record as the next link after ``previous`` (``None``: the first)."""
        chained = replace(
            self,
            positie=previous.positie + 1 if previous else 1,
            vorige_hash=previous.hash if previous else GENESIS,
            hash="",
        )
        return replace(chained, hash=chained.expected_hash(key))

    def expected_hash(self, key: bytes) -> str:
        content = asdict(self)
        content.pop("hash")
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
        return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def produced_version(versie_voor: int | None, versie_na: int | None) -> int:
    """The version a change produced: the new item's; a removal ends the version before it."""
    if versie_na is not None:
        return versie_na
    if versie_voor is not None:
        return versie_voor + 1
    raise ValueError("a change without a version before or after it")


def volgnummer(version: int) -> str:
    return str(version).zfill(VERSION_WIDTH)


def first_missing_version(records: Iterable[AuditRecord], current_version: int) -> int | None:
    """The lowest version from 1 to ``current_version`` that no record produced; None if every
    change has its record. A whole chain can still lack records: completeness is its own check."""
    recorded = {record.versie for record in records}
    return next((v for v in range(1, current_version + 1) if v not in recorded), None)


def first_broken_link(records: Iterable[AuditRecord], key: bytes) -> AuditRecord | None:
    """The first record, in chain order, that does not follow from the one before; None if the
    chain is whole."""
    previous: AuditRecord | None = None
    for record in sorted(records, key=lambda r: r.positie):
        expected_position = previous.positie + 1 if previous else 1
        expected_previous = previous.hash if previous else GENESIS
        if (
            record.positie != expected_position
            or record.vorige_hash != expected_previous
            or not hmac.compare_digest(record.hash, record.expected_hash(key))
        ):
            return record
        previous = record
    return None
