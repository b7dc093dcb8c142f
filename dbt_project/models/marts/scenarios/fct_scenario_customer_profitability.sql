-- The customer P&L of fct_customer_profitability per scenario: the same columns, with the
-- revenue, costs and profit each scenario gives. A dropped customer keeps its row, with
-- is_dropped and every amount at zero, so that its change shows in
-- fct_scenario_comparison.
{%- set families = pnl_activity_families() %}
{%- set measures = ['gross_revenue', 'net_revenue', 'production_cost']
    + pnl_family_cost_columns() + ['other_activity_cost', 'dropped_months'] %}
with

customers_by_month as (
    select * from {{ ref('int_scenario_customers_by_month') }}
),

revenue as (
    select
        customers_by_month.scenario_id,
        pnl.customer_id,
        pnl.customer_group,
        pnl.period_month,
        case
            when customers_by_month.is_dropped then 0
            when customers_by_month.price_change_percent = 0 then pnl.gross_revenue
            else pnl.gross_revenue * (1 + customers_by_month.price_change_percent / 100)
        end as gross_revenue,
        case
            when customers_by_month.is_dropped then 0
            when customers_by_month.price_change_percent = 0 then pnl.net_revenue
            else pnl.net_revenue * (1 + customers_by_month.price_change_percent / 100)
        end as net_revenue,
        case when customers_by_month.is_dropped then 1 else 0 end as dropped_months
    from {{ ref('int_customer_pnl_by_month') }} as pnl
    inner join customers_by_month
        on customers_by_month.customer_id = pnl.customer_id
        and customers_by_month.period_month = pnl.period_month
),

costs as (
    select
        scenario_id,
        customer_id,
        period_month,
        sum(case when activity_family = 'production' then time_cost + non_pool_cost else 0 end)
            as production_cost,
        {% for family in families %}
        sum(case when activity_family = '{{ family }}' then time_cost + non_pool_cost else 0 end)
            as {{ family }}_cost,
        {% endfor %}
        sum(case when activity_family not in ('production', '{{ families | join("', '") }}')
            then time_cost + non_pool_cost else 0 end) as other_activity_cost
    from {{ ref('int_scenario_activity_costs_by_month') }}
    where customer_id is not null
    group by scenario_id, customer_id, period_month
),

pnl_by_month as (
    select
        revenue.scenario_id,
        revenue.customer_id,
        revenue.customer_group,
        revenue.period_month,
        revenue.gross_revenue,
        revenue.net_revenue,
        revenue.dropped_months,
        coalesce(costs.production_cost, 0) as production_cost,
        {% for family in families %}
        coalesce(costs.{{ family }}_cost, 0) as {{ family }}_cost,
        {% endfor %}
        coalesce(costs.other_activity_cost, 0) as other_activity_cost
    from revenue
    left join costs
        on costs.scenario_id = revenue.scenario_id
        and costs.customer_id = revenue.customer_id
        and costs.period_month = revenue.period_month
),

periods as (
    {{ months_and_years('pnl_by_month', ['scenario_id', 'customer_id', 'customer_group'],
                        measures) }}
),

customers as (
    select * from {{ ref('dim_customer') }}
)

select
    cast(periods.scenario_id as varchar) as scenario_id,
    cast(periods.period_type as varchar) as period_type,
    cast(periods.period_start as date) as period_start,
    cast(periods.customer_id as varchar) as customer_id,
    cast(customers.customer_name as varchar) as customer_name,
    cast(periods.customer_group as varchar) as customer_group,
    cast(customers.customer_group_name as varchar) as customer_group_name,
    cast(periods.dropped_months > 0 as boolean) as is_dropped,
    {{ pnl_amounts('periods') }}
from periods
left join customers on customers.customer_id = periods.customer_id
