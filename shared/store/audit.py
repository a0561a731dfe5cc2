"""The audit trail: appended to by the process-log function, read by the owner and operators.

Appending links the record into its partij's chain after the chain's head - a copy of the last
record linked, one item per partij (``AuditKopItem``) - so that it costs the same however long
the trail is. Appends to one chain may race - a Knative Trigger can deliver one partij's records
to two process-log containers, a redelivery can overlap its original - and are safe to, with only
single-item conditional writes (ScyllaDB Alternator has no transactions), in this order:

1. read the head; then, in one batch read, whether the record and the head's record are in the
   trail;
2. move the head to the new record, conditional on the head's ``positie`` as read: of two
   appenders that read the same head, one moves it and the other reads it again and links after
   the winner's record;
3. write the record, only if absent.

An appender that stops between 2 and 3 leaves a head whose record is not in the trail yet; the
next append to that chain - the redelivery of the same change at the latest - writes it from the
head's copy before anything else. The record is not written first: a record written but not
linked by its head, should its appender stop, could not be found again without an index on its
place, and the next appender would link a second record to the same place.

A retried record may be appended after a later one of the same batch: the chain is in order of
appending (``positie``), the trail is shown in the order of the changes (``volgnummer``, the
version each produced). A record redelivered or replayed is recognised by its change and not
appended twice.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import time
from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import DoesNotExist, PutError

from shared.config import get_settings
from shared.models.audit import Actie, AuditRecord
from shared.store.tables import AuditItem, AuditKopItem, ProfielItem

# How often an append reads the head again after another appender moved it first, waiting a
# random while that doubles each time (jitter, so that the losers do not collide again). Appends
# to one chain are rare and short; more contention than this is worth a retry of the record.
MAX_ATTEMPTS = 25
BACKOFF_SECONDS = 0.005
MAX_BACKOFF_SECONDS = 0.1


class ChainContention(Exception):
    """The head of a chain kept moving under this append: the stream record is retried."""


class ChainMoved(Exception):
    """A key rotation moved this chain to the partij's new key: nothing is appended here."""


def chain_key(secret: bytes | None = None) -> bytes:
    """The key of the chains' HMAC, derived from the service's secret (or from ``secret``: the
    key a rotation replaces)."""
    if secret is None:
        secret = get_settings().pseudonym_key.get_secret_value().encode()
    return hmac.new(secret, b"auditketen", hashlib.sha256).digest()


class AuditTrail:
    def append(self, record: AuditRecord) -> bool:
        """Link ``record`` into its chain and write it once: False when it was already there (a
        redelivered stream record)."""
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                time.sleep(random.uniform(0, _backoff(attempt)))
            try:
                head = self._head(record.partij)
            except ChainMoved:
                # A stream record redelivered after a rotation moved the trail, which held it
                # already: a rotation moves a trail only once it has every change of its profile.
                return False
            in_trail = _in_trail(record.partij, {record.volgnummer} | _volgnummer_of(head))
            if head is not None and head.volgnummer not in in_trail and not _past(head):
                _write(head)  # its appender stopped after moving the head: finish its work
            # In the trail, or the head's: either way already linked (a redelivery).
            if record.volgnummer in in_trail | _volgnummer_of(head):
                return False
            linked = record.linked(head, chain_key())
            if _move_head(linked, head):
                _write(linked)
                return True
        raise ChainContention(f"the head of a chain moved {MAX_ATTEMPTS} times during an append")

    def _head(self, partij: str) -> AuditRecord | None:
        """The record linked into the partij's chain last; None for a chain not begun."""
        try:
            item = AuditKopItem.get(partij, consistent_read=True)
        except DoesNotExist:
            pass
        else:
            if item.verhuisd:
                raise ChainMoved
            return _record(item)
        # No head: a new chain, or one appended before chains had heads. For the latter, the
        # one read of its whole trail, then the head it should have had.
        last = max(self.of(partij), key=lambda r: r.positie, default=None)
        if last is None or _move_head(last, None):
            return last
        return _record(AuditKopItem.get(partij, consistent_read=True))  # another appender's

    def of(self, partij: str) -> list[AuditRecord]:
        """One partij's records in the order of its changes, those within their retention."""
        now = datetime.now(UTC)
        return [
            _record(item)
            for item in AuditItem.query(partij, consistent_read=True)
            if item.bewaren_tot is None or item.bewaren_tot > now
        ]

    def partijen(self) -> set[str]:
        """Every partij with an audit trail (an operator's full scan)."""
        return {item.partij for item in AuditItem.scan(attributes_to_get=["partij"])}


