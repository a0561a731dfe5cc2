"""A latency model of the store: the bulk lookup when every store round trip costs more.

moto on 127.0.0.1 answers with no network time at all, but with about 2.5 ms of its own CPU per
item read (three quarters of it in its response serializer), whether the item comes alone or in a
batch: on moto, batching and concurrent requests gain little. DynamoDB is the other way round: a
few milliseconds of network per request, whatever the number of items. Here the store is put
behind :mod:`bench.latency_proxy`, which adds 0 (no proxy), 1 and 5 ms to every round trip, and
lookup-preferences runs in its own process (:mod:`bench.function_process`), as one Lambda instance
with the proxied store as its endpoint. At each delay:

- **bulk**: one ``POST /opvragingen`` with every seeded subject (1000), its LDV records included;
- **singles**: single-subject lookups, one after another (a sample, scaled to all subjects);
- **raw concurrent**: from the bench process, by boto3 on the same endpoint, what a bulk lookup
  cannot avoid: ``batch_get_item`` of the profiles in chunks of 100 (consistent), then
  ``batch_write_item`` of as many LDV-like records in chunks of 25, each at most
  ``BATCH_CONCURRENCY`` requests in flight, the function's own bound;
- **raw sequential**: the same requests one after another; **raw singles**: one ``get_item`` and
  one ``put_item`` per subject (a sample, scaled) - for context.

Beside each wall time, the store's own CPU time for the scenario (moto's process, from
``/proc/<pid>/stat``): what of the wall time is moto's processing rather than latency or the
client's own work. Bulk and raw concurrent alternate, run after run.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from bench.function_process import FunctionProcess
from bench.latency_proxy import LatencyProxy
from bench.raw_store import RawStore, ldv_record
from bench.stack import GEMEENTE_OIN, LOOKUP_DOEL, BenchStack, api_event
from bench.stats import Figure, ms, p50, table

DELAYS_MS = (0, 1, 5)
SPEED_UP_GOAL = 20  # singles / bulk >= 20x, at the largest delay
RAW_GOAL = 1.3  # bulk / raw concurrent <= 1.3x, at the largest delay
WARM_UP_SINGLES = 5


@dataclass
class Scenario:
    """One scenario at one delay: per run, its wall time, the store's CPU time and the client's
    (the function's process, or the bench's for raw operations), scaled to all subjects when
    ``counted`` is a sample."""

    counted: int
    walls: list[float] = field(default_factory=list)
    store_cpu: list[float] = field(default_factory=list)
    client_cpu: list[float] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return p50(self.walls)

    def add(self, wall: float, store_cpu: float, client_cpu: float, scale: float = 1.0) -> None:
        self.walls.append(wall * scale)
        self.store_cpu.append(store_cpu * scale)
        self.client_cpu.append(client_cpu * scale)

    def as_json(self) -> dict[str, Any]:
        return {
            "counted": self.counted,
            "wall_seconds": self.wall,
            "store_cpu_seconds": p50(self.store_cpu),
            "client_cpu_seconds": p50(self.client_cpu),
        }


@dataclass
class AtDelay:
    delay_ms: float
    bulk: Scenario
    singles: Scenario
    raw_concurrent: Scenario
    raw_sequential: Scenario
    raw_singles: Scenario
    one_single: float  # p50 wall of one single lookup
    function_peak_mb: float
    proxy_cpu: float  # the proxy process's CPU seconds over the whole delay (0: no proxy)
    log_problems: int  # warning and error lines in the function process's log

    @property
    def singles_over_bulk(self) -> float:
        return self.singles.wall / self.bulk.wall

    @property
    def bulk_over_raw(self) -> float:
        return self.bulk.wall / self.raw_concurrent.wall

    @property
    def singles_over_bulk_beside_store(self) -> float:
        """The ratio of what is left of each once the store's own CPU time is taken out: moto
        answers one request at a time, so its processing is on the critical path of both."""
        return _beside_store(self.singles) / _beside_store(self.bulk)

    def as_json(self) -> dict[str, Any]:
        return {
            "delay_ms": self.delay_ms,
            "singles_over_bulk": self.singles_over_bulk,
            "singles_over_bulk_beside_store": self.singles_over_bulk_beside_store,
            "bulk_over_raw_concurrent": self.bulk_over_raw,
            "one_single_seconds": self.one_single,
            "function_peak_mb": self.function_peak_mb,
            "proxy_cpu_seconds": self.proxy_cpu,
            "function_log_problems": self.log_problems,
            **{
                name: getattr(self, name).as_json()
                for name in ("bulk", "singles", "raw_concurrent", "raw_sequential", "raw_singles")
            },
        }


@dataclass
class LatencyResult:
    subjects: int
    runs: int
    concurrency: int
    delays: list[AtDelay]
    check: str

    def report(self) -> str:
        rows = []
        for at in self.delays:
            labelled = [
                (f"bulk: 1 request of {self.subjects}", at.bulk),
                (f"singles: {self.subjects} x 1{self._scaled(at.singles)}", at.singles),
                (f"raw concurrent: {self.concurrency} in flight", at.raw_concurrent),
                ("raw sequential", at.raw_sequential),
                (f"raw singles: get + put{self._scaled(at.raw_singles)}", at.raw_singles),
            ]
            for index, (label, scenario) in enumerate(labelled):
                rows.append(
                    [
                        f"{at.delay_ms:g} ms" if index == 0 else "",
                        label,
                        ms(scenario.wall),
                        f"{scenario.wall / at.raw_concurrent.wall:.2f}x",
                        ms(p50(scenario.store_cpu)),
                        ms(_beside_store(scenario)),
                        ms(p50(scenario.client_cpu)),
                    ]
                )
        headers = ["delay", "what", "wall", "÷ raw conc.", "store CPU", "the rest", "client CPU"]
        ratios = [
            f"  {at.delay_ms:g} ms: singles ÷ bulk {at.singles_over_bulk:.1f}x (the rest: "
            f"{at.singles_over_bulk_beside_store:.1f}x), bulk ÷ raw concurrent "
            f"{at.bulk_over_raw:.2f}x; one single p50 {ms(at.one_single)}; function peak "
            f"{at.function_peak_mb:.0f} MB, log warnings/errors {at.log_problems}"
            + (f"; proxy CPU {ms(at.proxy_cpu)}" if at.delay_ms else "")
            for at in self.delays
        ]
        return "\n".join(
            [
                (
                    "Store latency: lookup-preferences in its own process, the store behind a "
                    f"proxy adding {', '.join(f'{at.delay_ms:g}' for at in self.delays)} ms per "
                    f"round trip; {self.runs} run(s) (median)."
                ),
                table(headers, rows),
                *ratios,
                f"  {self.check}",
                (
                    "  raw: batch_get_item of 100s (consistent), then batch_write_item of 25s, "
                    "by boto3 in the bench process;"
                ),
                (
                    "  store CPU: moto's own process; the rest: wall - store CPU, the latency, "
                    "the client's work and waiting for a CPU;"
                ),
                ("  client CPU: the function's process (bulk, singles) or the bench's (raw)"),
            ]
        )

    def figures(self) -> list[Figure]:
        largest = max(at.delay_ms for at in self.delays)
        figures = []
        for at in self.delays:
            judged = at.delay_ms == largest
            figures.append(
                Figure(
                    f"singles ÷ bulk at {at.delay_ms:g} ms store latency",
                    f"{at.singles_over_bulk:.1f}x ({ms(at.bulk.wall)} vs {ms(at.singles.wall)})",
                    f">= {SPEED_UP_GOAL}x" if judged else "context",
                    at.singles_over_bulk >= SPEED_UP_GOAL if judged else None,
                )
            )
        at = next(at for at in self.delays if at.delay_ms == largest)
        figures.append(
            Figure(
                f"bulk ÷ raw concurrent at {at.delay_ms:g} ms store latency",
                f"{at.bulk_over_raw:.2f}x ({ms(at.bulk.wall)} vs {ms(at.raw_concurrent.wall)})",
                f"<= {RAW_GOAL}x",
                at.bulk_over_raw <= RAW_GOAL,
            )
        )
        return figures

    def as_json(self) -> dict[str, Any]:
        """Every number of the measurement, for a results file."""
        return {
            "subjects": self.subjects,
            "runs": self.runs,
            "concurrency": self.concurrency,
            "delays": [at.as_json() for at in self.delays],
        }

    def _scaled(self, scenario: Scenario) -> str:
        return f" ({scenario.counted}, scaled)" if scenario.counted != self.subjects else ""


def _beside_store(scenario: Scenario) -> float:
    return scenario.wall - p50(scenario.store_cpu)


def process_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process ``pid`` (all its threads), from ``/proc``."""
    with open(f"/proc/{pid}/stat") as stat:
        # The command name (field 2) may hold spaces: count the fields after it.
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed_on_store(
    store_pid: int, work: Callable[[], tuple[float, float] | None]
) -> tuple[float, float, float]:
    """Wall seconds, store CPU seconds and client CPU seconds of ``work``. It returns the wall
    and CPU time a function process measured itself, or None: then they are this process's."""
    store_before = process_cpu_seconds(store_pid)
    cpu_before = time.process_time()
    started = time.perf_counter()
    measured = work()
    wall = time.perf_counter() - started
    client_cpu = time.process_time() - cpu_before
    store_cpu = process_cpu_seconds(store_pid) - store_before
    if measured is not None:
        wall, client_cpu = measured
    return wall, store_cpu, client_cpu


