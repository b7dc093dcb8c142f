"""The settings file beside the warehouse: what it sets, what overrides it, and what a
bad one says."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from orchestration.settings import SettingsError, load_settings, parse_vars, vars_text
from tests.conftest import PROJECT_ROOT


def test_the_file_sets_and_the_environment_overrides(tmp_path, monkeypatch):
    path = tmp_path / "abc-warehouse.toml"
    path.write_text(
        'first_month = "2010-01"\nlast_month = "2010-12"\n[dbt_vars]\nrate_basis = "month"\n'
    )
    monkeypatch.delenv("ABC_FIRST_MONTH", raising=False)
    monkeypatch.delenv("ABC_LAST_MONTH", raising=False)
    settings = load_settings(path)
    assert (settings.first_month, settings.last_month) == (date(2010, 1, 1), date(2010, 12, 1))
    assert settings.dbt_vars == {"rate_basis": "month"} and settings.source == path
    # No file: the defaults.
    assert load_settings(tmp_path / "none.toml").first_month == date(2000, 1, 1)
    monkeypatch.setenv("ABC_FIRST_MONTH", "2009-07")
    assert load_settings(path).first_month == date(2009, 7, 1)


@pytest.mark.parametrize(
    "text, says",
    [
        ("first_month = 2010-01\n", "abc-warehouse.toml:"),  # not a string: TOML's error
        ('first_mnth = "2010-01"\n', "unknown setting(s) first_mnth"),
        ('first_month = "2010-13"\n', "first_month: '2010-13' is not a month"),
        ('dbt_vars = "rate_basis: month"\n', "dbt_vars must be a table"),
        ('first_month = "2010-06"\nlast_month = "2010-05"\n', "last_month 2010-05 comes before"),
    ],
)
def test_a_bad_settings_file_is_named_with_what_is_wrong(tmp_path, text, says):
    path = tmp_path / "abc-warehouse.toml"
    path.write_text(text)
    with pytest.raises(SettingsError) as raised:
        load_settings(path)
    assert says in str(raised.value)


def test_vars_are_a_mapping_in_one_canonical_text():
    assert vars_text(parse_vars("{rate_basis: month, rate_rounding_decimals: 2}")) == (
        '{"rate_basis":"month","rate_rounding_decimals":2}'
    )
    with pytest.raises(SettingsError, match="is not a mapping"):
        parse_vars("[1, 2]")


def test_the_cli_names_a_bad_settings_file_in_one_line_and_exits_2(tmp_path):
    path = tmp_path / "abc-warehouse.toml"
    path.write_text('first_mnth = "2010-01"\n')
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "ABC_SETTINGS_FILE": str(path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert (
        done.stderr.strip() == f"abc-warehouse: {path}: unknown setting(s) first_mnth "
        "(known: inbox, archive, serving, reports, header_aliases, duckdb_memory_limit, "
        "max_snapshot_shrink, lock_timeout_seconds, first_month, last_month, build_cron, "
        "timezone, dbt_vars)"
    )
    assert "Traceback" not in done.stdout + done.stderr


def test_the_warehouse_setting_moves_what_lies_beside_it(tmp_path):
    """One setting moves the warehouse, and its archive, snapshot, reports, settings file
    and lock with it; a folder set on its own stays where it was set. A resource made
    with another path moves the same folders (tests and tools make their own)."""
    from ingestion.warehouse import lock_path
    from orchestration.resources import WarehouseResource
    from orchestration.settings import settings_file

    moved = tmp_path / "elsewhere" / "company.duckdb"
    environ = {"ABC_WAREHOUSE_PATH": str(moved), "ABC_SETTINGS_FILE": ""}
    settings = load_settings(environ=environ)
    beside = moved.parent
    assert settings.warehouse == moved
    assert (settings.archive, settings.serving, settings.reports) == (
        beside / "archive",
        beside / "serving",
        beside / "reports",
    )
    assert settings_file(environ) == beside / "abc-warehouse.toml"
    assert lock_path(settings.warehouse) == beside / "company.duckdb.lock"
    resource = WarehouseResource.from_settings(settings)
    assert (resource.archive_dir, resource.serving_dir, resource.report_dir) == (
        beside / "archive",
        beside / "serving",
        beside / "reports",
    )
    bare = WarehouseResource(path=str(tmp_path / "other.duckdb"), inbox=str(tmp_path))
    assert bare.report_dir == tmp_path / "reports" and bare.archive_dir == tmp_path / "archive"
    kept = load_settings(environ={**environ, "ABC_REPORT_DIR": str(tmp_path / "pages")})
    assert kept.reports == tmp_path / "pages" and kept.archive == beside / "archive"


def test_settings_file_values_are_typed_and_named_when_wrong(tmp_path):
    path = tmp_path / "abc-warehouse.toml"
    path.write_text('max_snapshot_shrink = 0.5\nduckdb_memory_limit = "1GB"\n')
    settings = load_settings(path, environ={})
    assert (settings.max_snapshot_shrink, settings.duckdb_memory_limit) == (0.5, "1GB")
    with pytest.raises(SettingsError, match="ABC_LOCK_TIMEOUT_SECONDS: 'soon' is not a number"):
        load_settings(path, environ={"ABC_LOCK_TIMEOUT_SECONDS": "soon"})


def test_readme_lists_every_setting_with_its_variable_and_default():
    """README's Settings table is the settings module's list, row for row."""
    from orchestration.settings import SETTINGS

    readme = (PROJECT_ROOT / "README.md").read_text()
    rows = {}
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 4:
            rows[cells[0]] = cells[1:3]
    for setting in SETTINGS:
        assert rows.get(f"`{setting.name}`") == [f"`{setting.variable}`", setting.default], (
            setting.name
        )


def test_nothing_outside_the_settings_module_reads_the_environment_or_dagster_internals():
    offenders = []
    for path in PROJECT_ROOT.rglob("*.py"):
        relative = path.relative_to(PROJECT_ROOT)
        if relative.parts[0] in {".venv", "tests", "dbt_project"} or relative == Path(
            "orchestration/settings.py"
        ):
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("os.environ", "getenv(", "dagster._"):
            if needle in text:
                offenders.append(f"{relative}: {needle}")
    assert offenders == []
