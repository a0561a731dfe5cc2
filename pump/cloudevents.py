"""The stream pump's handler on Knative: each stream record as one CloudEvent to a Broker."""

from __future__ import annotations

import json
from typing import Any

from pump.stream import Handler

# The type of the CloudEvent that carries one stream record (a Trigger filters on it).
STREAM_RECORD_TYPE = "nl.profielservice.stream-record"
STREAM_RECORD_SOURCE = "urn:nl:profielservice:stream-pump"


def cloudevent_forwarder(sink_url: str, timeout_seconds: float = 10) -> Handler:
    """A handler that sends each stream record as one CloudEvent to ``sink_url`` - a Knative
    Broker, whose Trigger delivers it to process-log's ``cloudevent_handler``. A record the sink
    does not accept is reported as failed, so the pump retries it (and dead-letters it at last).
    """
    import requests

    def forward(event: dict[str, Any], context: Any) -> dict[str, Any]:
        failures = []
        for record in event["Records"]:
            sequence_number = record["dynamodb"]["SequenceNumber"]
            cloud_event = {
                "specversion": "1.0",
                "id": sequence_number,
                "source": STREAM_RECORD_SOURCE,
                "type": STREAM_RECORD_TYPE,
                "datacontenttype": "application/json",
                "data": record,
            }
            try:
                response = requests.post(
                    sink_url,
                    data=json.dumps(cloud_event, default=str),
                    headers={"Content-Type": "application/cloudevents+json"},
                    timeout=timeout_seconds,
                )
                accepted = response.status_code < 300
            except requests.RequestException:
                accepted = False
            if not accepted:
                failures.append({"itemIdentifier": sequence_number})
                break  # the rest of the shard waits: records of a profile stay in order
        return {"batchItemFailures": failures}

    return forward
