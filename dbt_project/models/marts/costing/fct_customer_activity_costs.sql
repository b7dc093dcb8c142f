-- What each customer consumed of each activity, per month and year: the driver quantity,
-- the internal time it took and its cost.
with

costs as (
    select * from {{ ref('int_activity_costs_by_month') }}
    where customer_id is not null
),

periods as (
    {{ months_and_years('costs',
        ['customer_id', 'customer_group', 'activity_id', 'activity_family',
         'cost_hierarchy_level', 'cost_driver'],
        ['driver_quantity', 'time_hours', 'time_cost', 'non_pool_cost', 'cost']) }}
)

select
    cast(period_type as varchar) as period_type,
    cast(period_start as date) as period_start,
    cast(customer_id as varchar) as customer_id,
    cast(customer_group as varchar) as customer_group,
    cast(activity_id as varchar) as activity_id,
    cast(activity_family as varchar) as activity_family,
    cast(cost_hierarchy_level as varchar) as cost_hierarchy_level,
    cast(cost_driver as varchar) as cost_driver,
    cast(driver_quantity as double) as driver_quantity,
    cast(time_hours as double) as time_hours,
    cast(time_cost as double) as time_cost,
    cast(non_pool_cost as double) as non_pool_cost,
    cast(cost as double) as cost
from periods
