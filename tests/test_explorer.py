"""The explorer's questions over the demo's serving snapshot, checked against sums written
here in SQL of their own (the drill-down adds up from billing lines to the customer's
profit), how the explorer follows a new snapshot, and how it shows numbers and text."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from explorer import queries, snapshot
from explorer.command import explorer_command
from explorer.formatting import as_text, figure, nok, plain
from serving.publish import publish_snapshot

YEAR = ("year", date(2010, 1, 1))


@pytest.fixture(scope="module")
def con(demo_run):
    env, _ = demo_run
    path = snapshot.current_snapshot(env["warehouse"].parent / "serving")
    with snapshot.connect(path) as connection:
        yield connection


def _one(con, sql: str, params: list) -> tuple:
    return con.execute(sql, params).fetchone()


def test_the_line_level_marts_are_tables_of_the_snapshot_with_their_descriptions(con):
    rows = dict(
        con.execute(
            """select table_name, comment from duckdb_tables() where schema_name = 'marts'
            and table_name in ('fct_billing_lines', 'fct_order_activity_costs')"""
        ).fetchall()
    )
    assert set(rows) == {"fct_billing_lines", "fct_order_activity_costs"}
    assert all(comment for comment in rows.values())
    (lines,) = _one(con, "select count(*) from marts.fct_billing_lines", [])
    (in_meta,) = _one(
        con,
        "select row_count from meta.snapshot_tables where table_name = 'fct_billing_lines'",
        [],
    )
    assert lines == in_meta == 30_400  # every line the demo generates


def test_billing_lines_add_up_to_each_customers_revenue_and_production_cost(con):
    (off,) = _one(
        con,
        """with lines as (
            select customer_id, sum(net_revenue) as net_revenue,
                sum(gross_revenue) as gross_revenue, sum(production_cost) as production_cost
            from marts.fct_billing_lines where year(billing_date) = 2010 group by customer_id)
        select max(greatest(abs(p.net_revenue - l.net_revenue),
                            abs(p.gross_revenue - l.gross_revenue),
                            abs(p.production_cost - l.production_cost)))
        from marts.fct_customer_profitability p join lines l using (customer_id)
        where p.period_type = 'year'""",
        [],
    )
    assert off < 0.005


def test_order_activities_add_up_to_the_order_costs_and_hours_times_rate(con):
    off = _one(
        con,
        """with sums as (
            select sales_order, sum(cost) as cost, sum(time_hours) as hours
            from marts.fct_order_activity_costs group by sales_order)
        select max(abs(o.total_order_cost - s.cost)), max(abs(o.time_hours - s.hours)),
            count(*) filter (where s.sales_order is null)
        from marts.fct_order_costs o left join sums s using (sales_order)""",
        [],
    )
    assert off[0] < 1e-6 and off[1] < 1e-9 and off[2] == 0
    (worst,) = _one(
        con,
        """select max(abs(time_cost - time_hours * applied_rate_per_hour))
        from marts.fct_order_activity_costs""",
        [],
    )
    assert worst < 1e-6


def test_the_waterfall_steps_from_net_revenue_to_net_profit(con):
    customer = _one(
        con,
        """select customer_id from marts.fct_customer_profitability
        where period_type = 'year' order by net_profit limit 1""",
        [],
    )[0]
    pnl = queries.customer_pnl(con, *YEAR, customer)
    steps = queries.waterfall_steps(pnl)
    assert steps["step"].iloc[0] == "net revenue" and steps["step"].iloc[-1] == "net profit"
    assert steps["amount"].iloc[0] == pytest.approx(pnl["net_revenue"])
    # Each cost bar starts where the previous ended; the last ends at net profit.
    costs = steps[steps["kind"] == "cost"]
    assert (costs["start"].to_numpy()[1:] == costs["end"].to_numpy()[:-1]).all()
    assert costs["end"].iloc[-1] == pytest.approx(pnl["net_profit"], abs=1e-6)
    assert -costs["amount"].sum() == pytest.approx(pnl["total_cost"], abs=1e-6)
    # The families shown are those with a cost, production first.
    assert costs["step"].iloc[0] == "production"
    activities = queries.customer_activities(con, *YEAR, customer)
    by_family = activities.groupby("activity_family")["cost"].sum()
    for step in costs.itertuples():
        assert -step.amount == pytest.approx(by_family.get(step.step, 0.0), abs=1e-6)


def test_a_customers_orders_documents_and_lines(con):
    customer, order = _one(
        con,
        """select customer_id, sales_order from marts.fct_order_costs
        order by total_order_cost desc, sales_order limit 1""",
        [],
    )
    orders = queries.orders_of_customer(con, *YEAR, customer)
    (expected,) = _one(
        con,
        "select count(*) from marts.fct_order_costs where customer_id = ?",
        [customer],
    )
    assert len(orders) == expected and orders["sales_order"].iloc[0] == order
    january = queries.orders_of_customer(con, "month", date(2010, 1, 1), customer)
    assert (pd.to_datetime(january["order_month"]) == "2010-01-01").all()

    documents = queries.order_documents(con, order)
    lines = pd.concat([queries.document_lines(con, d) for d in documents["billing_document"]])
    assert documents["lines"].sum() == len(lines)
    assert documents["net_revenue"].sum() == pytest.approx(lines["net_revenue"].sum())
    (net,) = _one(
        con, "select sum(net_revenue) from marts.fct_billing_lines where sales_order = ?", [order]
    )
    assert lines["net_revenue"].sum() == pytest.approx(net)
    activities = queries.order_activities(con, order)
    total = orders.loc[orders["sales_order"] == order, "total_order_cost"].iloc[0]
    assert activities["cost"].sum() == pytest.approx(total)


def test_concentration_and_ranked_members_agree_with_the_analytics(con):
    members = queries.ranked_members(con, *YEAR, "customer")
    row = queries.concentration(con, *YEAR, "customer")
    assert len(members) == row["n"]
    assert members["net_profit"].is_monotonic_decreasing
    assert members["cumulative_profit"].iloc[-1] == pytest.approx(row["total_net_profit"])
    points = queries.stobachoff_points(con, *YEAR, "customer")
    assert len(points) == row["n"] + 1  # the curve starts at the origin
    assert queries.periods(con, "year") == [date(2010, 1, 1)]
    assert len(queries.periods(con, "month")) == 12


def test_capacity_and_suppliers_pages_questions(con):
    departments = queries.department_capacity(con, *YEAR)
    pools = departments["pool_cost"]
    parts = departments[["assigned_cost", "unassigned_cost", "unused_capacity_cost"]].sum(axis=1)
    assert (abs(pools - parts) < 0.01).all()
    capability = queries.capability(con)
    (characteristics,) = _one(con, "select count(*) from analytics.supplier_capability", [])
    assert len(capability) == characteristics
    first = capability.iloc[0]
    values = queries.measurements(
        con, first.supplier_id, first.material_id, int(first.characteristic_number)
    )
    assert len(values) == first.n


def test_the_explorer_follows_a_new_snapshot_and_keeps_the_old_one_readable(
    demo_run, tmp_path: Path
):
    env, _ = demo_run
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(env["warehouse"], warehouse)
    serving = tmp_path / "serving"
    with pytest.raises(snapshot.NoSnapshot, match="run `abc-warehouse run` first"):
        snapshot.current_snapshot(serving)
    publish_snapshot(warehouse, serving)
    first = snapshot.current_snapshot(serving)
    with snapshot.connect(first) as old:
        publish_snapshot(warehouse, serving)
        second = snapshot.current_snapshot(serving)
        assert second != first
        # A page still on the old file finishes there.
        assert old.execute("select count(*) from marts.fct_order_costs").fetchone()[0] > 0
        with snapshot.connect(second) as new:
            assert (
                snapshot.describe(new, second).published_at
                > snapshot.describe(old, first).published_at
            )


def test_numbers_read_as_a_controller_reads_them():
    assert figure(-1234567.4, "nok") == "-1,234,567"
    assert figure(2101.17, "nok_ore") == "2,101.17"
    assert figure(0.0523, "percent") == "5.2 %"
    assert figure(-1e-9, "nok") == "0" and figure(-0.0001, "percent") == "0.0 %"
    assert figure(None, "nok") == figure(float("nan"), "rate") == figure(pd.NA, "count") == "–"
    assert nok(26915256.4) == "26,915,256 NOK"
    shown = as_text(
        pd.DataFrame(
            {
                "when": [pd.Timestamp("2010-07-22"), pd.Timestamp("2010-07-22 13:05")],
                "amount": [1500.0, None],
                "name": ["Kögel", None],
            }
        ),
        {"amount": "nok"},
    )
    assert shown.to_dict("list") == {
        "when": ["2010-07-22", "2010-07-22 13:05:00"],
        "amount": ["1,500", "–"],
        "name": ["Kögel", "–"],
    }
    assert as_text(pd.DataFrame({"d": [datetime(2010, 1, 1)]}), {})["d"][0] == "2010-01-01"


def test_text_from_the_data_is_never_markup():
    # Each character Markdown (or Streamlit's colour, icon and maths directives) reads is
    # escaped; what remains is the text itself.
    hostile = "**Big** <script>x</script> [link](http://x) :red[a] $x$ _y_ `c` # h | -"
    escaped = plain(hostile)
    assert escaped.replace("\\", "") == hostile
    for mark in "*<>[]()_`#|:$-":
        assert all(escaped[i - 1] == "\\" for i, ch in enumerate(escaped) if ch == mark), mark


def test_the_explorer_command_serves_the_snapshot_read_only_and_quietly(tmp_path: Path):
    command = explorer_command(tmp_path / "serving", 8600)
    assert command[1:4] == ["-m", "streamlit", "run"]
    assert Path(command[4]).name == "app.py" and Path(command[4]).exists()
    options = dict(zip(command[5:-3:2], command[6:-3:2], strict=True))
    assert options["--server.port"] == "8600"
    assert options["--server.headless"] == "true"
    assert options["--browser.gatherUsageStats"] == "false"
    assert options["--server.fileWatcherType"] == "none"
    assert command[-3:] == ["--", "--serving-dir", str(tmp_path / "serving")]


def test_the_app_command_without_a_snapshot_says_what_to_run(env, capsys):
    from orchestration.cli import main

    assert main(["app"]) == 1
    assert "No serving snapshot yet" in capsys.readouterr().out


def test_the_scenarios_questions(con):
    scenarios = queries.scenario_list(con)
    assert scenarios["scenario_id"].iloc[0] == "actual" and len(scenarios) == 7
    company = queries.company_by_scenario(con, *YEAR)
    assert len(company) == 7 * 8  # eight company lines per scenario
    actual = company[company["scenario_id"] == "actual"]
    assert (actual["change"] == 0).all()
    # Dropping the loss-makers: each ends at zero, which is no change of sign.
    assert queries.sign_changes(con, *YEAR, "drop_loss_makers").empty
    largest = queries.largest_changes(con, *YEAR, "drop_loss_makers")
    assert (largest["scenario_net_profit"] == 0).all() and (largest["change"] > 0).all()
    departments = queries.scenario_departments(con, *YEAR, "practical_capacity_80")
    ratio = departments["scenario_rate_per_hour"] / departments["actual_rate_per_hour"]
    assert ratio.to_numpy() == pytest.approx([1.25] * 5)


def test_the_sensitivity_questions(con):
    members = queries.sensitivity(con, *YEAR, "customer")
    (customers,) = _one(
        con, "select count(*) from marts.fct_customer_profitability where period_type = 'year'", []
    )
    assert len(members) == customers
    assert members["actual_rank"].tolist() == list(range(1, customers + 1))
    worst = members.iloc[-1]
    bars = queries.tornado_bars(con, *YEAR, "customer", worst.member_id)
    assert len(bars) > 0 and bars["swing"].is_monotonic_decreasing
    assert (bars["actual_net_profit"] == worst.actual_net_profit).all()
