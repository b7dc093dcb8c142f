-- The customer P&L per month and year: revenue, production at standard cost, one column per
-- activity family, cost-to-serve, net profit and relative profitability.
{%- set families = pnl_activity_families() %}
{%- set measures = ['gross_revenue', 'net_revenue', 'production_cost']
    + pnl_family_cost_columns() + ['other_activity_cost'] %}
with

periods as (
    {{ months_and_years(ref('int_customer_pnl_by_month'), ['customer_id', 'customer_group'], measures) }}
),

customers as (
    select * from {{ ref('dim_customer') }}
),

pnl as (
    select
        periods.*,
        periods.gross_revenue - periods.net_revenue as discounts,
        {% for family in families %}periods.{{ family }}_cost + {% endfor %}periods.other_activity_cost
            as cost_to_serve
    from periods
)

select
    cast(pnl.period_type as varchar) as period_type,
    cast(pnl.period_start as date) as period_start,
    cast(pnl.customer_id as varchar) as customer_id,
    cast(customers.customer_name as varchar) as customer_name,
    cast(pnl.customer_group as varchar) as customer_group,
    cast(customers.customer_group_name as varchar) as customer_group_name,
    cast(pnl.gross_revenue as double) as gross_revenue,
    cast(pnl.discounts as double) as discounts,
    cast(pnl.net_revenue as double) as net_revenue,
    cast(pnl.production_cost as double) as production_cost,
    {% for family in families %}
    cast(pnl.{{ family }}_cost as double) as {{ family }}_cost,
    {% endfor %}
    cast(pnl.other_activity_cost as double) as other_activity_cost,
    cast(pnl.cost_to_serve as double) as cost_to_serve,
    cast(pnl.production_cost + pnl.cost_to_serve as double) as total_cost,
    cast(pnl.net_revenue - pnl.production_cost - pnl.cost_to_serve as double) as net_profit,
    cast(
        (pnl.net_revenue - pnl.production_cost - pnl.cost_to_serve) / nullif(pnl.net_revenue, 0)
        as double
    ) as relative_profitability
from pnl
left join customers on customers.customer_id = pnl.customer_id
