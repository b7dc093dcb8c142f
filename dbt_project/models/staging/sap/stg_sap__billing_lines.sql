with

source as (
    select * from {{ source('raw', 'billing_lines') }}
),

renamed as (
    select
        vbeln as billing_document,
        posnr as billing_item,
        fkart as billing_category,
        vbtyp as document_category,
        _sign as sign,
        fkdat as billing_date,
        _period as billing_month,
        kunag as sold_to_customer_id,
        kunwe as ship_to_customer_id,
        aubel as sales_order,
        vgbel as delivery,
        matnr as material_id,
        bsark as order_channel,
        vrkme as sales_unit,
        waerk as currency,
        {{ signed_amount('fkimg', '_sign') }} as billed_quantity,
        {{ signed_amount('coalesce(brtwr, netwr)', '_sign') }} as gross_amount_doc_currency,
        {{ signed_amount('netwr', '_sign') }} as net_amount_doc_currency,
        _load_id as load_id,
        _line_no as source_line
    from source
)

select * from renamed
