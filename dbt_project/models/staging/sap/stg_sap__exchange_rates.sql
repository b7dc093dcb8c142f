with

source as (
    select * from {{ source('raw', 'exchange_rates') }}
),

renamed as (
    select
        kurst as rate_type,
        fcurr as from_currency,
        tcurr as to_currency,
        gdatu as valid_from,
        ukurs as quoted_rate,
        coalesce(ffact, 1) as from_factor,
        coalesce(tfact, 1) as to_factor,
        -- Units of to_currency for one unit of from_currency. A negative UKURS is SAP's
        -- indirect quotation; the ratio factors (TCURF) scale e.g. 100 JPY = 6.26 NOK.
        (case when ukurs < 0 then 1 / abs(ukurs) else ukurs end)
            * coalesce(tfact, 1) / coalesce(ffact, 1) as rate,
        _load_id as load_id
    from source
)

select * from renamed
