"""Housekeeping of what dbt leaves in its target folder between builds.

dagster-dbt runs every dbt invocation in a target folder of its own,
`<target>/<op>-<run id>-<random>`, and starts it with a copy of
`<target>/partial_parse.msgpack`, dbt's parse state. Two things follow that dagster-dbt
leaves to the project: the folders pile up, and the parse state in `<target>` stays the
one `abc-warehouse prepare` wrote.

dbt's parse state is only good for the profile it was parsed under, and the profile holds
the warehouse path and memory limit: a build on another warehouse than the last one
(the benchmark's beside the demo's, two warehouses served from one checkout) parses the
whole project again, about 5 s. So the state is also kept per profile, in
`<target>/parse-states/`, by every build and by `abc-warehouse prepare`, and put in place
before a build on that profile.
"""

from __future__ import annotations

import filecmp
import hashlib
import logging
import os
import shutil
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

PARSE_STATE = "partial_parse.msgpack"
PARSE_STATES = "parse-states"
# Parse states kept for the profiles built most recently (about 2 MB each).
KEEP_PARSE_STATES = 8
# The newest build folders kept for looking into a build (run_results.json, compiled SQL,
# dbt.log, a copy of the manifest: 6 to 9 MB each).
KEEP_DBT_BUILD_TARGETS = 10


def publish_parse(staging: Path, target: Path, key: str | None = None) -> None:
    """Move what `dbt parse` wrote into `staging` into `target`, each file in one step and
    the manifest last: Dagster (a run starting, `dg dev` reloading) reads the manifest
    while `abc-warehouse prepare` parses, and a file dbt wrote in place could be read half
    written. A reader sees the old manifest or the new, and the new one's time says
    current only when the rest is in place. With `key` (profile_key of the profile it
    parsed under) the parse state is also kept for that profile: the first build on it
    starts from there even if a build on another warehouse ran in between."""
    if key is not None and (staging / PARSE_STATE).exists():
        try:
            _keep_for_profile(staging / PARSE_STATE, target, key)
        except OSError as exc:  # a cache: the parse itself is published all the same
            log.warning("dbt's parse state not kept for this warehouse: %s", exc)
    for name in ("dbt.log", PARSE_STATE, "semantic_manifest.json", "manifest.json"):
        if (staging / name).exists():
            os.replace(staging / name, target / name)
    shutil.rmtree(staging, ignore_errors=True)


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


def profile_key(*profile_inputs: str) -> str:
    """A name for the profile dbt parses under, from what the profile reads (the
    warehouse path, the memory limit) and the vars, which dbt's parse state records too."""
    return hashlib.sha256("\0".join(profile_inputs).encode()).hexdigest()[:16]


def start_from_parse_state(target: Path, key: str) -> bool:
    """Put the parse state kept for this profile where dagster-dbt copies the next build's
    state from (`<target>/partial_parse.msgpack`). Another build starting at the same moment
    may put its own there first: dbt then parses afresh, as it would have anyway. True when
    a state was put in place; nothing kept for the profile, or a copy that fails, leaves
    the state that is there."""
    kept, current = target / PARSE_STATES / f"{key}.msgpack", target / PARSE_STATE
    try:
        if not kept.exists() or (current.exists() and filecmp.cmp(kept, current, shallow=False)):
            return False
        _replace(kept, current)
        return True
    except OSError as exc:
        log.warning("dbt's parse state for this warehouse not put in place (%s): %s", kept, exc)
        return False


def _replace(source: Path, destination: Path) -> None:
    """Copy source over destination in one step: a reader sees the old file or the new."""
    tmp = destination.with_name(f".{destination.name}.{uuid.uuid4().hex}.tmp")
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, destination)
    finally:
        tmp.unlink(missing_ok=True)


def keep_parse_state(current: Path, key: str | None = None) -> bool:
    """Make the parse state a build wrote the one the next build starts from.

    dbt parses again from scratch when the profile it parsed under has changed, and the
    profile holds the warehouse path and memory limit (ABC_WAREHOUSE_PATH,
    ABC_DUCKDB_MEMORY_LIMIT). Run with other values than `prepare` saw, every build
    would parse the whole project (about 5 s) and write the result only into its own
    folder. Copied back, the first build parses and the next ones reuse it; with `key`
    (profile_key) it is also kept for that profile, for start_from_parse_state. dbt checks
    the state against the project files itself, so a state that is out of date is never
    used as it is. True when it was copied; a copy that fails (a read-only target, a full
    disk) is logged and leaves the build as it was: this is a cache, not the build."""
    fresh, kept = current / PARSE_STATE, current.parent / PARSE_STATE
    try:
        if not fresh.exists():
            return False
        copied = False
        if not (kept.exists() and filecmp.cmp(fresh, kept, shallow=False)):
            _replace(fresh, kept)  # a build starting now copies the old state or the new
            copied = True
        if key is not None:
            _keep_for_profile(fresh, current.parent, key)
        return copied
    except OSError as exc:
        log.warning("dbt's parse state not kept for the next build (%s): %s", kept, exc)
        return False


def _keep_for_profile(state: Path, target: Path, key: str) -> None:
    states = target / PARSE_STATES
    states.mkdir(exist_ok=True)
    _replace(state, states / f"{key}.msgpack")
    _prune_parse_states(states)


def _prune_parse_states(states: Path, keep: int = KEEP_PARSE_STATES) -> None:
    found = {}
    for state in states.glob("*.msgpack"):
        try:  # a state removed meanwhile by another build's pruning is passed over
            found[state] = state.stat().st_mtime
        except OSError:
            continue
    for state in sorted(found, key=found.get, reverse=True)[keep:]:
        state.unlink(missing_ok=True)
