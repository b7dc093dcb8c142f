-- Per scenario, period and department: the pool, the practical capacity and the rates the
-- department's activities are costed at, the hours used, the cost assigned to customers,
-- the cost of used time without a customer and the cost of unused capacity. A scenario
-- that drops customers or shortens an activity leaves pool and rate as they are and shows
-- the time freed here, as unused capacity. pool_cost = assigned_cost + unassigned_cost +
-- unused_capacity_cost.
with

rates as (
    select * from {{ ref('int_scenario_rates') }}
),

usage_by_month as (
    select
        scenario_id,
        department_cost_centre as cost_centre,
        period_month,
        time_hours as used_hours,
        case when customer_id is not null then time_cost else 0 end as assigned_cost,
        case when customer_id is null then time_cost else 0 end as unassigned_cost
    from {{ ref('int_scenario_activity_costs_by_month') }}
    where department_cost_centre is not null
),

usage as (
    {{ months_and_years('usage_by_month', ['scenario_id', 'cost_centre'],
                        ['used_hours', 'assigned_cost', 'unassigned_cost']) }}
)

select
    cast(rates.scenario_id as varchar) as scenario_id,
    cast(rates.period_type as varchar) as period_type,
    cast(rates.period_start as date) as period_start,
    cast(rates.cost_centre as varchar) as cost_centre,
    cast(rates.department_name as varchar) as department_name,
    cast(rates.pool_cost as double) as pool_cost,
    cast(rates.capacity_hours as double) as capacity_hours,
    cast(rates.rate_per_hour as double) as rate_per_hour,
    cast(rates.applied_rate_per_hour as double) as applied_rate_per_hour,
    cast(rates.applied_rate_per_minute as double) as applied_rate_per_minute,
    cast(coalesce(usage.used_hours, 0) as double) as used_hours,
    cast(rates.capacity_hours - coalesce(usage.used_hours, 0) as double) as unused_hours,
    cast(coalesce(usage.used_hours, 0) / nullif(rates.capacity_hours, 0) as double)
        as utilisation,
    cast(coalesce(usage.assigned_cost, 0) as double) as assigned_cost,
    cast(coalesce(usage.unassigned_cost, 0) as double) as unassigned_cost,
    cast(rates.pool_cost - coalesce(usage.assigned_cost, 0) - coalesce(usage.unassigned_cost, 0)
        as double) as unused_capacity_cost
from rates
left join usage
    on usage.scenario_id = rates.scenario_id
    and usage.cost_centre = rates.cost_centre
    and usage.period_type = rates.period_type
    and usage.period_start = rates.period_start
