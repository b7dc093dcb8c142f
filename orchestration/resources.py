"""Resources configured once from the settings: the warehouse file with its folders, and
the dbt CLI."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource
from packaging import version

from ingestion import warehouse
from orchestration import settings
from orchestration.dbt_artifacts import profile_key

if TYPE_CHECKING:  # dbt's adapter module is heavy to import; the annotation needs it not
    from dbt.adapters.base import BaseAdapter

# Every asset that writes the DuckDB file runs in this pool (limit 1 in dagster.yaml).
WAREHOUSE_POOL = "warehouse"


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file and what belongs to it: the inbox the extracts are dropped
    into, the archive of loaded originals, the serving snapshot and the reports (each
    beside the file unless set), and the settings steps use on it. Built from the settings
    (orchestration/settings.py); a resource made with another `path` moves all of them."""

    path: str
    inbox: str
    header_aliases: str | None = None
    archive: str | None = None
    serving: str | None = None
    reports: str | None = None
    duckdb_memory_limit: str = settings.DEFAULT_MEMORY_LIMIT
    max_snapshot_shrink: float = settings.DEFAULT_MAX_SNAPSHOT_SHRINK
    # How long a step waits for another run that holds the warehouse before it fails.
    lock_timeout_seconds: float = settings.DEFAULT_LOCK_TIMEOUT_SECONDS
    # The dbt vars of every build (settings file, [dbt_vars]), as JSON; a run's config
    # (`abc-warehouse run --vars`) overrides them.
    dbt_vars: str = "{}"

    @classmethod
    def from_settings(cls, values: settings.Settings) -> WarehouseResource:
        return cls(
            path=str(values.warehouse),
            inbox=str(values.inbox),
            header_aliases=str(values.header_aliases) if values.header_aliases else None,
            archive=str(values.archive),
            serving=str(values.serving),
            reports=str(values.reports),
            duckdb_memory_limit=values.duckdb_memory_limit,
            max_snapshot_shrink=values.max_snapshot_shrink,
            lock_timeout_seconds=values.lock_timeout_seconds,
            dbt_vars=settings.vars_text(values.dbt_vars),
        )

    def _folder(self, given: str | None, name: str) -> Path:
        return Path(given) if given else settings.beside_warehouse(Path(self.path), name)

    @property
    def archive_dir(self) -> Path:
        return self._folder(self.archive, "archive")

    @property
    def serving_dir(self) -> Path:
        return self._folder(self.serving, "serving")

    @property
    def report_dir(self) -> Path:
        return self._folder(self.reports, "reports")

    def dbt_profile_key(self, dbt_vars: dict) -> str:
        """The name dbt's parse state is kept under for builds on this warehouse with these
        vars (orchestration/dbt_artifacts.py): what the profile reads, and the vars."""
        return profile_key(self.path, self.duckdb_memory_limit, settings.vars_text(dbt_vars))

    @contextmanager
    def lock(self) -> Iterator[None]:
        """The warehouse to this process alone (ingestion/warehouse.py, warehouse_lock):
        every step that opens the file, or starts dbt on it, holds it meanwhile."""
        with warehouse.warehouse_lock(Path(self.path), self.lock_timeout_seconds):
            yield

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.lock():
            con = warehouse.connect(Path(self.path), read_only, self.duckdb_memory_limit)
            try:
                yield con
            finally:
                con.close()


class WarehouseDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt CLI without two start-up costs this project has no use for, about
    7 s of every run (a tenth of adding a month at 10 million lines):
      - it runs `dbt --version` (all of dbt imported, and PyPI asked for the latest
        version) to tell dbt-core from the Fusion engine; dbt-core is installed beside
        it here, pinned, and its package version is the answer;
      - it imports dbt in-process and builds an adapter handle, used only by
        `fetch_row_counts()` and `fetch_column_metadata()`, which no asset here calls.
    Both override private members of the pinned dagster-dbt (its public API offers no
    switch for either); a test pins the upstream shapes they rely on, so an upgrade that
    changes them fails there (tests/test_dagster.py)."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> BaseAdapter | None:
        # Upstream declares an adapter, and its cli() starts from None and carries on
        # without one; nothing here reads the adapter.
        return None


def dbt_resource() -> WarehouseDbtCliResource:
    """The dbt CLI on this project, from this environment."""
    from orchestration.dbt_paths import dbt_executable
    from orchestration.dbt_project import dbt_project

    return WarehouseDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())
