"""The warehouse file: where it is, how to open it, and the raw schema's bookkeeping tables.

Paths come from environment variables read at call time (never at import), so the
Makefile, Dagster's resource and the dbt profile all agree on one warehouse file:
  ABC_WAREHOUSE_PATH  the DuckDB file (default: data/warehouse.duckdb in the project)
  ABC_INBOX_DIR       where extracts are dropped (default: data/inbox)
  ABC_ARCHIVE_DIR     where loaded files are kept under their hash (default: data/archive)
  ABC_HEADER_ALIASES  optional CSV (extract,label,field) mapping header labels to SAP fields
  ABC_SERVING_DIR     the read-only snapshot BI tools open (default: serving/ beside the
                      warehouse file)
  ABC_DUCKDB_MEMORY_LIMIT  DuckDB memory_limit (default 4GB)
  ABC_MAX_SNAPSHOT_SHRINK  the share of its rows a master-data table may lose to one new
                      file before the file is refused (default 0.2)
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from ingestion.parse import sql_type
from ingestion.specs import ExtractSpec

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def warehouse_path() -> Path:
    return Path(
        os.environ.get("ABC_WAREHOUSE_PATH", PROJECT_ROOT / "data" / "warehouse.duckdb")
    ).resolve()


def inbox_dir() -> Path:
    return Path(os.environ.get("ABC_INBOX_DIR", PROJECT_ROOT / "data" / "inbox")).resolve()


def archive_dir() -> Path:
    default = warehouse_path().parent / "archive"
    return Path(os.environ.get("ABC_ARCHIVE_DIR", default)).resolve()


def serving_dir() -> Path:
    default = warehouse_path().parent / "serving"
    return Path(os.environ.get("ABC_SERVING_DIR", default)).resolve()


def memory_limit() -> str:
    return os.environ.get("ABC_DUCKDB_MEMORY_LIMIT", "4GB")


# The share of its rows a master-data table may lose to one new file (0.2: a file with
# fewer than 80 % of the rows is refused; 1: any shrink is accepted).
DEFAULT_MAX_SNAPSHOT_SHRINK = 0.2


def max_snapshot_shrink() -> float:
    return float(os.environ.get("ABC_MAX_SNAPSHOT_SHRINK", DEFAULT_MAX_SNAPSHOT_SHRINK))


def header_aliases_path() -> str | None:
    return os.environ.get("ABC_HEADER_ALIASES") or None


def connect(path: Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = path or warehouse_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute(f"set memory_limit = '{memory_limit()}'")
    # Line numbers come from the scan order of read_csv.
    con.execute("set preserve_insertion_order = true")
    return con


BOOKKEEPING_DDL = """
create schema if not exists raw;
create table if not exists raw._load_log (
    load_id varchar primary key,
    file_name varchar not null,
    file_hash varchar not null,
    extract varchar,
    status varchar not null,          -- loaded | already_loaded | failed | refused | removed
    message varchar,
    periods date[],
    rows_read bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    rows_skipped bigint,
    skipped_by_reason map(varchar, bigint),
    rows_replaced bigint,
    encoding varchar,
    delimiter varchar,
    decimal_comma boolean,
    archived_path varchar,
    started_at timestamp not null,
    finished_at timestamp,
    duration_s double
);
create table if not exists raw._quarantine (
    load_id varchar not null,
    file_name varchar not null,
    file_hash varchar not null,
    extract varchar not null,
    line_no bigint not null,
    raw_line varchar,
    reason varchar not null,
    quarantined_at timestamp not null
);
create table if not exists raw._validation_results (
    load_id varchar not null,
    file_hash varchar not null,
    extract varchar not null,
    expectation varchar not null,
    columns varchar not null,
    severity varchar not null,
    success boolean not null,
    element_count bigint,
    unexpected_count bigint,
    partial_unexpected varchar,
    validated_at timestamp not null
);
-- The file lines of a few failing rows (warehouses made before it gain the column).
alter table raw._validation_results add column if not exists sample_lines bigint[];
-- A batch (load) was validated, with how many expectations failed. A batch the raw
-- tables hold and this table lacks was never validated: the gate refuses to build on it.
create table if not exists raw._validated_batches (
    load_id varchar primary key,
    extract varchar not null,
    validated_at timestamp not null,
    errors_failed integer not null,
    warnings_failed integer not null
);
"""

# Warehouses made before raw._validated_batches: their validated loads are known by
# their stored results.
BACKFILL_VALIDATED = """
insert into raw._validated_batches
select load_id, any_value(extract), max(validated_at),
    count(*) filter (where not success and severity = 'error'),
    count(*) filter (where not success and severity <> 'error')
from raw._validation_results
where load_id not in (select load_id from raw._validated_batches)
group by load_id
"""


def ensure_bookkeeping(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(BOOKKEEPING_DDL)
    con.execute(BACKFILL_VALIDATED)


def ensure_raw_table(con: duckdb.DuckDBPyConnection, spec: ExtractSpec) -> None:
    cols = ",\n    ".join(f"{c.sql_name} {sql_type(c)}" for c in spec.columns)
    con.execute(
        f"""create table if not exists raw.{spec.name} (
    {cols},
    _sign integer,
    _period date,
    _load_id varchar not null,
    _file_hash varchar not null,
    _line_no bigint not null
)"""
    )


def ensure_all(con: duckdb.DuckDBPyConnection, specs: list[ExtractSpec]) -> None:
    ensure_bookkeeping(con)
    for spec in specs:
        ensure_raw_table(con, spec)
