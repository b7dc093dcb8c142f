-- The job written by hand in DuckDB SQL: the yearly cost per customer and activity family
-- of the order- and order-line-driven activities and production at standard, from the
-- same billing, customer and standard-cost extracts the product loads and the same seeds.
-- It computes what benchmark/baseline.py computes with pandas, the way a data engineer
-- would write it in one script: native typed reads, no quarantine, no reconciliation.
-- benchmark/peer_duckdb.py fills in the $-placeholders (file lists and paths).

-- SAP's 1.234,56 (and 1234.56) as a number; anything else null.
create temp macro sap_number(text) as try_cast(
    case when contains(text, ',') then replace(replace(trim(text), '.', ''), ',', '.')
        else trim(text) end as double);

create temp table billing as
with raw as (
    -- Every field read natively, typed by DuckDB where its options can (integers);
    -- SAP's 1.234,56 numbers and two date layouts are converted below. Banners, rules and
    -- repeated headers fail the POSNR integer and are skipped by ignore_errors.
    select *
    from read_csv($billing_files, delim = ';', header = false, quote = '"',
        null_padding = true, ignore_errors = true, strict_mode = false,
        auto_detect = false,
        columns = {
            'VBELN': 'VARCHAR', 'POSNR': 'INTEGER', 'FKART': 'VARCHAR', 'VBTYP': 'VARCHAR',
            'FKDAT': 'VARCHAR', 'KUNAG': 'VARCHAR', 'KUNWE': 'VARCHAR', 'AUBEL': 'VARCHAR',
            'VGBEL': 'VARCHAR', 'MATNR': 'VARCHAR', 'FKIMG': 'VARCHAR', 'VRKME': 'VARCHAR',
            'BRTWR': 'VARCHAR', 'NETWR': 'VARCHAR', 'WAERK': 'VARCHAR', 'BSARK': 'VARCHAR'
        })
    where regexp_full_match(VBELN, '\s*\d+\s*')
),
typed as (
    select
        trim(VBELN) as document,
        POSNR as item,
        trim(FKART) as category,
        coalesce(try_strptime(trim(FKDAT), '%Y%m%d'), try_strptime(trim(FKDAT), '%d.%m.%Y'))::date
            as billing_date,
        nullif(ltrim(trim(KUNAG), '0'), '') as customer,
        ltrim(trim(AUBEL), '0') as sales_order,
        ltrim(trim(VGBEL), '0') as delivery,
        ltrim(trim(MATNR), '0') as material,
        sap_number(FKIMG) as quantity,
        sap_number(BRTWR) as gross,
        sap_number(NETWR) as net,
        upper(trim(BSARK)) as channel
    from raw
)
select t.* exclude (quantity, gross, net), t.quantity * c.sign as quantity,
    c.counts_as_order, c.moves_goods, k.customer_group,
    date_trunc('month', t.billing_date) as month
from typed t
join read_csv($seeds || '/billing_categories.csv') c on c.billing_category = t.category
left join (
    select distinct ltrim(trim(KUNNR), '0') as customer, trim(KDGRP) as customer_group
    from read_csv($customers_file, delim = ';', encoding = 'latin-1', all_varchar = true)
) k using (customer)
-- As the loader: a billing date outside 1950-2099 is a typo, not revenue.
where year(t.billing_date) between 1950 and 2099
    and t.customer is not null and t.quantity is not null and t.item is not null
    and t.document is not null and t.sales_order is not null and t.delivery is not null
    and t.material is not null and t.channel is not null
    and t.gross is not null and t.net is not null;

copy (
with standard as (
    select ltrim(trim(MATNR), '0') as material,
        sap_number(if(VPRSV = 'V', VERPR, STPRS)) / sap_number(PEINH) as unit_cost,
        strptime(KADAT, '%Y%m%d')::date as valid_from,
        strptime(replace(BIDAT, '99991231', '22621231'), '%Y%m%d')::date as valid_to
    from read_csv($standard_costs_file, delim = '\t', all_varchar = true)
),
production as (
    select b.customer, 'production' as family, sum(b.quantity * s.unit_cost) as cost
    from billing b
    join standard s on s.material = b.material
        and b.billing_date between s.valid_from and s.valid_to
    where b.moves_goods
    group by all
),
order_lines as (select * from billing where counts_as_order),
orders as (
    -- An order belongs to the customer and channel of its first invoice line.
    select sales_order,
        arg_min({'customer': customer, 'customer_group': customer_group, 'channel': channel},
            (billing_date, document, item)) as first_line,
        count(distinct material) as order_lines
    from order_lines
    group by sales_order
),
per_channel as (
    select first_line.customer, first_line.customer_group, first_line.channel,
        count(*) as order_count, sum(order_lines) as order_lines
    from orders
    group by all
),
shipments as (
    select customer, customer_group, count(distinct (month, delivery)) as shipment
    from order_lines
    group by all
),
catalogue as (
    select activity_id, activity_family, cost_driver, applies_to_channel,
        time_per_driver_unit * if(time_unit = 'hour', 60, 1) as minutes_per_unit
    from read_csv($seeds || '/activity_catalogue.csv')
    where activity_family in ('order_handling', 'delivery', 'invoicing', 'informing',
            'packing', 'production')
        and cost_method = 'time'
),
overrides as (
    select activity_id, customer_group, is_excluded, cost_driver,
        time_per_driver_unit * if(time_unit = 'hour', 60, 1) as minutes_per_unit
    from read_csv($seeds || '/activity_time_overrides.csv')
),
rates as (
    select activity_id, applied_rate_per_hour::double as rate_per_hour
    from read_parquet($rates_file)
    where period_type = 'year'
),
drivers as (
    select a.activity_id, a.activity_family, a.cost_driver, a.minutes_per_unit,
        p.customer, p.customer_group,
        sum(p.order_count) as order_count, sum(p.order_lines) as order_lines
    from catalogue a
    join per_channel p on a.applies_to_channel is null or p.channel = a.applies_to_channel
    group by all
),
activity_costs as (
    select d.customer, d.activity_family as family,
        case
            when o.is_excluded then 0.0
            when o.activity_id is not null then
                case coalesce(o.cost_driver, d.cost_driver)
                    when 'shipment' then coalesce(s.shipment, 0)
                    when 'order_line' then d.order_lines
                    else d.order_count
                end * o.minutes_per_unit
            else if(d.cost_driver = 'order_line', d.order_lines, d.order_count)
                * d.minutes_per_unit
        end / 60 * r.rate_per_hour as cost
    from drivers d
    join rates r using (activity_id)
    left join shipments s on s.customer = d.customer
        and s.customer_group is not distinct from d.customer_group
    left join overrides o on o.activity_id = d.activity_id
        and o.customer_group = d.customer_group
)
select customer, family, sum(cost) as cost
from (from production union all by name from activity_costs)
group by all
) to $out (format parquet);
