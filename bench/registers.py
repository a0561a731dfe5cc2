"""A profile read with the registers at the source (phase 3): what reading the BRP costs.

A burger known to the BRP (RvIG's test persona 999993653) reads the own profile through
get-profile's handler in this process, the BRP stand-in over HTTP on 127.0.0.1:

- **without**: the same handler with registers that answer at once (no call, no LDV record) -
  the read as it was before phase 3;
- **at the source**: the per-process cache off, so every read asks the BRP and writes its LDV
  record - what the first read of a session costs;
- **cached**: the cache on (its default lifetime), as a function runs: a second read within it
  makes no register call at all, counted at the stand-in.

The register read and its LDV record run beside the profile's own store read. Against moto they
still add up: moto answers one request at a time (one Python process), so the record's write
cannot overlap the profile's read as it does against DynamoDB, where both are network waits.

The samples alternate (with, without, ...) so that a disturbance hits both.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from bench.stack import BenchStack, api_event
from bench.stats import Figure, ms, p50, p95, table

GOAL = 1.5  # x the read without registers, at p50
PERSONA = "999993653"


@dataclass
class RegisterReadResult:
    samples: int
    without: list[float]
    at_source: list[float]
    without_cached_phase: list[float]
    cached: list[float]
    calls_while_cached: int

    def report(self) -> str:
        base = p50(self.without)
        rows = [
            ["without registers", ms(base), ms(p95(self.without)), "1.00x"],
            [
                "BRP read at the source + LDV record",
                ms(p50(self.at_source)),
                ms(p95(self.at_source)),
                f"{p50(self.at_source) / base:.2f}x",
            ],
            [
                "BRP answer from the cache",
                ms(p50(self.cached)),
                ms(p95(self.cached)),
                f"{p50(self.cached) / p50(self.without_cached_phase):.2f}x",
            ],
        ]
        return "\n".join(
            [
                f"Profile read with the registers: GET /profiel of BRP persona {PERSONA}, "
                f"get-profile's handler in-process, {self.samples} samples each.",
                table(["path", "p50", "p95", "p50/without"], rows),
                f"  register calls while the answer was cached: {self.calls_while_cached}",
            ]
        )

    def figures(self) -> list[Figure]:
        cached = p50(self.cached) / p50(self.without_cached_phase)
        first = p50(self.at_source) / p50(self.without)
        return [
            Figure(
                "profile read with the registers / without (p50, default cache)",
                f"{cached:.2f}x ({ms(p50(self.cached))})",
                f"<= {GOAL}x",
                cached <= GOAL,
            ),
            Figure(
                "  first read: BRP at the source + LDV record / without (p50)",
                f"{first:.2f}x ({ms(p50(self.at_source))})",
                "-",
                None,
            ),
            Figure(
                "register calls on a read within the cache's lifetime",
                str(self.calls_while_cached),
                "0",
                self.calls_while_cached == 0,
            ),
        ]


class _AtOnce:
    """Registers that answer at once and know nobody: the read without the source."""

    def raadpleeg(self, bsns: Sequence[str], bij_lezen=None):
        from shared.models.bronnen import Gelezen

        return {bsn: Gelezen(None, False) for bsn in bsns}

    def onderneming(self, kvk_nummer: str, bij_lezen=None):
        from shared.models.bronnen import Gelezen

        return Gelezen(None, False)


@contextmanager
def _register_cache(seconds: int) -> Iterator[None]:
    """This process's register clients built anew with this cache lifetime."""
    from shared.config import get_register_settings
    from shared.registers import personen

    saved = os.environ.get("PROFIEL_REGISTER_CACHE_SECONDS")
    os.environ["PROFIEL_REGISTER_CACHE_SECONDS"] = str(seconds)
    get_register_settings.cache_clear()
    personen.cache_clear()
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PROFIEL_REGISTER_CACHE_SECONDS", None)
        else:
            os.environ["PROFIEL_REGISTER_CACHE_SECONDS"] = saved
        get_register_settings.cache_clear()
        personen.cache_clear()


def _alternate(paths: Sequence[Callable[[], None]], samples: int, warmup: int) -> list[list[float]]:
    timings: list[list[float]] = [[] for _ in paths]
    for sample in range(warmup + samples):
        for path, values in zip(paths, timings, strict=True):
            started = time.perf_counter()
            path()
            if sample >= warmup:
                values.append(time.perf_counter() - started)
    return timings


def measure(stack: BenchStack, samples: int = 300, warmup: int = 20) -> RegisterReadResult:
    from functions.get_profile import app

    handler = stack.handler("get-profile")
    event = api_event("GET", "/profiel", stack.burger_token(PERSONA))
    with_registers = app.lezen
    bronnen = with_registers.bronnen
    without_registers = dataclasses.replace(
        with_registers,
        bronnen=dataclasses.replace(bronnen, personen=_AtOnce(), handelsregister=_AtOnce()),
    )

    def read(lezen) -> Callable[[], None]:
        def call() -> None:
            app.lezen = lezen
            response = handler(event, None)
            if response["statusCode"] != 200:
                raise RuntimeError(f"GET /profiel answered {response['statusCode']}")

        return call

    try:
        with _register_cache(0):
            at_source, without = _alternate(
                [read(with_registers), read(without_registers)], samples, warmup
            )
        with _register_cache(300):
            read(with_registers)()  # the one read at the source; the rest within its lifetime
            calls = stack.registers.brp.calls
            cached, without_cached_phase = _alternate(
                [read(with_registers), read(without_registers)], samples, warmup
            )
            calls_while_cached = stack.registers.brp.calls - calls
    finally:
        app.lezen = with_registers
    return RegisterReadResult(
        samples, without, at_source, without_cached_phase, cached, calls_while_cached
    )
