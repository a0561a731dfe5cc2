"""A tax run: a municipality looks up how to send its tax assessments to a whole population.

100,000 burgers (quick: 10,000), each with a verified e-mail address, a postal address and a
preference, seeded in bulk in the store's own form; then looked up for ``aanslag-versturen`` in
requests of 1000 (the API's maximum), every subject once, by two instances of lookup-preferences
in their own processes (:mod:`bench.function_process`, as two Lambda instances on the machine's
two cores) taking the next request as soon as they answered one.

Figures: subjects per second over the run, the functions' CPU time per subject (their processes',
the work the service itself does per subject: token, validation, store client, LDV records,
answer), the latency of one request of 1000, and each instance's peak resident memory.

Correctness, from the store's journal (``infra.local.store_server``: every write the store
acknowledged, appended before its answer leaves; opened for the run), so that checking costs the
store nothing - moto's queries and scans sort the whole table each time:

- the moment an instance answers a request, every LDV record of that request is already stored:
  the journal's length is taken when the answer arrives, and a checker, which does not hold up
  the next request, must find the lookup record of each of the request's 1000 subjects within
  that length;
- after the run: exactly one lookup record per subject per request, and per subject of the
  population exactly one in all; and a sample of those records read back from the store by
  their keys. (Each subject also has a record of the BRP read made for it - a processing of its
  own, not counted here.)
"""

from __future__ import annotations

import json
import queue
import random
import secrets
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.function_process import FunctionProcess
from bench.raw_store import RawStore, chunks
from bench.stack import BenchStack, api_event, brp_test_bsns
from bench.stats import Figure, ms, p50, percentile, table
from bench.store_latency import process_cpu_seconds
from shared.opvragen import VERWERKING
from shared.store.batches import GET_BATCH_SIZE, WRITE_BATCH_SIZE

POPULATION = 100_000
PER_REQUEST = 1000
SEED_CONCURRENCY = 4  # seeding requests in flight
READ_BACK_SAMPLE = 1000  # records of the journal read back from the store after the run
INSTANCES = 2
DOEL = "aanslag-versturen"  # granted to the municipality of the local register
MEMORY_GOAL_MB = 128
# Below the BRP's 9999xxxxx test range, which holds only ~9,000 valid BSNs: the stand-in knows
# none of these, and a BSN the BRP does not know is answered from the profile alone.
POPULATION_BSNS_START = 998_700_000


@dataclass
class Request:
    number: int
    trace_id: str
    bsns: list[str]


