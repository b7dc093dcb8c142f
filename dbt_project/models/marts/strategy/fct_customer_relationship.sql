-- Relationship power per customer and customer group and year (seed 002): "who is the
-- customer for us" (its share of our net revenue and profit, its relative profitability,
-- its revenue against last year) against "who are we for the customer" (our share of its
-- purchases in our category and its switching cost, estimated by sales in the seed
-- customer_relationship_estimates). Quadrant thresholds are vars in dbt_project.yml; a
-- value at a threshold counts as high.
{%- set revenue_share_high = var('relationship_revenue_share_high') %}
{%- set purchase_share_high = var('relationship_purchase_share_high') %}
{%- set switching_cost_high = var('relationship_switching_cost_high') %}
with

members as (
    select
        'customer' as level, customer_id as member_id,
        coalesce(customer_name, customer_id) as member_name,
        period_start, net_revenue, net_profit
    from {{ ref('fct_customer_profitability') }}
    where period_type = 'year'
    union all
    select
        'customer_group', customer_group, customer_group_name,
        period_start, net_revenue, net_profit
    from {{ ref('fct_customer_group_profitability') }}
    where period_type = 'year'
),

estimates as (
    select * from {{ ref('customer_relationship_estimates') }}
),

shares as (
    select
        *,
        net_revenue / nullif(sum(net_revenue) over (partition by level, period_start), 0)
            as revenue_share,
        -- A share of profit means something only while the total profit is positive.
        case when sum(net_profit) over (partition by level, period_start) > 0
            then net_profit / sum(net_profit) over (partition by level, period_start)
        end as profit_share,
        net_profit / nullif(net_revenue, 0) as relative_profitability,
        lag(net_revenue) over (
            partition by level, member_id order by period_start
        ) as net_revenue_last_year,
        lag(period_start) over (
            partition by level, member_id order by period_start
        ) as last_period_start
    from members
),

rated as (
    select
        shares.*,
        estimates.share_of_customer_purchases,
        estimates.switching_cost,
        shares.revenue_share >= {{ revenue_share_high }} as is_important_to_us,
        case
            when estimates.share_of_customer_purchases is null and estimates.switching_cost is null
                then null
            else coalesce(estimates.share_of_customer_purchases >= {{ purchase_share_high }}, false)
                or coalesce(estimates.switching_cost >= {{ switching_cost_high }}, false)
        end as is_customer_dependent_on_us
    from shares
    left join estimates
        on estimates.level = shares.level
        and cast(estimates.member_id as varchar) = shares.member_id
        and estimates.year = year(shares.period_start)
)

select
    cast(level as varchar) as level,
    cast(member_id as varchar) as member_id,
    cast(member_name as varchar) as member_name,
    cast(period_start as date) as period_start,
    cast(net_revenue as double) as net_revenue,
    cast(net_profit as double) as net_profit,
    -- Shares rounded to 1e-10: doubles would print 0.3001 as 0.30010000000000003.
    cast(round(revenue_share, 10) as double) as revenue_share,
    cast(round(profit_share, 10) as double) as profit_share,
    cast(relative_profitability as double) as relative_profitability,
    cast(
        case when last_period_start = period_start - interval 1 year
            then net_revenue / nullif(net_revenue_last_year, 0) - 1
        end as double
    ) as revenue_change_on_last_year,
    cast(share_of_customer_purchases as double) as share_of_customer_purchases,
    cast(switching_cost as integer) as switching_cost,
    cast(is_important_to_us as boolean) as is_important_to_us,
    cast(is_customer_dependent_on_us as boolean) as is_customer_dependent_on_us,
    {{ power_quadrant('is_important_to_us', 'is_customer_dependent_on_us', 'customer') }}
        as quadrant
from rated
