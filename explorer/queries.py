"""The explorer's questions, each one query over the snapshot's marts and analytics tables
(never the line-level raw tables, which the snapshot does not hold).

Every function takes a connection and plain values and returns a DataFrame, so that the
pages only lay out what these return, and the tests ask the same questions without a
browser. Values reach DuckDB as parameters, never pasted into SQL.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from explorer.snapshot import frame

Connection = duckdb.DuckDBPyConnection

# Waterfall steps besides the activity families: fct_customer_profitability's columns
# named <family>_cost are the families (one per activity family of the catalogue).
NOT_FAMILY_COSTS = {"production_cost", "cost_to_serve", "total_cost"}


def periods(con: Connection, period_type: str) -> list[date]:
    """The periods of one type (month, year) the profitability marts hold, latest first."""
    rows = frame(
        con,
        """select distinct period_start from marts.fct_customer_profitability
        where period_type = ? order by period_start desc""",
        [period_type],
    )
    return [pd.Timestamp(value).date() for value in rows["period_start"]]


# -- concentration ------------------------------------------------------------------------


def _row(con: Connection, sql: str, params: list) -> pd.Series | None:
    """The one row a query returns, or None when it returns none."""
    rows = frame(con, sql, params)
    return None if rows.empty else rows.iloc[0]


def concentration(con: Connection, period_type: str, period_start: date, level: str):
    """analytics.customer_concentration's row for one period and level (None if absent)."""
    return _row(
        con,
        """select * from analytics.customer_concentration
        where period_type = ? and period_start = ? and level = ?""",
        [period_type, period_start, level],
    )


def lorenz_points(con: Connection, period_type: str, period_start: date, level: str):
    return frame(
        con,
        """select point, member_id, cumulative_member_share, cumulative_revenue_share
        from analytics.lorenz_curve
        where period_type = ? and period_start = ? and level = ? order by point""",
        [period_type, period_start, level],
    )


def stobachoff_points(con: Connection, period_type: str, period_start: date, level: str):
    return frame(
        con,
        """select point, member_id, net_profit, cumulative_member_share,
            cumulative_profit_share
        from analytics.stobachoff_curve
        where period_type = ? and period_start = ? and level = ? order by point""",
        [period_type, period_start, level],
    )


def ranked_members(con: Connection, period_type: str, period_start: date, level: str):
    """Members of a level ranked by net profit, most profitable first, with the running
    total the S-curve (whale curve) draws."""
    if level == "customer":
        source = """select customer_id as member_id,
                coalesce(customer_name, customer_id) as member_name, customer_group,
                net_revenue, total_cost, net_profit, relative_profitability
            from marts.fct_customer_profitability
            where period_type = ? and period_start = ?"""
    else:
        source = """select customer_group as member_id,
                coalesce(customer_group_name, customer_group) as member_name,
                customer_group, net_revenue, total_cost, net_profit, relative_profitability
            from marts.fct_customer_group_profitability
            where period_type = ? and period_start = ?"""
    return frame(
        con,
        f"""select row_number() over (order by net_profit desc, member_id) as rank, *,
            sum(net_profit) over (order by net_profit desc, member_id) as cumulative_profit
        from ({source}) order by rank""",
        [period_type, period_start],
    )


# -- drill-down ---------------------------------------------------------------------------


def group_profitability(con: Connection, period_type: str, period_start: date):
    return frame(
        con,
        """select customer_group, customer_group_name, customers, net_revenue, total_cost,
            net_profit, relative_profitability
        from marts.fct_customer_group_profitability
        where period_type = ? and period_start = ? order by net_profit""",
        [period_type, period_start],
    )


def customers_of_group(con: Connection, period_type: str, period_start: date, group: str):
    return frame(
        con,
        """select customer_id, customer_name, net_revenue, production_cost, cost_to_serve,
            net_profit, relative_profitability
        from marts.fct_customer_profitability
        where period_type = ? and period_start = ? and customer_group = ?
        order by net_profit, customer_id""",
        [period_type, period_start, group],
    )


def customer_pnl(con: Connection, period_type: str, period_start: date, customer: str):
    """The customer's row of fct_customer_profitability (None if it has none)."""
    return _row(
        con,
        """select * from marts.fct_customer_profitability
        where period_type = ? and period_start = ? and customer_id = ?""",
        [period_type, period_start, customer],
    )


def waterfall_steps(pnl: pd.Series) -> pd.DataFrame:
    """From net revenue to net profit: net revenue, each cost (production, then every
    activity family with a cost) as a step down, net profit. `start` and `end` are where
    each bar begins and ends; the steps sum to net profit exactly as the mart's columns do."""
    costs = [("production", float(pnl["production_cost"]))]
    costs += [
        (name.removesuffix("_cost"), float(pnl[name]))
        for name in pnl.index
        if name.endswith("_cost") and name not in NOT_FAMILY_COSTS and float(pnl[name]) != 0
    ]
    rows = [("net revenue", "total", 0.0, float(pnl["net_revenue"]), float(pnl["net_revenue"]))]
    level = float(pnl["net_revenue"])
    for name, cost in costs:
        rows.append((name, "cost", level, level - cost, -cost))
        level -= cost
    net_profit = float(pnl["net_profit"])
    rows.append(("net profit", "total", 0.0, net_profit, net_profit))
    return pd.DataFrame(rows, columns=["step", "kind", "start", "end", "amount"])


