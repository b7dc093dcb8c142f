-- Per department and period: what the pool paid for, what customers used, what was used
-- without a customer, and the cost of the capacity nobody used. Company-level: never
-- spread over customers. pool_cost = assigned_cost + unassigned_cost + unused_capacity_cost.
select
    cast(period_type as varchar) as period_type,
    cast(period_start as date) as period_start,
    cast(cost_centre as varchar) as cost_centre,
    cast(department_name as varchar) as department_name,
    cast(pool_cost as double) as pool_cost,
    cast(capacity_hours as double) as capacity_hours,
    cast(used_hours as double) as used_hours,
    cast(unused_hours as double) as unused_hours,
    cast(utilisation as double) as utilisation,
    cast(assigned_cost as double) as assigned_cost,
    cast(unassigned_cost as double) as unassigned_cost,
    cast(unused_capacity_cost as double) as unused_capacity_cost
from {{ ref('int_department_utilisation') }}
