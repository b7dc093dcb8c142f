"""Running it like production: the inbox sensor, month partitions, runs that queue for
the one writer, the serving snapshot readers use while the pipeline builds, and runs
killed with SIGKILL.

Runs here are real: the CLI in subprocesses on a Dagster instance configured by
orchestration/dagster.yaml (pool limit, run queue), real DuckDB files, real dbt."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.errors import ExtractError
from ingestion.warehouse import connect
from orchestration.defs.automation import inbox_sensor
from orchestration.partitions import contiguous_ranges, range_tags
from orchestration.resources import WarehouseResource
from serving.publish import SNAPSHOT_FILE, STORAGE_VERSION
from tests.conftest import (
    BILLING_HEADER,
    PROJECT_ROOT,
    big_billing_file,
    billing_line,
    kill_inside_the_load,
    load_file,
    query,
    raw_fingerprint,
    write_extract,
)

BILLING = dg.AssetKey(["raw", "billing_lines"])


def dagster_home(root: Path) -> Path:
    """A Dagster instance folder with the project's dagster.yaml, as `make setup` makes."""
    home = root / "dagster_home"
    home.mkdir(exist_ok=True)
    shutil.copy(PROJECT_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    # Create the instance's storage once, as `make setup` does, before runs race for it.
    dg.DagsterInstance.from_config(str(home)).dispose()
    return home


def start_cli(args: list[str], home: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DAGSTER_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(proc: subprocess.Popen, timeout: float = 900) -> str:
    out, _ = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, out[-4000:]
    return out


def sensor_tick(resource: WarehouseResource, cursor: str | None):
    context = dg.build_sensor_context(cursor=cursor, resources={"warehouse": resource})
    return inbox_sensor(context), context.cursor


def billing_file(inbox: Path, name: str, *dates: str) -> Path:
    lines = [billing_line(vbeln=str(90000000 + i), fkdat=d) for i, d in enumerate(dates)]
    return write_extract(inbox, name, [BILLING_HEADER, *lines])


def test_contiguous_months_make_one_range():
    months = [date(2010, 12, 1), date(2011, 1, 1), date(2010, 11, 1), date(2011, 3, 1)]
    assert contiguous_ranges(months) == [
        (date(2010, 11, 1), date(2011, 1, 1)),
        (date(2011, 3, 1), date(2011, 3, 1)),
    ]


@pytest.mark.pipeline
def test_sensor_requests_exactly_the_months_of_new_files(env, dbt_manifest):
    from orchestration.definitions import defs

    inbox = env["inbox"]
    resource = WarehouseResource(path=str(env["warehouse"]), inbox=str(inbox))
    billing_file(inbox, "VBRP_2010-05.csv", "20100505", "20100520")
    billing_file(inbox, "VBRP_2010-06.csv", "20100606")

    requests, cursor = sensor_tick(resource, None)
    assert [(r.partition_key, r.partition_key_range, r.asset_selection) for r in requests] == [
        (None, dg.PartitionKeyRange("2010-05-01", "2010-06-01"), [BILLING])
    ]

    # A new month's file: exactly that partition, of exactly that extract.
    billing_file(inbox, "VBRP_2011-01.csv", "20110103", "20110131")
    requests, cursor = sensor_tick(resource, cursor)
    assert [(r.partition_key, r.asset_selection) for r in requests] == [("2011-01-01", [BILLING])]
    assert requests[0].partition_key_range is None

    # Nothing new: nothing requested.
    skip, cursor = sensor_tick(resource, cursor)
    assert isinstance(skip, dg.SkipReason)

    # The requested run loads that month's file only; the 2010 files wait for their run.
    billing = defs.get_assets_def(BILLING)
    instance = dg.DagsterInstance.ephemeral()

    def run_month(key: str) -> None:
        result = dg.materialize(
            [billing], partition_key=key, resources={"warehouse": resource}, instance=instance
        )
        assert result.success

    loaded = "select count(*), min(_period), max(_period), sum(netwr) from raw.billing_lines"
    run_month("2011-01-01")
    with connect(env["warehouse"], read_only=True) as con:
        assert con.execute(loaded).fetchall() == [
            (2, date(2011, 1, 1), date(2011, 1, 1), Decimal("2000.00"))
        ]
    # Re-running the month changes nothing.
    run_month("2011-01-01")
    with connect(env["warehouse"], read_only=True) as con:
        assert con.execute(loaded).fetchall() == [
            (2, date(2011, 1, 1), date(2011, 1, 1), Decimal("2000.00"))
        ]
        assert con.execute(
            "select status, count(*) from raw._load_log group by 1 order by 1"
        ).fetchall() == [("loaded", 1)]  # an untouched file adds no row to the log


@pytest.mark.pipeline
def test_killed_ingestion_run_reruns_to_a_clean_load(env, tmp_path, dbt_manifest):
    home = dagster_home(tmp_path)
    billing_file(env["inbox"], "VBRP_2010-02.csv", "20100210")
    big = env["inbox"] / "VBRP_2010-03.csv"
    big_billing_file(big, 600_000)

    args = ["run", "--job", "ingest", "--months", "2010-02:2010-03"]
    kill_inside_the_load(start_cli(args, home), big, env["archive"])

    # The warehouse opens and holds nothing of the killed billing load.
    with duckdb.connect(str(env["warehouse"]), read_only=True) as con:
        assert con.execute(
            "select count(*) from raw.billing_lines where _period = '2010-03-01'"
        ).fetchall() == [(0,)]
    # The next run frees the slot the killed run held, completes, and equals a clean load.
    out = finish(start_cli(args, home))
    assert "was killed; marked failed" in out
    # Equal to a clean load of the two files, worked out: each of their 600,001 lines
    # bills 10 units at 1,100.00 gross and 1,000.00 net; no other extract has a row.
    loaded = raw_fingerprint(env["warehouse"])
    lines = 600_001
    assert loaded.pop("billing_lines") == (lines, 10 * lines, 1_100 * lines, 1_000 * lines)
    assert {count for count, *_ in loaded.values()} == {0}


READER_QUERY = """
    select
        (select sum(net_revenue) from marts.fct_customer_profitability
         where period_type = 'year')
      - (select sum(net_revenue) from marts.fct_customer_group_profitability
         where period_type = 'year') as revenue_gap,
        (select row_count from meta.snapshot_tables
         where table_name = 'fct_customer_profitability')
      - (select count(*) from marts.fct_customer_profitability) as count_gap,
        (select max(published_at)::varchar from meta.snapshot_tables) as published_at
"""

# A BI tool in another process: a fresh read-only connection per query. (In one process
# DuckDB shares an open file among connections, so this has to be a process of its own.)
FRESH_READER = """
import json, sys, time
from pathlib import Path
import duckdb
serving, stop, query = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
while not stop.exists():
    try:
        with duckdb.connect(str(serving), read_only=True) as con:
            print(json.dumps(["fresh", *con.execute(query).fetchall()[0]]), flush=True)
    except Exception as exc:
        print(json.dumps(["error", repr(exc)]), flush=True)
    time.sleep(0.2)
"""


def _held_reader(serving: Path, stop: threading.Event, seen: list, errors: list) -> None:
    """One connection held open all along: it keeps reading the snapshot it opened."""
    with duckdb.connect(str(serving), read_only=True) as held:
        while not stop.is_set():
            try:
                seen.append(("held", *held.execute(READER_QUERY).fetchall()[0]))
            except Exception as exc:  # any failure is a finding, reported below
                errors.append(f"held: {exc!r}")
            time.sleep(0.2)


SOFT_RATING = """select soft_rating from marts.fct_supplier_scorecard
    where supplier_id = '300001' and period_start = date '2010-01-01'"""


def test_two_runs_at_once_succeed_while_a_reader_sees_whole_snapshots(
    demo_run, demo_copy, tmp_path, monkeypatch
):
    # Start from the demo warehouse, its inbox, its first published snapshot and the
    # Dagster instance of its run: the last run built this code and succeeded.
    monkeypatch.delenv("ABC_SERVING_DIR", raising=False)
    serving = demo_copy["warehouse"].parent / "serving" / SNAPSHOT_FILE
    assert serving.exists()
    with duckdb.connect(str(serving), read_only=True) as con:
        assert con.execute(
            "select tags['storage_version'] from duckdb_databases() where not internal"
            " and database_name = current_database()"
        ).fetchall() == [(f"{STORAGE_VERSION}+",)]
    (before,) = query(serving, SOFT_RATING)[0]
    home = tmp_path / "dagster_home"
    shutil.copytree(demo_run[1].home, home)

    # A corrected scorecard: supplier 300001's cooperation rated 3 instead of 2. A run
    # builds what it feeds (its load, two models, the summary and the snapshot): it takes
    # the warehouse, builds and publishes in a few seconds.
    scorecard = demo_copy["inbox"] / "supplier_scorecard_2010.csv"
    lines = scorecard.read_text(encoding="latin-1").splitlines()
    rated = [line.split(";") for line in lines[1:] if line.startswith("0000300001;")]
    corrected = "0000300001;20101215;cooperation;2,0;0,400;"
    assert corrected in lines
    lines[lines.index(corrected)] = corrected.replace(";2,0;", ";3,0;")
    scorecard.write_text("\n".join(lines) + "\n", encoding="latin-1")
    weights = sum(float(fields[4].replace(",", ".")) for fields in rated)

    stop, seen, errors = threading.Event(), [], []
    held_reader = threading.Thread(target=_held_reader, args=(serving, stop, seen, errors))
    held_reader.start()
    stop_file = tmp_path / "stop-reading"
    fresh_reader = subprocess.Popen(
        [sys.executable, "-c", FRESH_READER, str(serving), str(stop_file), READER_QUERY],
        stdout=subprocess.PIPE,
        text=True,
    )
    suppliers = demo_copy["inbox"] / "LFA1_suppliers.csv"
    read = []
    try:
        # A run for the correction; once it is on the instance (it has chosen what to
        # build), a renamed supplier is dropped and an ingest run started for it: two runs
        # at once on one warehouse file. (A second `run` would find the first's run the
        # newest, not yet successful, and build everything.)
        instance = dg.DagsterInstance.from_config(str(home))
        runs = [start_cli(["run"], home)]
        while len(instance.get_runs()) < 2 and runs[0].poll() is None:
            time.sleep(0.1)
        renamed = suppliers.read_text(encoding="latin-1").replace(
            "0000300001;Castings supplier 01;", "0000300001;Castings supplier 01 AB;"
        )
        suppliers.write_text(renamed, encoding="latin-1")
        runs.append(start_cli(["run", "--job", "ingest"], home))
        outputs = [finish(proc) for proc in runs]
        # Read on until a fresh connection has read the last snapshot published.
        ((last,),) = query(serving, "select max(published_at)::varchar from meta.snapshot_tables")
        deadline = time.monotonic() + 60
        for line in fresh_reader.stdout:
            read.append(line)
            label, *_, published = json.loads(line)
            if (label, published) == ("fresh", last) or time.monotonic() > deadline:
                break
    finally:
        stop.set()
        stop_file.touch()
        held_reader.join()
        rest, _ = fresh_reader.communicate(timeout=60)
    for line in [*read, *rest.splitlines()]:
        label, *row = json.loads(line)
        if label == "error":
            errors.append(row[0])
        else:
            seen.append((label, *row))

    assert "building what the new files feed (5 of" in outputs[0]
    assert "Serving snapshot for BI tools" in outputs[0]
    # The corrected rating reached the snapshot: 1 point more at its weight.
    assert query(serving, SOFT_RATING) == [(pytest.approx(before + 0.4 / weights),)]
    assert query(
        demo_copy["warehouse"], "select name1 from raw.suppliers where lifnr = '300001'"
    ) == [("Castings supplier 01 AB",)]
    assert not errors, errors[:5]
    assert seen and all(abs(gap) < 0.005 and count == 0 for _, gap, count, _ in seen)
    held = {published for label, *_, published in seen if label == "held"}
    fresh = [published for label, *_, published in seen if label == "fresh"]
    assert len(held) == 1, "a connection left open keeps reading its snapshot"
    assert len(set(fresh)) >= 2, "fresh connections saw the new snapshots arrive"

    # One waited: no step of one run ran while a step of the other did.
    spans = {}
    for record in instance.get_run_records():
        run_id = record.dagster_run.run_id
        assert record.dagster_run.status == dg.DagsterRunStatus.SUCCESS
        starts = {
            e.step_key: e.timestamp
            for e in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_START)
        }
        ends = {
            e.step_key: e.timestamp
            for e in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_SUCCESS)
        }
        spans[run_id] = [(starts[k], ends[k]) for k in starts]
    spans.pop(demo_run[1].run_id)
    assert len(spans) == 2
    first, second = spans.values()
    overlaps = [(a, b) for a in first for b in second if a[0] < b[1] and b[0] < a[1]]
    assert not overlaps


