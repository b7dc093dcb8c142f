"""Activity-based costing on the demo: reconciliation checks, a missing standard cost,
a user's edit of the activity catalogue, and the thesis's rounded rates from real pools."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from demo.generator import generate
from tests.conftest import PROJECT_ROOT, query, run_dbt
from tests.test_dagster import materialize_all

SEEDS = PROJECT_ROOT / "dbt_project" / "seeds" / "costing"


def check_results(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    return {c.check_name: c for c in result.get_asset_check_evaluations()}


def test_every_reconciliation_passes_on_the_demo(demo_run):
    env, result = demo_run
    assert result.success
    checks = check_results(result)
    for name in (
        "pools_reconcile",
        "revenue_reconciles",
        "production_cost_reconciles",
        "standard_costs_complete",
    ):
        assert checks[name].passed, (name, checks[name].description)


def test_extract_net_revenue_converts_each_line_at_the_rate_of_its_day():
    """The revenue check's own sum from raw rows, on numbers worked by hand: NOK as is,
    a credit note negative (its sign from the seed), EUR at the rate valid on each line's
    day, SEK quoted indirectly (-1.25: 1 / 1.25 NOK) and JPY per 100 (ffact). Built with
    other vars (company currency EUR, rate type B), the check follows them."""
    from reconciliation.checks import EXTRACT_NET_REVENUE

    with duckdb.connect() as con:
        con.execute("create schema raw; create schema config; create schema marts")
        con.execute(
            """create table raw.billing_lines as select * from (values
                ('NOK', date '2010-01-10', 100.00::decimal(18, 2), 'F2'),
                ('NOK', date '2010-01-10', 30.00, 'G2'),
                ('EUR', date '2010-01-31', 10.00, 'F2'),
                ('EUR', date '2010-02-01', 10.00, 'F2'),
                ('SEK', date '2010-03-15', 100.00, 'F2'),
                ('JPY', date '2010-03-15', 1000.00, 'F2')
            ) as t(waerk, fkdat, netwr, fkart)"""
        )
        con.execute(
            """create table config.billing_categories as select * from (values
                ('F2', 1), ('G2', -1)) as t(billing_category, sign)"""
        )
        con.execute(
            """create table raw.exchange_rates as select * from (values
                ('EUR', 'NOK', 'M', date '2010-01-01', 8.0, 1, 1),
                ('EUR', 'NOK', 'M', date '2010-02-01', 7.5, 1, 1),
                ('EUR', 'NOK', 'B', date '2010-02-01', 9.9, 1, 1),
                ('SEK', 'NOK', 'M', date '2010-01-01', -1.25, 1, 1),
                ('JPY', 'NOK', 'M', date '2010-01-01', 5.5, 1, 100),
                ('NOK', 'EUR', 'B', date '2010-01-01', 0.125, 1, 1),
                ('SEK', 'EUR', 'B', date '2010-01-01', 0.1, 1, 1),
                ('JPY', 'EUR', 'B', date '2010-01-01', 0.7, 1, 100)
            ) as t(fcurr, tcurr, kurst, gdatu, ukurs, tfact, ffact)"""
        )
        con.execute("create table marts.build_settings as select 'NOK' as company_currency,"
                    " 'M' as exchange_rate_type")  # fmt: skip
        total = con.execute(EXTRACT_NET_REVENUE).fetchall()[0][0]
        assert float(total) == pytest.approx(100 - 30 + 10 * 8.0 + 10 * 7.5 + 100 / 1.25 + 55)
        con.execute("update marts.build_settings set company_currency = 'EUR',"
                    " exchange_rate_type = 'B'")  # fmt: skip
        in_euro = con.execute(EXTRACT_NET_REVENUE).fetchall()[0][0]
    assert float(in_euro) == pytest.approx((100 - 30) * 0.125 + 20 + 100 * 0.1 + 1000 * 0.007)


def test_pool_is_assigned_plus_not_assigned_plus_unused(demo_run):
    env, _ = demo_run
    rows = query(
        env["warehouse"],
        """
        select cost_centre, pool_cost, assigned_cost + unassigned_cost + unused_capacity_cost
        from marts.fct_unused_capacity where period_type = 'year'""",
    )
    assert len(rows) == 5
    for _, pool, parts in rows:
        assert parts == pytest.approx(pool, abs=0.005)


def test_demo_rates_are_the_reference_companys(demo_run):
    env, _ = demo_run
    rows = query(
        env["warehouse"],
        """
        select cost_centre, round(rate_per_hour, 2), round(rate_per_minute, 2)
        from intermediate.int_activity_rates where period_type = 'year' order by 1""",
    )
    assert rows == [
        ("4100", 450.35, 7.51),
        ("4200", 581.88, 9.70),
        ("4300", 530.93, 8.85),
        ("4400", 414.29, 6.90),
        ("4500", 467.22, 7.79),
    ]


def test_customer_costs_never_include_unused_capacity(demo_run):
    """What customers are charged is time x rate; the unused rest stays with the company."""
    env, _ = demo_run
    charged, assigned, pool = query(
        env["warehouse"],
        """
        select
            (select sum(time_cost) from marts.fct_customer_activity_costs
             where period_type = 'year'),
            (select sum(assigned_cost) from marts.fct_unused_capacity where period_type = 'year'),
            (select sum(pool_cost) from marts.fct_unused_capacity where period_type = 'year')""",
    )[0]
    assert charged == pytest.approx(assigned, abs=0.01)
    assert charged < pool


def test_rounded_rates_reproduce_the_hand_calculation(demo_copy):
    """var rate_rounding_decimals: 2 rounds the rates per minute as the thesis did by hand.
    (`abc-warehouse run --vars` passing vars to dbt and recording them with the run and the
    snapshot: tests/test_operations.py, the run after a killed one.)"""
    rates = ["build", "--select", "+fct_activity_rates", "--exclude-resource-type", "unit_test"]
    assert run_dbt([*rates, "--vars", "{rate_rounding_decimals: 2}"]).returncode == 0
    rows = query(
        demo_copy["warehouse"],
        """
        select activity_id, applied_rate_per_minute, rate_per_driver_unit
        from marts.fct_activity_rates
        where period_type = 'year' and activity_id in ('manual_plan', 'packing', 'invoicing')
        order by 1""",
    )
    assert rows == [
        ("invoicing", 7.51, pytest.approx(112.65)),
        ("manual_plan", 7.51, pytest.approx(7.51)),
        ("packing", 9.70, pytest.approx(57.133)),
    ]
    complaint = query(
        demo_copy["warehouse"],
        """
        select sum(rate_per_driver_unit) from marts.fct_activity_rates
        where period_type = 'year' and activity_id like 'complaint_%'""",
    )
    assert complaint == [(pytest.approx(3314.32),)]


def test_a_changed_catalogue_time_moves_the_customer_costs(demo_copy, tmp_path):
    env = demo_copy
    before = dict(
        query(
            env["warehouse"],
            """
        select customer_id, sum(cost) from marts.fct_customer_activity_costs
        where period_type = 'year' and activity_id = 'packing' group by 1""",
        )
    )
    others = query(
        env["warehouse"],
        """
        select sum(cost) from marts.fct_customer_activity_costs
        where period_type = 'year' and activity_family not in ('packing')""",
    )[0][0]
    # A user's copy of the project where packing a line takes twice as long.
    project = tmp_path / "dbt_project"
    shutil.copytree(
        PROJECT_ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs")
    )
    catalogue = project / "seeds" / "costing" / "activity_catalogue.csv"
    rows = list(csv.DictReader(catalogue.open()))
    for row in rows:
        if row["activity_id"] == "packing":
            assert row["time_per_driver_unit"] == "5.89"
            row["time_per_driver_unit"] = "11.78"
    with catalogue.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    # The seed and what it feeds (not the supplier side, nor dbt's unit tests).
    build = ["build", "--select", "activity_catalogue+", "--exclude-resource-type", "unit_test"]
    assert run_dbt([*build, "--project-dir", str(project)]).returncode == 0

    after = dict(
        query(
            env["warehouse"],
            """
        select customer_id, sum(cost) from marts.fct_customer_activity_costs
        where period_type = 'year' and activity_id = 'packing' group by 1""",
        )
    )
    assert after.keys() == before.keys()
    for customer, cost in before.items():
        assert after[customer] == pytest.approx(2 * cost, rel=1e-9)
    unchanged = query(
        env["warehouse"],
        """
        select sum(cost) from marts.fct_customer_activity_costs
        where period_type = 'year' and activity_family not in ('packing')""",
    )[0][0]
    assert unchanged == pytest.approx(others, rel=1e-12)  # a parallel sum of doubles


@pytest.mark.pipeline
def test_a_missing_standard_cost_fails_its_check_naming_the_material(env, dbt_manifest):
    from orchestration.definitions import defs

    inbox = generate(env["inbox"], billing_lines=3000)
    mbew = inbox / "MBEW_2010.txt"
    billed = query_billed_material(inbox)
    lines = mbew.read_text().splitlines()
    kept = [line for line in lines if not line.startswith(f"{int(billed):018d}\t")]
    assert len(kept) < len(lines)
    mbew.write_text("\n".join(kept) + "\n")

    # What the check reads and the check: no supplier side, analytics or snapshot.
    from orchestration.defs.costing import BUILD_SETTINGS, PROFITABILITY

    others = dg.AssetSelection.checks(
        *(dg.AssetCheckKey(PROFITABILITY, name) for name in ("revenue_reconciles",
                                                              "production_cost_reconciles"))
    )  # fmt: skip
    upstream = dg.AssetSelection.assets(PROFITABILITY, BUILD_SETTINGS).upstream() - others
    result = materialize_all(defs, env, selection=upstream)
    assert "analytics" not in {
        e.asset_key.path[0] for e in result.get_asset_materialization_events()
    }
    check = check_results(result)["standard_costs_complete"]
    assert not check.passed
    assert f"material {int(billed)}" in check.description


def query_billed_material(inbox: Path) -> str:
    """A material that appears on an invoice line in the generated billing files."""
    line = (inbox / "VBRP_2010-04.csv").read_text().splitlines()[1]
    return line.split(";")[9]


def test_demo_summary_prints_the_group_pnl_and_unused_capacity(demo_run):
    from ingestion.warehouse import connect
    from orchestration.summary import render

    env, _ = demo_run
    with connect(env["warehouse"], read_only=True) as con:
        text = render(con, env["inbox"])
    assert "reconciles" in text
    pnl = text.split("Customer-group P&L")[1].split("Capacity per department")[0]
    assert len([line for line in pnl.splitlines() if line[:1].isalpha()]) == 21  # header + 20
    for department in ("Order office", "Finished-goods store", "Sales", "Quality", "Development"):
        assert department in text.split("Capacity per department")[1]


COSTED_LINES = """
    select * exclude (inputs_fingerprint, build_id) from intermediate.int_billing_lines_costed
    order by billing_document, billing_item"""


def load_inbox_and_build_costed_lines(env) -> None:
    """Load the inbox's new files and build int_billing_lines_costed with what it reads."""
    from ingestion.specs import SPECS
    from ingestion.warehouse import connect
    from tests.conftest import load_extract

    with connect(env["warehouse"]) as con:
        for spec in SPECS.values():
            assert not load_extract(con, spec, env["inbox"]).failures
    build = [
        "build",
        "--select",
        "+int_billing_lines_costed",
        "--exclude-resource-type",
        "unit_test",
    ]
    assert run_dbt(build).returncode == 0


