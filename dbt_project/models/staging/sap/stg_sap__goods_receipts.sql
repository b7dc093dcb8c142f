with

source as (
    select * from {{ source('raw', 'goods_receipts') }}
),

renamed as (
    select
        mblnr as material_document,
        mjahr as material_document_year,
        zeile as material_document_item,
        bwart as movement_type,
        budat as posting_date,
        _period as posting_month,
        ebeln as purchase_order,
        ebelp as purchase_order_item,
        lifnr as supplier_id,
        matnr as material_id,
        menge as quantity,
        -- Received quantity, signed: a 102 reversal cancels its 101 receipt; a 122 return to
        -- the supplier takes goods back (and 123 reverses the return).
        case bwart when '101' then menge when '102' then -menge else 0 end as received_quantity,
        case bwart when '122' then menge when '123' then -menge else 0 end as returned_quantity,
        _load_id as load_id
    from source
)

select * from renamed
