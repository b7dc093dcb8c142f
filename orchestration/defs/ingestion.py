"""One asset per extract type: load the inbox's new files into raw.<extract>.

Dated extracts are partitioned by month (orchestration.partitions): a run for some months
loads the new files touching them. Master-data snapshots are unpartitioned.

Asset keys are raw/<extract>, the same keys dagster-dbt gives the dbt sources, so the
lineage reads extract -> staging -> marts. Each asset reports four checks:
  load_reconciles  every line of every file loaded is loaded, quarantined or skipped noise
  gx_errors        great-expectations error-severity expectations (blocks downstream)
  gx_warnings      warning-severity expectations (reported only)
  files_refused    files refused or unreadable in this run (reported only: a refused file
                   changed nothing, so the rest builds; `abc-warehouse run` exits 3)
"""

import warnings
from dataclasses import asdict
from pathlib import Path

import dagster as dg

from ingestion.inbox import ExtractRun, load_extract
from ingestion.specs import SPECS, ExtractSpec
from ingestion.validation import Outcome, batch_problems, current_outcomes, gate_message
from orchestration.ownership import DATA_ENGINEERING
from orchestration.partitions import MONTHLY, months_of_run
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource


def _loads_table(run: ExtractRun) -> dg.MetadataValue:
    lines = [
        "| file | status | read | loaded | quarantined | skipped |",
        "|---|---|---|---|---|---|",
    ]
    for r in run.loads:
        lines.append(
            f"| {r.file_name} | {r.status} | {r.rows_read} | {r.rows_loaded} | "
            f"{r.rows_quarantined} | {r.rows_skipped} |"
        )
    for name, error in run.failures.items():
        lines.append(f"| {name} | FAILED: {error} | | | | |")
    for name in run.deferred:
        lines.append(f"| {name} | not in this run's months | | | | |")
    return dg.MetadataValue.md("\n".join(lines))


def _gx_check(
    check: str,
    spec: ExtractSpec,
    outcomes: list[Outcome],
    severity: dg.AssetCheckSeverity,
    description: str | None = None,
) -> dg.AssetCheckResult:
    failed = [o for o in outcomes if not o.success]
    return dg.AssetCheckResult(
        check_name=check,
        asset_key=dg.AssetKey(["raw", spec.name]),
        passed=not failed,
        severity=severity,
        description=description if failed else None,
        metadata={
            "expectations_evaluated": len(outcomes),
            "failed": dg.MetadataValue.md(
                "\n".join(
                    f"- {o.expectation} on {o.columns}: {o.unexpected_count} unexpected, "
                    f"e.g. {o.partial_unexpected}"
                    for o in failed
                )
                or "none"
            ),
        },
    )


def build_extract_asset(spec: ExtractSpec) -> dg.AssetsDefinition:
    with warnings.catch_warnings():
        # The single-run backfill policy is what makes a backfill of ten years one load
        # per file; Dagster marks the parameter beta and warns once per asset on every load
        # of the definitions. Chosen knowingly, so silenced here and nowhere else.
        warnings.filterwarnings("ignore", "Parameter `backfill_policy`", dg.BetaWarning)
        return _define_extract_asset(spec)


def _define_extract_asset(spec: ExtractSpec) -> dg.AssetsDefinition:
    key = dg.AssetKey(["raw", spec.name])

    @dg.asset(
        key=key,
        group_name="ingestion",
        owners=DATA_ENGINEERING,
        pool=WAREHOUSE_POOL,
        partitions_def=None if spec.is_snapshot else MONTHLY,
        backfill_policy=None if spec.is_snapshot else dg.BackfillPolicy.single_run(),
        kinds={"duckdb", "python"},
        description=f"{spec.description} Loaded from {spec.sap_origin} extracts in the inbox.",
        check_specs=[
            dg.AssetCheckSpec(
                "load_reconciles",
                asset=key,
                blocking=True,
                description="read = loaded + quarantined + skipped for every file; no file failed.",
            ),
            dg.AssetCheckSpec(
                "gx_errors",
                asset=key,
                blocking=True,
                description="great-expectations expectations of error severity.",
            ),
            dg.AssetCheckSpec(
                "gx_warnings", asset=key, description="Expectations of warning severity."
            ),
            dg.AssetCheckSpec(
                "files_refused",
                asset=key,
                description="Files of this run that were refused or could not be read; they "
                "changed nothing and stay in the inbox.",
            ),
        ],
    )
    def _extract_asset(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        months = None if spec.is_snapshot else months_of_run(context)
        with warehouse.connect() as con:
            run = load_extract(
                con,
                spec,
                Path(warehouse.inbox),
                warehouse.header_aliases,
                months,
                archive=warehouse.archive_dir,
                max_snapshot_shrink=warehouse.max_snapshot_shrink,
                on_file=lambda outcome: context.log_event(
                    # Seen file by file in the UI, and by the CLI's progress lines.
                    dg.AssetObservation(asset_key=key, metadata=asdict(outcome))
                ),
            )
            outcomes = current_outcomes(con, spec)
            problems = batch_problems(con, [spec])
            rows = con.execute(f"select count(*) from raw.{spec.name}").fetchall()[0][0]
        for name, error in run.failures.items():
            context.log.error(f"{name}: {error}")
        unmatched = [r.file_name for r in run.loads if not r.reconciles]
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": rows,
                "files_loaded": len(run.loaded),
                "files_already_loaded": len(run.unchanged)
                + sum(r.status == "already_loaded" for r in run.loads),
                "files_failed": len(run.failures),
                "files_for_other_months": len(run.deferred),
                "rows_quarantined": sum(r.rows_quarantined for r in run.loads),
                "loads": _loads_table(run),
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name="files_refused",
                    passed=not run.failures,
                    severity=dg.AssetCheckSeverity.WARN,
                    description="\n".join(run.failures.values()) or None,
                    metadata={"refused": dg.MetadataValue.json(run.failures)},
                ),
                dg.AssetCheckResult(
                    check_name="load_reconciles",
                    passed=not unmatched,
                    severity=dg.AssetCheckSeverity.ERROR,
                    description="\n".join(f"{n}: lines do not add up" for n in unmatched) or None,
                    metadata={
                        "failed_files": dg.MetadataValue.json(run.failures),
                        "not_reconciled": dg.MetadataValue.json(unmatched),
                    },
                ),
                _gx_check(
                    "gx_errors",
                    spec,
                    [o for o in outcomes if o.severity == "error"],
                    dg.AssetCheckSeverity.ERROR,
                    gate_message(problems) if problems else None,
                ),
                _gx_check(
                    "gx_warnings",
                    spec,
                    [o for o in outcomes if o.severity == "warning"],
                    dg.AssetCheckSeverity.WARN,
                ),
            ],
        )

    return _extract_asset


defs = dg.Definitions(assets=[build_extract_asset(spec) for spec in SPECS.values()])
