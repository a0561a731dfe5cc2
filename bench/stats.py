"""Small helpers the measurements share: percentiles, timing, and the summary's figures."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct``-th percentile (linear interpolation between the closest ranks)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def p50(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    return percentile(values, 95)


def timed(call: Callable[[], object]) -> tuple[float, object]:
    """Seconds one call took, and what it returned."""
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 1 else f"{seconds:.3f} s"


@dataclass(frozen=True)
class Figure:
    """One line of the summary: what was measured, its value, the goal, and whether it is met."""

    name: str
    value: str
    goal: str
    met: bool | None  # None: informational, no goal

    @property
    def verdict(self) -> str:
        return {True: "ok", False: "MISSED", None: "-"}[self.met]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> str:
    """A plain text table, left-aligned, columns as wide as their widest cell."""
    columns = zip(headers, *rows, strict=False)
    widths = [max(len(str(cell)) for cell in column) for column in columns]
    lines = [
        indent + "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False))
        for row in (headers, ["-" * w for w in widths], *rows)
    ]
    return "\n".join(line.rstrip() for line in lines)
