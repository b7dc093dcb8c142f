"""What `abc-warehouse run` builds on the inbox: everything, or only what the new files feed.

A run builds every asset downstream of the extracts with a new file. The rest (the
supplier models when only billing lines arrived, the seeds) is rebuilt as well unless
nothing but the new files can have changed since the last run:
  - the last run on this instance built the warehouse (job main or build) and succeeded,
    so nothing loaded before is waiting to be built;
  - it ran the same code: the dbt project, the Python packages of the pipeline, the
    installed versions of its dependencies and the dbt vars (CODE_TAG, on every CLI run).
Anything else (a first run, a failed or an ingest-only run before, an edited model, seed,
macro or asset, an upgraded library, other dbt vars) builds everything, as does
--full-refresh.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Dagster is imported where a run is decided, not by `--version`
    import dagster as dg

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CODE_TAG = "abc/code_fingerprint"
BUILDING_JOBS = ("main", "build")
# What decides the results of a run, besides the data.
CODE_FOLDERS = (
    "dbt_project/models",
    "dbt_project/macros",
    "dbt_project/seeds",
    "dbt_project/tests",
    "profiles",
    "ingestion",
    "orchestration",
    "reconciliation",
    "metrics",
    "reporting",
    "serving",
)
CODE_FILES = ("dbt_project/dbt_project.yml",)
DISTRIBUTION = "abc-warehouse"
# The run tag recording the version of abc-warehouse a run ran.
VERSION_TAG = "abc/version"


def package_version() -> str:
    """The installed version of abc-warehouse (pyproject.toml's, the one place it is set)."""
    return importlib.metadata.version(DISTRIBUTION)


def _libraries() -> list[str]:
    """The project's direct dependencies (pyproject.toml), not its dev tools."""
    requirements = importlib.metadata.requires(DISTRIBUTION) or []
    return sorted(
        re.split(r"[=<>!~; \[]", r, maxsplit=1)[0] for r in requirements if "extra ==" not in r
    )


def _code_files(root: Path) -> list[Path]:
    files = [root / name for name in CODE_FILES]
    for folder in CODE_FOLDERS:
        files += [
            p for p in (root / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ]
    return sorted(files)


def code_fingerprint(root: Path = PROJECT_ROOT, dbt_vars: str = "{}") -> str:
    """A hash of the code, library versions and dbt vars a run computes its results with."""
    digest = hashlib.sha256(b"dbt vars " + dbt_vars.encode() + b"\0")
    for path in _code_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    for library in _libraries():
        digest.update(f"{library}=={importlib.metadata.version(library)}\0".encode())
    return digest.hexdigest()[:20]


def last_run_built_this_code(instance: dg.DagsterInstance, fingerprint: str) -> bool:
    """Whether the newest run on the instance built the warehouse, succeeded, and ran
    this code."""
    import dagster as dg

    runs = instance.get_runs(limit=1)
    return bool(runs) and (
        runs[0].job_name in BUILDING_JOBS
        and runs[0].status == dg.DagsterRunStatus.SUCCESS
        and runs[0].tags.get(CODE_TAG) == fingerprint
    )


def fed_by(
    defs: dg.Definitions, selection: Iterable[dg.AssetKey], sources: Iterable[dg.AssetKey]
) -> list[dg.AssetKey]:
    """The assets of the selection downstream of the sources (the sources included)."""
    import dagster as dg

    graph = defs.get_repository_def().asset_graph
    downstream = dg.AssetSelection.assets(*sources).downstream().resolve(graph)
    return [key for key in selection if key in downstream]
