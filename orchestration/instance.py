"""The Dagster instance class named in dagster.yaml: Dagster's own SQLite storage, with the
claim of a pool slot made atomic.

The pool "warehouse" (limit 1) is what keeps two runs from opening the DuckDB file at the
same moment. Dagster's SQLite event log claims a slot by reading a free slot row and then
updating that row by its id alone (`SELECT ... FOR UPDATE SKIP LOCKED` does nothing in
SQLite), so two processes that read the free row in the same instant both "claim" it and
two writing steps run at once. CI saw it: two `abc-warehouse run` started together, their
first steps starting 10 ms apart and running side by side. Here the update takes the row
only while it is still free, so the later claimer changes no row and waits like any
blocked step.

Everything else (the files under $DAGSTER_HOME, schema, migrations) is Dagster's default
SQLite storage, so an instance made before dagster.yaml named this class keeps its history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
import sqlalchemy as db
import yaml
from dagster._core.instance.ref import InstanceRef
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.event_log.schema import ConcurrencySlotsTable
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage, _event_logs_directory
from dagster._serdes import ConfigurableClassData
from dagster._utils.concurrency import ConcurrencySlotStatus


class AtomicClaimSqliteEventLogStorage(SqliteEventLogStorage):
    """SQLite event log whose pool-slot claim is one conditional update."""

    def _claim_concurrency_slot(
        self, concurrency_key: str, run_id: str, step_key: str
    ) -> ConcurrencySlotStatus:
        free = db.and_(
            ConcurrencySlotsTable.c.concurrency_key == concurrency_key,
            ConcurrencySlotsTable.c.step_key.is_(None),
            ConcurrencySlotsTable.c.deleted.is_(False),
        )
        with self.index_connection() as conn:
            row = conn.execute(db.select(ConcurrencySlotsTable.c.id).where(free).limit(1)).first()
            if row is None:
                return ConcurrencySlotStatus.BLOCKED
            taken = conn.execute(
                ConcurrencySlotsTable.update()
                .where(db.and_(ConcurrencySlotsTable.c.id == row[0], free))
                .values(run_id=run_id, step_key=step_key)
            ).rowcount
        return ConcurrencySlotStatus.CLAIMED if taken else ConcurrencySlotStatus.BLOCKED


class WarehouseSqliteStorage(DagsterSqliteStorage):
    """Dagster's default SQLite storage in the same folders, with the atomic slot claim."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        super().__init__(base_dir, inst_data=inst_data)
        self._event_log_storage = AtomicClaimSqliteEventLogStorage(_event_logs_directory(base_dir))

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData, config_value: Mapping[str, Any]
    ) -> WarehouseSqliteStorage:
        return cls.from_local(inst_data=inst_data, **config_value)


class WarehouseInstance(dg.DagsterInstance):
    """A Dagster instance whose default storage is WarehouseSqliteStorage under $DAGSTER_HOME."""

    @classmethod
    def config_schema(cls) -> dict:
        return {}

    @staticmethod
    def config_defaults(base_dir: str) -> Mapping[str, ConfigurableClassData | None]:
        return {
            **InstanceRef.config_defaults(base_dir),
            "storage": ConfigurableClassData(
                __name__, WarehouseSqliteStorage.__name__, yaml.dump({"base_dir": base_dir})
            ),
        }
