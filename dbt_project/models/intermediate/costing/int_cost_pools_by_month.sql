-- Each department's resource cost per month: the actuals of the cost elements that make up
-- its pool (seed cost_pool_elements).
with

actuals as (
    select * from {{ ref('stg_sap__cost_centre_actuals') }}
),

departments as (
    select * from {{ ref('departments') }}
),

pool_elements as (
    select * from {{ ref('cost_pool_elements') }}
)

select
    departments.cost_centre,
    departments.department_name,
    actuals.period_month,
    cast(sum(actuals.amount) as {{ money_type() }}) as pool_cost
from departments
inner join actuals
    on actuals.cost_centre = departments.cost_centre
inner join pool_elements
    on pool_elements.cost_centre = actuals.cost_centre
    and pool_elements.cost_element = actuals.cost_element
group by departments.cost_centre, departments.department_name, actuals.period_month