def profile_versions(partij: str | None = None) -> dict[str, int]:
    """The current version of every stored profile (an operator's full scan), or of one: what
    the audit trail must account for, change by change."""
    if partij is not None:
        items = ProfielItem.batch_get([partij], attributes_to_get=["partij", "version"])
    else:
        items = ProfielItem.scan(attributes_to_get=["partij", "version"])
    return {item.partij: int(item.version) for item in items}


def audit_item(linked: AuditRecord) -> AuditItem:
    """The stored form of a linked record, kept for the configured retention from its time."""
    bewaren_tot = datetime.fromisoformat(linked.tijdstip) + retention()
    return AuditItem(linked.partij, linked.volgnummer, bewaren_tot=bewaren_tot, **_link(linked))


def retention() -> timedelta:
    """How long an audit record is kept (``PROFIEL_AUDIT_RETENTION_DAYS``)."""
    return timedelta(days=get_settings().audit_retention_days)


def kept_since(now: datetime) -> datetime:
    """What is older than this may have passed its retention and be gone."""
    return now - retention()


def kop_item(linked: AuditRecord) -> AuditKopItem:
    """The stored form of the head of a chain whose last record is ``linked``."""
    return AuditKopItem(linked.partij, volgnummer=linked.volgnummer, **_link(linked))


def _backoff(attempt: int) -> float:
    return min(MAX_BACKOFF_SECONDS, BACKOFF_SECONDS * 2**attempt)


def _in_trail(partij: str, volgnummers: set[str]) -> set[str]:
    """Which of these records of the partij are in the trail: one consistent batch read."""
    found = AuditItem.batch_get(
        [(partij, v) for v in volgnummers],
        consistent_read=True,
        attributes_to_get=["partij", "volgnummer"],
    )
    return {item.volgnummer for item in found}


def _volgnummer_of(head: AuditRecord | None) -> set[str]:
    return {head.volgnummer} if head is not None else set()


def _move_head(linked: AuditRecord, previous: AuditRecord | None) -> bool:
    """Make ``linked`` the head, if the head is still ``previous``: False if another appender
    moved it first. Positions only grow, so the position alone says the head is unchanged."""
    condition = (
        AuditKopItem.positie == previous.positie
        if previous is not None
        else AuditKopItem.partij.does_not_exist()
    )
    return _put(kop_item(linked), condition)


def _write(linked: AuditRecord) -> None:
    """Write a linked record into the trail, unless it is there (then it is this very record:
    only the appender that moved the head to it, or whoever finishes its work, writes it)."""
    _put(audit_item(linked), AuditItem.volgnummer.does_not_exist())


def _put(item: AuditItem | AuditKopItem, condition: object) -> bool:
    try:
        item.save(condition=condition)
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def _link(record: AuditRecord) -> dict[str, object]:
    return {
        "actie": record.actie.value,
        "velden": list(record.velden),
        "versie_voor": record.versie_voor,
        "versie_na": record.versie_na,
        "actor_rol": record.actor_rol,
        "actor": record.actor,
        "tijdstip": record.tijdstip,
        "trace_id": record.trace_id,
        "positie": record.positie,
        "vorige_hash": record.vorige_hash,
        "hash": record.hash,
        "vorige_tijdstip": record.vorige_tijdstip,
    }


def _record(item: AuditItem | AuditKopItem) -> AuditRecord:
    return AuditRecord(
        partij=item.partij,
        volgnummer=item.volgnummer,
        actie=Actie(item.actie),
        velden=tuple(item.velden or ()),
        versie_voor=_int(item.versie_voor),
        versie_na=_int(item.versie_na),
        actor_rol=item.actor_rol,
        actor=item.actor,
        tijdstip=item.tijdstip,
        trace_id=item.trace_id,
        positie=int(item.positie),
        vorige_hash=item.vorige_hash,
        hash=item.hash,
        vorige_tijdstip=item.vorige_tijdstip,
    )


def _past(record: AuditRecord) -> bool:
    """Whether a record has passed its retention (then the store may have removed it)."""
    return datetime.fromisoformat(record.tijdstip) + retention() <= datetime.now(UTC)


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)
