"""The dbt project as assets: seeds, staging, intermediate and marts; dbt tests as checks."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from ingestion.specs import SPECS
from ingestion.validation import gate, gate_message
from ingestion.warehouse import ensure_all
from orchestration.dbt_artifacts import (
    keep_parse_state,
    prune_build_targets,
    start_from_parse_state,
)
from orchestration.dbt_project import dbt_project
from orchestration.recovery import DBT_PID_TAG
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource
from orchestration.settings import DBT_VARS_TAG, export_to_dbt, parse_vars, vars_text


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False
    """Rebuild the month-incremental models (macros/incremental.sql) from scratch: after
    raw rows were deleted by hand, a macro was edited, or an upgrade added columns."""
    vars: str = ""
    """dbt variables for this run, a YAML mapping such as '{rate_basis: month}', over the
    settings file's [dbt_vars] and dbt_project.yml's vars."""


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, pool=WAREHOUSE_POOL)
def dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    config: DbtBuildConfig,
):
    # The step holds the warehouse from the gate to the end of dbt's child process.
    with warehouse.lock():
        yield from _gate_and_build(context, dbt, warehouse, config)


def _gate_and_build(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    config: DbtBuildConfig,
):
    # Nothing is built on a batch that failed validation or was never validated, whatever
    # job this is and whichever run loaded it (ingestion/validation.py).
    with warehouse.connect() as con:
        # Every raw table exists, typed and empty, whatever extracts the inbox held: a
        # company without supplier extracts (or without customer ones) builds too.
        ensure_all(con, list(SPECS.values()))
        problems = gate(con)
    if problems:
        raise dg.Failure(description=gate_message(problems))
    # dbt's unit tests check the costing logic on fixed inputs, not the data: they run in
    # the test suite (make test), not in every production build (dbt's own advice).
    args = ["build", "--exclude-resource-type", "unit_test"]
    if config.full_refresh:
        args.append("--full-refresh")
    dbt_vars = {**parse_vars(warehouse.dbt_vars, "settings [dbt_vars]"), **parse_vars(config.vars)}
    if dbt_vars:
        args += ["--vars", vars_text(dbt_vars)]
    # dbt's profile reads the warehouse from the environment: this resource's.
    export_to_dbt(warehouse.path, warehouse.duckdb_memory_limit)
    # dbt's parse state for this warehouse, where dagster-dbt copies the next one from: the
    # project's target folder (unless DBT_TARGET_PATH points dagster-dbt elsewhere, when
    # this only leaves dbt to parse afresh).
    profile = warehouse.dbt_profile_key(dbt_vars)
    start_from_parse_state(dbt_project.manifest_path.parent, profile)
    invocation = dbt.cli(args, context=context, raise_on_error=False)
    context.instance.add_run_tags(
        context.run_id,
        {
            # A run whose process is killed leaves its dbt child running (and holding the
            # warehouse file); the next run stops it by this tag (orchestration/recovery.py).
            DBT_PID_TAG: str(invocation.process.pid),
            # What the marts were built with; the serving snapshot records it too.
            DBT_VARS_TAG: vars_text(dbt_vars),
        },
    )
    try:
        yield from invocation.stream()
    finally:
        keep_parse_state(invocation.target_path, profile)
        prune_build_targets(invocation.target_path)
    if invocation.is_successful():
        return
    results = invocation.get_artifact("run_results.json")["results"]
    messages = [r.get("message") or "" for r in results]
    # dbt's "out of sync" (columns added) or months_changed's own error (a table built
    # before its model was month-incremental).
    if any("out of sync" in m or "abc-warehouse run --full-refresh" in m for m in messages):
        # dbt's own advice names its config, not this project's way to set it.
        raise dg.Failure(
            description="The columns of a month-incremental model changed (an upgrade, or an "
            "edited model): rebuild them from scratch with `abc-warehouse run --full-refresh` "
            "(in the Dagster UI: config full_refresh: true on the dbt_models op)."
        )
    raise dg.Failure(description=build_failure(results, invocation.target_path / "dbt.log"))


def build_failure(results: list[dict], log: object) -> str:
    """What failed in a dbt build, one line a node with its first error line, and where the
    whole log is: the cause at the end of the run's output, not among 300 lines of dbt's."""
    failed = [r for r in results if r.get("status") in ("error", "fail", "runtime error")]
    lines = []
    for r in failed:
        message = " ".join((r.get("message") or "").split())
        lines.append(f"  {r.get('unique_id')}: {message[:400]}")
    return f"dbt build failed on {len(failed)} node(s):\n" + "\n".join(lines) + f"\nFull log: {log}"


defs = dg.Definitions(assets=[dbt_models])
