"""The repository of verification states: one per contact detail, replaced only conditionally.

Every write names the version it read, so two requests for the same contact detail never both
count as the one allowed send or as the same wrong attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from pynamodb.exceptions import DoesNotExist, PutError, PynamoDBException

from shared.models.verificatie import Verificatie
from shared.store.errors import VersionConflict, store_unavailable
from shared.store.tables import VerificatieItem


@dataclass(frozen=True)
class StoredVerificatie:
    verificatie: Verificatie
    # 0 when nothing is stored; an expired state reads as a new one but keeps its version, so
    # that replacing it is still conditional.
    version: int


class VerificatieRepository:
    def get(self, partij: str, contactgegeven_id: UUID, now: datetime) -> StoredVerificatie:
        try:
            item = VerificatieItem.get(partij, str(contactgegeven_id), consistent_read=True)
        except DoesNotExist:
            return StoredVerificatie(Verificatie(), 0)
        except PynamoDBException:
            raise store_unavailable() from None
        verificatie = Verificatie(
            verzonden=tuple(datetime.fromisoformat(sent) for sent in item.verzonden),
            code_hash=item.code_hash,
            foute_pogingen=int(item.foute_pogingen),
        )
        vervalt_op = verificatie.vervalt_op
        if vervalt_op is None or now >= vervalt_op:
            # The TTL may not have removed it yet; it no longer counts for anything.
            return StoredVerificatie(Verificatie(), item.version)
        return StoredVerificatie(verificatie, item.version)

    def save(
        self,
        partij: str,
        contactgegeven_id: UUID,
        verificatie: Verificatie,
        expected_version: int,
    ) -> int:
        """Store ``verificatie`` if the stored version is still ``expected_version``."""
        vervalt_op = verificatie.vervalt_op
        item = VerificatieItem(
            partij,
            str(contactgegeven_id),
            verzonden=[sent.astimezone(UTC).isoformat() for sent in verificatie.verzonden],
            code_hash=verificatie.code_hash,
            foute_pogingen=verificatie.foute_pogingen,
            vervalt_op=vervalt_op.astimezone(UTC) if vervalt_op else None,
        )
        if expected_version:
            item.version = expected_version
        try:
            item.save()
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                raise VersionConflict from None
            raise store_unavailable() from None
        return item.version

    def vergeet(self, partij: str) -> None:
        """Remove every verification state of the partij (its profile is erased)."""
        try:
            with VerificatieItem.batch_write() as batch:
                for item in VerificatieItem.query(partij, consistent_read=True):
                    batch.delete(item)
        except PynamoDBException:
            raise store_unavailable() from None
