with

source as (
    select * from {{ source('raw', 'travel_expenses') }}
),

renamed as (
    select
        reinr as trip_id,
        pernr as employee_id,
        datv1 as trip_start,
        datb1 as trip_end,
        _period as trip_month,
        kunde as customer_id,
        hours as hours_away,
        trip_cost as travel_cost_doc_currency,
        coalesce(per_diem, 0) as per_diem_doc_currency,
        waers as currency,
        _load_id as load_id
    from source
)

select * from renamed
