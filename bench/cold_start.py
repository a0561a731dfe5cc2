"""Cold start: each function's entry point imported in a fresh interpreter, as Lambda's init does.

Two kinds of child process, each run several times, round robin over the targets so that a
disturbance of the machine is spread over all of them:

- **import**: ``import <function>.handler`` (the Lambda init phase), and the import floor
  ``import boto3, pydantic`` measured by the very same child script;
- **first request**: the import plus the function's first request(s) against the bench's store.
  The functions defer part of their initialisation to the first request (settings from the
  environment, the issuer's JWKS, pynamodb's botocore session and connection, the register):
  this shows what that costs.

The children import the service's code as Lambda gets it: a copy of what serverless.yml packages
(``functions/`` and ``shared/``) with its bytecode compiled as ``make package`` compiles it, so no
cold start compiles a source - as the libraries, whose .pyc files pip wrote, are not compiled
either.

The wall time is the parent's, from spawning the interpreter to its exit; the child also reports
its own import time and its peak resident memory. That peak is the child's ``VmHWM`` (the high-water
mark of its own address space), not ``ru_maxrss``: Linux carries ``ru_maxrss`` over ``execve``
from the address space being replaced - that of the (vforked) bench process, which holds the
seeded data - so both the child's own and ``RUSAGE_CHILDREN``'s would report the bench's size.
"""

from __future__ import annotations

import compileall
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from py_compile import PycInvalidationMode
from typing import Any
from urllib.parse import urlencode

from bench.stack import LOOKUP_DOEL, BenchStack, api_event, child_environment
from bench.stats import Figure, ms, p50, table

COLD_START_GOAL = 1.3  # x the import floor
MEMORY_GOAL_MB = 128

# The child: the target's import timed from the child's own start, then the first requests.
# For the floor it runs exactly `import boto3, pydantic` where a function's import would be.
# A second reference, "floor+model", also defines one pydantic model: pydantic 2 loads its model
# machinery (and pydantic-core's schema building) only then, so `import pydantic` alone leaves it
# out, while every function defines models.
CHILD = r"""
import sys, time
started = time.perf_counter()
if sys.argv[1] == "floor":
    import boto3, pydantic
elif sys.argv[1] == "floor+model":
    import boto3, pydantic
    class Probe(pydantic.BaseModel):
        value: int
else:
    import importlib
    handler = importlib.import_module(sys.argv[1]).lambda_handler
imported = time.perf_counter()
results = []
if len(sys.argv) > 2:
    import json
    with open(sys.argv[2]) as file:
        events = json.load(file)
    for event in events:
        before = time.perf_counter()
        response = handler(event, None)
        status = response.get("statusCode", 0 if response.get("batchItemFailures") else 200)
        results.append((time.perf_counter() - before, status))
import json, re
with open("/proc/self/status") as status:
    peak_kb = int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1))
print(json.dumps({"import": imported - started, "peak_kb": peak_kb, "requests": results}))
"""


@dataclass
class Target:
    name: str  # a function's name, or "floor"
    module: str  # the handler module, or "floor"
    walls: list[float] = field(default_factory=list)
    imports: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    first_walls: list[float] = field(default_factory=list)
    first_requests: list[float] = field(default_factory=list)
    first_rss_kb: list[int] = field(default_factory=list)
    first_expected: str = ""
    bulk_rss_kb: int = 0  # lookup-preferences: peak with a 1000-subject lookup served


REPOSITORY = Path(__file__).resolve().parents[1]


def deployment_package(folder: Path) -> Path:
    """The service's code as serverless.yml packages it, compiled as ``make package`` does; a
    child started in ``folder`` imports it from there."""
    for package in ("functions", "shared"):
        shutil.copytree(
            REPOSITORY / package,
            folder / package,
            ignore=shutil.ignore_patterns("__pycache__"),
            dirs_exist_ok=True,
        )
    for package in ("functions", "shared"):
        compiled = compileall.compile_dir(
            folder / package, quiet=1, invalidation_mode=PycInvalidationMode.CHECKED_HASH
        )
        if not compiled:
            raise RuntimeError(f"{package} does not compile")
    return folder


