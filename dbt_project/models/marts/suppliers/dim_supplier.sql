-- Suppliers with segment and purchasing category.
select
    cast(supplier_id as varchar) as supplier_id,
    cast(supplier_name as varchar) as supplier_name,
    cast(country as varchar) as country,
    cast(supplier_segment as varchar) as supplier_segment,
    cast(purchasing_category as varchar) as purchasing_category
from {{ ref('stg_sap__suppliers') }}
