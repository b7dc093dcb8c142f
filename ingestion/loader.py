"""Load one extract file into raw.<extract>, atomically and idempotently.

- A file is identified by its sha256: loading the same content again changes nothing
  (the load log records it as already loaded).
- The rows of the periods a file touches replace what those periods held, in one
  transaction; master-data snapshots replace the whole table. A crash before COMMIT
  leaves the warehouse as it was.
- Every physical line is accounted for: read = loaded + quarantined + skipped (noise),
  checked against a line count taken independently of DuckDB.
- The original file is archived under its hash once the load has committed, with its
  modification time, so that a file already loaded is known again by name, size and time
  (rsync's quick check) without reading it: an inbox keeps years of extracts, and every
  run would otherwise hash them all.
"""

from __future__ import annotations

import fnmatch
import glob
import shutil
import time
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from ingestion.errors import ExtractError
from ingestion.parse import parse_query, stage_lines
from ingestion.sniff import content_hash, find_header, head_facts, scan_file
from ingestion.specs import SPECS, ExtractSpec
from ingestion.warehouse import archive_dir, ensure_bookkeeping, ensure_raw_table

# A parsed line that is neither report noise nor quarantined: a row to load.
VALID_ROW = "_noise is null and _reason is null"


def _periods_sql(parsed: str, rows: str = VALID_ROW) -> str:
    return f"select distinct _period from {parsed} where {rows} and _period is not null order by 1"


