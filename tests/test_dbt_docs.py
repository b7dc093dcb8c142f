"""dbt's own documentation: groups and access, exposures for every report and the serving
snapshot, source freshness from the load log, `abc-warehouse docs`, and the analyst's
sample queries in analyses/ compiled by dbt and run on a built demo warehouse."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import PROJECT_ROOT, dbt_target, query, run_dbt

pytestmark = pytest.mark.pipeline

REPORTS = {
    "concentration_report", "strategy_report", "capability_report", "scenario_report",
    "sensitivity_report",
}  # fmt: skip
QUERIES = PROJECT_ROOT / "explorer" / "queries.py"


def test_marts_are_public_reports_and_snapshot_are_exposures(dbt_manifest):
    manifest = json.loads(dbt_manifest.read_text())
    models = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    for name, node in models.items():
        layer = node["fqn"][1]
        assert node["access"] == ("public" if layer == "marts" else "protected"), name
        assert (
            node["group"]
            in manifest["groups"].get(f"group.abc_warehouse.{node['group']}", {})["name"]
        ), name
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert REPORTS | {"serving_snapshot", "run_summary", "explorer"} == set(exposures)
    assert all(e["owner"]["name"] for e in exposures.values())
    # The snapshot exposes every mart.
    marts = {f"model.abc_warehouse.{n}" for n, node in models.items() if node["fqn"][1] == "marts"}
    assert marts <= set(exposures["serving_snapshot"]["depends_on"]["nodes"])
    # The explorer's exposure names exactly the tables its queries read.
    read = set(re.findall(r"\b(marts|analytics)\.(\w+)", QUERIES.read_text()))
    named = {
        ("marts" if node.startswith("model.") else "analytics", node.rsplit(".", 1)[1])
        for node in exposures["explorer"]["depends_on"]["nodes"]
    }
    assert read == named
    # Every extract's freshness is the age of its newest loaded file.
    raw = [s for s in manifest["sources"].values() if s["source_name"] == "raw"]
    fresh = [s for s in raw if not s["name"].startswith("_")]
    assert len(fresh) == 16
    for source in fresh:
        assert f"extract = '{source['name']}'" in source["loaded_at_query"]
        assert source["freshness"]["warn_after"]["period"] == "day"


def test_docs_generate_and_the_freshness_of_a_loaded_warehouse(demo_copy, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "docs", "--no-serve"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    docs = PROJECT_ROOT / "dbt_project" / "target" / "docs"
    catalog = json.loads((docs / "catalog.json").read_text())
    table = catalog["nodes"]["model.abc_warehouse.fct_customer_profitability"]
    # The catalog reads the warehouse: the columns and their comments (the descriptions).
    assert table["columns"]["net_profit"]["comment"]
    assert (docs / "index.html").exists()
    # Freshness: the demo's files were loaded just now.
    fresh = run_dbt(["source", "freshness", "--output", str(tmp_path / "sources.json")])
    assert fresh.returncode == 0, fresh.stdout[-3000:]
    results = json.loads((tmp_path / "sources.json").read_text())["results"]
    assert len(results) == 16 and {r["status"] for r in results} == {"pass"}


def _run_analysis(warehouse, name: str) -> list[tuple]:
    sql = (dbt_target() / "compiled" / "abc_warehouse" / "analyses" / f"{name}.sql").read_text()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_sample_analyses_compile_and_answer(demo_copy):
    warehouse = demo_copy["warehouse"]
    compiled = run_dbt(["compile", "--select", "resource_type:analysis"])
    assert compiled.returncode == 0, compiled.stdout[-3000:]

    # Top customers by cost-to-serve: the most expensive one's cost-to-serve is the sum of
    # its activity costs outside production, counted here from the activity-cost mart.
    top = _run_analysis(warehouse, "top_customers_by_cost_to_serve")
    assert len(top) == 20
    assert [r[4] for r in top] == sorted((r[4] for r in top), reverse=True)
    first, cost_to_serve = top[0][0], top[0][4]
    (counted,) = query(
        warehouse,
        """select sum(cost) from marts.fct_customer_activity_costs
        where period_type = 'year' and customer_id = ? and activity_family <> 'production'""",
        [first],
    )[0]
    assert cost_to_serve == pytest.approx(counted, abs=0.01)

    # That customer's breakdown adds up to its cost-to-serve.
    breakdown = _run_analysis(warehouse, "customer_activity_breakdown")
    assert {r[0] for r in breakdown} == {first}
    assert sum(r[7] for r in breakdown) == pytest.approx(cost_to_serve, abs=0.01)

    # Unused capacity: 5 departments x 12 months, adding up to the year's unused capacity.
    months = _run_analysis(warehouse, "unused_capacity_by_department_and_month")
    assert len(months) == 60
    (year,) = query(
        warehouse,
        """select sum(unused_capacity_cost) from marts.fct_unused_capacity
        where period_type = 'year'""",
    )[0]
    assert sum(r[7] for r in months) == pytest.approx(year, abs=0.01)

    # Suppliers to inspect: the 38 characteristics the demo's summary lists, worst first
    # (too little data, then the lowest Cpk).
    inspect = _run_analysis(warehouse, "suppliers_to_inspect")
    assert len(inspect) == 38
    statuses = [r[5] for r in inspect]
    assert statuses == sorted(statuses, key=lambda s: s == "ok")
    cpks = [r[6] for r in inspect if r[5] == "ok"]
    assert cpks == sorted(cpks) and max(cpks) < 1.33
