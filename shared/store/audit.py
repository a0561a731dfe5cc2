"""The audit trail: appended to by the process-log function, read by the owner and operators."""

from __future__ import annotations

from pynamodb.exceptions import PutError

from shared.models.audit import Actie, AuditRecord
from shared.store.tables import AuditItem


class AuditTrail:
    def append(self, record: AuditRecord) -> bool:
        """Write ``record`` once: False when it was already there (a redelivered stream record)."""
        item = AuditItem(
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
        )
        try:
            item.save(condition=AuditItem.volgnummer.does_not_exist())
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def of(self, partij: str) -> list[AuditRecord]:
        return [
            AuditRecord(
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
            )
            for item in AuditItem.query(partij, consistent_read=True)
        ]


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)
