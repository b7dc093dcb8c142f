"""great-expectations suites per extract, run on each loaded batch as a pandas dataframe,
and the gate that keeps a batch that failed them out of every build.

DuckDB is not a supported GX SQL data source, so the batch a load wrote is read back
(only the columns the suite needs, and the line numbers) and validated in memory.
Outcomes are stored per batch in raw._validation_results, with the file lines of a few
failing rows, and raw._validated_batches records that the batch was validated. Both are
written in one transaction, so a batch is validated or it is not.

The gate (`batch_problems`) reads what the warehouse holds: every batch with rows in a
raw table must be validated and free of failed error-severity expectations. A batch
loaded but never validated (the run was killed between the two) is validated by the
next run (`validate_pending`). A failure is resolved by a corrected file that replaces
the batch's month, or by removing the batch (`abc-warehouse batches remove LOAD_ID`).
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import duckdb

from ingestion.specs import SPECS, Expectation, ExtractSpec
from ingestion.warehouse import ensure_bookkeeping

# Failing rows whose file lines a result keeps, and a message shows.
SAMPLE_ROWS = 5


@dataclass(frozen=True)
class Outcome:
    expectation: str
    columns: str
    severity: str
    success: bool
    element_count: int
    unexpected_count: int
    partial_unexpected: str
    sample_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class BatchProblem:
    """A batch the warehouse holds that must not be built on."""

    extract: str
    load_id: str
    file_name: str
    rows_held: int
    failed: tuple[Outcome, ...]  # empty: never validated
    sample_keys: dict[int, str]  # line number -> business key at that line

    def describe(self) -> str:
        where = f"raw.{self.extract}: {self.file_name} (load {self.load_id}, {self.rows_held} rows)"
        if not self.failed:
            return f"{where} was loaded but never validated"
        lines = []
        for o in self.failed:
            samples = ", ".join(
                f"line {n}" + (f" ({self.sample_keys[n]})" if n in self.sample_keys else "")
                for n in o.sample_lines
            )
            lines.append(
                f"{where} failed {o.expectation} on {o.columns}: {o.unexpected_count} of "
                f"{o.element_count} rows, e.g. {samples or o.partial_unexpected}"
            )
        return "\n".join(lines)


def _import_great_expectations():
    """great_expectations and the batch definition every load is validated through."""
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("warehouse_batches")
    asset = source.add_dataframe_asset("loaded_batch")
    return gx, gxe, asset.add_batch_definition_whole_dataframe("whole_batch")


_gx_import: Future | None = None
_gx_import_lock = threading.Lock()


def start_importing_great_expectations() -> None:
    """Import great_expectations in a thread, once per process. Its import is about 4 s of
    Python; started before a load, it runs while DuckDB parses the file (DuckDB releases
    the GIL) instead of before or after it. The thread imports nothing the load imports:
    everything the loader uses is imported at module level."""
    global _gx_import
    with _gx_import_lock:
        if _gx_import is None:
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-gx")
            _gx_import = pool.submit(_import_great_expectations)
            pool.shutdown(wait=False)


def _great_expectations():
    start_importing_great_expectations()
    return _gx_import.result()


def gx_expectations(spec: ExtractSpec) -> list[Expectation]:
    """The spec's expectations great-expectations checks (the file-name month is checked
    by the loader, before the load)."""
    return [e for e in spec.expectations if e.kind != "date_in_file_period"]


def _gx_expectation(exp: Expectation):
    _, gxe, _ = _great_expectations()
    cols = [c.lower() for c in exp.columns]
    if exp.kind == "not_null":
        return gxe.ExpectColumnValuesToNotBeNull(column=cols[0])
    if exp.kind == "unique":
        return (
            gxe.ExpectColumnValuesToBeUnique(column=cols[0])
            if len(cols) == 1
            else gxe.ExpectCompoundColumnsToBeUnique(column_list=cols)
        )
    if exp.kind == "in_set":
        return gxe.ExpectColumnValuesToBeInSet(column=cols[0], value_set=list(exp.value_set))
    if exp.kind == "between":
        return gxe.ExpectColumnValuesToBeBetween(
            column=cols[0], min_value=exp.min_value, max_value=exp.max_value
        )
    raise ValueError(f"unknown expectation kind {exp.kind}")


def validate_load(
    con: duckdb.DuckDBPyConnection, spec: ExtractSpec, load_id: str, file_name: str = ""
) -> list[Outcome]:
    """Validate the rows one load wrote; store the outcomes and that it was validated."""
    expectations = gx_expectations(spec)
    outcomes = []
    if expectations:
        built = [(exp, _gx_expectation(exp)) for exp in expectations]
        columns = sorted({c.lower() for exp in expectations for c in exp.columns})
        frame = con.execute(
            f"select _line_no, {', '.join(columns)} from raw.{spec.name} where _load_id = ?",
            [load_id],
        ).df()
        gx, _, batch_definition = _great_expectations()
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        suite = gx.ExpectationSuite(name=f"{spec.name}_suite")
        for _, gx_exp in built:
            suite.add_expectation(gx_exp)
        # The line numbers of failing rows come back with them (GX's index columns).
        result_format = {"result_format": "SUMMARY", "unexpected_index_column_names": ["_line_no"]}
        result = batch.validate(suite, result_format=result_format)
        for (exp, _), res in zip(built, result.results, strict=True):
            stats = res.result or {}
            lines = sorted(
                {int(row["_line_no"]) for row in stats.get("partial_unexpected_index_list") or []}
            )[:SAMPLE_ROWS]
            outcomes.append(
                Outcome(
                    expectation=res.expectation_config.type,
                    columns=",".join(exp.columns),
                    severity=exp.severity,
                    success=bool(res.success),
                    element_count=int(stats.get("element_count") or len(frame)),
                    unexpected_count=int(stats.get("unexpected_count") or 0),
                    partial_unexpected=json.dumps(
                        stats.get("partial_unexpected_list", [])[:10], default=str
                    ),
                    sample_lines=tuple(lines),
                )
            )
    file_hash = con.execute(
        "select file_hash from raw._load_log where load_id = ?", [load_id]
    ).fetchall()[0][0]
    con.execute("begin transaction")
    con.execute("delete from raw._validation_results where load_id = ?", [load_id])
    if outcomes:
        con.executemany(
            "insert into raw._validation_results (load_id, file_hash, extract, expectation, "
            "columns, severity, success, element_count, unexpected_count, partial_unexpected, "
            "validated_at, sample_lines) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?)",
            [
                [
                    load_id,
                    file_hash,
                    spec.name,
                    o.expectation,
                    o.columns,
                    o.severity,
                    o.success,
                    o.element_count,
                    o.unexpected_count,
                    o.partial_unexpected,
                    list(o.sample_lines),
                ]
                for o in outcomes
            ],
        )
    con.execute(
        "insert or replace into raw._validated_batches values (?, ?, ?, ?, ?)",
        [
            load_id,
            spec.name,
            datetime.now(),
            sum(not o.success and o.severity == "error" for o in outcomes),
            sum(not o.success and o.severity != "error" for o in outcomes),
        ],
    )
    con.execute("commit")
    return outcomes


def held_batches(con: duckdb.DuckDBPyConnection, spec: ExtractSpec) -> dict[str, int]:
    """load id -> rows, for every batch raw.<extract> holds rows of."""
    return dict(
        con.execute(f"select _load_id, count(*) from raw.{spec.name} group by 1").fetchall()
    )


def _unvalidated(con: duckdb.DuckDBPyConnection, spec: ExtractSpec) -> list[tuple[str, str]]:
    return con.execute(
        f"""select l.load_id, l.file_name from raw._load_log l
        where l.load_id in (select distinct _load_id from raw.{spec.name})
            and l.load_id not in (select load_id from raw._validated_batches)
        order by l.started_at""",
    ).fetchall()


def validate_pending(con: duckdb.DuckDBPyConnection, spec: ExtractSpec) -> list[str]:
    """Validate the batches raw.<extract> holds that were never validated; their ids."""
    pending = _unvalidated(con, spec)
    for load_id, file_name in pending:
        validate_load(con, spec, load_id, file_name)
    return [load_id for load_id, _ in pending]


def current_outcomes(con: duckdb.DuckDBPyConnection, spec: ExtractSpec) -> list[Outcome]:
    """Validation outcomes of the batches the raw table holds now (replaced ones drop out)."""
    rows = con.execute(
        f"""select expectation, columns, severity, success, element_count, unexpected_count,
                partial_unexpected, coalesce(sample_lines, [])
        from raw._validation_results
        where extract = ? and load_id in (select distinct _load_id from raw.{spec.name})
        order by validated_at""",
        [spec.name],
    ).fetchall()
    return [Outcome(*row[:7], tuple(row[7])) for row in rows]


def batch_problems(
    con: duckdb.DuckDBPyConnection, specs: list[ExtractSpec] | None = None
) -> list[BatchProblem]:
    """Every batch the warehouse holds that failed an error-severity expectation or was
    never validated: while there is one, nothing may be built or published."""
    problems = []
    for spec in specs or list(SPECS.values()):
        exists = con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = ?",
            [spec.name],
        ).fetchall()[0][0]
        if not exists:
            continue
        rows = con.execute(
            f"""with held as (
                select _load_id as load_id, count(*) as n from raw.{spec.name} group by 1
            )
            select h.load_id, l.file_name, h.n, v.load_id is not null
            from held h
            join raw._load_log l on l.load_id = h.load_id and l.status = 'loaded'
            left join raw._validated_batches v on v.load_id = h.load_id
            where v.load_id is null or v.errors_failed > 0
            order by l.started_at""",
        ).fetchall()
        for load_id, file_name, n, validated in rows:
            failed = tuple(
                o for o in _outcomes_of(con, load_id) if not o.success and o.severity == "error"
            )
            if validated and not failed:
                continue
            lines = sorted({n for o in failed for n in o.sample_lines})
            problems.append(
                BatchProblem(
                    spec.name, load_id, file_name, n, failed, _keys_at(con, spec, load_id, lines)
                )
            )
    return problems


def _outcomes_of(con: duckdb.DuckDBPyConnection, load_id: str) -> list[Outcome]:
    rows = con.execute(
        """select expectation, columns, severity, success, element_count, unexpected_count,
                partial_unexpected, coalesce(sample_lines, [])
        from raw._validation_results where load_id = ? order by expectation, columns""",
        [load_id],
    ).fetchall()
    return [Outcome(*row[:7], tuple(row[7])) for row in rows]


def _keys_at(
    con: duckdb.DuckDBPyConnection, spec: ExtractSpec, load_id: str, lines: list[int]
) -> dict[int, str]:
    if not lines:
        return {}
    keys = [c.lower() for c in spec.business_key]
    rows = con.execute(
        f"""select _line_no, {", ".join(keys)} from raw.{spec.name}
        where _load_id = ? and _line_no in (select unnest(?::bigint[]))""",
        [load_id, lines],
    ).fetchall()
    return {
        row[0]: " ".join(f"{k} {v}" for k, v in zip(spec.business_key, row[1:], strict=True))
        for row in rows
    }


def gate(con: duckdb.DuckDBPyConnection) -> list[BatchProblem]:
    """Validate every held batch never validated, then list what blocks a build."""
    existing = {
        row[0]
        for row in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw'"
        ).fetchall()
    }
    specs = [spec for spec in SPECS.values() if spec.name in existing]
    if "_load_log" not in existing:
        return []
    ensure_bookkeeping(con)  # a warehouse made before raw._validated_batches
    for spec in specs:
        validate_pending(con, spec)
    return batch_problems(con, specs)


def gate_message(problems: list[BatchProblem]) -> str:
    """What a refused build says: each batch, what failed, and how to resolve it."""
    return (
        f"{len(problems)} loaded batch(es) failed validation or were never validated; "
        "nothing is built or published until they are resolved:\n"
        + "\n".join(f"  {p.describe()}" for p in problems)
        + "\nResolve: drop a corrected file for the same month (it replaces the batch), or "
        "remove the batch with `abc-warehouse batches remove LOAD_ID`, then run again. "
        "A batch never validated is validated by the next `abc-warehouse run`."
    )
