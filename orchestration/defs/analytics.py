"""Concentration analytics: Python assets over the profitability marts.

analytics.customer_concentration, analytics.lorenz_curve and analytics.stobachoff_curve
are computed by metrics.tables; the report (charts + HTML) by reporting.report."""

import base64

import dagster as dg

from orchestration.dbt_project import dbt_project
from orchestration.ownership import CONTROLLING, PURCHASING
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource
from orchestration.table_docs import analytics_tables, describe_table

# metrics.tables (pandas, scipy) and reporting.report (matplotlib) are imported by the
# assets that use them: every process that loads the definitions (the CLI, the UI's code
# server, the sensor's ticks) would otherwise pay about a second and a half for them.

MARTS = [
    dg.AssetKey(["marts", "fct_customer_profitability"]),
    dg.AssetKey(["marts", "fct_customer_group_profitability"]),
]
CONCENTRATION = dg.AssetKey(["analytics", "customer_concentration"])
LORENZ = dg.AssetKey(["analytics", "lorenz_curve"])
STOBACHOFF = dg.AssetKey(["analytics", "stobachoff_curve"])

MEMBERS_SQL = """
select period_type, period_start, 'customer' as level, customer_id as member_id,
    coalesce(customer_name, customer_id) as member_name, net_revenue, net_profit
from marts.fct_customer_profitability
union all
select period_type, period_start, 'customer_group', customer_group,
    customer_group_name, net_revenue, net_profit
from marts.fct_customer_group_profitability
"""


def write_analytics_tables(warehouse: WarehouseResource, frames: dict) -> None:
    """Replace analytics tables in one transaction, each with the columns, types and
    descriptions its YAML documents (whatever pandas inferred: a column of None would be
    NULL-typed)."""
    docs = analytics_tables(dbt_project.manifest_path)
    with warehouse.connect() as con:
        con.execute("begin transaction")
        con.execute("create schema if not exists analytics")
        for name, frame in frames.items():
            columns = ", ".join(
                f"cast({c.name} as {c.data_type}) as {c.name}" for c in docs[name].columns
            )
            con.register("frame", frame)
            con.execute(f"create or replace table analytics.{name} as select {columns} from frame")
            con.unregister("frame")
            describe_table(con, "analytics", docs[name])
        con.execute("commit")


class ConcentrationConfig(dg.Config):
    resamples: int = 1000  # bootstrap resamples for the Gini and S intervals
    seed: int = 2010


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            CONCENTRATION,
            deps=MARTS,
            group_name="analytics",
            owners=CONTROLLING,
            kinds={"duckdb", "python"},
            description="Per period and level (customer, customer_group): Gini, SI, "
            "Stobachoff S, SS, peak, loss ratio, shares, bootstrap intervals.",
        ),
        dg.AssetSpec(
            LORENZ,
            deps=MARTS,
            group_name="analytics",
            owners=CONTROLLING,
            kinds={"duckdb", "python"},
            description="Lorenz curve points of net revenue, for BI tools to plot.",
        ),
        dg.AssetSpec(
            STOBACHOFF,
            deps=MARTS,
            group_name="analytics",
            owners=CONTROLLING,
            kinds={"duckdb", "python"},
            description="Stobachoff curve points of net profit, for BI tools to plot.",
        ),
    ],
    pool=WAREHOUSE_POOL,
)
def concentration(config: ConcentrationConfig, warehouse: WarehouseResource):
    from metrics.tables import concentration_tables

    with warehouse.connect() as con:
        members = con.execute(MEMBERS_SQL).df()
    members["net_revenue"] = members["net_revenue"].astype(float)
    members["net_profit"] = members["net_profit"].astype(float)
    summary, lorenz, stobachoff = concentration_tables(members, config.resamples, config.seed)
    write_analytics_tables(
        warehouse,
        {"customer_concentration": summary, "lorenz_curve": lorenz, "stobachoff_curve": stobachoff},
    )
    for key, frame in ((CONCENTRATION, summary), (LORENZ, lorenz), (STOBACHOFF, stobachoff)):
        yield dg.MaterializeResult(asset_key=key, metadata={"dagster/row_count": len(frame)})


@dg.asset(
    key=dg.AssetKey(["analytics", "concentration_report"]),
    deps=[CONCENTRATION, LORENZ, STOBACHOFF],
    group_name="analytics",
    owners=CONTROLLING,
    kinds={"html", "python"},
    pool=WAREHOUSE_POOL,
    description="Lorenz, Stobachoff and S-curve charts with the key figures, as PNG and HTML.",
)
def concentration_report(warehouse: WarehouseResource) -> dg.MaterializeResult:
    from reporting.report import write_concentration_report

    with warehouse.connect(read_only=True) as con:
        summary = con.execute("select * from analytics.customer_concentration").df()
        lorenz = con.execute("select * from analytics.lorenz_curve").df()
        stobachoff = con.execute("select * from analytics.stobachoff_curve").df()
        members = con.execute(MEMBERS_SQL).df()
    report = write_concentration_report(warehouse.report_dir, summary, lorenz, stobachoff, members)
    metadata: dict = {"report": dg.MetadataValue.path(str(report.html_path))}
    for name, path in report.charts.items():
        encoded = base64.b64encode(path.read_bytes()).decode()
        metadata[name] = dg.MetadataValue.md(f"![{name}](data:image/png;base64,{encoded})")
    return dg.MaterializeResult(metadata=metadata)


