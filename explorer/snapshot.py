"""The explorer's one way into the data: read-only connections to the serving snapshot.

The snapshot's stable name is a symlink that each publish swaps to a new file
(serving/publish.py). Resolving it before every page run and keeping one connection per
resolved file lets the app pick up a new snapshot on the next click, while a page still
running on the previous file finishes there; the app never opens the warehouse, so it
never blocks a run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from serving.publish import SNAPSHOT_FILE


class NoSnapshot(Exception):
    """No serving snapshot has been published in the serving folder yet."""


@dataclass(frozen=True)
class SnapshotFile:
    """One published snapshot file (what the stable name pointed at when resolved)."""

    path: Path
    published_at: datetime | None
    version: str | None


def current_snapshot(serving_dir: Path) -> Path:
    """The file the stable name points at now."""
    link = serving_dir / SNAPSHOT_FILE
    if not link.exists():
        raise NoSnapshot(f"no serving snapshot at {link}: run `abc-warehouse run` first")
    return link.resolve()


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to one snapshot file."""
    return duckdb.connect(str(path), read_only=True)


def describe(con: duckdb.DuckDBPyConnection, path: Path) -> SnapshotFile:
    row = con.execute(
        "select published_at, abc_warehouse_version from meta.snapshot_run"
    ).fetchone()
    return SnapshotFile(path, *(row or (None, None)))


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    """A query's result as a DataFrame, on a cursor of its own: Streamlit runs each
    browser session's page in a thread of its own, and a DuckDB connection is used by
    one thread at a time."""
    with con.cursor() as cursor:
        return cursor.execute(sql, params or []).df()
