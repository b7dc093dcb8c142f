with

source as (
    select * from {{ source('raw', 'projects') }}
),

renamed as (
    select
        posid as wbs_element,
        post1 as project_name,
        kunnr as customer_id,
        _load_id as load_id
    from source
)

select * from renamed
