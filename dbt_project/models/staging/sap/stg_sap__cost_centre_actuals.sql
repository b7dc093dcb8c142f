with

source as (
    select * from {{ source('raw', 'cost_centre_actuals') }}
),

renamed as (
    select
        kostl as cost_centre,
        kstar as cost_element,
        gjahr as fiscal_year,
        perio as posting_period,
        _period as period_month,
        wkgbtr as amount,
        coalesce(twaer, '{{ var("company_currency") }}') as currency,
        _load_id as load_id
    from source
)

select * from renamed
