-- Department rates per scenario, month and year: the pool and practical capacity as each
-- scenario changes them (overrides cost_pool, capacity_share and release_capacity), and
-- the rates they give.
-- A period no override touches keeps the rates of int_activity_rates as they are, so the
-- scenario `actual` has exactly the costing's rates.
{%- set rate_basis = var("rate_basis") %}
with

scenarios as (
    select scenario_id from {{ ref('scenarios') }}
),

overrides as (
    select * from {{ ref('int_scenario_overrides') }}
),

actual_rates as (
    select * from {{ ref('int_activity_rates') }}
),

-- The month rows with the practical-capacity share their capacity was computed with.
months as (
    select
        rates.cost_centre,
        rates.department_name,
        rates.period_start as period_month,
        rates.pool_cost,
        rates.capacity_hours,
        capacity.practical_capacity_share
    from actual_rates as rates
    inner join {{ ref('int_department_capacity_by_month') }} as capacity
        on capacity.cost_centre = rates.cost_centre
        and capacity.period_month = rates.period_start
    where rates.period_type = 'month'
),

-- A department's own override wins over the one for every department ('*').
shares as (
    select
        scenarios.scenario_id,
        departments.cost_centre,
        coalesce(own.value, every.value) as practical_capacity_share
    from scenarios
    cross join {{ ref('departments') }} as departments
    left join overrides as own
        on own.scenario_id = scenarios.scenario_id and own.kind = 'capacity_share'
        and own.cost_centre = departments.cost_centre
    left join overrides as every
        on every.scenario_id = scenarios.scenario_id and every.kind = 'capacity_share'
        and every.cost_centre = '*'
),

pools as (
    select
        scenario_id,
        cost_centre,
        coalesce(sum(value) filter (where unit = 'percent'), 0) as pool_change_percent,
        coalesce(sum(value) filter (where unit = 'NOK'), 0) as pool_change_per_year
    from overrides
    where kind = 'cost_pool'
    group by scenario_id, cost_centre
),

-- The pool and capacity after the cost_pool and capacity_share overrides.
set_months as (
    select
        scenarios.scenario_id,
        months.cost_centre,
        months.department_name,
        months.period_month,
        case
            when pools.cost_centre is null then months.pool_cost
            -- A yearly amount is spread evenly over the twelve months of the year.
            else months.pool_cost * (1 + pools.pool_change_percent / 100)
                + pools.pool_change_per_year / 12
        end as pool_cost,
        case
            when shares.practical_capacity_share is null then months.capacity_hours
            else months.capacity_hours * shares.practical_capacity_share
                / months.practical_capacity_share
        end as capacity_hours,
        pools.cost_centre is not null or shares.practical_capacity_share is not null
            as is_set
    from scenarios
    cross join months
    left join shares
        on shares.scenario_id = scenarios.scenario_id
        and shares.cost_centre = months.cost_centre
    left join pools
        on pools.scenario_id = scenarios.scenario_id
        and pools.cost_centre = months.cost_centre
),

-- release_capacity: the departments that shed the hours the scenario frees.
releases as (
    select distinct scenarios.scenario_id, departments.cost_centre
    from scenarios
    cross join {{ ref('departments') }} as departments
    inner join overrides
        on overrides.scenario_id = scenarios.scenario_id
        and overrides.kind = 'release_capacity'
        and overrides.cost_centre in ('*', departments.cost_centre)
),

used_in_actual as (
    select department_cost_centre as cost_centre, period_month, sum(time_hours) as used_hours
    from {{ ref('int_activity_costs_by_month') }}
    where department_cost_centre is not null
    group by all
),

used_in_scenarios as (
    select
        scenario_id, department_cost_centre as cost_centre, period_month,
        sum(time_hours) as used_hours
    from {{ ref('int_scenario_activity_time_by_month') }}
    where department_cost_centre is not null
        and scenario_id in (select scenario_id from releases)
    group by all
),

-- Hours freed per month (negative: hours the scenario needs more).
freed as (
    select
        releases.scenario_id,
        releases.cost_centre,
        used_in_actual.period_month,
        used_in_actual.used_hours - coalesce(used_in_scenarios.used_hours, 0) as freed_hours
    from releases
    inner join used_in_actual
        on used_in_actual.cost_centre = releases.cost_centre
    left join used_in_scenarios
        on used_in_scenarios.scenario_id = releases.scenario_id
        and used_in_scenarios.cost_centre = releases.cost_centre
        and used_in_scenarios.period_month = used_in_actual.period_month
),

-- The rate of each month's rate period (var rate_basis) before the release: the hours
-- released go at it, so the rate the costing applies stays.
basis_rates as (
    select
        scenario_id,
        cost_centre,
        cast({{ dbt.date_trunc(rate_basis, 'period_month') }} as date) as basis_start,
        sum(pool_cost) / nullif(sum(capacity_hours), 0) as rate_per_hour
    from set_months
    where scenario_id in (select scenario_id from releases)
    group by all
),

scenario_months as (
    select
        set_months.scenario_id,
        set_months.cost_centre,
        set_months.department_name,
        set_months.period_month,
        set_months.pool_cost - coalesce(freed.freed_hours * basis_rates.rate_per_hour, 0)
            as pool_cost,
        set_months.capacity_hours - coalesce(freed.freed_hours, 0) as capacity_hours,
        case when set_months.is_set or coalesce(freed.freed_hours, 0) <> 0 then 1 else 0 end
            as changed_months
    from set_months
    left join freed
        on freed.scenario_id = set_months.scenario_id
        and freed.cost_centre = set_months.cost_centre
        and freed.period_month = set_months.period_month
    left join basis_rates
        on basis_rates.scenario_id = set_months.scenario_id
        and basis_rates.cost_centre = set_months.cost_centre
        and basis_rates.basis_start
            = cast({{ dbt.date_trunc(rate_basis, 'set_months.period_month') }} as date)
),

periods as (
    {{ months_and_years('scenario_months', ['scenario_id', 'cost_centre', 'department_name'],
                        ['pool_cost', 'capacity_hours', 'changed_months']) }}
)

select
    periods.scenario_id,
    periods.period_type,
    periods.period_start,
    periods.cost_centre,
    periods.department_name,
    periods.changed_months > 0 as is_changed,
    case when periods.changed_months > 0 then periods.pool_cost else actual.pool_cost end
        as pool_cost,
    case when periods.changed_months > 0 then periods.capacity_hours
        else actual.capacity_hours end as capacity_hours,
    case when periods.changed_months > 0
        then periods.pool_cost / nullif(periods.capacity_hours, 0)
        else actual.rate_per_hour end as rate_per_hour,
    case when periods.changed_months > 0
        then {{ applied_rate('periods.pool_cost / nullif(periods.capacity_hours, 0)') }}
        else actual.applied_rate_per_hour end as applied_rate_per_hour,
    case when periods.changed_months > 0
        then {{ applied_rate('periods.pool_cost / nullif(periods.capacity_hours * 60, 0)') }}
        else actual.applied_rate_per_minute end as applied_rate_per_minute
from periods
inner join actual_rates as actual
    on actual.period_type = periods.period_type
    and actual.period_start = periods.period_start
    and actual.cost_centre = periods.cost_centre
