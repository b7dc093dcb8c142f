-- The activities of int_activity_costs_by_month per scenario, with the driver quantity,
-- hours and outside cost each scenario gives; the rates come after
-- (int_scenario_activity_costs_by_month), since a scenario that releases capacity sets its
-- rates from the hours here. The costing rule that matters: time no longer spent on a
-- customer (dropped, or a shorter activity) is not saved: it stays in the department as
-- unused capacity unless the scenario releases it. What leaves with a dropped customer is
-- its revenue, production cost, outside costs and commission.
--
-- A row no override touches keeps its numbers as they are (is_changed false), so the
-- scenario `actual` has exactly the costing's.
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

recosted as (
    select * from {{ ref('int_scenario_recosted_activities_by_month') }}
),

catalogue as (
    select * from {{ ref('activity_catalogue') }}
),

time_overrides as (
    select * from {{ ref('activity_time_overrides') }}
),

-- The costing's rows, but those a driver or channel override costs anew.
rows_in_scenarios as (
    select
        scenarios.scenario_id,
        costs.customer_id,
        costs.customer_group,
        costs.period_month,
        costs.activity_id,
        costs.activity_family,
        costs.department_cost_centre,
        costs.cost_method,
        costs.driver_quantity,
        costs.time_hours,
        costs.time_cost,
        costs.non_pool_cost,
        coalesce(time_overrides.time_unit, catalogue.time_unit) as time_unit,
        false as is_recosted
    from scenarios
    cross join costs
    left join catalogue
        on catalogue.activity_id = costs.activity_id
    left join time_overrides
        on time_overrides.activity_id = costs.activity_id
        and time_overrides.customer_group = costs.customer_group
    where not exists (
        select 1 from recosted
        where recosted.scenario_id = scenarios.scenario_id
            and recosted.customer_id = costs.customer_id
            and recosted.period_month = costs.period_month
            and recosted.activity_id = costs.activity_id
    )
    union all
    select
        scenario_id,
        customer_id,
        customer_group,
        period_month,
        activity_id,
        activity_family,
        department_cost_centre,
        cost_method,
        driver_quantity,
        time_hours,
        cast(null as {{ money_type() }}) as time_cost,
        non_pool_cost,
        time_unit,
        true as is_recosted
    from recosted
    -- An activity whose drivers all moved away is none, not a row of zeros.
    where driver_quantity <> 0 or non_pool_cost <> 0
),

with_customers as (
    select
        rows_in_scenarios.*,
        coalesce(customers.is_dropped, false) as is_dropped,
        coalesce(customers.price_change_percent, 0) as price_change_percent,
        customers.commission_rate as scenario_commission_rate,
        coalesce(customers.is_loss_making, false) as is_loss_making
    from rows_in_scenarios
    left join customers
        on customers.scenario_id = rows_in_scenarios.scenario_id
        and customers.customer_id = rows_in_scenarios.customer_id
        and customers.period_month = rows_in_scenarios.period_month
),

-- The time overrides as each row may match them: the most specific target wins.
times as (
    select
        overrides.*,
        {{ hours_from('overrides.value', 'overrides.unit') }} as hours_per_driver_unit,
        {{ scenario_member_precedence('overrides') }} as precedence
    from {{ ref('int_scenario_overrides') }} as overrides
    where overrides.kind = 'activity_time'
),

chosen_times as (
    select
        with_customers.scenario_id,
        with_customers.customer_id,
        with_customers.period_month,
        with_customers.activity_id,
        arg_min(times.hours_per_driver_unit, times.precedence) as hours_per_driver_unit,
        arg_min(times.unit, times.precedence) as time_unit
    from with_customers
    inner join times
        on times.scenario_id = with_customers.scenario_id
        and times.activity_id = with_customers.activity_id
        and {{ scenario_member_matches('times', 'with_customers') }}
    where with_customers.customer_id is not null
    group by all
),

-- Commission rates as the costing applied them, to scale a commission to a new rate.
agreements as (
    select * from {{ ref('commission_agreements') }}
),

changed as (
    select
        with_customers.*,
        case
            when with_customers.is_dropped then 0
            -- Time only where the department performs the activity (hours of a traveller
            -- from elsewhere stay at none, as in the costing).
            when chosen_times.hours_per_driver_unit is not null and with_customers.time_hours <> 0
                then cast(with_customers.driver_quantity as double) * chosen_times.hours_per_driver_unit
            else with_customers.time_hours
        end as scenario_time_hours,
        -- Costs in minutes use the rate per minute, as in the costing.
        coalesce(chosen_times.time_unit, with_customers.time_unit) as scenario_time_unit,
        agreements.commission_rate as actual_commission_rate
    from with_customers
    left join chosen_times
        on chosen_times.scenario_id = with_customers.scenario_id
        and chosen_times.customer_id = with_customers.customer_id
        and chosen_times.period_month = with_customers.period_month
        and chosen_times.activity_id = with_customers.activity_id
    left join agreements
        on with_customers.cost_method = 'commission'
        and agreements.customer_group = with_customers.customer_group
        and with_customers.period_month between agreements.valid_from and agreements.valid_to
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
    is_recosted or is_dropped or scenario_time_hours <> time_hours as is_time_changed,
    case when is_dropped then 0 else driver_quantity end as driver_quantity,
    scenario_time_hours as time_hours,
    scenario_time_unit as time_unit,
    -- The costing's time cost, for a row whose hours stay (NULL where recosted).
    time_cost as actual_time_cost,
    case
        when is_dropped then 0
        when cost_method = 'commission'
            and (price_change_percent <> 0 or scenario_commission_rate is not null)
            then non_pool_cost * (1 + price_change_percent / 100)
                * coalesce(scenario_commission_rate / nullif(actual_commission_rate, 0), 1)
        else non_pool_cost
    end as non_pool_cost
from changed
