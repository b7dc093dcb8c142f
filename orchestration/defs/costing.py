"""Reconciliation of the costing marts, as blocking asset checks that fail loudly.

The checks live in reconciliation/checks.py; here they only get an asset to belong to.
"""

import json

import dagster as dg

from orchestration.resources import WAREHOUSE_POOL, WarehouseResource
from reconciliation import checks

PROFITABILITY = dg.AssetKey(["marts", "fct_customer_profitability"])
UNUSED_CAPACITY = dg.AssetKey(["marts", "fct_unused_capacity"])

# check function -> the mart whose numbers it vouches for
CHECKED_ASSET = {
    checks.pools_reconcile: UNUSED_CAPACITY,
    checks.revenue_reconciles: PROFITABILITY,
    checks.production_cost_reconciles: PROFITABILITY,
    checks.standard_costs_complete: PROFITABILITY,
}


def build_reconciliation_check(check, asset_key: dg.AssetKey) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset_key,
        name=check.__name__,
        description=(check.__doc__ or "").strip() or None,
        blocking=True,
        # Even a reader must not open the file while a writer holds it.
        pool=WAREHOUSE_POOL,
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as con:
            outcome = check(con)
        return dg.AssetCheckResult(
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

    return _check


defs = dg.Definitions(
    asset_checks=[build_reconciliation_check(c, key) for c, key in CHECKED_ASSET.items()]
)
