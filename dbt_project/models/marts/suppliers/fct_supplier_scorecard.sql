-- Per supplier and year: a 0-100 score per component (delivery = OTIF, quality from PPM,
-- price from the price variance, soft from the 1-5 ratings), the weighted total (seed
-- scorecard_weights; a component without data is left out and the weights renormalised),
-- the rank within the segment and the top and bottom lists. In a segment of n suppliers
-- the top and bottom lists take min(10, n/2) each, so they never overlap.
with

kpis as (
    select * from {{ ref('fct_supplier_kpis') }}
),

weights as (
    select * from {{ ref('scorecard_weights') }}
),

yearly as (
    select
        supplier_id,
        cast({{ dbt.date_trunc('year', 'period_month') }} as date) as period_start,
        sum(otif_lines) * 1.0 / nullif(sum(schedule_lines), 0) as otif_share,
        sum(complained_quantity) * 1e6 / nullif(sum(received_quantity), 0) as ppm,
        sum(price_variance) / nullif(sum(invoiced_amount) - sum(price_variance), 0)
            as price_variance_share
    from kpis
    group by supplier_id, cast({{ dbt.date_trunc('year', 'period_month') }} as date)
),

ratings as (
    select
        supplier_id,
        cast({{ dbt.date_trunc('year', 'rating_month') }} as date) as period_start,
        sum(score * weight) / nullif(sum(weight), 0) as soft_rating
    from {{ ref('stg_sap__scorecard_ratings') }}
    group by supplier_id, cast({{ dbt.date_trunc('year', 'rating_month') }} as date)
),

scored as (
    select
        yearly.*,
        ratings.soft_rating,
        100 * yearly.otif_share as delivery_score,
        100 * greatest(0, 1 - yearly.ppm / quality.zero_score_at) as quality_score,
        100 * greatest(0, least(1, 1 - yearly.price_variance_share / price.zero_score_at))
            as price_score,
        100 * (ratings.soft_rating - 1) / 4 as soft_score,
        delivery.weight as delivery_weight,
        quality.weight as quality_weight,
        price.weight as price_weight,
        soft.weight as soft_weight
    from yearly
    left join ratings using (supplier_id, period_start)
    cross join (select * from weights where component = 'delivery') as delivery
    cross join (select * from weights where component = 'quality') as quality
    cross join (select * from weights where component = 'price') as price
    cross join (select * from weights where component = 'soft') as soft
),

totals as (
    select
        scored.*,
        (coalesce(delivery_weight * delivery_score, 0) + coalesce(quality_weight * quality_score, 0)
         + coalesce(price_weight * price_score, 0) + coalesce(soft_weight * soft_score, 0))
        / nullif(
            case when delivery_score is not null then delivery_weight else 0 end
            + case when quality_score is not null then quality_weight else 0 end
            + case when price_score is not null then price_weight else 0 end
            + case when soft_score is not null then soft_weight else 0 end, 0
        ) as total_score,
        suppliers.supplier_name,
        suppliers.supplier_segment
    from scored
    left join {{ ref('stg_sap__suppliers') }} as suppliers using (supplier_id)
),

ranked as (
    select
        *,
        rank() over (
            partition by period_start, supplier_segment order by total_score desc nulls last
        ) as rank_in_segment,
        count(*) over (partition by period_start, supplier_segment) as suppliers_in_segment
    from totals
)

select
    cast(period_start as date) as period_start,
    cast(supplier_id as varchar) as supplier_id,
    cast(supplier_name as varchar) as supplier_name,
    cast(supplier_segment as varchar) as supplier_segment,
    cast(otif_share as double) as otif_share,
    cast(ppm as double) as ppm,
    cast(price_variance_share as double) as price_variance_share,
    cast(soft_rating as double) as soft_rating,
    cast(delivery_score as double) as delivery_score,
    cast(quality_score as double) as quality_score,
    cast(price_score as double) as price_score,
    cast(soft_score as double) as soft_score,
    cast(total_score as double) as total_score,
    cast(rank_in_segment as bigint) as rank_in_segment,
    cast(suppliers_in_segment as bigint) as suppliers_in_segment,
    cast(rank_in_segment <= least(10, suppliers_in_segment / 2) as boolean) as is_top_10,
    cast(rank_in_segment > suppliers_in_segment - least(10, suppliers_in_segment / 2) as boolean)
        as is_bottom_10
from ranked
