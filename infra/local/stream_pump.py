"""Feeds a table's stream to a function exactly as AWS Lambda's event source mapping would.

It reads the stream through the DynamoDB Streams API of the store (``GetShardIterator``,
``GetRecords``), builds the Lambda event (``{"Records": [...]}`` with ``eventSourceARN`` and
``ApproximateCreationDateTime`` in epoch seconds), calls the handler, and honours partial-batch
failure reports: a reported record and everything after it in its shard is delivered again.

It starts at the stream's end (``LATEST``): a restored snapshot was audited before it was taken.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import boto3

from shared.logs import logger

Handler = Callable[[dict[str, Any], Any], dict[str, Any] | None]

BATCH_SIZE = 100
POLL_INTERVAL_SECONDS = 0.1
RETRY_DELAY_SECONDS = 1.0


class StreamPump:
    def __init__(self, table_name: str, handler: Handler, endpoint: str | None = None) -> None:
        self._table_name = table_name
        self._handler = handler
        self._dynamodb = boto3.client("dynamodb", endpoint_url=endpoint)
        self._streams = boto3.client("dynamodbstreams", endpoint_url=endpoint)
        self._stop = threading.Event()
        self._progress = threading.Condition()
        self._last_empty_pass_started = float("-inf")
        self._thread: threading.Thread | None = None
        self._iterators: dict[str, str] = {}
        self._stream_arn = ""

    def start(self) -> StreamPump:
        """Position at the end of every shard, then pump in a background thread."""
        table = self._dynamodb.describe_table(TableName=self._table_name)["Table"]
        self._stream_arn = table["LatestStreamArn"]
        for shard_id in self._shard_ids():
            self._iterators[shard_id] = self._iterator(shard_id, "LATEST")
        self._thread = threading.Thread(target=self._run, name="stream-pump", daemon=True)
        self._thread.start()
        return self

    def stop(self, drain_timeout_seconds: float = 5) -> None:
        """Deliver what is on the stream now, then stop."""
        self.wait_until_idle(drain_timeout_seconds)
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=drain_timeout_seconds)

    def wait_until_idle(self, timeout_seconds: float = 5) -> bool:
        """True once a pass that began after this call found nothing new to deliver."""
        asked = time.monotonic()
        with self._progress:
            return self._progress.wait_for(
                lambda: self._last_empty_pass_started >= asked, timeout_seconds
            )

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                delivered = self._pass()
            except Exception as error:  # keep pumping; the store may be restarting
                logger.warning("stream pump pass failed", extra={"error": type(error).__name__})
                delivered = -1
            if delivered == 0:
                with self._progress:
                    self._last_empty_pass_started = started
                    self._progress.notify_all()
            if delivered <= 0:
                self._stop.wait(POLL_INTERVAL_SECONDS)

    def _pass(self) -> int:
        for shard_id in self._shard_ids():
            if shard_id not in self._iterators:  # a new shard: read it from its start
                self._iterators[shard_id] = self._iterator(shard_id, "TRIM_HORIZON")
        delivered = 0
        for shard_id, iterator in list(self._iterators.items()):
            response = self._streams.get_records(ShardIterator=iterator, Limit=BATCH_SIZE)
            records = response["Records"]
            next_iterator = response.get("NextShardIterator")
            if records:
                failed_at = self._deliver(records)
                if failed_at is not None:
                    # Lambda semantics: retry from the first failed record, after a pause.
                    next_iterator = self._iterator(shard_id, "AT_SEQUENCE_NUMBER", failed_at)
                    self._stop.wait(RETRY_DELAY_SECONDS)
                delivered += len(records)
            if next_iterator:
                self._iterators[shard_id] = next_iterator
            else:
                del self._iterators[shard_id]  # a closed shard
        return delivered

    def _deliver(self, records: list[dict[str, Any]]) -> str | None:
        """Call the handler; the sequence number to resume at, if any record failed."""
        event = {"Records": [self._lambda_record(record) for record in records]}
        try:
            result = self._handler(event, None) or {}
        except Exception as error:
            logger.warning("stream handler failed", extra={"error": type(error).__name__})
            return records[0]["dynamodb"]["SequenceNumber"]
        failures = [f["itemIdentifier"] for f in result.get("batchItemFailures", [])]
        return min(failures, key=int) if failures else None

    def _lambda_record(self, record: dict[str, Any]) -> dict[str, Any]:
        stream = dict(record["dynamodb"])
        created = stream.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            stream["ApproximateCreationDateTime"] = int(created.timestamp())
        return {**record, "dynamodb": stream, "eventSourceARN": self._stream_arn}

    def _shard_ids(self) -> list[str]:
        description = self._streams.describe_stream(StreamArn=self._stream_arn)["StreamDescription"]
        return [shard["ShardId"] for shard in description["Shards"]]

    def _iterator(self, shard_id: str, kind: str, sequence_number: str | None = None) -> str:
        arguments = {"StreamArn": self._stream_arn, "ShardId": shard_id, "ShardIteratorType": kind}
        if sequence_number:
            arguments["SequenceNumber"] = sequence_number
        return self._streams.get_shard_iterator(**arguments)["ShardIterator"]
