"""Bulk lookup: an organisation asks for 1000 subjects at once (``POST /opvragingen``).

- **bulk**: lookup-preferences' ``lambda_handler`` in this process, one request with 1000 BSNs
  for a granted purpose, including its 1000 LDV records (the answer leaves only after they are
  stored);
- **raw**: the store operations that request needs, by boto3 on the same server: ``batch_get_item``
  of the 1000 profile items in chunks of 100 (consistent), then ``batch_write_item`` of 1000
  LDV-like records (the items the Logboek writes) in chunks of 25, each with as many requests in
  flight as the function allows itself (``shared.store.batches.BATCH_CONCURRENCY``);
- **singles**: 1000 requests of 1 subject each (a client that does not batch);
- **raw singles**: for context, the same store operations one subject at a time (a sample of 250,
  scaled) - what the store itself gains from batching, the ceiling of any speed-up a function
  can show on it.

Bulk and raw alternate, run after run.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from bench.raw_store import RawStore, ldv_record
from bench.stack import GEMEENTE_OIN, LOOKUP_DOEL, BenchStack, api_event
from bench.stats import Figure, ms, p50, table
from shared.store.batches import BATCH_CONCURRENCY

RAW_GOAL = 1.3  # bulk <= 1.3x raw
CPU_GOAL = 1.3  # the client CPU of bulk <= 1.3x that of raw


@dataclass
class BulkResult:
    subjects: int
    runs: int
    bulk: list[float]
    raw: list[float]
    singles_counted: int
    singles_total: float  # seconds for all singles measured (singles_counted requests)
    singles: list[float]
    raw_singles_counted: int
    raw_singles_total: float
    check: str
    # This process's CPU time (every thread's: the batches run in a pool): the function's and its
    # clients' own work; the store's is in moto's process, the register is cached after warm-up.
    bulk_cpu: list[float]
    raw_cpu: list[float]

    @property
    def singles_estimate(self) -> float:
        """Seconds for ``subjects`` single lookups (extrapolated when fewer were measured)."""
        return self.singles_total * self.subjects / self.singles_counted

    @property
    def raw_singles_estimate(self) -> float:
        return self.raw_singles_total * self.subjects / self.raw_singles_counted

    def report(self) -> str:
        bulk, raw = p50(self.bulk), p50(self.raw)

        def scaled(counted: int) -> str:
            return f" (measured {counted}, scaled)" if counted != self.subjects else ""

        rows = [
            [
                "raw: batch_get 100s + batch_write 25s, concurrent",
                ms(raw),
                ms(min(self.raw)),
                "1.00x",
                ms(p50(self.raw_cpu)),
                "",
            ],
            [
                f"bulk: 1 request of {self.subjects}",
                ms(bulk),
                ms(min(self.bulk)),
                f"{bulk / raw:.2f}x",
                ms(p50(self.bulk_cpu)),
                "",
            ],
            [
                f"singles: {self.subjects} requests of 1{scaled(self.singles_counted)}",
                ms(self.singles_estimate),
                "",
                f"{self.singles_estimate / raw:.2f}x",
                "",
                f"bulk {self.singles_estimate / bulk:.1f}x faster",
            ],
            [
                f"raw singles: {self.subjects} x (get 1 + write 1)"
                f"{scaled(self.raw_singles_counted)}",
                ms(self.raw_singles_estimate),
                "",
                f"{self.raw_singles_estimate / raw:.2f}x",
                "",
                f"store batches {self.raw_singles_estimate / raw:.1f}x faster",
            ],
        ]
        return "\n".join(
            [
                f"Bulk lookup of {self.subjects} subjects (doel {LOOKUP_DOEL}), "
                f"{self.runs} runs (median, min).",
                table(["what", "median", "min", "/ raw", "client CPU", "speed-up"], rows),
                f"  one single lookup: p50 {ms(p50(self.singles))}; {self.check}",
                "  client CPU: this process's own work (function, pynamodb/botocore); the "
                "store's is in moto's process",
            ]
        )

    def figures(self) -> list[Figure]:
        ratio = p50(self.bulk) / p50(self.raw)
        speed_up = self.singles_estimate / p50(self.bulk)
        cpu_ratio = p50(self.bulk_cpu) / p50(self.raw_cpu)
        return [
            Figure(
                f"bulk {self.subjects} (bulk/raw)",
                f"{ratio:.2f}x ({ms(p50(self.bulk))})",
                f"<= {RAW_GOAL}x",
                ratio <= RAW_GOAL,
            ),
            Figure(
                f"bulk {self.subjects} client CPU (bulk/raw)",
                f"{cpu_ratio:.2f}x ({ms(p50(self.bulk_cpu))} vs {ms(p50(self.raw_cpu))})",
                f"<= {CPU_GOAL}x",
                cpu_ratio <= CPU_GOAL,
            ),
            # The goal is judged with the store at DynamoDB's distance (bench/store_latency.py).
            Figure(
                "bulk speed-up over singles (the store on 127.0.0.1)",
                f"{speed_up:.1f}x",
                "context",
                None,
            ),
            Figure(
                "  (store's own batch speed-up)",
                f"{self.raw_singles_estimate / p50(self.raw):.1f}x",
                "context",
                None,
            ),
        ]


def measure(
    stack: BenchStack, runs: int = 3, singles: int | None = None, raw_singles: int = 250
) -> BulkResult:
    subjects = len(stack.bsns)
    singles = min(singles or subjects, subjects)
    raw_singles = min(raw_singles, singles)
    handler = stack.handler("lookup-preferences")
    token = stack.organisation_token()
    body = {"doel": LOOKUP_DOEL, "betrokkenen": [{"bsn": bsn} for bsn in stack.bsns]}
    bulk_event = api_event("POST", "/opvragingen", token, body)
    single_events = [
        api_event("POST", "/opvragingen", token, {"doel": LOOKUP_DOEL, "betrokkenen": [{"bsn": b}]})
        for b in stack.bsns[:singles]
    ]

    client = stack.client()
    ldv = stack.table_name("ldv")
    keys = [stack.keys[bsn] for bsn in stack.bsns]
    raw = RawStore(stack, stack.store.endpoint, BATCH_CONCURRENCY)

    def raw_run(run: int) -> tuple[float, float]:
        records = [ldv_record(key, GEMEENTE_OIN, f"raw-{run}") for key in keys]
        cpu_started = time.process_time()
        started = time.perf_counter()
        found = raw.batches(keys, records, concurrent=True)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        if found != subjects:
            raise RuntimeError(f"raw batch_get found {found} of {subjects} profiles")
        return elapsed, cpu

    def bulk_run() -> tuple[float, float, dict[str, Any]]:
        cpu_started = time.process_time()
        started = time.perf_counter()
        response = handler(bulk_event, None)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        if response["statusCode"] != 200:
            raise RuntimeError(f"the bulk lookup answered {response['statusCode']}")
        return elapsed, cpu, response

    # Warm-up: a few single lookups and a bulk one (connections open, the register's answers
    # cached: its stand-in runs in this process, and its CPU is not the function's) and a raw read.
    for event in single_events[:5]:
        handler(event, None)
    handler(bulk_event, None)
    raw.get(keys[:10])

    bulk_times: list[float] = []
    bulk_cpu: list[float] = []
    raw_times: list[float] = []
    raw_cpu: list[float] = []
    answer: dict[str, Any] = {}
    for run in range(runs):
        elapsed, cpu, answer = bulk_run()
        bulk_times.append(elapsed)
        bulk_cpu.append(cpu)
        elapsed, cpu = raw_run(run)
        raw_times.append(elapsed)
        raw_cpu.append(cpu)

    results = json.loads(answer["body"])["resultaten"]
    with_email = sum(1 for r in results if r.get("gegevens", {}).get("email"))
    logged = client.query(
        TableName=ldv,
        KeyConditionExpression="betrokkene = :k",
        ExpressionAttributeValues={":k": {"S": keys[-1]}},
        ConsistentRead=True,
        Select="COUNT",
    )["Count"]
    if len(results) != subjects or with_email != subjects:
        raise RuntimeError(f"the bulk answer has {len(results)} results, {with_email} with e-mail")
    check = (
        f"check: {len(results)} answers, {with_email} with a verified e-mail; "
        f"LDV records of the last subject: {logged}"
    )

    single_times: list[float] = []
    started = time.perf_counter()
    for event in single_events:
        before = time.perf_counter()
        response = handler(event, None)
        single_times.append(time.perf_counter() - before)
        if response["statusCode"] != 200:
            raise RuntimeError(f"a single lookup answered {response['statusCode']}")
    singles_total = time.perf_counter() - started

    single_records = [ldv_record(key, GEMEENTE_OIN, "raw-singles") for key in keys[:raw_singles]]
    started = time.perf_counter()
    for key, record in zip(keys[:raw_singles], single_records, strict=True):
        raw.get([key])
        raw.write([record])
    raw_singles_total = time.perf_counter() - started

    return BulkResult(
        subjects,
        runs,
        bulk_times,
        raw_times,
        singles,
        singles_total,
        single_times,
        raw_singles,
        raw_singles_total,
        check,
        bulk_cpu,
        raw_cpu,
    )
