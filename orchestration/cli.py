"""`abc-warehouse`: the commands behind `make demo` and friends.

abc-warehouse prepare            build the dbt manifest Dagster loads the dbt assets from
abc-warehouse demo               generate the demo inbox if absent, run the main job, summarise
abc-warehouse run [--months A:B] [--job main|ingest|build] [--vars '{k: v}']
                                 run a job on the inbox (your own extracts), for the
                                 months of the new files or the months A to B (YYYY-MM),
                                 with dbt vars over the settings file's
abc-warehouse --version          the installed version
abc-warehouse summary            print the summary of the warehouse as it is
abc-warehouse query SQL          run SQL on the serving snapshot (read-only)
abc-warehouse app [--port P]     the profitability explorer on the serving snapshot (make app)
abc-warehouse batches [remove|apply LOAD_ID] [--extract E] [--month YYYY-MM]
                                 list the loaded batches per extract and month; remove
                                 one, or apply one again from the archive
abc-warehouse generate-demo DIR  write the demo extracts into DIR
abc-warehouse bench [options]    the benchmark (benchmark/run.py; `make bench`)
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

from ingestion import warehouse


def prepare(force: bool = True, create_instance: bool = True) -> None:
    """Parse the dbt project into target/manifest.json (dbt parse); unless forced, only
    when a file of the project is newer than the manifest. Creates the Dagster instance's
    storage (unless told not to: a run opens the instance next anyway), so that runs
    started together later do not race to create it."""
    from orchestration.dbt_paths import manifest_is_current
    from orchestration.settings import current_settings

    # (The settings also tell dbt, which parses next, where the warehouse is.)
    settings = current_settings()
    if create_instance and settings.dagster_home:
        import dagster as dg

        dg.DagsterInstance.get().dispose()
    if not force and manifest_is_current():
        return
    from orchestration.dbt_artifacts import publish_parse
    from orchestration.dbt_paths import MANIFEST
    from orchestration.resources import WarehouseResource, dbt_resource

    # dbt parses into a folder of its own (dagster-dbt starts it from the kept parse
    # state), then the result replaces the manifest Dagster reads in one step. A parse
    # that fails leaves its folder for the dbt.log its error names, until a later prepare.
    target = MANIFEST.parent
    for failed in target.glob(".parse-*"):
        with contextlib.suppress(OSError):  # removed meanwhile by another prepare
            if time.time() - failed.stat().st_mtime > 3600:  # not one parsing now
                shutil.rmtree(failed)
    staging = target / f".parse-{uuid.uuid4().hex[:12]}"
    dbt_resource().cli(["parse", "--quiet"], target_path=staging).wait()
    # Parsed with no --vars, on the settings' warehouse (current_settings gave it to dbt):
    # the parse state a build there with no vars starts from.
    publish_parse(staging, target, WarehouseResource.from_settings(settings).dbt_profile_key({}))


def _month(text: str) -> date:
    try:
        return date.fromisoformat(text + "-01" if len(text) == 7 else text).replace(day=1)
    except ValueError:
        raise SystemExit(f"--months: '{text}' is not a month (YYYY-MM)") from None


def _month_range(first: date, last: date) -> dict[str, str]:
    """Range tags for first..last, or a clear error when they are not partitions."""
    from orchestration.partitions import MONTHLY, OLDER_EXTRACTS, partition_key, range_tags

    keys = set(MONTHLY.get_partition_keys())
    for month in (first, last):
        if partition_key(month) not in keys:
            raise SystemExit(
                f"{month:%Y-%m} is outside the monthly partitions ({min(keys)[:7]} to "
                f"{max(keys)[:7]}); {OLDER_EXTRACTS}"
            )
    if last < first:
        raise SystemExit(f"--months: {first:%Y-%m} comes after {last:%Y-%m}")
    return range_tags(first, last)


def _months_of_new_files(
    defs, job: str, only_what_they_feed: bool = False
) -> tuple[dict[str, str], list, list[str]]:
    """Range tags covering the months of the inbox's files not loaded yet, as the sensor
    reads them, and the assets to run: the extracts with a new file, and everything that
    is not an extract or, with only_what_they_feed, what those extracts feed."""
    import dagster as dg

    from ingestion.inbox import dangling_links, files_not_taken_in
    from ingestion.specs import SPECS
    from orchestration.defs.automation import inbox_changes
    from orchestration.selection import fed_by
    from orchestration.settings import load_settings

    settings = load_settings()
    new = files_not_taken_in(settings.inbox, settings.archive)
    aliases = str(settings.header_aliases) if settings.header_aliases else None
    changes = inbox_changes(new, aliases)
    changes.problems += dangling_links(settings.inbox)
    for problem in changes.problems:
        print(f"Not loadable: {problem}", file=sys.stderr)
    extracts = {dg.AssetKey(["raw", s.name]) for s in SPECS.values()}
    with_new_files = {k for keys in changes.by_month.values() for k in keys} | set(
        changes.snapshots
    )
    keys = defs.resolve_job_def(job).asset_layer.executable_asset_keys
    selection = sorted((k for k in keys if k not in extracts or k in with_new_files), key=str)
    if only_what_they_feed:
        everything = len(selection)
        selection = fed_by(defs, selection, with_new_files)
        if selection:
            print(
                f"Same code as the last run, which succeeded: building what the new files "
                f"feed ({len(selection)} of {everything} assets)."
            )
    if changes.months:
        return _month_range(changes.months[0], changes.months[-1]), selection, changes.problems
    return {}, selection, changes.problems


# Exit codes of `abc-warehouse run` (README, "Exit codes").
EXIT_OK, EXIT_FAILED, EXIT_REFUSED = 0, 1, 3


def expected_work(job_def, selection: list | None, new_files: int) -> dict[str, int]:
    """What the progress bars count to: the new files, and the dbt nodes (models, seeds
    and the tests Dagster sees as checks) the run builds."""
    from orchestration.defs.transformation import dbt_models
    from orchestration.progress import DBT, LOAD

    keys = set(selection) if selection is not None else job_def.asset_layer.executable_asset_keys
    models = [k for k in dbt_models.keys if k in keys]
    tests = [c for c in dbt_models.check_keys if c.asset_key in keys]
    return {LOAD: new_files, DBT: len(models) + len(tests)}


def run_job(
    job: str = "main",
    months: str | None = None,
    full_refresh: bool = False,
    dbt_vars: dict | None = None,
    verbose: bool = False,
) -> tuple[bool, list[str]]:
    """Run a job (main, ingest or build) with the in-process executor on the configured
    instance, as one run over the months given ("2010-06" or "2010-01:2010-12") or over
    the months of the files not loaded yet. full_refresh: dbt rebuilds its incremental
    models from scratch, and everything is built. dbt_vars: over the settings file's.
    Returns whether the run succeeded and the files it refused or could not read."""
    import dagster as dg

    prepare(force=False, create_instance=False)
    from rich.console import Console

    from ingestion.inbox import files_not_taken_in
    from orchestration.definitions import defs
    from orchestration.progress import RunProgress
    from orchestration.recovery import process_tags, release_dead_runs
    from orchestration.selection import (
        CODE_TAG,
        VERSION_TAG,
        code_fingerprint,
        last_run_built_this_code,
        package_version,
    )
    from orchestration.settings import DBT_VARS_TAG, load_settings, vars_text

    settings = load_settings()
    run_vars = {**settings.dbt_vars, **(dbt_vars or {})}
    # Other vars build other marts: a change of vars is a change of code for the selection.
    fingerprint = code_fingerprint(dbt_vars=vars_text(run_vars))
    with dg.DagsterInstance.get() as instance:
        for line in release_dead_runs(instance):
            print(line)
        selection, refused = None, []
        if job == "build":
            tags = {}
        elif months:
            first, _, last = months.partition(":")
            tags = _month_range(_month(first), _month(last or first))
        else:
            unchanged = not full_refresh and last_run_built_this_code(instance, fingerprint)
            tags, selection, refused = _months_of_new_files(
                defs, job, only_what_they_feed=unchanged
            )
            if not selection:
                print("Nothing new in the inbox for this job.")
                return True, refused
        dbt_config = {
            **({"full_refresh": True} if full_refresh else {}),
            **({"vars": vars_text(dbt_vars)} if dbt_vars and job != "ingest" else {}),
        }
        job_def = defs.resolve_job_def(job)
        run_id = str(uuid.uuid4())
        totals = expected_work(
            job_def,
            selection,
            len(files_not_taken_in(settings.inbox, settings.archive)),
        )
        # Bound to the real standard output: the run's own output is redirected below.
        console = Console(file=sys.stdout, highlight=False)
        # dagster-dbt echoes dbt's every log line to standard output; dbt writes them to
        # dbt.log in the build's target folder too, so they go there only, unless verbose.
        echo = contextlib.nullcontext() if verbose else contextlib.redirect_stdout(io.StringIO())
        with RunProgress(instance, run_id, console, totals), echo:
            result = job_def.execute_in_process(
                run_id=run_id,
                asset_selection=selection,
                instance=instance,
                raise_on_error=False,
                tags={
                    **tags,
                    **process_tags(),
                    CODE_TAG: fingerprint,
                    VERSION_TAG: package_version(),
                    **({DBT_VARS_TAG: vars_text(run_vars)} if job != "ingest" else {}),
                },
                run_config={
                    # The stage lines and the failures printed below say what happened;
                    # --verbose shows Dagster's own log as well.
                    "loggers": {
                        "console": {"config": {"log_level": "INFO" if verbose else "CRITICAL"}}
                    },
                    **({"ops": {"dbt_models": {"config": dbt_config}}} if dbt_config else {}),
                },
            )
    failed_checks = [
        e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and not e.asset_check_evaluation_data.passed
    ]
    refused += [
        line
        for check in failed_checks
        if check.check_name == "files_refused"
        for line in (check.description or "").splitlines()
    ]
    failed_checks = [c for c in failed_checks if c.check_name != "files_refused"]
    for check in failed_checks:
        print(
            f"CHECK FAILED: {check.asset_key.to_user_string()} {check.check_name}: "
            f"{check.description or ''}",
            file=sys.stderr,
        )
    for event in result.all_events:
        failure = event.step_failure_data if event.event_type_value == "STEP_FAILURE" else None
        # A failed blocking check is printed above as CHECK FAILED.
        if failure and failure.error.cls_name != "DagsterAssetCheckFailedError":
            described = failure.user_failure_data and failure.user_failure_data.description
            print(
                f"STEP FAILED: {event.step_key}: {described or failure.error.message.strip()}",
                file=sys.stderr,
            )
    return result.success, refused


def _refusals(refused: list[str]) -> int:
    """List the files this run refused or could not read; EXIT_REFUSED if there were any."""
    if not refused:
        return EXIT_OK
    print(
        f"\n{len(refused)} file(s) not loaded (they changed nothing and stay in the inbox; "
        "fix or rename them and run again):",
        file=sys.stderr,
    )
    for line in refused:
        print(f"  {line}", file=sys.stderr)
    return EXIT_REFUSED


def print_summary(live: bool = False) -> None:
    """Print the summary the last good run wrote; `live` computes it from the warehouse
    file instead (do not while a run may be writing it)."""
    from orchestration.settings import load_settings
    from orchestration.summary import render, summary_path
    from serving.publish import SNAPSHOT_FILE

    settings = load_settings()
    written = summary_path(settings.reports)
    if live:
        # Dagster (under the resource) is imported only here: printing the written
        # summary is a file read, not a second of imports.
        from orchestration.resources import WarehouseResource

        with WarehouseResource.from_settings(settings).connect(read_only=True) as con:
            print(render(con, settings.inbox))
    elif written.exists():
        print(written.read_text(), end="")
    reports = settings.reports
    written = [(reports / name, what) for name, what in REPORTS if (reports / name).exists()]
    if written:
        print("\nReports")
        width = max(len(_shown(path)) for path, _ in written)
        for path, what in written:
            print(f"  {_shown(path):<{width}}  {what}")
    snapshot = settings.serving / SNAPSHOT_FILE
    if snapshot.exists():
        print(
            f"\nServing snapshot for BI tools and analysts (read-only): {_shown(snapshot)}\n"
            "\nNext\n"
            "  make app                     the explorer in the browser: concentration curves,\n"
            "                               drill-down from a customer group to a billing line\n"
            "  make dev                     the Dagster UI: assets, runs, checks; the inbox\n"
            "                               sensor loads and builds what you drop in the inbox\n"
            '  abc-warehouse query "from marts.fct_customer_group_profitability"\n'
            "                               SQL on the snapshot (any DuckDB client will do:\n"
            "                               README, Connecting BI tools and analysts)"
        )


# The reports a build writes, in the order a reader opens them.
REPORTS = (
    ("report.html", "customer concentration: Lorenz, Stobachoff and S-curve charts"),
    ("scenarios.html", "the costing scenarios against actual: what if"),
    ("sensitivity.html", "how sure the profitability ranking is over the estimated times"),
    ("strategy.html", "relationship power, make-or-buy and purchasing spend"),
    ("capability.html", "supplier capability (Cp, Cpk, Pp, Ppk) and inspection levels"),
)


def _shown(path: Path) -> str:
    """A path as the user typed their way to it: relative to the current folder if inside."""
    # abspath, not resolve: the serving snapshot's stable name is a symlink to keep.
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def write_demo_settings() -> None:
    """The demo's settings file, unless the warehouse has one: partitions for the demo's
    year, so the Dagster UI shows twelve months, all loaded."""
    from demo.reference_company import YEAR
    from orchestration.settings import settings_file, settings_text

    path = settings_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(settings_text(first_month=f"{YEAR}-01", last_month=f"{YEAR}-12"))


def _dbt_tool(name: str) -> tuple[Path, Path]:
    """A dbt tool (dbt, mf) from this environment, and the dbt project it runs in, with
    dbt's profile told the settings' warehouse and memory limit, as for a build, and the
    project parsed first if it changed."""
    from orchestration.dbt_paths import DBT_PROJECT_DIR, PROFILES_DIR, dbt_executable
    from orchestration.settings import export_to_dbt, load_settings

    settings = load_settings()
    export_to_dbt(settings.warehouse, settings.duckdb_memory_limit, PROFILES_DIR)
    prepare(force=False, create_instance=False)
    tool = Path(dbt_executable()).with_name(name)
    if not tool.exists():
        raise SystemExit(f"{tool}: not installed; `make setup` installs it with the project")
    return tool, DBT_PROJECT_DIR


def metricflow(args: list[str]) -> int:
    """MetricFlow's `mf` on the dbt project and this warehouse. mf opens the warehouse file
    to write (it creates temporary tables), so it waits for a running build."""
    mf, project_dir = _dbt_tool("mf")
    return subprocess.run([str(mf), *args], cwd=project_dir).returncode


def dbt_docs(serve: bool, port: int) -> int:
    """dbt's documentation of the project and this warehouse (models, columns, sources,
    exposures, metrics, lineage), generated into target/docs of the dbt project and,
    with `serve`, served on localhost until interrupted."""
    dbt_tool, project_dir = _dbt_tool("dbt")
    target = ["--target-path", str(project_dir / "target" / "docs")]
    dbt = [str(dbt_tool), "docs"]
    generated = subprocess.run([*dbt, "generate", *target], cwd=project_dir)
    if generated.returncode != 0 or not serve:
        return generated.returncode
    served = [*dbt, "serve", *target, "--port", str(port), "--no-browser"]
    print(f"dbt docs on http://localhost:{port} (Ctrl-C stops it)", flush=True)
    return subprocess.run(served, cwd=project_dir).returncode


def query_snapshot(sql: str) -> int:
    """`abc-warehouse query SQL`: the result as a table, from a read-only connection to the
    serving snapshot (never the warehouse file a run may be writing)."""
    import duckdb

    from orchestration.settings import load_settings
    from serving.publish import SNAPSHOT_FILE

    snapshot = load_settings().serving / SNAPSHOT_FILE
    if not snapshot.exists():
        print(f"No serving snapshot yet at {snapshot}: run `abc-warehouse run` first.")
        return 1
    try:
        with duckdb.connect(str(snapshot), read_only=True) as con:
            con.sql(sql).show(max_width=10_000, max_rows=1_000)
    except duckdb.Error as exc:
        print(f"query: {exc}", file=sys.stderr)
        return 1
    return 0


def explorer(port: int, address: str) -> int:
    """The explorer (explorer/app.py) on the serving snapshot, until interrupted."""
    from explorer.command import explorer_command
    from orchestration.settings import load_settings
    from serving.publish import SNAPSHOT_FILE

    serving = load_settings().serving
    if not (serving / SNAPSHOT_FILE).exists():
        print(f"No serving snapshot yet in {_shown(serving)}: run `make demo` first.")
        return 1
    print(f"The explorer on http://{address}:{port} (Ctrl-C stops it)", flush=True)
    try:
        return subprocess.run(explorer_command(serving, port, address)).returncode
    except KeyboardInterrupt:
        return 0


def batches(action: str, load_id: str | None, extract: str | None, month: str | None) -> int:
    """`abc-warehouse batches`: list, remove or apply again; opens the warehouse itself, so
    not while a run is writing it."""
    import duckdb

    from ingestion.batches import apply_batch, list_batches, remove_batch
    from ingestion.errors import ExtractError
    from ingestion.specs import SPECS

    if action != "list" and not load_id:
        print(f"batches {action} needs a LOAD_ID (`abc-warehouse batches` lists them)")
        return 2
    if extract and extract not in SPECS:
        print(f"--extract: no extract {extract!r} (one of {', '.join(SPECS)})")
        return 2
    from orchestration.settings import load_settings

    settings = load_settings()
    held = contextlib.ExitStack()
    try:
        # A run holding the warehouse is waited for a little, then named.
        held.enter_context(warehouse.warehouse_lock(settings.warehouse, timeout=10))
        con = held.enter_context(
            warehouse.connect(settings.warehouse, memory_limit=settings.duckdb_memory_limit)
        )
    except (warehouse.WarehouseBusy, duckdb.Error) as exc:
        held.close()
        print(f"The warehouse cannot be opened now: {exc}")
        return 1
    with held:
        try:
            if action == "remove":
                removed = remove_batch(con, load_id)
                print(f"Removed batch {load_id}: {removed} rows.")
            elif action == "apply":
                result = apply_batch(con, load_id, settings.archive, settings.max_snapshot_shrink)
                print(f"{result.file_name}: {result.status}, {result.message}")
            else:
                rows = list_batches(con, extract, _month(month) if month else None)
                print(
                    f"{'extract':<22} {'month':<7}  {'load id':<36}  {'file':<32} "
                    f"{'loaded at':<19} {'rows':>9}  {'state':<8}  validation"
                )
                for b in rows:
                    print(
                        f"{b.extract:<22} {b.month.strftime('%Y-%m') if b.month else '-':<7}  "
                        f"{b.load_id:<36}  {b.file_name:<32} {b.loaded_at:%Y-%m-%d %H:%M:%S} "
                        f"{b.rows_held:>9,}  {b.state:<8}  {b.validation}"
                    )
                return 0
        except ExtractError as exc:
            print(str(exc))
            return 1
    print("Rebuild the marts and the serving snapshot with `abc-warehouse run --job build`.")
    return 0


def main(argv: list[str] | None = None) -> int:
    from orchestration.selection import package_version

    parser = argparse.ArgumentParser(prog="abc-warehouse", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"abc-warehouse {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("prepare", help="build the dbt manifest")
    demo = sub.add_parser("demo", help="generate the demo inbox if absent, run, summarise")
    demo.add_argument("--billing-lines", type=int, default=None)
    run = sub.add_parser("run", help="run the main job on the inbox")
    run.add_argument(
        "--months", help="YYYY-MM or YYYY-MM:YYYY-MM (default: the months of the new files)"
    )
    run.add_argument(
        "--job",
        choices=["main", "ingest", "build"],
        default="main",
        help="main: everything; ingest: load the inbox only; build: dbt, analytics, serving",
    )
    run.add_argument(
        "--vars",
        help="dbt variables for this run, a YAML mapping: '{rate_basis: month}' (over the "
        "settings file's [dbt_vars] and dbt_project.yml's vars)",
    )
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild dbt's month-incremental models from scratch (after deleting raw rows "
        "by hand, editing a macro, or an upgrade that adds columns to them)",
    )
    for command in (demo, run):
        command.add_argument(
            "--verbose",
            action="store_true",
            help="print Dagster's log and dbt's every line as well as the stage lines",
        )
    summary = sub.add_parser("summary", help="print the summary of the last good run")
    summary.add_argument(
        "--live", action="store_true", help="compute it from the warehouse file now"
    )
    batch = sub.add_parser(
        "batches", help="list the loaded batches; remove one, or apply one again"
    )
    batch.add_argument("action", nargs="?", choices=["list", "remove", "apply"], default="list")
    batch.add_argument("load_id", nargs="?", help="the batch (load id) to remove or apply")
    batch.add_argument("--extract", help="only this extract (raw table name)")
    batch.add_argument("--month", help="only this month (YYYY-MM)")
    docs = sub.add_parser(
        "docs", help="generate dbt's documentation of the warehouse and serve it (make docs)"
    )
    docs.add_argument("--no-serve", action="store_true", help="generate only")
    docs.add_argument("--port", type=int, default=8080)
    ask = sub.add_parser("query", help="run SQL on the serving snapshot (read-only)")
    ask.add_argument("sql", help='e.g. "from marts.fct_customer_group_profitability"')
    app = sub.add_parser(
        "app", help="the profitability explorer on the serving snapshot (make app)"
    )
    app.add_argument("--port", type=int, default=8501)
    app.add_argument("--address", default="localhost", help="0.0.0.0 to serve the network")
    gen = sub.add_parser("generate-demo", help="write demo extracts into a folder")
    gen.add_argument("inbox", type=Path)
    gen.add_argument("--billing-lines", type=int, default=None)
    sub.add_parser("bench", help="run the benchmark (options: bench --help)", add_help=False)
    sub.add_parser(
        "mf",
        help="query the metrics of the semantic layer on the warehouse (MetricFlow's mf: "
        "mf query --metrics net_profit --group-by customer__customer_group,metric_time__year)",
        add_help=False,
    )
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:
        from benchmark.run import main as bench

        return bench(argv[1:])
    if argv[:1] == ["mf"]:
        return metricflow(argv[1:])
    args = parser.parse_args(argv)

    if args.command == "prepare":
        prepare()
        return 0
    if args.command == "generate-demo":
        from demo.generator import generate

        generate(args.inbox, args.billing_lines)
        return 0
    if args.command == "summary":
        print_summary(args.live)
        return 0
    if args.command == "query":
        return query_snapshot(args.sql)
    if args.command == "app":
        return explorer(args.port, args.address)
    if args.command == "docs":
        return dbt_docs(not args.no_serve, args.port)
    if args.command == "batches":
        return batches(args.action, args.load_id, args.extract, args.month)
    from orchestration.settings import SettingsError, current_settings, load_settings

    if args.command == "demo":
        try:
            inbox = load_settings().inbox
        except SettingsError as exc:
            print(f"abc-warehouse: {exc}", file=sys.stderr)
            return 2
        if not inbox.exists() or not any(inbox.iterdir()):
            from demo.generator import generate

            print(f"Writing the demo extracts into {_shown(inbox)}")
            generate(inbox, args.billing_lines)
            write_demo_settings()
    try:  # read here, so a bad settings file is one line naming it, not a traceback
        settings = current_settings()
    except SettingsError as exc:
        print(f"abc-warehouse: {exc}", file=sys.stderr)
        return 2
    print(f"Warehouse: {_shown(settings.warehouse)}")
    print(f"Inbox:     {_shown(settings.inbox)}")
    job = getattr(args, "job", "main")
    full_refresh = getattr(args, "full_refresh", False)
    if full_refresh and job == "ingest":
        parser.error("--full-refresh rebuilds dbt models; the ingest job runs none")
    dbt_vars = None
    if getattr(args, "vars", None):
        from orchestration.settings import parse_vars

        if job == "ingest":
            parser.error("--vars are dbt variables; the ingest job runs no dbt")
        try:
            dbt_vars = parse_vars(args.vars)
        except SettingsError as exc:
            parser.error(str(exc))
    ok, refused = run_job(
        job, getattr(args, "months", None), full_refresh, dbt_vars, getattr(args, "verbose", False)
    )
    if not ok:
        print(
            "\nThe run failed and the serving snapshot was left as it was; the cause is "
            "above (CHECK FAILED / STEP FAILED), the full logs in the Dagster UI (make dev) "
            "and dbt's log in dbt_project/target.",
            file=sys.stderr,
        )
        _refusals(refused)
        return EXIT_FAILED
    if job != "ingest":
        print_summary()
    return _refusals(refused)


def entry() -> None:
    """The `abc-warehouse` command (and `python -m orchestration.cli`): main, then exit
    without the interpreter's teardown, which frees the modules of Dagster, dbt, pandas
    and matplotlib object by object: 1.6 s after every run, a twentieth of an incremental
    one. By then every file and connection is closed and the run is committed; only the
    standard streams and logging handlers hold output, and they are flushed first."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    entry()
