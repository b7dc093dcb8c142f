{#- Costing conventions shared by the intermediate and mart models. -#}

{# Rates as a hand calculation uses them: rounded to var('rate_rounding_decimals')
   decimals when set (the reference thesis used 2: 7.51 NOK/min), else full precision. #}
{% macro applied_rate(expression) -%}
    {%- set decimals = var('rate_rounding_decimals', none) -%}
    {%- if decimals is none -%}{{ expression }}{%- else -%}round({{ expression }}, {{ decimals }}){%- endif -%}
{%- endmacro %}

{# Hours of time per driver unit, from a time and its unit (minute or hour). #}
{% macro hours_from(time_value, time_unit) -%}
    (case {{ time_unit }} when 'minute' then {{ time_value }} / 60.0 when 'hour' then {{ time_value }} end)
{%- endmacro %}

{# Sentinel customer groups: costs with no customer (internal time, complaints without a
   customer) and customers missing from the customer master. #}
{% macro no_customer_group() %}'(no customer)'{% endmacro %}
{% macro unknown_customer_group() %}'(not in customer master)'{% endmacro %}

{# Every mart comes in month and year periods: the year row sums its months. #}
{% macro months_and_years(relation, keys, sums) -%}
    select
        'month' as period_type,
        period_month as period_start,
        {{ keys | join(', ') }},
        {% for s in sums %}sum({{ s }}) as {{ s }}{% if not loop.last %}, {% endif %}{% endfor %}
    from {{ relation }}
    group by period_month, {{ keys | join(', ') }}
    union all
    select
        'year' as period_type,
        cast({{ dbt.date_trunc('year', 'period_month') }} as date) as period_start,
        {{ keys | join(', ') }},
        {% for s in sums %}sum({{ s }}) as {{ s }}{% if not loop.last %}, {% endif %}{% endfor %}
    from {{ relation }}
    group by cast({{ dbt.date_trunc('year', 'period_month') }} as date), {{ keys | join(', ') }}
{%- endmacro %}
