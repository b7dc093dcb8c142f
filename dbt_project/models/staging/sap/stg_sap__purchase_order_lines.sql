with

source as (
    select * from {{ source('raw', 'purchase_order_lines') }}
),

renamed as (
    select
        ebeln as purchase_order,
        ebelp as purchase_order_item,
        etenr as schedule_line,
        lifnr as supplier_id,
        matnr as material_id,
        matkl as material_group,
        bedat as order_date,
        eindt as agreed_delivery_date,
        _period as agreed_delivery_month,
        menge as scheduled_quantity,
        netpr as agreed_price,
        peinh as price_unit,
        -- The agreed price is per price unit: 525 per 100 units is 5.25 a unit.
        cast(netpr / peinh as decimal(24, 10)) as agreed_unit_price,
        waers as currency,
        konnr as contract,
        konnr is not null as is_on_contract,
        _load_id as load_id
    from source
)

select * from renamed
