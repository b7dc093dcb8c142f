-- Each invoice item against the agreed unit price of its order item (price unit respected),
-- in the company currency. A positive variance means we paid too much.
with

invoices as (
    select * from {{ ref('stg_sap__supplier_invoices') }}
),

orders as (
    select
        purchase_order,
        purchase_order_item,
        max(agreed_unit_price) as agreed_unit_price,
        max(currency) as order_currency
    from {{ ref('stg_sap__purchase_order_lines') }}
    group by purchase_order, purchase_order_item
),

priced as (
    select
        invoices.*,
        orders.agreed_unit_price,
        {{ rate_to_company_currency('invoices.currency') }} as exchange_rate
    from invoices
    left join orders
        on orders.purchase_order = invoices.purchase_order
        and orders.purchase_order_item = invoices.purchase_order_item
    {{ join_rate_to_company_currency('invoices.currency', 'invoices.invoice_date') }}
)

select
    *,
    cast(invoiced_amount / nullif(invoiced_quantity, 0) as decimal(24, 10)) as invoiced_unit_price,
    cast(invoiced_amount / nullif(invoiced_quantity, 0) as decimal(24, 10)) - agreed_unit_price
        as unit_price_variance,
    (invoiced_amount - agreed_unit_price * invoiced_quantity) * exchange_rate as price_variance,
    agreed_unit_price * invoiced_quantity * exchange_rate as agreed_amount,
    invoiced_amount * exchange_rate as invoiced_amount_company_currency
from priced
