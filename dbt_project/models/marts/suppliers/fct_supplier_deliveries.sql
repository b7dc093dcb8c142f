-- One row per schedule line: agreed and actual date, days early or late, on time within the
-- segment's window, in full within its quantity tolerance, OTIF.
with

deliveries as (
    select * from {{ ref('int_supplier_deliveries') }}
),

suppliers as (
    select * from {{ ref('stg_sap__suppliers') }}
),

windows as (
    select * from {{ ref('supplier_delivery_windows') }}
),

joined as (
    select
        deliveries.*,
        suppliers.supplier_segment,
        coalesce(specific.days_early_allowed, fallback.days_early_allowed) as days_early_allowed,
        coalesce(specific.days_late_allowed, fallback.days_late_allowed) as days_late_allowed,
        coalesce(specific.quantity_tolerance, fallback.quantity_tolerance) as quantity_tolerance,
        {{ dbt.datediff('deliveries.agreed_delivery_date', 'deliveries.actual_delivery_date', 'day') }}
            as days_from_agreed
    from deliveries
    left join suppliers on suppliers.supplier_id = deliveries.supplier_id
    left join windows as specific on specific.supplier_segment = suppliers.supplier_segment
    left join windows as fallback on fallback.supplier_segment = '*'
),

judged as (
    select
        *,
        actual_delivery_date is not null
            and days_from_agreed between -days_early_allowed and days_late_allowed as is_on_time,
        net_received_quantity > 0
            and abs(net_received_quantity - scheduled_quantity)
                <= quantity_tolerance * scheduled_quantity as is_in_full
    from joined
)

select
    cast(purchase_order as varchar) as purchase_order,
    cast(purchase_order_item as bigint) as purchase_order_item,
    cast(schedule_line as bigint) as schedule_line,
    cast(supplier_id as varchar) as supplier_id,
    cast(supplier_segment as varchar) as supplier_segment,
    cast(material_id as varchar) as material_id,
    cast(agreed_delivery_date as date) as agreed_delivery_date,
    cast(agreed_delivery_month as date) as agreed_delivery_month,
    cast(actual_delivery_date as date) as actual_delivery_date,
    cast(scheduled_quantity as double) as scheduled_quantity,
    cast(net_received_quantity as double) as net_received_quantity,
    cast(returned_quantity as double) as returned_quantity,
    cast(days_from_agreed as integer) as days_from_agreed,
    cast(greatest(days_from_agreed, 0) as integer) as days_late,
    cast(greatest(-days_from_agreed, 0) as integer) as days_early,
    cast(days_early_allowed as integer) as days_early_allowed,
    cast(days_late_allowed as integer) as days_late_allowed,
    cast(actual_delivery_date is not null as boolean) as is_delivered,
    cast(is_on_time as boolean) as is_on_time,
    cast(is_in_full as boolean) as is_in_full,
    cast(is_on_time and is_in_full as boolean) as is_otif
from judged
