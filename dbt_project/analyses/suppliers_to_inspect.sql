-- The supplier characteristics whose every lot must be inspected (Cpk below 1.33, or too
-- few values to tell), worst first, with the supplier's delivery and quality record.
with capability as (
    select *
    from {{ source('analytics', 'supplier_capability') }}
    where inspection_level = '100 %'
),

record as (
    select
        supplier_id,
        sum(otif_lines) / nullif(sum(schedule_lines), 0) as otif_share,
        1e6 * sum(complained_quantity) / nullif(sum(received_quantity), 0) as ppm
    from {{ ref('fct_supplier_kpis') }}
    group by supplier_id
)

select
    c.supplier_id,
    s.supplier_name,
    c.material_id,
    c.characteristic,
    c.n,
    c.status,
    c.cpk,
    c.cpk_ci_low,
    r.otif_share,
    r.ppm
from capability as c
left join {{ ref('dim_supplier') }} as s using (supplier_id)
left join record as r using (supplier_id)
order by c.status = 'ok', c.cpk nulls first, c.supplier_id, c.material_id, c.characteristic
