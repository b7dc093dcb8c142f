-- Each department's practical capacity, what customers and other work used of it and
-- the cost of what nobody used, per month: shown, never charged to customers.
select
    period_start as month,
    cost_centre,
    department_name,
    pool_cost,
    capacity_hours,
    used_hours,
    utilisation,
    unused_capacity_cost
from {{ ref('fct_unused_capacity') }}
where period_type = 'month'
order by month, cost_centre
