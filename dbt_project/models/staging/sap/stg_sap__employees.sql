with

source as (
    select * from {{ source('raw', 'employees') }}
),

renamed as (
    select
        pernr as employee_id,
        begda as valid_from,
        endda as valid_to,
        kostl as cost_centre,
        ename as employee_name,
        bsgrd / 100.0 as fte_share,
        _load_id as load_id
    from source
)

select * from renamed
