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

{# The activity catalogue as each customer group of relation `groups` (a customer_group
   column) sees it, seed activity_time_overrides applied: a group's own time, unit or driver
   for an activity, or the activity excluded for it. Only the activities costed by time
   or at an outside rate; production and commission are costed apart. The one definition
   for the costing (int_activity_costs) and the scenarios that cost drivers anew. #}
{% macro effective_activities(groups) -%}
    select
        groups.customer_group,
        catalogue.activity_id,
        catalogue.activity_family,
        catalogue.department_cost_centre,
        catalogue.cost_method,
        catalogue.cost_hierarchy_level,
        catalogue.external_rate,
        catalogue.applies_to_channel,
        catalogue.applies_to_customer_groups,
        coalesce(overrides.cost_driver, catalogue.cost_driver) as cost_driver,
        coalesce(overrides.time_per_driver_unit, catalogue.time_per_driver_unit)
            as time_per_driver_unit,
        coalesce(overrides.time_unit, catalogue.time_unit) as time_unit
    from {{ groups }} as groups
    cross join {{ ref('activity_catalogue') }} as catalogue
    left join {{ ref('activity_time_overrides') }} as overrides
        on overrides.activity_id = catalogue.activity_id
        and overrides.customer_group = groups.customer_group
    where not coalesce(overrides.is_excluded, false)
        and catalogue.cost_method in {{ time_driven_cost_methods() }}
        and (
            catalogue.applies_to_customer_groups is null
            or ' ' || catalogue.applies_to_customer_groups || ' '
                like '% ' || groups.customer_group || ' %'
        )
{%- endmacro %}

{% macro time_driven_cost_methods() %}('time', 'time_and_expenses', 'external_rate'){% endmacro %}

{# The drivers int_cost_drivers counts itself, from billing lines and trips; the others
   are named by seed sap_cost_driver_codes (timesheet activity and notification types). #}
{% macro built_in_cost_drivers() -%}
    {{ return(['order', 'order_line', 'shipment', 'unit', 'net_revenue', 'visit_hour']) }}
{%- endmacro %}

{# Whether a scenario override (int_scenario_overrides, aliased `override`) targets the
   customer of a row (aliased `row`, with customer_id, customer_group, is_loss_making). #}
{% macro scenario_member_matches(override, row) -%}
    (
        {{ override }}.member_type = 'all'
        or ({{ override }}.member_type = 'group' and {{ override }}.member_id = {{ row }}.customer_group)
        or ({{ override }}.member_type = 'customer' and {{ override }}.member_id = {{ row }}.customer_id)
        or ({{ override }}.member_type = 'loss_making' and {{ row }}.is_loss_making)
    )
{%- endmacro %}

{# Of the overrides that match a customer, the most specific wins: a number to order them
   by (customer, then group, then the loss-makers, then every customer). #}
{% macro scenario_member_precedence(override) -%}
    (case {{ override }}.member_type
        when 'customer' then 1 when 'group' then 2 when 'loss_making' then 3 else 4 end)
{%- endmacro %}

{# The customer P&L's amounts from a relation of summed measures (gross_revenue,
   net_revenue, production_cost, the <family>_cost columns, other_activity_cost), in the
   marts' column order: the one definition of discounts, cost-to-serve, total cost, net
   profit and relative profitability, for the actual P&L and every scenario's. #}
{% macro pnl_amounts(relation) -%}
    {%- set cost_to_serve -%}
        ({% for family in pnl_activity_families() %}{{ relation }}.{{ family }}_cost + {% endfor %}{{ relation }}.other_activity_cost)
    {%- endset -%}
    cast({{ relation }}.gross_revenue as double) as gross_revenue,
    cast({{ relation }}.gross_revenue - {{ relation }}.net_revenue as double) as discounts,
    cast({{ relation }}.net_revenue as double) as net_revenue,
    cast({{ relation }}.production_cost as double) as production_cost,
    {% for family in pnl_activity_families() %}
    cast({{ relation }}.{{ family }}_cost as double) as {{ family }}_cost,
    {% endfor %}
    cast({{ relation }}.other_activity_cost as double) as other_activity_cost,
    cast({{ cost_to_serve }} as double) as cost_to_serve,
    cast({{ relation }}.production_cost + {{ cost_to_serve }} as double) as total_cost,
    cast({{ relation }}.net_revenue - {{ relation }}.production_cost - {{ cost_to_serve }} as double)
        as net_profit,
    cast(
        ({{ relation }}.net_revenue - {{ relation }}.production_cost - {{ cost_to_serve }})
        / nullif({{ relation }}.net_revenue, 0) as double
    ) as relative_profitability
{%- endmacro %}