def _at_delay(
    stack: BenchStack,
    delay_ms: float,
    runs: int,
    singles: int,
    raw_singles: int,
    concurrency: int,
) -> AtDelay:
    subjects = len(stack.bsns)
    store_pid = stack.store.pid
    keys = [stack.keys[bsn] for bsn in stack.bsns]
    token = stack.organisation_token()
    bulk_event = api_event(
        "POST",
        "/opvragingen",
        token,
        {"doel": LOOKUP_DOEL, "betrokkenen": [{"bsn": bsn} for bsn in stack.bsns]},
    )
    single_events = [
        api_event("POST", "/opvragingen", token, {"doel": LOOKUP_DOEL, "betrokkenen": [{"bsn": b}]})
        for b in stack.bsns
    ]

    with ExitStack() as running:
        proxy = None
        endpoint = stack.store.endpoint
        if delay_ms:
            log = stack.root / f"latency-proxy-{delay_ms:g}ms.stderr"
            proxy = running.enter_context(LatencyProxy(endpoint, delay_ms / 1000, log))
            endpoint = proxy.endpoint
        proxy_cpu_before = process_cpu_seconds(proxy.pid) if proxy and proxy.pid else 0.0
        function = running.enter_context(
            FunctionProcess(
                "lookup-preferences",
                {**stack.environment, "AWS_ENDPOINT_URL_DYNAMODB": endpoint},
                stack.root,
            )
        )
        raw = RawStore(stack, endpoint, concurrency)

        def lookup(event: dict[str, Any], expected: int) -> tuple[float, float]:
            response, wall, cpu = function.call(event)
            if response["statusCode"] != 200:
                raise RuntimeError(f"a lookup answered {response['statusCode']}")
            answered = len(json.loads(response["body"])["resultaten"])
            if answered != expected:
                raise RuntimeError(f"a lookup of {expected} answered {answered} results")
            return wall, cpu

        def raw_batches(run: str, concurrent: bool) -> Callable[[], None]:
            records = [ldv_record(key, GEMEENTE_OIN, run) for key in keys]

            def work() -> None:  # the bench's own wall and CPU time
                found = raw.batches(keys, records, concurrent)
                if found != subjects:
                    raise RuntimeError(f"raw batch_get found {found} of {subjects} profiles")

            return work

        # Warm-up: the register cached, the function's connections open; the bench's client
        # with as many connections open as it keeps in flight.
        lookup(bulk_event, subjects)
        for event in single_events[:WARM_UP_SINGLES]:
            lookup(event, 1)
        raw_batches("warm-up", concurrent=True)()

        bulk = Scenario(subjects)
        raw_concurrent = Scenario(subjects)
        for run in range(runs):
            bulk.add(*_timed_on_store(store_pid, lambda: lookup(bulk_event, subjects)))
            raw_concurrent.add(
                *_timed_on_store(store_pid, raw_batches(f"concurrent-{run}", concurrent=True))
            )
        raw_sequential = Scenario(subjects)
        raw_sequential.add(*_timed_on_store(store_pid, raw_batches("sequential", concurrent=False)))

        # Bulk and singles: the handler's own wall time (the pipe to its process left out).
        single_walls: list[float] = []

        def all_singles() -> tuple[float, float]:
            cpu = 0.0
            for event in single_events[WARM_UP_SINGLES : WARM_UP_SINGLES + singles]:
                wall, call_cpu = lookup(event, 1)
                single_walls.append(wall)
                cpu += call_cpu
            return sum(single_walls), cpu

        singles_scenario = Scenario(singles)
        singles_scenario.add(*_timed_on_store(store_pid, all_singles), scale=subjects / singles)

        sample = [(key, ldv_record(key, GEMEENTE_OIN, "raw-singles")) for key in keys[:raw_singles]]

        def all_raw_singles() -> None:
            for key, record in sample:
                raw.single(key, record)

        raw_singles_scenario = Scenario(len(sample))
        raw_singles_scenario.add(
            *_timed_on_store(store_pid, all_raw_singles), scale=subjects / len(sample)
        )

        _, peak_mb = function.usage()
        log_problems = len(function.log_problems())
        proxy_cpu = (
            process_cpu_seconds(proxy.pid) - proxy_cpu_before if proxy and proxy.pid else 0.0
        )
        return AtDelay(
            delay_ms,
            bulk,
            singles_scenario,
            raw_concurrent,
            raw_sequential,
            raw_singles_scenario,
            p50(single_walls),
            peak_mb,
            proxy_cpu,
            log_problems,
        )


def measure(
    stack: BenchStack, runs: int = 3, singles: int = 200, delays_ms: tuple[float, ...] = DELAYS_MS
) -> LatencyResult:
    """``singles``: the sample of single lookups at up to 1 ms, half of it at larger delays (each
    takes longer); raw singles are half of it at every delay."""
    from shared.store.batches import BATCH_CONCURRENCY

    subjects = len(stack.bsns)
    sample = min(singles, subjects - WARM_UP_SINGLES)
    results = [
        _at_delay(
            stack,
            delay,
            runs,
            sample if delay <= 1 else max(sample // 2, 1),
            max(sample // 2, 1),
            BATCH_CONCURRENCY,
        )
        for delay in delays_ms
    ]
    check = (
        f"check: every bulk lookup answered {subjects} results, every single 1; "
        f"raw batch_get found all {subjects} profiles each run"
    )
    return LatencyResult(subjects, runs, BATCH_CONCURRENCY, results, check)
