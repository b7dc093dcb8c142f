-- Per period and activity: the department's pool and capacity, the rates, the cost of one
-- driver unit, the hours the activity used and the cost it assigned, with the department's
-- unused capacity beside them. Department columns repeat on each of its activities: sum
-- them per department, not per activity.
with

catalogue as (
    select * from {{ ref('activity_catalogue') }}
),

departments as (
    select * from {{ ref('int_department_utilisation') }}
),

usage_by_month as (
    select
        activity_id,
        period_month,
        driver_quantity,
        time_hours,
        case when customer_id is not null then cost else 0 end as assigned_cost,
        case when customer_id is null then cost else 0 end as unassigned_cost
    from {{ ref('int_activity_costs_by_month') }}
),

usage as (
    {{ months_and_years('usage_by_month', ['activity_id'],
                        ['driver_quantity', 'time_hours', 'assigned_cost', 'unassigned_cost']) }}
),

periods as (
    select distinct period_type, period_start from departments
    union
    select distinct period_type, period_start from usage
),

rates as (
    select * from {{ ref('int_activity_rates') }}
)

select
    cast(periods.period_type as varchar) as period_type,
    cast(periods.period_start as date) as period_start,
    cast(catalogue.activity_id as varchar) as activity_id,
    cast(catalogue.activity_name as varchar) as activity_name,
    cast(catalogue.department_cost_centre as varchar) as department_cost_centre,
    cast(departments.department_name as varchar) as department_name,
    cast(catalogue.cost_driver as varchar) as cost_driver,
    cast(catalogue.time_per_driver_unit as double) as time_per_driver_unit,
    cast(catalogue.time_unit as varchar) as time_unit,
    cast(departments.pool_cost as double) as department_cost_pool,
    cast(departments.capacity_hours as double) as department_capacity_hours,
    cast(rates.rate_per_hour as double) as rate_per_hour,
    cast(rates.rate_per_minute as double) as rate_per_minute,
    cast(rates.applied_rate_per_hour as double) as applied_rate_per_hour,
    cast(rates.applied_rate_per_minute as double) as applied_rate_per_minute,
    cast(
        case
            when catalogue.cost_method = 'external_rate' then catalogue.external_rate
            when catalogue.time_unit = 'minute'
                then catalogue.time_per_driver_unit * rates.applied_rate_per_minute
            else catalogue.time_per_driver_unit * rates.applied_rate_per_hour
        end as double
    ) as rate_per_driver_unit,
    cast(coalesce(usage.driver_quantity, 0) as double) as driver_quantity,
    cast(coalesce(usage.time_hours, 0) as double) as used_hours,
    cast(coalesce(usage.assigned_cost, 0) as double) as assigned_cost,
    cast(coalesce(usage.unassigned_cost, 0) as double) as unassigned_cost,
    cast(departments.unused_capacity_cost as double) as department_unused_capacity_cost
from periods
cross join catalogue
left join departments
    on departments.cost_centre = catalogue.department_cost_centre
    and departments.period_type = periods.period_type
    and departments.period_start = periods.period_start
left join rates
    on rates.cost_centre = catalogue.department_cost_centre
    and rates.period_type = periods.period_type
    and rates.period_start = periods.period_start
left join usage
    on usage.activity_id = catalogue.activity_id
    and usage.period_type = periods.period_type
    and usage.period_start = periods.period_start
