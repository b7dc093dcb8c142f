-- Billing lines with amounts in the company currency at the rate valid on the billing date.
-- A line whose currency has no rate on its date keeps NULL amounts and is flagged, so the
-- revenue reconciliation fails instead of silently treating it as zero.
with

billing as (
    select * from {{ ref('stg_sap__billing_lines') }}
),

rates as (
    select * from {{ ref('int_exchange_rates_valid') }}
),

converted as (
    select
        billing.*,
        case
            when billing.currency = '{{ var("company_currency") }}' then 1
            else rates.rate
        end as exchange_rate
    from billing
    left join rates
        on billing.currency = rates.from_currency
        and billing.billing_date between rates.valid_from and rates.valid_to
)

select
    *,
    gross_amount_doc_currency * exchange_rate as gross_amount,
    net_amount_doc_currency * exchange_rate as net_amount,
    exchange_rate is null as is_missing_exchange_rate
from converted