def mark_first_january_line(env) -> None:
    """Change one January row of the built table, as a build could never write it."""
    with duckdb.connect(str(env["warehouse"])) as con:
        con.execute(
            """update intermediate.int_billing_lines_costed set order_channel = 'MARK'
            where (billing_document, billing_item) = (
                select (billing_document, billing_item) from intermediate.int_billing_lines_costed
                where billing_month = date '2010-01-01' order by all limit 1)"""
        )


@pytest.mark.pipeline
def test_incremental_build_rewrites_only_the_new_month_and_equals_a_full_rebuild(
    env, dbt_manifest, tmp_path
):
    """int_billing_lines_costed is incremental by month: a new month leaves the others as
    they were; a changed customer master or edited model code rebuilds every month; each
    equals a full rebuild."""
    inbox = generate(env["inbox"], billing_lines=3000)
    december = inbox / "VBRP_2010-12.csv"
    held_back = env["inbox"].parent / december.name
    december.rename(held_back)
    load_inbox_and_build_costed_lines(env)
    mark_first_january_line(env)  # a mark the incremental build must not touch

    held_back.rename(december)
    load_inbox_and_build_costed_lines(env)
    months = query(
        env["warehouse"],
        """select billing_month, count(*) filter (where order_channel = 'MARK')
        from intermediate.int_billing_lines_costed group by 1 order by 1""",
    )
    assert [m for m, _ in months][-1] == date(2010, 12, 1)
    assert len(months) == 12
    assert dict(months)[date(2010, 1, 1)] == 1  # January was not rebuilt

    # Another customer group for the customer with the most lines: every month changes.
    customers = inbox / "KNA1_customers.csv"
    top = query(
        env["warehouse"],
        """select sold_to_customer_id from intermediate.int_billing_lines_costed
        group by 1 order by count(*) desc, 1 limit 1""",
    )[0][0]
    lines = customers.read_text(encoding="latin-1").splitlines()
    changed = [
        ";".join([*f[:3], "ZZ", "Test group", *f[5:]]) if f[0].lstrip("0") == top else line
        for line in lines
        for f in [line.split(";")]
    ]
    assert changed != lines
    customers.write_text("\n".join(changed) + "\n", encoding="latin-1")
    load_inbox_and_build_costed_lines(env)
    incremental = query(env["warehouse"], COSTED_LINES)
    regrouped = query(
        env["warehouse"],
        f"""select count(distinct billing_month) filter (where customer_group = 'ZZ'),
            count(distinct billing_month),
            (select count(*) from intermediate.int_billing_lines_costed
             where order_channel = 'MARK')
        from intermediate.int_billing_lines_costed where sold_to_customer_id = '{top}'""",
    )
    assert regrouped[0][0] == regrouped[0][1] > 6  # the customer's every month, regrouped
    assert regrouped[0][2] == 0  # January was rebuilt too

    assert (
        run_dbt(["run", "--select", "int_billing_lines_costed", "--full-refresh"]).returncode == 0
    )
    assert query(env["warehouse"], COSTED_LINES) == incremental

    # Edited model code (a user's copy of the project, one comment added). Downstream of
    # the costed lines: no month is rebuilt. Upstream: every month is rebuilt by the new
    # code, nothing new loaded.
    mark_first_january_line(env)
    project = tmp_path / "dbt_project"
    shutil.copytree(
        PROJECT_ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs")
    )
    build = ["build", "--select", "+int_billing_lines_costed", "--exclude-resource-type"]
    models = project / "models"
    for edited, january_rebuilt in (
        (models / "marts" / "costing" / "dim_customer.sql", False),
        (models / "intermediate" / "finance" / "int_billing_lines_converted.sql", True),
    ):
        edited.write_text(edited.read_text() + "-- edited\n")
        assert run_dbt([*build, "unit_test", "--project-dir", str(project)]).returncode == 0
        assert (query(env["warehouse"], COSTED_LINES) == incremental) is january_rebuilt


