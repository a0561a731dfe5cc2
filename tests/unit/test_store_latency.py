"""The store latency measurement's figures (``bench.store_latency``, not run here): which ratios
it reports and which of them it judges."""

from __future__ import annotations

import os
import time

import pytest

from bench.store_latency import AtDelay, LatencyResult, Scenario, process_cpu_seconds


def _scenario(wall: float, store_cpu: float = 0.0) -> Scenario:
    scenario = Scenario(1000)
    scenario.add(wall, store_cpu, 0.1)
    return scenario


def _at(delay_ms: float, bulk: float, singles: float, raw: float) -> AtDelay:
    return AtDelay(
        delay_ms,
        _scenario(bulk, store_cpu=bulk / 2),
        _scenario(singles, store_cpu=singles / 4),
        _scenario(raw),
        _scenario(raw * 2),
        _scenario(singles),
        one_single=singles / 1000,
        function_peak_mb=90,
        proxy_cpu=0.2,
        log_problems=0,
    )


def test_only_the_largest_delay_is_judged() -> None:
    result = LatencyResult(
        1000,
        3,
        8,
        [_at(0, 3.0, 9.0, 2.9), _at(1, 3.0, 30.0, 2.9), _at(5, 2.0, 50.0, 1.9)],
        "check",
    )
    figures = result.figures()
    assert [f.met for f in figures] == [None, None, True, True]
    assert figures[2].value.startswith("25.0x")
    assert figures[3].value.startswith("1.05x")
    assert result.delays[2].singles_over_bulk_beside_store == pytest.approx(37.5)
    assert "5 ms" in result.report()
    assert result.as_json()["delays"][2]["bulk"]["wall_seconds"] == 2.0


@pytest.mark.parametrize(("bulk", "met"), [(2.6, True), (2.7, False)])
def test_bulk_over_raw_concurrent_is_held_to_its_goal(bulk: float, met: bool) -> None:
    result = LatencyResult(1000, 1, 8, [_at(5, bulk, 100.0, 2.0)], "check")
    assert result.figures()[-1].met is met


def test_the_cpu_time_of_a_process_is_read_from_proc() -> None:
    before = process_cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.1
    while time.process_time() < deadline:
        pass
    assert process_cpu_seconds(os.getpid()) - before >= 0.05  # ticks of 10 ms
