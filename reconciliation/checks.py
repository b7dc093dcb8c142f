"""Checks that the costing marts add up, each computed from the raw extracts by SQL written
independently of the dbt models it checks. Dagster runs them as blocking asset checks.

  pools_reconcile          per department and period: pool (from raw actuals) =
                           assigned + not assigned + unused capacity, and the assigned cost
                           equals what fct_customer_activity_costs charges customers
  revenue_reconciles       net revenue in the marts = net revenue in the billing extract
  production_cost_reconciles  production cost in the marts = sum over billing lines of
                           quantity x standard cost valid on the billing date
  standard_costs_complete  every goods-moving billing line has a standard cost on its date
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

TOLERANCE = 0.01  # NOK

# The checks follow the vars the marts were built with (marts.build_settings: company
# currency, rate type, valuation area) and the sign of each billing category (the seed,
# config.billing_categories); the rest they compute from the raw extracts themselves.

# Net revenue of the billing extract in the company currency at the rate valid on the
# billing date. The lines are summed per currency and day first (exact, in decimal), so
# the rate lookup runs over a few thousand days instead of every line.
EXTRACT_NET_REVENUE = """
with settings as (
    select company_currency, exchange_rate_type from marts.build_settings
),
rates as (
    select fcurr, gdatu as valid_from,
        (case when ukurs < 0 then 1 / abs(ukurs) else ukurs end)
            * coalesce(tfact, 1) / coalesce(ffact, 1) as rate
    from raw.exchange_rates, settings
    where kurst = settings.exchange_rate_type and tcurr = settings.company_currency
),
days as (
    select b.waerk, b.fkdat, sum(abs(b.netwr) * k.sign) as net_amount
    from raw.billing_lines b
    join config.billing_categories k on k.billing_category = b.fkart
    group by b.waerk, b.fkdat
)
select sum(d.net_amount * case when d.waerk = s.company_currency then 1 else r.rate end)
from days d
cross join settings s
asof left join rates r on r.fcurr = d.waerk and d.fkdat >= r.valid_from
"""

# Goods-moving billing lines with the standard cost valid on their date (NULL when none).
COSTED_RAW_LINES = """
with costs as (
    select matnr, kadat, coalesce(bidat, date '9999-12-31') as bidat,
        (case when vprsv = 'V' then verpr else stprs end) / peinh as unit_cost
    from raw.standard_costs, marts.build_settings s
    where s.valuation_area is null or bwkey = s.valuation_area
)
select b.matnr, b.fkdat, abs(b.fkimg) * k.sign as quantity, c.unit_cost
from raw.billing_lines b
join config.billing_categories k on k.billing_category = b.fkart and k.moves_goods
left join costs c on c.matnr = b.matnr and b.fkdat between c.kadat and c.bidat
"""


@dataclass
class Outcome:
    name: str
    passed: bool
    description: str
    details: list[dict] = field(default_factory=list)


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def pools_reconcile(con: duckdb.DuckDBPyConnection) -> Outcome:
    """Per department and period: pool = assigned + not assigned + unused capacity."""
    rows = _rows(
        con,
        f"""
        with raw_pools as (
            select a.kostl as cost_centre, make_date(a.gjahr, least(a.perio, 12), 1) as month,
                sum(a.wkgbtr) as pool
            from raw.cost_centre_actuals a
            join config.cost_pool_elements e on e.cost_centre = a.kostl and e.cost_element = a.kstar
            group by all
        ),
        raw_periods as (
            select 'month' as period_type, month as period_start, cost_centre, pool from raw_pools
            union all
            select 'year', date_trunc('year', month)::date, cost_centre, sum(pool)
            from raw_pools group by all
        ),
        charged as (
            select c.period_type, c.period_start, a.department_cost_centre as cost_centre,
                sum(c.time_cost) as charged
            from marts.fct_customer_activity_costs c
            join marts.dim_activity a on a.activity_id = c.activity_id
            where a.department_cost_centre is not null
            group by all
        )
        select u.period_type, u.period_start, u.cost_centre, u.department_name,
            round(r.pool, 2) as extract_pool, round(u.pool_cost, 2) as mart_pool,
            round(u.assigned_cost, 2) as assigned, round(coalesce(ch.charged, 0), 2) as charged,
            round(u.unassigned_cost, 2) as not_assigned,
            round(u.unused_capacity_cost, 2) as unused
        from marts.fct_unused_capacity u
        left join raw_periods r using (period_type, period_start, cost_centre)
        left join charged ch using (period_type, period_start, cost_centre)
        where abs(coalesce(r.pool, 0) - u.pool_cost) > {TOLERANCE}
            or abs(u.pool_cost - u.assigned_cost - u.unassigned_cost - u.unused_capacity_cost)
                > {TOLERANCE}
            or abs(u.assigned_cost - coalesce(ch.charged, 0)) > {TOLERANCE}
        order by all
        """,
    )
    periods = con.execute("select count(*) from marts.fct_unused_capacity").fetchall()[0][0]
    if rows:
        first = rows[0]
        text = (
            f"{len(rows)} department-period(s) do not reconcile, e.g. {first['department_name']} "
            f"{first['period_type']} {first['period_start']}: pool {first['extract_pool']} in the "
            f"extract, {first['mart_pool']} in the mart = assigned {first['assigned']} "
            f"(customers charged {first['charged']}) + not assigned {first['not_assigned']} "
            f"+ unused {first['unused']}"
        )
    elif periods:
        text = f"pool = assigned + not assigned + unused for all {periods} department-periods"
    else:
        posted = con.execute(
            """select count(*) from raw.cost_centre_actuals a join config.cost_pool_elements e
            on e.cost_centre = a.kostl and e.cost_element = a.kstar"""
        ).fetchall()[0][0]
        if posted:
            text = f"{posted} pool postings in the extract, but no department-period in the mart"
            return Outcome("pools_reconcile", False, text)
        text = "no department costs loaded (cost-centre actuals): nothing to reconcile"
    return Outcome("pools_reconcile", not rows, text, rows[:20])


def revenue_reconciles(con: duckdb.DuckDBPyConnection) -> Outcome:
    """Net revenue in the marts = net revenue in the billing extract."""
    extract = con.execute(EXTRACT_NET_REVENUE).fetchall()[0][0] or 0
    customers, groups = con.execute(
        """select
            (select sum(net_revenue) from marts.fct_customer_profitability
             where period_type = 'year'),
            (select sum(net_revenue) from marts.fct_customer_group_profitability
             where period_type = 'year')"""
    ).fetchall()[0]
    customers, groups = customers or 0, groups or 0
    passed = abs(float(extract) - customers) <= TOLERANCE and abs(customers - groups) <= TOLERANCE
    text = (
        f"net revenue: billing extract {float(extract):,.2f}, customer mart {customers:,.2f}, "
        f"customer-group mart {groups:,.2f} NOK"
    )
    return Outcome("revenue_reconciles", passed, text)


def production_cost_reconciles(con: duckdb.DuckDBPyConnection) -> Outcome:
    """Production cost in the marts = billing quantity x standard cost on the billing date."""
    extract = (
        con.execute(f"select sum(quantity * unit_cost) from ({COSTED_RAW_LINES})").fetchall()[0][0]
        or 0
    )
    mart = (
        con.execute(
            "select sum(production_cost) from marts.fct_customer_profitability"
            " where period_type = 'year'"
        ).fetchall()[0][0]
        or 0
    )
    passed = abs(float(extract) - float(mart)) <= TOLERANCE
    text = (
        f"production cost: billing lines x standard cost {float(extract):,.2f}, "
        f"customer mart {float(mart):,.2f} NOK"
    )
    return Outcome("production_cost_reconciles", passed, text)


def standard_costs_complete(con: duckdb.DuckDBPyConnection) -> Outcome:
    """Every goods-moving billing line has a standard cost on its billing date."""
    rows = _rows(
        con,
        f"""select matnr as material, count(*) as billing_lines, sum(quantity) as quantity,
                min(fkdat) as first_billing_date
            from ({COSTED_RAW_LINES}) where unit_cost is null
            group by matnr order by billing_lines desc, matnr""",
    )
    if not rows:
        return Outcome(
            "standard_costs_complete", True, "every goods-moving billing line has a standard cost"
        )
    named = ", ".join(
        f"material {r['material']} ({r['billing_lines']} lines from {r['first_billing_date']})"
        for r in rows[:10]
    )
    total = sum(r["billing_lines"] for r in rows)
    text = (
        f"{total} billing line(s) have no standard cost on their billing date, so their "
        f"production cost is unknown: {named}" + (" ..." if len(rows) > 10 else "")
    )
    return Outcome("standard_costs_complete", False, text, rows[:50])


ALL_CHECKS = (
    pools_reconcile,
    revenue_reconciles,
    production_cost_reconciles,
    standard_costs_complete,
)
