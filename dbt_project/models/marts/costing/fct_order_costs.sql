-- One row per sales order with the cost of its order-level activities, so an analyst can
-- drill from a customer's cost to the documents behind it. Activities driven per shipment
-- (e.g. Scania's invoicing) are customer-level and appear in fct_customer_activity_costs.
--
-- Incremental by order month (macros/incremental.sql): all of an order's activity rows sit
-- in the month of its first line, so the months int_activity_costs rebuilt are rebuilt here.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='order_month',
    on_schema_change='fail',
) }}
with

month_inputs as (
    {{ month_fingerprints(
        [build_ids_by_month(ref('int_activity_costs'), 'period_month')],
        global_fingerprint(),
    ) }}
),

months_to_build as (
    {{ months_changed('month_inputs', 'order_month') }}
),

costs as (
    select * from {{ ref('int_activity_costs') }}
    where sales_order is not null
        and period_month in (select period_month from months_to_build)
),

orders as (
    select
        sales_order,
        max(customer_id) as customer_id,
        max(customer_group) as customer_group,
        max(order_channel) as order_channel,
        max(period_month) as period_month,
        max(case when cost_driver = 'order_line' then driver_quantity end) as order_lines,
        sum(case when activity_family = 'order_handling' then cost else 0 end)
            as order_handling_cost,
        sum(case when activity_family = 'delivery' then cost else 0 end) as delivery_cost,
        sum(case when activity_family = 'invoicing' then cost else 0 end) as invoicing_cost,
        sum(case when activity_family = 'informing' then cost else 0 end) as informing_cost,
        sum(case when activity_family = 'packing' then cost else 0 end) as packing_cost,
        sum(case when activity_family not in
            ('order_handling', 'delivery', 'invoicing', 'informing', 'packing')
            then cost else 0 end) as other_order_cost,
        sum(time_hours) as time_hours,
        sum(cost) as total_order_cost
    from costs
    group by sales_order
)

select
    cast(sales_order as varchar) as sales_order,
    cast(customer_id as varchar) as customer_id,
    cast(customer_group as varchar) as customer_group,
    cast(order_channel as varchar) as order_channel,
    cast(period_month as date) as order_month,
    cast(order_lines as double) as order_lines,
    cast(order_handling_cost as double) as order_handling_cost,
    cast(delivery_cost as double) as delivery_cost,
    cast(invoicing_cost as double) as invoicing_cost,
    cast(informing_cost as double) as informing_cost,
    cast(packing_cost as double) as packing_cost,
    cast(other_order_cost as double) as other_order_cost,
    cast(time_hours as double) as time_hours,
    cast(total_order_cost as double) as total_order_cost,
    month_inputs.inputs_fingerprint,
    '{{ invocation_id }}' as build_id
from orders
left join month_inputs using (period_month)
