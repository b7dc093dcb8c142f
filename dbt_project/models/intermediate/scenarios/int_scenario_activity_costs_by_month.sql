-- The activity costs of int_activity_costs_by_month as each scenario changes them: the
-- hours and outside costs of int_scenario_activity_time_by_month at the scenario's rates
-- (int_scenario_rates). Pools and practical capacity stay unless a scenario changes or
-- releases them, so time no longer spent on a customer shows as unused capacity
-- (fct_scenario_activity_rates).
--
-- A row whose hours and rate stay keeps the costing's time cost as it is, so the scenario
-- `actual` has exactly the costing's numbers.
{%- set rate_basis = var("rate_basis") %}
with

activities as (
    select * from {{ ref('int_scenario_activity_time_by_month') }}
),

rates as (
    select * from {{ ref('int_scenario_rates') }}
    where period_type = '{{ rate_basis }}'
)

select
    activities.scenario_id,
    activities.customer_id,
    activities.customer_group,
    activities.period_month,
    activities.activity_id,
    activities.activity_family,
    activities.department_cost_centre,
    activities.cost_method,
    activities.is_dropped,
    activities.is_loss_making,
    activities.driver_quantity,
    activities.time_hours,
    case
        when activities.is_dropped then 0
        when not activities.is_time_changed and not coalesce(rates.is_changed, false)
            then activities.actual_time_cost
        when activities.time_hours = 0 then 0
        when activities.time_unit = 'minute'
            then activities.time_hours * 60 * rates.applied_rate_per_minute
        else activities.time_hours * rates.applied_rate_per_hour
    end as time_cost,
    activities.non_pool_cost
from activities
left join rates
    on rates.scenario_id = activities.scenario_id
    and rates.cost_centre = activities.department_cost_centre
    and rates.period_start
        = cast({{ dbt.date_trunc(rate_basis, 'activities.period_month') }} as date)
