{#- Shared SAP conventions, so no staging model repeats them. -#}

{# VBRP and similar tables keep amounts unsigned; the sign comes from the document
   category. An amount that arrives already negative is taken by its size. #}
{% macro signed_amount(amount, sign) -%}
    (abs({{ amount }}) * {{ sign }})
{%- endmacro %}

{# SAP's open-ended validity (9999-12-31) is not a real date to aggregate on. #}
{% macro open_ended(date_column) -%}
    nullif({{ date_column }}, cast('9999-12-31' as date))
{%- endmacro %}

{# Conversion to the company currency at the rate valid on a date: the join, then the rate
   (1 for amounts already in the company currency; NULL when no rate is valid). #}
{% macro join_rate_to_company_currency(currency, on_date, alias='rates') -%}
    left join {{ ref('int_exchange_rates_valid') }} as {{ alias }}
        on {{ alias }}.from_currency = {{ currency }}
        and {{ on_date }} between {{ alias }}.valid_from and {{ alias }}.valid_to
{%- endmacro %}

{% macro rate_to_company_currency(currency, alias='rates') -%}
    (case when {{ currency }} = '{{ var("company_currency") }}' then 1 else {{ alias }}.rate end)
{%- endmacro %}
