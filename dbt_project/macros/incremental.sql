{#- Month-incremental models: a build rewrites only the months whose fact rows were
    (re)loaded since the last build, and every month when anything else the model reads
    has changed. Loads replace whole periods under a new load id, so "new" is "a load id
    the model has not seen". A month deleted from raw by hand needs `--full-refresh`. -#}

{#- A fingerprint of the other inputs: the load ids of extracts (reloading one changes
    them) and the content of seeds. Stored in every row as inputs_fingerprint. -#}
{% macro inputs_fingerprint(loaded_relations=[], seeds=[]) -%}
    md5(concat_ws('|',
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
