{#- Month-incremental models: a build rewrites only the months whose fact rows were
    (re)loaded since the last build, and every month when anything else the model reads
    has changed. Loads replace whole periods under a new load id, so "new" is "a load id
    the model has not seen". A month deleted from raw by hand needs `--full-refresh`. -#}

{#- A fingerprint of the other inputs: the load ids of extracts (reloading one changes
    them), the content of seeds, and the code of the project's models and seeds (an edited
    model, here or upstream, must not leave months built by the old code). Stored in every
    row as inputs_fingerprint. Macros are not in dbt's graph: after editing one a model
    uses, build with --full-refresh. -#}
{% macro inputs_fingerprint(loaded_relations=[], seeds=[]) -%}
    {%- set code = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type in ('model', 'seed') and node.package_name == project_name -%}
                {%- do code.append(node.unique_id ~ '=' ~ node.checksum.checksum) -%}
            {%- endif -%}
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
        '{{ var("valuation_area", "") }}'
    ))
{%- endmacro %}

{#- The WHERE condition selecting the months to (re)build from `facts`, a relation with
    load_id and month_column. -#}
{% macro months_to_rebuild(facts, month_column, fingerprint) -%}
    {%- if is_incremental() %}
    where {{ month_column }} in (
        select distinct {{ month_column }} from {{ facts }}
        where load_id not in (select distinct load_id from {{ this }})
    )
    or {{ fingerprint }} is distinct from (select max(inputs_fingerprint) from {{ this }})
    {%- endif %}
{%- endmacro %}
