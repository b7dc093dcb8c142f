-- One row per customer and month: revenue from the billing lines, production cost and one
-- column per activity family from the activity costs.
{%- set families = pnl_activity_families() %}
with

revenue as (
    select
        sold_to_customer_id as customer_id,
        customer_group,
        billing_month as period_month,
        sum(gross_amount) as gross_revenue,
        sum(net_amount) as net_revenue
    from {{ ref('int_billing_lines_costed') }}
    group by sold_to_customer_id, customer_group, billing_month
),

costs as (
    select
        customer_id,
        customer_group,
        period_month,
        sum(case when activity_family = 'production' then cost else 0 end) as production_cost,
        {% for family in families %}
        sum(case when activity_family = '{{ family }}' then cost else 0 end) as {{ family }}_cost,
        {% endfor %}
        sum(case when activity_family not in ('production', '{{ families | join("', '") }}')
            then cost else 0 end) as other_activity_cost
    from {{ ref('int_activity_costs') }}
    where customer_id is not null
    group by customer_id, customer_group, period_month
)

select
    coalesce(revenue.customer_id, costs.customer_id) as customer_id,
    coalesce(revenue.customer_group, costs.customer_group) as customer_group,
    coalesce(revenue.period_month, costs.period_month) as period_month,
    coalesce(revenue.gross_revenue, 0) as gross_revenue,
    coalesce(revenue.net_revenue, 0) as net_revenue,
    coalesce(costs.production_cost, 0) as production_cost,
    {% for family in families %}
    coalesce(costs.{{ family }}_cost, 0) as {{ family }}_cost,
    {% endfor %}
    coalesce(costs.other_activity_cost, 0) as other_activity_cost
from revenue
full outer join costs
    on costs.customer_id = revenue.customer_id
    and costs.period_month = revenue.period_month
