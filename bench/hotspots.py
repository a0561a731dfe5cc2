"""``python -m bench --profile``: where a cold start, a warm read and a bulk lookup spend time.

- the import of get-profile's handler under ``python -X importtime`` (fresh interpreter, the
  function's environment), its self time summed per package;
- cProfile over the same in-process handler calls the measurements make: the top entries by
  cumulative time, and the own time (tottime) split into the service's own code, the libraries
  it uses, the standard library, C functions, and waiting (the store's socket, locks).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import subprocess
import sys
import sysconfig
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from bench.stack import LOOKUP_DOEL, BenchStack, api_event, child_environment

REPOSITORY = str(Path(__file__).resolve().parents[1])
STDLIB = sysconfig.get_paths()["stdlib"]


_WAITS = re.compile(r"recv|select|poll|sendall|connect|acquire")


def _split(stats: pstats.Stats) -> dict[str, float]:
    parts = dict.fromkeys(
        (
            "own code (functions/, shared/)",
            "libraries (site-packages)",
            "stdlib",
            "builtins (C functions)",
            "waiting (socket, locks)",
        ),
        0.0,
    )
    entries = stats.stats.items()  # type: ignore[attr-defined]
    for (filename, _, name), (_, _, tottime, _, _) in entries:
        if "site-packages" in filename:
            part = "libraries (site-packages)"
        elif filename.startswith(REPOSITORY):
            part = "own code (functions/, shared/)"
        elif filename.startswith(STDLIB):
            part = "stdlib"
        elif _WAITS.search(name):
            part = "waiting (socket, locks)"
        else:
            part = "builtins (C functions)"
        parts[part] += tottime
    return parts


def profile(title: str, call: Callable[[], object], repeat: int, top: int = 15) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        call()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    total = sum(_split(stats).values()) or 1
    split = "\n".join(
        f"    {name:34} {seconds * 1000 / repeat:8.2f} ms/call  {seconds / total:5.1%}"
        for name, seconds in _split(stats).items()
    )
    body = "\n".join(line for line in out.getvalue().splitlines() if line.strip())
    return f"{title} ({repeat} calls)\n  own time by origin:\n{split}\n{body}"


def import_times(
    stack: BenchStack, module: str = "functions.get_profile.handler", top: int = 20
) -> str:
    """Self import time per package (project modules per sub-package) of one fresh import."""
    from bench.cold_start import deployment_package

    environment = {**child_environment(stack.environment), "PYTHONDONTWRITEBYTECODE": "1"}
    # The code as packaged, with its bytecode: what the cold start figure measures.
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        env=environment,
        cwd=deployment_package(stack.root / "package"),
        capture_output=True,
        text=True,
        check=True,
    )
    own: dict[str, int] = defaultdict(int)
    total = 0
    for line in done.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if not found:
            continue
        self_us, name = int(found.group(1)), found.group(4)
        parts = name.split(".")
        group = ".".join(parts[:2]) if parts[0] in {"functions", "shared"} else parts[0]
        own[group] += self_us
        if not found.group(3).strip(" ") and len(found.group(3)) == 1:
            total += int(found.group(2))
    rows = sorted(own.items(), key=lambda item: -item[1])[:top]
    lines = [f"    {name:40} {micros / 1000:8.1f} ms" for name, micros in rows]
    return (
        f"python -X importtime -c 'import {module}': {total / 1000:.0f} ms in all "
        f"(top-level imports' cumulative); self time per package:\n" + "\n".join(lines)
    )


def measure(stack: BenchStack) -> str:
    get_profile = stack.handler("get-profile")
    read = api_event("GET", "/profiel", stack.burger_token(stack.bsns[0]))
    for _ in range(10):
        get_profile(read, None)
    lookup = stack.handler("lookup-preferences")
    bulk = api_event(
        "POST",
        "/opvragingen",
        stack.organisation_token(),
        {"doel": LOOKUP_DOEL, "betrokkenen": [{"bsn": b} for b in stack.bsns]},
    )
    return "\n\n".join(
        [
            import_times(stack),
            profile(
                "cProfile: warm read, get-profile handler", lambda: get_profile(read, None), 100
            ),
            profile(
                "cProfile: bulk lookup, lookup-preferences handler", lambda: lookup(bulk, None), 1
            ),
        ]
    )
