"""Housekeeping of what dbt leaves in its target folder between builds.

dagster-dbt runs every dbt invocation in a target folder of its own,
`<target>/<op>-<run id>-<random>`, and starts it with a copy of
`<target>/partial_parse.msgpack`, dbt's parse state. Two things follow that dagster-dbt
leaves to the project: the folders pile up, and the parse state in `<target>` stays the
one `abc-warehouse prepare` wrote.
"""

from __future__ import annotations

import filecmp
import logging
import os
import shutil
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

PARSE_STATE = "partial_parse.msgpack"
# The newest build folders kept for looking into a build (run_results.json, compiled SQL,
# dbt.log, a copy of the manifest: 6 to 9 MB each).
KEEP_DBT_BUILD_TARGETS = 10


def prune_build_targets(current: Path, keep: int = KEEP_DBT_BUILD_TARGETS) -> list[Path]:
    """Remove the target folders of this op's older dbt invocations (named
    `<op>-<run id>-<random>` beside `current`), all but the newest `keep`; `current` stays."""
    op_name = current.name.split("-", 1)[0]
    others = {}
    for folder in current.parent.glob(f"{op_name}-*"):
        try:  # housekeeping: a folder removed meanwhile, or unreadable, is passed over
            if folder.is_dir() and folder != current:
                others[folder] = folder.stat().st_mtime
        except OSError:
            continue
    removed = sorted(others, key=others.get, reverse=True)[max(keep - 1, 0) :]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def keep_parse_state(current: Path) -> bool:
    """Make the parse state a build wrote the one the next build starts from.

    dbt parses again from scratch when the profile it parsed under has changed, and the
    profile holds the warehouse path and memory limit (ABC_WAREHOUSE_PATH,
    ABC_DUCKDB_MEMORY_LIMIT). Run with other values than `prepare` saw, every build
    would parse the whole project (about 5 s) and write the result only into its own
    folder. Copied back, the first build parses and the next ones reuse it. dbt checks
    the state against the project files itself, so a state that is out of date is never
    used as it is. True when it was copied; a copy that fails (a read-only target, a full
    disk) is logged and leaves the build as it was: this is a cache, not the build."""
    fresh, kept = current / PARSE_STATE, current.parent / PARSE_STATE
    tmp = kept.with_name(f".{PARSE_STATE}.{uuid.uuid4().hex}.tmp")
    try:
        if not fresh.exists() or (kept.exists() and filecmp.cmp(fresh, kept, shallow=False)):
            return False
        shutil.copyfile(fresh, tmp)
        os.replace(tmp, kept)  # a build starting now copies the old state or the new
        return True
    except OSError as exc:
        log.warning("dbt's parse state not kept for the next build (%s): %s", kept, exc)
        tmp.unlink(missing_ok=True)
        return False
