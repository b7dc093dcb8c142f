"""The semantic layer: MetricFlow's metrics, queried with `abc-warehouse mf` on a built demo
warehouse, equal the marts' own numbers (or, for the supplier shares, the same shares
counted independently from the delivery lines) to the øre."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from tests.conftest import PROJECT_ROOT, query

pytestmark = pytest.mark.pipeline


def mf_query(tmp_path, name: str, *args: str) -> list[dict]:
    out = tmp_path / f"{name}.csv"
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "mf", "query", *args, "--csv", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    with duckdb.connect() as con:
        frame = con.execute(f"select * from read_csv('{out}', all_varchar = true)").df()
    return frame.to_dict("records")


def by_key(rows: list[dict], key: str, metric: str) -> dict[str, float]:
    return {row[key]: float(row[metric]) for row in rows}


def mart_by_key(warehouse, sql: str) -> dict[str, float]:
    return {key: float(value) for key, value in query(warehouse, sql)}


def close(a, b) -> bool:
    return abs(float(a) - float(b)) < 0.005


def test_metrics_equal_the_marts(demo_copy, tmp_path):
    warehouse = demo_copy["warehouse"]

    # Net profit and relative profitability per customer group and year, by the saved
    # query as it is declared (the summary's P&L): the group mart.
    rows = mf_query(tmp_path, "pnl", "--saved-query", "customer_group_pnl_by_year")
    group = "customer__customer_group_name"
    mart = {
        name: values
        for name, *values in query(
            warehouse,
            """select customer_group_name, net_revenue, production_cost, cost_to_serve,
                net_profit, relative_profitability
            from marts.fct_customer_group_profitability where period_type = 'year'""",
        )
    }
    assert len(rows) == len(mart) == 20
    for row in rows:
        revenue, production, serve, profit, relative = mart[row[group]]
        assert close(row["net_revenue"], revenue) and close(row["production_cost"], production)
        assert close(row["cost_to_serve"], serve) and close(row["net_profit"], profit)
        assert float(row["relative_profitability"]) == pytest.approx(relative, abs=1e-9)
    daimler = next(r for r in rows if r[group] == "Daimler")
    assert float(daimler["net_profit"]) < 0  # the demo's one loss-making group

    # Activity cost per family and year: the activity-cost mart's year rows.
    rows = mf_query(
        tmp_path, "families",
        "--metrics", "activity_cost",
        "--group-by", "customer_activity_month__activity_family,metric_time__year",
    )  # fmt: skip
    mart = mart_by_key(
        warehouse,
        """select activity_family, sum(cost) from marts.fct_customer_activity_costs
        where period_type = 'year' group by 1""",
    )
    family = "customer_activity_month__activity_family"
    assert by_key(rows, family, "activity_cost") == pytest.approx(mart, abs=0.005)

    # Unused capacity per department and year: the capacity mart's year rows.
    rows = mf_query(
        tmp_path, "capacity",
        "--metrics", "unused_capacity_cost",
        "--group-by", "department_month__department_name,metric_time__year",
    )  # fmt: skip
    mart = mart_by_key(
        warehouse,
        """select department_name, unused_capacity_cost from marts.fct_unused_capacity
        where period_type = 'year'""",
    )
    assert len(mart) == 5
    department = "department_month__department_name"
    assert by_key(rows, department, "unused_capacity_cost") == pytest.approx(mart, abs=0.005)

    # On-time and OTIF shares per supplier and year, counted from the delivery lines.
    rows = mf_query(
        tmp_path, "suppliers",
        "--metrics", "on_time_share,otif_share,spend,on_contract_share,ppm",
        "--group-by", "supplier,metric_time__year",
    )  # fmt: skip
    counted = {
        supplier: (on_time, otif)
        for supplier, on_time, otif in query(
            warehouse,
            """select supplier_id, avg(is_on_time::int), avg(is_otif::int)
            from marts.fct_supplier_deliveries group by 1""",
        )
    }
    spend = {
        supplier: (total, share)
        for supplier, total, share in query(
            warehouse,
            """select supplier_id, sum(spend), sum(spend_on_contract) / sum(spend)
            from marts.fct_spend group by 1""",
        )
    }
    assert len(rows) == len(counted) == 40
    for row in rows:
        on_time, otif = counted[row["supplier"]]
        assert float(row["on_time_share"]) == pytest.approx(on_time, abs=1e-12)
        assert float(row["otif_share"]) == pytest.approx(otif, abs=1e-12)
        total, share = spend[row["supplier"]]
        assert close(row["spend"], total)
        assert float(row["on_contract_share"]) == pytest.approx(share, abs=1e-12)
    ppm = dict(
        query(
            warehouse,
            """select supplier_id, 1e6 * sum(complained_quantity) / sum(received_quantity)
            from marts.fct_supplier_kpis group by 1""",
        )
    )
    for row in rows:
        assert float(row["ppm"]) == pytest.approx(ppm[row["supplier"]], rel=1e-9, abs=1e-9)

    # Make or buy: the saving per activity and quote per year, the strategy mart's year rows.
    rows = mf_query(
        tmp_path, "make_or_buy",
        "--metrics", "saving_if_bought,saving_if_bought_and_capacity_released",
        "--group-by", "make_or_buy_month__activity_id,metric_time__year",
    )  # fmt: skip
    mart = {
        activity: (saving, released)
        for activity, saving, released in query(
            warehouse,
            """select activity_id, saving_if_bought, saving_if_bought_and_capacity_released
            from marts.fct_make_or_buy where period_type = 'year'""",
        )
    }
    assert len(rows) == len(mart) == 1
    for row in rows:
        saving, released = mart[row["make_or_buy_month__activity_id"]]
        assert close(row["saving_if_bought"], saving)
        assert close(row["saving_if_bought_and_capacity_released"], released)
