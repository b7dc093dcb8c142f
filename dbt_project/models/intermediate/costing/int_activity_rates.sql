-- Department rates per month and per year: cost pool / practical capacity. The year row
-- uses the year's pool over the capacity of the months it covers (what the reference
-- company did), however the costs were posted: monthly, quarterly or once a year. The
-- applied rates are rounded only when var('rate_rounding_decimals') is set.
--
-- Under rate_basis 'month' each month's own rate is applied, which is only right when
-- every month carries its own costs: a department with months without postings stops
-- the build, naming the months.
{%- set rate_basis = var("rate_basis") %}
with

pools as (
    select * from {{ ref('int_cost_pools_by_month') }}
),

capacity as (
    select * from {{ ref('int_department_capacity_by_month') }}
),

departments as (
    select * from {{ ref('departments') }}
),

monthly as (
    select
        capacity.cost_centre,
        departments.department_name,
        capacity.period_month,
        coalesce(pools.pool_cost, 0) as pool_cost,
        capacity.capacity_hours,
        capacity.fte,
        1 as months,
        pools.cost_centre is not null as costs_posted
    from capacity
    inner join departments
        on departments.cost_centre = capacity.cost_centre
    left join pools
        on pools.cost_centre = capacity.cost_centre
        and pools.period_month = capacity.period_month
),

posting_gaps as (
    select
        department_name,
        cast({{ dbt.date_trunc('year', 'period_month') }} as date) as year_start,
        string_agg(strftime(period_month, '%Y-%m'), ', ' order by period_month)
            filter (where costs_posted) as posted,
        string_agg(strftime(period_month, '%Y-%m'), ', ' order by period_month)
            filter (where not costs_posted) as not_posted
    from monthly
    group by 1, 2
    having count(*) filter (where not costs_posted) > 0
),

periods as (
    {{ months_and_years('monthly', ['cost_centre', 'department_name'],
                        ['pool_cost', 'capacity_hours', 'fte', 'months']) }}
),

rates as (
    select
        period_type,
        period_start,
        cost_centre,
        department_name,
        pool_cost,
        capacity_hours,
        fte / months as average_fte,
        pool_cost / nullif(capacity_hours, 0) as rate_per_hour,
        pool_cost / nullif(capacity_hours * 60, 0) as rate_per_minute
    from periods
)

select
    *,
    {{ applied_rate('rate_per_hour') }} as applied_rate_per_hour,
    {{ applied_rate('rate_per_minute') }} as applied_rate_per_minute
from rates
{%- if rate_basis == 'month' %}
where (
    select error(
        'rate_basis month applies each month''s own rate, but ' || gaps
        || '; set the dbt var rate_basis: year (the default), which divides the year''s'
        || ' costs by the capacity of the months they cover, or post the costs monthly')
    from (
        select string_agg(
            department_name || ' has costs posted in ' || posted || ' and none in '
                || not_posted, '; ' order by department_name, year_start) as gaps
        from posting_gaps
    ) as summary
    where gaps is not null
) is null
{%- endif %}
