-- Billing lines in company currency with what costing needs: the customer group, whether
-- the line counts as an order and moves goods (seed billing_categories), and production
-- cost at the standard cost valid on the billing date. A goods-moving line whose material
-- has no standard cost on that date is flagged, never costed at zero.
--
-- The one table of all billing lines, and the largest: incremental by month (see
-- macros/incremental.sql), so adding a month rewrites that month only. A change of the
-- customers, standard costs, exchange rates or the billing categories rebuilds every month.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='billing_month',
    on_schema_change='fail',
) }}
{%- set fingerprint = inputs_fingerprint(
    loaded_relations=[
        ref('stg_sap__customers'), ref('stg_sap__standard_costs'), ref('stg_sap__exchange_rates')
    ],
    seeds=[ref('billing_categories')],
) %}
with

billing as (
    select * from {{ ref('int_billing_lines_converted') }}
    {{ months_to_rebuild(ref('stg_sap__billing_lines'), 'billing_month', fingerprint) }}
),

categories as (
    select * from {{ ref('billing_categories') }}
),

standard_costs as (
    select * from {{ ref('stg_sap__standard_costs') }}
    {% if var('valuation_area', none) is not none %}
    where valuation_area = '{{ var("valuation_area") }}'
    {% endif %}
),

customers as (
    select * from {{ ref('stg_sap__customers') }}
),

joined as (
    select
        billing.*,
        coalesce(customers.customer_group, {{ unknown_customer_group() }}) as customer_group,
        coalesce(categories.counts_as_order, false) as counts_as_order,
        coalesce(categories.moves_goods, false) as moves_goods,
        standard_costs.unit_cost as standard_unit_cost
    from billing
    left join customers
        on customers.customer_id = billing.sold_to_customer_id
    left join categories
        on categories.billing_category = billing.billing_category
    left join standard_costs
        on standard_costs.material_id = billing.material_id
        and billing.billing_date between standard_costs.valid_from and standard_costs.valid_to
)

select
    *,
    case when moves_goods then billed_quantity else 0 end as production_quantity,
    case when moves_goods then billed_quantity * standard_unit_cost else 0 end as production_cost,
    moves_goods and standard_unit_cost is null as is_missing_standard_cost,
    {{ fingerprint }} as inputs_fingerprint
from joined
