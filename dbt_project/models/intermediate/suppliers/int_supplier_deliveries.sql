-- Each schedule line with what actually arrived: the net received quantity (a 102 reversal
-- cancels its 101 receipt) and the date the net quantity was first complete.
with

lines as (
    select * from {{ ref('stg_sap__purchase_order_lines') }}
),

movements as (
    select
        purchase_order,
        purchase_order_item,
        posting_date,
        sum(received_quantity) as received_quantity,
        sum(returned_quantity) as returned_quantity
    from {{ ref('stg_sap__goods_receipts') }}
    group by purchase_order, purchase_order_item, posting_date
),

running as (
    select
        *,
        sum(received_quantity) over (
            partition by purchase_order, purchase_order_item
            order by posting_date
            rows between unbounded preceding and current row
        ) as received_so_far,
        sum(received_quantity) over (partition by purchase_order, purchase_order_item)
            as net_received
    from movements
),

arrivals as (
    select
        purchase_order,
        purchase_order_item,
        max(net_received) as net_received_quantity,
        sum(returned_quantity) as returned_quantity,
        min(case when net_received > 0 and received_so_far >= net_received then posting_date end)
            as actual_delivery_date
    from running
    group by purchase_order, purchase_order_item
)

select
    lines.*,
    coalesce(arrivals.net_received_quantity, 0) as net_received_quantity,
    coalesce(arrivals.returned_quantity, 0) as returned_quantity,
    arrivals.actual_delivery_date
from lines
left join arrivals
    on arrivals.purchase_order = lines.purchase_order
    and arrivals.purchase_order_item = lines.purchase_order_item
