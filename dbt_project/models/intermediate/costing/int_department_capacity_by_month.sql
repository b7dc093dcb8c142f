-- Practical capacity per department and month: FTEs assigned to the cost centre (prorated
-- by the days of the month they were assigned) x hours per FTE-year / 12 x the
-- practical-capacity share (seed capacity_settings; '*' is the default row).
with

employees as (
    select * from {{ ref('stg_sap__employees') }}
),

departments as (
    select * from {{ ref('departments') }}
),

months as (
    select distinct period_month from {{ ref('int_cost_pools_by_month') }}
),

settings as (
    select
        departments.cost_centre,
        coalesce(specific.hours_per_fte_year, fallback.hours_per_fte_year) as hours_per_fte_year,
        coalesce(specific.practical_capacity_share, fallback.practical_capacity_share)
            as practical_capacity_share
    from departments
    left join {{ ref('capacity_settings') }} as specific
        on specific.cost_centre = departments.cost_centre
    left join {{ ref('capacity_settings') }} as fallback
        on fallback.cost_centre = '*'
),

month_bounds as (
    select
        period_month,
        cast({{ dbt.last_day('period_month', 'month') }} as date) as month_end
    from months
),

assignments as (
    select
        employees.cost_centre,
        month_bounds.period_month,
        employees.fte_share,
        ({{ dbt.datediff(
            'greatest(employees.valid_from, month_bounds.period_month)',
            'least(employees.valid_to, month_bounds.month_end)',
            'day') }} + 1)
        / ({{ dbt.datediff('month_bounds.period_month', 'month_bounds.month_end', 'day') }} + 1.0)
            as share_of_month
    from employees
    inner join month_bounds
        on employees.valid_from <= month_bounds.month_end
        and employees.valid_to >= month_bounds.period_month
    inner join departments
        on departments.cost_centre = employees.cost_centre
),

fte as (
    select cost_centre, period_month, sum(fte_share * share_of_month) as fte
    from assignments
    group by cost_centre, period_month
)

select
    fte.cost_centre,
    fte.period_month,
    cast(fte.fte as double) as fte,
    cast(settings.hours_per_fte_year as double) as hours_per_fte_year,
    cast(settings.practical_capacity_share as double) as practical_capacity_share,
    cast(fte.fte * settings.hours_per_fte_year / 12.0 * settings.practical_capacity_share as double)
        as capacity_hours
from fte
inner join settings on settings.cost_centre = fte.cost_centre
