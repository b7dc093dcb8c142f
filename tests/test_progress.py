"""The stage lines a run prints, read from the run's events on the Dagster instance."""

from __future__ import annotations

import io
import json
import re
from collections import Counter

import dagster as dg
from rich.console import Console

from orchestration.dbt_project import dbt_project
from orchestration.progress import ANALYTICS, DBT, LOAD, PUBLISH, RunProgress, Stage, stage_of


def test_every_step_belongs_to_one_stage():
    assert stage_of("raw__billing_lines") == LOAD
    assert stage_of("dbt_models") == DBT
    assert stage_of("costing_reconciliations") == ANALYTICS
    assert stage_of("analytics__supplier_capability") == ANALYTICS
    assert stage_of("serving__snapshot") == stage_of("reports__summary") == PUBLISH


def test_a_stage_line_counts_what_its_events_said():
    load = Stage(LOAD, done=2, lines_read=1_201, rows_loaded=1_195, rows_quarantined=4,
                 lines_skipped=2, files_refused=1)  # fmt: skip
    assert load.summary() == (
        "Loaded 2 file(s), 1 refused: 1,201 lines read, 1,195 rows loaded, 4 quarantined, "
        "2 header and noise lines"
    )
    dbt = Stage(DBT, done=10, materialized=4, failed_checks=1, steps_failed=1)
    assert dbt.summary() == (
        "Built 4 dbt models and seeds and ran 6 tests (1 failed); 1 step(s) failed"
    )


def test_on_a_terminal_each_stage_line_ends_with_its_time(demo_run):
    """The demo's run replayed from its events, as a terminal shows it: the four stages
    in order, each with the time it took; the counts are the demo's (27 files whose
    lines add up to 45,720, README's summary table)."""
    _, run = demo_run
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=200, color_system=None)
    with dg.DagsterInstance.from_config(str(run.home)) as instance:
        with RunProgress(instance, run.run_id, console, {LOAD: 27, DBT: 164}):
            pass
    # What stays on the screen: the live bar is redrawn in place (\r and erase-line).
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())
    lines = [line for line in re.split(r"[\r\n]", screen) if line[:1] in ("✓", "✗")]
    assert [line.split(" ")[1] for line in lines] == ["Loaded", "Built", "Reconciled", "Published"]
    assert all(re.search(r" in \d+\.\d s$", line) for line in lines), lines
    assert lines[0].startswith(
        "✓ Loaded 27 file(s): 45,720 lines read, 45,420 rows loaded, 5 quarantined, "
        "295 header and noise lines"
    )
    # As many as the project holds: models and seeds, and data tests (not unit tests).
    manifest = json.loads(dbt_project.manifest_path.read_text())
    kinds = Counter(node["resource_type"] for node in manifest["nodes"].values())
    built = kinds["model"] + kinds["seed"]
    assert lines[1].startswith(
        f"✓ Built {built} dbt models and seeds and ran {kinds['test']} tests"
    )
    assert (built, kinds["test"]) == (80, 149)  # README's example says so too
