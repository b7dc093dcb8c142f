"""Resources configured once: the warehouse file (from ABC_WAREHOUSE_PATH, which the dbt
profile reads too), the inbox, and the dbt CLI."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

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

    @classmethod
    def from_environment(cls) -> WarehouseResource:
        return cls(
            path=str(warehouse.warehouse_path()),
            inbox=str(warehouse.inbox_dir()),
            header_aliases=warehouse.header_aliases_path(),
            serving=str(warehouse.serving_dir()),
        )

    @property
    def serving_dir(self) -> Path:
        return Path(self.serving) if self.serving else Path(self.path).parent / "serving"

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
