"""Where the dbt project, its profile and its manifest are, and the dbt of this
environment. Free of Dagster imports: the commands that only hand over to a dbt tool
(`abc-warehouse mf`, `abc-warehouse docs`) start in a second less without them.
orchestration/dbt_project.py builds Dagster's view of the project from these paths."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
PROFILES_DIR = PROJECT_ROOT / "profiles"
# dbt's default target folder, where `dbt parse` writes the manifest Dagster loads.
MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
# What the manifest is parsed from: a file here newer than it means parse again.
PARSED_FROM = ("models", "macros", "seeds", "tests")


def dbt_executable() -> str:
    """dbt from this interpreter's environment, so an unactivated virtualenv works too."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def manifest_is_current() -> bool:
    """Whether the manifest exists and no file it is parsed from changed after it."""
    if not MANIFEST.exists():
        return False
    built = MANIFEST.stat().st_mtime
    sources = [p for folder in PARSED_FROM for p in (DBT_PROJECT_DIR / folder).rglob("*")]
    sources.append(DBT_PROJECT_DIR / "dbt_project.yml")
    return all(p.stat().st_mtime <= built for p in sources if p.is_file())
