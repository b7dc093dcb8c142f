"""The one Definitions object: per-domain parts merged, resources configured once."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.dbt_project import dbt_project
from orchestration.defs import analytics, costing, ingestion, transformation
from orchestration.resources import WarehouseResource, dbt_executable

# The main job: every extract, every dbt model, every check.
main_job = dg.define_asset_job(
    "main",
    selection=dg.AssetSelection.all(),
    description=(
        "Load the inbox, validate, build the dbt models, reconcile the costing marts, "
        "compute the concentration analytics and write the report."
    ),
)

defs = dg.Definitions.merge(
    ingestion.defs,
    transformation.defs,
    costing.defs,
    analytics.defs,
    dg.Definitions(
        jobs=[main_job],
        resources={
            "warehouse": WarehouseResource.from_environment(),
            "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
        },
    ),
)
