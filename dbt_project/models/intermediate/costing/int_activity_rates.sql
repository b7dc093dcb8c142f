-- Department rates per month and per year: cost pool / practical capacity. The year row
-- uses the year's pool over the year's capacity (what the reference company did); the
-- applied rates are rounded only when var('rate_rounding_decimals') is set.
with

pools as (
    select * from {{ ref('int_cost_pools_by_month') }}
),

capacity as (
    select * from {{ ref('int_department_capacity_by_month') }}
),

monthly as (
    select
        pools.cost_centre,
        pools.department_name,
        pools.period_month,
        pools.pool_cost,
        coalesce(capacity.capacity_hours, 0) as capacity_hours,
        coalesce(capacity.fte, 0) as fte,
        1 as months
    from pools
    left join capacity
        on capacity.cost_centre = pools.cost_centre
        and capacity.period_month = pools.period_month
),

periods as (
    {{ months_and_years('monthly', ['cost_centre', 'department_name'],
                        ['pool_cost', 'capacity_hours', 'fte', 'months']) }}
),

rates as (
    select
        period_type,
        period_start,
        cost_centre,
        department_name,
        pool_cost,
        capacity_hours,
        fte / months as average_fte,
        pool_cost / nullif(capacity_hours, 0) as rate_per_hour,
        pool_cost / nullif(capacity_hours * 60, 0) as rate_per_minute
    from periods
)

select
    *,
    {{ applied_rate('rate_per_hour') }} as applied_rate_per_hour,
    {{ applied_rate('rate_per_minute') }} as applied_rate_per_minute
from rates
