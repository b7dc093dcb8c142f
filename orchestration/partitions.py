"""Monthly partitions of the dated extracts: a partition is the rows of one month.

The month of a row is the one its period column gives (billing date, posting date, ...;
see ingestion.specs). Master-data snapshots are not partitioned: a new file replaces them.
A run over a range of months is one run (single-run backfill policy), so a backfill of
ten years is one load per file, not one run per month.
"""

from collections.abc import Iterable
from datetime import date

import dagster as dg

from orchestration.settings import Settings, current_settings

# What to tell the owner of a file dated outside the partitions.
OLDER_EXTRACTS = (
    "set first_month or last_month in the settings file (README: The settings file) to take them in"
)


def _month_after(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def monthly_partitions(settings: Settings) -> dg.MonthlyPartitionsDefinition:
    """From the setting first_month to last_month; without last_month up to a year ahead,
    since open purchase order schedule lines are dated up to a year ahead."""
    last = settings.last_month
    return dg.MonthlyPartitionsDefinition(
        start_date=settings.first_month.isoformat(),
        end_date=_month_after(last).isoformat() if last else None,
        end_offset=0 if last else 12,
    )


MONTHLY = monthly_partitions(current_settings())


def partition_key(month: date) -> str:
    return month.strftime("%Y-%m-%d")


def months_of_run(context: dg.AssetExecutionContext) -> list[date]:
    """The months a (possibly multi-month) partitioned run covers."""
    return [date.fromisoformat(key) for key in context.partition_keys]


def contiguous_ranges(months: Iterable[date]) -> list[tuple[date, date]]:
    """Months grouped into runs of consecutive months: one run request each."""
    ranges: list[tuple[date, date]] = []
    for month in sorted(set(months)):
        if ranges:
            first, last = ranges[-1]
            if month == _month_after(last):
                ranges[-1] = (first, month)
                continue
        ranges.append((month, month))
    return ranges


def range_tags(first: date, last: date) -> dict[str, str]:
    """Tags that make one run cover the months first..last (Dagster's range tags)."""
    return {
        "dagster/asset_partition_range_start": partition_key(first),
        "dagster/asset_partition_range_end": partition_key(last),
    }
