"""Feeds a table's stream to a handler exactly as AWS Lambda's event source mapping would.

It reads the stream through the DynamoDB Streams API of the store (``GetShardIterator``,
``GetRecords``), builds the Lambda event (``{"Records": [...]}`` with ``eventSourceARN`` and
``ApproximateCreationDateTime`` in epoch seconds), calls the handler, and honours partial-batch
failure reports: a reported record and everything after it in its shard is delivered again.

Nothing is lost and nothing repeated in effect:
- it **checkpoints** the last sequence number delivered per shard (``checkpoint``, a file) and,
  started again on the same stream, resumes right after it; on a new stream (the embedded store
  starts empty) it starts at the end (``LATEST``) as it is when positioned: a restored snapshot
  was audited before, the writes of a replayed journal come after (and are audited again,
  which the audit trail recognises);
- a record that keeps failing is retried ``max_attempts`` times, then written to the
  **dead-letter** folder with everything needed to replay it (``profiel audit replay``), and the
  pump moves on - as Lambda does with an on-failure destination.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3

from pump.state import read_checkpoint, write_checkpoint, write_dead_letter
from shared.logs import logger

Handler = Callable[[dict[str, Any], Any], dict[str, Any] | None]

BATCH_SIZE = 100
POLL_INTERVAL_SECONDS = 0.1
RETRY_DELAY_SECONDS = 1.0
MAX_ATTEMPTS = 5


class StreamPump:
    def __init__(
        self,
        table_name: str,
        handler: Handler,
        endpoint: str | None = None,
        checkpoint: Path | None = None,
        dead_letter: Path | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        retry_delay_seconds: float = RETRY_DELAY_SECONDS,
    ) -> None:
        self._table_name = table_name
        self.handler = handler  # replaceable while running: tests inject faults with it
        self._checkpoint = checkpoint
        self._dead_letter = dead_letter
        self._max_attempts = max_attempts
        self._retry_delay_seconds = retry_delay_seconds
        self._attempts: dict[tuple[str, str], int] = {}
        self._positions: dict[str, str] = {}
        self._dynamodb = boto3.client("dynamodb", endpoint_url=endpoint)
        self._streams = boto3.client("dynamodbstreams", endpoint_url=endpoint)
        self._stop = threading.Event()
        self._progress = threading.Condition()
        self._last_empty_pass_started = float("-inf")
        self._thread: threading.Thread | None = None
        self._iterators: dict[str, str] = {}
        self._stream_arn = ""

    def position(self) -> StreamPump:
        """Begin after the checkpoint, or at the end of every shard as it is now: what is written
        from here on is delivered, even before :meth:`start`."""
        table = self._dynamodb.describe_table(TableName=self._table_name)["Table"]
        self._stream_arn = table["LatestStreamArn"]
        self._positions = read_checkpoint(self._checkpoint, self._stream_arn)
        for shard_id in self._shard_ids():
            position = self._positions.get(shard_id)
            self._iterators[shard_id] = (
                self._iterator(shard_id, "AFTER_SEQUENCE_NUMBER", position)
                if position
                else self._iterator(shard_id, "LATEST")
            )
        return self

    def start(self) -> StreamPump:
        """Pump in a thread, from where :meth:`position` put it (by default: from now)."""
        if self._thread is not None:
            return self
        if not self._stream_arn:
            self.position()
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
                if failed_at is None:
                    self._advance(shard_id, records[-1]["dynamodb"]["SequenceNumber"])
                elif self._given_up(shard_id, failed_at, records):
                    next_iterator = self._iterator(shard_id, "AFTER_SEQUENCE_NUMBER", failed_at)
                else:
                    # Lambda semantics: retry from the first failed record, after a pause.
                    next_iterator = self._iterator(shard_id, "AT_SEQUENCE_NUMBER", failed_at)
                    self._stop.wait(self._retry_delay_seconds)
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
            result = self.handler(event, None) or {}
        except Exception as error:
            logger.warning("stream handler failed", extra={"error": type(error).__name__})
            return records[0]["dynamodb"]["SequenceNumber"]
        failures = [f["itemIdentifier"] for f in result.get("batchItemFailures", [])]
        return min(failures, key=int) if failures else None

    def _given_up(self, shard_id: str, failed_at: str, records: list[dict[str, Any]]) -> bool:
        """Count one more failed attempt of a record; after the last, dead-letter it and move
        past it (True). Records before it in the batch were delivered."""
        attempt = (shard_id, failed_at)
        self._attempts[attempt] = self._attempts.get(attempt, 0) + 1
        if self._attempts[attempt] < self._max_attempts:
            return False
        del self._attempts[attempt]
        [failed] = [r for r in records if r["dynamodb"]["SequenceNumber"] == failed_at]
        self._write_dead_letter(shard_id, failed)
        self._advance(shard_id, failed_at)
        return True

    def _write_dead_letter(self, shard_id: str, record: dict[str, Any]) -> None:
        sequence_number = record["dynamodb"]["SequenceNumber"]
        logger.error(
            "stream record dead-lettered",
            extra={"sequence_number": sequence_number, "attempts": self._max_attempts},
        )
        if self._dead_letter is None:
            return
        write_dead_letter(
            self._dead_letter,
            self._stream_arn,
            shard_id,
            sequence_number,
            self._max_attempts,
            {"Records": [self._lambda_record(record)]},
        )

    def _advance(self, shard_id: str, sequence_number: str) -> None:
        self._positions[shard_id] = sequence_number
        if self._checkpoint is not None:
            write_checkpoint(self._checkpoint, self._stream_arn, self._positions)

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