SENSITIVITY = dg.AssetKey(["analytics", "profitability_sensitivity"])
TORNADO = dg.AssetKey(["analytics", "sensitivity_tornado"])
SENSITIVITY_MARTS = [
    dg.AssetKey(["marts", "fct_customer_profitability"]),
    dg.AssetKey(["marts", "fct_customer_activity_costs"]),
    dg.AssetKey(["marts", "dim_activity_time_estimate"]),
]


class SensitivityConfig(dg.Config):
    draws: int = 2000  # draws of every activity time (PERT)
    seed: int = 2010


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            SENSITIVITY,
            deps=SENSITIVITY_MARTS,
            group_name="analytics",
            owners=CONTROLLING,
            kinds={"duckdb", "python"},
            description="Per period, level and member: probability of being profitable, "
            "5/50/95 % quantiles of net profit and relative profitability, the 5-95 % range "
            "of the rank, and the rank correlation with the actual ranking, over draws of "
            "the activity times.",
        ),
        dg.AssetSpec(
            TORNADO,
            deps=SENSITIVITY_MARTS,
            group_name="analytics",
            owners=CONTROLLING,
            kinds={"duckdb", "python"},
            description="Per member and time estimate: net profit with that time at its "
            "low and at its high value, the others at their most likely (the tornado).",
        ),
    ],
    pool=WAREHOUSE_POOL,
)
def profitability_sensitivity(config: SensitivityConfig, warehouse: WarehouseResource):
    from metrics.tables import sensitivity_tables

    with warehouse.connect() as con:
        members = con.execute(
            """select period_type, period_start, customer_id, customer_name, customer_group,
                customer_group_name, net_revenue, net_profit
            from marts.fct_customer_profitability"""
        ).df()
        costs = con.execute(
            """select period_type, period_start, customer_id, customer_group, activity_id,
                time_cost
            from marts.fct_customer_activity_costs where time_cost <> 0"""
        ).df()
        estimates = con.execute(
            """select activity_id, customer_group, low, likely, high, time_unit
            from marts.dim_activity_time_estimate order by activity_id, customer_group"""
        ).df()
    summary, tornado = sensitivity_tables(members, costs, estimates, config.draws, config.seed)
    write_analytics_tables(
        warehouse, {"profitability_sensitivity": summary, "sensitivity_tornado": tornado}
    )
    for key, frame in ((SENSITIVITY, summary), (TORNADO, tornado)):
        yield dg.MaterializeResult(asset_key=key, metadata={"dagster/row_count": len(frame)})


@dg.asset(
    key=dg.AssetKey(["analytics", "sensitivity_report"]),
    deps=[SENSITIVITY, TORNADO],
    group_name="analytics",
    owners=CONTROLLING,
    kinds={"html", "python"},
    pool=WAREHOUSE_POOL,
    description="How sure the ranking is: the S-curve with each member's 5-95 % range, the "
    "probability of being profitable and the tornadoes, latest year, in sensitivity.html.",
)
def sensitivity_report(warehouse: WarehouseResource) -> dg.MaterializeResult:
    from reporting.what_if import write_sensitivity_report

    with warehouse.connect(read_only=True) as con:
        sensitivity = con.execute(
            "select * from analytics.profitability_sensitivity where period_type = 'year'"
        ).df()
        tornado = con.execute(
            "select * from analytics.sensitivity_tornado where period_type = 'year'"
        ).df()
    report = write_sensitivity_report(warehouse.report_dir, sensitivity, tornado)
    return dg.MaterializeResult(metadata={"report": dg.MetadataValue.path(str(report.html_path))})


SCENARIO_MARTS = ["dim_scenario", "fct_scenario_comparison", "fct_scenario_activity_rates"]


