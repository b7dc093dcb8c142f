-- Per supplier and month: delivery precision (by agreed delivery month), quality (by
-- receipt month) and price (by invoice month).
with

deliveries as (
    select
        supplier_id,
        agreed_delivery_month as period_month,
        count(*) as schedule_lines,
        count(*) filter (where is_delivered) as delivered_lines,
        count(*) filter (where is_on_time) as on_time_lines,
        count(*) filter (where is_otif) as otif_lines,
        count(*) filter (where days_late > 0) as late_lines,
        avg(case when days_late > 0 then days_late end) as average_days_late,
        count(*) filter (where days_early > 0) as early_lines,
        avg(case when days_early > 0 then days_early end) as average_days_early
    from {{ ref('fct_supplier_deliveries') }}
    group by supplier_id, agreed_delivery_month
),

receipts as (
    select
        supplier_id,
        posting_month as period_month,
        sum(received_quantity) as received_quantity,
        sum(returned_quantity) as returned_quantity
    from {{ ref('stg_sap__goods_receipts') }}
    group by supplier_id, posting_month
),

complaints as (
    select
        supplier_id,
        created_month as period_month,
        count(*) as complaints,
        sum(coalesce(complaint_quantity, 0)) as complained_quantity
    from {{ ref('stg_sap__quality_notifications') }}
    where notification_type = 'Q2' and supplier_id is not null
    group by supplier_id, created_month
),

prices as (
    select
        supplier_id,
        invoice_month as period_month,
        sum(price_variance) as price_variance,
        sum(agreed_amount) as agreed_amount,
        sum(invoiced_amount_company_currency) as invoiced_amount
    from {{ ref('int_supplier_price_variance') }}
    group by supplier_id, invoice_month
),

keys as (
    select supplier_id, period_month from deliveries
    union select supplier_id, period_month from receipts
    union select supplier_id, period_month from complaints
    union select supplier_id, period_month from prices
)

select
    cast(keys.supplier_id as varchar) as supplier_id,
    cast(keys.period_month as date) as period_month,
    cast(coalesce(deliveries.schedule_lines, 0) as bigint) as schedule_lines,
    cast(coalesce(deliveries.on_time_lines, 0) as bigint) as on_time_lines,
    cast(deliveries.on_time_lines * 1.0 / nullif(deliveries.schedule_lines, 0) as double)
        as on_time_share,
    cast(deliveries.average_days_late as double) as average_days_late,
    cast(deliveries.average_days_early as double) as average_days_early,
    cast(coalesce(deliveries.otif_lines, 0) as bigint) as otif_lines,
    cast(deliveries.otif_lines * 1.0 / nullif(deliveries.schedule_lines, 0) as double) as otif_share,
    cast(coalesce(receipts.received_quantity, 0) as double) as received_quantity,
    cast(coalesce(receipts.returned_quantity, 0) as double) as returned_quantity,
    cast(coalesce(complaints.complaints, 0) as bigint) as complaints,
    cast(coalesce(complaints.complained_quantity, 0) as double) as complained_quantity,
    -- PPM: complained (rejected) quantity per million received.
    cast(
        coalesce(complaints.complained_quantity, 0) * 1e6 / nullif(receipts.received_quantity, 0)
        as double
    ) as ppm,
    cast(coalesce(prices.price_variance, 0) as double) as price_variance,
    cast(prices.price_variance / nullif(prices.agreed_amount, 0) as double) as price_variance_share,
    cast(coalesce(prices.invoiced_amount, 0) as double) as invoiced_amount
from keys
left join deliveries using (supplier_id, period_month)
left join receipts using (supplier_id, period_month)
left join complaints using (supplier_id, period_month)
left join prices using (supplier_id, period_month)
