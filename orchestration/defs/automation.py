"""When things run: the jobs, the inbox sensor and the month-close schedule.

  ingest  the extract assets for some months; launched by the inbox sensor for exactly
          the months a new file touches (master-data snapshots: no month)
  build   dbt, reconciliations, analytics, report and serving snapshot; requested after
          every successful ingest run (build_after_ingest), and run by the schedule after
          month close
  main    both in one run over a range of months (`abc-warehouse run`, backfills)

Every run writes the one warehouse file: the run queue runs one at a time and every
writing step is in the pool "warehouse" of limit 1 (orchestration/dagster.yaml), so
runs that start together wait for each other instead of failing on DuckDB's file lock.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import dagster as dg
import duckdb

from ingestion.errors import ExtractError, read_error
from ingestion.inbox import candidate_files, files_not_taken_in
from ingestion.loader import identify_extract, probe_periods
from orchestration.partitions import (
    MONTHLY,
    OLDER_EXTRACTS,
    contiguous_ranges,
    partition_key,
    range_tags,
)
from orchestration.resources import WarehouseResource
from orchestration.settings import current_settings

SETTINGS = current_settings()

INGESTION = dg.AssetSelection.groups("ingestion")

main_job = dg.define_asset_job(
    "main",
    selection=dg.AssetSelection.all(),
    partitions_def=MONTHLY,
    description=(
        "Load the inbox for the months of the run, validate, build the dbt models, "
        "reconcile the costing marts, compute the analytics, write the report and "
        "publish the serving snapshot."
    ),
)
ingest_job = dg.define_asset_job(
    "ingest",
    selection=INGESTION,
    partitions_def=MONTHLY,
    description="Load and validate the inbox's new files for the months of the run.",
)
build_job = dg.define_asset_job(
    "build",
    selection=dg.AssetSelection.all() - INGESTION,
    description="Build marts and analytics from what is loaded; publish the serving snapshot.",
)

month_close_schedule = dg.ScheduleDefinition(
    name="month_close_build",
    job=build_job,
    # Settings build_cron and timezone: where month close takes a few working days, later.
    cron_schedule=SETTINGS.build_cron,
    execution_timezone=SETTINGS.timezone,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="The month-close guarantee: builds marts, analytics and the serving snapshot "
    "from everything loaded, whether or not a sensor-triggered build already ran (settings "
    "build_cron and timezone).",
)


def _fingerprint(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


@dataclass
class InboxChanges:
    """What new files need: the months each dated extract's files touch, the snapshot
    extracts with a new file, and files whose months cannot be read (their load reports
    the error in full)."""

    by_month: dict[date, dict[dg.AssetKey, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    snapshots: dict[dg.AssetKey, list[str]] = field(default_factory=lambda: defaultdict(list))
    problems: list[str] = field(default_factory=list)

    @property
    def months(self) -> list[date]:
        return sorted(self.by_month)


# What a bad file can raise while its months are read: it is that file's problem, reported
# with its name; the other files go on. Anything else is a bug and keeps its traceback.
BAD_INPUT = (ExtractError, duckdb.Error, OSError, UnicodeError, ValueError)


def inbox_changes(new_files: list[Path], aliases_path: str | None = None) -> InboxChanges:
    changes = InboxChanges()
    partitions = set(MONTHLY.get_partition_keys())
    # Files with no loadable row (header only, all quarantined) have no month of their own.
    undated: list[tuple[dg.AssetKey, Path]] = []
    for path in new_files:
        try:
            spec = identify_extract(path)
            key = dg.AssetKey(["raw", spec.name])
            if spec.is_snapshot:
                changes.snapshots[key].append(path.name)
                continue
            months = probe_periods(path, spec, aliases_path)
            if not months:
                undated.append((key, path))
                continue
        except BAD_INPUT as exc:
            changes.problems.append(read_error(path.name, exc))
            continue
        if _within(path.name, months, partitions, changes.problems):
            for month in months:
                changes.by_month[month][key].append(path.name)
    # An undated file's load refuses or quarantines it in any month, so it joins the run
    # of the others; alone, the month it arrived in (or the last partition). Filed under
    # its arrival month beside files of 2010, it made one run of every month since, and
    # every partitioned step wrote events for each of them.
    for key, path in undated:
        arrived = partition_key(datetime.fromtimestamp(path.stat().st_mtime).date().replace(day=1))
        if changes.by_month:
            month = min(changes.by_month)
        else:
            month = date.fromisoformat(arrived if arrived in partitions else max(partitions))
        changes.by_month[month][key].append(path.name)
    return changes


def _within(name: str, months: list[date], partitions: set[str], problems: list[str]) -> bool:
    """Whether every month is a partition; if not, the file's problem, said once."""
    outside = [m for m in months if partition_key(m) not in partitions]
    if outside:
        first, last = min(partitions), max(partitions)
        problems.append(
            f"{name}: rows dated {', '.join(f'{m:%Y-%m}' for m in outside[:5])}, "
            f"outside the monthly partitions {first[:7]} to {last[:7]}; {OLDER_EXTRACTS}"
        )
    return not outside


