"""The warehouse file: how to open it, the lock that keeps it to one process at a time,
and the raw schema's bookkeeping tables. Where it is, and the other settings, come from
the caller (orchestration/settings.py reads them).
"""

from __future__ import annotations

import fcntl
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

from ingestion.parse import sql_type
from ingestion.specs import ExtractSpec

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class WarehouseBusy(RuntimeError):
    """Another process held the warehouse longer than this one would wait; names it."""


# The lock of each warehouse this process holds: (open lock file, how many holders here).
_held: dict[Path, list] = {}
_held_guard = threading.Lock()


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextmanager
def warehouse_lock(
    path: Path, timeout: float, holder: str = "", poll: float = 0.2
) -> Iterator[None]:
    """Hold the warehouse file for one writer (and its readers) at a time, across processes.

    DuckDB lets one process open a file for writing and refuses every other process, even
    a reader, meanwhile: every step and command that opens the warehouse takes this lock
    first and waits its turn instead of failing on DuckDB's. An flock on
    `<warehouse>.lock` beside the file: the kernel drops it when the holder dies, so a
    killed run never leaves it stuck. Within a process it is re-entrant (a step that opens
    the warehouse twice, the CLI around an in-process run). The holder writes who it is
    into the file; a waiter that gives up after `timeout` seconds names it."""
    path = Path(path).resolve()
    with _held_guard:
        mine = _held.get(path)
        if mine:
            mine[1] += 1
    if not mine:
        mine = [_acquire(lock_path(path), timeout, holder, poll), 1]
        with _held_guard:
            _held[path] = mine
    try:
        yield
    finally:
        with _held_guard:
            mine[1] -= 1
            if mine[1] == 0:
                del _held[path]
                mine[0].close()  # closing the file releases the flock


def _acquire(file: Path, timeout: float, holder: str, poll: float):
    file.parent.mkdir(parents=True, exist_ok=True)
    handle = file.open("a+", encoding="utf-8")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                handle.seek(0)
                other = handle.read().strip() or "another process"
                handle.close()
                raise WarehouseBusy(
                    f"The warehouse {file.with_suffix('')} is in use by {other}; waited "
                    f"{timeout:g} s for it. Wait for that run to finish (or stop it) and "
                    "start again."
                ) from None
            time.sleep(poll)
    handle.seek(0)
    handle.truncate()
    since = datetime.now().isoformat(timespec="seconds")
    handle.write(f"process {os.getpid()} ({holder or ' '.join(sys.argv[:3])}) since {since}\n")
    handle.flush()
    return handle


def connect(
    path: Path, read_only: bool = False, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """The warehouse file (created with its folder if new); DuckDB's memory limit if given.
    DuckDB spills beyond it to `<file>.tmp` beside the file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    if memory_limit:
        con.execute(f"set memory_limit = '{memory_limit}'")
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
    _period date,
    _load_id varchar not null,
    _file_hash varchar not null,
    _line_no bigint not null
)"""
    )
    # Warehouses made when the loader signed billing amounts (the seed billing_categories
    # gives the sign now) drop the column, so rows go in as the table is declared.
    con.execute(f"alter table raw.{spec.name} drop column if exists _sign")


def ensure_all(con: duckdb.DuckDBPyConnection, specs: list[ExtractSpec]) -> None:
    ensure_bookkeeping(con)
    for spec in specs:
        ensure_raw_table(con, spec)
