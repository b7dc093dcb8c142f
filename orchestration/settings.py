"""Every setting of one warehouse, read here and nowhere else: from the environment and
the settings file, once per process or command, and handed to what needs them. No
library function reads the environment; they receive paths and values.

The settings file is `abc-warehouse.toml` beside the warehouse file (ABC_SETTINGS_FILE
names another), so a warehouse's settings move with it; `abc-warehouse demo` writes one
for the demo's data. An environment variable overrides the file; the file overrides the
default. Moving the warehouse (ABC_WAREHOUSE_PATH) moves what lives beside it: archive,
serving snapshot, reports, settings file, lock and DuckDB's temp folder. SETTINGS below
is the one list; README's "Settings" table shows it (a test compares the two).
"""

from __future__ import annotations

import functools
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SETTINGS_FILE_NAME = "abc-warehouse.toml"
SETTINGS_FILE_VARIABLE = "ABC_SETTINGS_FILE"
# The run tag recording the dbt vars a build used (settings file and `run --vars` merged).
DBT_VARS_TAG = "abc/dbt_vars"


DEFAULT_MEMORY_LIMIT = "4GB"
DEFAULT_MAX_SNAPSHOT_SHRINK = 0.2
DEFAULT_LOCK_TIMEOUT_SECONDS = 7200.0
# Monthly partitions from here unless the settings say otherwise: old enough for any
# SAP history a company still extracts.
DEFAULT_FIRST_MONTH = "2000-01"
DEFAULT_BUILD_CRON = "0 6 1 * *"  # the 1st at 06:00, once the month's extracts are in
DEFAULT_TIMEZONE = "Europe/Oslo"


@dataclass(frozen=True)
class Setting:
    name: str  # key in the settings file, field of Settings
    variable: str  # environment variable that overrides the file
    default: str  # as README shows it
    meaning: str
    in_file: bool = True  # the warehouse path locates the file, so it cannot be in it


SETTINGS = (
    Setting("warehouse", "ABC_WAREHOUSE_PATH", "`data/warehouse.duckdb`",
            "the DuckDB file: loader, Dagster, the dbt profile", in_file=False),
    Setting("inbox", "ABC_INBOX_DIR", "`data/inbox`", "where extracts are dropped"),
    Setting("archive", "ABC_ARCHIVE_DIR", "`archive/` beside the warehouse",
            "originals by sha256, and the index of inbox files taken in"),
    Setting("serving", "ABC_SERVING_DIR", "`serving/` beside the warehouse",
            "the read-only snapshot for BI tools"),
    Setting("reports", "ABC_REPORT_DIR", "`reports/` beside the warehouse",
            "the HTML reports and the run summary"),
    Setting("header_aliases", "ABC_HEADER_ALIASES", "none",
            "a CSV (extract,label,field) naming SAP fields of other header labels"),
    Setting("duckdb_memory_limit", "ABC_DUCKDB_MEMORY_LIMIT", f"`{DEFAULT_MEMORY_LIMIT}`",
            "DuckDB's memory_limit for the loader, dbt and publishing"),
    Setting("max_snapshot_shrink", "ABC_MAX_SNAPSHOT_SHRINK", f"`{DEFAULT_MAX_SNAPSHOT_SHRINK}`",
            "the share of its rows a master-data table may lose to one new file"),
    Setting("lock_timeout_seconds", "ABC_LOCK_TIMEOUT_SECONDS",
            f"`{DEFAULT_LOCK_TIMEOUT_SECONDS:g}`",
            "how long a step or command waits for another run holding the warehouse"),
    Setting("first_month", "ABC_FIRST_MONTH", f"`{DEFAULT_FIRST_MONTH}`",
            "the first monthly partition"),
    Setting("last_month", "ABC_LAST_MONTH", "twelve months from now",
            "the last monthly partition (open purchase order lines lie ahead)"),
    Setting("build_cron", "ABC_BUILD_CRON", f"`{DEFAULT_BUILD_CRON}`", "the month-close build"),
    Setting("timezone", "ABC_TIMEZONE", f"`{DEFAULT_TIMEZONE}`", "the schedule's time zone"),
)  # fmt: skip
BY_NAME = {s.name: s for s in SETTINGS}


class SettingsError(ValueError):
    """A settings file or value that cannot be used; the message names it."""


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    inbox: Path
    archive: Path
    serving: Path
    reports: Path
    first_month: date
    header_aliases: Path | None = None
    duckdb_memory_limit: str = DEFAULT_MEMORY_LIMIT
    max_snapshot_shrink: float = DEFAULT_MAX_SNAPSHOT_SHRINK
    lock_timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS
    last_month: date | None = None
    build_cron: str = DEFAULT_BUILD_CRON
    timezone: str = DEFAULT_TIMEZONE
    dbt_vars: dict[str, Any] = field(default_factory=dict)
    source: Path | None = None  # the settings file read, if there was one
    dagster_home: Path | None = None  # Dagster's own DAGSTER_HOME, if set


