"""``make bench`` / ``python -m bench``: every figure of the Profiel Service, side by side.

Options (or environment variables, for ``make bench BENCH_QUICK=1``):

  --quick          (BENCH_QUICK=1) fewer runs and samples, a tax run of 10,000: a smoke run
  --only NAMES     (BENCH_ONLY=cold,warm,registers,koppelingen,bulk,latency,audit,chain,taxrun)
                   run only these
  --profile        (BENCH_PROFILE=1) also print a cProfile of a warm read and of a bulk lookup
  --subjects N     (BENCH_SUBJECTS) subjects seeded and looked up in bulk (default 1000)
  --population N   (BENCH_POPULATION) burgers of the tax run (default 100,000; quick 10,000)
  --results DIR    (BENCH_RESULTS) where the figures are written as JSON, ``<DIR>/<date>.json``
                   (default bench/results; ``-`` writes none)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import (
    audit_chain,
    audit_latency,
    bulk_lookup,
    cold_start,
    hotspots,
    koppelingen,
    machine,
    registers,
    store_latency,
    tax_run,
    warm_read,
)
from bench.stack import BenchStack
from bench.stats import Figure, table

# The tax run last: it leaves 100,000 profiles and their records in the store.
MEASUREMENTS = (
    "cold",
    "warm",
    "registers",
    "koppelingen",
    "bulk",
    "latency",
    "audit",
    "chain",
    "taxrun",
)
RESULTS = Path(__file__).parent / "results"

# (cold start runs, first-request runs, warm samples, bulk runs, singles, runs and single lookups
# per store delay, audit samples, chain appends per length)
DEFAULT = {
    "runs": 11,
    "first_runs": 3,
    "warm": 300,
    "bulk": 3,
    "singles": None,
    "latency": 3,
    "latency_singles": 200,
    "audit": 40,
    "chain": 40,
    "population": tax_run.POPULATION,
}
QUICK = {
    "runs": 3,
    "first_runs": 1,
    "warm": 100,
    "bulk": 1,
    "singles": 200,
    "latency": 1,
    "latency_singles": 40,
    "audit": 15,
    "chain": 15,
    "population": 10_000,
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
    parser.add_argument(
        "--population", type=int, default=int(os.environ.get("BENCH_POPULATION") or 0) or None
    )
    parser.add_argument("--results", default=os.environ.get("BENCH_RESULTS") or str(RESULTS))
    parsed = parser.parse_args(argv)
    parsed.only = [name.strip() for name in parsed.only.split(",") if name.strip()]
    unknown = set(parsed.only) - set(MEASUREMENTS)
    if unknown:
        parser.error(f"unknown measurement(s): {', '.join(sorted(unknown))}")
    if not 250 <= parsed.subjects <= 1000:
        parser.error("--subjects must be between 250 and 1000 (the API's maximum)")
    if parsed.population is not None and (
        parsed.population < 1000 or parsed.population % tax_run.PER_REQUEST
    ):
        parser.error(f"--population must be a multiple of {tax_run.PER_REQUEST}")
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
            "latency": lambda: store_latency.measure(
                stack, knobs["latency"], knobs["latency_singles"]
            ),
            "audit": lambda: audit_latency.measure(stack, knobs["audit"]),
            "chain": lambda: audit_chain.measure(stack, knobs["chain"]),
            "taxrun": lambda: tax_run.measure(stack, args.population or knobs["population"]),
        }
        details: dict[str, Any] = {}
        for name in MEASUREMENTS:
            if name in args.only:
                result = measurements[name]()
                section(result.report())
                figures += result.figures()
                if hasattr(result, "as_json"):
                    details[name] = result.as_json()
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
    if args.results != "-":
        written = write_results(Path(args.results), args, figures, details)
        print(f"Figures written to {written}", flush=True)
    # Goals missed are findings, not failures of the bench: exit 0 unless it broke.
    return 0


def write_results(
    folder: Path, args: argparse.Namespace, figures: list[Figure], details: dict[str, Any]
) -> Path:
    """The run's figures as JSON, ``<folder>/<date>.json``: a later run can be compared with it
    (a second run on the same day replaces the first)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).parent,
        ).stdout.strip()
    except OSError:
        commit = ""
    now = datetime.now(UTC)
    document = {
        "measured_at": now.isoformat(timespec="seconds"),
        "commit": commit or None,
        "machine": machine.describe().splitlines(),
        "quick": args.quick,
        "measurements": args.only,
        "figures": [
            {"name": f.name, "value": f.value, "goal": f.goal, "met": f.met} for f in figures
        ],
        "details": details,
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{now.date().isoformat()}.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    sys.exit(main())