def _spawn(
    module: str, environment: dict[str, str], package: Path, events_file: Path | None = None
) -> tuple[float, dict[str, Any]]:
    command = [sys.executable, "-c", CHILD, module]
    if events_file is not None:
        command.append(str(events_file))
    started = time.perf_counter()
    done = subprocess.run(
        command, env=environment, cwd=package, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"cold start of {module} failed:\n{done.stderr[-2000:]}")
    return wall, json.loads(done.stdout.strip().splitlines()[-1])


def _first_request_events(stack: BenchStack, name: str, run: int) -> tuple[list[dict], str]:
    """The first request(s) a fresh instance of the function serves in this run, and what they
    are. A different burger where a request may only be made once in a while."""
    bsn = stack.bsns[1]
    token = stack.burger_token(bsn)
    if name == "get-profile":
        return [api_event("GET", "/profiel", token)], "GET /profiel"
    if name == "update-profile":
        # Each run a real change (the burger was seeded with "digitaal"), with a stored write.
        value = "post" if run % 2 == 0 else "digitaal"
        body = {"correspondentie": value}
        event = api_event("PATCH", "/profiel/voorkeuren", token, body, {"if-match": "*"})
        return [event], "PATCH /profiel/voorkeuren"
    if name == "verify-contact":
        # One burger per run: a first code for a phone number (rate-limited per address).
        other = stack.bsns[100 + run]
        path = f"/profiel/contactgegevens/{stack.phone_id(other)}/verificatiecode"
        return [api_event("POST", path, stack.burger_token(other))], "POST .../verificatiecode"
    if name == "lookup-preferences":
        org = stack.organisation_token()
        single = {"doel": LOOKUP_DOEL, "betrokkenen": [{"bsn": bsn}]}
        bulk = {"doel": LOOKUP_DOEL, "betrokkenen": [{"bsn": b} for b in stack.bsns]}
        if run < 0:  # the memory run: a first lookup of 1, then a bulk lookup
            events = [api_event("POST", "/opvragingen", org, single)]
            return events + [api_event("POST", "/opvragingen", org, bulk)], "bulk"
        return [api_event("POST", "/opvragingen", org, single)], "POST /opvragingen (1 subject)"
    if name == "report-delivery":
        # An address the organisation was never given: the report is read and logged, and
        # changes nothing, so every run measures the same work.
        body = {
            "doel": LOOKUP_DOEL,
            "betrokkene": {"bsn": bsn},
            "soortDigitaalAdres": "email",
            "adres": "nooit-gegeven@example.nl",
        }
        event = api_event("POST", "/onbestelbaar", stack.organisation_token(), body)
        return [event], "POST /onbestelbaar"
    if name == "read-access-log":
        return [api_event("GET", "/profiel/inzage", token)], "GET /profiel/inzage"
    if name == "process-log":
        return [{"Records": [stack.stream_record()]}], "a stream batch of 1 record"
    if name in _KOPPELINGEN:
        return _koppeling_event(name, bsn)
    raise LookupError(name)


_KOPPELINGEN = ("klantinteracties", "moza-profielservice", "record-contact")


