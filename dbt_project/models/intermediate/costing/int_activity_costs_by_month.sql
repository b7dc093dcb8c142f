-- The activity costs summed over sales orders: per customer (or none), month and activity.
-- int_activity_costs holds a row per order and activity (12.6 million at 10 million
-- billing lines); the marts and the capacity figures need only this grain (thousands),
-- so they read it here instead of rescanning the detail on every build.
--
-- Incremental by month (macros/incremental.sql): the months int_activity_costs rebuilt.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='period_month',
    on_schema_change='fail',
) }}
with

month_inputs as (
    {{ month_fingerprints(
        [build_ids_by_month(ref('int_activity_costs'), 'period_month')],
        global_fingerprint(),
    ) }}
),

months_to_build as (
    {{ months_changed('month_inputs', 'period_month') }}
),

costs as (
    select * from {{ ref('int_activity_costs') }}
    where period_month in (select period_month from months_to_build)
),

summed as (
    select
        customer_id,
        customer_group,
        period_month,
        activity_id,
        activity_family,
        department_cost_centre,
        cost_hierarchy_level,
        cost_driver,
        cost_method,
        sum(driver_quantity) as driver_quantity,
        sum(time_hours) as time_hours,
        sum(time_cost) as time_cost,
        sum(non_pool_cost) as non_pool_cost,
        sum(cost) as cost
    from costs
    group by all
)

select
    summed.*,
    month_inputs.inputs_fingerprint,
    '{{ invocation_id }}' as build_id
from summed
left join month_inputs using (period_month)
