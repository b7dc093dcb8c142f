"""`abc-warehouse`: the commands behind `make demo` and friends.

abc-warehouse prepare            build the dbt manifest Dagster loads the dbt assets from
abc-warehouse demo               generate the demo inbox if absent, run the main job, summarise
abc-warehouse run                run the main job on the inbox (your own extracts)
abc-warehouse summary            print the summary of the warehouse as it is
abc-warehouse generate-demo DIR  write the demo extracts into DIR
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingestion import warehouse


def prepare() -> None:
    """Parse the dbt project into target/manifest.json (dbt parse)."""
    from dagster_dbt import DbtCliResource

    from orchestration.dbt_project import dbt_project
    from orchestration.resources import dbt_executable

    dbt = DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())
    dbt.cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()


def run_main_job() -> bool:
    """Materialize every asset with the in-process executor on the configured instance."""
    import dagster as dg

    prepare()
    from orchestration.definitions import defs

    with dg.DagsterInstance.get() as instance:
        result = defs.resolve_job_def("main").execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        )
    failed_checks = [
        e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and not e.asset_check_evaluation_data.passed
    ]
    for check in failed_checks:
        print(
            f"CHECK FAILED: {check.asset_key.to_user_string()} {check.check_name}: "
            f"{check.description or ''}",
            file=sys.stderr,
        )
    return result.success


def print_summary() -> None:
    from orchestration.defs.analytics import report_dir
    from orchestration.summary import render

    with warehouse.connect(read_only=True) as con:
        print(render(con))
    report = report_dir(str(warehouse.warehouse_path())) / "report.html"
    if report.exists():
        print(f"\nReport with the Lorenz, Stobachoff and S-curve charts: {report}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="abc-warehouse", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("prepare", help="build the dbt manifest")
    demo = sub.add_parser("demo", help="generate the demo inbox if absent, run, summarise")
    demo.add_argument("--billing-lines", type=int, default=None)
    sub.add_parser("run", help="run the main job on the inbox")
    sub.add_parser("summary", help="print the summary")
    gen = sub.add_parser("generate-demo", help="write demo extracts into a folder")
    gen.add_argument("inbox", type=Path)
    gen.add_argument("--billing-lines", type=int, default=None)
    args = parser.parse_args(argv)

    if args.command == "prepare":
        prepare()
        return 0
    if args.command == "generate-demo":
        from demo.generator import generate

        generate(args.inbox, args.billing_lines)
        return 0
    if args.command == "summary":
        print_summary()
        return 0
    if args.command == "demo":
        inbox = warehouse.inbox_dir()
        if not inbox.exists() or not any(inbox.iterdir()):
            from demo.generator import generate

            print(f"Writing the demo extracts into {inbox}")
            generate(inbox, args.billing_lines)
    print(f"Warehouse: {warehouse.warehouse_path()}\nInbox:     {warehouse.inbox_dir()}")
    ok = run_main_job()
    print_summary()
    if not ok:
        print("\nThe run failed; see the Dagster UI (make dev) or the log above.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
