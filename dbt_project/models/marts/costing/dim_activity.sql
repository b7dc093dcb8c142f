-- The activity catalogue with its department, as analysts filter and group by it.
select
    cast(catalogue.activity_id as varchar) as activity_id,
    cast(catalogue.activity_name as varchar) as activity_name,
    cast(catalogue.activity_family as varchar) as activity_family,
    cast(catalogue.department_cost_centre as varchar) as department_cost_centre,
    cast(departments.department_name as varchar) as department_name,
    cast(catalogue.cost_driver as varchar) as cost_driver,
    cast(catalogue.time_per_driver_unit as double) as time_per_driver_unit,
    cast(catalogue.time_unit as varchar) as time_unit,
    cast(catalogue.cost_method as varchar) as cost_method,
    cast(catalogue.external_rate as double) as external_rate,
    cast(catalogue.cost_hierarchy_level as varchar) as cost_hierarchy_level,
    cast(catalogue.applies_to_channel as varchar) as applies_to_channel,
    cast(catalogue.applies_to_customer_groups as varchar) as applies_to_customer_groups
from {{ ref('activity_catalogue') }} as catalogue
left join {{ ref('departments') }} as departments
    on departments.cost_centre = catalogue.department_cost_centre