COST_CHAIN = {
    "intermediate.int_cost_drivers": "sales_order, cost_driver",
    "intermediate.int_activity_costs": "sales_order, activity_id",
    "marts.fct_order_costs": "sales_order",
}
# Month-incremental too, with no sales order: compared, not marked.
COST_ROLLUPS = (
    "intermediate.int_activity_costs_by_month",
    "intermediate.int_customer_pnl_by_month",
)


def build_cost_chain(env) -> None:
    """Load the inbox's new files and build the activity-cost chain with what it reads."""
    from ingestion.specs import SPECS
    from ingestion.warehouse import connect
    from tests.conftest import load_extract

    with connect(env["warehouse"]) as con:
        for spec in SPECS.values():
            assert not load_extract(con, spec, env["inbox"]).failures
    build = ["build", "--select", "+fct_order_costs", "+int_customer_pnl_by_month"]
    assert run_dbt([*build, "--exclude-resource-type", "unit_test"]).returncode == 0


def cost_chain(env) -> dict[str, Counter]:
    """The chain's rows, less the bookkeeping of incremental builds. Doubles are rounded: a
    sum of doubles differs in the last bit with the order its rows come in."""
    return {
        table: Counter(
            tuple(round(v, 9) if isinstance(v, float) else v for v in row)
            for row in query(
                env["warehouse"], f"select * exclude (build_id, inputs_fingerprint) from {table}"
            )
        )
        for table in (*COST_CHAIN, *COST_ROLLUPS)
    }


