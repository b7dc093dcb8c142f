-- Every time range reads low <= most likely <= high, with a high above zero: a range
-- given the wrong way round would make the sensitivity analysis draw nonsense.
select activity_id, customer_group, low, likely, high
from {{ ref('dim_activity_time_estimate') }}
where not (0 <= low and low <= likely and likely <= high and high > 0)
