-- One row per day: the time spine MetricFlow joins metrics to (metric_time). The range
-- covers the monthly partitions' default first month and two decades beyond.
select cast(day as date) as date_day
from generate_series(date '2000-01-01', date '2049-12-31', interval 1 day) as spine(day)
