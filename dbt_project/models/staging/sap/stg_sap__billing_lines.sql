-- VBRP's amounts are unsigned: the billing category gives the sign (seed
-- billing_categories, the one place it is kept). A category the seed lacks has no sign
-- and NULL amounts, and int_billing_lines_costed's relationships test names it.
with

source as (
    select * from {{ source('raw', 'billing_lines') }}
),

categories as (
    select billing_category, sign from {{ ref('billing_categories') }}
),

renamed as (
    select
        vbeln as billing_document,
        posnr as billing_item,
        fkart as billing_category,
        vbtyp as document_category,
        categories.sign,
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
        {{ signed_amount('fkimg', 'categories.sign') }} as billed_quantity,
        {{ signed_amount('coalesce(brtwr, netwr)', 'categories.sign') }}
            as gross_amount_doc_currency,
        {{ signed_amount('netwr', 'categories.sign') }} as net_amount_doc_currency,
        _load_id as load_id,
        _line_no as source_line
    from source
    left join categories on categories.billing_category = source.fkart
)

select * from renamed
