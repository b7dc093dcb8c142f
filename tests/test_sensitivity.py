"""The sensitivity of the profitability ranking to the activity times (metrics/sensitivity.py,
metrics.tables.sensitivity_tables, analytics.profitability_sensitivity and
analytics.sensitivity_tornado): PERT draws against the distribution's own mean, the
matrix product against a loop over draws and members, numbers worked by hand, and the
tables the demo run wrote."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from metrics.sensitivity import pert_draws, pert_mean, ranks, simulate, spearman_with, tornado
from metrics.tables import sensitivity_tables

MEMBERS = pd.DataFrame(
    {
        "period_type": ["year"] * 3,
        "period_start": ["2010-01-01"] * 3,
        "customer_id": ["a", "b", "c"],
        "customer_name": ["A", "B", "C"],
        "customer_group": ["G1", "G1", "G2"],
        "customer_group_name": ["g1", "g1", "g2"],
        "net_revenue": [100.0, 50.0, 80.0],
        "net_profit": [10.0, -5.0, 2.0],
    }
)
COSTS = pd.DataFrame(
    {
        "period_type": ["year"] * 4,
        "period_start": ["2010-01-01"] * 4,
        "customer_id": ["a", "b", "c", "c"],
        "customer_group": ["G1", "G1", "G2", "G2"],
        "activity_id": ["invoicing", "invoicing", "invoicing", "packing"],
        "time_cost": [20.0, 10.0, 5.0, 3.0],
    }
)
# invoicing 12/15/20 minutes for every group but G2, which has its own 10/15/15.
ESTIMATES = pd.DataFrame(
    {
        "activity_id": ["invoicing", "packing", "invoicing"],
        "customer_group": [None, None, "G2"],
        "low": [12.0, 4.0, 10.0],
        "likely": [15.0, 5.0, 15.0],
        "high": [20.0, 6.0, 15.0],
        "time_unit": ["minute"] * 3,
    }
)


def test_pert_draws_have_the_distributions_mean_and_stay_in_range():
    low, likely, high = np.array([8.0, 12.0]), np.array([15.0, 15.0]), np.array([30.0, 20.0])
    draws = pert_draws(low, likely, high, 200_000, np.random.default_rng(7))
    assert draws.shape == (200_000, 2)
    assert (draws >= low).all() and (draws <= high).all()
    mean = pert_mean(low, likely, high)
    # PERT's variance: (mean - low)(high - mean) / 7.
    standard_error = np.sqrt((mean - low) * (high - mean) / 7 / len(draws))
    assert np.abs(draws.mean(axis=0) - mean).max() < 4 * standard_error.max()
    assert pert_mean(8, 15, 30) == pytest.approx((8 + 60 + 30) / 6)


def test_a_zero_width_range_gives_its_value_every_time():
    draws = pert_draws(
        np.array([15.0]), np.array([15.0]), np.array([15.0]), 50, np.random.default_rng(1)
    )
    assert (draws == 15.0).all()


def test_the_matrix_product_equals_a_loop_over_draws_and_members():
    rng = np.random.default_rng(3)
    profit, revenue = rng.normal(0, 100, 6), rng.uniform(50, 500, 6)
    time_cost = rng.uniform(0, 40, (6, 4)) * (rng.uniform(size=(6, 4)) > 0.3)
    factors = rng.uniform(0.7, 1.4, (25, 4))
    got = simulate(profit, revenue, time_cost, factors).profit
    for k in range(25):
        for m in range(6):
            expected = profit[m] - sum(time_cost[m, e] * (factors[k, e] - 1) for e in range(4))
            assert got[k, m] == pytest.approx(expected, abs=1e-9)


def test_ranks_and_spearman():
    assert ranks(np.array([[5.0, -1.0, 3.0]])).tolist() == [[1, 3, 2]]
    reference = np.array([1, 2, 3, 4])
    assert spearman_with(reference, np.array([[1, 2, 3, 4], [4, 3, 2, 1]])).tolist() == [1.0, -1.0]


def test_the_tornado_by_hand():
    # a: profit 10, invoicing 20 NOK at 15 min. At 12 min it costs 16: profit 14; at 20 min
    # it costs 26.67: profit 3.33.
    at_low, at_high = tornado(
        np.array([10.0]), np.array([[20.0]]), np.array([0.8]), np.array([4 / 3])
    )
    assert at_low[0, 0] == pytest.approx(14.0) and at_high[0, 0] == pytest.approx(10 - 20 / 3)


def test_the_tables_use_a_groups_own_range_and_sum_the_groups():
    summary, bars = sensitivity_tables(MEMBERS, COSTS, ESTIMATES, draws=500, seed=11)
    assert len(summary) == 5 and set(summary["level"]) == {"customer", "customer_group"}
    c = bars[(bars["level"] == "customer") & (bars["member_id"] == "c")].set_index("activity_id")
    # G2's own invoicing range 10/15/15: at its high time nothing changes.
    assert c.loc["invoicing", "estimate_customer_group"] == "G2"
    assert c.loc["invoicing", "net_profit_at_high"] == pytest.approx(2.0)
    assert c.loc["invoicing", "net_profit_at_low"] == pytest.approx(2 + 5 / 3)
    g1 = bars[(bars["level"] == "customer_group") & (bars["member_id"] == "G1")].iloc[0]
    assert g1["actual_net_profit"] == 5.0 and g1["swing"] == pytest.approx(30 * (20 - 12) / 15)
    # Same seed, same draws: the tables are reproducible.
    again, _ = sensitivity_tables(MEMBERS, COSTS, ESTIMATES, draws=500, seed=11)
    pd.testing.assert_frame_equal(summary, again)


def test_with_zero_width_ranges_every_draw_is_the_actual_costing():
    sure = ESTIMATES.assign(low=ESTIMATES["likely"], high=ESTIMATES["likely"])
    summary, bars = sensitivity_tables(MEMBERS, COSTS, sure, draws=200, seed=5)
    for column in ("net_profit_p05", "net_profit_p50", "net_profit_p95"):
        assert summary[column].to_numpy() == pytest.approx(summary["actual_net_profit"].to_numpy())
    assert (summary["probability_profitable"] == (summary["actual_net_profit"] > 0)).all()
    assert (summary["rank_p05"] == summary["actual_rank"]).all()
    assert (summary["rank_p95"] == summary["actual_rank"]).all()
    assert (summary["spearman_mean"] == 1.0).all()
    assert (bars["swing"] == 0).all()


def test_the_demo_runs_sensitivity_tables(demo_run):
    env, _ = demo_run
    with duckdb.connect(str(env["warehouse"]), read_only=True) as con:
        counts = con.execute(
            """select s.level, count(*), any_value(s.draws),
                count(*) filter (where s.net_profit_p05 <= s.net_profit_p50
                    and s.net_profit_p50 <= s.net_profit_p95
                    and s.rank_p05 <= s.rank_p95
                    and s.probability_profitable between 0 and 1)
            from analytics.profitability_sensitivity s
            where s.period_type = 'year' group by s.level order by 1"""
        ).fetchall()
        members = con.execute(
            """select 'customer', count(*) from marts.fct_customer_profitability
            where period_type = 'year'
            union all select 'customer_group', count(*)
            from marts.fct_customer_group_profitability where period_type = 'year'
            order by 1"""
        ).fetchall()
        bars = con.execute(
            """select count(*), count(*) filter (where swing >= 0),
                count(distinct activity_id)
            from analytics.sensitivity_tornado where period_type = 'year'"""
        ).fetchone()
        actual = con.execute(
            """select max(abs(s.actual_net_profit - p.net_profit))
            from analytics.profitability_sensitivity s
            join marts.fct_customer_profitability p
                on p.period_type = s.period_type and p.period_start = s.period_start
                and p.customer_id = s.member_id
            where s.level = 'customer'"""
        ).fetchone()[0]
    assert [(level, n) for level, n, *_ in counts] == members
    assert all(draws == 2000 and ordered == n for _, n, draws, ordered in counts)
    assert bars[0] > 0 and bars[1] == bars[0] and bars[2] >= 5
    assert actual < 1e-6


def test_readme_quotes_the_demos_sensitivity(demo_run):
    import re

    from tests.conftest import PROJECT_ROOT

    env, _ = demo_run
    text = " ".join((PROJECT_ROOT / "README.md").read_text().split())
    quoted = re.search(
        r"mean rank correlation ([\d.]+) to three decimals\); the one customer whose sign is "
        r"in doubt is (.+?), ([\d,]+) NOK at the most likely times, profitable in (\d+) % of",
        text,
    )
    assert quoted
    with duckdb.connect(str(env["warehouse"]), read_only=True) as con:
        rows = con.execute(
            """select member_name, spearman_mean, actual_net_profit, probability_profitable
            from analytics.profitability_sensitivity
            where period_type = 'year' and level = 'customer'
                and probability_profitable > 0.05 and probability_profitable < 0.95"""
        ).fetchall()
    assert len(rows) == 1
    name, spearman, profit, probability = rows[0]
    assert (name, f"{spearman:.3f}", f"{profit:,.0f}", f"{probability * 100:.0f}") == (
        quoted.group(2),
        quoted.group(1),
        quoted.group(3),
        quoted.group(4),
    )


def test_a_range_for_an_unknown_activity_stops_the_build_naming_it(demo_copy):
    from tests.conftest import run_dbt

    with duckdb.connect(str(demo_copy["warehouse"])) as writer:
        writer.execute(
            """insert into config.activity_time_ranges
            values ('invoicng', null, 10, 15, 20, 'minute', 'typo')"""
        )
    built = run_dbt(["build", "--select", "dim_activity_time_estimate"])
    assert built.returncode == 1
    assert "names activities not in the catalogue: invoicng" in built.stdout, built.stdout[-3000:]


def test_the_sensitivity_report_shows_the_ranking_the_draws_and_the_tornadoes(demo_run):
    """reports/sensitivity.html: per level the rank correlation, the S-curve with its band,
    the members whose sign is uncertain with their probability, and the tornadoes of the
    three members the estimates move most, as analytics.profitability_sensitivity has them."""
    env, _ = demo_run
    reports = env["warehouse"].parent / "reports"
    page = (reports / "sensitivity.html").read_text()
    with duckdb.connect(str(env["warehouse"]), read_only=True) as con:
        spearman = dict(
            con.execute(
                """select level, any_value(spearman_mean) from analytics.profitability_sensitivity
                where period_type = 'year' group by level"""
            ).fetchall()
        )
        (unsure_name, unsure_probability), *_ = con.execute(
            """select member_name, probability_profitable from analytics.profitability_sensitivity
            where period_type = 'year' and level = 'customer'
                and probability_profitable > 0.05 and probability_profitable < 0.95"""
        ).fetchall()
        widest = con.execute(
            """select member_id from analytics.profitability_sensitivity
            where period_type = 'year' and level = 'customer_group'
            order by net_profit_p95 - net_profit_p05 desc, member_id limit 3"""
        ).fetchall()
    for level in ("customer_group", "customer"):
        assert f"<td>{spearman[level]:.3f}</td>" in page, level
        chart = reports / "sensitivity" / f"s_curve_band_{level}.png"
        assert f'src="sensitivity/{chart.name}"' in page and chart.stat().st_size > 5000
        tornadoes = reports / "sensitivity" / f"tornado_{level}.png"
        assert f'src="sensitivity/{tornadoes.name}"' in page
        assert tornadoes.stat().st_size > 20000  # three panels
    assert f"<td>{unsure_name}</td>" in page
    assert f'<td class="number">{unsure_probability:.0%}</td>' in page
    (alt,) = [a for a in page.split('alt="')[1:] if a.startswith("Tornadoes of ")][:1]
    assert [f"{m}: " in alt.split('"')[0] for (m,) in widest] == [True] * 3
