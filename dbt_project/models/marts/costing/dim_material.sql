-- Materials with their latest standard cost, plus materials billed without any.
with

costs as (
    select
        *,
        row_number() over (partition by material_id order by valid_from desc, valuation_area)
            as recency
    from {{ ref('stg_sap__standard_costs') }}
),

billed as (
    select distinct material_id from {{ ref('int_billing_lines_costed') }}
),

materials as (
    select material_id from costs
    union
    select material_id from billed
)

select
    cast(materials.material_id as varchar) as material_id,
    cast(costs.unit_cost as double) as current_unit_cost,
    cast(costs.price_control as varchar) as price_control,
    cast(costs.price_unit as double) as price_unit,
    cast(costs.valid_from as date) as cost_valid_from,
    cast(costs.material_id is not null as boolean) as has_standard_cost,
    cast(materials.material_id in (select material_id from billed) as boolean) as is_billed
from materials
left join costs on costs.material_id = materials.material_id and costs.recency = 1
