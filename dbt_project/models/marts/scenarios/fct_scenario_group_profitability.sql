-- The scenario customer P&L summed per customer group, as fct_customer_group_profitability
-- sums the actual one; `customers` counts the group's customers the scenario keeps.
{%- set amounts = ['gross_revenue', 'discounts', 'net_revenue', 'production_cost']
    + pnl_family_cost_columns()
    + ['other_activity_cost', 'cost_to_serve', 'total_cost', 'net_profit'] %}
with

customers as (
    select * from {{ ref('fct_scenario_customer_profitability') }}
),

groups as (
    select
        scenario_id,
        period_type,
        period_start,
        customer_group,
        max(customer_group_name) as customer_group_name,
        count(distinct customer_id) filter (where not is_dropped) as customers,
        count(distinct customer_id) filter (where is_dropped) as dropped_customers,
        {% for a in amounts %}sum({{ a }}) as {{ a }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from customers
    group by scenario_id, period_type, period_start, customer_group
)

select
    cast(scenario_id as varchar) as scenario_id,
    cast(period_type as varchar) as period_type,
    cast(period_start as date) as period_start,
    cast(customer_group as varchar) as customer_group,
    cast(coalesce(customer_group_name, customer_group) as varchar) as customer_group_name,
    cast(customers as bigint) as customers,
    cast(dropped_customers as bigint) as dropped_customers,
    {% for a in amounts %}cast({{ a }} as double) as {{ a }},
    {% endfor %}
    cast(net_profit / nullif(net_revenue, 0) as double) as relative_profitability
from groups
