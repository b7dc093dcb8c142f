"""The dbt project as assets: seeds, staging, intermediate and marts; dbt tests as checks."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_project
from orchestration.resources import WAREHOUSE_POOL


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False
    """Rebuild the month-incremental models (macros/incremental.sql) from scratch: after
    raw rows were deleted by hand, a macro was edited, or an upgrade added columns."""


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, pool=WAREHOUSE_POOL)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig):
    # dbt's unit tests check the costing logic on fixed inputs, not the data: they run in
    # the test suite (make test), not in every production build (dbt's own advice).
    args = ["build", "--exclude-resource-type", "unit_test"]
    if config.full_refresh:
        args.append("--full-refresh")
    yield from dbt.cli(args, context=context).stream()


defs = dg.Definitions(assets=[dbt_models])
