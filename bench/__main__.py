"""``make bench`` / ``python -m bench``: every figure of the Profiel Service, side by side.

Options (or environment variables, for ``make bench BENCH_QUICK=1``):

  --quick        (BENCH_QUICK=1) fewer runs and samples: a smoke run of about 1.5 minutes
  --only NAMES   (BENCH_ONLY=cold,warm,registers,koppelingen,bulk,audit,chain) run only these
  --profile      (BENCH_PROFILE=1) also print a cProfile of a warm read and of a bulk lookup
  --subjects N   (BENCH_SUBJECTS) subjects seeded and looked up in bulk (default 1000)
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from bench import (
    audit_chain,
    audit_latency,
    bulk_lookup,
    cold_start,
    hotspots,
    koppelingen,
    machine,
    registers,
    warm_read,
)
from bench.stack import BenchStack
from bench.stats import Figure, table

MEASUREMENTS = ("cold", "warm", "registers", "koppelingen", "bulk", "audit", "chain")

# (cold start runs, first-request runs, warm samples, bulk runs, singles, audit samples, chain
# appends per length)
DEFAULT = {
    "runs": 11,
    "first_runs": 3,
    "warm": 300,
    "bulk": 3,
    "singles": None,
    "audit": 40,
    "chain": 40,
}
QUICK = {
    "runs": 3,
    "first_runs": 1,
    "warm": 100,
    "bulk": 1,
    "singles": 200,
    "audit": 15,
    "chain": 15,
}


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", default=_flag("BENCH_QUICK"))
    parser.add_argument("--profile", action="store_true", default=_flag("BENCH_PROFILE"))
    parser.add_argument(
        "--only",
        default=os.environ.get("BENCH_ONLY") or ",".join(MEASUREMENTS),
        help="comma-separated: " + ",".join(MEASUREMENTS),
    )
    parser.add_argument(
        "--subjects", type=int, default=int(os.environ.get("BENCH_SUBJECTS") or 1000)
    )
    parsed = parser.parse_args(argv)
    parsed.only = [name.strip() for name in parsed.only.split(",") if name.strip()]
    unknown = set(parsed.only) - set(MEASUREMENTS)
    if unknown:
        parser.error(f"unknown measurement(s): {', '.join(sorted(unknown))}")
    if not 250 <= parsed.subjects <= 1000:
        parser.error("--subjects must be between 250 and 1000 (the API's maximum)")
    return parsed


def section(text: str) -> None:
    print(f"\n{text}", flush=True)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    knobs = QUICK if args.quick else DEFAULT
    began = time.perf_counter()
    print("Profiel Service benchmark" + (" (quick)" if args.quick else ""), flush=True)
    print(machine.describe(), flush=True)

    figures: list[Figure] = []
    with BenchStack(subjects=args.subjects) as stack:
        print(
            f"Stack: moto server {stack.store.endpoint}, {args.subjects} profiles seeded, "
            f"ready in {time.perf_counter() - began:.1f} s",
            flush=True,
        )
        measurements = {
            "cold": lambda: cold_start.measure(
                stack, knobs["runs"], knobs["first_runs"], bulk_memory=not args.quick
            ),
            "warm": lambda: warm_read.measure(stack, knobs["warm"]),
            "registers": lambda: registers.measure(stack, knobs["warm"]),
            "koppelingen": lambda: koppelingen.measure(stack, knobs["warm"]),
            "bulk": lambda: bulk_lookup.measure(stack, knobs["bulk"], knobs["singles"]),
            "audit": lambda: audit_latency.measure(stack, knobs["audit"]),
            "chain": lambda: audit_chain.measure(stack, knobs["chain"]),
        }
        for name in MEASUREMENTS:
            if name in args.only:
                result = measurements[name]()
                section(result.report())
                figures += result.figures()
        if args.profile:
            section(hotspots.measure(stack))
        problems = stack.service_log_problems()

    rows = [[f.name, f.value, f.goal, f.verdict] for f in figures]
    section("Summary")
    print(table(["figure", "measured", "goal", ""], rows), flush=True)
    missed = sum(1 for f in figures if f.met is False)
    print(
        f"\n{len(figures) - missed - sum(1 for f in figures if f.met is None)} goals met, "
        f"{missed} missed; service log warnings/errors: {len(problems)}; "
        f"bench took {time.perf_counter() - began:.0f} s",
        flush=True,
    )
    for line in problems[:5]:
        print(f"  {line}", flush=True)
    # Goals missed are findings, not failures of the bench: exit 0 unless it broke.
    return 0


if __name__ == "__main__":
    sys.exit(main())
