"""The one Definitions object: per-domain parts merged, resources configured once."""

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.dbt_project import dbt_project
from orchestration.defs import analytics, automation, costing, ingestion, serving, transformation
from orchestration.resources import WarehouseResource, dbt_executable

defs = dg.Definitions.merge(
    ingestion.defs,
    transformation.defs,
    costing.defs,
    analytics.defs,
    serving.defs,
    automation.defs,
    dg.Definitions(
        resources={
            "warehouse": WarehouseResource.from_environment(),
            "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
        },
    ),
)
