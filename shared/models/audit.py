"""An audit record: who changed which fields of a profile, when, in which request. Never values.

Per partij the records form a chain: each carries its place (``positie``) and the hash of the one
before it, and its own ``hash`` is a keyed HMAC over all of that. Whoever edits, removes or
inserts a record without the key breaks the chain at that place (:func:`first_broken_link`).

Records are kept for a retention, after which the store removes them, oldest first. A chain may
therefore begin at a later record - but only one whose predecessor's time, which it carries
under its HMAC (``vorige_tijdstip``), is past the retention: removing recent records still
breaks it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
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
    # When the record before it was made: what says that record may have passed its retention.
    # None for the first record, and in records linked before it was kept.
    vorige_tijdstip: str | None = None

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
            vorige_tijdstip=previous.tijdstip if previous else None,
            hash="",
        )
        return replace(chained, hash=chained.expected_hash(key))

    def expected_hash(self, key: bytes) -> str:
        content = asdict(self)
        content.pop("hash")
        if content["vorige_tijdstip"] is None:  # as records were hashed before it was kept
            content.pop("vorige_tijdstip")
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
        return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def relinked(
    records: Iterable[AuditRecord], partij: str, key: bytes, actor: Callable[[str], str]
) -> list[AuditRecord]:
    """A chain moved to another key of its partij (a key rotation): the same records in the same
    places, now of ``partij``, each representative's pseudonym through ``actor``, linked anew
    under ``key``. A chain that begins after its retention begins at the same place, after the
    same (removed) predecessor."""
    moved: list[AuditRecord] = []
    previous: AuditRecord | None = None
    for record in sorted(records, key=lambda r: r.positie):
        if previous is None and record.positie > 1:
            # Stands in for the removed record before it: its place, hash and time.
            previous = replace(
                record,
                positie=record.positie - 1,
                hash=record.vorige_hash,
                tijdstip=record.vorige_tijdstip,  # type: ignore[arg-type]
            )
        previous = replace(
            record, partij=partij, actor=actor(record.actor) if record.actor else None
        ).linked(previous, key)
        moved.append(previous)
    return moved


def produced_version(versie_voor: int | None, versie_na: int | None) -> int:
    """The version a change produced: the new item's; a removal ends the version before it."""
    if versie_na is not None:
        return versie_na
    if versie_voor is not None:
        return versie_voor + 1
    raise ValueError("a change without a version before or after it")


def volgnummer(version: int) -> str:
    return str(version).zfill(VERSION_WIDTH)


def first_missing_version(
    records: Iterable[AuditRecord], current_version: int, kept_since: datetime | None = None
) -> int | None:
    """The lowest version from 1 to ``current_version`` that no record produced; None if every
    change has its record. A whole chain can still lack records: completeness is its own check.
    The versions before a chain that begins after its retention (``kept_since``: what is older
    may be gone) are not asked for."""
    records = list(records)
    recorded = {record.versie for record in records}
    start = _start(records, kept_since)
    first = start.versie if start is not None and start.positie > 1 else 1
    return next((v for v in range(first, current_version + 1) if v not in recorded), None)


def first_broken_link(
    records: Iterable[AuditRecord], key: bytes, kept_since: datetime | None = None
) -> AuditRecord | None:
    """The first record, in chain order, that does not follow from the one before; None if the
    chain is whole. With ``kept_since``, the chain may begin at a later record whose predecessor
    is older than that: the store removed what passed its retention."""
    previous: AuditRecord | None = None
    for record in sorted(records, key=lambda r: r.positie):
        if previous is None and _begins_after_retention(record, kept_since):
            if not hmac.compare_digest(record.hash, record.expected_hash(key)):
                return record
            previous = record
            continue
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


def _start(records: list[AuditRecord], kept_since: datetime | None) -> AuditRecord | None:
    first = min(records, key=lambda r: r.positie, default=None)
    return first if first is not None and _begins_after_retention(first, kept_since) else None


def _begins_after_retention(record: AuditRecord, kept_since: datetime | None) -> bool:
    """Whether ``record`` may be the first of what is left of its chain: not the first ever,
    and the one before it older than what is kept."""
    return (
        kept_since is not None
        and record.positie > 1
        and record.vorige_tijdstip is not None
        and datetime.fromisoformat(record.vorige_tijdstip) < kept_since
    )
