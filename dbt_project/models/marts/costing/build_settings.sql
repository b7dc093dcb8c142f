-- The dbt variables the marts of this build were computed with (dbt_project.yml's, the
-- settings file's [dbt_vars] and a run's --vars, resolved by dbt): the reconciliation and
-- the analytics read them here, so a run with other vars checks and charts what it built.
{%- set rounding = var('rate_rounding_decimals') %}
{%- set area = var('valuation_area') %}
select
    '{{ var("company_currency") }}'::varchar as company_currency,
    '{{ var("exchange_rate_type") }}'::varchar as exchange_rate_type,
    {{ "'" ~ area ~ "'" if area is not none else 'null' }}::varchar as valuation_area,
    '{{ var("rate_basis") }}'::varchar as rate_basis,
    {{ rounding if rounding is not none else 'null' }}::integer as rate_rounding_decimals,
    {{ var('max_utilisation') }}::double as max_utilisation,
    {{ var('relationship_revenue_share_high') }}::double as relationship_revenue_share_high,
    {{ var('relationship_purchase_share_high') }}::double as relationship_purchase_share_high,
    {{ var('relationship_switching_cost_high') }}::double as relationship_switching_cost_high,
    {{ var('relationship_category_share_high') }}::double as relationship_category_share_high,
    {{ var('relationship_supplier_dependency_high') }}::double
        as relationship_supplier_dependency_high
