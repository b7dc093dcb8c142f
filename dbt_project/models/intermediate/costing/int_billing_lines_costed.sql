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
with

month_inputs as (
    {{ month_fingerprints(
        [load_ids_by_month(ref('stg_sap__billing_lines'), 'billing_month')],
        global_fingerprint(
            loaded_relations=[
                ref('stg_sap__customers'), ref('stg_sap__standard_costs'),
                ref('stg_sap__exchange_rates')
            ],
            seeds=[ref('billing_categories')],
        ),
    ) }}
),

months_to_build as (
    {{ months_changed('month_inputs', 'billing_month') }}
),

billing as (
    select * from {{ ref('int_billing_lines_converted') }}
    where billing_month in (select period_month from months_to_build)
),

categories as (
    select * from {{ ref('billing_categories') }}
),

standard_costs as (
    select * from {{ ref('stg_sap__standard_costs') }}
    {% if var('valuation_area') is not none %}
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
    joined.*,
    case when moves_goods then billed_quantity else 0 end as production_quantity,
    case when moves_goods then billed_quantity * standard_unit_cost else 0 end as production_cost,
    moves_goods and standard_unit_cost is null as is_missing_standard_cost,
    month_inputs.inputs_fingerprint,
    '{{ invocation_id }}' as build_id
from joined
left join month_inputs on month_inputs.period_month = joined.billing_month
