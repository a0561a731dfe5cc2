"""The benchmark (`make bench`, not run here): its modules import, its options and its statistics
are right - so that it does not rot between runs."""

from __future__ import annotations

import pytest

from bench.__main__ import MEASUREMENTS, arguments
from bench.stats import p50, p95, percentile


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