@dg.asset(
    key=dg.AssetKey(["analytics", "scenario_report"]),
    deps=[dg.AssetKey(["marts", mart]) for mart in SCENARIO_MARTS],
    group_name="analytics",
    owners=CONTROLLING,
    kinds={"html", "python"},
    pool=WAREHOUSE_POOL,
    description="The costing scenarios against actual, latest year: customers' and company "
    "profit, members that change sign, unused capacity per department, in scenarios.html.",
)
def scenario_report(warehouse: WarehouseResource) -> dg.MaterializeResult:
    from reporting.what_if import write_scenario_report

    with warehouse.connect(read_only=True) as con:
        scenarios = con.execute("select * from marts.dim_scenario").df()
        comparison = con.execute(
            """select * from marts.fct_scenario_comparison
            where period_type = 'year' and (level = 'company' or line = 'net_profit')"""
        ).df()
        departments = con.execute(
            "select * from marts.fct_scenario_activity_rates where period_type = 'year'"
        ).df()
    report = write_scenario_report(warehouse.report_dir, scenarios, comparison, departments)
    return dg.MaterializeResult(metadata={"report": dg.MetadataValue.path(str(report.html_path))})


INSPECTION_SQL = """
select supplier_id, material_id, characteristic_number,
    coalesce(characteristic, '') as characteristic,
    lower_limit::double as lower_limit, upper_limit::double as upper_limit, inspection_lot,
    sample_number, value_number, inspection_date, measured_value::double as measured_value
from marts.fct_inspection_measurements
"""


@dg.asset(
    key=dg.AssetKey(["analytics", "supplier_capability"]),
    deps=[dg.AssetKey(["marts", "fct_inspection_measurements"])],
    group_name="analytics",
    owners=PURCHASING,
    kinds={"duckdb", "python"},
    pool=WAREHOUSE_POOL,
    description="Per supplier, material and characteristic: n, mean, sigma within and overall, "
    "Cp, CPU, CPL, Cpk, Pp, Ppk, Bissell 95 % interval for Cpk, expected PPM and the "
    "inspection level from the point Cpk and from its lower bound.",
)
def supplier_capability(warehouse: WarehouseResource) -> dg.MaterializeResult:
    from metrics.tables import capability_table
    from reporting.report import write_capability_report

    with warehouse.connect() as con:
        measurements = con.execute(INSPECTION_SQL).df()
        table = capability_table(measurements)
        con.execute("create schema if not exists analytics")
        con.register("frame", table)
        con.execute("create or replace table analytics.supplier_capability as select * from frame")
        con.unregister("frame")
        doc = analytics_tables(dbt_project.manifest_path)["supplier_capability"]
        describe_table(con, "analytics", doc)
    page = write_capability_report(warehouse.report_dir, table, measurements)
    full = int((table["inspection_level"] == "100 %").sum()) if len(table) else 0
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(table),
            "characteristics_inspected_every_lot": full,
            "report": dg.MetadataValue.path(str(page)),
        }
    )


STRATEGY_MARTS = {
    "relationship": "fct_customer_relationship",
    "suppliers": "fct_supplier_relationship",
    "make_or_buy": "fct_make_or_buy",
    "spend": "fct_spend",
}


# The charts' quadrant lines: the thresholds the strategy marts were built with, as the
# build recorded them (marts.build_settings), so a run's --vars move both alike.
THRESHOLD_COLUMNS = {
    "revenue_share": "relationship_revenue_share_high",
    "purchase_share": "relationship_purchase_share_high",
    "switching_cost": "relationship_switching_cost_high",
    "category_share": "relationship_category_share_high",
    "supplier_dependency": "relationship_supplier_dependency_high",
}


def quadrant_thresholds(con) -> dict[str, float]:
    """The quadrant thresholds of the build the strategy marts come from."""
    columns = ", ".join(THRESHOLD_COLUMNS.values())
    row = con.execute(f"select {columns} from marts.build_settings").fetchone()
    return {short: float(value) for short, value in zip(THRESHOLD_COLUMNS, row, strict=True)}


@dg.asset(
    key=dg.AssetKey(["analytics", "strategy_report"]),
    deps=[
        *(dg.AssetKey(["marts", mart]) for mart in STRATEGY_MARTS.values()),
        dg.AssetKey(["marts", "build_settings"]),
    ],
    group_name="analytics",
    owners=CONTROLLING + PURCHASING,
    kinds={"html", "python"},
    pool=WAREHOUSE_POOL,
    description="Strategy views: relationship power (customers, suppliers), make-or-buy and "
    "spend, each a section with its chart in strategy.html.",
)
def strategy_report(warehouse: WarehouseResource) -> dg.MaterializeResult:
    from reporting.report import write_strategy_report

    with warehouse.connect(read_only=True) as con:
        frames = {
            name: con.execute(f"select * from marts.{mart}").df()
            for name, mart in STRATEGY_MARTS.items()
        }
        thresholds = quadrant_thresholds(con)
    report = write_strategy_report(warehouse.report_dir, **frames, thresholds=thresholds)
    return dg.MaterializeResult(metadata={"report": dg.MetadataValue.path(str(report.html_path))})


defs = dg.Definitions(
    assets=[
        concentration,
        concentration_report,
        supplier_capability,
        strategy_report,
        profitability_sensitivity,
        sensitivity_report,
        scenario_report,
    ]
)