def order_lines_in_files(files: list[Path], order: str) -> int:
    """Distinct materials on an order's invoice lines, read straight from the extracts."""
    materials = set()
    for path in files:
        for line in path.read_text(encoding="latin-1").splitlines()[1:]:
            f = line.split(";")
            if f[7].lstrip("0") == order:
                assert f[2] == "F2"  # an invoice: every line counts as an order line
                materials.add(f[9].lstrip("0"))
    return len(materials)


@pytest.mark.pipeline
def test_incremental_cost_chain_follows_orders_across_months_and_equals_a_full_rebuild(
    env, dbt_manifest
):
    """int_cost_drivers, int_activity_costs, fct_order_costs and the rollups of the activity
    costs (by month, and the customer P&L by month) are incremental by month. An
    order belongs to the month of its first line and counts lines in every month: December
    lines moved onto a January order rebuild January (and leave February alone); taking
    them away again rebuilds January from the order's span as built. Each step equals a
    full rebuild."""
    inbox = generate(env["inbox"], billing_lines=3000)
    december = inbox / "VBRP_2010-12.csv"
    original_december = december.read_text(encoding="latin-1")
    december.unlink()
    build_cost_chain(env)

    january_order, february_order = (
        query(
            env["warehouse"],
            f"""select min(sales_order) from marts.fct_order_costs
            where order_month = date '2010-0{month}-01'""",
        )[0][0]
        for month in (1, 2)
    )
    # A mark on a February order in every model of the chain; no build may touch it.
    channel = query(
        env["warehouse"],
        f"select order_channel from marts.fct_order_costs where sales_order = '{february_order}'",
    )[0][0]

    def mark_february(value: str) -> None:
        with duckdb.connect(str(env["warehouse"])) as con:
            for table in COST_CHAIN:
                con.execute(
                    f"update {table} set order_channel = ? where sales_order = ?",
                    [value, february_order],
                )

    def marks() -> list[int]:
        return [
            query(
                env["warehouse"],
                f"select count(*) from {table} where order_channel = 'MARK'",
            )[0][0]
            for table in COST_CHAIN
        ]

    def built_january_order() -> tuple:
        return query(
            env["warehouse"],
            f"""select order_month, order_lines from marts.fct_order_costs
            where sales_order = '{january_order}'""",
        )[0]

    def equals_a_full_rebuild() -> None:
        mark_february(channel)
        incremental = cost_chain(env)
        models = [t.split(".")[1] for t in (*COST_CHAIN, *COST_ROLLUPS)]
        full = ["run", "--select", *models, "--full-refresh"]
        assert run_dbt(full).returncode == 0
        assert cost_chain(env) == incremental

    # December arrives with its first order's lines moved onto the January order.
    first_line = original_december.splitlines()[1].split(";")
    december_order = first_line[7]
    moved = "\n".join(
        ";".join([*f[:7], january_order, *f[8:]]) if f[7] == december_order else line
        for line in original_december.splitlines()
        for f in [line.split(";")]
    )
    assert moved != original_december
    december.write_text(moved + "\n", encoding="latin-1")
    mark_february("MARK")
    marked = marks()
    assert marked[0] == 2 and marked[1] > 0 and marked[2] == 1  # order + order_line rows
    build_cost_chain(env)

    january, extracts = inbox / "VBRP_2010-01.csv", [inbox / "VBRP_2010-01.csv", december]
    assert marks() == marked
    assert order_lines_in_files(extracts, january_order) > order_lines_in_files(
        [january], january_order
    )
    assert built_january_order() == (
        date(2010, 1, 1),
        order_lines_in_files(extracts, january_order),
    )
    assert query(
        env["warehouse"],
        f"select count(*) from marts.fct_order_costs where sales_order = '{december_order}'",
    ) == [(0,)]
    equals_a_full_rebuild()

    # December reloaded as it was: January's order is rebuilt from its span as built.
    december.write_text(original_december, encoding="latin-1")
    mark_february("MARK")
    build_cost_chain(env)
    assert marks() == marked
    assert built_january_order() == (
        date(2010, 1, 1),
        order_lines_in_files([january], january_order),
    )
    equals_a_full_rebuild()


