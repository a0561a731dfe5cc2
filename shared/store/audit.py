"""The audit trail: appended to by the process-log function, read by the owner and operators.

Appending links the record into its partij's chain, after the last record appended. The records
of one partij come from one stream shard, handled one batch at a time, so appends to one chain
never race. A retried record may be appended after a later one of the same batch: the chain is in
order of appending (``positie``), the trail is shown in the order of the changes (``volgnummer``,
the version each produced). A record redelivered or replayed is recognised by its change and not
appended twice.
"""

from __future__ import annotations

import hashlib
import hmac

from pynamodb.exceptions import PutError

from shared.config import get_settings
from shared.models.audit import Actie, AuditRecord
from shared.store.tables import AuditItem, ProfielItem


def chain_key() -> bytes:
    """The key of the chains' HMAC, derived from the service's secret."""
    secret = get_settings().pseudonym_key.get_secret_value().encode()
    return hmac.new(secret, b"auditketen", hashlib.sha256).digest()


class AuditTrail:
    def append(self, record: AuditRecord) -> bool:
        """Link ``record`` into its chain and write it once: False when it was already there (a
        redelivered stream record)."""
        chain = self.of(record.partij)
        if any(r.volgnummer == record.volgnummer for r in chain):
            return False
        last = max(chain, key=lambda r: r.positie) if chain else None
        linked = record.linked(last, chain_key())
        try:
            _item(linked).save(condition=AuditItem.volgnummer.does_not_exist())
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def of(self, partij: str) -> list[AuditRecord]:
        """One partij's records in the order of its changes."""
        return [_record(item) for item in AuditItem.query(partij, consistent_read=True)]

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


def _item(record: AuditRecord) -> AuditItem:
    return AuditItem(
        record.partij,
        record.volgnummer,
        actie=record.actie.value,
        velden=list(record.velden),
        versie_voor=record.versie_voor,
        versie_na=record.versie_na,
        actor_rol=record.actor_rol,
        actor=record.actor,
        tijdstip=record.tijdstip,
        trace_id=record.trace_id,
        positie=record.positie,
        vorige_hash=record.vorige_hash,
        hash=record.hash,
    )


def _record(item: AuditItem) -> AuditRecord:
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
    )


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)
