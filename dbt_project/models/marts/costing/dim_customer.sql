-- Every customer the marts mention: the customer master, plus any sold-to customer billed
-- but missing from the master (group '(not in customer master)').
with

customers as (
    select * from {{ ref('stg_sap__customers') }}
),

billing as (
    select * from {{ ref('int_billing_lines_costed') }}
),

channels as (
    select
        sold_to_customer_id as customer_id,
        order_channel,
        count(*) as lines,
        row_number() over (partition by sold_to_customer_id order by count(*) desc, order_channel)
            as channel_rank
    from billing
    group by sold_to_customer_id, order_channel
),

activity as (
    select
        sold_to_customer_id as customer_id,
        min(billing_date) as first_billing_date,
        max(billing_date) as last_billing_date
    from billing
    group by sold_to_customer_id
),

all_customers as (
    select customer_id, customer_name, country, customer_group, customer_group_name, incoterms
    from customers
    union all
    select
        activity.customer_id, null, null,
        {{ unknown_customer_group() }}, {{ unknown_customer_group() }}, null
    from activity
    where activity.customer_id not in (select customer_id from customers)
)

select
    cast(all_customers.customer_id as varchar) as customer_id,
    cast(all_customers.customer_name as varchar) as customer_name,
    cast(all_customers.country as varchar) as country,
    cast(all_customers.customer_group as varchar) as customer_group,
    cast(all_customers.customer_group_name as varchar) as customer_group_name,
    cast(all_customers.incoterms as varchar) as incoterms,
    cast(channels.order_channel as varchar) as main_order_channel,
    cast(activity.first_billing_date as date) as first_billing_date,
    cast(activity.last_billing_date as date) as last_billing_date
from all_customers
left join channels
    on channels.customer_id = all_customers.customer_id and channels.channel_rank = 1
left join activity on activity.customer_id = all_customers.customer_id
