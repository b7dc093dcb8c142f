-- Every scenario override reads as its kind says (models/intermediate/scenarios/
-- int_scenario_overrides.sql), names a scenario of seed scenarios, and targets an activity
-- or department that exists: a row that does not would be a scenario silently equal to
-- the actual one. It reads int_scenario_overrides alone, so that Dagster runs it as that
-- model's check (the lookups are columns of the model).
with

overrides as (
    select * from {{ ref('int_scenario_overrides') }}
),

problems as (
    select scenario_id, target, 'unknown kind ' || kind as problem from overrides
    where kind not in ('activity_time', 'cost_driver', 'order_channel', 'price',
        'drop_customers', 'commission_rate', 'capacity_share', 'cost_pool', 'release_capacity')
    union all
    select scenario_id, target, 'no scenario of that id in seed scenarios' from overrides
    where not is_known_scenario
    union all
    select scenario_id, target, 'no activity of that id in the catalogue' from overrides
    where kind in ('activity_time', 'cost_driver')
        and not is_known_activity
    union all
    select scenario_id, target, 'cost_driver changes an activity costed by time or an outside rate'
    from overrides
    where kind = 'cost_driver' and is_known_activity and not is_time_driven_activity
    union all
    select scenario_id, target, 'no cost driver ' || coalesce(value_text, '(empty)')
        || ': the costing counts ' || '{{ built_in_cost_drivers() | join(", ") }}'
        || ' and the drivers of seed sap_cost_driver_codes'
    from overrides
    where kind = 'cost_driver' and not is_known_driver
    union all
    select scenario_id, target, 'order_channel moves orders to a channel the catalogue costs'
        || ' (applies_to_channel), not ' || coalesce(value_text, '(empty)')
    from overrides
    where kind = 'order_channel' and not is_known_channel
    union all
    select scenario_id, target, 'order_channel moves the orders of * or a channel the catalogue'
        || ' costs, not ' || coalesce(from_channel, '(empty)')
    from overrides
    where kind = 'order_channel' and not is_known_from_channel
    union all
    select scenario_id, target, 'unit must be minute or hour' from overrides
    where kind = 'activity_time' and coalesce(unit, '') not in ('minute', 'hour')
    union all
    select scenario_id, target, 'target must be *, loss_making, group:<G> or customer:<C>'
    from overrides
    where kind in ('activity_time', 'cost_driver', 'order_channel', 'price', 'drop_customers',
            'commission_rate')
        and member is not null and member_type is null
    union all
    select scenario_id, target, 'commission_rate targets one group:<G>' from overrides
    where kind = 'commission_rate' and member_type <> 'group'
    union all
    select scenario_id, target, 'no department with that cost centre' from overrides
    where kind in ('capacity_share', 'cost_pool', 'release_capacity') and cost_centre <> '*'
        and not is_known_cost_centre
    union all
    select scenario_id, target, 'cost_pool targets one cost centre, in percent or NOK'
    from overrides
    where kind = 'cost_pool' and (cost_centre = '*' or coalesce(unit, '') not in ('percent', 'NOK'))
    union all
    select scenario_id, target, 'a value is needed' from overrides
    where kind not in ('drop_customers', 'release_capacity') and value_text is null
    union all
    select scenario_id, target, 'the value ' || value_text || ' is not a number' from overrides
    where kind not in ('drop_customers', 'release_capacity', 'cost_driver', 'order_channel')
        and value_text is not null and value is null
    union all
    select scenario_id, target, 'capacity_share is a share above 0 and at most 1' from overrides
    where kind = 'capacity_share' and not (value > 0 and value <= 1)
    union all
    select scenario_id, target, 'the scenario actual has no override' from overrides
    where scenario_id = 'actual'
)

select * from problems
