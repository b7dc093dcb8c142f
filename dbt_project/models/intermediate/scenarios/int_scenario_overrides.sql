-- The overrides of seed scenario_overrides, one row each, with their target taken apart:
--   activity_time   target <activity>[/group:<G> | /customer:<C>], value a time in `unit`
--                   (minute or hour): the time one driver unit of the activity takes
--   price           target * | loss_making | group:<G> | customer:<C>, value a change in
--                   percent of gross and net revenue
--   drop_customers  target as for price: those customers are gone
--   commission_rate target group:<G>, value the agent's rate (a share of net revenue)
--   capacity_share  target * | <cost centre>, value the practical-capacity share of paid
--                   hours (replacing seed capacity_settings')
--   cost_pool       target <cost centre>, value a change of the pool in percent (unit
--                   percent) or in NOK a year (unit NOK, spread evenly over the months)
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
        cast(value as double) as value,
        unit,
        case when kind = 'activity_time' then split_part(target, '/', 1) end as activity_id,
        case when kind = 'activity_time' then nullif(split_part(target, '/', 2), '')
            when kind in ('price', 'drop_customers', 'commission_rate') then target
        end as member,
        case when kind in ('capacity_share', 'cost_pool') then target end as cost_centre
    from overrides
)

select
    scenario_id,
    kind,
    target,
    value,
    unit,
    scenario_id in (select scenario_id from {{ ref('scenarios') }}) as is_known_scenario,
    activity_id,
    activity_id in (select activity_id from {{ ref('activity_catalogue') }})
        as is_known_activity,
    member,
    case
        when member is null or member = '*' then 'all'
        when member = 'loss_making' then 'loss_making'
        when member like 'group:%' then 'group'
        when member like 'customer:%' then 'customer'
    end as member_type,
    case when member like 'group:%' or member like 'customer:%'
        then split_part(member, ':', 2) end as member_id,
    cost_centre,
    cost_centre in (select cost_centre from {{ ref('departments') }}) as is_known_cost_centre
from parts
