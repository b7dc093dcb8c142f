"""Every input gets an answer: inboxes that differ from the demo's, and files that are bad
in ways the loader must report for that file alone while the others load."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from demo.generator import generate
from ingestion.loader import identify_extract
from tests.conftest import SUPPLIER_SIDE, query

pytestmark = pytest.mark.pipeline


def run_cli(args: list[str], home: Path) -> tuple[int, str]:
    from tests.test_operations import start_cli

    proc = start_cli(args, home)
    out, _ = proc.communicate(timeout=900)
    return proc.returncode, out


def one_sided_inbox(inbox: Path, side: str) -> None:
    """The demo's inbox with the other side's extracts left out."""
    generate(inbox, billing_lines=600)
    for path in list(inbox.iterdir()):
        if (identify_extract(path).name in SUPPLIER_SIDE) == (side == "customer"):
            path.unlink()


def assert_one_sided(env: dict[str, Path], out: str, side: str) -> None:
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


def test_a_supplier_only_inbox_runs_end_to_end(env, tmp_path, monkeypatch, dbt_manifest):
    """(The customer-only inbox is the next test's, with bad files beside it.) The run is
    told where the warehouse is and nothing else: its archive, lock, serving snapshot and
    reports lie beside it, in a folder of their own."""
    from tests.test_operations import dagster_home

    one_sided_inbox(env["inbox"], "supplier")
    moved = tmp_path / "elsewhere" / "company.duckdb"
    monkeypatch.setenv("ABC_WAREHOUSE_PATH", str(moved))
    for variable in ("ABC_ARCHIVE_DIR", "ABC_SERVING_DIR", "ABC_REPORT_DIR"):
        monkeypatch.delenv(variable, raising=False)
    code, out = run_cli(["run"], dagster_home(tmp_path))
    assert code == 0, out[-3000:]
    beside = moved.parent
    expected = {"archive", "company.duckdb", "company.duckdb.lock", "reports", "serving"}
    names = {p.name for p in beside.iterdir()}
    assert expected <= names, names
    assert all(n in expected or n.startswith("company.duckdb.") for n in names), names
    assert (beside / "reports" / "capability.html").exists()
    assert any((beside / "archive").iterdir())  # the originals, by hash
    assert not (env["warehouse"].parent / "archive").exists()  # nothing where it was
    assert_one_sided({**env, "warehouse": moved}, out, "supplier")


def test_bad_files_are_each_reported_while_the_others_load(env, tmp_path, dbt_manifest):
    """A customer-only inbox with a bad file of each kind beside it: one run reports each
    with its reason, loads the rest, builds the customer side (the supplier side reported
    absent, not failed), publishes and exits 3 (loaded with refusals). The run is given
    dbt vars (`--vars`, over the settings file's): dbt builds with them, and the run and
    the snapshot it publishes record them and the version. One whole run for all three,
    as each costs a minute of the suite."""
    import dagster as dg

    from orchestration.selection import VERSION_TAG, package_version
    from orchestration.settings import DBT_VARS_TAG
    from serving.publish import SNAPSHOT_FILE
    from tests.conftest import BILLING_HEADER, billing_line
    from tests.test_operations import dagster_home

    inbox = env["inbox"]
    one_sided_inbox(inbox, "customer")
    (inbox / "VBRP_2011-06.csv").write_bytes(b"")
    (inbox / "VBRP_2011-07.csv").write_bytes(bytes(range(256)) * 64)
    (inbox / "VBRP_2011-08.csv").write_text(
        BILLING_HEADER.replace(";NETWR", "") + "\n" + billing_line(fkdat="20110801") + "\n"
    )
    (inbox / "VBRP_2011-09.csv").write_text(BILLING_HEADER + "\n")
    (inbox / "VBRP_2011-10.csv").write_text(BILLING_HEADER + "\n" + "x" * 10_500_000 + "\n")
    (inbox / "customer_visits_2010.csv").write_text("KUNNR;DATE\n10001;20100101\n")
    (inbox / "VBRP_2011-12.csv").symlink_to(tmp_path / "gone.csv")
    home = dagster_home(tmp_path)
    code, out = run_cli(["run", "--vars", "{rate_rounding_decimals: 2}"], home)
    assert code == 3, out[-4000:]
    refusals = out[out.index("file(s) not loaded") :]
    for expected in (
        "VBRP_2011-06.csv: no header line naming the fields of extract billing_lines",
        "VBRP_2011-07.csv: no header line naming the fields of extract billing_lines",
        "VBRP_2011-08.csv, line 1: header lacks the required field(s) NETWR",
        "VBRP_2011-09.csv: no data line after the header (line 1)",
        "VBRP_2011-10.csv: a line is longer than 10,000,000 characters",
        "customer_visits_2010.csv: the file name starts with no extract's name",
        "VBRP_2011-12.csv: a symbolic link to",
    ):
        assert expected in refusals, expected
    assert "Traceback" not in out
    assert "Volvo Truck" in out  # the summary of what loaded and built
    this_run = out[out.index("This run took in") :]
    assert "VBRP_2010-01.csv" in this_run
    assert re.search(r"VBRP_2011-09\.csv\s+refused\s+1\s+0\s+0", this_run)
    assert query(env["warehouse"], "select count(distinct _period) from raw.billing_lines") == [
        (12,)
    ]
    assert_one_sided(env, out, "customer")

    rounded = '{"rate_rounding_decimals":2}'
    with dg.DagsterInstance.from_config(str(home)) as instance:
        (run,) = instance.get_runs()
    assert (run.tags[DBT_VARS_TAG], run.tags[VERSION_TAG]) == (rounded, package_version())
    snapshot = env["warehouse"].parent / "serving" / SNAPSHOT_FILE
    assert query(
        snapshot, "select abc_warehouse_version, dbt_vars::varchar from meta.snapshot_run"
    ) == [(package_version(), rounded)]
    # Built with them: the rates per minute rounded to the øre (the invoicing rate is
    # 7.5059... unrounded, as in the demo).
    assert query(
        snapshot,
        """select applied_rate_per_minute from marts.fct_activity_rates
        where period_type = 'year' and activity_id = 'invoicing'""",
    ) == [(7.51,)]
