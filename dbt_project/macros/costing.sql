{#- Costing conventions shared by the intermediate and mart models. -#}

{# Rates as costs are computed with them: rounded to var('rate_rounding_decimals') decimals
   when set, the way a hand calculation does (the reference thesis used 2: 7.51 NOK/min),
   else at full precision (10 decimals). Costs are then exact DECIMAL products. #}
{% macro applied_rate(expression) -%}
    {%- set decimals = var('rate_rounding_decimals') -%}
    {%- if decimals is none -%}
        cast({{ expression }} as {{ rate_type() }})
    {%- else -%}
        cast(round({{ expression }}, {{ decimals }}) as {{ rate_type() }})
    {%- endif -%}
{%- endmacro %}

{% macro rate_type() %}decimal(24, 10){% endmacro %}
{% macro money_type() %}decimal(38, 10){% endmacro %}
{% macro quantity_type() %}decimal(24, 6){% endmacro %}

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

{# The activity families that are columns of the customer P&L (a public interface).
   A family added to the catalogue but not listed here lands in other_activity_cost. #}
{% macro pnl_activity_families() -%}
    {{ return(['order_handling', 'delivery', 'invoicing', 'informing', 'packing', 'visits',
               'agent_commission', 'complaints', 'ppap', 'audits', 'development', 'testing']) }}
{%- endmacro %}

{# The P&L's activity cost columns: <family>_cost for each family above. #}
{% macro pnl_family_cost_columns() -%}
    {%- set columns = [] -%}
    {%- for family in pnl_activity_families() -%}{%- do columns.append(family ~ '_cost') -%}{%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{# The last day of a period row (period_type 'month' or 'year'). #}
{% macro period_end(period_type, period_start) -%}
    cast(case when {{ period_type }} = 'year'
        then {{ dbt.dateadd('day', -1, dbt.dateadd('year', 1, period_start)) }}
        else {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, period_start)) }}
    end as date)
{%- endmacro %}
