with

source as (
    select * from {{ source('raw', 'scorecard_ratings') }}
),

renamed as (
    select
        lifnr as supplier_id,
        rating_date,
        _period as rating_month,
        criterion,
        score,
        coalesce(weight, 1) as weight,
        comment,
        _load_id as load_id
    from source
)

select * from renamed