def customer_activities(con: Connection, period_type: str, period_start: date, customer: str):
    """What the customer consumed of each activity: driver quantity, hours and cost, with
    the cost of one driver unit and the rate per hour the cost comes to."""
    return frame(
        con,
        """select activity_family, activity_id, cost_driver, driver_quantity, time_hours,
            cost / nullif(driver_quantity, 0) as cost_per_driver_unit,
            time_cost / nullif(time_hours, 0) as rate_per_hour,
            time_cost, non_pool_cost, cost
        from marts.fct_customer_activity_costs
        where period_type = ? and period_start = ? and customer_id = ?
        order by cost desc, activity_id""",
        [period_type, period_start, customer],
    )


PERIOD_TYPES = ("year", "month")


def _period_end(period_type: str) -> str:
    """SQL for the first day after a period that starts at the parameter `?`."""
    if period_type not in PERIOD_TYPES:
        raise ValueError(f"period type {period_type!r}: one of {PERIOD_TYPES}")
    return f"cast(? as date) + interval 1 {period_type}"


def orders_of_customer(con: Connection, period_type: str, period_start: date, customer: str):
    """The customer's orders whose month falls in the period, costliest first."""
    return frame(
        con,
        f"""select sales_order, order_month, order_channel, order_lines, time_hours,
            order_handling_cost, delivery_cost, invoicing_cost, informing_cost, packing_cost,
            other_order_cost, total_order_cost
        from marts.fct_order_costs
        where customer_id = ? and order_month >= ?
            and order_month < {_period_end(period_type)}
        order by total_order_cost desc, sales_order""",
        [customer, period_start, period_start],
    )


def order_activities(con: Connection, order: str):
    """The order's activities with the driver quantity, minutes, hours and rate behind each
    cost (marts.fct_order_activity_costs)."""
    return frame(
        con,
        """select activity.activity_family, costs.activity_id, costs.cost_driver,
            costs.driver_quantity, costs.minutes_per_driver_unit, costs.time_hours,
            costs.applied_rate_per_hour, costs.time_cost, costs.non_pool_cost, costs.cost
        from marts.fct_order_activity_costs as costs
        left join marts.dim_activity as activity using (activity_id)
        where costs.sales_order = ?
        order by activity.activity_family, costs.activity_id""",
        [order],
    )


def order_documents(con: Connection, order: str):
    """The billing documents of an order, summed from their lines."""
    return frame(
        con,
        """select billing_document, min(billing_date) as billing_date,
            any_value(billing_category) as billing_category, count(*) as lines,
            sum(gross_revenue) as gross_revenue, sum(discounts) as discounts,
            sum(net_revenue) as net_revenue, sum(production_cost) as production_cost
        from marts.fct_billing_lines where sales_order = ?
        group by billing_document order by billing_date, billing_document""",
        [order],
    )


def document_lines(con: Connection, document: str):
    return frame(
        con,
        """select billing_item, material_id, billed_quantity, sales_unit, gross_revenue,
            discounts, net_revenue, standard_unit_cost, production_cost,
            is_missing_standard_cost
        from marts.fct_billing_lines where billing_document = ?
        order by billing_item""",
        [document],
    )


# -- capacity -----------------------------------------------------------------------------


def department_capacity(con: Connection, period_type: str, period_start: date):
    return frame(
        con,
        """select cost_centre, department_name, pool_cost, capacity_hours, used_hours,
            unused_hours, utilisation, assigned_cost, unassigned_cost, unused_capacity_cost
        from marts.fct_unused_capacity
        where period_type = ? and period_start = ? order by cost_centre""",
        [period_type, period_start],
    )


def activity_rates(con: Connection, period_type: str, period_start: date):
    return frame(
        con,
        """select department_name, activity_id, activity_name, cost_driver,
            time_per_driver_unit, time_unit, rate_per_hour, applied_rate_per_hour,
            rate_per_driver_unit, driver_quantity, used_hours, assigned_cost
        from marts.fct_activity_rates
        where period_type = ? and period_start = ?
        order by department_cost_centre, activity_id""",
        [period_type, period_start],
    )


# -- suppliers ----------------------------------------------------------------------------


def scorecard_years(con: Connection) -> list[date]:
    rows = frame(
        con, "select distinct period_start from marts.fct_supplier_scorecard order by 1 desc"
    )
    return [pd.Timestamp(value).date() for value in rows["period_start"]]


