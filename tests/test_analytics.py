"""Concentration analytics on the demo: tables, charts, report, and an independent Gini."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import query
from tests.test_concentration import gini_mean_absolute_difference

pytestmark = pytest.mark.pipeline


def test_one_row_per_period_and_level(demo_run):
    env, result = demo_run
    assert result.success
    periods = query(
        env["warehouse"],
        """
        select count(distinct (period_type, period_start)) from marts.fct_customer_profitability""",
    )
    rows = query(
        env["warehouse"],
        """
        select count(*), count(distinct (period_type, period_start, level)),
            count(distinct level) from analytics.customer_concentration""",
    )
    assert periods == [(13,)]  # 12 months and the year
    assert rows == [(26, 26, 2)]


def test_group_gini_equals_an_independent_computation_from_the_mart(demo_run):
    env, _ = demo_run
    revenues = [
        r[0]
        for r in query(
            env["warehouse"],
            """
        select net_revenue from marts.fct_customer_group_profitability
        where period_type = 'year' and net_revenue > 0""",
        )
    ]
    stored = query(
        env["warehouse"],
        """
        select gini, gini_ci_low, gini_ci_high, n_on_lorenz_curve
        from analytics.customer_concentration
        where period_type = 'year' and level = 'customer_group'""",
    )[0]
    assert stored[0] == pytest.approx(gini_mean_absolute_difference(revenues), abs=1e-12)
    assert stored[1] < stored[0] < stored[2]
    assert stored[3] == len(revenues)


def test_curves_end_where_they_must(demo_run):
    env, _ = demo_run
    ends = query(
        env["warehouse"],
        """
        select level, max(cumulative_member_share), max_by(cumulative_revenue_share, point)
        from analytics.lorenz_curve where period_type = 'year' group by level order by level""",
    )
    assert ends == [
        ("customer", 1.0, pytest.approx(1.0)),
        ("customer_group", 1.0, pytest.approx(1.0)),
    ]
    peaks = query(
        env["warehouse"],
        """
        select c.level, max(s.cumulative_profit_share), any_value(c.profit_peak)
        from analytics.stobachoff_curve s
        join analytics.customer_concentration c using (period_type, period_start, level)
        where s.period_type = 'year' group by c.level order by 1""",
    )
    assert len(peaks) == 2  # the demo is profitable at both levels: the curves exist
    for _, curve_peak, reported_peak in peaks:
        assert curve_peak == pytest.approx(reported_peak)


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs)["src"])


def test_report_opens_with_every_chart(demo_run):
    env, result = demo_run
    report = Path(env["warehouse"]).parent / "reports" / "report.html"
    parser = _Images()
    parser.feed(report.read_text(encoding="utf-8"))
    assert len(parser.sources) == 6  # Lorenz, Stobachoff, S-curve for customers and groups
    for source in parser.sources:
        png = (report.parent / source).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        # IHDR width: the ranked S-curve of hundreds of customers once came out 8,893
        # pixels wide, unreadable in the page; 14 inches at 110 dpi is the widest chart.
        assert int.from_bytes(png[16:20], "big") <= 14 * 110, source
    materialization = [
        e
        for e in result.get_asset_materialization_events()
        if e.asset_key.to_user_string() == "analytics/concentration_report"
    ][0]
    metadata = materialization.materialization.metadata
    assert "lorenz_customer_group" in metadata and "report" in metadata


def test_scorecard_ranks_every_supplier(demo_run):
    env, _ = demo_run
    suppliers = query(env["warehouse"], "select count(*) from marts.dim_supplier")[0][0]
    ranked = query(
        env["warehouse"],
        """
        select count(*), count(distinct supplier_id), count(rank_in_segment),
            count(*) filter (where is_top_10 and is_bottom_10)
        from marts.fct_supplier_scorecard""",
    )
    assert suppliers == 40
    assert ranked == [(40, 40, 40, 0)]
    # The overcharging suppliers are the ones paying for it in the price score.
    overcharged = query(
        env["warehouse"],
        """
        select count(*) from marts.fct_supplier_scorecard where price_variance_share > 0.01""",
    )
    assert overcharged[0][0] >= 4


def test_capability_holds_every_supplier_characteristic_pair(demo_run):
    env, _ = demo_run
    pairs = query(
        env["warehouse"],
        """
        select count(distinct (supplier_id, material_id, characteristic_number))
        from staging.stg_sap__inspection_results""",
    )
    rows = query(
        env["warehouse"],
        """
        select count(*), count(*) filter (where status = 'insufficient data'),
            count(*) filter (where cp is null and upper_limit is not null)
        from analytics.supplier_capability""",
    )
    assert rows[0][0] == pairs[0][0] == 80
    assert rows[0][1] > 0  # suppliers with too few values are called out
    assert rows[0][2] == 1  # the one-sided characteristic has no Cp
    report = Path(env["warehouse"]).parent / "reports" / "capability.html"
    parser = _Images()
    parser.feed(report.read_text(encoding="utf-8"))
    assert len(parser.sources) == 80


def documented_columns() -> dict[str, list[tuple[str, str]]]:
    """Table name -> [(column, type)] as dbt's YAML declares the analytics source."""
    from orchestration.dbt_project import dbt_project
    from orchestration.table_docs import analytics_tables

    return {
        name: [(c.name, c.data_type) for c in doc.columns]
        for name, doc in analytics_tables(dbt_project.manifest_path).items()
    }


def test_analytics_tables_match_their_documentation(demo_run):
    env, _ = demo_run
    assert set(documented_columns()) == {
        "customer_concentration", "lorenz_curve", "stobachoff_curve", "supplier_capability",
        "profitability_sensitivity", "sensitivity_tornado",
    }  # fmt: skip
    for table, columns in documented_columns().items():
        actual = query(
            env["warehouse"],
            """
            select column_name, data_type from information_schema.columns
            where table_schema = 'analytics' and table_name = ? order by ordinal_position""",
            [table],
        )
        assert actual == columns, table


def test_every_public_column_shows_its_description_in_the_snapshot(demo_run):
    """Marts (dbt's persist_docs) and analytics tables (their assets, from the same YAML):
    every table and column of the serving snapshot carries its description as a DuckDB
    comment, the one dbt's YAML gives it."""
    import json

    from orchestration.dbt_project import dbt_project

    env, _ = demo_run
    snapshot = env["warehouse"].parent / "serving" / "abc_warehouse.duckdb"
    columns = query(
        snapshot,
        """select schema_name, table_name, column_name, comment from duckdb_columns()
        where schema_name in ('marts', 'analytics')""",
    )
    tables = query(
        snapshot,
        "select schema_name, table_name, comment from duckdb_tables()"
        " where schema_name in ('marts', 'analytics')",
    )
    assert len(tables) >= 20 and len(columns) > 300
    assert [t for t in tables if not t[2]] == []
    assert [c[:3] for c in columns if not c[3]] == []
    manifest = json.loads(dbt_project.manifest_path.read_text())
    model = manifest["nodes"]["model.abc_warehouse.fct_customer_profitability"]
    described = {c[2]: c[3] for c in columns if c[1] == "fct_customer_profitability"}
    assert described["net_profit"] == model["columns"]["net_profit"]["description"]
    gini = {c[2]: c[3] for c in columns if c[1] == "customer_concentration"}["gini"]
    assert gini.startswith("Gini of net revenue")
