"""What `abc-warehouse run` and `demo` print while a run goes: one line per stage.

The run executes in this process; a thread follows it in the Dagster instance's event log
(the same events the Dagster UI shows) and reports four stages:

  load       the extract assets: files of N, lines read, rows/s
  dbt        the dbt build: models, seeds and tests done of N
  analytics  the costing reconciliations, analytics and reports
  publish    the run summary and the serving snapshot

On a terminal each stage shows a live progress bar, and its line ends with the time it
took; elsewhere (a log file, CI) only the lines are printed, the same on every run of the
same inbox, which is what README shows.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import dagster as dg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

# Step key -> stage. Everything else downstream of the dbt build and before the publish
# (reconciliations, concentration, capability, strategy, reports) is "analytics".
LOAD, DBT, ANALYTICS, PUBLISH = "load", "dbt", "analytics", "publish"
STAGE_TITLES = {
    LOAD: "Loading the inbox",
    DBT: "Building the dbt models",
    ANALYTICS: "Reconciling, analytics and reports",
    PUBLISH: "Publishing the summary and the serving snapshot",
}
PUBLISH_STEPS = ("serving__snapshot", "reports__summary")
# The event a file's load reports (orchestration/defs/ingestion.py).
FILE_METADATA = "file_name"
POLL_SECONDS = 0.2


def stage_of(step_key: str) -> str:
    if step_key.startswith("raw__"):
        return LOAD
    if step_key == "dbt_models":
        return DBT
    if step_key in PUBLISH_STEPS:
        return PUBLISH
    return ANALYTICS


@dataclass
class Stage:
    name: str
    total: int | None = None  # files or dbt nodes expected, when known
    started_at: float = 0.0
    running: set[str] = field(default_factory=set)
    steps_done: int = 0
    steps_failed: int = 0
    done: int = 0  # files loaded, dbt nodes done, checks evaluated
    failed_checks: int = 0
    lines_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    lines_skipped: int = 0
    files_refused: int = 0
    materialized: int = 0
    finished: bool = False

    def summary(self) -> str:
        """The stage's line, without times: the same for the same inbox on every run."""
        failed = f"; {self.steps_failed} step(s) failed" if self.steps_failed else ""
        if self.name == LOAD:
            refused = f", {self.files_refused} refused" if self.files_refused else ""
            return (
                f"Loaded {self.done} file(s){refused}: {self.lines_read:,} lines read, "
                f"{self.rows_loaded:,} rows loaded, {self.rows_quarantined:,} quarantined, "
                f"{self.lines_skipped:,} header and noise lines{failed}"
            )
        if self.name == DBT:
            tests = self.done - self.materialized
            failing = f" ({self.failed_checks} failed)" if self.failed_checks else ""
            return (
                f"Built {self.materialized} dbt models and seeds and ran {tests} "
                f"tests{failing}{failed}"
            )
        if self.name == ANALYTICS:
            failing = f", {self.failed_checks} failed" if self.failed_checks else ""
            return (
                f"Reconciled the costing marts and computed the analytics and reports "
                f"({self.done} checks{failing}){failed}"
            )
        return f"Published the summary and the serving snapshot{failed}"


class RunProgress:
    """Follow one run's events and print its stages; a context manager around the run."""

    def __init__(
        self,
        instance: dg.DagsterInstance,
        run_id: str,
        console: Console,
        totals: dict[str, int] | None = None,
    ):
        self._instance, self._run_id, self._console = instance, run_id, console
        self._totals = totals or {}
        self._stages: dict[str, Stage] = {}
        self._current: Stage | None = None
        self._cursor: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._follow, daemon=True)
        self._live: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> RunProgress:
        if self._console.is_terminal:
            self._live = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                console=self._console,
                transient=True,
            )
            self._live.start()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._poll()  # what arrived since the last look
        if self._current:
            self._finish(self._current)
        if self._live:
            self._live.stop()

    def _follow(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self._poll()

    def _poll(self) -> None:
        while True:
            connection = self._instance.get_records_for_run(
                self._run_id, cursor=self._cursor, limit=500
            )
            for record in connection.records:
                event = record.event_log_entry.dagster_event
                if event is not None:
                    self._on(event)
            self._cursor = connection.cursor
            if not connection.has_more:
                break
        self._refresh()

    def _on(self, event: dg.DagsterEvent) -> None:
        if not event.step_key:
            return
        name, kind = stage_of(event.step_key), event.event_type
        stage = self._stages.get(name)
        if kind == dg.DagsterEventType.STEP_START:
            # A stage begins with its first step (the run plans every step up front).
            if stage is None:
                stage = self._stages[name] = Stage(name, self._totals.get(name), time.monotonic())
            if self._current is not stage:
                if self._current:
                    self._finish(self._current)
                self._current = stage
                self._begin(stage)
            stage.running.add(event.step_key)
            return
        if stage is None:
            return
        if kind in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
            stage.running.discard(event.step_key)
            stage.steps_done += 1
            stage.steps_failed += kind == dg.DagsterEventType.STEP_FAILURE
        elif kind == dg.DagsterEventType.ASSET_OBSERVATION and name == LOAD:
            metadata = event.asset_observation_data.asset_observation.metadata
            if FILE_METADATA in metadata:
                self._on_file(stage, {k: v.value for k, v in metadata.items()})
        elif kind == dg.DagsterEventType.ASSET_MATERIALIZATION and name == DBT:
            stage.done += 1
            stage.materialized += 1
        elif kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION and name != LOAD:
            stage.done += 1
            stage.failed_checks += not event.asset_check_evaluation_data.passed

    @staticmethod
    def _on_file(stage: Stage, load: dict) -> None:
        if load["status"] in ("refused", "failed"):
            stage.files_refused += 1
            return
        stage.done += 1
        stage.lines_read += load["rows_read"]
        stage.rows_loaded += load["rows_loaded"]
        stage.rows_quarantined += load["rows_quarantined"]
        stage.lines_skipped += load["rows_skipped"]

    def _begin(self, stage: Stage) -> None:
        if self._live:
            self._task = self._live.add_task(STAGE_TITLES[stage.name], total=stage.total, rate="")

    def _refresh(self) -> None:
        stage = self._current
        if not (self._live and stage and self._task is not None):
            return
        rate = ""
        if stage.name == LOAD and stage.lines_read:
            elapsed = max(time.monotonic() - stage.started_at, 1e-6)
            rate = f"{stage.lines_read:,} lines, {stage.lines_read / elapsed:,.0f} lines/s"
        self._live.update(self._task, completed=stage.done, rate=rate)

    def _finish(self, stage: Stage) -> None:
        if stage.finished:
            return
        stage.finished = True
        line = stage.summary()
        if self._live and self._task is not None:
            self._live.remove_task(self._task)
            self._task = None
            line += f" [dim]in {time.monotonic() - stage.started_at:.1f} s[/dim]"
        mark = "[red]✗[/red]" if stage.steps_failed or stage.failed_checks else "[green]✓[/green]"
        self._console.print(f"{mark} {line}", highlight=False, soft_wrap=True)
