"""The dbt project as assets: seeds, staging, intermediate and marts; dbt tests as checks."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_project
from orchestration.resources import WAREHOUSE_POOL


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, pool=WAREHOUSE_POOL)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    # dbt's unit tests check the costing logic on fixed inputs, not the data: they run in
    # the test suite (make test), not in every production build (dbt's own advice).
    yield from dbt.cli(["build", "--exclude-resource-type", "unit_test"], context=context).stream()


defs = dg.Definitions(assets=[dbt_models])
