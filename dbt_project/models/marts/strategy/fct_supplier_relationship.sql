-- The mirror of fct_customer_relationship for suppliers, per supplier and year (the
-- Kraljic / supplier-preferencing view): how much we depend on the supplier (its share of
-- our spend in its purchasing category) against how much it depends on us (our spend as a
-- share of its turnover, from the seed supplier_turnover). Thresholds are vars in dbt_project.yml; a value at
-- a threshold counts as high.
{%- set category_share_high = var('relationship_category_share_high') %}
{%- set supplier_dependency_high = var('relationship_supplier_dependency_high') %}
with

spend as (
    select
        supplier_id,
        max(supplier_name) as supplier_name,
        purchasing_category,
        {{ dbt.date_trunc('year', 'period_start') }} as period_start,
        sum(spend) as spend
    from {{ ref('fct_spend') }}
    group by supplier_id, purchasing_category, {{ dbt.date_trunc('year', 'period_start') }}
),

turnover as (
    select * from {{ ref('supplier_turnover') }}
),

shares as (
    select
        spend.*,
        spend.spend / nullif(
            sum(spend.spend) over (partition by spend.purchasing_category, spend.period_start), 0
        ) as category_spend_share,
        turnover.turnover as supplier_turnover,
        spend.spend / nullif(turnover.turnover, 0) as supplier_dependency_on_us
    from spend
    left join turnover
        on cast(turnover.supplier_id as varchar) = spend.supplier_id
        and turnover.year = year(spend.period_start)
)

select
    cast(supplier_id as varchar) as supplier_id,
    cast(supplier_name as varchar) as supplier_name,
    cast(purchasing_category as varchar) as purchasing_category,
    cast(period_start as date) as period_start,
    cast(spend as double) as spend,
    cast(category_spend_share as double) as category_spend_share,
    cast(supplier_turnover as double) as supplier_turnover,
    cast(supplier_dependency_on_us as double) as supplier_dependency_on_us,
    {{ power_quadrant(
        'category_spend_share >= ' ~ category_share_high,
        'supplier_dependency_on_us >= ' ~ supplier_dependency_high,
        'supplier'
    ) }} as quadrant
from shares
