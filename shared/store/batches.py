"""Many items at once: DynamoDB's batch operations, their requests in flight together.

``BatchGetItem`` takes at most 100 keys a request and ``BatchWriteItem`` 25 items, so a bulk
lookup of 1000 partijen is 10 reads and 40 writes. One after another, each waits its own round
trip to the store (DynamoDB: a few milliseconds each, whatever the number of items); here up to
:data:`BATCH_CONCURRENCY` are in flight at once, which keeps a function within botocore's pool
of 10 connections and a burst of requests within what one partition takes without throttling.

A batch request may leave part of its items unprocessed (throttling, a response over 16 MB):
those are asked again after an exponential backoff with full jitter, as AWS advises for batch
operations, at most :data:`MAX_ATTEMPTS` times. Items still unprocessed then fail the whole
operation with :class:`UnprocessedItems`: the callers answer nothing rather than part (a lookup
may only answer once every LDV record is stored).

The items are DynamoDB's own form of them (``{"name": {"S": ...}}``): building a pynamodb model
per item costs several times the request itself in a bulk lookup, so callers convert in one pass
(``shared.store.profielen.profiel_from_image``, ``shared.store.logboek.verwerking_image``).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

# Batch requests in flight at once per process (a Lambda instance serves one request at a time).
BATCH_CONCURRENCY = 8
GET_BATCH_SIZE = 100  # DynamoDB's maximum per BatchGetItem
WRITE_BATCH_SIZE = 25  # DynamoDB's maximum per BatchWriteItem
MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 0.025
BACKOFF_CAP_SECONDS = 1.0

Item = dict[str, Any]  # an item or key in DynamoDB's attribute-value form
T = TypeVar("T")


class Dispatcher(Protocol):
    """What sends one DynamoDB operation: pynamodb's ``Connection`` (its ``dispatch``)."""

    def dispatch(self, operation_name: str, operation_kwargs: dict[str, Any]) -> dict[str, Any]: ...


class UnprocessedItems(Exception):
    """The store left items unprocessed after every attempt."""

    def __init__(self, operation: str, left: int) -> None:
        super().__init__(f"{operation}: {left} items unprocessed after {MAX_ATTEMPTS} attempts")
        self.left = left


_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    # One pool per process, made on first use: its threads live as long as the instance, and a
    # SnapStart snapshot taken before the first bulk request holds none.
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(BATCH_CONCURRENCY, thread_name_prefix="store-batch")
    return _executor


def backoff_seconds(attempt: int, rand: Callable[[], float] = random.random) -> float:
    """The pause before retry ``attempt`` (1, 2, ...): full jitter over an exponential ceiling."""
    return rand() * min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt)


def get_items(
    store: Dispatcher,
    table: str,
    keys: Sequence[Item],
    *,
    consistent_read: bool = True,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Item]:
    """The items under ``keys`` (in no particular order; a key without an item is left out)."""

    def chunk(chunk_keys: list[Item]) -> list[Item]:
        found: list[Item] = []
        pending = chunk_keys
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                sleep(backoff_seconds(attempt))
            request = {"Keys": pending, "ConsistentRead": consistent_read}
            answer = store.dispatch("BatchGetItem", {"RequestItems": {table: request}})
            found += answer.get("Responses", {}).get(table, [])
            pending = answer.get("UnprocessedKeys", {}).get(table, {}).get("Keys", [])
            if not pending:
                return found
        raise UnprocessedItems("BatchGetItem", len(pending))

    return [item for found in _each(chunk, keys, GET_BATCH_SIZE) for item in found]


def put_items(
    store: Dispatcher,
    table: str,
    items: Sequence[Item],
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Store every one of ``items`` (each a put: an item with the same key is replaced)."""

    def chunk(chunk_items: list[Item]) -> None:
        pending = [{"PutRequest": {"Item": item}} for item in chunk_items]
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                sleep(backoff_seconds(attempt))
            answer = store.dispatch("BatchWriteItem", {"RequestItems": {table: pending}})
            pending = answer.get("UnprocessedItems", {}).get(table, [])
            if not pending:
                return
        raise UnprocessedItems("BatchWriteItem", len(pending))

    _each(chunk, items, WRITE_BATCH_SIZE)


def _each(operation: Callable[[list[Item]], T], items: Sequence[Item], size: int) -> list[T]:
    """``operation`` on each chunk of ``size``, concurrently when there is more than one; the
    first failure is raised once all have ended, so nothing is left running behind the caller."""
    chunks = [list(items[start : start + size]) for start in range(0, len(items), size)]
    if len(chunks) <= 1:
        return [operation(chunk) for chunk in chunks]
    futures = [_pool().submit(operation, chunk) for chunk in chunks]
    errors = [future.exception() for future in futures]
    error = next((e for e in errors if e is not None), None)
    if error is not None:
        raise error
    return [future.result() for future in futures]
