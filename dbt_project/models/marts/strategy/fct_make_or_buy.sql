-- Per period and activity with an external quote valid in the period: what one driver unit
-- costs to make (the activity rate at practical capacity, and the department's unused
-- capacity spread over the hours it used, shown separately) against the quoted price,
-- and what buying the period's volume would save (negative: buying costs more).
with

rates as (
    select
        *,
        sum(used_hours) over (
            partition by period_type, period_start, department_cost_centre
        ) as department_used_hours
    from {{ ref('fct_activity_rates') }}
    where department_cost_centre is not null
),

quotes as (
    select * from {{ ref('external_quotes') }}
),

compared as (
    select
        rates.period_type,
        rates.period_start,
        rates.activity_id,
        rates.activity_name,
        rates.cost_driver,
        rates.driver_quantity,
        rates.rate_per_driver_unit as internal_cost_per_unit,
        -- One driver unit takes time_per_driver_unit of the department's hours (minutes
        -- converted); each used hour carries unused cost / used hours.
        rates.department_unused_capacity_cost / nullif(rates.department_used_hours, 0)
            * rates.time_per_driver_unit / (case when rates.time_unit = 'minute' then 60 else 1 end)
            as unused_capacity_per_unit,
        quotes.supplier,
        cast(quotes.price_per_driver_unit as double) as external_price_per_unit
    from rates
    inner join quotes
        on quotes.activity_id = rates.activity_id
        and quotes.valid_from <= {{ period_end('rates.period_type', 'rates.period_start') }}
        and quotes.valid_to >= rates.period_start
)

select
    cast(period_type as varchar) as period_type,
    cast(period_start as date) as period_start,
    cast(activity_id as varchar) as activity_id,
    cast(activity_name as varchar) as activity_name,
    cast(cost_driver as varchar) as cost_driver,
    cast(driver_quantity as double) as driver_quantity,
    cast(internal_cost_per_unit as double) as internal_cost_per_unit,
    cast(coalesce(unused_capacity_per_unit, 0) as double) as unused_capacity_per_unit,
    cast(internal_cost_per_unit + coalesce(unused_capacity_per_unit, 0) as double)
        as internal_cost_per_unit_with_unused,
    cast(supplier as varchar) as supplier,
    cast(external_price_per_unit as double) as external_price_per_unit,
    -- Rounded to a millionth: doubles would print 72.78 as 72.77999999999997.
    cast(round(internal_cost_per_unit - external_price_per_unit, 6) as double)
        as saving_per_unit_if_bought,
    cast(round((internal_cost_per_unit - external_price_per_unit) * driver_quantity, 6) as double)
        as saving_if_bought,
    cast(
        round(
            (internal_cost_per_unit + coalesce(unused_capacity_per_unit, 0)
                - external_price_per_unit) * driver_quantity,
            6
        ) as double
    ) as saving_if_bought_and_capacity_released,
    cast(
        case when internal_cost_per_unit <= external_price_per_unit then 'make' else 'buy' end
        as varchar
    ) as cheaper_at_capacity_rate
from compared
