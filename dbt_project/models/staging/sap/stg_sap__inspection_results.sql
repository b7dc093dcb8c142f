with

source as (
    select * from {{ source('raw', 'inspection_results') }}
),

renamed as (
    select
        prueflos as inspection_lot,
        merknr as characteristic_number,
        probenr as sample_number,
        messwnr as value_number,
        lifnr as supplier_id,
        matnr as material_id,
        kurztext as characteristic,
        sollwert as target_value,
        toleranzun as lower_limit,
        toleranzob as upper_limit,
        messwert as measured_value,
        pruefdatum as inspection_date,
        _period as inspection_month,
        _load_id as load_id
    from source
)

select * from renamed
