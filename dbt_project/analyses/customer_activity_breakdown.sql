-- One customer's cost-to-serve activity by activity in the latest year: driver quantity,
-- hours and cost, largest first. The customer is the one that costs the most to serve;
-- put another customer_id in `chosen` to look at yours.
with latest as (
    select max(period_start) as period_start
    from {{ ref('fct_customer_profitability') }}
    where period_type = 'year'
),

chosen as (
    select p.customer_id
    from {{ ref('fct_customer_profitability') }} as p
    join latest using (period_start)
    where p.period_type = 'year'
    order by p.cost_to_serve desc, p.customer_id
    limit 1
)

select
    c.customer_id,
    c.activity_family,
    c.activity_id,
    a.activity_name,
    c.cost_driver,
    c.driver_quantity,
    c.time_hours,
    c.cost
from {{ ref('fct_customer_activity_costs') }} as c
join latest using (period_start)
join chosen using (customer_id)
left join {{ ref('dim_activity') }} as a using (activity_id)
where c.period_type = 'year' and c.activity_family <> 'production'
order by c.cost desc, c.activity_id
