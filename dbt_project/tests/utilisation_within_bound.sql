-- A department that used more than var('max_utilisation') (1.5: 150 %) of its practical
-- capacity in a year: its rates are wrong, and so is every cost it assigned. The error
-- names each department and year with the likely causes.
select error(
    'utilisation above ' || cast(round({{ var('max_utilisation') }} * 100) as integer)
    || ' % of practical capacity: ' || problems
    || '. Likely causes: staff missing from the employee extract or assigned to another'
    || ' cost centre, hours per FTE or the practical-capacity share set too low (seed'
    || ' capacity_settings), or a time per driver unit too high (seed activity_catalogue)'
) as failure
from (
    select string_agg(
        department_name || ' ' || strftime(period_start, '%Y') || ' '
            || cast(round(utilisation * 100) as integer) || ' %',
        '; ' order by department_name, period_start) as problems
    from {{ ref('fct_unused_capacity') }}
    where period_type = 'year' and utilisation > {{ var('max_utilisation') }}
) as over_bound
where problems is not null
