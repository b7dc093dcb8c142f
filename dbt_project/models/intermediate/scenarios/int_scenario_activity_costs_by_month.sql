-- The activity costs of int_activity_costs_by_month as each scenario changes them. The
-- costing rule that matters: pools and practical capacity stay unless a scenario changes
-- them (cost_pool, capacity_share), so time no longer spent on a customer (dropped, or a
-- shorter activity) is not saved: it stays in the department as unused capacity
-- (fct_scenario_activity_rates). What leaves with a dropped customer is its revenue,
-- production cost, outside costs and commission.
--
-- A row no override touches keeps its costs as they are, so the scenario `actual` has
-- exactly the costing's numbers.
{%- set rate_basis = var("rate_basis") %}
with

scenarios as (
    select scenario_id from {{ ref('scenarios') }}
),

costs as (
    select * from {{ ref('int_activity_costs_by_month') }}
),

customers as (
    select * from {{ ref('int_scenario_customers_by_month') }}
),

-- The time overrides as each row may match them: the most specific target wins
-- (customer, then group, then the loss-makers, then every customer).
times as (
    select
        overrides.*,
        {{ hours_from('overrides.value', 'overrides.unit') }} as hours_per_driver_unit,
        case overrides.member_type
            when 'customer' then 1 when 'group' then 2 when 'loss_making' then 3 else 4
        end as precedence
    from {{ ref('int_scenario_overrides') }} as overrides
    where overrides.kind = 'activity_time'
),

rates as (
    select * from {{ ref('int_scenario_rates') }}
    where period_type = '{{ rate_basis }}'
),

catalogue as (
    select * from {{ ref('activity_catalogue') }}
),

time_overrides as (
    select * from {{ ref('activity_time_overrides') }}
),

-- Commission rates as the costing applied them, to scale a commission to a new rate.
agreements as (
    select * from {{ ref('commission_agreements') }}
),

rows_in_scenarios as (
    select
        scenarios.scenario_id,
        costs.*,
        coalesce(customers.is_dropped, false) as is_dropped,
        coalesce(customers.price_change_percent, 0) as price_change_percent,
        customers.commission_rate as scenario_commission_rate,
        coalesce(customers.is_loss_making, false) as is_loss_making
    from scenarios
    cross join costs
    left join customers
        on customers.scenario_id = scenarios.scenario_id
        and customers.customer_id = costs.customer_id
        and customers.period_month = costs.period_month
),

-- The time override each row takes, if any.
chosen_times as (
    select
        rows_in_scenarios.scenario_id,
        rows_in_scenarios.customer_id,
        rows_in_scenarios.period_month,
        rows_in_scenarios.activity_id,
        arg_min(times.hours_per_driver_unit, times.precedence) as hours_per_driver_unit,
        arg_min(times.unit, times.precedence) as time_unit
    from rows_in_scenarios
    inner join times
        on times.scenario_id = rows_in_scenarios.scenario_id
        and times.activity_id = rows_in_scenarios.activity_id
        and {{ scenario_member_matches('times', 'rows_in_scenarios') }}
    where rows_in_scenarios.customer_id is not null
    group by all
),

with_time as (
    select
        rows_in_scenarios.*,
        chosen_times.hours_per_driver_unit as scenario_hours_per_driver_unit,
        chosen_times.time_unit as scenario_time_unit
    from rows_in_scenarios
    left join chosen_times
        on chosen_times.scenario_id = rows_in_scenarios.scenario_id
        and chosen_times.customer_id = rows_in_scenarios.customer_id
        and chosen_times.period_month = rows_in_scenarios.period_month
        and chosen_times.activity_id = rows_in_scenarios.activity_id
),

changed as (
    select
        with_time.*,
        case
            when is_dropped then 0
            -- Time only where the department performs the activity (hours of a traveller
            -- from elsewhere stay at none, as in the costing).
            when scenario_hours_per_driver_unit is not null and time_hours <> 0
                then cast(driver_quantity as double) * scenario_hours_per_driver_unit
            else time_hours
        end as scenario_time_hours,
        -- The unit the time is kept in (the scenario's, the group's override, the
        -- catalogue's): costs in minutes use the rate per minute, as in the costing.
        coalesce(scenario_time_unit, time_overrides.time_unit, catalogue.time_unit)
            as time_unit,
        rates.is_changed as is_rate_changed,
        rates.applied_rate_per_hour,
        rates.applied_rate_per_minute,
        agreements.commission_rate as actual_commission_rate
    from with_time
    left join catalogue
        on catalogue.activity_id = with_time.activity_id
    left join time_overrides
        on time_overrides.activity_id = with_time.activity_id
        and time_overrides.customer_group = with_time.customer_group
    left join rates
        on rates.scenario_id = with_time.scenario_id
        and rates.cost_centre = with_time.department_cost_centre
        and rates.period_start
            = cast({{ dbt.date_trunc(rate_basis, 'with_time.period_month') }} as date)
    left join agreements
        on with_time.cost_method = 'commission'
        and agreements.customer_group = with_time.customer_group
        and with_time.period_month between agreements.valid_from and agreements.valid_to
)

select
    scenario_id,
    customer_id,
    customer_group,
    period_month,
    activity_id,
    activity_family,
    department_cost_centre,
    cost_method,
    is_dropped,
    is_loss_making,
    case when is_dropped then 0 else driver_quantity end as driver_quantity,
    scenario_time_hours as time_hours,
    case
        when is_dropped then 0
        when scenario_time_hours = time_hours and not coalesce(is_rate_changed, false)
            then time_cost
        when time_unit = 'minute' then scenario_time_hours * 60 * applied_rate_per_minute
        else scenario_time_hours * applied_rate_per_hour
    end as time_cost,
    case
        when is_dropped then 0
        when cost_method = 'commission'
            and (price_change_percent <> 0 or scenario_commission_rate is not null)
            then non_pool_cost * (1 + price_change_percent / 100)
                * coalesce(scenario_commission_rate / nullif(actual_commission_rate, 0), 1)
        else non_pool_cost
    end as non_pool_cost
from changed
