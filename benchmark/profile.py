"""Where a benchmarked `abc-warehouse run` spent its time, kept with the benchmark's numbers.

Read after the run from what it leaves behind, so that profiling costs the run nothing:
  steps    Dagster's step timings of the run (the instance's event log)
  files    the loader's phases per file (take_in, sniff, parse, write, validate), from the
           per-file observations the ingestion steps record
  dbt      dbt's own timing per node (run_results.json of the run's dbt target folder)
"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

TOP_DBT_NODES = 15


def run_profile(dagster_home: Path, dbt_target: Path, stage_seconds: float) -> dict:
    """The profile of the newest run in this Dagster instance. `stage_seconds`: the wall
    time of the whole command, so that the time outside the Dagster run (imports, loading
    the definitions, finding the new files' months) shows too."""
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        (record,) = instance.get_run_records(limit=1)
        run_id = record.dagster_run.run_id
        steps = sorted(
            (
                {"step": s.step_key, "seconds": round(s.end_time - s.start_time, 2)}
                for s in instance.get_run_step_stats(run_id)
                if s.start_time and s.end_time
            ),
            key=lambda s: -s["seconds"],
        )
        observed = (
            log.dagster_event.asset_observation_data.asset_observation.metadata
            for log in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_OBSERVATION)
        )
        # The loader's per-file observations (orchestration/defs/ingestion.py).
        files = [
            {"file": meta["file_name"].value, **meta["phases"].value}
            for meta in observed
            if "phases" in meta
        ]
    run_seconds = (record.end_time or 0) - (record.start_time or 0)
    return {
        "run_id": run_id,
        "dagster_run_seconds": round(run_seconds, 2),
        "outside_the_run_seconds": round(stage_seconds - run_seconds, 2),
        "steps": steps,
        "files": files,
        "dbt": dbt_timings(dbt_target, run_id),
    }


def dbt_timings(dbt_target: Path, run_id: str) -> dict:
    """dbt's elapsed time and its slowest nodes in the run's dbt invocation (dagster-dbt
    names the invocation's folder `<op>-<first 7 of the run id>-<random>`)."""
    folders = sorted(dbt_target.glob(f"*-{run_id[:7]}-*/run_results.json"))
    if not folders:
        return {}
    results = json.loads(folders[-1].read_text())
    nodes = sorted(results["results"], key=lambda r: -r["execution_time"])
    return {
        "parse": _parse_kind(folders[-1].with_name("dbt.log")),
        "elapsed_seconds": round(results["elapsed_time"], 2),
        "nodes": len(nodes),
        "slowest": [
            {"node": r["unique_id"], "seconds": round(r["execution_time"], 2)}
            for r in nodes[:TOP_DBT_NODES]
        ],
    }


def _parse_kind(log: Path) -> str:
    """A whole parse (about 5 s) counted in a stage is the benchmark's to explain: the
    product is timed on a prepared project, where dbt reads its parse state. dbt says
    which near the top of its log (at 10 million lines the debug log is large)."""
    if not log.exists():
        return "unknown"
    with log.open(errors="replace") as lines:
        partial = any("Partial parsing enabled" in line for line in lines)
    return "partial" if partial else "whole project"


def profile_table(profile: dict, top: int = 8) -> str:
    """A few lines for the terminal: the run's split and its slowest steps and dbt nodes."""
    dbt = profile["dbt"]
    lines = [
        f"  outside the Dagster run {profile['outside_the_run_seconds']} s, "
        f"inside {profile['dagster_run_seconds']} s; dbt {dbt.get('elapsed_seconds')} s"
        + (", after parsing the whole project" if dbt.get("parse") == "whole project" else "")
    ]
    lines += [f"    step {s['step']}: {s['seconds']} s" for s in profile["steps"][:top]]
    lines += [
        f"    dbt {n['node'].split('.', 2)[-1]}: {n['seconds']} s"
        for n in profile["dbt"].get("slowest", [])[:top]
    ]
    phases: dict[str, float] = {}
    for f in profile["files"]:
        for name, seconds in f.items():
            if name != "file":
                phases[name] = phases.get(name, 0.0) + seconds
    if phases:
        lines.append(
            "    loader phases over all files: "
            + ", ".join(f"{k} {v:.2f} s" for k, v in sorted(phases.items(), key=lambda i: -i[1]))
        )
    return "\n".join(lines)
