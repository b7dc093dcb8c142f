"""dbt's unit tests: the costing and strategy logic on the worked numbers of the method
(models/**/*_unit_tests.yml). The production build leaves them out (dbt's own advice),
so this is where they run, in the fast tier."""

from __future__ import annotations

import json
import re

import pytest

from ingestion.specs import SPECS
from ingestion.warehouse import connect, ensure_all
from tests.conftest import run_dbt


@pytest.fixture(scope="module")
def empty_models(module_env, dbt_manifest):
    """Every raw table and model built with no rows (dbt's --empty): unit tests read the
    columns of their inputs from the warehouse, never the rows."""
    with connect(module_env["warehouse"]) as con:
        ensure_all(con, list(SPECS.values()))
    built = run_dbt(
        ["build", "--empty", "--exclude-resource-type", "test", "--exclude-resource-type",
         "unit_test"]
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-3000:]
    return dbt_manifest


def test_dbt_unit_tests_pass(empty_models):
    expected = len(json.loads(empty_models.read_text())["unit_tests"])
    assert expected >= 13
    result = run_dbt(["test", "--select", "test_type:unit"])
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(rf"PASS={expected}\b.*ERROR=0", result.stdout)
