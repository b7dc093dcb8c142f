"""Publish the marts and analytics schemas as a read-only serving snapshot.

BI tools and analysts never open the warehouse file: DuckDB allows one writing process,
and a reader holding the warehouse open would block the pipeline. They open the serving
snapshot instead, which this module replaces whole:

  <serving dir>/abc_warehouse.duckdb        marts.*, analytics.*, meta.snapshot_tables,
                                            meta.snapshot_run (version, dbt vars)
      a symlink to the newest database-snapshots/abc_warehouse-<stamp>.duckdb
  <serving dir>/parquet/<schema>/<table>.parquet
      `parquet` is a symlink to the newest parquet-snapshots/<stamp>/ folder

Both are written under temporary names, moved into their snapshot folder by rename and
published by swapping a symlink, so a reader sees the previous complete snapshot or the
new one, never a mix; a reader left open keeps reading the old file. Each snapshot has a
file of its own because DuckDB shares one open database per file within a process: a
process holding a connection to a replaced file would get the old one again when it
reconnects by the same name. Through the symlink, DuckDB opens the new file. A publish
killed half-way leaves only temporary files, removed by the next publish.
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

SNAPSHOT_FILE = "abc_warehouse.duckdb"
DATABASE_SNAPSHOTS = "database-snapshots"
PARQUET_LINK = "parquet"
PARQUET_SNAPSHOTS = "parquet-snapshots"
PUBLISHED_SCHEMAS = ("marts", "analytics")
# DuckDB storage format of the serving file. 'v1.0.0' is read by every DuckDB since 1.0
# (and 0.10): the JDBC driver in Metabase's DuckDB driver, the ODBC driver Power BI uses
# and duckdb-engine under Superset, whichever DuckDB 1.x they bundle.
STORAGE_VERSION = "v1.0.0"
# Snapshots kept: the newest, and the one before it for readers still on it.
KEEP_SNAPSHOTS = 2


@dataclass(frozen=True)
class Snapshot:
    database: Path
    parquet_dir: Path
    tables: dict[str, int]  # "schema.table" -> rows
    published_at: datetime


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_leftovers(serving_dir: Path) -> None:
    """Temporary files and folders of a publish that was killed."""
    for leftover in serving_dir.glob(".*.tmp*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


# The warehouse's tables and views of the published schemas, with their descriptions. A
# mart that is a view (one that only names the columns of a table below it) is stored in
# the snapshot as a table: readers never depend on the warehouse.
RELATIONS_SQL = """
select schema_name, table_name, comment from duckdb_tables()
where database_name = 'warehouse'
union all
select schema_name, view_name, comment from duckdb_views()
where database_name = 'warehouse' and not internal
"""


def _published_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    schemas = ", ".join(f"'{s}'" for s in PUBLISHED_SCHEMAS)
    return con.execute(
        f"""select schema_name, table_name from ({RELATIONS_SQL})
        where schema_name in ({schemas})
        order by 1, 2"""
    ).fetchall()


@dataclass(frozen=True)
class Provenance:
    """What a snapshot was built by, recorded in meta.snapshot_run."""

    run_id: str | None = None
    version: str | None = None  # of abc-warehouse
    dbt_vars: str | None = None  # JSON: the dbt vars the marts were built with


def _write_database(
    con: duckdb.DuckDBPyConnection,
    tables: list[tuple[str, str]],
    target: Path,
    published_at: datetime,
    provenance: Provenance,
) -> dict[str, int]:
    con.execute(f"attach {_quote(target)} as snapshot (storage_version '{STORAGE_VERSION}')")
    counts = {}
    try:
        for schema in (*PUBLISHED_SCHEMAS, "meta"):
            con.execute(f"create schema snapshot.{schema}")
        for schema, table in tables:
            source, target = f"warehouse.{schema}.{table}", f"snapshot.{schema}.{table}"
            con.execute(f"create table {target} as select * from {source}")
            counts[f"{schema}.{table}"] = con.execute(f"select count(*) from {target}").fetchall()[
                0
            ][0]
        _copy_comments(con, tables)
        con.execute(
            """create table snapshot.meta.snapshot_tables (
                table_schema varchar, table_name varchar, row_count bigint,
                published_at timestamp, dagster_run_id varchar)"""
        )
        con.executemany(
            "insert into snapshot.meta.snapshot_tables values (?, ?, ?, ?, ?)",
            [
                [*name.split("."), rows, published_at, provenance.run_id]
                for name, rows in counts.items()
            ],
        )
        con.execute(
            """create table snapshot.meta.snapshot_run as select ?::timestamp as published_at,
                ?::varchar as dagster_run_id, ?::varchar as abc_warehouse_version,
                ?::json as dbt_vars""",
            [published_at, provenance.run_id, provenance.version, provenance.dbt_vars],
        )
    finally:
        con.execute("detach snapshot")  # checkpoints: the file is complete, no WAL beside it
    return counts


def _copy_comments(con: duckdb.DuckDBPyConnection, tables: list[tuple[str, str]]) -> None:
    """The descriptions of the published tables and their columns (DuckDB comments), so
    that a BI tool or `describe` on the snapshot shows them."""
    published = set(tables)
    for schema, table, comment in con.execute(
        f"select schema_name, table_name, comment from ({RELATIONS_SQL}) where comment is not null"
    ).fetchall():
        if (schema, table) in published:
            con.execute(f"comment on table snapshot.{schema}.{table} is {_literal(comment)}")
    for schema, table, column, comment in con.execute(
        """select schema_name, table_name, column_name, comment from duckdb_columns()
        where database_name = 'warehouse' and comment is not null"""
    ).fetchall():
        if (schema, table) in published:
            con.execute(
                f'comment on column snapshot.{schema}.{table}."{column}" is {_literal(comment)}'
            )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _write_parquet(
    con: duckdb.DuckDBPyConnection, tables: list[tuple[str, str]], target: Path
) -> None:
    for schema, table in tables:
        (target / schema).mkdir(parents=True, exist_ok=True)
        con.execute(
            f"copy warehouse.{schema}.{table} to {_quote(target / schema / f'{table}.parquet')}"
            " (format parquet, compression zstd)"
        )


def _swap_link(serving_dir: Path, link: str, snapshot: Path) -> None:
    """Point serving_dir/link at the snapshot (atomically: a symlink renamed over the old
    one, or over the plain file an older layout had), and drop all but the newest kept."""
    tmp_link = serving_dir / f".{link}.tmp-{uuid.uuid4().hex}"
    tmp_link.symlink_to(snapshot.relative_to(serving_dir), target_is_directory=snapshot.is_dir())
    os.replace(tmp_link, serving_dir / link)
    for old in sorted(snapshot.parent.iterdir())[:-KEEP_SNAPSHOTS]:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def publish_snapshot(
    warehouse_path: Path,
    serving_dir: Path,
    provenance: Provenance | None = None,
    memory_limit: str | None = None,
) -> Snapshot:
    """Copy the published schemas of the warehouse into a new serving snapshot, under
    DuckDB's `memory_limit` if given (the settings' duckdb_memory_limit)."""
    serving_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(serving_dir)
    published_at = datetime.now()
    stamp = published_at.strftime("%Y%m%dT%H%M%S%f")
    tmp_db = serving_dir / f".{SNAPSHOT_FILE}.tmp-{uuid.uuid4().hex}"
    tmp_parquet = serving_dir / f".{PARQUET_SNAPSHOTS}-{stamp}.tmp"
    with duckdb.connect() as con:
        if memory_limit:
            con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute(f"set temp_directory = {_quote(serving_dir / '.duckdb_tmp.tmp')}")
        con.execute(f"attach {_quote(warehouse_path)} as warehouse (read_only)")
        tables = _published_tables(con)
        counts = _write_database(con, tables, tmp_db, published_at, provenance or Provenance())
        _write_parquet(con, tables, tmp_parquet)
    _fsync(tmp_db)
    database_snapshot = serving_dir / DATABASE_SNAPSHOTS / f"abc_warehouse-{stamp}.duckdb"
    database_snapshot.parent.mkdir(exist_ok=True)
    os.replace(tmp_db, database_snapshot)
    _swap_link(serving_dir, SNAPSHOT_FILE, database_snapshot)
    parquet_snapshot = serving_dir / PARQUET_SNAPSHOTS / stamp
    parquet_snapshot.parent.mkdir(exist_ok=True)
    os.replace(tmp_parquet, parquet_snapshot)
    _swap_link(serving_dir, PARQUET_LINK, parquet_snapshot)
    _fsync(serving_dir)
    return Snapshot(serving_dir / SNAPSHOT_FILE, serving_dir / PARQUET_LINK, counts, published_at)
