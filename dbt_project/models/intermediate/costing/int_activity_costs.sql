-- Time-driven activity-based costing: for every driver row, the activities that use that
-- driver (with the customer group's overrides of time, driver or exclusion), the time they
-- take, and their cost at the department's applied rate. Production at standard cost and
-- agent commission are added as activities of their own, so every cost in the customer
-- P&L comes from this one model.
--
-- Incremental by month (macros/incremental.sql): a month is rebuilt when its drivers were,
-- or when the rates of its rate period changed.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='period_month',
    on_schema_change='fail',
) }}
{%- set rate_basis = var("rate_basis") %}
with

rates as (
    select * from {{ ref('int_activity_rates') }}
    where period_type = '{{ rate_basis }}'
),

{% set rates_by_month -%}
    select
        driver_months.period_month,
        'rates:' || coalesce(
            md5(string_agg(rates::varchar, ',' order by rates.cost_centre)), 'none'
        ) as part
    from (select distinct period_month from {{ ref('int_cost_drivers') }}) as driver_months
    left join rates
        on rates.period_start = cast({{ dbt.date_trunc(rate_basis, 'driver_months.period_month') }} as date)
    group by driver_months.period_month
{%- endset %}
month_inputs as (
    {{ month_fingerprints(
        [build_ids_by_month(ref('int_cost_drivers'), 'period_month'), rates_by_month],
        global_fingerprint(seeds=[
            ref('activity_catalogue'), ref('activity_time_overrides'),
            ref('commission_agreements'),
        ]),
    ) }}
),

months_to_build as (
    {{ months_changed('month_inputs', 'period_month') }}
),

-- Not materialized: DuckDB would keep the month's drivers in memory for the three CTEs
-- that read them; scanning the table again costs less.
drivers as not materialized (
    select * from {{ ref('int_cost_drivers') }}
    where period_month in (select period_month from months_to_build)
),

catalogue as (
    select * from {{ ref('activity_catalogue') }}
),

groups as (
    select distinct customer_group from drivers
),

effective_activities as (
    {{ effective_activities('groups') }}
),

time_driven as (
    select
        drivers.customer_id,
        drivers.customer_group,
        drivers.period_month,
        drivers.sales_order,
        drivers.order_channel,
        activities.activity_id,
        activities.activity_family,
        activities.department_cost_centre,
        activities.cost_hierarchy_level,
        activities.cost_driver,
        drivers.quantity as driver_quantity,
        activities.cost_method,
        case
            when activities.cost_method = 'external_rate'
                then drivers.quantity * activities.external_rate
            else 0
        end as external_cost,
        -- Internal time: only for department activities performed by the department
        -- (hours of a traveller from elsewhere cost their expenses, not this rate).
        case
            when activities.cost_method = 'external_rate' then 0
            when drivers.performer_cost_centre is not null
                and drivers.performer_cost_centre <> activities.department_cost_centre then 0
            else drivers.quantity * {{ hours_from('activities.time_per_driver_unit', 'activities.time_unit') }}
        end as time_hours,
        case
            when activities.cost_method = 'external_rate' then 0
            when drivers.performer_cost_centre is not null
                and drivers.performer_cost_centre <> activities.department_cost_centre then 0
            when activities.time_unit = 'minute'
                then drivers.quantity * activities.time_per_driver_unit * rates.applied_rate_per_minute
            else drivers.quantity * activities.time_per_driver_unit * rates.applied_rate_per_hour
        end
            as time_cost,
        case when activities.cost_method = 'time_and_expenses' then drivers.expenses else 0 end
            as expense_cost
    from drivers
    inner join effective_activities as activities
        on activities.customer_group = drivers.customer_group
        and activities.cost_driver = drivers.cost_driver
        and (activities.applies_to_channel is null
             or activities.applies_to_channel = drivers.order_channel)
    left join rates
        on rates.cost_centre = activities.department_cost_centre
        and rates.period_start = cast({{ dbt.date_trunc(rate_basis, 'drivers.period_month') }} as date)
),

production as (
    select
        lines.sold_to_customer_id as customer_id,
        lines.customer_group,
        lines.billing_month as period_month,
        cast(null as varchar) as sales_order,
        cast(null as varchar) as order_channel,
        catalogue.activity_id,
        catalogue.activity_family,
        catalogue.department_cost_centre,
        catalogue.cost_hierarchy_level,
        catalogue.cost_driver,
        sum(lines.production_quantity) as driver_quantity,
        catalogue.cost_method,
        0 as external_cost,
        0 as time_hours,
        0 as time_cost,
        0 as expense_cost,
        cast(sum(lines.production_cost) as {{ money_type() }}) as other_cost
    from {{ ref('int_billing_lines_costed') }} as lines
    cross join catalogue
    where catalogue.cost_method = 'standard_cost'
        and lines.billing_month in (select period_month from months_to_build)
    group by
        lines.sold_to_customer_id, lines.customer_group, lines.billing_month,
        catalogue.activity_id, catalogue.activity_family, catalogue.department_cost_centre,
        catalogue.cost_hierarchy_level, catalogue.cost_driver, catalogue.cost_method
),

commission as (
    select
        drivers.customer_id,
        drivers.customer_group,
        drivers.period_month,
        cast(null as varchar) as sales_order,
        cast(null as varchar) as order_channel,
        catalogue.activity_id,
        catalogue.activity_family,
        catalogue.department_cost_centre,
        catalogue.cost_hierarchy_level,
        catalogue.cost_driver,
        drivers.quantity as driver_quantity,
        catalogue.cost_method,
        0 as external_cost,
        0 as time_hours,
        0 as time_cost,
        0 as expense_cost,
        drivers.quantity * agreements.commission_rate as other_cost
    from drivers
    inner join catalogue
        on catalogue.cost_method = 'commission'
        and catalogue.cost_driver = drivers.cost_driver
    inner join {{ ref('commission_agreements') }} as agreements
        on agreements.customer_group = drivers.customer_group
        and drivers.period_month between agreements.valid_from and agreements.valid_to
),

unioned as (
    select *, 0 as other_cost from time_driven
    union all
    select * from production
    union all
    select * from commission
)

select
    customer_id,
    customer_group,
    period_month,
    sales_order,
    order_channel,
    activity_id,
    activity_family,
    department_cost_centre,
    cost_hierarchy_level,
    cost_driver,
    cost_method,
    cast(driver_quantity as {{ quantity_type() }}) as driver_quantity,
    cast(time_hours as double) as time_hours,
    -- time_cost is what the activity draws from its department's pool; the rest is paid
    -- outside the pools (external lab, travel expenses, production, commission).
    cast(time_cost as {{ money_type() }}) as time_cost,
    cast(external_cost + expense_cost + other_cost as {{ money_type() }}) as non_pool_cost,
    cast(time_cost + external_cost + expense_cost + other_cost as {{ money_type() }}) as cost,
    month_inputs.inputs_fingerprint,
    '{{ invocation_id }}' as build_id
from unioned
left join month_inputs using (period_month)