def scorecard(con: Connection, year_start: date):
    """The suppliers' scorecard of a year, lowest total score first."""
    return frame(
        con,
        """select supplier_id, supplier_name, supplier_segment, otif_share, ppm,
            price_variance_share, delivery_score, quality_score, price_score, soft_score,
            total_score, rank_in_segment, suppliers_in_segment
        from marts.fct_supplier_scorecard where period_start = ?
        order by total_score, supplier_id""",
        [year_start],
    )


def capability(con: Connection):
    """analytics.supplier_capability as a purchaser works through it: worst first."""
    from reporting.report import worst_first

    rows = frame(con, "select * from analytics.supplier_capability")
    return worst_first(rows).reset_index(drop=True)


def measurements(con: Connection, supplier: str, material: str, characteristic_number: int):
    return frame(
        con,
        """select inspection_date, inspection_lot, sample_number, value_number,
            measured_value, lower_limit, upper_limit
        from marts.fct_inspection_measurements
        where supplier_id = ? and material_id = ? and characteristic_number = ?
        order by inspection_date, inspection_lot, sample_number, value_number""",
        [supplier, material, characteristic_number],
    )


# -- scenarios ----------------------------------------------------------------------------


def scenario_list(con: Connection):
    return frame(
        con,
        """select scenario_id, scenario_name, description, changes from marts.dim_scenario
        order by scenario_id <> 'actual', scenario_id""",
    )


def company_by_scenario(con: Connection, period_type: str, period_start: date):
    """Per scenario the company's lines (customers' net profit, cost without a customer,
    unused capacity, company profit) with their change against actual."""
    return frame(
        con,
        """select scenario_id, line, scenario_value, change
        from marts.fct_scenario_comparison
        where level = 'company' and period_type = ? and period_start = ?
        order by scenario_id <> 'actual', scenario_id, line""",
        [period_type, period_start],
    )


def sign_changes(con: Connection, period_type: str, period_start: date, scenario: str):
    """The customers and groups whose net profit turns from profit to loss or back."""
    return frame(
        con,
        """select level, member_id, member_name, actual_value as actual_net_profit,
            scenario_value as scenario_net_profit, change
        from marts.fct_scenario_comparison
        where scenario_id = ? and period_type = ? and period_start = ?
            and line = 'net_profit' and changes_sign
        order by level, change""",
        [scenario, period_type, period_start],
    )


def largest_changes(con: Connection, period_type: str, period_start: date, scenario: str):
    """The customers whose net profit the scenario changes most, either way."""
    return frame(
        con,
        """select member_id as customer_id, member_name as customer_name,
            actual_value as actual_net_profit, scenario_value as scenario_net_profit, change
        from marts.fct_scenario_comparison
        where scenario_id = ? and period_type = ? and period_start = ?
            and level = 'customer' and line = 'net_profit' and abs(change) >= 0.005
        order by abs(change) desc, member_id limit 25""",
        [scenario, period_type, period_start],
    )


def scenario_departments(con: Connection, period_type: str, period_start: date, scenario: str):
    """Each department's rate and unused capacity in the scenario beside actual."""
    return frame(
        con,
        """select s.department_name, a.applied_rate_per_hour as actual_rate_per_hour,
            s.applied_rate_per_hour as scenario_rate_per_hour,
            a.unused_capacity_cost as actual_unused_capacity_cost,
            s.unused_capacity_cost as scenario_unused_capacity_cost
        from marts.fct_scenario_activity_rates as s
        inner join marts.fct_scenario_activity_rates as a
            on a.scenario_id = 'actual' and a.period_type = s.period_type
            and a.period_start = s.period_start and a.cost_centre = s.cost_centre
        where s.scenario_id = ? and s.period_type = ? and s.period_start = ?
        order by s.cost_centre""",
        [scenario, period_type, period_start],
    )


# -- sensitivity --------------------------------------------------------------------------


def sensitivity(con: Connection, period_type: str, period_start: date, level: str):
    """Per member the spread of net profit and rank over the draws of the activity times,
    most profitable first (analytics.profitability_sensitivity)."""
    return frame(
        con,
        """select actual_rank, member_id, member_name, actual_net_profit,
            probability_profitable, net_profit_p05, net_profit_p50, net_profit_p95,
            rank_p05, rank_p95, spearman_mean, spearman_p05, spearman_p95, draws
        from analytics.profitability_sensitivity
        where period_type = ? and period_start = ? and level = ?
        order by actual_rank""",
        [period_type, period_start, level],
    )


def tornado_bars(con: Connection, period_type: str, period_start: date, level: str, member: str):
    """One member's tornado: each time estimate's profit at its low and high time, the
    largest swing first."""
    return frame(
        con,
        """select activity_id, estimate_customer_group, low, likely, high, time_unit,
            net_profit_at_low, net_profit_at_high, swing, actual_net_profit
        from analytics.sensitivity_tornado
        where period_type = ? and period_start = ? and level = ? and member_id = ?
        order by swing desc, activity_id""",
        [period_type, period_start, level, member],
    )
