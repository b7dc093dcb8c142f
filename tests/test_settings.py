"""The settings file beside the warehouse: what it sets, what overrides it, and what a
bad one says."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

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
        "(known: first_month, last_month, build_cron, timezone, dbt_vars)"
    )
    assert "Traceback" not in done.stdout + done.stderr
