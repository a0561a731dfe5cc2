"""The store operations a bulk lookup cannot avoid, by boto3 from the bench process: what each
measurement compares the service with, and how the bench seeds and reads back in bulk."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from bench.stack import LOOKUP_DOEL, BenchStack


def ldv_record(key: str, oin: str, run: str) -> dict[str, Any]:
    """An item as the Logboek stores one lookup, in DynamoDB's format."""
    from shared.models.ldv import Verwerking
    from shared.models.partij import SoortIdentificator, ldv_id_type
    from shared.store.logboek import verwerking_image

    now = time.time_ns() // 1_000_000
    verwerking = Verwerking(
        trace_id=uuid.uuid4().hex,
        span_id=uuid.uuid4().hex[:16],
        parent_span_id=None,
        name="opvragen contactvoorkeuren",
        status="Ok",
        start_time=now,
        end_time=now,
        processing_activity_id=f"https://register.example.nl/bench/{run}",
        data_subject_id=key,
        data_subject_id_type=ldv_id_type(SoortIdentificator.BSN),
        oin=oin,
        doel=LOOKUP_DOEL,
    )
    return verwerking_image(verwerking, timedelta(days=365))


def chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


class RawStore:
    """What a bulk lookup asks of the store, by boto3 on ``endpoint``, from the bench process."""

    def __init__(self, stack: BenchStack, endpoint: str, concurrency: int) -> None:
        import boto3
        from botocore.config import Config

        # One connection per request in flight, as the function's pool allows.
        config = Config(max_pool_connections=max(10, concurrency))
        self.client = boto3.client("dynamodb", endpoint_url=endpoint, config=config)
        self.profielen = stack.table_name("profielen")
        self.ldv = stack.table_name("ldv")
        self.concurrency = concurrency

    def get(self, keys: list[str]) -> int:
        """How many of these partijen have a profile (one ``BatchGetItem``, up to 100)."""
        return self.count(self.profielen, [{"partij": {"S": key}} for key in keys])

    def write(self, records: list[dict[str, Any]]) -> None:
        """LDV records (one ``BatchWriteItem``, up to 25)."""
        self.put(self.ldv, records)

    def count(self, table: str, keys: list[dict[str, Any]]) -> int:
        """How many of the items under ``keys`` (up to 100) ``table`` holds; unprocessed keys
        asked again."""
        found = 0
        pending: dict[str, Any] = {table: {"Keys": keys, "ConsistentRead": True}}
        while pending:
            response = self.client.batch_get_item(RequestItems=pending)
            found += len(response["Responses"].get(table, []))
            pending = response.get("UnprocessedKeys") or {}
        return found

    def put(self, table: str, items: list[dict[str, Any]]) -> None:
        """``items`` (up to 25) into ``table``; unprocessed items sent again."""
        pending: dict[str, Any] = {table: [{"PutRequest": {"Item": item}} for item in items]}
        while pending:
            answer = self.client.batch_write_item(RequestItems=pending)
            pending = answer.get("UnprocessedItems") or {}

    def batches(self, keys: list[str], records: list[dict[str, Any]], concurrent: bool) -> int:
        """Every profile read in batches, then every record written in batches; the number of
        profiles found."""
        from shared.store.batches import GET_BATCH_SIZE, WRITE_BATCH_SIZE

        gets = chunks(keys, GET_BATCH_SIZE)
        writes = chunks(records, WRITE_BATCH_SIZE)
        if not concurrent:
            found = sum(self.get(chunk) for chunk in gets)
            for chunk in writes:
                self.write(chunk)
            return found
        with ThreadPoolExecutor(self.concurrency) as pool:
            found = sum(pool.map(self.get, gets))
            list(pool.map(self.write, writes))
        return found

    def single(self, key: str, record: dict[str, Any]) -> None:
        self.client.get_item(
            TableName=self.profielen, Key={"partij": {"S": key}}, ConsistentRead=True
        )
        self.client.put_item(TableName=self.ldv, Item=record)


def _chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]
