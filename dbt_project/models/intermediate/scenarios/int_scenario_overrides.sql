-- The overrides of seed scenario_overrides, one row each, with their target taken apart:
--   activity_time    target <activity>[/group:<G> | /customer:<C> | /loss_making], value a
--                    time in `unit` (minute or hour): the time one driver unit takes
--   cost_driver      target as for activity_time, value the driver the activity is
--                    counted by instead (order, order_line, shipment, ...); the time per
--                    unit stays the activity's unless an activity_time row changes it too
--   order_channel    target <channel or *>[/group:<G> | ...], value the channel those
--                    orders are placed in instead (EDI, PLAN, MAN): the channel's own
--                    order-handling activities apply to them
--   price            target * | loss_making | group:<G> | customer:<C>, value a change in
--                    percent of gross and net revenue
--   drop_customers   target as for price: those customers are gone
--   commission_rate  target group:<G>, value the agent's rate (a share of net revenue)
--   capacity_share   target * | <cost centre>, value the practical-capacity share of paid
--                    hours (replacing seed capacity_settings')
--   cost_pool        target <cost centre>, value a change of the pool in percent (unit
--                    percent) or in NOK a year (unit NOK, spread evenly over the months)
--   release_capacity target * | <cost centre>, no value: the department sheds the hours
--                    the scenario frees (and takes on those it adds), with their cost at
--                    its rate, so its rate and its unused capacity stay as they were
-- A row that does not read this way stops the build (tests/scenario_overrides_are_understood.sql).
with

overrides as (
    select * from {{ ref('scenario_overrides') }}
),

parts as (
    select
        scenario_id,
        kind,
        target,
        nullif(trim(value), '') as value_text,
        unit,
        case when kind in ('activity_time', 'cost_driver') then split_part(target, '/', 1)
        end as activity_id,
        case when kind = 'order_channel' then split_part(target, '/', 1) end as from_channel,
        case when kind in ('activity_time', 'cost_driver', 'order_channel')
                then nullif(split_part(target, '/', 2), '')
            when kind in ('price', 'drop_customers', 'commission_rate') then target
        end as member,
        case when kind in ('capacity_share', 'cost_pool', 'release_capacity') then target
        end as cost_centre
    from overrides
),

catalogue as (
    select * from {{ ref('activity_catalogue') }}
),

channels as (
    select distinct applies_to_channel as order_channel from catalogue
    where applies_to_channel is not null
),

known_drivers as (
    {% for driver in built_in_cost_drivers() -%}
    select '{{ driver }}' as cost_driver union
    {% endfor -%}
    select cost_driver from {{ ref('sap_cost_driver_codes') }}
)

select
    parts.scenario_id,
    parts.kind,
    parts.target,
    try_cast(parts.value_text as double) as value,
    parts.value_text,
    parts.unit,
    parts.scenario_id in (select scenario_id from {{ ref('scenarios') }}) as is_known_scenario,
    parts.activity_id,
    parts.activity_id in (select activity_id from catalogue) as is_known_activity,
    parts.activity_id in (
        select activity_id from catalogue where cost_method in {{ time_driven_cost_methods() }}
    ) as is_time_driven_activity,
    parts.kind = 'cost_driver'
        and parts.value_text in (select cost_driver from known_drivers) as is_known_driver,
    parts.from_channel,
    parts.kind = 'order_channel'
        and parts.value_text in (select order_channel from channels) as is_known_channel,
    parts.kind = 'order_channel'
        and (parts.from_channel = '*' or parts.from_channel in (select order_channel from channels))
        as is_known_from_channel,
    parts.member,
    case
        when parts.member is null or parts.member = '*' then 'all'
        when parts.member = 'loss_making' then 'loss_making'
        when parts.member like 'group:%' then 'group'
        when parts.member like 'customer:%' then 'customer'
    end as member_type,
    case when parts.member like 'group:%' or parts.member like 'customer:%'
        then split_part(parts.member, ':', 2) end as member_id,
    parts.cost_centre,
    parts.cost_centre in (select cost_centre from {{ ref('departments') }})
        as is_known_cost_centre
from parts
