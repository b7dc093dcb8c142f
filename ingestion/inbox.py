"""Load every new file of one extract type from the inbox, and validate what each wrote."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from ingestion.errors import ExtractError
from ingestion.intake import known_hash, read_index
from ingestion.loader import (
    LoadResult,
    is_unchanged,
    load_file,
    unchanged_since_loaded,
)
from ingestion.specs import SPECS, ExtractSpec
from ingestion.validation import (
    Outcome,
    gx_expectations,
    start_importing_great_expectations,
    validate_load,
    validate_pending,
)
from ingestion.warehouse import ensure_bookkeeping, ensure_raw_table


@dataclass
class ExtractRun:
    """What one pass over the inbox did for one extract type."""

    spec: ExtractSpec
    loads: list[LoadResult] = field(default_factory=list)
    validations: dict[str, list[Outcome]] = field(default_factory=dict)  # by file name
    failures: dict[str, str] = field(default_factory=dict)  # file name -> error
    # Files with no row in the run's months: the run of their own months loads them.
    deferred: list[str] = field(default_factory=list)
    # Files untouched since they were loaded: skipped without a load-log row, so the log
    # records what was attempted, not one row per old file per run.
    unchanged: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> list[LoadResult]:
        return [r for r in self.loads if r.status == "loaded"]

    def outcomes(self, severity: str) -> list[Outcome]:
        return [o for outs in self.validations.values() for o in outs if o.severity == severity]


@dataclass(frozen=True)
class FileOutcome:
    """One file's outcome in a pass, as progress reporting hears it."""

    file_name: str
    status: str  # loaded, already_loaded, refused, ...
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    phases: dict[str, float] = field(default_factory=dict)  # seconds, LoadResult.phases


def _is_candidate(path: Path) -> bool:
    return path.is_file() and not path.name.startswith((".", "~"))


def candidate_files(inbox: Path) -> list[Path]:
    """The inbox's files, without hidden and editor lock files."""
    if not inbox.exists():
        return []
    return sorted(p for p in inbox.iterdir() if _is_candidate(p))


def files_not_taken_in(inbox: Path, archive: Path) -> list[Path]:
    """The inbox's files that are new or changed since they were taken in: what a run,
    the CLI's or the sensor's, has to read. Known without reading the files or opening
    the warehouse (ingestion/intake.py: the inbox index)."""
    index = read_index(archive)
    return [p for p in candidate_files(inbox) if known_hash(p, archive, index) is None]


def dangling_links(inbox: Path) -> list[str]:
    """Symbolic links in the inbox whose file is gone: reported, never silently skipped."""
    if not inbox.exists():
        return []
    return [
        f"{p.name}: a symbolic link to {os.readlink(p)}, which does not exist"
        for p in sorted(inbox.iterdir())
        if p.is_symlink() and not p.exists()
    ]


def files_for(spec: ExtractSpec, inbox: Path) -> list[Path]:
    return [p for p in candidate_files(inbox) if spec.matches(p.name)]


def unrecognised_files(inbox: Path) -> list[Path]:
    """Files in the inbox that no extract type claims: reported, never silently ignored."""
    claimed = {p for spec in SPECS.values() for p in files_for(spec, inbox)}
    return [p for p in candidate_files(inbox) if p not in claimed]


def load_extract(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    inbox: Path,
    aliases_path: str | None = None,
    months: Collection[date] | None = None,
    *,
    archive: Path,
    max_snapshot_shrink: float,
    rehash: bool = False,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> ExtractRun:
    """Load the inbox's files of this type in name order; a bad file does not stop the rest.
    on_file hears each file's outcome as soon as it is known (progress reporting).

    The new files of one pass are one delivery: files of the same month add to each other
    (a month sent in several files) unless a later one corrects an earlier one (shares
    business keys with it). Every batch the raw table holds and that was never validated
    (a run killed between load and validation) is validated here too.

    `months` restricts a dated extract to the files touching those months (a partitioned
    run); None loads every new file. `archive` and `max_snapshot_shrink`: as load_file."""
    ensure_bookkeeping(con)
    ensure_raw_table(con, spec)  # so dbt's staging view exists even before the first file
    run = ExtractRun(spec)
    delivery: list[str] = []
    for path in files_for(spec, inbox):
        if not rehash and unchanged_since_loaded(con, path, archive):
            run.unchanged.append(path.name)
            continue
        if gx_expectations(spec) and not is_unchanged(path, archive):  # may be validated
            start_importing_great_expectations()
        try:
            result = load_file(
                con,
                path,
                spec,
                aliases_path,
                months,
                archive=archive,
                delivery=delivery,
                rehash=rehash,
                max_snapshot_shrink=max_snapshot_shrink,
            )
        except ExtractError as exc:
            run.failures[path.name] = str(exc)
            if on_file:
                on_file(FileOutcome(path.name, "refused"))
            continue
        if result.status == "outside_months":
            run.deferred.append(path.name)
            continue
        run.loads.append(result)
        if result.status == "loaded":
            delivery.append(result.load_id)
            with result.phase("validate"):
                run.validations[path.name] = validate_load(con, spec, result.load_id, path.name)
        if on_file:
            on_file(
                FileOutcome(
                    path.name,
                    result.status,
                    result.rows_read,
                    result.rows_loaded,
                    result.rows_quarantined,
                    result.rows_skipped,
                    result.phases,
                )
            )
    validate_pending(con, spec)
    return run
