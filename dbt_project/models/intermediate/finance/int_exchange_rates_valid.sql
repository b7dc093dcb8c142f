-- Each rate's validity interval: from its own date to the day before the next rate of the
-- same type and currency pair. The company currency converts to itself at 1.
with

rates as (
    select * from {{ ref('stg_sap__exchange_rates') }}
    where rate_type = '{{ var("exchange_rate_type") }}'
        and to_currency = '{{ var("company_currency") }}'
),

intervals as (
    select
        from_currency,
        valid_from,
        coalesce(
            lead(valid_from) over (partition by from_currency order by valid_from)
                - interval 1 day,
            cast('9999-12-31' as date)
        ) as valid_to,
        rate
    from rates
)

select
    from_currency,
    cast(valid_from as date) as valid_from,
    cast(valid_to as date) as valid_to,
    rate
from intervals