@dataclass
class TaxRunResult:
    population: int
    per_request: int
    instances: int
    seeded_seconds: float
    wall_seconds: float
    latencies: list[float]
    function_cpu_seconds: float
    store_cpu_seconds: float  # the embedded store's process over the run
    peak_rss_mb: list[float]
    # Per request: of its subjects, how many had its lookup record stored when it was answered.
    records_at_answer: list[int] = field(default_factory=list)
    records_per_subject: dict[int, int] = field(default_factory=dict)  # count -> subjects
    requests_exact: int = 0  # requests whose subjects each have exactly one record of it
    rewritten: int = 0  # records written again (a batch retried after a timeout): still one
    read_back: tuple[int, int] = (0, 0)  # of a sample of journalled records: found in the store
    log_problems: int = 0

    @property
    def subjects_per_second(self) -> float:
        return self.population / self.wall_seconds

    @property
    def cpu_per_subject(self) -> float:
        return self.function_cpu_seconds / self.population

    @property
    def store_cpu_per_subject(self) -> float:
        return self.store_cpu_seconds / self.population

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def answered_after_records(self) -> int:
        return sum(1 for count in self.records_at_answer if count == self.per_request)

    @property
    def exactly_once(self) -> bool:
        found, sampled = self.read_back
        return (
            self.records_per_subject == {1: self.population}
            and self.requests_exact == self.requests
            and found == sampled > 0
        )

    def report(self) -> str:
        rows = [
            ["subjects per second", f"{self.subjects_per_second:,.0f}"],
            ["wall time of the run", f"{self.wall_seconds:.1f} s"],
            [
                "one request of 1000: p50 / p95",
                f"{ms(p50(self.latencies))} / {ms(percentile(self.latencies, 95))}",
            ],
            ["function CPU per subject", f"{self.cpu_per_subject * 1e6:,.0f} µs"],
            ["the store's CPU per subject (moto)", f"{self.store_cpu_per_subject * 1e6:,.0f} µs"],
            ["peak memory per instance", ", ".join(f"{mb:.0f} MB" for mb in self.peak_rss_mb)],
            [
                "requests whose 1000 records were all stored when answered",
                f"{self.answered_after_records} of {self.requests}",
            ],
            [
                "requests with exactly one record per subject",
                f"{self.requests_exact} of {self.requests}",
            ],
            [
                "records written twice (a batch resent after a timeout; one record each)",
                f"{self.rewritten:,}",
            ],
            [
                "a sample of the records read back from the store",
                f"{self.read_back[0]} of {self.read_back[1]} found",
            ],
            [
                "lookup records per subject (records: subjects)",
                ", ".join(
                    f"{n}: {count:,}" for n, count in sorted(self.records_per_subject.items())
                ),
            ],
        ]
        return "\n".join(
            [
                f"Tax run: {self.population:,} burgers looked up for {DOEL} in "
                f"{self.requests} requests of {self.per_request}, {self.instances} instances of "
                f"lookup-preferences in their own processes (seeded in {self.seeded_seconds:.0f} s).",
                table(["figure", "measured"], rows),
                "  function CPU: the instances' processes, all threads; the register stand-ins' "
                "work is in the bench's process. The run is bound by the store: moto answers one "
                f"request at a time. Log warnings/errors: {self.log_problems}",
            ]
        )

    def figures(self) -> list[Figure]:
        peak = max(self.peak_rss_mb)
        return [
            Figure(
                f"tax run: subjects/s at {self.population:,}",
                f"{self.subjects_per_second:,.0f} ({self.instances} instances)",
                "context",
                None,
            ),
            Figure(
                "tax run: function CPU per subject",
                f"{self.cpu_per_subject * 1e6:,.0f} µs",
                "context",
                None,
            ),
            Figure(
                "tax run: peak memory per function",
                f"{peak:.0f} MB",
                f"<= {MEMORY_GOAL_MB} MB",
                peak <= MEMORY_GOAL_MB,
            ),
            Figure(
                "tax run: one LDV record per subject per request, stored before the answer",
                "yes"
                if self.exactly_once and self.answered_after_records == self.requests
                else "NO",
                "yes",
                self.exactly_once and self.answered_after_records == self.requests,
            ),
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "population": self.population,
            "per_request": self.per_request,
            "instances": self.instances,
            "subjects_per_second": self.subjects_per_second,
            "wall_seconds": self.wall_seconds,
            "request_p50_seconds": p50(self.latencies),
            "request_p95_seconds": percentile(self.latencies, 95),
            "function_cpu_per_subject_seconds": self.cpu_per_subject,
            "store_cpu_per_subject_seconds": self.store_cpu_per_subject,
            "peak_rss_mb": self.peak_rss_mb,
            "answered_after_records": self.answered_after_records,
            "requests_exact": self.requests_exact,
            "records_per_subject": {str(k): v for k, v in self.records_per_subject.items()},
            "records_rewritten": self.rewritten,
        }


def seed_population(stack: BenchStack, bsns: list[str]) -> dict[str, str]:
    """A burger per BSN, as :meth:`BenchStack._seed_profiles` makes them, written straight in the
    store's form (one profile built and stored through the repository's encoding, then varied
    per burger: key, e-mail address, contact ids); the store keys by BSN."""
    from shared.identity.access import partij_key
    from shared.identity.subject import subject_for

    template = stack.profile_image(stack.bsns[0])
    email = template["contactgegevens"]["L"][0]["M"]
    phone = template["contactgegevens"]["L"][1]["M"]
    keys: dict[str, str] = {}
    images: list[dict[str, Any]] = []
    for index, bsn in enumerate(bsns):
        key = partij_key(subject_for(bsn, None))
        keys[bsn] = key
        contact = {
            "L": [
                {
                    "M": {
                        **email,
                        "id": {"S": str(stack.email_id(bsn))},
                        "adres": {"S": f"belasting.{index}@example.nl"},
                    }
                },
                {"M": {**phone, "id": {"S": str(stack.phone_id(bsn))}}},
            ]
        }
        images.append({**template, "partij": {"S": key}, "contactgegevens": contact})

    raw = RawStore(stack, stack.store.endpoint, SEED_CONCURRENCY)
    profielen = stack.table_name("profielen")
    with ThreadPoolExecutor(SEED_CONCURRENCY) as pool:
        list(pool.map(lambda chunk: raw.put(profielen, chunk), chunks(images, WRITE_BATCH_SIZE)))
    return keys