@dataclass
class LoadResult:
    file_name: str
    extract: str
    status: str  # loaded | already_loaded | failed | outside_months
    load_id: str
    file_hash: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    rows_replaced: int = 0
    skipped_by_reason: dict[str, int] = field(default_factory=dict)
    periods: list[date] = field(default_factory=list)
    message: str = ""
    duration_s: float = 0.0

    @property
    def reconciles(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_quarantined + self.rows_skipped


def identify_extract(path: Path, specs: dict[str, ExtractSpec] | None = None) -> ExtractSpec:
    """The extract type whose file-name pattern matches, or an error naming the file."""
    specs = specs or SPECS
    name = path.name.lower()
    matches = [
        spec
        for spec in specs.values()
        if any(fnmatch.fnmatch(name, pattern) for pattern in spec.file_patterns)
    ]
    if len(matches) != 1:
        found = "no extract type" if not matches else ", ".join(s.name for s in matches)
        raise ExtractError(f"{path.name}: file name matches {found}; expected exactly one")
    return matches[0]


def _already_loaded(con: duckdb.DuckDBPyConnection, file_hash: str) -> str | None:
    rows = con.execute(
        "select load_id from raw._load_log where file_hash = ? and status = 'loaded' limit 1",
        [file_hash],
    ).fetchall()
    return rows[0][0] if rows else None


def _log(con: duckdb.DuckDBPyConnection, r: LoadResult, started: datetime, **extra) -> None:
    con.execute(
        """insert into raw._load_log (load_id, file_name, file_hash, extract, status, message,
            periods, rows_read, rows_loaded, rows_quarantined, rows_skipped, skipped_by_reason,
            rows_replaced, encoding, delimiter, decimal_comma, archived_path, started_at,
            finished_at, duration_s)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, map(?::varchar[], ?::bigint[]), ?, ?, ?, ?, ?, ?,
            ?, ?)""",
        [
            r.load_id,
            r.file_name,
            r.file_hash,
            r.extract,
            r.status,
            r.message,
            r.periods,
            r.rows_read,
            r.rows_loaded,
            r.rows_quarantined,
            r.rows_skipped,
            list(r.skipped_by_reason),
            list(r.skipped_by_reason.values()),
            r.rows_replaced,
            extra.get("encoding"),
            extra.get("delimiter"),
            extra.get("decimal_comma"),
            extra.get("archived_path"),
            started,
            datetime.now(),
            r.duration_s,
        ],
    )


def archived_hash(path: Path) -> str | None:
    """The content hash of the file if the archive holds a copy with the same name, size
    and modification time (archive_file keeps the time), found without reading it."""
    try:
        stat = path.stat()
    except OSError:
        return None
    for copy in archive_dir().glob(f"*/{glob.escape(path.name)}"):
        kept = copy.stat()
        if (kept.st_size, kept.st_mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            return copy.parent.name
    return None


def is_archived(path: Path) -> bool:
    """Whether a file with this content has been loaded (archiving follows the commit),
    known without opening the warehouse, which a running load may hold."""
    return archived_hash(path) is not None or (archive_dir() / content_hash(path)).is_dir()


def archive_file(path: Path, file_hash: str) -> Path:
    """Keep the original, and its modification time, under archive/<sha256>/<name>;
    written to a temp name, then renamed."""
    target_dir = archive_dir() / file_hash
    target = target_dir / path.name
    if not target.exists():
        target_dir.mkdir(parents=True, exist_ok=True)
        tmp = target_dir / f".{path.name}.tmp"
        shutil.copy2(path, tmp)
        tmp.replace(target)
    return target


def probe_periods(
    path: Path, spec: ExtractSpec | None = None, aliases_path: str | None = None
) -> list[date]:
    """The months a file's rows belong to, read without opening the warehouse.

    The inbox sensor and `abc-warehouse run` ask this to request exactly the partitions a
    new file touches. It runs the loader's own parse query in an in-memory DuckDB, but
    reads only the period column of the lines that are not report noise (DuckDB prunes
    the other columns), so it costs a fraction of a load. A quarantined row with a valid
    date counts too: at worst the run covers a month with nothing new. Snapshots: []."""
    path = Path(path)
    spec = spec or identify_extract(path)
    if spec.is_snapshot:
        return []
    facts = head_facts(path)
    header = find_header(path, facts, spec, aliases_path)
    with duckdb.connect() as con:
        stage_lines(con, path, facts, "_lines")
        parsed = f"({parse_query('_lines', header, spec)})"
        return [row[0] for row in con.execute(_periods_sql(parsed, "_noise is null")).fetchall()]


def load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    spec: ExtractSpec | None = None,
    aliases_path: str | None = None,
    months: Collection[date] | None = None,
) -> LoadResult:
    """Load one file; ExtractError (logged first) when the file as a whole is unusable.

    With `months` (a partitioned run), a dated file none of whose rows fall in those
    months is left for the run of its own months (status outside_months, nothing
    written). A file is always loaded whole: one touching a wanted month and another
    loads both, and the later run of the other month finds it already loaded."""
    path = Path(path)
    started, t0 = datetime.now(), time.perf_counter()
    ensure_bookkeeping(con)
    facts, file_hash = None, archived_hash(path)
    if not (file_hash and _already_loaded(con, file_hash)):
        facts = scan_file(path)
        file_hash = facts.sha256
    result = LoadResult(path.name, "", "failed", str(uuid.uuid4()), file_hash)
    try:
        spec = spec or identify_extract(path)
        result.extract = spec.name
        ensure_raw_table(con, spec)
        previous = _already_loaded(con, file_hash)
        if previous:
            result.status = "already_loaded"
            result.message = f"same content as load {previous}; nothing changed"
            result.duration_s = time.perf_counter() - t0
            _log(con, result, started)
            return result
        header = find_header(path, facts, spec, aliases_path)
        _load_parsed(con, path, facts, header, spec, result, months)
    except (ExtractError, duckdb.Error) as exc:
        result.status = "failed"
        result.message = str(exc)
        result.duration_s = time.perf_counter() - t0
        try:
            con.execute("rollback")  # undo a half-done load; fails harmlessly if none began
        except duckdb.Error:
            pass
        _log(con, result, started)
        raise ExtractError(str(exc)) from exc
    if result.status != "loaded":
        return result
    archived = archive_file(path, facts.sha256)
    result.duration_s = time.perf_counter() - t0
    con.execute(
        "update raw._load_log set archived_path = ?, duration_s = ?, finished_at = ? "
        "where load_id = ?",
        [str(archived), result.duration_s, datetime.now(), result.load_id],
    )
    return result


def _load_parsed(con, path, facts, header, spec: ExtractSpec, result: LoadResult, months) -> None:
    started = datetime.now()
    parsed, lines = f"_parsed_{spec.name}", f"_lines_{spec.name}"
    stage_lines(con, path, facts, lines)
    con.execute(f"create or replace temp table {parsed} as {parse_query(lines, header, spec)}")
    con.execute(f"drop table {lines}")
    counts = con.execute(
        f"""select count(*),
            count(*) filter (where {VALID_ROW}),
            count(*) filter (where _noise is null and _reason is not null),
            count(*) filter (where _noise is not null)
        from {parsed}"""
    ).fetchall()[0]
    result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_skipped = counts
    if result.rows_read != facts.line_count:
        raise ExtractError(
            f"{path.name}: DuckDB read {result.rows_read} lines but the file has "
            f"{facts.line_count}; refusing a load that would lose lines"
        )
    result.skipped_by_reason = dict(
        con.execute(
            f"select _noise, count(*) from {parsed} where _noise is not null group by 1 order by 1"
        ).fetchall()
    )
    result.periods = [row[0] for row in con.execute(_periods_sql(parsed)).fetchall()]
    if months is not None and result.periods and not set(result.periods) & set(months):
        result.status = "outside_months"
        result.message = "no row in the months of this run; left for the run of its months"
        con.execute(f"drop table if exists {parsed}")
        return
    columns = ", ".join(c.sql_name for c in spec.columns)
    con.execute("begin transaction")
    con.execute(
        f"""insert into raw._quarantine
        select ?, ?, ?, ?, _line_no, _raw_line, _reason, now()::timestamp
        from {parsed} where _noise is null and _reason is not null""",
        [result.load_id, path.name, facts.sha256, spec.name],
    )
    if spec.is_snapshot:
        replaced = con.execute(f"delete from raw.{spec.name}").fetchall()[0]
    else:
        replaced = con.execute(
            f"delete from raw.{spec.name} where _period in (select unnest(?::date[]))",
            [result.periods],
        ).fetchall()[0]
    result.rows_replaced = replaced[0]
    con.execute(
        f"""insert into raw.{spec.name}
        select {columns}, _sign, _period, ?, ?, _line_no
        from {parsed} where {VALID_ROW}""",
        [result.load_id, facts.sha256],
    )
    result.status = "loaded"
    result.message = (
        f"replaced {result.rows_replaced} rows of {len(result.periods)} period(s)"
        if not spec.is_snapshot
        else f"replaced the snapshot ({result.rows_replaced} rows)"
    )
    _log(
        con,
        result,
        started,
        encoding=facts.encoding + ("-bom" if facts.has_bom else ""),
        delimiter=header.delimiter,
        decimal_comma=header.decimal_comma,
    )
    con.execute("commit")
    con.execute(f"drop table if exists {parsed}")
