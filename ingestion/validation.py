"""great-expectations suites per extract, run on each loaded batch as a pandas dataframe.

DuckDB is not a supported GX SQL data source, so the batch a load wrote is read back
(only the columns the suite needs) and validated in memory. Results are stored in
raw._validation_results; Dagster turns them into asset checks, and an error-severity
failure blocks what depends on the extract.
"""

from __future__ import annotations

import calendar
import json
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from ingestion.specs import Expectation, ExtractSpec

FILE_PERIOD = re.compile(r"(?<!\d)(\d{4})[-_]?(\d{2})(?!\d)")


@dataclass(frozen=True)
class Outcome:
    expectation: str
    columns: str
    severity: str
    success: bool
    element_count: int
    unexpected_count: int
    partial_unexpected: str


def file_period(file_name: str) -> tuple[date, date] | None:
    """The month a file name declares (VBRP_2010-03.csv), if it declares one."""
    match = FILE_PERIOD.search(file_name)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1990 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


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


def _gx_expectations(spec: ExtractSpec, file_name: str) -> list[tuple[Expectation, object]]:
    _, gxe, _ = _great_expectations()
    built = []
    for exp in spec.expectations:
        cols = [c.lower() for c in exp.columns]
        if exp.kind == "not_null":
            gx_exp = gxe.ExpectColumnValuesToNotBeNull(column=cols[0])
        elif exp.kind == "unique":
            gx_exp = (
                gxe.ExpectColumnValuesToBeUnique(column=cols[0])
                if len(cols) == 1
                else gxe.ExpectCompoundColumnsToBeUnique(column_list=cols)
            )
        elif exp.kind == "in_set":
            gx_exp = gxe.ExpectColumnValuesToBeInSet(column=cols[0], value_set=list(exp.value_set))
        elif exp.kind == "between":
            gx_exp = gxe.ExpectColumnValuesToBeBetween(
                column=cols[0], min_value=exp.min_value, max_value=exp.max_value
            )
        elif exp.kind == "date_in_file_period":
            period = file_period(file_name)
            if period is None:  # the file does not say which month it holds
                continue
            gx_exp = gxe.ExpectColumnValuesToBeBetween(
                column=cols[0],
                min_value=datetime.combine(period[0], datetime.min.time()),
                max_value=datetime.combine(period[1], datetime.max.time()),
            )
        else:
            raise ValueError(f"{spec.name}: unknown expectation kind {exp.kind}")
        built.append((exp, gx_exp))
    return built


def validate_load(
    con: duckdb.DuckDBPyConnection, spec: ExtractSpec, load_id: str, file_name: str
) -> list[Outcome]:
    """Validate the rows one load wrote and store the outcomes."""
    expectations = _gx_expectations(spec, file_name)
    if not expectations:
        return []
    columns = sorted({c.lower() for exp, _ in expectations for c in exp.columns})
    frame = con.execute(
        f"select {', '.join(columns)} from raw.{spec.name} where _load_id = ?", [load_id]
    ).df()
    for exp, _ in expectations:  # GX compares dates as datetimes
        if exp.kind == "date_in_file_period":
            frame[exp.columns[0].lower()] = frame[exp.columns[0].lower()].astype("datetime64[ns]")
    gx, _, batch_definition = _great_expectations()
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    suite = gx.ExpectationSuite(name=f"{spec.name}_suite")
    for _, gx_exp in expectations:
        suite.add_expectation(gx_exp)
    result = batch.validate(suite)
    outcomes = []
    for (exp, _), res in zip(expectations, result.results, strict=True):
        stats = res.result or {}
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
            )
        )
    file_hash = con.execute(
        "select file_hash from raw._load_log where load_id = ?", [load_id]
    ).fetchall()[0][0]
    con.executemany(
        "insert into raw._validation_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())",
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
            ]
            for o in outcomes
        ],
    )
    return outcomes


def current_outcomes(con: duckdb.DuckDBPyConnection, spec: ExtractSpec) -> list[Outcome]:
    """Validation outcomes of the batches the raw table holds now (replaced ones drop out)."""
    rows = con.execute(
        f"""select expectation, columns, severity, success, element_count, unexpected_count,
                partial_unexpected
        from raw._validation_results
        where extract = ? and load_id in (select distinct _load_id from raw.{spec.name})
        order by validated_at""",
        [spec.name],
    ).fetchall()
    return [Outcome(*row) for row in rows]
