with

source as (
    select * from {{ source('raw', 'customers') }}
),

renamed as (
    select
        kunnr as customer_id,
        name1 as customer_name,
        land1 as country,
        kdgrp as customer_group,
        coalesce(ktext, kdgrp) as customer_group_name,
        inco1 as incoterms,
        _load_id as load_id
    from source
)

select * from renamed
