-- Per department and period: the pool, its practical capacity, the time the activities
-- used, the cost assigned to customers, the cost of used time without a customer, and the
-- cost of unused capacity - the rest of the pool, never spread over customers.
with

rates as (
    select * from {{ ref('int_activity_rates') }}
),

usage_by_month as (
    select
        department_cost_centre as cost_centre,
        period_month,
        time_hours as used_hours,
        case when customer_id is not null then time_cost else 0 end as assigned_cost,
        case when customer_id is null then time_cost else 0 end as unassigned_cost
    from {{ ref('int_activity_costs_by_month') }}
    where department_cost_centre is not null
),

usage as (
    {{ months_and_years('usage_by_month', ['cost_centre'],
                        ['used_hours', 'assigned_cost', 'unassigned_cost']) }}
)

select
    rates.period_type,
    rates.period_start,
    rates.cost_centre,
    rates.department_name,
    rates.pool_cost,
    rates.capacity_hours,
    rates.rate_per_hour,
    coalesce(usage.used_hours, 0) as used_hours,
    rates.capacity_hours - coalesce(usage.used_hours, 0) as unused_hours,
    coalesce(usage.assigned_cost, 0) as assigned_cost,
    coalesce(usage.unassigned_cost, 0) as unassigned_cost,
    rates.pool_cost - coalesce(usage.assigned_cost, 0) - coalesce(usage.unassigned_cost, 0)
        as unused_capacity_cost,
    coalesce(usage.used_hours, 0) / nullif(rates.capacity_hours, 0) as utilisation
from rates
left join usage
    on usage.cost_centre = rates.cost_centre
    and usage.period_type = rates.period_type
    and usage.period_start = rates.period_start