def measure(
    stack: BenchStack, population: int = POPULATION, instances: int = INSTANCES
) -> TaxRunResult:
    began = time.perf_counter()
    bsns = brp_test_bsns(population, start=POPULATION_BSNS_START)
    keys = seed_population(stack, bsns)
    seeded = time.perf_counter() - began

    token = stack.organisation_token()
    requests = [
        Request(n, secrets.token_hex(16), bsns[start : start + PER_REQUEST])
        for n, start in enumerate(range(0, population, PER_REQUEST))
    ]
    journal = LookupJournal(stack.journal_path, stack.table_name("ldv"))
    stack.store.open_journal(f"tax-run-{secrets.token_hex(4)}")

    def event(request: Request) -> dict[str, Any]:
        body = {"doel": DOEL, "betrokkenen": [{"bsn": bsn} for bsn in request.bsns]}
        traceparent = f"00-{request.trace_id}-{secrets.token_hex(8)}-01"
        return api_event("POST", "/opvragingen", token, body, {"traceparent": traceparent})

    work: queue.Queue[Request] = queue.Queue()
    for request in requests:
        work.put(request)
    latencies: list[float] = []
    at_answer: dict[int, int] = {}
    checks: queue.Queue[tuple[Request, int] | None] = queue.Queue()
    failures: list[str] = []

    def checker() -> None:
        while (check := checks.get()) is not None:
            request, journalled = check
            journal.read()
            at_answer[request.number] = journal.subjects_of(request.trace_id, within=journalled)

    def instance(function: FunctionProcess) -> None:
        while True:
            try:
                request = work.get_nowait()
            except queue.Empty:
                return
            try:
                response, wall, _cpu = function.call(event(request))
            except RuntimeError as error:
                failures.append(str(error))
                return
            # What the store had journalled when the answer came; checked off this instance's
            # path (it takes the next request meanwhile).
            checks.put((request, journal.size()))
            results = json.loads(response["body"]).get("resultaten", [])
            if response["statusCode"] != 200 or len(results) != len(request.bsns):
                failures.append(f"request {request.number} answered {response['statusCode']}")
                return
            latencies.append(wall)

    functions = [
        FunctionProcess("lookup-preferences", stack.environment, stack.root)
        for _ in range(instances)
    ]
    for function in functions:
        function.start()
    try:
        warm = event(Request(-1, secrets.token_hex(16), stack.bsns[:PER_REQUEST]))
        for function in functions:  # connections open, settings and keys read
            function.call(warm)
        cpu_before = [function.usage()[0] for function in functions]
        store_before = process_cpu_seconds(stack.store.pid)
        check_thread = threading.Thread(target=checker, daemon=True)
        check_thread.start()
        threads = [threading.Thread(target=instance, args=(f,)) for f in functions]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        store_cpu = process_cpu_seconds(stack.store.pid) - store_before
        usage = [function.usage() for function in functions]
        checks.put(None)
        check_thread.join()
        problems = sum(len(function.log_problems()) for function in functions)
    finally:
        for function in functions:
            function.stop()
    if failures:
        raise RuntimeError(f"the tax run failed: {failures[0]}")

    journal.read()
    exact, per_subject = journal.exactly_once(requests, keys)
    read_back = _read_back(stack, journal.sample(READ_BACK_SAMPLE))
    return TaxRunResult(
        population=population,
        per_request=PER_REQUEST,
        instances=instances,
        seeded_seconds=seeded,
        wall_seconds=wall,
        latencies=latencies,
        function_cpu_seconds=sum(u[0] for u in usage) - sum(cpu_before),
        store_cpu_seconds=store_cpu,
        peak_rss_mb=[u[1] for u in usage],
        records_at_answer=[at_answer.get(r.number, 0) for r in requests],
        records_per_subject=per_subject,
        requests_exact=exact,
        rewritten=journal.rewritten,
        read_back=read_back,
        log_problems=problems,
    )


