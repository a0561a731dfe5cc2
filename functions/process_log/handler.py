"""Entry points of process-log.

- AWS Lambda: a DynamoDB Streams batch, with partial-batch failure reporting (powertools), so one
  bad record is retried without redoing or losing the others;
- Knative: a CloudEvent whose data is one stream record (a Trigger delivers and retries each);
- OpenFaaS: ``handle(event, context)`` with a stream batch as the body.

Per stream record, the pure core (``core.record_change``) builds all three from the change; here
they are only written and sent, in this order, each step safe to repeat: the audit record
(idempotent on the change - partij and version - linked into the partij's hash chain), its LDV
record (the same item again on a redelivery), and the "contact details changed" event (at least
once, its id derived from the change, so the same on every redelivery and unique across stream
generations). A failing step fails the record, which is retried and finally dead-lettered - never
skipped.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from functions.process_log.core import record_change
from shared import snapstart
from shared.config import get_event_settings
from shared.logs import logger
from shared.publish import publish
from shared.store.audit import AuditTrail
from shared.store.logboek import Logboek

trail = AuditTrail()
logboek = Logboek()
# Resumed from a SnapStart snapshot, the function drops what it kept from before.
snapstart.register_hooks()


def record_handler(record: DynamoDBRecord) -> None:
    settings = get_event_settings()
    # The record as the stream delivered it (DynamoDB's own form): the core reads its images as
    # the repository reads a stored item.
    change = record_change(record.raw_event, settings.eigen_profielbeheer, settings.public_base_url)
    if change is None:
        logger.info("a key rotation moved the item: nothing to record")
        return
    if not trail.append(change.audit):
        logger.info("audit record already written", extra={"versie": change.audit.versie})
    logboek.write([change.verwerking])
    publish(change.event)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # A processor per batch: it keeps the batch's results on itself, and batches of several
    # shards may be handled at once.
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )


def cloudevent_handler(cloud_event: Any) -> None:
    record_handler(DynamoDBRecord(cloud_event.data))


def handle(event: Any, context: Any) -> dict[str, Any]:
    batch = json.loads(event.body or b"{}")
    result = lambda_handler(batch, context)
    return {
        "statusCode": 200,
        "body": json.dumps(result),
        "headers": {"Content-Type": "application/json"},
    }
