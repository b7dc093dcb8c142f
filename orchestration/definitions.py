"""The one Definitions object: per-domain parts merged, resources configured once."""

import dagster as dg

from orchestration.defs import analytics, automation, costing, ingestion, serving, transformation
from orchestration.resources import WarehouseResource, dbt_resource
from orchestration.settings import current_settings

defs = dg.Definitions.merge(
    ingestion.defs,
    transformation.defs,
    costing.defs,
    analytics.defs,
    serving.defs,
    automation.defs,
    dg.Definitions(
        resources={
            "warehouse": WarehouseResource.from_settings(current_settings()),
            "dbt": dbt_resource(),
        },
    ),
)
