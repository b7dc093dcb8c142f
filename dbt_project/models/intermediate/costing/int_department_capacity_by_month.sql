-- Practical capacity per department and month: FTEs assigned to the cost centre (prorated
-- by the days of the month they were assigned) x hours per FTE-year / 12 x the
-- practical-capacity share (seed capacity_settings; '*' is the default row).
--
-- The months of a department's year run from January to the last month its costs were
-- posted in, whatever the posting rhythm: monthly postings through June cover six
-- months, one yearly posting in period 12 (or a special period 13-16) covers twelve, so
-- the year's pool is always divided by the capacity of the months it pays for.
with

employees as (
    select * from {{ ref('stg_sap__employees') }}
),

departments as (
    select * from {{ ref('departments') }}
),

posted_through as (
    select
        cost_centre,
        cast({{ dbt.date_trunc('year', 'period_month') }} as date) as year_start,
        max(period_month) as last_month
    from {{ ref('int_cost_pools_by_month') }}
    group by 1, 2
),

month_offsets as (
    select * from (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11))
        as offsets (month_offset)
),

department_months as (
    select
        posted_through.cost_centre,
        cast({{ dbt.dateadd('month', 'month_offsets.month_offset', 'posted_through.year_start') }}
            as date) as period_month
    from posted_through
    cross join month_offsets
    where {{ dbt.dateadd('month', 'month_offsets.month_offset', 'posted_through.year_start') }}
        <= posted_through.last_month
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
        cost_centre,
        period_month,
        cast({{ dbt.last_day('period_month', 'month') }} as date) as month_end
    from department_months
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
        on month_bounds.cost_centre = employees.cost_centre
        and employees.valid_from <= month_bounds.month_end
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
    department_months.cost_centre,
    department_months.period_month,
    cast(coalesce(fte.fte, 0) as double) as fte,
    cast(settings.hours_per_fte_year as double) as hours_per_fte_year,
    cast(settings.practical_capacity_share as double) as practical_capacity_share,
    cast(coalesce(fte.fte, 0) * settings.hours_per_fte_year / 12.0
        * settings.practical_capacity_share as double) as capacity_hours
from department_months
left join fte
    on fte.cost_centre = department_months.cost_centre
    and fte.period_month = department_months.period_month
inner join settings on settings.cost_centre = department_months.cost_centre