def build_costed_lines(env, full_refresh: bool) -> dg.ExecuteInProcessResult:
    """The dbt asset, int_billing_lines_costed alone, with its full_refresh config."""
    from orchestration.defs.transformation import dbt_models
    from orchestration.resources import WarehouseResource, dbt_resource

    return dg.materialize(
        [dbt_models],
        selection=[dg.AssetKey(["intermediate", "int_billing_lines_costed"])],
        resources={
            "warehouse": WarehouseResource(path=str(env["warehouse"]), inbox=str(env["inbox"])),
            "dbt": dbt_resource(),
        },
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
        run_config={"ops": {"dbt_models": {"config": {"full_refresh": full_refresh}}}},
    )


def marked_costed_lines(env) -> int:
    return query(
        env["warehouse"],
        "select count(*) from intermediate.int_billing_lines_costed where order_channel = 'MARK'",
    )[0][0]


def test_a_full_refresh_run_rebuilds_the_months_an_incremental_run_keeps(demo_copy):
    """`abc-warehouse run --full-refresh` (the dbt asset's full_refresh config) is the way
    back after raw rows were deleted by hand, a macro edited or columns added."""
    env = demo_copy
    mark_first_january_line(env)

    assert build_costed_lines(env, full_refresh=False).success
    assert marked_costed_lines(env) == 1  # nothing changed: January kept
    assert build_costed_lines(env, full_refresh=True).success
    assert marked_costed_lines(env) == 0


@pytest.mark.parametrize("dropped", ["build_id", "inputs_fingerprint"])
def test_changed_columns_of_an_incremental_model_name_the_full_refresh(demo_copy, dropped):
    """A warehouse built by a version without a column fails with the way out, not only
    dbt's advice about its own config: build_id dropped (dbt finds the schemas out of
    sync), or inputs_fingerprint (the table predates the month fingerprints)."""
    env = demo_copy
    with duckdb.connect(str(env["warehouse"])) as con:
        con.execute(f"alter table intermediate.int_billing_lines_costed drop column {dropped}")

    result = build_costed_lines(env, full_refresh=False)
    assert not result.success
    failure = result.get_step_failure_events()[0].step_failure_data.user_failure_data
    assert "abc-warehouse run --full-refresh" in failure.description

    assert build_costed_lines(env, full_refresh=True).success
    assert query(
        env["warehouse"],
        "select count(build_id) = count(*) from intermediate.int_billing_lines_costed",
    ) == [(True,)]
