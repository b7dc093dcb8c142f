-- The customer P&L per month and year: revenue, production at standard cost, one column per
-- activity family, cost-to-serve, net profit and relative profitability.
{%- set measures = ['gross_revenue', 'net_revenue', 'production_cost']
    + pnl_family_cost_columns() + ['other_activity_cost'] %}
with

periods as (
    {{ months_and_years(ref('int_customer_pnl_by_month'), ['customer_id', 'customer_group'], measures) }}
),

customers as (
    select * from {{ ref('dim_customer') }}
)

select
    cast(periods.period_type as varchar) as period_type,
    cast(periods.period_start as date) as period_start,
    cast(periods.customer_id as varchar) as customer_id,
    cast(customers.customer_name as varchar) as customer_name,
    cast(periods.customer_group as varchar) as customer_group,
    cast(customers.customer_group_name as varchar) as customer_group_name,
    {{ pnl_amounts('periods') }}
from periods
left join customers on customers.customer_id = periods.customer_id
