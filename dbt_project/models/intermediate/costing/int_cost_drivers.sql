-- How much of each cost driver each customer consumed per month. Order-level drivers keep
-- their sales order so costs can be drilled down to documents. Rows without a customer
-- (internal development time, notifications without a customer) are kept: they use
-- capacity that is then shown as not assigned, never spread over customers.
--
-- Incremental by month (macros/incremental.sql). An order belongs to the month of its first
-- line and counts its lines in every month, so a changed month also rebuilds the months its
-- orders belong to, before and after the change.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='period_month',
    on_schema_change='fail',
) }}
with

-- Scans of the lines are NOT MATERIALIZED: DuckDB keeps a CTE used more than once in
-- memory (about 1.9 GB at 10 million lines), where scanning the table again costs less.
lines as not materialized (
    select * from {{ ref('int_billing_lines_costed') }}
),

order_lines as not materialized (
    select * from lines where counts_as_order
),

month_inputs as (
    {{ month_fingerprints(
        [
            build_ids_by_month(ref('int_billing_lines_costed'), 'billing_month'),
            load_ids_by_month(ref('stg_sap__timesheets'), 'work_month'),
            load_ids_by_month(ref('stg_sap__quality_notifications'), 'created_month'),
            load_ids_by_month(ref('stg_sap__travel_expenses'), 'trip_month'),
        ],
        global_fingerprint(
            loaded_relations=[
                ref('stg_sap__customers'), ref('stg_sap__projects'), ref('stg_sap__employees'),
                ref('stg_sap__exchange_rates'),
            ],
            seeds=[ref('sap_cost_driver_codes')],
        ),
    ) }}
),

changed_months as (
    {{ months_changed('month_inputs', 'period_month') }}
),

{% if is_incremental() %}
-- Orders with a line in a changed month now, or (by the span stored with them) before.
touched_orders as (
    select sales_order from order_lines
    where billing_month in (select period_month from changed_months)
    union
    select built.sales_order from {{ this }} as built
    where built.cost_driver = 'order'
        and exists (
            select 1 from changed_months
            where changed_months.period_month
                between built.period_month and built.order_last_month
        )
),

-- The months those orders belong to, now and as built.
months_to_build as (
    select period_month from changed_months
    union
    select built.period_month from {{ this }} as built
    where built.cost_driver = 'order'
        and built.sales_order in (select sales_order from touched_orders)
    union
    select min(billing_month) from order_lines
    where sales_order in (select sales_order from touched_orders)
    group by sales_order
),

-- Every line of the orders that belong to a month to build, whichever month it is in.
orders_to_build as not materialized (
    select * from order_lines
    where sales_order in (
        select sales_order from order_lines
        where billing_month in (select period_month from months_to_build)
    )
),
{% else %}
months_to_build as (
    select period_month from changed_months
),

orders_to_build as not materialized (
    select * from order_lines
),
{% endif %}

lines_to_build as not materialized (
    select * from lines where billing_month in (select period_month from months_to_build)
),

-- An order belongs to the customer, channel and month of its first invoice line. arg_min
-- finds that line in one hash aggregation; a row_number() window would sort every line.
first_lines as (
    select
        sales_order,
        arg_min(
            {
                'customer_id': sold_to_customer_id,
                'customer_group': customer_group,
                'order_channel': order_channel,
                'period_month': billing_month
            },
            (billing_date, billing_document, billing_item)
        ) as first_line,
        count(distinct material_id) as order_lines,
        max(billing_month) as order_last_month
    from orders_to_build
    group by sales_order
),

orders as (
    select
        sales_order,
        first_line.customer_id,
        first_line.customer_group,
        first_line.order_channel,
        first_line.period_month,
        order_lines,
        order_last_month
    from first_lines
    where first_line.period_month in (select period_month from months_to_build)
),

customers as (
    select * from {{ ref('stg_sap__customers') }}
),

projects as (
    select
        projects.wbs_element,
        projects.customer_id,
        customers.customer_group
    from {{ ref('stg_sap__projects') }} as projects
    left join customers on customers.customer_id = projects.customer_id
),

timesheets as (
    select * from {{ ref('stg_sap__timesheets') }}
    where is_approved and work_month in (select period_month from months_to_build)
),

