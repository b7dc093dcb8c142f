with

source as (
    select * from {{ source('raw', 'suppliers') }}
),

renamed as (
    select
        lifnr as supplier_id,
        name1 as supplier_name,
        land1 as country,
        segment as supplier_segment,
        category as purchasing_category,
        _load_id as load_id
    from source
)

select * from renamed