def _run_key(files: list[str], fingerprints: dict[str, str], suffix: str) -> str:
    text = "|".join(f"{name}={fingerprints[name]}" for name in sorted(files)) + suffix
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def run_requests(changes: InboxChanges, fingerprints: dict[str, str]) -> list[dg.RunRequest]:
    """One request per run of consecutive months, selecting the extracts with new files
    there; one request for the snapshot extracts with a new file."""
    requests = []
    for first, last in contiguous_ranges(changes.months):
        in_range = [m for m in changes.months if first <= m <= last]
        keys = sorted({k for m in in_range for k in changes.by_month[m]}, key=str)
        files = sorted({f for m in in_range for fs in changes.by_month[m].values() for f in fs})
        run_key = _run_key(files, fingerprints, f"@{partition_key(first)}..{partition_key(last)}")
        if first == last:
            requests.append(
                dg.RunRequest(
                    run_key=run_key, partition_key=partition_key(first), asset_selection=keys
                )
            )
        else:
            requests.append(
                dg.RunRequest(run_key=run_key, asset_selection=keys, tags=range_tags(first, last))
            )
    if changes.snapshots:
        files = sorted(f for fs in changes.snapshots.values() for f in fs)
        requests.append(
            dg.RunRequest(
                run_key=_run_key(files, fingerprints, "@snapshot"),
                asset_selection=sorted(changes.snapshots, key=str),
            )
        )
    return requests


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches the inbox; for each file whose content is not loaded yet, requests "
    "an ingest run for exactly the months the file's rows belong to. Files already taken in "
    "(the same rule as `abc-warehouse run`) request nothing.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    inbox = Path(warehouse.inbox)
    current = {p.name: _fingerprint(p) for p in candidate_files(inbox)}
    # The cursor holds the size and modification time of every file seen, so a file that
    # cannot be loaded is reported once, not on every tick, until it changes.
    seen = json.loads(context.cursor) if context.cursor else {}
    not_taken_in = {p.name for p in files_not_taken_in(inbox, warehouse.archive_dir)}
    new = [inbox / n for n in sorted(current) if n in not_taken_in and seen.get(n) != current[n]]
    changes = inbox_changes(new, warehouse.header_aliases)
    for problem in changes.problems:
        context.log.warning(problem)
    context.update_cursor(json.dumps(current))
    return run_requests(changes, current) or dg.SkipReason("no file with content not loaded yet")


WAITING = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED]


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_job],
    request_job=build_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="After an ingest run succeeds, requests a build run, so that a dropped file "
    "reaches the marts, analytics and the serving snapshot without waiting for the "
    "month-close schedule. One waiting build takes in every load before it.",
)
def build_after_ingest(context: dg.RunStatusSensorContext):
    waiting = context.instance.get_runs(
        filters=dg.RunsFilter(job_name=build_job.name, statuses=WAITING), limit=1
    )
    if waiting:
        return dg.SkipReason(
            f"build run {waiting[0].run_id} is waiting to start; it builds this load too"
        )
    # One build per ingest run, however often the sensor sees that run.
    return dg.RunRequest(run_key=f"after-ingest-{context.dagster_run.run_id}")


defs = dg.Definitions(
    jobs=[main_job, ingest_job, build_job],
    schedules=[month_close_schedule],
    sensors=[inbox_sensor, build_after_ingest],
)
