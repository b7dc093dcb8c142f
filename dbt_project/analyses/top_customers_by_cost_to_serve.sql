-- The 20 customers that cost the most to serve in the latest year, with what they bring
-- in and keep: where cost-to-serve eats the margin.
with latest as (
    select max(period_start) as period_start
    from {{ ref('fct_customer_profitability') }}
    where period_type = 'year'
)

select
    p.customer_id,
    p.customer_name,
    p.customer_group_name,
    p.net_revenue,
    p.cost_to_serve,
    p.cost_to_serve / nullif(p.net_revenue, 0) as cost_to_serve_share,
    p.net_profit,
    p.relative_profitability
from {{ ref('fct_customer_profitability') }} as p
join latest using (period_start)
where p.period_type = 'year'
order by p.cost_to_serve desc, p.customer_id
limit 20