HOLD_THE_WAREHOUSE = """
import sys
from pathlib import Path
from ingestion.warehouse import warehouse_lock
with warehouse_lock(Path(sys.argv[1]), timeout=60, holder="a test holding it"):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_second_process_waits_for_the_warehouse_and_names_its_holder(tmp_path):
    """The one-writer guarantee: a process holding the warehouse lock keeps every other
    process out (here one that gives up after a second, naming the holder); the lock is
    re-entrant in its own process, and the next process gets it once it is let go, or
    once the holder is killed (the kernel drops an flock with its process)."""
    from ingestion.warehouse import WarehouseBusy, warehouse_lock

    path = tmp_path / "warehouse.duckdb"

    def hold() -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLD_THE_WAREHOUSE, str(path)],
            cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert proc.stdout.readline().strip() == "held"
        return proc

    holder = hold()
    with pytest.raises(WarehouseBusy) as busy:
        with warehouse_lock(path, timeout=1.0, poll=0.05):
            pass
    assert f"process {holder.pid} (a test holding it)" in str(busy.value)
    holder.communicate("done\n", timeout=60)
    with warehouse_lock(path, timeout=1.0), warehouse_lock(path, timeout=0):  # re-entrant
        pass
    killed = hold()
    killed.kill()
    killed.wait()
    with warehouse_lock(path, timeout=5.0):
        pass


def test_two_threads_of_one_process_share_the_lock_it_holds(tmp_path):
    """Steps of an in-process run open the warehouse one after another, and the CLI holds
    it around them: within one process the lock counts its holders, and the file is let
    go with the last one."""
    from ingestion.warehouse import WarehouseBusy, warehouse_lock

    path = tmp_path / "warehouse.duckdb"
    entered = threading.Event()
    release = threading.Event()

    def inner() -> None:
        with warehouse_lock(path, timeout=0):
            entered.set()
            release.wait(30)

    with warehouse_lock(path, timeout=0):
        thread = threading.Thread(target=inner)
        thread.start()
        assert entered.wait(30)
    release.set()
    thread.join()
    probe = subprocess.run(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from ingestion.warehouse import warehouse_lock\n"
         "with warehouse_lock(Path(sys.argv[1]), timeout=0): print('free')", str(path)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert probe.stdout.strip() == "free", probe.stderr
    assert WarehouseBusy.__doc__


@pytest.mark.parametrize("stage", ["database", "parquet"])
def test_publish_killed_half_way_leaves_the_previous_snapshot(demo_run, tmp_path, stage):
    from serving.publish import publish_snapshot

    source, _ = demo_run
    serving_dir = tmp_path / "serving"
    first = publish_snapshot(source["warehouse"], serving_dir)
    code = (
        "import os, sys; from pathlib import Path; import serving.publish as p\n"
        f"stage = {stage!r}\n"
        "real = p._write_parquet if stage == 'parquet' else p._write_database\n"
        "def killed(*args):\n"
        "    real(*args)\n"
        "    os.kill(os.getpid(), 9)\n"
        "setattr(p, '_write_' + stage, killed)\n"
        "p.publish_snapshot(Path(sys.argv[1]), Path(sys.argv[2]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(source["warehouse"]), str(serving_dir)],
        cwd=PROJECT_ROOT,
    )
    assert proc.returncode == -signal.SIGKILL
    with duckdb.connect(str(first.database), read_only=True) as con:
        assert con.execute(
            "select count(*), max(published_at) from meta.snapshot_tables"
        ).fetchall() == [(len(first.tables), first.published_at)]
    assert (first.parquet_dir / "marts" / "fct_customer_profitability.parquet").exists()
    # The next publish clears the leftovers and swaps in a new snapshot.
    second = publish_snapshot(source["warehouse"], serving_dir)
    assert second.published_at > first.published_at and second.tables == first.tables
    assert not list(serving_dir.glob(".*tmp*"))
    rows = duckdb.sql(
        f"select count(*) from '{second.parquet_dir}/marts/fct_customer_profitability.parquet'"
    ).fetchall()[0][0]
    assert rows == second.tables["marts.fct_customer_profitability"]


@pytest.mark.pipeline
def test_cli_run_selects_the_extracts_with_new_files_and_everything_downstream(env, dbt_manifest):
    from orchestration.cli import _months_of_new_files
    from orchestration.definitions import defs

    billing_file(env["inbox"], "VBRP_2010-05.csv", "20100505", "20100520")
    tags, selection, problems = _months_of_new_files(defs, "main")
    assert problems == []
    assert tags == range_tags(date(2010, 5, 1), date(2010, 5, 1))
    assert [k for k in selection if k.path[0] == "raw"] == [BILLING]
    downstream = {
        dg.AssetKey(["marts", "fct_customer_profitability"]),
        dg.AssetKey(["serving", "snapshot"]),
    }
    assert downstream <= set(selection)
    _, ingest, _ = _months_of_new_files(defs, "ingest")
    assert ingest == [BILLING]
    # Nothing else changed since the last run: what the billing lines feed, nothing else.
    _, fed, _ = _months_of_new_files(defs, "main", only_what_they_feed=True)
    assert downstream <= set(fed) < set(selection)
    assert dg.AssetKey(["marts", "fct_supplier_scorecard"]) not in fed
    assert [k for k in fed if k.path[0] in ("raw", "config")] == [BILLING]  # no seed


def test_only_a_good_build_of_the_same_code_lets_a_run_build_less(tmp_path):
    """last_run_built_this_code, on real runs of a real instance: the newest run must be a
    build (main or build job) that succeeded with the same code fingerprint."""
    from orchestration.selection import CODE_TAG, last_run_built_this_code

    @dg.op(config_schema={"fail": bool})
    def step(context) -> None:
        if context.op_config["fail"]:
            raise RuntimeError("the build failed")

    def run(job_name: str, fingerprint: str, fail: bool = False) -> None:
        job = dg.GraphDefinition(name=job_name, node_defs=[step]).to_job()
        job.execute_in_process(
            run_config={"ops": {"step": {"config": {"fail": fail}}}},
            instance=instance,
            tags={CODE_TAG: fingerprint},
            raise_on_error=False,
        )

    with dg.DagsterInstance.ephemeral() as instance:
        assert not last_run_built_this_code(instance, "a")  # no run yet
        run("main", "a")
        assert last_run_built_this_code(instance, "a")
        assert not last_run_built_this_code(instance, "b")  # other code now
        run("build", "a")
        assert last_run_built_this_code(instance, "a")
        run("ingest", "a")  # loaded, not built
        assert not last_run_built_this_code(instance, "a")
        run("main", "a", fail=True)
        assert not last_run_built_this_code(instance, "a")
        run("main", "a")
        assert last_run_built_this_code(instance, "a")


def test_the_code_fingerprint_follows_the_code_and_nothing_else(tmp_path):
    from orchestration.selection import CODE_FILES, CODE_FOLDERS, code_fingerprint

    copy = tmp_path / "project"
    for name in (*CODE_FOLDERS, *CODE_FILES, "README.md"):
        source = PROJECT_ROOT / name
        if not source.exists():
            continue
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "target", "logs")
            shutil.copytree(source, copy / name, ignore=ignore)
        else:
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, copy / name)
    original = code_fingerprint(copy)
    assert original == code_fingerprint(PROJECT_ROOT)
    (copy / "README.md").write_text("edited")
    assert code_fingerprint(copy) == original
    for edited in ("dbt_project/macros/costing.sql", "dbt_project/seeds/costing/departments.csv",
                   "metrics/concentration.py"):  # fmt: skip
        path = copy / edited
        kept = path.read_bytes()
        path.write_bytes(kept + b"\n")
        assert code_fingerprint(copy) != original, edited
        path.write_bytes(kept)
    assert code_fingerprint(copy) == original


@pytest.mark.pipeline
def test_dbt_keeps_building_after_a_model_spills_to_disk(env, monkeypatch, tmp_path):
    """Under its memory limit DuckDB spills to <warehouse file>.tmp. dbt-duckdb applies the
    profile's settings to every new cursor and DuckDB refuses to set temp_directory once it
    has been used, so the profile must not set it: the model after a spill would fail."""
    from tests.conftest import PROJECT_ROOT, run_dbt

    project = tmp_path / "dbt_project"
    shutil.copytree(
        PROJECT_ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs")
    )
    # 6 million rows of two integers, 96 MB, sorted under a 64 MB limit: the sort cannot
    # finish without spilling, and with fixed-width rows on one thread it always can (a
    # sort of strings on every core once hit the limit instead on a busy machine).
    (project / "models" / "spills.sql").write_text(
        "{{ config(materialized='table', pre_hook='set threads = 1') }}\n"
        "select range as n, hash(range) as h from range(6000000) order by h"
    )
    (project / "models" / "after_the_spill.sql").write_text(
        "{{ config(materialized='table') }}\n"
        "select count(*) as rows, sum(n) as total from {{ ref('spills') }}"
    )
    monkeypatch.setenv("ABC_DUCKDB_MEMORY_LIMIT", "64MB")
    spill_dir = Path(f"{env['warehouse']}.tmp")
    seen = []

    def watch() -> None:
        while not seen and not done.is_set():
            if spill_dir.is_dir() and any(spill_dir.iterdir()):
                seen.append(True)
            time.sleep(0.01)

    done = threading.Event()
    watcher = threading.Thread(target=watch)
    watcher.start()
    result = run_dbt(
        ["run", "--select", "spills", "after_the_spill", "--threads", "1",
         "--project-dir", str(project)]
    )  # fmt: skip
    done.set()
    watcher.join()
    assert seen, "the model did not spill: raise its row count"
    assert result.returncode == 0, result.stdout[-2000:]
    with duckdb.connect(str(env["warehouse"]), read_only=True) as con:
        built = con.execute("select rows, total from main.after_the_spill").fetchall()
    assert built == [(6_000_000, 6_000_000 * 5_999_999 // 2)]


def test_a_reader_reconnecting_in_the_same_process_sees_the_new_snapshot(tmp_path):
    """DuckDB shares one open database per file within a process: a BI process that keeps
    a connection open and opens another after a publish gets the new snapshot, while the
    open one keeps reading the one it opened."""
    from serving.publish import publish_snapshot

    warehouse = tmp_path / "warehouse.duckdb"
    serving_dir = tmp_path / "serving"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts; create table marts.fct_x as select 1 as v")
    first = publish_snapshot(warehouse, serving_dir)
    held = duckdb.connect(str(first.database), read_only=True)
    assert held.execute("select v from marts.fct_x").fetchall() == [(1,)]
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create or replace table marts.fct_x as select 2 as v")
    second = publish_snapshot(warehouse, serving_dir)
    assert second.database == first.database  # one stable name for readers
    with duckdb.connect(str(second.database), read_only=True) as fresh:
        assert fresh.execute("select v from marts.fct_x").fetchall() == [(2,)]
    assert held.execute("select v from marts.fct_x").fetchall() == [(1,)]
    held.close()
    # A third publish keeps two snapshots: the newest and the one before it.
    publish_snapshot(warehouse, serving_dir)
    assert len(list((serving_dir / "database-snapshots").iterdir())) == 2


@pytest.mark.pipeline
def test_a_killed_runs_dbt_child_is_stopped_by_the_next_run(demo_copy, tmp_path):
    """kill -9 of `abc-warehouse run` while dbt builds leaves the dbt child running, holding
    the warehouse file; the next run stops it, marks the killed run failed and completes.
    (The demo is loaded already: on an instance that never built it, the first run goes
    straight to the build.) The next run loads a new file, so it writes the warehouse the
    orphan held; an ingest run, as what a killed build leaves is rebuilt by the next build
    (the selection's rule: test_only_a_good_build_of_the_same_code_lets_a_run_build_less)."""
    from orchestration.recovery import DBT_PID_TAG, _alive, _zombie

    env = demo_copy
    home = dagster_home(tmp_path)
    proc = start_cli(["run"], home)
    instance = dg.DagsterInstance.from_config(str(home))
    dbt_pid = None
    while dbt_pid is None and proc.poll() is None:
        time.sleep(0.2)
        tags = [r.dagster_run.tags for r in instance.get_run_records()]
        dbt_pid = next((int(t[DBT_PID_TAG]) for t in tags if DBT_PID_TAG in t), None)
    assert dbt_pid, "the run ended before dbt started"
    (proc_run_id,) = (r.dagster_run.run_id for r in instance.get_run_records())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _alive(dbt_pid) and not _zombie(dbt_pid)  # orphaned, still building
    billing_file(env["inbox"], "VBRP_2011-01.csv", "20110110", "20110120")
    out = finish(start_cli(["run", "--job", "ingest"], home))
    assert f"its dbt child (pid {dbt_pid}) stopped." in out
    assert not _alive(dbt_pid) or _zombie(dbt_pid)

    killed, rerun = sorted(instance.get_runs(), key=lambda run: run.run_id != proc_run_id)
    assert killed.status == dg.DagsterRunStatus.FAILURE
    assert rerun.status == dg.DagsterRunStatus.SUCCESS
    assert query(
        env["warehouse"], "select count(*) from raw.billing_lines where _period = '2011-01-01'"
    ) == [(2,)]


def test_a_file_without_a_dated_row_does_not_stretch_the_run_to_today(env):
    """A header-only billing file has no month of its own. Filed under the month it arrived
    in, beside a file of May 2010 it made one run of every month from 2010 to today, and
    each partitioned step wrote its events for every one of those months (4 s a step)."""
    from orchestration.defs.automation import inbox_changes

    inbox = env["inbox"]
    dated = billing_file(inbox, "VBRP_2010-05.csv", "20100505")
    empty = write_extract(inbox, "VBRP_2011-09.csv", [BILLING_HEADER])
    changes = inbox_changes([dated, empty])
    assert changes.months == [date(2010, 5, 1)]
    assert changes.by_month[date(2010, 5, 1)][BILLING] == ["VBRP_2010-05.csv", "VBRP_2011-09.csv"]
    # Alone, it is filed under the month it arrived in, and its run refuses it.
    alone = inbox_changes([empty])
    arrived = date.fromtimestamp(empty.stat().st_mtime).replace(day=1)
    assert alone.months == [arrived] and not alone.problems


def test_a_big_file_named_for_its_month_is_dated_from_its_first_lines(env):
    """The months of a new file decide the run's partitions. For an extract whose load
    refuses a row outside the month the file name declares, a file whose first megabyte
    is dated in that month belongs to it (or is refused in its run): the probe reads the
    first lines only, where it read all of a 10M-line inbox before every run (about 20 s).
    A file whose first lines say otherwise, or say nothing, is read whole as before."""
    from ingestion.loader import HEAD_BYTES, probe_periods

    inbox = env["inbox"]
    per_line = len(billing_line()) + 1
    head_lines = HEAD_BYTES // per_line + 100  # past the first megabyte
    march = [billing_line(vbeln=str(90000000 + i), fkdat="20100315") for i in range(head_lines)]
    april_tail = [billing_line(vbeln="99999999", fkdat="20100402")]
    named_right = write_extract(inbox, "VBRP_2010-03.csv", [BILLING_HEADER, *march, *april_tail])
    assert named_right.stat().st_size > HEAD_BYTES
    assert probe_periods(named_right) == [date(2010, 3, 1)]
    # Its load (in March's run) refuses it for the April line, naming it.
    with connect(env["warehouse"]) as con, pytest.raises(ExtractError, match="dated outside"):
        load_file(con, named_right)
    # Named for another month: read whole, its own months.
    named_wrong = write_extract(inbox, "VBRP_2010-05.csv", [BILLING_HEADER, *march, *april_tail])
    assert probe_periods(named_wrong) == [date(2010, 3, 1), date(2010, 4, 1)]
    # A small file is read whole: its months are what its rows say.
    small = billing_file(inbox, "VBRP_2010-07.csv", "20100701", "20100801")
    assert probe_periods(small) == [date(2010, 7, 1), date(2010, 8, 1)]


def test_a_mistyped_year_decides_no_month_of_its_file(env):
    """A June file with one line dated 2100 (a typo the parser quarantines): the file's
    month is June alone, so it is loaded in June's run with that line quarantined, not
    refused whole for lying outside the partitions."""
    from orchestration.defs.automation import inbox_changes

    june = billing_file(env["inbox"], "VBRP_2010-06.csv", "20100615", "21000615", "20100616")
    changes = inbox_changes([june])
    assert changes.months == [date(2010, 6, 1)] and not changes.problems
    with connect(env["warehouse"]) as con:
        result = load_file(con, june)
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 2, 1)
    assert query_reasons(env["warehouse"]) == ["FKDAT: date '21000615' outside the years 1950-2099"]


def query_reasons(warehouse: Path) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [r[0] for r in con.execute("select reason from raw._quarantine").fetchall()]
