-- The cost drivers summed over sales orders: per customer (or none), month, order channel,
-- driver and performing cost centre. The scenarios that give an activity another driver
-- or move orders to another channel cost the activity anew from these totals
-- (int_scenario_recosted_activities_by_month), without reading the orders again.
--
-- Incremental by month (macros/incremental.sql): the months int_cost_drivers rebuilt.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='period_month',
    on_schema_change='fail',
) }}
with

month_inputs as (
    {{ month_fingerprints(
        [build_ids_by_month(ref('int_cost_drivers'), 'period_month')],
        global_fingerprint(),
    ) }}
),

months_to_build as (
    {{ months_changed('month_inputs', 'period_month') }}
),

drivers as (
    select * from {{ ref('int_cost_drivers') }}
    where period_month in (select period_month from months_to_build)
),

summed as (
    select
        customer_id,
        customer_group,
        period_month,
        order_channel,
        cost_driver,
        performer_cost_centre,
        sum(quantity) as quantity,
        sum(expenses) as expenses
    from drivers
    group by all
)

select
    summed.*,
    month_inputs.inputs_fingerprint,
    '{{ invocation_id }}' as build_id
from summed
left join month_inputs using (period_month)
