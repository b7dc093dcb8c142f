"""The serving snapshot: marts and analytics published for BI tools after a good build,
and the text summary the CLI prints (written in the run, so printing it never opens the
warehouse file while another run may be writing it).

The asset depends on every mart and analytics table, so in a run it comes last and is
skipped when a blocking check upstream (dbt tests, the costing reconciliations, load
checks) fails: a failed build leaves the previous snapshot in place."""

import json
from datetime import datetime
from pathlib import Path

import dagster as dg

from ingestion.validation import batch_problems, gate_message
from orchestration.defs.analytics import (
    CONCENTRATION,
    LORENZ,
    SENSITIVITY,
    STOBACHOFF,
    TORNADO,
)
from orchestration.defs.transformation import dbt_models
from orchestration.ownership import DATA_ENGINEERING
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource
from orchestration.selection import package_version
from orchestration.settings import DBT_VARS_TAG
from orchestration.summary import render, summary_path
from serving.publish import PUBLISHED_SCHEMAS, STORAGE_VERSION, Provenance, publish_snapshot

PUBLISHED_SOURCES = [
    *(key for key in dbt_models.keys if key.path[0] in PUBLISHED_SCHEMAS),
    CONCENTRATION,
    LORENZ,
    STOBACHOFF,
    SENSITIVITY,
    TORNADO,
    dg.AssetKey(["analytics", "supplier_capability"]),
]


@dg.asset(
    key=dg.AssetKey(["serving", "snapshot"]),
    deps=PUBLISHED_SOURCES,
    group_name="serving",
    owners=DATA_ENGINEERING,
    kinds={"duckdb", "parquet"},
    pool=WAREHOUSE_POOL,
    description="Read-only copy of the marts and analytics schemas (DuckDB storage "
    f"{STORAGE_VERSION}, plus one Parquet file per table), swapped in atomically.",
)
def serving_snapshot(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    # The same gate as the dbt build's: a snapshot is never published from marts built
    # while a loaded batch was unresolved (a build run before the gate existed, or marts
    # left from an earlier build).
    with warehouse.connect(read_only=True) as con:
        problems = batch_problems(con)
    if problems:
        raise dg.Failure(description=gate_message(problems))
    # The dbt asset of this run tagged it with the vars the marts were built with.
    run = context.instance.get_run_by_id(context.run_id)
    provenance = Provenance(
        run_id=context.run_id,
        version=package_version(),
        dbt_vars=(run.tags if run else {}).get(DBT_VARS_TAG, warehouse.dbt_vars),
    )
    with warehouse.lock():  # publishing reads the warehouse file
        snapshot = publish_snapshot(
            Path(warehouse.path), warehouse.serving_dir, provenance, warehouse.duckdb_memory_limit
        )
    return dg.MaterializeResult(
        metadata={
            "database": dg.MetadataValue.path(str(snapshot.database)),
            "parquet": dg.MetadataValue.path(str(snapshot.parquet_dir)),
            "storage_version": STORAGE_VERSION,
            "abc_warehouse_version": provenance.version,
            "dbt_vars": dg.MetadataValue.json(json.loads(provenance.dbt_vars or "{}")),
            "tables": len(snapshot.tables),
            "rows": dg.MetadataValue.json(snapshot.tables),
        }
    )


@dg.asset(
    key=dg.AssetKey(["reports", "summary"]),
    deps=PUBLISHED_SOURCES,
    group_name="serving",
    owners=DATA_ENGINEERING,
    kinds={"text"},
    pool=WAREHOUSE_POOL,
    description="The summary `abc-warehouse demo` and `run` print: loads, quarantine, "
    "revenue reconciliation, group P&L, capacity, best and worst suppliers.",
)
def run_summary(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    record = context.instance.get_run_record_by_id(context.run_id)
    # The load log's times are local, naive: the run's start in the same terms.
    started = datetime.fromtimestamp(record.start_time) if record and record.start_time else None
    with warehouse.connect(read_only=True) as con:
        text = render(con, Path(warehouse.inbox), since=started)
    path = summary_path(warehouse.report_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text + "\n")
    tmp.replace(path)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(path)),
            "summary": dg.MetadataValue.md(f"```\n{text}\n```"),
        }
    )


defs = dg.Definitions(assets=[serving_snapshot, run_summary])
