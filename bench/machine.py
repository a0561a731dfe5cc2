"""What the figures were measured on: they mean little without it."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe() -> str:
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    try:
        load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        load = "unknown"
    version = sys.version.split()[0]
    return "\n".join(
        [
            f"Machine: {cpus} CPUs ({usable} usable), {cpu_model()}",
            f"Python {version} ({platform.python_implementation()}), {platform.platform()}",
            f"Load average at start (1/5/15 min): {load}",
        ]
    )
