-- The scenarios (seed scenarios) with what each changes, for reports and BI tools that
-- read the scenario marts.
with

scenarios as (
    select * from {{ ref('scenarios') }}
),

overrides as (
    select
        scenario_id,
        count(*) as overrides,
        string_agg(
            kind || ' ' || target || coalesce(' = ' || value_text, '')
                || coalesce(' ' || unit, ''),
            '; ' order by kind, target
        ) as changes
    from {{ ref('int_scenario_overrides') }}
    group by scenario_id
)

select
    cast(scenarios.scenario_id as varchar) as scenario_id,
    cast(scenarios.name as varchar) as scenario_name,
    cast(scenarios.description as varchar) as description,
    cast(coalesce(overrides.overrides, 0) as bigint) as overrides,
    cast(overrides.changes as varchar) as changes
from scenarios
left join overrides using (scenario_id)
