"""Whole-file behaviour of the loader: quarantine, reconciliation, idempotency, period
replacement, and atomicity under a real SIGKILL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from demo.generator import BROKEN_BILLING_LINES, generate
from ingestion.specs import SPECS
from ingestion.validation import gx_expectations
from ingestion.warehouse import connect, ensure_all
from tests.conftest import (
    BILLING_HEADER,
    PROJECT_ROOT,
    SUPPLIER_SIDE,
    big_billing_file,
    billing_line,
    kill_inside_the_load,
    load_extract,
    load_file,
    query,
    raw_fingerprint,
    write_extract,
)


def test_five_broken_lines_are_quarantined_with_their_field(env):
    good = [billing_line(vbeln=str(90000000 + i), fkdat="20100615") for i in range(1, 21)]
    path = write_extract(
        env["inbox"],
        "VBRP_2010-06.csv",
        [BILLING_HEADER, *good[:10], *BROKEN_BILLING_LINES, *good[10:]],
    )
    with connect(env["warehouse"]) as con:
        result = load_file(con, path)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_skipped) == (
        26,
        20,
        5,
        1,
    )
    assert result.reconciles
    rows = query(env["warehouse"], "select line_no, reason from raw._quarantine order by line_no")
    assert rows == [
        (12, "FKDAT: invalid date '20100631'"),
        (13, "NETWR: not a number '1OO,00'"),
        (14, "KUNAG: required field is empty"),
        (15, "FKDAT: date '21000615' outside the years 1950-2099"),
        (16, "short line: 6 fields, the header has 16"),
    ]
    raw_lines = query(env["warehouse"], "select raw_line from raw._quarantine order by line_no")
    assert [r[0] for r in raw_lines] == list(BROKEN_BILLING_LINES)


@pytest.fixture(scope="module")
def demo_inbox(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("demo") / "inbox", billing_lines=3000)


def load_all(warehouse: Path, inbox: Path) -> list:
    with connect(warehouse) as con:
        return [load_extract(con, spec, inbox) for spec in SPECS.values()]


@pytest.mark.pipeline
def test_every_demo_file_reconciles(env, demo_inbox):
    runs = load_all(env["warehouse"], demo_inbox)
    loads = [r for run in runs for r in run.loads]
    assert len(loads) == len(list(demo_inbox.iterdir()))
    assert not any(run.failures for run in runs)
    for r in loads:
        assert r.rows_read == r.rows_loaded + r.rows_quarantined + r.rows_skipped, r.file_name
    log = query(
        env["warehouse"],
        """
        select count(*) from raw._load_log
        where rows_read <> rows_loaded + rows_quarantined + rows_skipped""",
    )
    assert log == [(0,)]


@pytest.mark.pipeline
def test_loading_the_demo_inbox_twice_changes_nothing(env, demo_inbox):
    load_all(env["warehouse"], demo_inbox)
    before = raw_fingerprint(env["warehouse"])
    quarantined = query(env["warehouse"], "select count(*) from raw._quarantine")
    second = load_all(env["warehouse"], demo_inbox)
    assert raw_fingerprint(env["warehouse"]) == before
    assert query(env["warehouse"], "select count(*) from raw._quarantine") == quarantined
    # Untouched files are skipped without a load-log row: the log does not grow per run.
    assert [r for run in second for r in run.loads] == []
    n_files = len(list(demo_inbox.iterdir()))
    assert sum(len(run.unchanged) for run in second) == n_files
    counts = query(
        env["warehouse"], "select status, count(*) from raw._load_log group by 1 order by 1"
    )
    assert counts == [("loaded", n_files)]


def test_an_untouched_file_is_known_without_reading_and_any_rewrite_is_read(env):
    """A file left as it was taken in is known by its size, time, inode and change time,
    without reading it. A rewrite that puts back the size and modification time (cp -p,
    rsync -t, unzip) still changes the change time, so it is read, hashed and loaded."""
    from ingestion.loader import is_unchanged

    march = [billing_line(vbeln=str(i), fkdat="20100315", netwr="100,00") for i in (1, 2, 3)]
    path = write_extract(env["inbox"], "VBRP_2010-03.csv", [BILLING_HEADER, *march])
    assert not is_unchanged(path, env["archive"])
    with connect(env["warehouse"]) as con:
        first = load_file(con, path)
        assert first.status == "loaded" and is_unchanged(path, env["archive"])
        again = load_file(con, path)
        assert (again.status, again.message) == (
            "already_loaded",
            "unchanged in the inbox since it was taken in",
        )
        stat = path.stat()

        # Touched, same content: read again, and known by its hash.
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        assert not is_unchanged(path, env["archive"])
        touched = load_file(con, path)
        assert touched.status == "already_loaded"
        assert touched.message == f"same content as load {first.load_id}"

        # Rewritten in place with the same size, its time put back: read and loaded.
        same_size = path.read_text().replace("100,00", "900,00")
        path.write_text(same_size)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert path.stat().st_size == stat.st_size and not is_unchanged(path, env["archive"])
        corrected = load_file(con, path)
        assert (corrected.status, corrected.rows_replaced) == ("loaded", 3)
    assert query(env["warehouse"], "select sum(netwr) from raw.billing_lines")[0][0] == 2700


def test_corrected_file_replaces_its_period_only(env):
    march = [billing_line(vbeln=str(i), fkdat="20100315", netwr="100,00") for i in (1, 2, 3)]
    april = [billing_line(vbeln="9", fkdat="20100401", netwr="50,00")]
    with connect(env["warehouse"]) as con:
        load_file(con, write_extract(env["inbox"], "VBRP_2010-03.csv", [BILLING_HEADER, *march]))
        load_file(con, write_extract(env["inbox"], "VBRP_2010-04.csv", [BILLING_HEADER, *april]))
        corrected = [
            billing_line(vbeln="1", fkdat="20100315", netwr="120,00"),
            billing_line(vbeln="2", fkdat="20100316", netwr="80,00"),
        ]
        path = write_extract(
            env["inbox"], "VBRP_2010-03_corrected.csv", [BILLING_HEADER, *corrected]
        )
        result = load_file(con, path)
    assert result.rows_replaced == 3
    rows = query(
        env["warehouse"],
        """
        select _period, count(*), sum(netwr) from raw.billing_lines group by 1 order by 1""",
    )
    assert [(str(p), n, float(s)) for p, n, s in rows] == [
        ("2010-03-01", 2, 200.0),
        ("2010-04-01", 1, 50.0),
    ]


def test_new_master_data_snapshot_replaces_the_old(env):
    with connect(env["warehouse"]) as con:
        load_file(
            con,
            write_extract(env["inbox"], "KNA1_a.csv", ["KUNNR;NAME1;KDGRP", "1;A;AN", "2;B;AN"]),
        )
        load_file(
            con,
            write_extract(env["inbox"], "KNA1_b.csv", ["KUNNR;NAME1;KDGRP", "1;A2;AN", "3;C;AN"]),
        )
    assert query(env["warehouse"], "select kunnr, name1 from raw.customers order by 1") == [
        ("1", "A2"),
        ("3", "C"),
    ]


@pytest.mark.pipeline
def test_sigkill_mid_load_leaves_the_warehouse_as_before(env):
    with connect(env["warehouse"]) as con:
        ensure_all(con, list(SPECS.values()))
        load_file(
            con,
            write_extract(
                env["inbox"], "VBRP_2010-02.csv", [BILLING_HEADER, billing_line(fkdat="20100210")]
            ),
        )
    before = raw_fingerprint(env["warehouse"])
    big = env["inbox"] / "VBRP_2010-03.csv"
    big_billing_file(big, 600_000)
    code = (
        "import sys; from pathlib import Path; from ingestion.warehouse import connect; "
        "from ingestion.loader import load_file; "
        "w = Path(sys.argv[2]); load_file(connect(w), Path(sys.argv[1]), "
        "archive=w.parent / 'archive', max_snapshot_shrink=0.2)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(big), str(env["warehouse"])],
        cwd=PROJECT_ROOT,
        env=os.environ.copy(),
    )
    kill_inside_the_load(proc, big, env["archive"])

    # The warehouse opens, holds exactly what it held, and knows nothing of the killed load.
    assert raw_fingerprint(env["warehouse"]) == before
    assert query(
        env["warehouse"],
        "select count(*) from raw._load_log where file_name = ?",
        ["VBRP_2010-03.csv"],
    ) == [(0,)]
    # The next load completes and equals a clean load.
    with connect(env["warehouse"]) as con:
        result = load_file(con, big)
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 600_000, 0)
    assert query(env["warehouse"], "select count(*), sum(netwr) from raw.billing_lines") == [
        (600_001, 600_001_000)
    ]


@pytest.mark.pipeline
def test_supplier_extracts_load_through_the_same_loader(env, demo_inbox):
    runs = {run.spec.name: run for run in load_all(env["warehouse"], demo_inbox)}
    for name in SUPPLIER_SIDE:
        run = runs[name]
        assert len(run.loaded) == 1 and not run.failures, name
        assert run.loaded[0].rows_loaded > 0 and run.loaded[0].reconciles
    # A receipt and its reversal: the pair is in the raw table with its movement types.
    pairs = query(
        env["warehouse"],
        """
        select count(*) from raw.goods_receipts r join raw.goods_receipts v
        on v.ebeln = r.ebeln and v.bwart = '102' and r.bwart = '101' and v.menge = r.menge""",
    )
    assert pairs[0][0] >= 1
    one_sided = query(
        env["warehouse"],
        """
        select count(distinct lifnr) from raw.inspection_results
        where toleranzun is null and toleranzob is not null""",
    )
    assert one_sided == [(1,)]


LOAD_IN_A_FRESH_PROCESS = """
import json, sys
from pathlib import Path
import orchestration.definitions  # what a Dagster run imports
from ingestion.inbox import load_extract
from ingestion.specs import SPECS
from ingestion.warehouse import connect
before = "great_expectations" in sys.modules
warehouse = Path(sys.argv[1])
with connect(warehouse) as con:
    run = load_extract(con, SPECS["billing_lines"], Path(sys.argv[2]),
                       archive=warehouse.parent / "archive", max_snapshot_shrink=0.2)
