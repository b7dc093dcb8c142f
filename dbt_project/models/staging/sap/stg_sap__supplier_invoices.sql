with

source as (
    select * from {{ source('raw', 'supplier_invoices') }}
),

renamed as (
    select
        belnr as invoice_document,
        gjahr as fiscal_year,
        buzei as invoice_item,
        ebeln as purchase_order,
        ebelp as purchase_order_item,
        lifnr as supplier_id,
        bldat as invoice_date,
        _period as invoice_month,
        -- Credit items (SHKZG = H) reduce what was invoiced.
        case when shkzg = 'H' then -menge else menge end as invoiced_quantity,
        case when shkzg = 'H' then -wrbtr else wrbtr end as invoiced_amount,
        waers as currency,
        _load_id as load_id
    from source
)

select * from renamed
