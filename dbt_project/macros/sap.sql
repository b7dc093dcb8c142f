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
