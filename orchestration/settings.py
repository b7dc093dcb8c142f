"""The settings of one warehouse that the orchestration owns: read once, here, from the
environment and the settings file, and handed to what needs them.

The settings file is `abc-warehouse.toml` beside the warehouse file (ABC_SETTINGS_FILE
names another), so a warehouse's settings move with it; `abc-warehouse demo` writes one
for the demo's data. An environment variable overrides the file; the file overrides the
default. README ("Settings") lists every setting.

    first_month = "2010-01"        # the first monthly partition   (ABC_FIRST_MONTH)
    last_month = "2010-12"         # the last one (default: twelve months from now, for
                                   # open purchase order lines)    (ABC_LAST_MONTH)
    build_cron = "0 6 1 * *"       # the month-close build         (ABC_BUILD_CRON)
    timezone = "Europe/Oslo"       # the schedule's time zone      (ABC_TIMEZONE)

    [dbt_vars]                     # dbt variables of every build (dbt_project.yml's
    rate_basis = "month"           # vars otherwise); `run --vars` overrides per run
"""

from __future__ import annotations

import functools
import json
import os
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ingestion import warehouse

SETTINGS_FILE_NAME = "abc-warehouse.toml"
# The run tag recording the dbt vars a build used (settings file and `run --vars` merged).
DBT_VARS_TAG = "abc/dbt_vars"
# Monthly partitions from here unless the settings say otherwise: old enough for any
# SAP history a company still extracts.
DEFAULT_FIRST_MONTH = "2000-01"
DEFAULT_BUILD_CRON = "0 6 1 * *"  # the 1st at 06:00, once the month's extracts are in
DEFAULT_TIMEZONE = "Europe/Oslo"
# setting -> environment variable that overrides it
ENVIRONMENT = {
    "first_month": "ABC_FIRST_MONTH",
    "last_month": "ABC_LAST_MONTH",
    "build_cron": "ABC_BUILD_CRON",
    "timezone": "ABC_TIMEZONE",
}


class SettingsError(ValueError):
    """A settings file or value that cannot be used; the message names it."""


@dataclass(frozen=True)
class Settings:
    first_month: date
    last_month: date | None = None
    build_cron: str = DEFAULT_BUILD_CRON
    timezone: str = DEFAULT_TIMEZONE
    dbt_vars: dict[str, Any] = field(default_factory=dict)
    source: Path | None = None  # the settings file read, if there was one


def settings_file() -> Path:
    named = os.environ.get("ABC_SETTINGS_FILE")
    return Path(named) if named else warehouse.warehouse_path().parent / SETTINGS_FILE_NAME


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


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_file()
    values: dict[str, Any] = {}
    if path.exists():
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"{path}: {exc}") from None
        unknown = set(values) - {*ENVIRONMENT, "dbt_vars"}
        if unknown:
            raise SettingsError(
                f"{path}: unknown setting(s) {', '.join(sorted(unknown))} "
                f"(known: {', '.join([*ENVIRONMENT, 'dbt_vars'])})"
            )
    for name, variable in ENVIRONMENT.items():
        if os.environ.get(variable):
            values[name] = os.environ[variable]
    dbt_vars = values.get("dbt_vars", {})
    if not isinstance(dbt_vars, dict):
        raise SettingsError(f"{path}: dbt_vars must be a table ([dbt_vars])")
    # Named with the file, or the variable, that set them.
    first = parse_month(str(values.get("first_month", DEFAULT_FIRST_MONTH)), f"{path}: first_month")
    last = (
        parse_month(str(values["last_month"]), f"{path}: last_month")
        if values.get("last_month")
        else None
    )
    if last and last < first:
        raise SettingsError(
            f"{path}: last_month {last:%Y-%m} comes before first_month {first:%Y-%m}"
        )
    return Settings(
        first_month=first,
        last_month=last,
        build_cron=str(values.get("build_cron", DEFAULT_BUILD_CRON)),
        timezone=str(values.get("timezone", DEFAULT_TIMEZONE)),
        dbt_vars=dbt_vars,
        source=path if path.exists() else None,
    )


@functools.cache
def current_settings() -> Settings:
    """The settings this process runs with, read once (Dagster's definitions, the CLI)."""
    return load_settings()


def settings_text(**settings: str) -> str:
    """A settings file with these settings (abc-warehouse demo writes the demo's)."""
    lines = ["# Settings of this warehouse (README: The settings file)."]
    lines += [f'{name} = "{value}"' for name, value in settings.items()]
    return "\n".join(lines) + "\n"