-- Which notification and activity types drive which cost (seed sap_cost_driver_codes).
codes as (
    select * from {{ ref('sap_cost_driver_codes') }}
),

-- Only the notification types the seed lists are customer work.
notifications as (
    select
        notifications.*,
        customers.customer_group,
        codes.cost_driver
    from {{ ref('stg_sap__quality_notifications') }} as notifications
    inner join codes
        on codes.sap_field = 'notification_type' and codes.code = notifications.notification_type
    left join customers on customers.customer_id = notifications.customer_id
    where notifications.created_month in (select period_month from months_to_build)
),

employees as (
    select * from {{ ref('stg_sap__employees') }}
),

trips as (
    select
        trips.*,
        customers.customer_group,
        employees.cost_centre as traveller_cost_centre,
        (trips.travel_cost_doc_currency + trips.per_diem_doc_currency)
        * {{ rate_to_company_currency('trips.currency') }} as expenses
    from {{ ref('stg_sap__travel_expenses') }} as trips
    left join customers on customers.customer_id = trips.customer_id
    {{ join_rate_to_company_currency('trips.currency', 'trips.trip_start') }}
    left join employees
        on employees.employee_id = trips.employee_id
        and trips.trip_start between employees.valid_from and employees.valid_to
    where trips.trip_month in (select period_month from months_to_build)
),

drivers as (
    select
        orders.customer_id, orders.customer_group, orders.period_month, orders.sales_order,
        orders.order_channel, 'order' as cost_driver, 1.0 as quantity,
        cast(null as varchar) as performer_cost_centre, 0.0 as expenses,
        orders.order_last_month
    from orders

    union all
    select
        orders.customer_id, orders.customer_group, orders.period_month, orders.sales_order,
        orders.order_channel, 'order_line', orders.order_lines, null, 0.0,
        orders.order_last_month
    from orders

    -- A shipment (delivery) may carry several orders: it is a customer-level driver.
    union all
    select
        sold_to_customer_id, customer_group, billing_month, null, null,
        'shipment', count(distinct delivery), null, 0.0, null
    from lines_to_build
    where counts_as_order
    group by sold_to_customer_id, customer_group, billing_month

    union all
    select
        sold_to_customer_id, customer_group, billing_month, null, null,
        'unit', sum(production_quantity), null, 0.0, null
    from lines_to_build
    group by sold_to_customer_id, customer_group, billing_month

    union all
    select
        sold_to_customer_id, customer_group, billing_month, null, null,
        'net_revenue', sum(net_amount), null, 0.0, null
    from lines_to_build
    group by sold_to_customer_id, customer_group, billing_month

    union all
    select
        customer_id, customer_group, created_month, null, null,
        cost_driver, count(*), null, 0.0, null
    from notifications
    group by customer_id, customer_group, created_month, cost_driver

    union all
    select
        projects.customer_id, projects.customer_group, timesheets.work_month, null, null,
        coalesce(own_code.cost_driver, any_code.cost_driver),
        sum(timesheets.approved_hours), timesheets.sender_cost_centre, 0.0, null
    from timesheets
    left join projects on projects.wbs_element = timesheets.wbs_element
    left join codes as own_code
        on own_code.sap_field = 'activity_type' and own_code.code = timesheets.activity_type
    left join codes as any_code
        on any_code.sap_field = 'activity_type' and any_code.code = '*'
    group by
        projects.customer_id, projects.customer_group, timesheets.work_month,
        coalesce(own_code.cost_driver, any_code.cost_driver), timesheets.sender_cost_centre

    union all
    select
        customer_id, customer_group, trip_month, null, null,
        'visit_hour', sum(hours_away), traveller_cost_centre, sum(expenses), null
    from trips
    group by customer_id, customer_group, trip_month, traveller_cost_centre
)

select
    customer_id,
    case
        when customer_id is null then {{ no_customer_group() }}
        else coalesce(customer_group, {{ unknown_customer_group() }})
    end as customer_group,
    period_month,
    sales_order,
    order_channel,
    cost_driver,
    cast(quantity as {{ quantity_type() }}) as quantity,
    performer_cost_centre,
    cast(expenses as {{ money_type() }}) as expenses,
    order_last_month,
    month_inputs.inputs_fingerprint,
    '{{ invocation_id }}' as build_id
from drivers
left join month_inputs using (period_month)