def _environ(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def warehouse_file(environ: Mapping[str, str] | None = None) -> Path:
    named = _environ(environ).get(BY_NAME["warehouse"].variable)
    return Path(named or PROJECT_ROOT / "data" / "warehouse.duckdb").resolve()


def beside_warehouse(warehouse: Path, name: str) -> Path:
    """Where a folder of the warehouse lies unless set: beside the file, so it moves with it."""
    return Path(warehouse).parent / name


def settings_file(environ: Mapping[str, str] | None = None) -> Path:
    named = _environ(environ).get(SETTINGS_FILE_VARIABLE)
    return Path(named) if named else beside_warehouse(warehouse_file(environ), SETTINGS_FILE_NAME)


def parse_month(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text + "-01" if len(text) == 7 else text).replace(day=1)
    except (TypeError, ValueError):
        raise SettingsError(f"{where}: {text!r} is not a month (YYYY-MM)") from None


def parse_vars(text: str, where: str = "--vars") -> dict[str, Any]:
    """dbt's --vars syntax: a YAML (or JSON) mapping, e.g. '{rate_basis: month}'."""
    try:
        parsed = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        raise SettingsError(f"{where}: not a YAML mapping: {exc}") from None
    if not isinstance(parsed, dict):
        raise SettingsError(f"{where}: {text!r} is not a mapping such as '{{rate_basis: month}}'")
    return parsed


def vars_text(dbt_vars: dict[str, Any]) -> str:
    """The vars as one canonical JSON text: dbt's --vars argument and the run's record."""
    return json.dumps(dbt_vars, sort_keys=True, separators=(",", ":"), default=str)


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """The settings: the file at `path` (default: settings_file()), the environment over
    it, the defaults under both. Errors name the file or variable and the setting."""
    environ = _environ(environ)
    path = path or settings_file(environ)
    values: dict[str, Any] = {}
    if path.exists():
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"{path}: {exc}") from None
        known = [s.name for s in SETTINGS if s.in_file] + ["dbt_vars"]
        unknown = set(values) - set(known)
        if unknown:
            raise SettingsError(
                f"{path}: unknown setting(s) {', '.join(sorted(unknown))} "
                f"(known: {', '.join(known)})"
            )
    where = {name: f"{path}: {name}" for name in values}
    for setting in SETTINGS:
        if environ.get(setting.variable):
            values[setting.name] = environ[setting.variable]
            where[setting.name] = setting.variable
    dbt_vars = values.get("dbt_vars", {})
    if not isinstance(dbt_vars, dict):
        raise SettingsError(f"{path}: dbt_vars must be a table ([dbt_vars])")
    warehouse = warehouse_file(environ)

    def folder(name: str, default: Path) -> Path:
        return Path(values[name]).resolve() if values.get(name) else default

    def number(name: str, default: float) -> float:
        try:
            return float(values.get(name, default))
        except (TypeError, ValueError):
            raise SettingsError(f"{where[name]}: {values[name]!r} is not a number") from None

    first = parse_month(
        str(values.get("first_month", DEFAULT_FIRST_MONTH)), where.get("first_month", "")
    )
    last = (
        parse_month(str(values["last_month"]), where["last_month"])
        if values.get("last_month")
        else None
    )
    if last and last < first:
        raise SettingsError(
            f"{path}: last_month {last:%Y-%m} comes before first_month {first:%Y-%m}"
        )
    home = environ.get("DAGSTER_HOME")
    return Settings(
        warehouse=warehouse,
        inbox=folder("inbox", (PROJECT_ROOT / "data" / "inbox").resolve()),
        archive=folder("archive", beside_warehouse(warehouse, "archive")),
        serving=folder("serving", beside_warehouse(warehouse, "serving")),
        reports=folder("reports", beside_warehouse(warehouse, "reports")),
        header_aliases=folder("header_aliases", None) if values.get("header_aliases") else None,
        duckdb_memory_limit=str(values.get("duckdb_memory_limit", DEFAULT_MEMORY_LIMIT)),
        max_snapshot_shrink=number("max_snapshot_shrink", DEFAULT_MAX_SNAPSHOT_SHRINK),
        lock_timeout_seconds=number("lock_timeout_seconds", DEFAULT_LOCK_TIMEOUT_SECONDS),
        first_month=first,
        last_month=last,
        build_cron=str(values.get("build_cron", DEFAULT_BUILD_CRON)),
        timezone=str(values.get("timezone", DEFAULT_TIMEZONE)),
        dbt_vars=dbt_vars,
        source=path if path.exists() else None,
        dagster_home=Path(home) if home else None,
    )


def child_environment(warehouse: Path, inbox: Path, dagster_home: Path) -> dict[str, str]:
    """The environment for an `abc-warehouse` child process on another warehouse (the
    benchmark's): this process's, with that warehouse, inbox and Dagster instance, and
    without folder overrides, so its archive, snapshot and reports lie beside it."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {BY_NAME[f].variable for f in ("archive", "serving", "reports")}
    }
    environment[BY_NAME["warehouse"].variable] = str(warehouse)
    environment[BY_NAME["inbox"].variable] = str(inbox)
    environment["DAGSTER_HOME"] = str(dagster_home)
    return environment


def export_to_dbt(
    warehouse: str | Path, memory_limit: str, profiles_dir: str | Path | None = None
) -> None:
    """dbt runs as a child process and its profile (profiles/profiles.yml) reads the
    warehouse file and memory limit from the environment: set them, here, for the dbt
    started next. The dbt step calls it with its own resource's values. `profiles_dir`:
    where that profile is, for a dbt tool that is not told otherwise (MetricFlow's mf)."""
    os.environ[BY_NAME["warehouse"].variable] = str(warehouse)
    os.environ[BY_NAME["duckdb_memory_limit"].variable] = memory_limit
    if profiles_dir is not None:
        os.environ["DBT_PROFILES_DIR"] = str(profiles_dir)


@functools.cache
def current_settings() -> Settings:
    """The settings this process runs with, read once (Dagster's definitions, the CLI); the
    dbt children it starts see the same warehouse."""
    settings = load_settings()
    export_to_dbt(settings.warehouse, settings.duckdb_memory_limit)
    return settings


def settings_text(**settings: str) -> str:
    """A settings file with these settings (abc-warehouse demo writes the demo's)."""
    lines = ["# Settings of this warehouse (README: The settings file)."]
    lines += [f'{name} = "{value}"' for name, value in settings.items()]
    return "\n".join(lines) + "\n"
