"""Reconciliation of the costing marts, as blocking asset checks that fail loudly.

The checks live in reconciliation/checks.py; here they only get an asset to belong to.
"""

import json

import dagster as dg

from orchestration.resources import WAREHOUSE_POOL, WarehouseResource
from reconciliation import checks

PROFITABILITY = dg.AssetKey(["marts", "fct_customer_profitability"])
# The vars the marts were built with (currency, rate type, valuation area): the checks
# compute with the same.
BUILD_SETTINGS = dg.AssetKey(["marts", "build_settings"])
UNUSED_CAPACITY = dg.AssetKey(["marts", "fct_unused_capacity"])

# check function -> the mart whose numbers it vouches for
CHECKED_ASSET = {
    checks.pools_reconcile: UNUSED_CAPACITY,
    checks.revenue_reconciles: PROFITABILITY,
    checks.production_cost_reconciles: PROFITABILITY,
    checks.standard_costs_complete: PROFITABILITY,
}


RECONCILIATIONS = [
    dg.AssetCheckSpec(
        check.__name__,
        asset=asset_key,
        description=(check.__doc__ or "").strip() or None,
        blocking=True,
        additional_deps=[BUILD_SETTINGS],
    )
    for check, asset_key in CHECKED_ASSET.items()
]
BY_NAME = {check.__name__: check for check in CHECKED_ASSET}


# One step for the four: each is a query of a second or less, and a step of its own
# cost each another pool claim, warehouse open and step bookkeeping.
@dg.multi_asset_check(
    name="costing_reconciliations",
    specs=RECONCILIATIONS,
    can_subset=True,
    # Even a reader must not open the file while a writer holds it.
    pool=WAREHOUSE_POOL,
)
def costing_reconciliations(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    with warehouse.connect(read_only=True) as con:
        for key in context.selected_asset_check_keys:
            outcome = BY_NAME[key.name](con)
            yield dg.AssetCheckResult(
                asset_key=key.asset_key,
                check_name=key.name,
                passed=outcome.passed,
                severity=dg.AssetCheckSeverity.ERROR,
                description=outcome.description,
                # Dates and Decimals as text: metadata must be plain JSON.
                metadata={
                    "details": dg.MetadataValue.json(
                        json.loads(json.dumps(outcome.details, default=str))
                    )
                },
            )


defs = dg.Definitions(asset_checks=[costing_reconciliations])
