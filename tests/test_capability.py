"""Capability indices against values computed by hand here, from the formulas."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from metrics.capability import bissell_interval, c4, capability, inspection_level


@pytest.mark.parametrize("n, expected", [(2, 0.7979), (5, 0.9400), (25, 0.9896)])
def test_c4(n, expected):
    assert round(c4(n), 4) == expected


def test_bissell_interval_n45_cpk115():
    low, high = bissell_interval(1.15, 45)
    assert (round(low, 2), round(high, 2)) == (0.89, 1.41)


def test_bissell_at_n100_cpk133_spans_three_levels():
    low, high = bissell_interval(1.33, 100)
    assert (round(low, 2), round(high, 2)) == (1.13, 1.53)
    assert {inspection_level(low), inspection_level(1.33), inspection_level(high)} == {
        "100 %",
        "30 %",
        "10 %",
    }


@pytest.mark.parametrize(
    "cpk, level",
    [
        (1.0, "100 %"),
        (1.329, "100 %"),
        (1.33, "30 %"),
        (1.49, "30 %"),
        (1.5, "10 %"),
        (1.67, "10 %"),
        (1.671, "1 %"),
        (2.5, "1 %"),
        (None, "100 %"),
    ],
)
def test_inspection_levels(cpk, level):
    assert inspection_level(cpk) == level


# A known data set: 30 single values, limits 9.0 .. 11.0. Every number below is computed
# in the test from the textbook formulas, not by the code under test.
VALUES = [
    10.1,
    9.8,
    10.0,
    10.3,
    9.9,
    10.2,
    10.0,
    9.7,
    10.1,
    10.4,
    9.9,
    10.0,
    10.2,
    9.8,
    10.1,
    10.0,
    9.9,
    10.3,
    10.1,
    9.8,
    10.0,
    10.2,
    9.9,
    10.1,
    10.0,
    9.8,
    10.2,
    10.1,
    9.9,
    10.0,
]
LSL, USL = 9.0, 11.0


def test_single_values_by_hand():
    mean = sum(VALUES) / len(VALUES)
    moving_ranges = [abs(b - a) for a, b in zip(VALUES, VALUES[1:], strict=False)]
    sigma_w = (sum(moving_ranges) / len(moving_ranges)) / 1.128
    sigma_o = statistics.stdev(VALUES)
    result = capability(VALUES, LSL, USL)
    assert result.status == "ok" and result.n == 30
    assert result.cp == pytest.approx((USL - LSL) / (6 * sigma_w), rel=1e-12)
    assert result.cpk == pytest.approx(min(USL - mean, mean - LSL) / (3 * sigma_w), rel=1e-12)
    assert result.pp == pytest.approx((USL - LSL) / (6 * sigma_o), rel=1e-12)
    assert result.ppk == pytest.approx(min(USL - mean, mean - LSL) / (3 * sigma_o), rel=1e-12)
    # Normal tail probabilities 0.5 erfc(d / (sigma sqrt 2)); statistics.NormalDist.cdf
    # uses 0.5 (1 + erf), which cancels away the digits this far out in the tails.
    root2 = math.sqrt(2)
    expected_ppm = (
        0.5 * math.erfc((mean - LSL) / (sigma_o * root2))
        + 0.5 * math.erfc((USL - mean) / (sigma_o * root2))
    ) * 1e6
    assert result.expected_ppm == pytest.approx(expected_ppm, rel=1e-9)


def test_subgroups_by_hand():
    data = np.array(VALUES).reshape(6, 5)
    subgroups = np.repeat(np.arange(6), 5)
    variances = [statistics.variance(row) for row in data]
    pooled = math.sqrt(sum(4 * v for v in variances) / 24)
    gamma = math.gamma
    c4_25 = math.sqrt(2 / 24) * gamma(25 / 2) / gamma(24 / 2)
    sigma_w = pooled / c4_25
    result = capability(data.ravel(), LSL, USL, subgroups=subgroups)
    assert result.sigma_within == pytest.approx(sigma_w, rel=1e-12)
    assert result.cp == pytest.approx(2.0 / (6 * sigma_w), rel=1e-12)


def test_one_sided_upper_limit():
    result = capability(VALUES, None, 11.0)
    assert result.cp is None and result.pp is None and result.cpl is None
    assert result.cpk == result.cpu
    assert result.ppk is not None


def test_fewer_than_30_values_is_insufficient_data():
    result = capability(VALUES[:29], LSL, USL)
    assert result.status == "insufficient data"
    assert result.inspection_level == "100 %"
    assert result.cpk is not None  # still reported, not trusted


def test_capable_process_gets_reduced_inspection():
    rng = np.random.default_rng(1)
    result = capability(rng.normal(10.0, 0.1, 200), 9.0, 11.0)
    assert result.cpk > 2
    assert result.inspection_level == "1 %"
    assert result.inspection_level_lower_bound == "1 %"


def test_capability_report_draws_a_chart_again_only_when_its_measurements_change(tmp_path):
    from metrics.tables import capability_table
    from reporting.report import write_capability_report

    rng = np.random.default_rng(7)
    measurements = pd.DataFrame(
        {
            "supplier_id": "300001",
            "material_id": ["71000011"] * 40 + ["71000012"] * 40,
            "characteristic_number": 1,
            "characteristic": "Diameter",
            "lower_limit": 9.0,
            "upper_limit": 11.0,
            "inspection_lot": np.repeat(np.arange(16), 5),
            "sample_number": 1,
            "measured_value": rng.normal(10, 0.2, 80),
        }
    )
    write_capability_report(tmp_path, capability_table(measurements), measurements)
    charts = tmp_path / "capability"
    first = {p.name: p.stat().st_mtime_ns for p in charts.glob("*.svg")}
    assert len(first) == 2

    measurements.loc[measurements["material_id"] == "71000012", "measured_value"] += 0.1
    write_capability_report(tmp_path, capability_table(measurements), measurements)
    second = {p.name: p.stat().st_mtime_ns for p in charts.glob("*.svg")}
    assert len(second) == 2
    kept = first.keys() & second.keys()
    assert len(kept) == 1 and all(first[n] == second[n] for n in kept)  # not redrawn
    page = (tmp_path / "capability.html").read_text()
    assert all(f'src="capability/{n}"' in page for n in second)


def test_material_ids_are_data_never_paths_nor_markup(tmp_path):
    """SAP allows '/' in a material number; a chart is named by a hash, and ids are
    escaped in the page."""
    from metrics.tables import capability_table
    from reporting.report import write_capability_report

    odd = ["62/340-1", "../../etc", "<IMG SRC=X ONERROR=ALERT(1)>"]
    measurements = pd.DataFrame(
        {
            "supplier_id": "300001",
            "material_id": np.repeat(odd, 30),
            "characteristic_number": 1,
            "characteristic": "Diameter",
            "lower_limit": 9.0,
            "upper_limit": 11.0,
            "inspection_lot": np.tile(np.repeat(np.arange(6), 5), 3),
            "sample_number": 1,
            "measured_value": np.random.default_rng(3).normal(10, 0.2, 90),
        }
    )
    write_capability_report(tmp_path, capability_table(measurements), measurements)
    charts = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.svg"))
    assert len(charts) == 3 and all(p.parent == Path("capability") for p in charts)
    page = (tmp_path / "capability.html").read_text()
    assert "<IMG SRC=X" not in page and "&lt;IMG SRC=X ONERROR=ALERT(1)&gt;" in page
    assert "62/340-1" in page


def test_single_value_samples_take_the_moving_range_in_time_order_however_rows_arrive():
    """One value per sample: sigma within is the mean moving range / 1.128 along the time
    order (inspection date, lot, sample, value number), not the order rows come in."""
    from metrics.tables import capability_table

    days = pd.date_range("2010-01-04", periods=30, freq="D")
    rows = pd.DataFrame(
        {
            "supplier_id": "S1",
            "material_id": "M1",
            "characteristic_number": 10,
            "characteristic": "Bore",
            "lower_limit": LSL,
            "upper_limit": USL,
            "inspection_lot": [f"L{i:03d}" for i in range(30)],
            "sample_number": 1,
            "value_number": 1,
            "inspection_date": days,
            "measured_value": VALUES,
        }
    )
    ranges = [abs(b - a) for a, b in zip(VALUES, VALUES[1:], strict=False)]
    sigma_w = sum(ranges) / len(ranges) / 1.128
    mean = sum(VALUES) / 30
    expected_cpk = min(USL - mean, mean - LSL) / (3 * sigma_w)
    in_order = capability_table(rows)
    assert in_order["sigma_within"].iloc[0] == pytest.approx(sigma_w, rel=1e-12)
    assert in_order["cpk"].iloc[0] == pytest.approx(expected_cpk, rel=1e-12)
    for seed in range(5):
        shuffled = capability_table(rows.sample(frac=1, random_state=seed))
        assert shuffled["cpk"].iloc[0] == in_order["cpk"].iloc[0]
        assert shuffled["inspection_level"].iloc[0] == in_order["inspection_level"].iloc[0]


def test_the_histogram_draws_the_bars_the_curve_and_only_the_given_limits():
    """The SVG's bars are the density histogram (heights in proportion), the curve peaks
    at the mean, a limit given as NaN (one-sided) draws no line, and the title is text."""
    import xml.etree.ElementTree as ET

    from reporting.histogram import LEFT, RIGHT, capability_histogram_svg

    values = np.array([9.8, 9.9, 10.0, 10.0, 10.1, 10.0, 10.2, 9.9, 10.0, 10.1] * 3)
    svg = capability_histogram_svg(values, float("nan"), 10.6, "S1 / M1 / <Bore> & co")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    bars = [r for r in root.iter(f"{ns}rect") if r.get("fill-opacity")]
    counts, _ = np.histogram(values, bins=6, density=True)
    assert len(bars) == np.count_nonzero(counts)
    heights = np.array([float(b.get("height")) for b in bars])
    expected = counts[counts > 0] / counts.max() * heights.max()
    assert np.allclose(heights, expected, atol=0.1)
    limits = [t.text for t in root.iter(f"{ns}text") if t.text and "SL" in t.text]
    assert limits == ["USL 10.6"] and "LSL" not in svg
    (curve,) = root.iter(f"{ns}polyline")
    points = [tuple(map(float, p.split(","))) for p in curve.get("points").split()]
    peak_x = min(points, key=lambda p: p[1])[0]  # SVG's y grows downwards
    low, high = 9.8 - 0.08, 10.6 + 0.08  # values and USL, 10 % of their span either side
    assert peak_x == pytest.approx(
        LEFT + (values.mean() - low) / (high - low) * (RIGHT - LEFT), abs=3
    )
    assert root.find(f"{ns}text").text == "S1 / M1 / <Bore> & co"  # escaped, read back whole


def test_nice_ticks_are_round_and_inside_the_range():
    from reporting.histogram import nice_ticks

    assert nice_ticks(9.72, 10.68) == [9.8, 10.0, 10.2, 10.4, 10.6]
    assert nice_ticks(0, 1000) == [0, 200, 400, 600, 800, 1000]
    assert nice_ticks(5.0, 5.0) == [5.0]


def test_the_capability_report_lists_the_worst_first():
    """Inspection levels compare as shares (as text "100 %" fell between "10 %" and
    "30 %", and the characteristics to inspect in every lot sat mid-page): every-lot
    first, too few values to tell first within it, then the lowest Cpk."""
    from metrics.capability import inspection_share
    from reporting.report import worst_first

    assert [inspection_share(x) for x in ("1 %", "10 %", "30 %", "100 %")] == [
        0.01, 0.1, 0.3, 1.0,
    ]  # fmt: skip
    rows = pd.DataFrame(
        [
            ("A", "m1", 1, "1 %", "ok", 1.9, 1.6),
            ("B", "m1", 1, "100 %", "ok", 0.5, 0.4),
            ("C", "m1", 1, "30 %", "ok", 1.4, 1.1),
            ("D", "m1", 1, "100 %", "insufficient data", math.nan, math.nan),
            ("E", "m1", 1, "10 %", "ok", 1.6, 1.3),
            ("F", "m1", 1, "100 %", "ok", 1.2, 0.9),
            ("G", "m1", 1, "100 %", "ok", 0.5, 0.3),
        ],
        columns=["supplier_id", "material_id", "characteristic_number", "inspection_level",
                 "status", "cpk", "cpk_ci_low"],
    )  # fmt: skip
    assert worst_first(rows)["supplier_id"].tolist() == [
        "D", "G", "B", "F", "C", "E", "A",
    ]  # fmt: skip
