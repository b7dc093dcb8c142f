with

source as (
    select * from {{ source('raw', 'standard_costs') }}
),

renamed as (
    select
        matnr as material_id,
        bwkey as valuation_area,
        vprsv as price_control,
        stprs as standard_price,
        verpr as moving_average_price,
        peinh as price_unit,
        coalesce(waers, '{{ var("company_currency") }}') as currency,
        kadat as valid_from,
        coalesce(bidat, cast('9999-12-31' as date)) as valid_to,
        -- Price control V values at the moving average price; PEINH > 0 is guaranteed
        -- by the loader, which quarantines a zero price unit.
        (case when vprsv = 'V' then verpr else stprs end) / peinh as unit_cost,
        _load_id as load_id
    from source
)

select * from renamed
