"""Load one extract file into raw.<extract>, atomically and idempotently.

- A file is taken in first (ingestion.intake): copied into archive/<sha256>/<name> while
  it is hashed. The rows loaded come from that copy, so from exactly the bytes hashed.
- A load is a batch. Dropping content the warehouse holds changes nothing (the load log
  records it as already loaded). Dropping content that was loaded once but replaced
  since restores it. A file left unchanged in the inbox is not taken in again.
- Everything that can refuse a file is checked before anything is replaced: rows outside
  the month the file name declares, a file with no data line, lines delimited otherwise
  than the header, a master-data file that would shrink its table by more than a set
  share, a file that would replace a month while sharing no key with what it replaces.
  A refused file changes nothing.
- The rows of the months a file holds replace what those months held, in one
  transaction, except rows of the same delivery (the other parts of a file delivered in
  parts, files of one extract loaded together); master-data snapshots replace the whole
  table. A crash before COMMIT leaves the warehouse as it was.
- Every physical line is accounted for: read = loaded + quarantined + skipped (noise),
  checked against a line count taken independently of DuckDB.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
import time
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from ingestion.errors import ExtractError, read_error
from ingestion.intake import Readable, known_hash, readable, remember, take_in
from ingestion.parse import parse_query, stage_lines
from ingestion.sniff import find_header, head_facts
from ingestion.specs import SPECS, ExtractSpec
from ingestion.warehouse import ensure_bookkeeping, ensure_raw_table

# A part marker in a file name: VBRP_2010-04_part2.csv, VBRP_2010-04-part-1-of-2.csv.
PART = re.compile(r"[-_. ](?:part|teil|del)[-_ ]?(\d+)(?:[-_ ]?of[-_ ]?\d+)?(?=[-_. ]|$)", re.I)
# How much of a file the month probe reads first (sniff.head_facts reads as much).
HEAD_BYTES = 1 << 20
FILE_PERIOD = re.compile(r"(?<!\d)(\d{4})[-_]?(\d{2})(?!\d)")


class Refused(ExtractError):
    """The file is readable but loading it would replace good rows with wrong ones."""


# A parsed line that is neither report noise nor quarantined: a row to load.
VALID_ROW = "_noise is null and _reason is null"


def _periods_sql(parsed: str, rows: str = VALID_ROW) -> str:
    return f"select distinct _period from {parsed} where {rows} and _period is not null order by 1"


@dataclass
class LoadResult:
    file_name: str
    extract: str
    status: str  # loaded | already_loaded | failed | refused | outside_months
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
    # Seconds spent per phase (take_in, sniff, parse, write; validate, added by the inbox
    # pass): the benchmark's profile of the loader, and the UI's per-file observation.
    phases: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.phases[name] = round(self.phases.get(name, 0.0) + time.perf_counter() - start, 4)

    @property
    def reconciles(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_quarantined + self.rows_skipped


def identify_extract(path: Path, specs: dict[str, ExtractSpec] | None = None) -> ExtractSpec:
    """The extract type whose file-name prefix the name starts with, or an error naming
    the file, the candidates and how to rename it."""
    specs = specs or SPECS
    matches = [spec for spec in specs.values() if spec.matches(path.name)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(f"{s.name} ({s.example_file})" for s in matches)
        raise ExtractError(
            f"{path.name}: the file name fits several extract types: {names}; rename it to "
            "start with exactly one of them"
        )
    lowered = path.name.lower()
    near = [s for s in specs.values() if any(p in lowered for p in s.file_prefixes)]
    hint = (
        "; did you mean " + " or ".join(f"{s.name} (name it like {s.example_file})" for s in near)
        if near
        else "; name it after its extract, e.g. VBRP_2010-03.csv for billing lines"
    )
    raise ExtractError(
        f"{path.name}: the file name starts with no extract's name{hint} "
        "(docs/extract-formats.md lists the names)"
    )


def _loaded_before(con: duckdb.DuckDBPyConnection, file_hash: str) -> str | None:
    """The newest load of this content, held or not."""
    rows = con.execute(
        "select load_id from raw._load_log where file_hash = ? and status = 'loaded' "
        "order by started_at desc limit 1",
        [file_hash],
    ).fetchall()
    return rows[0][0] if rows else None


def _held_load(con: duckdb.DuckDBPyConnection, spec: ExtractSpec, file_hash: str) -> str | None:
    """A load of this content whose rows the warehouse holds now (or that loaded no row:
    then there is nothing to hold)."""
    rows = con.execute(
        f"""select load_id from raw._load_log l
        where file_hash = ? and status = 'loaded'
            and (rows_loaded = 0 or exists (
                select 1 from raw.{spec.name} r where r._load_id = l.load_id))
        limit 1""",
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


def unchanged_since_loaded(con: duckdb.DuckDBPyConnection, path: Path, archive: Path) -> bool:
    """Whether this inbox file is untouched since it was taken in, and its content was
    loaded into this warehouse: nothing to do, and nothing to log."""
    sha = known_hash(path, archive)
    return bool(sha and _loaded_before(con, sha))


def is_unchanged(path: Path, archive: Path) -> bool:
    """Whether this inbox file was taken in before and not touched since, known without
    reading it or opening the warehouse (which a running load may hold)."""
    return known_hash(path, archive) is not None


def file_period(file_name: str) -> tuple[date, date] | None:
    """The month a file name declares (VBRP_2010-03.csv), if it declares one."""
    match = FILE_PERIOD.search(file_name)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1990 <= year <= 2100 and 1 <= month <= 12):
        return None
    last = (date(year + month // 12, month % 12 + 1, 1) - date.resolution).day
    return date(year, month, 1), date(year, month, last)


def delivery_of(file_name: str) -> tuple[str, int | None]:
    """(the file name without its part marker, the part number); (name, None) when the
    file is not one part of several."""
    match = PART.search(file_name)
    if not match:
        return file_name.lower(), None
    return (file_name[: match.start()] + file_name[match.end() :]).lower(), int(match.group(1))


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
    if facts is not None:
        declared = _declared_month(path, spec, facts, aliases_path)
        if declared:
            return declared
        try:
            return _periods_of(facts, spec, aliases_path, path.name)
        except duckdb.Error:
            pass  # a bad byte past the first megabyte: read it as a load would
    with tempfile.TemporaryDirectory() as work:
        return _periods_of(readable(path, Path(work)), spec, aliases_path, path.name)


def _declared_month(
    path: Path, spec: ExtractSpec, facts: Readable, aliases_path, head_bytes: int = HEAD_BYTES
) -> list[date] | None:
    """[the month the file name declares] when the file's first lines are dated in it, for
    an extract whose load refuses a row dated outside that month: then every row is in
    it, or the file is refused in whichever run loads it. Read from the first lines only,
    so that asking costs the same for a month of ten lines or of a million. None when it
    cannot tell that way (no such rule or name, no dated row in the first lines, or rows
    of other months), and the whole file is read."""
    period = file_period(path.name)
    declares = any(
        e.kind == "date_in_file_period" and e.columns[0] == spec.period_column
        for e in spec.expectations
    )
    if period is None or not declares or path.stat().st_size <= head_bytes:
        return None
    with path.open("rb") as handle:
        head = handle.read(head_bytes)
    head = head[: head.rfind(b"\n") + 1]  # whole lines only
    with tempfile.TemporaryDirectory() as work:
        first_lines = Path(work) / path.name
        first_lines.write_bytes(head)
        head_source = dataclasses.replace(facts, path=first_lines)
        try:
            months = _periods_of(head_source, spec, aliases_path, path.name)
        except (duckdb.Error, ExtractError):
            return None
    return months if months == [period[0]] else None


def _periods_of(source: Readable, spec: ExtractSpec, aliases_path, name: str) -> list[date]:
    header = find_header(source, spec, aliases_path, name)
    with duckdb.connect() as con:
        stage_lines(con, source, "_lines")
        parsed = f"({parse_query('_lines', header, spec, bool(source.line_errors))})"
        return [row[0] for row in con.execute(_periods_sql(parsed, "_noise is null")).fetchall()]


def load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    spec: ExtractSpec | None = None,
    aliases_path: str | None = None,
    months: Collection[date] | None = None,
    *,
    archive: Path,
    max_snapshot_shrink: float,
    delivery: Collection[str] = (),
    rehash: bool = False,
    remember_in_inbox: bool = True,
) -> LoadResult:
    """Load one file; ExtractError (logged first) when the file as a whole is unusable or
    refused. `delivery`: load ids of files of this extract loaded in the same pass, whose
    rows this file adds to instead of replacing (unless it corrects them: shares keys).

    With `months` (a partitioned run), a dated file none of whose rows fall in those
    months is left for the run of its own months (status outside_months, nothing
    written). A file is always loaded whole: one touching a wanted month and another
    loads both, and the later run of the other month finds it already loaded.
    `rehash`: confirm by content that an inbox file that looks untouched is unchanged.
    `remember_in_inbox`: False for a file that is not in the inbox (an archived copy
    applied again), which the inbox index must not take for the inbox file's name.
    `archive`: where originals are kept by hash (ingestion/intake.py);
    `max_snapshot_shrink`: the share of its rows a master-data table may lose to one file
    (settings, max_snapshot_shrink)."""
    path = Path(path)
    started, t0 = datetime.now(), time.perf_counter()
    ensure_bookkeeping(con)
    result = LoadResult(path.name, "", "failed", str(uuid.uuid4()), "")

    def finish(status: str, message: str) -> LoadResult:
        result.status, result.message = status, message
        result.duration_s = time.perf_counter() - t0
        _log(con, result, started)
        return result

    try:
        spec = spec or identify_extract(path)
        result.extract = spec.name
        ensure_raw_table(con, spec)
        unchanged = known_hash(path, archive) if remember_in_inbox else None
        if unchanged and not rehash and _loaded_before(con, unchanged):
            result.file_hash = unchanged
            return finish("already_loaded", "unchanged in the inbox since it was taken in")
        with result.phase("take_in"):  # hash and archive the original
            taken = take_in(path, archive)
        result.file_hash = taken.sha256
        held = _held_load(con, spec, taken.sha256)
        if held or (unchanged == taken.sha256 and _loaded_before(con, unchanged)):
            if remember_in_inbox:
                remember(path, archive, taken)
            return finish("already_loaded", f"same content as load {held or unchanged}")
        restored = _loaded_before(con, taken.sha256)
        with tempfile.TemporaryDirectory(dir=archive, prefix=".work-") as work:
            with result.phase("sniff"):  # encoding, delimiter, header line
                source = readable(taken.archived, Path(work))
                header = find_header(source, spec, aliases_path, path.name)
            _load_parsed(
                con, path, source, header, spec, result, months, delivery, max_snapshot_shrink
            )
    except (ExtractError, duckdb.Error) as exc:
        try:
            con.execute("rollback")  # undo a half-done load; fails harmlessly if none began
        except duckdb.Error:
            pass
        finish("refused" if isinstance(exc, Refused) else "failed", read_error(path.name, exc))
        if isinstance(exc, ExtractError):
            raise
        raise ExtractError(read_error(path.name, exc)) from exc
    if result.status != "loaded":
        return result
    if restored:
        result.message += f"; restores the rows of load {restored}, replaced since"
    result.duration_s = time.perf_counter() - t0
    con.execute(
        "update raw._load_log set archived_path = ?, duration_s = ?, finished_at = ?, "
        "message = ? where load_id = ?",
        [str(taken.archived), result.duration_s, datetime.now(), result.message, result.load_id],
    )
    if remember_in_inbox:
        remember(path, archive, taken)
    return result


def _month_text(months: Collection[date]) -> str:
    return ", ".join(f"{m:%Y-%m}" for m in sorted(months)) or "no month"


def _refuse_outside_file_month(con, parsed: str, spec: ExtractSpec, name: str) -> None:
    """Rows outside the month the file name declares (for the extracts that declare it)."""
    columns = [e.columns[0] for e in spec.expectations if e.kind == "date_in_file_period"]
    period = file_period(name)
    if not columns or period is None:
        return
    col = columns[0].lower()
    outside, line_no, value = con.execute(
        f"""select count(*), min(_line_no), arg_min({col}, _line_no) from {parsed}
        where {VALID_ROW} and {col} not between ? and ?""",
        list(period),
    ).fetchall()[0]
    if outside:
        raise Refused(
            f"{name}, line {line_no}, field {columns[0]}: {outside} row(s) dated outside "
            f"{period[0]:%Y-%m}, the month the file name declares (first: {value}); nothing "
            "was replaced. Name the file for the month it holds, or correct the dates."
        )


def _replaced_loads(
    con, parsed: str, spec: ExtractSpec, name: str, periods: list[date], delivery
) -> tuple[set[str], int, str]:
    """The loads whose rows in these months the file replaces, the rows they hold, and
    their file names; refuses a replacement that shares no key with what it replaces."""
    held = dict(
        con.execute(
            f"""select _load_id, count(*) from raw.{spec.name}
            where _period in (select unnest(?::date[])) group by 1""",
            [periods],
        ).fetchall()
    )
    if not held:
        return set(), 0, ""
    names = dict(
        con.execute(
            "select load_id, file_name from raw._load_log where load_id in (select unnest(?))",
            [list(held)],
        ).fetchall()
    )
    keys = [c.lower() for c in spec.business_key]
    join = " and ".join(f"r.{k} = p.{k}" for k in keys)
    overlapping = {
        row[0]
        for row in con.execute(
            f"""select distinct r._load_id from raw.{spec.name} r
            semi join (select {", ".join(keys)} from {parsed} where {VALID_ROW}) p on {join}
            where r._period in (select unnest(?::date[]))""",
            [periods],
        ).fetchall()
    }
    own_set, own_part = delivery_of(name)

    def kept(load_id: str) -> bool:
        if load_id in delivery:  # loaded in this pass: a part, unless this corrects it
            return load_id not in overlapping
        their_set, their_part = delivery_of(names.get(load_id, ""))
        return own_part is not None and their_set == own_set and their_part != own_part

    replaced = {load_id for load_id in held if not kept(load_id)}
    files = ", ".join(sorted({names.get(i, "?") for i in replaced}))
    if replaced and not replaced & overlapping:
        rows = sum(held[i] for i in replaced)
        raise Refused(
            f"{name}: would replace {rows} row(s) of {_month_text(periods)} loaded from "
            f"{files}, but shares no {'/'.join(spec.business_key)} with them, so it is not a "
            "correction of them; nothing was replaced. A month sent in several files: name "
            "them as parts (…_part1.csv, …_part2.csv) or drop them together; to replace the "
            "month anyway, remove the old batch first (abc-warehouse batches remove LOAD_ID)."
        )
    return replaced, sum(held[i] for i in replaced), files


def _load_parsed(
    con,
    path: Path,
    source: Readable,
    header,
    spec: ExtractSpec,
    result: LoadResult,
    months,
    delivery: Collection[str],
    max_snapshot_shrink: float,
) -> None:
    started = datetime.now()
    name = path.name
    parsed, lines = f"_parsed_{spec.name}", f"_lines_{spec.name}"
    with result.phase("parse"):
        stage_lines(con, source, lines)
        query = parse_query(lines, header, spec, bool(source.line_errors))
        con.execute(f"create or replace temp table {parsed} as {query}")
        con.execute(f"drop table {lines}")
        con.execute(f"drop table if exists {lines}_errors")
    counts = con.execute(
        f"""select count(*),
            count(*) filter (where {VALID_ROW}),
            count(*) filter (where _noise is null and _reason is not null),
            count(*) filter (where _noise is not null),
            count(*) filter (where _foreign_delimiter),
            min(_line_no) filter (where _foreign_delimiter)
        from {parsed}"""
    ).fetchall()[0]
    result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_skipped = counts[:4]
    if result.rows_read != source.line_count:
        raise ExtractError(
            f"{name}: DuckDB read {result.rows_read} lines but the file has "
            f"{source.line_count}; refusing a load that would lose lines"
        )
    if counts[4]:
        raise Refused(
            f"{name}, line {counts[5]}: {counts[4]} data line(s) are delimited otherwise than "
            f"the header (line {header.line_no}, delimited by {header.delimiter!r}); nothing "
            "was loaded. Export the file with one delimiter."
        )
    if result.rows_loaded + result.rows_quarantined == 0:
        raise Refused(
            f"{name}: no data line after the header (line {header.line_no}); an empty "
            "extract would replace what the warehouse holds with nothing, so it is not loaded"
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
    _refuse_outside_file_month(con, parsed, spec, name)
    if spec.is_snapshot:
        held = con.execute(f"select count(*) from raw.{spec.name}").fetchall()[0][0]
        if held and result.rows_loaded < held * (1 - max_snapshot_shrink):
            raise Refused(
                f"{name}: would replace the {held} rows of raw.{spec.name} with "
                f"{result.rows_loaded} ({result.rows_quarantined} quarantined), a loss of "
                f"{1 - result.rows_loaded / held:.0%}, more than the "
                f"{max_snapshot_shrink:.0%} a new master-data file may lose; nothing was "
                "replaced. Check the export (encoding, delimiter, a filter); if the table "
                "really shrank, load it with ABC_MAX_SNAPSHOT_SHRINK=1."
            )
        replaced_ids, files = None, "the previous snapshot"
    else:
        replaced_ids, _, files = _replaced_loads(
            con, parsed, spec, name, result.periods, set(delivery)
        )
    with result.phase("write"):
        _write(con, parsed, spec, result, started, source, header, replaced_ids, files)


def _write(con, parsed, spec, result, started, source, header, replaced_ids, files) -> None:
    """One transaction: quarantine, the replaced rows out, the new rows in, the log row."""
    name = result.file_name
    columns = ", ".join(c.sql_name for c in spec.columns)
    con.execute("begin transaction")
    con.execute(
        f"""insert into raw._quarantine
        select ?, ?, ?, ?, _line_no, _raw_line, _reason, now()::timestamp
        from {parsed} where _noise is null and _reason is not null""",
        [result.load_id, name, result.file_hash, spec.name],
    )
    if spec.is_snapshot:
        replaced = con.execute(f"delete from raw.{spec.name}").fetchall()[0]
    elif replaced_ids:
        replaced = con.execute(
            f"""delete from raw.{spec.name} where _period in (select unnest(?::date[]))
            and _load_id in (select unnest(?::varchar[]))""",
            [result.periods, sorted(replaced_ids)],
        ).fetchall()[0]
    else:
        replaced = (0,)
    result.rows_replaced = replaced[0]
    con.execute(
        f"""insert into raw.{spec.name}
        select {columns}, _period, ?, ?, _line_no
        from {parsed} where {VALID_ROW}""",
        [result.load_id, result.file_hash],
    )
    result.status = "loaded"
    if spec.is_snapshot:
        result.message = f"replaced the snapshot ({result.rows_replaced} rows)"
    elif result.rows_replaced:
        result.message = (
            f"replaced {result.rows_replaced} rows of {_month_text(result.periods)} "
            f"loaded from {files}"
        )
    else:
        result.message = f"added {result.rows_loaded} rows to {_month_text(result.periods)}"
    _log(
        con,
        result,
        started,
        encoding=source.source_encoding + ("-bom" if source.has_bom else ""),
        delimiter=header.delimiter,
        decimal_comma=header.decimal_comma,
    )
    con.execute("commit")
    con.execute(f"drop table if exists {parsed}")
