{#- Generic test: the model holds exactly one row (a settings row read by Python). -#}
{% test exactly_one_row(model) %}
select count(*) as rows_held
from {{ model }}
having count(*) <> 1
{% endtest %}
