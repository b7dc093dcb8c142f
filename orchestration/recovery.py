"""Recovering from a run whose process was killed (kill -9, a crashed laptop).

A killed process cannot mark its run failed or hand back the warehouse pool slot its
step held, so every later run would wait for that slot forever. Runs the CLI starts
carry the pid and host of their process; before a new run starts, runs of this host
whose process is gone are marked failed and their slots freed. Its dbt child, which
outlives it and holds the warehouse file, is stopped too (the dbt asset tags the run
with the child's pid). (Runs launched by the daemon are covered by Dagster's run
monitoring, switched on in dagster.yaml; Dagster's own log tailers watch their parent
and end with it.)

The data needs no recovery: every load commits in one transaction, dbt replaces each
model atomically, and the serving snapshot is swapped in only when complete.
"""

import os
import signal
import socket
import time
from pathlib import Path

import dagster as dg

PID_TAG = "abc_warehouse/pid"
HOST_TAG = "abc_warehouse/host"
DBT_PID_TAG = "abc_warehouse/dbt_pid"
UNFINISHED = [
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


def process_tags() -> dict[str, str]:
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def release_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the unfinished runs of this host whose process is gone; free their
    pool slots and stop their dbt child. Returns a line for each, saying what was done."""
    released = []
    host = socket.gethostname()
    for record in instance.get_run_records(dg.RunsFilter(statuses=UNFINISHED)):
        run = record.dagster_run
        pid = run.tags.get(PID_TAG)
        if run.tags.get(HOST_TAG) != host or pid is None or _alive(int(pid)):
            continue
        dbt_pid = run.tags.get(DBT_PID_TAG)
        stopped = stop_leftover_dbt(dbt_pid)
        instance.report_run_failed(run, f"process {pid} is gone: the run was killed")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append(
            f"Run {run.run_id} was killed; marked failed and its warehouse slot freed"
            + (f"; its dbt child (pid {dbt_pid}) stopped." if stopped else ".")
        )
    return released


def stop_leftover_dbt(pid: str | None, grace_s: float = 10.0) -> bool:
    """Stop a killed run's dbt child if it still runs (it is dbt: its command line says
    so, not another process that got the pid since). True if one was stopped."""
    if not pid:
        return False
    try:
        command = Path(f"/proc/{int(pid)}/cmdline").read_bytes()
    except (OSError, ValueError):
        return False
    if b"dbt" not in command:
        return False
    for sig, wait in ((signal.SIGTERM, grace_s), (signal.SIGKILL, grace_s)):
        try:
            os.kill(int(pid), sig)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _alive(int(pid)) and not _zombie(int(pid)):
            time.sleep(0.1)
        if not _alive(int(pid)) or _zombie(int(pid)):
            return True
    return False


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except (OSError, IndexError):
        return False
