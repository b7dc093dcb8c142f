"""The batches a warehouse holds: list them per extract and month, remove one, apply one
again from the archive (`abc-warehouse batches`).

A batch is one load of one file. The raw tables hold the rows of the batches in force;
a batch replaced by a later file, or removed, keeps its load-log row and its archived
copy, so it can always be put back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from ingestion.errors import ExtractError
from ingestion.loader import LoadResult, load_file
from ingestion.specs import SPECS
from ingestion.validation import validate_load
from ingestion.warehouse import ensure_all, ensure_bookkeeping


@dataclass(frozen=True)
class Batch:
    extract: str
    month: date | None  # None: a master-data snapshot
    load_id: str
    file_name: str
    loaded_at: datetime
    rows_held: int  # in this month
    state: str  # in force | replaced | removed
    validation: str  # passed | failed (n) | not validated | -


def list_batches(
    con: duckdb.DuckDBPyConnection, extract: str | None = None, month: date | None = None
) -> list[Batch]:
    """Every batch ever loaded, per extract and month, newest first within a month."""
    ensure_all(con, list(SPECS.values()))
    batches = []
    for spec in SPECS.values():
        if extract and spec.name != extract:
            continue
        rows = con.execute(
            f"""with held as (
                select _load_id as load_id, _period as month, count(*) as n
                from raw.{spec.name} group by 1, 2
            ),
            logged as (
                select load_id, file_name, started_at,
                    unnest(case when len(coalesce(periods, [])) = 0 then [null::date]
                        else periods end) as month
                from raw._load_log where extract = ? and status = 'loaded'
            )
            select l.load_id, l.month, l.file_name, l.started_at, coalesce(h.n, 0),
                exists (select 1 from raw._load_log r
                        where r.status = 'removed' and r.message = l.load_id),
                v.errors_failed
            from logged l
            left join held h on h.load_id = l.load_id
                and h.month is not distinct from l.month
            left join raw._validated_batches v on v.load_id = l.load_id
            order by l.month nulls first, l.started_at desc""",
            [spec.name],
        ).fetchall()
        for load_id, row_month, file_name, started, n, removed, errors in rows:
            if month and row_month != month:
                continue
            state = "in force" if n else ("removed" if removed else "replaced")
            if errors is None:
                validation = "not validated" if n else "-"
            else:
                validation = f"failed ({errors})" if errors else "passed"
            batches.append(
                Batch(spec.name, row_month, load_id, file_name, started, n, state, validation)
            )
    return batches


def _load_row(con: duckdb.DuckDBPyConnection, load_id: str) -> tuple[str, str, str | None]:
    rows = con.execute(
        "select extract, file_name, archived_path from raw._load_log "
        "where load_id = ? and status = 'loaded'",
        [load_id],
    ).fetchall()
    if not rows:
        raise ExtractError(f"no batch {load_id}: `abc-warehouse batches` lists them")
    return rows[0]


def remove_batch(con: duckdb.DuckDBPyConnection, load_id: str) -> int:
    """Delete the rows of one batch from its raw table; the rows removed. The load log
    records the removal; the batch can be applied again from the archive."""
    ensure_bookkeeping(con)
    extract, file_name, _ = _load_row(con, load_id)
    con.execute("begin transaction")
    removed = con.execute(f"delete from raw.{extract} where _load_id = ?", [load_id]).fetchall()
    con.execute(
        """insert into raw._load_log (load_id, file_name, file_hash, extract, status, message,
            rows_replaced, started_at, finished_at)
        select gen_random_uuid()::varchar, file_name, file_hash, extract, 'removed', load_id,
            ?, now()::timestamp, now()::timestamp
        from raw._load_log where load_id = ?""",
        [removed[0][0], load_id],
    )
    con.execute("commit")
    return removed[0][0]


def apply_batch(
    con: duckdb.DuckDBPyConnection, load_id: str, archive: Path, max_snapshot_shrink: float
) -> LoadResult:
    """Load a batch's archived file again: its rows replace what its months hold now.
    `archive`, `max_snapshot_shrink`: as load_file."""
    extract, file_name, archived = _load_row(con, load_id)
    if not archived or not Path(archived).exists():
        raise ExtractError(f"{file_name}: the archived copy of batch {load_id} is gone")
    spec = SPECS[extract]
    result = load_file(
        con,
        Path(archived),
        spec,
        archive=archive,
        max_snapshot_shrink=max_snapshot_shrink,
        remember_in_inbox=False,
    )
    if result.status == "loaded":
        validate_load(con, spec, result.load_id, file_name)
    return result
