-- One row per sales order and order-level activity: the driver quantity, the hours it took,
-- the rate it was costed at and the cost, so that an order's cost in fct_order_costs can
-- be traced to the activities, times and rates behind it.
--
-- A view: it only names and joins what int_activity_costs and fct_activity_rates hold, so
-- a build pays nothing for it; the serving snapshot stores it as a table, copied at every
-- publish, so it holds the numbers of each activity and no more: the order's customer,
-- channel and month are in fct_order_costs, the activity's family and department in
-- dim_activity.
{{ config(materialized='view') }}
{%- set rate_basis = var("rate_basis") %}
with

costs as (
    select * from {{ ref('int_activity_costs') }}
    where sales_order is not null
),

-- The rates the costs were computed with: the rate period of var('rate_basis').
rates as (
    select * from {{ ref('fct_activity_rates') }}
    where period_type = '{{ rate_basis }}'
)

select
    cast(costs.sales_order as varchar) as sales_order,
    cast(costs.activity_id as varchar) as activity_id,
    cast(costs.cost_driver as varchar) as cost_driver,
    cast(costs.driver_quantity as double) as driver_quantity,
    cast(costs.time_hours / nullif(costs.driver_quantity, 0) * 60 as double)
        as minutes_per_driver_unit,
    cast(costs.time_hours as double) as time_hours,
    cast(rates.applied_rate_per_hour as double) as applied_rate_per_hour,
    cast(costs.time_cost as double) as time_cost,
    cast(costs.non_pool_cost as double) as non_pool_cost,
    cast(costs.cost as double) as cost
from costs
left join rates
    on rates.activity_id = costs.activity_id
    and rates.period_start = cast({{ dbt.date_trunc(rate_basis, 'costs.period_month') }} as date)
