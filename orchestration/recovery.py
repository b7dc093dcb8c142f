"""Recovering from a run whose process was killed (kill -9, a crashed laptop).

A killed process cannot mark its run failed or hand back the warehouse pool slot its
step held, so every later run would wait for that slot forever. Runs the CLI starts
carry the pid and host of their process; before a new run starts, runs of this host
whose process is gone are marked failed and their slots freed. (Runs launched by the
daemon are covered by Dagster's run monitoring, switched on in dagster.yaml.)

The data needs no recovery: every load commits in one transaction, dbt replaces each
model atomically, and the serving snapshot is swapped in only when complete.
"""

import os
import socket

import dagster as dg

PID_TAG = "abc_warehouse/pid"
HOST_TAG = "abc_warehouse/host"
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
    pool slots. Returns their run ids."""
    released = []
    host = socket.gethostname()
    for record in instance.get_run_records(dg.RunsFilter(statuses=UNFINISHED)):
        run = record.dagster_run
        pid = run.tags.get(PID_TAG)
        if run.tags.get(HOST_TAG) != host or pid is None or _alive(int(pid)):
            continue
        instance.report_run_failed(run, f"process {pid} is gone: the run was killed")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append(run.run_id)
    return released
