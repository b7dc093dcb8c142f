"""Every input gets an answer: inboxes that differ from the demo's, and files that are bad
in ways the loader must report for that file alone while the others load."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from demo.generator import generate
from ingestion.loader import identify_extract
from tests.conftest import query

SUPPLIER_SIDE = {
    "purchase_order_lines",
    "goods_receipts",
    "supplier_invoices",
    "inspection_results",
    "suppliers",
    "scorecard_ratings",
}


def run_cli(args: list[str], home: Path) -> tuple[int, str]:
    from tests.test_operations import start_cli

    proc = start_cli(args, home)
    out, _ = proc.communicate(timeout=900)
    return proc.returncode, out


@pytest.mark.parametrize("side", ["customer", "supplier"])
def test_a_one_sided_inbox_runs_end_to_end(env, tmp_path, dbt_manifest, side):
    from tests.test_operations import dagster_home

    generate(env["inbox"], billing_lines=600)
    for path in list(env["inbox"].iterdir()):
        if (identify_extract(path).name in SUPPLIER_SIDE) == (side == "customer"):
            path.unlink()
    code, out = run_cli(["run"], dagster_home(tmp_path))
    assert code == 0, out[-3000:]
    serving = env["warehouse"].parent / "serving" / "abc_warehouse.duckdb"
    with duckdb.connect(str(serving), read_only=True) as con:
        profitability = con.execute(
            "select count(*) from marts.fct_customer_profitability"
        ).fetchall()[0][0]
        suppliers = con.execute("select count(*) from marts.fct_supplier_scorecard").fetchall()
        capability = con.execute("select count(*) from analytics.supplier_capability").fetchall()
    if side == "customer":
        assert profitability > 0 and capability == [(0,)]
        assert "No supplier extracts loaded: no supplier scorecard or capability" in out
        assert "Volvo Truck" in out
    else:
        assert profitability == 0 and suppliers[0][0] > 0 and capability[0][0] > 0
        assert "No billing lines loaded: no revenue, customer P&L or cost-to-serve" in out
        assert "The 10 best suppliers" in out
    # Every raw table exists, the absent side's empty.
    absent = SUPPLIER_SIDE if side == "customer" else {"billing_lines", "customers"}
    for table in absent:
        assert query(env["warehouse"], f"select count(*) from raw.{table}") == [(0,)]
