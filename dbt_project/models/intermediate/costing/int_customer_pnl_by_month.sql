-- One row per customer and month: revenue from the billing lines, production cost and one
-- column per activity family from the activity costs.
--
-- Incremental by month (macros/incremental.sql): the months whose billing lines or
-- activity costs were rebuilt.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='period_month',
    on_schema_change='fail',
) }}
{%- set families = pnl_activity_families() %}
with

month_inputs as (
    {{ month_fingerprints(
        [
            build_ids_by_month(ref('int_billing_lines_costed'), 'billing_month'),
            build_ids_by_month(ref('int_activity_costs_by_month'), 'period_month'),
        ],
        global_fingerprint(),
    ) }}
),

months_to_build as (
    {{ months_changed('month_inputs', 'period_month') }}
),

revenue as (
    select
        sold_to_customer_id as customer_id,
        customer_group,
        billing_month as period_month,
        sum(gross_amount) as gross_revenue,
        sum(net_amount) as net_revenue
    from {{ ref('int_billing_lines_costed') }}
    where billing_month in (select period_month from months_to_build)
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
    from {{ ref('int_activity_costs_by_month') }}
    where customer_id is not null
        and period_month in (select period_month from months_to_build)
    group by customer_id, customer_group, period_month
),

pnl as (
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
)

select
    pnl.*,
    month_inputs.inputs_fingerprint,
    '{{ invocation_id }}' as build_id
from pnl
left join month_inputs using (period_month)
