"""Load every new file of one extract type from the inbox, and validate what each wrote."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingestion.errors import ExtractError
from ingestion.loader import LoadResult, load_file
from ingestion.specs import SPECS, ExtractSpec
from ingestion.validation import Outcome, validate_load
from ingestion.warehouse import ensure_bookkeeping, ensure_raw_table


@dataclass
class ExtractRun:
    """What one pass over the inbox did for one extract type."""

    spec: ExtractSpec
    loads: list[LoadResult] = field(default_factory=list)
    validations: dict[str, list[Outcome]] = field(default_factory=dict)  # by file name
    failures: dict[str, str] = field(default_factory=dict)  # file name -> error

    @property
    def loaded(self) -> list[LoadResult]:
        return [r for r in self.loads if r.status == "loaded"]

    def outcomes(self, severity: str) -> list[Outcome]:
        return [o for outs in self.validations.values() for o in outs if o.severity == severity]


def _is_candidate(path: Path) -> bool:
    return path.is_file() and not path.name.startswith((".", "~"))


def files_for(spec: ExtractSpec, inbox: Path) -> list[Path]:
    if not inbox.exists():
        return []
    return sorted(
        p
        for p in inbox.iterdir()
        if _is_candidate(p)
        and any(fnmatch.fnmatch(p.name.lower(), pattern) for pattern in spec.file_patterns)
    )


def unrecognised_files(inbox: Path) -> list[Path]:
    """Files in the inbox that no extract type claims: reported, never silently ignored."""
    if not inbox.exists():
        return []
    claimed = {p for spec in SPECS.values() for p in files_for(spec, inbox)}
    return sorted(p for p in inbox.iterdir() if _is_candidate(p) and p not in claimed)


def load_extract(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    inbox: Path,
    aliases_path: str | None = None,
) -> ExtractRun:
    """Load the inbox's files of this type in name order; a bad file does not stop the rest."""
    ensure_bookkeeping(con)
    ensure_raw_table(con, spec)  # so dbt's staging view exists even before the first file
    run = ExtractRun(spec)
    for path in files_for(spec, inbox):
        try:
            result = load_file(con, path, spec, aliases_path)
        except ExtractError as exc:
            run.failures[path.name] = str(exc)
            continue
        run.loads.append(result)
        if result.status == "loaded":
            run.validations[path.name] = validate_load(con, spec, result.load_id, path.name)
    return run