def _koppeling_event(name: str, bsn: str) -> tuple[list[dict], str]:
    """The first request of a function of another standard's contract, as its existing client
    sends it with the municipality's API key."""
    from functions.registry import KLANTINTERACTIES, MOZA_PROFIELSERVICE
    from infra.local.demo import GEMEENTE_API_KEY

    key = f"Token {GEMEENTE_API_KEY}"
    if name == "klantinteracties":
        # As NotifyNL's OMC reads a partij: by BSN, with its digital addresses.
        query = urlencode(
            {
                "partijIdentificator__codeSoortObjectId": "bsn",
                "partijIdentificator__objectId": bsn,
                "expand": "digitaleAdressen",
            }
        )
        event = api_event("GET", "/partijen", key, base=KLANTINTERACTIES.base, query=query)
        return [event], "GET /partijen?...&expand=digitaleAdressen"
    if name == "moza-profielservice":
        body = {"identificatieType": "BSN", "identificatieNummer": bsn}
        return [api_event("POST", "/partij", key, body, base=MOZA_PROFIELSERVICE.base)], (
            "POST /partij"
        )
    # record-contact: the OMC's own klantcontact after a message, not yet of a partij.
    body = {
        "kanaal": "Email",
        "onderwerp": "Bench",
        "inhoud": "Een bericht dat niet wordt bewaard.",
        "indicatieContactGelukt": True,
        "taal": "nl",
        "vertrouwelijk": True,
    }
    event = api_event("POST", "/klantcontacten", key, body, base=KLANTINTERACTIES.base)
    return [event], "POST /klantcontacten"


@dataclass
class ColdStartResult:
    floor: Target
    floor_model: Target
    functions: list[Target]
    runs: int
    first_runs: int
    bulk_subjects: int

    def report(self) -> str:
        floor = p50(self.floor.walls)
        with_model = p50(self.floor_model.walls)

        def row(name: str, target: Target) -> list[str]:
            wall = p50(target.walls)
            first = (
                [
                    ms(p50(target.first_walls)),
                    ms(p50(target.first_requests)),
                    f"{max(target.first_rss_kb) / 1024:.0f}",
                ]
                if target.first_walls
                else ["", "", ""]
            )
            return [
                name,
                ms(wall),
                f"{wall / floor:.2f}x",
                f"{wall / with_model:.2f}x",
                ms(p50(target.imports)),
                f"{max(target.rss_kb) / 1024:.0f}",
                *first,
            ]

        rows = [
            row("floor: import boto3, pydantic", self.floor),
            row("floor + one pydantic model", self.floor_model),
            *(row(target.name, target) for target in self.functions),
        ]
        headers = [
            "import of",
            "wall p50",
            "/ floor",
            "/ +model",
            "in-child",
            "RSS MB",
            "+1st req wall",
            "1st req",
            "RSS MB",
        ]
        lines = [
            f"Cold start: {self.runs} fresh interpreters per target (median), "
            f"{self.first_runs} with the first request.",
            table(headers, rows),
            "  the service's code as packaged, with the bytecode `make package` compiles; the",
            "  environment serverless.yml gives a function (no SSM: no *_PARAMETER variable);",
            "  wall: spawn to exit, measured by the parent; in-child: the import statement alone;",
            "  / +model: ratio to the floor plus one pydantic model class (pydantic's lazily",
            "  loaded model machinery, which `import pydantic` alone does not load);",
            "  RSS: the child's peak resident memory, VmHWM (max over its runs). First requests:",
        ]
        lines += [f"    {t.name}: {t.first_expected}" for t in self.functions if t.first_expected]
        lines += [
            f"  {t.name}, fresh process, after a lookup of {self.bulk_subjects} subjects: peak "
            f"{t.bulk_rss_kb / 1024:.0f} MB"
            for t in self.functions
            if t.bulk_rss_kb
        ]
        return "\n".join(lines)

    def figures(self) -> list[Figure]:
        floor = p50(self.floor.walls)
        with_model = p50(self.floor_model.walls)
        figures = []
        for target in self.functions:
            ratio = p50(target.walls) / floor
            # The import is the goal's; what the first request adds is shown beside it.
            first = f"; +1st request {ms(p50(target.first_walls))}" if target.first_walls else ""
            figures.append(
                Figure(
                    f"cold start {target.name}",
                    f"{ratio:.2f}x floor ({ms(p50(target.walls))}{first})",
                    f"<= {COLD_START_GOAL}x",
                    ratio <= COLD_START_GOAL,
                )
            )
        worst = max(self.functions, key=lambda t: p50(t.walls))
        worst_ratio = p50(worst.walls) / floor
        figures.append(
            Figure(
                f"cold start, the slowest function ({worst.name})",
                f"{worst_ratio:.2f}x floor ({ms(p50(worst.walls))} vs {ms(floor)})",
                f"<= {COLD_START_GOAL}x",
                worst_ratio <= COLD_START_GOAL,
            )
        )
        with_first = [t for t in self.functions if t.first_walls]
        if with_first:
            slowest = max(with_first, key=lambda t: p50(t.first_walls))
            figures.append(
                Figure(
                    f"cold start + first request, the slowest ({slowest.name})",
                    f"{ms(p50(slowest.first_walls))} (its request {ms(p50(slowest.first_requests))})",
                    "context",
                    None,
                )
            )
        figures.append(
            Figure(
                "  (floor + one pydantic model)",
                f"{with_model / floor:.2f}x floor",
                "context",
                None,
            )
        )
        for target in self.functions:
            peak = max(target.rss_kb + target.first_rss_kb + [target.bulk_rss_kb]) / 1024
            figures.append(
                Figure(
                    f"peak memory {target.name}" + (" (bulk)" if target.bulk_rss_kb else ""),
                    f"{peak:.0f} MB",
                    f"<= {MEMORY_GOAL_MB} MB",
                    peak <= MEMORY_GOAL_MB,
                )
            )
        return figures


