-- Per scenario, customer and month: whether the scenario drops the customer, the change
-- of its prices, and the agent's commission rate when the scenario sets one. A target
-- `loss_making` means the customers whose actual net profit over the year is negative.
with

scenarios as (
    select scenario_id from {{ ref('scenarios') }}
),

overrides as (
    select * from {{ ref('int_scenario_overrides') }}
    where kind in ('price', 'drop_customers', 'commission_rate')
),

pnl as (
    select * from {{ ref('int_customer_pnl_by_month') }}
),

costs as (
    select * from {{ ref('int_activity_costs_by_month') }}
    where customer_id is not null
),

-- Net profit = net revenue - every cost the customer drew (the P&L's total cost).
years as (
    select
        customer_id,
        cast({{ dbt.date_trunc('year', 'period_month') }} as date) as year_start,
        sum(net_revenue) as net_revenue,
        0 as cost
    from pnl
    group by all
    union all
    select
        customer_id,
        cast({{ dbt.date_trunc('year', 'period_month') }} as date),
        0,
        sum(cost)
    from costs
    group by all
),

loss_makers as (
    select customer_id, year_start
    from years
    group by customer_id, year_start
    having sum(net_revenue) - sum(cost) < 0
),

customer_months as (
    select
        pnl.customer_id,
        pnl.customer_group,
        pnl.period_month,
        loss_makers.customer_id is not null as is_loss_making
    from pnl
    left join loss_makers
        on loss_makers.customer_id = pnl.customer_id
        and loss_makers.year_start
            = cast({{ dbt.date_trunc('year', 'pnl.period_month') }} as date)
),

matched as (
    select
        scenarios.scenario_id,
        customer_months.customer_id,
        customer_months.period_month,
        overrides.kind,
        overrides.value
    from scenarios
    cross join customer_months
    inner join overrides
        on overrides.scenario_id = scenarios.scenario_id
        and {{ scenario_member_matches('overrides', 'customer_months') }}
)

select
    scenarios.scenario_id,
    customer_months.customer_id,
    customer_months.customer_group,
    customer_months.period_month,
    customer_months.is_loss_making,
    coalesce(bool_or(matched.kind = 'drop_customers'), false) as is_dropped,
    -- Several price overrides on one customer add up.
    coalesce(sum(matched.value) filter (where matched.kind = 'price'), 0)
        as price_change_percent,
    max(matched.value) filter (where matched.kind = 'commission_rate') as commission_rate
from scenarios
cross join customer_months
left join matched
    on matched.scenario_id = scenarios.scenario_id
    and matched.customer_id = customer_months.customer_id
    and matched.period_month = customer_months.period_month
group by all
