"""The Logboek Dataverwerkingen in the store: written in batches, read per data subject.

Writing fails as a whole to the caller: an answer to an organisation may only leave once its
records are stored (fail closed), so any error is a ``niet-beschikbaar`` refusal.

Records are written in DynamoDB's own form (:func:`verwerking_image`), several batches in flight
(``shared.store.batches``): a bulk lookup writes 1000 at once, and a pynamodb model per record
cost as much as the requests themselves. They are read through the model (``VerwerkingItem``),
whose attributes the image must match: ``tests/unit/test_store_batches.py`` holds them together.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException

from shared.config import get_settings
from shared.errors import DomainError, niet_beschikbaar
from shared.models.ldv import Verwerking
from shared.store import batches
from shared.store.errors import store_unavailable
from shared.store.tables import VerwerkingItem, dispatcher


def logboek_niet_beschikbaar() -> DomainError:
    """The records could not all be stored: nothing may be told."""
    return niet_beschikbaar(
        "Het Logboek Dataverwerkingen is even niet bereikbaar; zonder vastlegging worden geen "
        "gegevens verstrekt. Probeer het zo opnieuw."
    )


class Logboek:
    def write(self, verwerkingen: Iterable[Verwerking]) -> None:
        """Store every record, or raise: returns only once all are stored."""
        retention = timedelta(days=get_settings().ldv_retention_days)
        images = [verwerking_image(verwerking, retention) for verwerking in verwerkingen]
        try:
            batches.put_items(dispatcher(VerwerkingItem), VerwerkingItem.Meta.table_name, images)
        except (PynamoDBException, BotoCoreError, ClientError, batches.UnprocessedItems):
            raise logboek_niet_beschikbaar() from None

    def lookups_of(
        self, betrokkene: str, limit: int, before: str | None = None
    ) -> tuple[list[Verwerking], str | None]:
        """The lookups by organisations of one data subject's data, newest first; and where the
        next page starts. (The partij's own changes are in the LDV too; its history shows them.)"""
        condition = VerwerkingItem.moment < before if before else None
        kept = VerwerkingItem.bewaren_tot.does_not_exist() | (
            VerwerkingItem.bewaren_tot > datetime.now(UTC)
        )
        try:
            items = list(
                VerwerkingItem.query(
                    betrokkene,
                    range_key_condition=condition,
                    filter_condition=VerwerkingItem.oin.exists() & kept,
                    scan_index_forward=False,
                    limit=limit + 1,
                    consistent_read=True,
                )
            )
        except PynamoDBException:
            raise store_unavailable() from None
        page = items[:limit]
        more = page[-1].moment if len(items) > limit else None
        return [_verwerking(item) for item in page], more

    def verwezen(self, verwijzing: str, oin: str) -> str | None:
        """What a kept record of this organisation's lookup encrypted for the partij UUID it gave
        (``shared.identity.verwijzing``); None if it gave no such UUID, or its records are gone."""
        now = datetime.now(UTC)
        try:
            for item in VerwerkingItem.verwijzingen.query(verwijzing):
                if (
                    item.oin == oin
                    and item.verwezen
                    and (item.bewaren_tot is None or item.bewaren_tot > now)
                ):
                    return item.verwezen
        except PynamoDBException:
            raise store_unavailable() from None
        return None


def verwerking_image(verwerking: Verwerking, retention: timedelta) -> dict[str, Any]:
    """The stored form of one LDV record as ``VerwerkingItem`` stores it, in DynamoDB's own form
    (what is None is left out, as pynamodb does); kept for ``retention`` from its start."""
    text = {
        "betrokkene": verwerking.data_subject_id,
        "moment": f"{verwerking.start_time:013d}-{verwerking.span_id}",
        "trace_id": verwerking.trace_id,
        "span_id": verwerking.span_id,
        "parent_span_id": verwerking.parent_span_id,
        "name": verwerking.name,
        "status": verwerking.status,
        "oin": verwerking.oin,
        "doel": verwerking.doel,
        "sealed_identifier": verwerking.sealed_identifier,
        "verwijzing": verwerking.verwijzing.uuid if verwerking.verwijzing else None,
        "verwezen": verwerking.verwijzing.versleuteld if verwerking.verwijzing else None,
    }
    started = datetime.fromtimestamp(verwerking.start_time / 1000, UTC)
    image: dict[str, Any] = {
        name: {"S": value} for name, value in text.items() if value is not None
    }
    image["start_time"] = {"N": str(verwerking.start_time)}
    image["end_time"] = {"N": str(verwerking.end_time)}
    image["attributes"] = {"M": {name: {"S": v} for name, v in verwerking.attributes.items()}}
    image["bewaren_tot"] = {"N": str(int((started + retention).timestamp()))}
    return image


def _verwerking(item: VerwerkingItem) -> Verwerking:
    attributes = item.attributes.as_dict()
    return Verwerking(
        trace_id=item.trace_id,
        span_id=item.span_id,
        parent_span_id=item.parent_span_id,
        name=item.name,
        status=item.status,
        start_time=int(item.start_time),
        end_time=int(item.end_time),
        processing_activity_id=attributes["dpl.core.processing_activity_id"],
        data_subject_id=attributes["dpl.core.data_subject_id"],
        data_subject_id_type=attributes["dpl.core.data_subject_id_type"],
        oin=item.oin,
        doel=item.doel,
        processor=attributes.get("dpl.core.foreign_operation.processor"),
    )