def measure(
    stack: BenchStack, runs: int = 7, first_runs: int = 3, bulk_memory: bool = True
) -> ColdStartResult:
    from functions.registry import FUNCTIONS

    # The environment of a deployed function: no *_PARAMETER variable, so no SSM (no network);
    # nothing written, as on Lambda's read-only file system: only the package's bytecode is read.
    environment = {**child_environment(stack.environment), "PYTHONDONTWRITEBYTECODE": "1"}
    package = deployment_package(stack.root / "package")
    floor = Target("floor", "floor")
    floor_model = Target("floor+model", "floor+model")
    functions = [Target(f.name, f.handler_module) for f in FUNCTIONS]
    targets = [floor, floor_model, *functions]
    for run in range(runs):
        for index in range(len(targets)):
            target = targets[(index + run) % len(targets)]
            wall, child = _spawn(target.module, environment, package)
            target.walls.append(wall)
            target.imports.append(child["import"])
            target.rss_kb.append(child["peak_kb"])

    events_folder = stack.root / "cold-start-events"
    events_folder.mkdir(exist_ok=True)
    for run in range(first_runs):
        for index in range(len(functions)):
            target = functions[(index + run) % len(functions)]
            events, target.first_expected = _first_request_events(stack, target.name, run)
            events_file = events_folder / f"{target.name}-{run}.json"
            events_file.write_text(json.dumps(events))
            wall, child = _spawn(target.module, environment, package, events_file)
            statuses = [status for _, status in child["requests"]]
            if any(status >= 400 or status == 0 for status in statuses):
                raise RuntimeError(f"first request of {target.name} answered {statuses}")
            target.first_walls.append(wall)
            target.first_requests.append(child["requests"][0][0])
            target.first_rss_kb.append(child["peak_kb"])

    if bulk_memory:
        # Peak memory of lookup-preferences serving the largest request it takes.
        lookup = next(t for t in functions if t.name == "lookup-preferences")
        events, _ = _first_request_events(stack, lookup.name, -1)
        events_file = events_folder / "lookup-preferences-bulk.json"
        events_file.write_text(json.dumps(events))
        _, child = _spawn(lookup.module, environment, package, events_file)
        if [status for _, status in child["requests"]] != [200, 200]:
            raise RuntimeError(f"the bulk lookup in a fresh process answered {child['requests']}")
        lookup.bulk_rss_kb = child["peak_kb"]
    return ColdStartResult(floor, floor_model, functions, runs, first_runs, len(stack.bsns))
