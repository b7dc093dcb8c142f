"""Resources configured once: the warehouse file (from ABC_WAREHOUSE_PATH, which the dbt
profile reads too), the inbox, and the dbt CLI."""

from __future__ import annotations

import importlib.metadata
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource
from packaging import version

from ingestion import warehouse

# Every asset that writes the DuckDB file runs in this pool (limit 1 in dagster.yaml).
WAREHOUSE_POOL = "warehouse"


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file, the inbox the extracts are dropped into, and the folder
    the read-only serving snapshot is published to (default: serving/ beside the file)."""

    path: str
    inbox: str
    header_aliases: str | None = None
    serving: str | None = None
    archive: str | None = None
    max_snapshot_shrink: float = warehouse.DEFAULT_MAX_SNAPSHOT_SHRINK
    # The dbt vars of every build (settings file, [dbt_vars]), as JSON; a run's config
    # (`abc-warehouse run --vars`) overrides them.
    dbt_vars: str = "{}"

    @classmethod
    def from_environment(cls) -> WarehouseResource:
        from orchestration.settings import current_settings, vars_text

        return cls(
            dbt_vars=vars_text(current_settings().dbt_vars),
            path=str(warehouse.warehouse_path()),
            inbox=str(warehouse.inbox_dir()),
            header_aliases=warehouse.header_aliases_path(),
            serving=str(warehouse.serving_dir()),
            archive=str(warehouse.archive_dir()),
            max_snapshot_shrink=warehouse.max_snapshot_shrink(),
        )

    @property
    def serving_dir(self) -> Path:
        return Path(self.serving) if self.serving else Path(self.path).parent / "serving"

    @property
    def archive_dir(self) -> Path:
        return Path(self.archive) if self.archive else Path(self.path).parent / "archive"

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        con = warehouse.connect(Path(self.path), read_only=read_only)
        try:
            yield con
        finally:
            con.close()


def dbt_executable() -> str:
    """dbt from this interpreter's environment, so an unactivated virtualenv works too."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


class WarehouseDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt CLI without two start-up costs this project has no use for, about
    7 s of every run (a tenth of adding a month at 10 million lines):
      - it runs `dbt --version` (all of dbt imported, and PyPI asked for the latest
        version) to tell dbt-core from the Fusion engine; dbt-core is installed beside
        it here, pinned, and its package version is the answer;
      - it imports dbt in-process and builds an adapter handle, used only by
        `fetch_row_counts()` and `fetch_column_metadata()`, which no asset here calls.
    Both override private members of the pinned dagster-dbt; a test fails when an upgrade
    renames them (tests/test_dagster.py)."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


def dbt_resource() -> WarehouseDbtCliResource:
    """The dbt CLI on this project, from this environment."""
    from orchestration.dbt_project import dbt_project

    return WarehouseDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())
