-- The customer P&L summed per customer group, per month and year.
{%- set families = pnl_activity_families() %}
{%- set amounts = ['gross_revenue', 'discounts', 'net_revenue', 'production_cost']
    + pnl_family_cost_columns()
    + ['other_activity_cost', 'cost_to_serve', 'total_cost', 'net_profit'] %}
with

customers as (
    select * from {{ ref('fct_customer_profitability') }}
),

groups as (
    select
        period_type,
        period_start,
        customer_group,
        max(customer_group_name) as customer_group_name,
        count(distinct customer_id) as customers,
        {% for a in amounts %}sum({{ a }}) as {{ a }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from customers
    group by period_type, period_start, customer_group
)

select
    cast(period_type as varchar) as period_type,
    cast(period_start as date) as period_start,
    cast(customer_group as varchar) as customer_group,
    cast(coalesce(customer_group_name, customer_group) as varchar) as customer_group_name,
    cast(customers as bigint) as customers,
    {% for a in amounts %}cast({{ a }} as double) as {{ a }},
    {% endfor %}
    cast(net_profit / nullif(net_revenue, 0) as double) as relative_profitability
from groups
