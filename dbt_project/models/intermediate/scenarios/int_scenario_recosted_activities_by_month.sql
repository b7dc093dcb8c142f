-- The activities a scenario's cost_driver and order_channel overrides cost anew, per
-- scenario, customer, month and activity: the customer's driver totals (orders moved to
-- their new channel) times the activity's time per unit as the costing has it (the
-- catalogue, or the customer group's override), counted by the scenario's driver. One
-- row for every activity recosted, also when it ends at nothing (a channel's
-- order-handling activity once its orders moved away): each replaces the costing's row of
-- that key. Hours only; int_scenario_activity_time_by_month applies the scenario's time
-- overrides on top, int_scenario_activity_costs_by_month the rates.
with

overrides as (
    select
        overrides.*,
        {{ scenario_member_precedence('overrides') }} as precedence
    from {{ ref('int_scenario_overrides') }} as overrides
    where overrides.kind in ('cost_driver', 'order_channel')
),

drivers as (
    select * from {{ ref('int_cost_driver_totals_by_month') }}
    where customer_id is not null
),

-- Whether the customer's actual year was a loss (target loss_making).
loss_makers as (
    select distinct customer_id, period_month, is_loss_making
    from {{ ref('int_scenario_customers_by_month') }}
),

members as (
    select distinct
        drivers.customer_id,
        drivers.customer_group,
        drivers.period_month,
        coalesce(loss_makers.is_loss_making, false) as is_loss_making
    from drivers
    left join loss_makers
        on loss_makers.customer_id = drivers.customer_id
        and loss_makers.period_month = drivers.period_month
),

matched as (
    select
        overrides.scenario_id,
        overrides.kind,
        overrides.activity_id,
        overrides.from_channel,
        overrides.value_text,
        overrides.precedence,
        members.customer_id,
        members.customer_group,
        members.period_month
    from overrides
    inner join members
        on {{ scenario_member_matches('overrides', 'members') }}
),

-- The driver each activity is counted by, where an override names one.
new_drivers as (
    select
        scenario_id, customer_id, period_month, activity_id,
        arg_min(value_text, precedence) as cost_driver
    from matched
    where kind = 'cost_driver'
    group by all
),

channels as (
    select distinct customer_id, period_month, order_channel
    from drivers
    where order_channel is not null
),

-- Where the orders of each channel go: the most specific member first, then a named
-- channel before '*'.
new_channels as (
    select
        matched.scenario_id,
        matched.customer_id,
        matched.period_month,
        channels.order_channel as from_channel,
        arg_min(
            matched.value_text,
            matched.precedence * 2 + case when matched.from_channel = '*' then 1 else 0 end
        ) as order_channel
    from matched
    inner join channels
        on channels.customer_id = matched.customer_id
        and channels.period_month = matched.period_month
        and matched.from_channel in ('*', channels.order_channel)
    where matched.kind = 'order_channel'
    group by all
),

catalogue as (
    select * from {{ ref('activity_catalogue') }}
),

-- The keys recosted: the activity a driver override names; every channel's
-- order-handling activity for a customer whose orders move.
recosted_keys as (
    select distinct
        matched.scenario_id,
        matched.customer_id,
        matched.customer_group,
        matched.period_month,
        case when matched.kind = 'cost_driver' then matched.activity_id
            else catalogue.activity_id end as activity_id
    from matched
    left join catalogue
        on matched.kind = 'order_channel' and catalogue.applies_to_channel is not null
    where matched.kind = 'cost_driver'
        or (matched.kind = 'order_channel'
            and exists (
                select 1 from new_channels
                where new_channels.scenario_id = matched.scenario_id
                    and new_channels.customer_id = matched.customer_id
                    and new_channels.period_month = matched.period_month
            ))
),

-- The customer's drivers in the scenario: its orders and order lines in their new channel.
scenario_drivers as (
    select
        customers.scenario_id,
        drivers.customer_id,
        drivers.period_month,
        coalesce(new_channels.order_channel, drivers.order_channel) as order_channel,
        drivers.cost_driver,
        drivers.performer_cost_centre,
        drivers.quantity,
        drivers.expenses
    from (select distinct scenario_id, customer_id, period_month from recosted_keys) as customers
    inner join drivers
        on drivers.customer_id = customers.customer_id
        and drivers.period_month = customers.period_month
    left join new_channels
        on new_channels.scenario_id = customers.scenario_id
        and new_channels.customer_id = drivers.customer_id
        and new_channels.period_month = drivers.period_month
        and new_channels.from_channel = drivers.order_channel
),

groups as (
    select distinct customer_group from recosted_keys
),

effective_activities as (
    {{ effective_activities('groups') }}
),

activities as (
    select
        recosted_keys.*,
        effective_activities.activity_family,
        effective_activities.department_cost_centre,
        effective_activities.cost_hierarchy_level,
        effective_activities.cost_method,
        effective_activities.external_rate,
        effective_activities.applies_to_channel,
        coalesce(new_drivers.cost_driver, effective_activities.cost_driver) as cost_driver,
        effective_activities.time_per_driver_unit,
        effective_activities.time_unit
    from recosted_keys
    -- An activity the group does not have (excluded, or for other groups) stays at none.
    inner join effective_activities
        on effective_activities.customer_group = recosted_keys.customer_group
        and effective_activities.activity_id = recosted_keys.activity_id
    left join new_drivers
        on new_drivers.scenario_id = recosted_keys.scenario_id
        and new_drivers.customer_id = recosted_keys.customer_id
        and new_drivers.period_month = recosted_keys.period_month
        and new_drivers.activity_id = recosted_keys.activity_id
)

-- As int_activity_costs costs a driver row: time only where the department performs the
-- activity, an outside rate per unit, a visit's expenses.
select
    activities.scenario_id,
    activities.customer_id,
    activities.customer_group,
    activities.period_month,
    activities.activity_id,
    activities.activity_family,
    activities.department_cost_centre,
    activities.cost_hierarchy_level,
    activities.cost_driver,
    activities.cost_method,
    activities.time_unit,
    coalesce(sum(scenario_drivers.quantity), 0) as driver_quantity,
    coalesce(sum(
        case
            when activities.cost_method = 'external_rate' then 0
            when scenario_drivers.performer_cost_centre is not null
                and scenario_drivers.performer_cost_centre <> activities.department_cost_centre
                then 0
            else scenario_drivers.quantity
                * {{ hours_from('activities.time_per_driver_unit', 'activities.time_unit') }}
        end
    ), 0) as time_hours,
    coalesce(sum(
        case activities.cost_method
            when 'external_rate' then scenario_drivers.quantity * activities.external_rate
            when 'time_and_expenses' then scenario_drivers.expenses
            else 0
        end
    ), 0) as non_pool_cost
from activities
left join scenario_drivers
    on scenario_drivers.scenario_id = activities.scenario_id
    and scenario_drivers.customer_id = activities.customer_id
    and scenario_drivers.period_month = activities.period_month
    and scenario_drivers.cost_driver = activities.cost_driver
    and (activities.applies_to_channel is null
         or activities.applies_to_channel = scenario_drivers.order_channel)
group by all
