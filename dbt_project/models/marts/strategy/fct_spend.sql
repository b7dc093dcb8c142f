-- Purchasing spend per supplier, purchasing category and month, from supplier invoices in
-- the company currency: how much went through purchase orders that reference a contract
-- and how much did not ("maverick" spend), what was paid against the agreed price, and
-- how many suppliers the category used that month.
with

invoices as (
    select * from {{ ref('int_supplier_price_variance') }}
),

order_items as (
    select
        purchase_order,
        purchase_order_item,
        bool_or(is_on_contract) as is_on_contract
    from {{ ref('stg_sap__purchase_order_lines') }}
    group by purchase_order, purchase_order_item
),

suppliers as (
    select * from {{ ref('dim_supplier') }}
),

items as (
    select
        invoices.invoice_month,
        invoices.supplier_id,
        coalesce(suppliers.purchasing_category, '(no category)') as purchasing_category,
        invoices.invoiced_amount_company_currency as spend,
        coalesce(order_items.is_on_contract, false) as is_on_contract,
        invoices.price_variance,
        invoices.agreed_amount
    from invoices
    left join order_items
        on order_items.purchase_order = invoices.purchase_order
        and order_items.purchase_order_item = invoices.purchase_order_item
    left join suppliers on suppliers.supplier_id = invoices.supplier_id
),

by_supplier as (
    select
        invoice_month,
        supplier_id,
        purchasing_category,
        count(*) as invoice_items,
        sum(spend) as spend,
        sum(case when is_on_contract then spend else 0 end) as spend_on_contract,
        sum(agreed_amount) as spend_at_agreed_price,
        sum(price_variance) as price_variance,
        -- Items paid below the agreed price: the saving against the agreement.
        sum(case when price_variance < 0 then -price_variance else 0 end) as savings_against_agreed
    from items
    group by invoice_month, supplier_id, purchasing_category
),

category_suppliers as (
    select invoice_month, purchasing_category, count(distinct supplier_id) as suppliers
    from by_supplier
    group by invoice_month, purchasing_category
)

select
    cast(by_supplier.invoice_month as date) as period_start,
    cast(by_supplier.supplier_id as varchar) as supplier_id,
    cast(suppliers.supplier_name as varchar) as supplier_name,
    cast(by_supplier.purchasing_category as varchar) as purchasing_category,
    cast(by_supplier.invoice_items as bigint) as invoice_items,
    cast(by_supplier.spend as double) as spend,
    cast(by_supplier.spend_on_contract as double) as spend_on_contract,
    cast(by_supplier.spend - by_supplier.spend_on_contract as double) as spend_off_contract,
    cast(by_supplier.spend_on_contract / nullif(by_supplier.spend, 0) as double)
        as on_contract_share,
    cast(by_supplier.spend_at_agreed_price as double) as spend_at_agreed_price,
    cast(by_supplier.price_variance as double) as price_variance,
    cast(by_supplier.savings_against_agreed as double) as savings_against_agreed,
    cast(category_suppliers.suppliers as bigint) as suppliers_in_category
from by_supplier
left join suppliers on suppliers.supplier_id = by_supplier.supplier_id
left join category_suppliers
    on category_suppliers.invoice_month = by_supplier.invoice_month
    and category_suppliers.purchasing_category = by_supplier.purchasing_category