print(json.dumps({
    "imported_before_loading": before,
    "imported_after_loading": "great_expectations" in sys.modules,
    "statuses": [r.status for r in run.loads],
    "validated": {name: len(outcomes) for name, outcomes in run.validations.items()},
}))
"""


@pytest.mark.pipeline
def test_great_expectations_is_imported_only_to_validate_a_new_file(env, dbt_manifest):
    def load_in_a_fresh_process() -> dict:
        out = subprocess.run(
            [sys.executable, "-c", LOAD_IN_A_FRESH_PROCESS, env["warehouse"], env["inbox"]],
            cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return json.loads(out.stdout.splitlines()[-1])

    lines = [
        BILLING_HEADER,
        *(billing_line(vbeln=str(90000000 + i), fkdat="20100615") for i in range(1, 6)),
    ]
    write_extract(env["inbox"], "VBRP_2010-06.csv", lines)
    expectations = len(gx_expectations(SPECS["billing_lines"]))
    first = load_in_a_fresh_process()
    assert first == {
        "imported_before_loading": False,
        "imported_after_loading": True,
        "statuses": ["loaded"],
        "validated": {"VBRP_2010-06.csv": expectations},
    }
    # The file again: nothing to validate, and 4 s of imports not paid.
    again = load_in_a_fresh_process()
    assert again == {
        "imported_before_loading": False,
        "imported_after_loading": False,
        "statuses": [],  # untouched since it was loaded: skipped, not even logged
        "validated": {},
    }
