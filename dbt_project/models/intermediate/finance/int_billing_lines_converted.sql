-- Billing lines with amounts in the company currency at the rate valid on the billing date.
-- A line whose currency has no rate on its date keeps NULL amounts and is flagged, so the
-- revenue reconciliation fails instead of silently treating it as zero.
-- A view: int_billing_lines_costed is the one table of billing lines the marts read, so
-- the lines are written once per build, not twice.
{{ config(materialized='view') }}
with

billing as (
    select * from {{ ref('stg_sap__billing_lines') }}
),

converted as (
    select
        billing.*,
        {{ rate_to_company_currency('billing.currency') }} as exchange_rate
    from billing
    {{ join_rate_to_company_currency('billing.currency', 'billing.billing_date') }}
)

select
    *,
    gross_amount_doc_currency * exchange_rate as gross_amount,
    net_amount_doc_currency * exchange_rate as net_amount,
    exchange_rate is null as is_missing_exchange_rate
from converted
