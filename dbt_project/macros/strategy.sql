{#- The relationship-power quadrant, the same for customers and suppliers:
    we_depend     we depend on the counterpart (it is important to us, or holds our category)
    they_depend   the counterpart depends on us; null when not estimated
    counterpart   'customer' or 'supplier', for the label of the quadrant where it holds the power -#}
{% macro power_quadrant(we_depend, they_depend, counterpart) -%}
    cast(
        case
            when ({{ they_depend }}) is null then 'not estimated'
            when ({{ we_depend }}) and ({{ they_depend }}) then 'mutual dependence'
            when ({{ we_depend }}) then '{{ counterpart }} holds the power'
            when ({{ they_depend }}) then 'we hold the power'
            else 'low mutual interest'
        end as varchar
    )
{%- endmacro %}
