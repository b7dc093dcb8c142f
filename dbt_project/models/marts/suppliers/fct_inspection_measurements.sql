-- Every measured value of the incoming inspections with its characteristic's limits: the
-- input of the supplier capability indices (analytics.supplier_capability) and of a BI
-- tool's own control charts. One row per inspection lot, characteristic, sample and value.
with

measurements as (
    select * from {{ ref('stg_sap__inspection_results') }}
)

select
    cast(supplier_id as varchar) as supplier_id,
    cast(material_id as varchar) as material_id,
    cast(characteristic_number as bigint) as characteristic_number,
    cast(characteristic as varchar) as characteristic,
    cast(inspection_lot as varchar) as inspection_lot,
    cast(sample_number as bigint) as sample_number,
    cast(value_number as bigint) as value_number,
    cast(inspection_date as date) as inspection_date,
    cast(inspection_month as date) as inspection_month,
    cast(target_value as decimal(18, 6)) as target_value,
    cast(lower_limit as decimal(18, 6)) as lower_limit,
    cast(upper_limit as decimal(18, 6)) as upper_limit,
    cast(measured_value as decimal(18, 6)) as measured_value
from measurements
