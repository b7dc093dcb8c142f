-- One row per billing line in company currency, with its customer group, whether it counts
-- as an order and moves goods, and its production cost at standard: the lines behind a
-- customer's revenue and production cost in fct_customer_profitability, and behind the
-- orders of fct_order_costs.
--
-- A view: it only names what int_billing_lines_costed holds, so a build pays nothing for
-- it; the serving snapshot stores it as a table, copied at every publish, so it carries
-- what a reader traces a figure by and no more (the load and extract line of each row
-- are in staging.stg_sap__billing_lines).
{{ config(materialized='view') }}
with

lines as (
    select * from {{ ref('int_billing_lines_costed') }}
)

select
    cast(billing_document as varchar) as billing_document,
    cast(billing_item as bigint) as billing_item,
    cast(billing_date as date) as billing_date,
    cast(billing_category as varchar) as billing_category,
    cast(sold_to_customer_id as varchar) as customer_id,
    cast(customer_group as varchar) as customer_group,
    cast(sales_order as varchar) as sales_order,
    cast(material_id as varchar) as material_id,
    cast(order_channel as varchar) as order_channel,
    cast(counts_as_order as boolean) as counts_as_order,
    cast(moves_goods as boolean) as moves_goods,
    cast(billed_quantity as double) as billed_quantity,
    cast(sales_unit as varchar) as sales_unit,
    cast(currency as varchar) as document_currency,
    cast(exchange_rate as double) as exchange_rate,
    cast(gross_amount as double) as gross_revenue,
    cast(gross_amount - net_amount as double) as discounts,
    cast(net_amount as double) as net_revenue,
    cast(standard_unit_cost as double) as standard_unit_cost,
    cast(production_cost as double) as production_cost,
    cast(is_missing_standard_cost as boolean) as is_missing_standard_cost
from lines
