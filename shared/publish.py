"""Publishing change events to their subscribers: HTTP (webhooks, a Knative Broker) and AWS
EventBridge, as configured (``shared.config.EventSettings``).

At least once: a failure raises, the stream record is retried, and the event goes out again with
the same ``id``. Nothing is logged but the target kind and the status.
"""

from __future__ import annotations

import json
from typing import Any

from shared.config import get_event_settings
from shared.logs import logger

CLOUDEVENTS_JSON = "application/cloudevents+json; charset=utf-8"


class PublishFailed(Exception):
    """A subscriber did not take the event; the stream record must be retried."""


def publish(event: dict[str, Any]) -> None:
    settings = get_event_settings()
    body = json.dumps(event, separators=(",", ":"))
    targets = [str(url) for url in settings.webhooks]
    if settings.k_sink is not None:
        targets.append(str(settings.k_sink))
    for url in targets:
        _post(url, body, settings.timeout_seconds)
    if settings.event_bus:
        _put_on_event_bridge(settings.event_bus, event, body)


def _post(url: str, body: str, timeout_seconds: float) -> None:
    import requests  # imported only where webhooks or a sink are configured (cold start)

    try:
        response = requests.post(
            url,
            data=body.encode(),
            headers={"Content-Type": CLOUDEVENTS_JSON},
            timeout=timeout_seconds,
        )
    except requests.RequestException as error:
        logger.warning(
            "event not delivered", extra={"target": "http", "error": type(error).__name__}
        )
        raise PublishFailed from None
    if response.status_code >= 300:
        logger.warning("event refused", extra={"target": "http", "status": response.status_code})
        raise PublishFailed


def _put_on_event_bridge(bus: str, event: dict[str, Any], body: str) -> None:
    import boto3  # in the Lambda runtime; imported only where a bus is configured

    entry = {
        "EventBusName": bus,
        "Source": event["source"],
        "DetailType": event["type"],
        "Detail": body,
    }
    result = boto3.client("events").put_events(Entries=[entry])
    if result.get("FailedEntryCount"):
        logger.warning("event not put on the bus", extra={"target": "eventbridge"})
        raise PublishFailed
