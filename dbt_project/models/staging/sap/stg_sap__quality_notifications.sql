with

source as (
    select * from {{ source('raw', 'quality_notifications') }}
),

renamed as (
    select
        qmnum as notification_id,
        qmart as notification_type,
        case qmart
            when 'Q1' then 'customer complaint'
            when 'Q2' then 'supplier complaint'
            when 'Q3' then 'internal problem'
            when 'ZP' then 'PPAP'
            when 'ZA' then 'customer audit'
        end as notification_kind,
        erdat as created_on,
        _period as created_month,
        kunum as customer_id,
        lifnum as supplier_id,
        matnr as material_id,
        rkmng as complaint_quantity,
        _load_id as load_id
    from source
)

select * from renamed
