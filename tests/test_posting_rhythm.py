"""Costs and capacity on the same basis, whatever the posting rhythm.

The demo's department costs are posted monthly. A controller often books them otherwise:
per quarter, once a year in period 12, or in a year-end special period (13-16). The
year's rate is the year's pool over the capacity of the months the pool covers, so every
rhythm gives the reference company's 450.35 NOK/h for the order office. Under
rate_basis 'month', a department without monthly postings stops the build with a
message naming its months."""

from __future__ import annotations

import pytest

from demo.generator import generate
from ingestion.batches import remove_batch
from ingestion.specs import SPECS
from ingestion.warehouse import connect
from tests.conftest import load_extract, load_file, query, run_dbt, write_extract

pytestmark = pytest.mark.pipeline

ORDER_OFFICE = "4100"
RATES = ["build", "--select", "+int_activity_rates", "--exclude-resource-type", "unit_test"]
YEAR_RATE = """
    select rate_per_hour, capacity_hours, pool_cost from intermediate.int_activity_rates
    where cost_centre = ? and period_type = 'year'"""


@pytest.fixture(scope="module")
def warehouse(module_env, dbt_manifest):
    generate(module_env["inbox"], billing_lines=1000)
    with connect(module_env["warehouse"]) as con:
        for spec in SPECS.values():
            load_extract(con, spec, module_env["inbox"])
    monthly = query(
        module_env["warehouse"],
        "select kostl, kstar, perio, wkgbtr, twaer from raw.cost_centre_actuals order by 1, 2, 3",
    )
    return module_env, monthly


def repost(env, monthly, name: str, period_of) -> None:
    """The year's costs again, each month's amount posted in period_of(month)."""
    totals: dict[tuple, float] = {}
    for kostl, kstar, perio, amount, currency in monthly:
        key = (kostl, kstar, period_of(perio), currency)
        totals[key] = totals.get(key, 0) + amount
    lines = ["KOSTL;KSTAR;GJAHR;PERIO;WKGBTR;TWAER"] + [
        f"{kostl};{kstar};2010;{perio:03d};{str(amount).replace('.', ',')};{currency}"
        for (kostl, kstar, perio, currency), amount in sorted(totals.items())
    ]
    with connect(env["warehouse"]) as con:
        held = con.execute("select distinct _load_id from raw.cost_centre_actuals").fetchall()
        for (load_id,) in held:
            remove_batch(con, load_id)
        assert load_file(con, write_extract(env["inbox"], name, lines)).status == "loaded"


@pytest.mark.parametrize(
    ("rhythm", "period_of"),
    [
        ("monthly", lambda perio: perio),
        ("quarterly", lambda perio: (perio + 2) // 3 * 3),
        ("annual", lambda perio: 12),
        ("special_period", lambda perio: 16),
    ],
)
def test_every_posting_rhythm_gives_the_reference_rate(warehouse, rhythm, period_of):
    env, monthly = warehouse
    repost(env, monthly, f"COSP_2010_{rhythm}.csv", period_of)
    assert run_dbt(RATES).returncode == 0
    rate, capacity, pool = query(env["warehouse"], YEAR_RATE, [ORDER_OFFICE])[0]
    assert rate == pytest.approx(450.35, abs=0.005)
    assert float(pool) == pytest.approx(2_290_054, abs=1)
    assert capacity == pytest.approx(5_085, abs=0.5)


def test_rate_basis_month_without_monthly_postings_names_the_department(warehouse):
    env, monthly = warehouse
    repost(env, monthly, "COSP_2010_yearly.csv", lambda perio: 12)
    result = run_dbt([*RATES, "--vars", "{rate_basis: month}"])
    assert result.returncode != 0
    output = " ".join(result.stdout.split())
    assert "rate_basis month applies each month's own rate, but Development has costs" in output
    assert (
        "; Order office has costs posted in 2010-12 and none in 2010-01, 2010-02, 2010-03, "
        "2010-04, 2010-05, 2010-06, 2010-07, 2010-08, 2010-09, 2010-10, 2010-11;" in output
    )
    assert "set the dbt var rate_basis: year" in output
