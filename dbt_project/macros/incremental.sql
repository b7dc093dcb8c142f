{#- Month-incremental models: a build rewrites only the months whose inputs changed since
    the last build (delete+insert on the month), and every month when something every
    month reads has changed.

    Every row carries two columns:
      inputs_fingerprint  what its month was built from: the load ids of the month's fact
                          rows (loads replace whole periods under a new load id), the
                          build_id of the month in the month-incremental models it reads,
                          and the global fingerprint below.
      build_id            the dbt invocation that wrote the month. A downstream
                          month-incremental model takes it as an input of the month, so a
                          month rebuilt upstream, for whatever reason, is rebuilt below.
    A month whose fact rows were deleted from raw by hand needs `--full-refresh`. -#}

{#- The inputs every month reads: the load ids of master-data extracts (reloading one
    changes them), the content of seeds, the vars, and the code of this model and of every
    model and seed upstream of it (an edited model must not leave months built by the old
    code; an edit elsewhere, or a model added downstream, changes nothing here). Macros
    are not in dbt's graph: after editing one a model uses, build with --full-refresh. -#}
{% macro global_fingerprint(loaded_relations=[], seeds=[]) -%}
    {%- set code = [] -%}
    {#- graph has no nodes inside a unit test -#}
    {%- if execute and graph.get('nodes') -%}
        {%- set todo = [model.unique_id] -%}
        {%- set seen = [] -%}
        {#- todo grows while the loop walks it: a breadth-first walk up the DAG -#}
        {%- for unique_id in todo if unique_id not in seen and unique_id in graph.nodes -%}
            {%- set node = graph.nodes[unique_id] -%}
            {%- do seen.append(unique_id) -%}
            {%- if node.resource_type in ('model', 'seed') -%}
                {%- do code.append(unique_id ~ '=' ~ node.checksum.checksum) -%}
            {%- endif -%}
            {%- do todo.extend(node.get('depends_on', {}).get('nodes', [])) -%}
        {%- endfor -%}
    {%- endif %}
    md5(concat_ws('|',
        '{{ local_md5(code | sort | join(",")) }}',
        {%- for relation in loaded_relations %}
        (select list_sort(list(distinct load_id))::varchar from {{ relation }}),
        {%- endfor %}
        {%- for seed in seeds %}
        (select md5(string_agg(seed_row::varchar, ',' order by seed_row::varchar))
         from {{ seed }} as seed_row),
        {%- endfor %}
        '{{ var("company_currency") }}', '{{ var("exchange_rate_type") }}',
        '{{ var("valuation_area") or "" }}', '{{ var("rate_basis") }}',
        '{{ var("rate_rounding_decimals") if var("rate_rounding_decimals") is not none else "" }}'
    ))
{%- endmacro %}

{#- One part of a month's inputs: the load ids of a loaded relation's rows in the month. -#}
{% macro load_ids_by_month(relation, month_column) -%}
    select
        {{ month_column }} as period_month,
        '{{ relation.identifier }}:' || list_sort(list(distinct load_id))::varchar as part
    from {{ relation }}
    group by {{ month_column }}
{%- endmacro %}

{#- One part of a month's inputs: the build that wrote the month in an upstream
    month-incremental model. -#}
{% macro build_ids_by_month(relation, month_column) -%}
    select
        {{ month_column }} as period_month,
        '{{ relation.identifier }}:' || min(build_id) as part
    from {{ relation }}
    group by {{ month_column }}
{%- endmacro %}

{#- The fingerprint of each month's inputs, from parts (selects of period_month, part). -#}
{% macro month_fingerprints(parts, global) -%}
    select
        period_month,
        md5(concat_ws('|', {{ global }}, string_agg(part, '|' order by part)))
            as inputs_fingerprint
    from (
        {%- for part in parts %}
        {{ part }}
        {% if not loop.last %}union all{% endif %}
        {%- endfor %}
    )
    where period_month is not null
    group by period_month
{%- endmacro %}

{#- The months of `fingerprints` (a CTE from month_fingerprints) to (re)build: those whose
    fingerprint is not the one stored with the month; every month on a full build. -#}
{% macro months_changed(fingerprints, month_column) -%}
    {%- if is_incremental() and execute -%}
        {%- set built_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
        {%- if 'inputs_fingerprint' not in built_columns -%}
            {{ exceptions.raise_compiler_error(
                this ~ " was built by a version without month fingerprints: rebuild the"
                ~ " month-incremental models once with `abc-warehouse run --full-refresh`"
                ~ " (dbt build --full-refresh)") }}
        {%- endif -%}
    {%- endif %}
    select period_month from {{ fingerprints }}
    {%- if is_incremental() %}
    where not exists (
        select 1 from (select distinct {{ month_column }}, inputs_fingerprint from {{ this }}) as built
        where built.{{ month_column }} = {{ fingerprints }}.period_month
            and built.inputs_fingerprint = {{ fingerprints }}.inputs_fingerprint
    )
    {%- endif %}
{%- endmacro %}
