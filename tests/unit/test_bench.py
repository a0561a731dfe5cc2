"""The benchmark (`make bench`, not run here): its modules import, its options and its statistics
are right - so that it does not rot between runs."""

from __future__ import annotations

import pytest

from bench.__main__ import MEASUREMENTS, arguments
from bench.audit_chain import ChainResult, linked_chain
from bench.stats import p50, p95, percentile
from shared.models.audit import first_broken_link


def test_by_default_every_figure_is_measured_for_1000_subjects() -> None:
    parsed = arguments([])
    assert parsed.only == list(MEASUREMENTS)
    assert parsed.subjects == 1000
    assert not parsed.quick


@pytest.mark.parametrize("argv", [["--only", "cold,speed"], ["--subjects", "1001"]])
def test_an_unknown_measurement_or_too_many_subjects_is_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        arguments(argv)
    assert exited.value.code == 2


def test_percentiles_interpolate_between_the_closest_ranks() -> None:
    values = [float(v) for v in range(1, 101)]  # 1..100, shuffled order must not matter
    assert p50(values[::-1]) == 50.5
    assert p95(values) == pytest.approx(95.05)
    assert percentile([3.0], 95) == 3.0
    assert percentile([1.0, 2.0], 50) == 1.5


def test_the_seeded_audit_chains_are_linked_as_appending_links_them() -> None:
    key = b"k" * 32
    chain = linked_chain("p-bench", 25, key)
    assert [r.positie for r in chain] == list(range(1, 26))
    assert [r.versie for r in chain] == list(range(1, 26))
    assert first_broken_link(chain, key) is None


@pytest.mark.parametrize(("long", "met"), [(11.9, True), (12.1, False)])
def test_the_chain_figure_is_the_ratio_of_the_medians(long: float, met: bool) -> None:
    result = ChainResult(3, [10.0, 10.0, 11.0], [long] * 3, whole_trail=5.0, seeding=1.0)
    [figure] = result.figures()
    assert result.ratio == pytest.approx(long / 10.0)
    assert figure.met is met


def test_the_cold_start_figures_name_the_slowest_function_against_the_goal() -> None:
    from bench.cold_start import COLD_START_GOAL, ColdStartResult, Target

    floor = Target("floor", "floor", walls=[0.200, 0.200])
    with_model = Target("floor+model", "floor+model", walls=[0.240])
    fast = Target("get-profile", "a", walls=[0.250], first_walls=[0.400], first_requests=[0.1])
    slow = Target("process-log", "b", walls=[0.270], first_walls=[0.300], first_requests=[0.1])
    for target in (floor, with_model, fast, slow):
        target.rss_kb = [1024]
    figures = ColdStartResult(floor, with_model, [fast, slow], 2, 1, 10).figures()
    [worst] = [f for f in figures if f.name.startswith("cold start, the slowest")]
    assert "process-log" in worst.name
    assert COLD_START_GOAL == 1.3
    assert worst.met is False  # 1.35x
    [first] = [f for f in figures if f.name.startswith("cold start + first request")]
    assert "get-profile" in first.name  # 400 ms with its first request, the other 300 ms