class LookupJournal:
    """The lookup records the store acknowledged, read from its journal as it grows: per trace
    (a request), per subject, the records' keys."""

    def __init__(self, path: Path, ldv_table: str) -> None:
        self._path = path
        self._table = ldv_table
        self._offset = 0
        self._partial = b""
        # trace id -> subject -> the moments (sort keys) of its lookup records in that trace. A
        # record written twice - a batch sent again after a timeout, though the store had
        # applied it - is one record (same key, same item): counted in ``rewritten``.
        self.records: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        # trace id -> subject -> where in the journal its first lookup record ends
        self.journalled_by: dict[str, dict[str, int]] = defaultdict(dict)
        self.rewritten = 0

    def read(self) -> None:
        """Take in what was journalled since the last read (complete lines only)."""
        with self._path.open("rb") as file:
            file.seek(self._offset)
            data = self._partial + file.read()
        self._offset += len(data) - len(self._partial)
        line_end = self._offset - len(data)  # where ``data`` starts in the journal
        lines = data.split(b"\n")
        self._partial = lines.pop()
        for line in lines:
            line_end += len(line) + 1
            entry = json.loads(line)
            target = entry.get("headers", {}).get("X-Amz-Target", "")
            if not target.endswith(".BatchWriteItem"):
                continue
            for put in json.loads(entry["body"])["RequestItems"].get(self._table, []):
                item = put.get("PutRequest", {}).get("Item", {})
                if item.get("name", {}).get("S") == VERWERKING:
                    moments = self.records[item["trace_id"]["S"]][item["betrokkene"]["S"]]
                    if item["moment"]["S"] in moments:
                        self.rewritten += 1
                    moments.add(item["moment"]["S"])
                    self.journalled_by[item["trace_id"]["S"]].setdefault(
                        item["betrokkene"]["S"], line_end
                    )

    def size(self) -> int:
        """How far the store has journalled: read the moment an answer arrives, it bounds what
        was stored before that answer (a write is journalled before the store acknowledges it)."""
        return self._path.stat().st_size

    def subjects_of(self, trace_id: str, within: int | None = None) -> int:
        """How many subjects have a lookup record in this trace in the journal, or in its first
        ``within`` bytes."""
        ends = self.journalled_by.get(trace_id, {}).values()
        return sum(1 for end in ends if within is None or end <= within)

    def exactly_once(
        self, requests: list[Request], keys: dict[str, str]
    ) -> tuple[int, dict[int, int]]:
        """How many requests have exactly one record for each of their subjects and none for
        anyone else; and per number of lookup records in the run, how many subjects have it."""
        exact = 0
        per_subject: dict[str, int] = dict.fromkeys(keys.values(), 0)
        for request in requests:
            recorded = self.records.get(request.trace_id, {})
            asked = {keys[bsn] for bsn in request.bsns}
            if set(recorded) == asked and all(len(m) == 1 for m in recorded.values()):
                exact += 1
            for subject, moments in recorded.items():
                per_subject[subject] = per_subject.get(subject, 0) + len(moments)
        counts: dict[int, int] = {}
        for count in per_subject.values():
            counts[count] = counts.get(count, 0) + 1
        return exact, counts

    def sample(self, size: int) -> list[tuple[str, str]]:
        """Keys (subject, moment) of ``size`` journalled lookup records, at random."""
        keys = [
            (subject, moment)
            for subjects in self.records.values()
            for subject, moments in subjects.items()
            for moment in moments
        ]
        return random.sample(keys, min(size, len(keys)))


def _read_back(stack: BenchStack, keys: list[tuple[str, str]]) -> tuple[int, int]:
    """Of these records' keys, how many the store holds (its own reads, not the journal)."""
    raw = RawStore(stack, stack.store.endpoint, 1)
    ldv = stack.table_name("ldv")
    items = [{"betrokkene": {"S": subject}, "moment": {"S": moment}} for subject, moment in keys]
    return sum(raw.count(ldv, chunk) for chunk in chunks(items, GET_BATCH_SIZE)), len(keys)
