-- How sure the time per driver unit of each time-driven activity is: a low, most likely
-- and high time (seed activity_time_ranges, per activity or per customer group), and for
-- every activity the seed does not name, the catalogue's time -20 % / +20 % (none for
-- time recorded per customer, below). The
-- sensitivity analysis (analytics.profitability_sensitivity) draws times from these.
with

catalogue as (
    select * from {{ ref('activity_catalogue') }}
    where cost_method in ('time', 'time_and_expenses')
),

ranges as (
    select * from {{ ref('activity_time_ranges') }}
),

-- A driver that is itself time recorded per customer (timesheet hours, hours away on a
-- visit: development_hour, visit_hour, ...) takes one hour per hour; that is no estimate,
-- so its range has no width.
defaults as (
    select
        catalogue.activity_id,
        cast(null as varchar) as customer_group,
        catalogue.time_per_driver_unit * case when is_recorded_time then 1 else 0.8 end as low,
        catalogue.time_per_driver_unit as likely,
        catalogue.time_per_driver_unit * case when is_recorded_time then 1 else 1.2 end as high,
        catalogue.time_unit,
        case when is_recorded_time then 'recorded hours: no estimate'
            else 'catalogue time -20 % / +20 %' end as source
    from (
        select *, ends_with(cost_driver, '_hour') as is_recorded_time from catalogue
    ) as catalogue
    where catalogue.activity_id not in (
        select activity_id from ranges where customer_group is null
    )
),

given as (
    select
        activity_id, customer_group, low, likely, high, time_unit,
        coalesce(note, 'seed activity_time_ranges') as source
    from ranges
),

-- A range for an activity the catalogue does not have would be drawn for nothing: stop
-- the build naming it (one model, so that any selection that builds it checks it).
unknown as (
    select string_agg(distinct activity_id, ', ' order by activity_id) as activities
    from ranges
    where activity_id not in (select activity_id from {{ ref('activity_catalogue') }})
)

select
    cast(activity_id as varchar) as activity_id,
    cast(customer_group as varchar) as customer_group,
    cast(low as double) as low,
    cast(likely as double) as likely,
    cast(high as double) as high,
    cast(time_unit as varchar) as time_unit,
    cast(source as varchar) as source
from (select * from given union all select * from defaults)
where (
    select error('seed activity_time_ranges names activities not in the catalogue: '
        || activities)
    from unknown
    where activities is not null
) is null
