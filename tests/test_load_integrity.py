"""Nothing lost, nothing wrong loaded: inputs the demo never makes.

Each test builds a file shaped like a defect seen with real extracts and asserts what
lands, what is refused with which message, and that nothing already loaded changed
(row counts and sums per raw table before and after)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ingestion.errors import ExtractError
from ingestion.specs import SPECS
from ingestion.warehouse import connect, ensure_all
from tests.conftest import (
    BILLING_HEADER,
    billing_line,
    load_extract,
    load_file,
    query,
    raw_fingerprint,
    write_extract,
)

CUSTOMER_HEADER = "KUNNR;NAME1;LAND1;KDGRP;KTEXT;INCO1"
COSTS_HEADER = "KOSTL;KSTAR;GJAHR;PERIO;WKGBTR;TWAER"


def customers(n: int) -> list[str]:
    return [f"{10000 + i};Customer {i};NO;AN;Anlegg;FCA" for i in range(n)]


def load(env, name: str, lines: list[str], **kwargs):
    path = write_extract(env["inbox"], name, lines, **kwargs)
    with connect(env["warehouse"]) as con:
        return load_file(con, path)


def refused(env, name: str, lines: list[str] | None = None, data: bytes | None = None) -> str:
    """Load a file that must be refused; its message, after checking nothing changed."""
    with connect(env["warehouse"]) as con:
        ensure_all(con, list(SPECS.values()))
    before = raw_fingerprint(env["warehouse"])
    path = env["inbox"] / name
    if data is not None:
        path.write_bytes(data)
    else:
        write_extract(env["inbox"], name, lines)
    with connect(env["warehouse"]) as con, pytest.raises(ExtractError) as caught:
        load_file(con, path)
    assert raw_fingerprint(env["warehouse"]) == before
    status = query(
        env["warehouse"],
        "select status from raw._load_log where file_name = ? order by started_at desc limit 1",
        [name],
    )
    assert status[0][0] in ("refused", "failed")
    return str(caught.value)


def quarantined(env) -> list[tuple[int, str]]:
    return query(env["warehouse"], "select line_no, reason from raw._quarantine order by 1")


@pytest.fixture
def april(env):
    """April 2010 loaded: three lines, 600.00 NOK."""
    lines = [billing_line(vbeln=str(i), fkdat="20100412", netwr="200,00") for i in (1, 2, 3)]
    result = load(env, "VBRP_2010-04.csv", [BILLING_HEADER, *lines])
    assert result.status == "loaded"
    return result


def april_rows(env) -> list[tuple]:
    return query(
        env["warehouse"],
        "select count(*), sum(netwr) from raw.billing_lines where _period = '2010-04-01'",
    )


# --- refused before anything is replaced ---------------------------------------------


def test_a_file_named_for_another_month_is_refused_and_changes_nothing(env, april):
    wrong = [billing_line(vbeln=str(i), fkdat="20100420", netwr="1,00") for i in (7, 8, 9)]
    message = refused(env, "VBRP_2011-02.csv", [BILLING_HEADER, *wrong])
    assert message.startswith("VBRP_2011-02.csv, line 2, field FKDAT: 3 row(s) dated outside")
    assert "2011-02, the month the file name declares" in message
    assert april_rows(env) == [(3, 600)]


def test_an_empty_or_header_only_file_is_refused(env, april):
    assert "no data line after the header" in refused(env, "VBRP_2010-04b.csv", [BILLING_HEADER])
    assert april_rows(env) == [(3, 600)]


def test_a_master_data_file_that_would_shrink_its_table_is_refused(env):
    assert load(env, "KNA1_a.csv", [CUSTOMER_HEADER, *customers(10)]).status == "loaded"
    message = refused(env, "KNA1_b.csv", [CUSTOMER_HEADER, *customers(7)])
    assert "would replace the 10 rows of raw.customers with 7" in message
    assert "ABC_MAX_SNAPSHOT_SHRINK" in message
    assert "no data line" in refused(env, "KNA1_c.csv", [CUSTOMER_HEADER])
    # Losing 20 % is allowed (the default share).
    assert load(env, "KNA1_d.csv", [CUSTOMER_HEADER, *customers(8)]).status == "loaded"
    assert query(env["warehouse"], "select count(*) from raw.customers") == [(8,)]


def test_data_lines_delimited_otherwise_than_the_header_are_refused(env):
    assert load(env, "KNA1_a.csv", [CUSTOMER_HEADER, *customers(5)]).status == "loaded"
    commas = [line.replace(";", ",") for line in customers(5)]
    message = refused(env, "KNA1_b.csv", [CUSTOMER_HEADER, *commas])
    assert message.startswith("KNA1_b.csv, line 2: 5 data line(s) are delimited otherwise")


def test_a_duplicated_header_field_is_refused_naming_it(env):
    header = BILLING_HEADER + ";NETWR"
    line = billing_line(fkdat="20100412") + ";5,00"
    message = refused(env, "VBRP_2010-04.csv", [header, line])
    assert message == (
        "VBRP_2010-04.csv, line 1: the header names NETWR (fields 14 and 17) twice; which one "
        "holds the data is not clear, so the file is not loaded"
    )


def test_master_data_saved_as_utf16_is_decoded_not_emptied(env):
    lines = [CUSTOMER_HEADER, *customers(3), "10099;Kögel Trailer GmbH;DE;AN;Anlegg;DDP"]
    for name, encoding, bom in (
        ("KNA1_le.csv", "utf-16-le", b"\xff\xfe"),
        ("KNA1_be.csv", "utf-16-be", b""),
    ):
        path = env["inbox"] / name
        path.write_bytes(bom + ("\r\n".join(lines) + "\r\n").encode(encoding))
        with connect(env["warehouse"]) as con:
            result = load_file(con, path)
        assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 4, 0)
        assert query(env["warehouse"], "select name1 from raw.customers where kunnr = '10099'") == [
            ("Kögel Trailer GmbH",)
        ]
        assert query(
            env["warehouse"], "select encoding from raw._load_log where file_name = ?", [name]
        ) == [(encoding,)]


# --- a month in several files, and the original always recoverable ------------------


def test_a_month_in_parts_keeps_every_part(env, april):
    part1 = [billing_line(vbeln=str(i), fkdat="20100501", netwr="10,00") for i in (11, 12)]
    part2 = [billing_line(vbeln=str(i), fkdat="20100502", netwr="20,00") for i in (13, 14)]
    load(env, "VBRP_2010-05_part1.csv", [BILLING_HEADER, *part1])
    second = load(env, "VBRP_2010-05_part2.csv", [BILLING_HEADER, *part2])
    assert (second.status, second.rows_replaced) == ("loaded", 0)
    may = "select count(*), sum(netwr) from raw.billing_lines where _period = '2010-05-01'"
    assert query(env["warehouse"], may) == [(4, 60)]
    # Part 2 corrected (the same name, new content) replaces part 2 only.
    fixed = [billing_line(vbeln=str(i), fkdat="20100502", netwr="25,00") for i in (13, 14)]
    assert load(env, "VBRP_2010-05_part2.csv", [BILLING_HEADER, *fixed]).rows_replaced == 2
    assert query(env["warehouse"], may) == [(4, 70)]
    assert april_rows(env) == [(3, 600)]


def test_files_of_one_month_dropped_together_are_one_delivery(env):
    first = [billing_line(vbeln=str(i), fkdat="20100601", netwr="10,00") for i in (1, 2)]
    second = [billing_line(vbeln=str(i), fkdat="20100602", netwr="20,00") for i in (3, 4)]
    write_extract(env["inbox"], "VBRP_2010-06_a.csv", [BILLING_HEADER, *first])
    write_extract(env["inbox"], "VBRP_2010-06_b.csv", [BILLING_HEADER, *second])
    with connect(env["warehouse"]) as con:
        run = load_extract(con, SPECS["billing_lines"], env["inbox"])
    assert [r.status for r in run.loads] == ["loaded", "loaded"] and not run.failures
    assert query(env["warehouse"], "select count(*), sum(netwr) from raw.billing_lines") == [
        (4, 60)
    ]


def test_a_second_file_for_a_month_sharing_no_key_is_refused(env, april):
    other = [billing_line(vbeln=str(i), fkdat="20100413", netwr="5,00") for i in (21, 22)]
    message = refused(env, "VBRP_2010-04_late.csv", [BILLING_HEADER, *other])
    assert message.startswith(
        "VBRP_2010-04_late.csv: would replace 3 row(s) of 2010-04 loaded from VBRP_2010-04.csv,"
        " but shares no VBELN/POSNR with them"
    )
    assert april_rows(env) == [(3, 600)]


def test_dropping_a_replaced_original_again_restores_it(env, april):
    corrected = [billing_line(vbeln=str(i), fkdat="20100412", netwr="1,00") for i in (1, 2)]
    load(env, "VBRP_2010-04_corrected.csv", [BILLING_HEADER, *corrected])
    assert april_rows(env) == [(2, 2)]
    # Both files sit in the inbox unchanged: another pass changes nothing.
    with connect(env["warehouse"]) as con:
        run = load_extract(con, SPECS["billing_lines"], env["inbox"])
    assert run.loads == [] and len(run.unchanged) == 2
    assert april_rows(env) == [(2, 2)]
    # The original dropped again (copied in anew): its rows are back.
    original = env["inbox"] / "VBRP_2010-04.csv"
    shutil.copy(original, env["inbox"] / "copy.tmp")
    os.replace(env["inbox"] / "copy.tmp", original)
    with connect(env["warehouse"]) as con:
        restored = load_file(con, original)
    assert restored.status == "loaded"
    assert f"restores the rows of load {april.load_id}" in restored.message
    assert april_rows(env) == [(3, 600)]


def test_a_file_that_grew_after_it_was_read_is_loaded_whole_next_time(env):
    """A file read while it was still being written: what was read is archived under the
    hash of exactly those bytes, and the grown file is taken in again and replaces it."""
    lines = [billing_line(vbeln=str(i), fkdat="20100705", netwr="10,00") for i in range(1, 9)]
    path = env["inbox"] / "VBRP_2010-07.csv"
    whole = ("\n".join([BILLING_HEADER, *lines]) + "\n").encode()
    cut = whole.index(b"\n", len(whole) // 2) + 12  # half the lines and part of one more
    path.write_bytes(whole[:cut])
    with connect(env["warehouse"]) as con:
        half = load_file(con, path)
    assert (half.rows_loaded, half.rows_quarantined) == (4, 1)
    archived = query(
        env["warehouse"], "select archived_path from raw._load_log where load_id = ?",
        [half.load_id],
    )[0][0]  # fmt: skip
    assert Path(archived).read_bytes() == whole[:cut]
    with path.open("ab") as handle:
        handle.write(whole[cut:])
    with connect(env["warehouse"]) as con:
        full = load_file(con, path)
    assert (full.status, full.rows_loaded, full.rows_replaced) == ("loaded", 8, 4)
    assert query(env["warehouse"], "select count(*), sum(netwr) from raw.billing_lines") == [
        (8, 80)
    ]


def test_a_file_that_changes_while_it_is_read_is_left_for_the_next_run(env, tmp_path):
    """A pipe stands for a file still growing: its size stays 0 while bytes arrive, so the
    bytes read do not match what the file says it holds."""
    fifo = env["inbox"] / "VBRP_2010-08.csv"
    os.mkfifo(fifo)
    pid = os.fork()
    if pid == 0:  # the writer: a copy still in progress
        with open(fifo, "wb") as handle:
            handle.write(f"{BILLING_HEADER}\n{billing_line(fkdat='20100801')}\n".encode())
        os._exit(0)
    with connect(env["warehouse"]) as con, pytest.raises(ExtractError) as caught:
        load_file(con, fifo)
    os.waitpid(pid, 0)
    assert "changed while it was read" in str(caught.value)
    assert "left for the next run" in str(caught.value)
    assert query(env["warehouse"], "select count(*) from raw.billing_lines") == [(0,)]
    assert not list(env["archive"].glob("*/VBRP_2010-08.csv"))


# --- numbers, quotes, dates, periods, bytes --------------------------------------------


@pytest.mark.parametrize(
    ("netwr", "reason"),
    [
        ("1,234.56", "NETWR: ambiguous number '1,234.56' (this file writes decimals with a comma)"),
        ("1.23", "NETWR: ambiguous number '1.23' (this file writes decimals with a comma)"),
        ("1e3", "NETWR: not a number '1e3'"),
        ("1_000", "NETWR: not a number '1_000'"),
        ("1,2,3", "NETWR: not a number '1,2,3'"),
    ],
)
def test_numbers_against_the_files_format_are_quarantined(env, netwr, reason):
    good = billing_line(vbeln="1", fkdat="20100412", netwr="1.234,56")
    bad = billing_line(vbeln="2", fkdat="20100412", netwr=netwr)
    result = load(env, "VBRP_2010-04.csv", [BILLING_HEADER, good, bad])
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    assert quarantined(env) == [(3, reason)]
    assert query(env["warehouse"], "select netwr::double from raw.billing_lines") == [(1234.56,)]


def test_decimal_point_file_quarantines_a_decimal_comma_value(env):
    lines = [
        billing_line(vbeln=str(i), fkdat="20100412", fkimg="1.000", brtwr="12.50", netwr=v)
        for i, v in ((1, "1,234.56"), (2, "99.90"), (3, "1.234,56"))
    ]
    result = load(env, "VBRP_2010-04.csv", [BILLING_HEADER, *lines])
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert quarantined(env) == [
        (4, "NETWR: ambiguous number '1.234,56' (this file writes decimals with a point)")
    ]


def test_quotes_follow_rfc_4180_and_a_bare_quote_is_text(env):
    lines = [
        CUSTOMER_HEADER,
        '10001;ATE 12" Brake Systems;DE;AN;Anlegg;FCA',
        '10002;"Söhne ""Bremsen"" GmbH";DE;AN;Anlegg;FCA',
        '10003;"Trailer; Axles & Co";NO;AN;Anlegg;FCA',
        '"10004";"  Padded  ";NO;AN;Anlegg;FCA',
    ]
    result = load(env, "KNA1_customers.csv", lines)
    assert (result.rows_loaded, result.rows_quarantined) == (4, 0)
    assert query(env["warehouse"], "select kunnr, name1 from raw.customers order by 1") == [
        ("10001", 'ATE 12" Brake Systems'),
        ("10002", 'Söhne "Bremsen" GmbH'),
        ("10003", "Trailer; Axles & Co"),
        ("10004", "Padded"),
    ]


def test_a_required_date_of_zeros_and_implausible_years_are_quarantined(env):
    lines = [
        billing_line(vbeln="1", fkdat="20100412"),
        billing_line(vbeln="2", fkdat="00000000"),
        billing_line(vbeln="3", fkdat="99991231"),
        billing_line(vbeln="4", fkdat="19000101"),
    ]
    result = load(env, "VBRP_export.csv", [BILLING_HEADER, *lines])
    assert (result.rows_loaded, result.rows_quarantined) == (1, 3)
    assert quarantined(env) == [
        (3, "FKDAT: required date is 00000000 (no date)"),
        (4, "FKDAT: date '99991231' outside the years 1950-2099"),
        (5, "FKDAT: date '19000101' outside the years 1950-2099"),
    ]


def test_periods_outside_1_to_16_and_impossible_years_are_quarantined(env):
    lines = [
        COSTS_HEADER,
        "4100;400000;2010;012;1.000,00;NOK",
        "4100;400001;2010;016;1,00;NOK",
        "4100;400002;2010;099;2,00;NOK",
        "4100;400003;2010;000;3,00;NOK",
        "4100;400004;0000;005;4,00;NOK",
    ]
    result = load(env, "COSP_2010.csv", lines)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 3)
    assert quarantined(env) == [
        (4, "PERIO: posting period '099' outside 1-16"),
        (5, "PERIO: posting period '000' outside 1-16"),
        (6, "GJAHR: fiscal year '0000' outside 1950-2099"),
    ]
    # Special period 16 belongs to December.
    assert query(env["warehouse"], "select distinct _period from raw.cost_centre_actuals") == [
        (__import__("datetime").date(2010, 12, 1),)
    ]


def test_a_nul_byte_is_quarantined_with_its_column(env):
    lines = [CUSTOMER_HEADER, "10171;Good AS;NO;AN;Anlegg;FCA", "10172\x00;Bad AS;NO;AN;Anlegg;FCA"]
    result = load(env, "KNA1_customers.csv", lines)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    assert quarantined(env) == [(3, "NUL byte (0x00) at column 6")]


def test_an_invalid_byte_in_a_utf8_file_quarantines_its_line_only(env):
    data = "\n".join([CUSTOMER_HEADER, "10001;Kögel GmbH;DE;AN;Anlegg;FCA"]).encode() + (
        b"\n10002;Bad \xff byte;NO;AN;Anlegg;FCA\n" + "10003;Ørsta AS;NO;AN;Anlegg;FCA\n".encode()
    )
    (env["inbox"] / "KNA1_customers.csv").write_bytes(data)
    with connect(env["warehouse"]) as con:
        result = load_file(con, env["inbox"] / "KNA1_customers.csv")
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert quarantined(env) == [
        (3, "not valid UTF-8: byte 0xFF at column 11 (the rest of the file is UTF-8)")
    ]
    assert query(env["warehouse"], "select name1 from raw.customers order by 1") == [
        ("Kögel GmbH",),
        ("Ørsta AS",),
    ]


def test_a_utf8_line_in_a_latin1_file_is_quarantined_not_mojibake(env):
    data = (
        "\n".join(
            [
                CUSTOMER_HEADER,
                "10001;Kögel GmbH;DE;AN;Anlegg;FCA",
                "10003;Ørsta AS;NO;AN;Anlegg;FCA",
            ]
        ).encode("latin-1")
        + "\n10002;Müller AG;DE;AN;Anlegg;FCA\n".encode()
    )
    (env["inbox"] / "KNA1_customers.csv").write_bytes(data)
    with connect(env["warehouse"]) as con:
        result = load_file(con, env["inbox"] / "KNA1_customers.csv")
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert quarantined(env) == [
        (4, "UTF-8 text in a Latin-1 file: the line would be read as mojibake")
    ]
    assert query(env["warehouse"], "select name1 from raw.customers order by 1") == [
        ("Kögel GmbH",),
        ("Ørsta AS",),
    ]


# --- the gate: a failed or unvalidated batch blocks every later build and publish ------


def run_cli(args: list[str], home: Path) -> tuple[int, str]:
    from tests.test_operations import start_cli

    proc = start_cli(args, home)
    out, _ = proc.communicate(timeout=600)
    return proc.returncode, out


def bad_quantity_file(inbox: Path) -> Path:
    lines = [billing_line(vbeln=str(90000000 + i), fkdat="20100315") for i in range(1, 4)]
    lines.append(billing_line(vbeln="90000009", fkdat="20100316", fkimg="5,000-"))
    return write_extract(inbox, "VBRP_2010-03.csv", [BILLING_HEADER, *lines])


GATE_LINE = (
    "raw.billing_lines: VBRP_2010-03.csv (load {load_id}, 4 rows) failed "
    "expect_column_values_to_be_between on FKIMG: 1 of 4 rows, e.g. line 5 "
    "(VBELN 90000009 POSNR 10)"
)


@pytest.mark.pipeline
def test_a_failed_batch_blocks_every_later_run_and_build(env, tmp_path, dbt_manifest):
    from tests.test_operations import dagster_home

    home = dagster_home(tmp_path)
    bad_quantity_file(env["inbox"])
    code, out = run_cli(["run"], home)
    assert code == 1
    (load_id,) = query(env["warehouse"], "select load_id from raw._load_log")[0]
    assert GATE_LINE.format(load_id=load_id) in out
    assert "abc-warehouse batches remove LOAD_ID" in out
    # Nothing new in the inbox: the plain run and the month-close build both refuse.
    for args in (["run"], ["run", "--job", "build"]):
        code, out = run_cli(args, home)
        assert code == 1, out
        assert "STEP FAILED: dbt_models: 1 loaded batch(es) failed validation" in out
        assert GATE_LINE.format(load_id=load_id) in out
    serving = env["warehouse"].parent / "serving"
    assert not (serving / "abc_warehouse.duckdb").exists()


@pytest.mark.pipeline
def test_a_batch_killed_before_its_validation_is_validated_and_blocks(env, dbt_manifest):
    """A process loads a batch (the load commits) and is killed before validating it. The
    next build validates it, finds the failure, and refuses to build."""
    import signal
    import subprocess
    import sys

    from ingestion.validation import gate, gate_message
    from tests.conftest import PROJECT_ROOT

    path = bad_quantity_file(env["inbox"])
    code = (
        "import os, signal, sys; from pathlib import Path; from ingestion.warehouse import "
        "connect; from ingestion.loader import load_file; w = Path(sys.argv[2]); "
        "load_file(connect(w), Path(sys.argv[1]), archive=w.parent / 'archive', "
        "max_snapshot_shrink=0.2); os.kill(os.getpid(), signal.SIGKILL)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path), str(env["warehouse"])], cwd=PROJECT_ROOT
    )
    assert proc.returncode == -signal.SIGKILL
    assert query(env["warehouse"], "select count(*) from raw.billing_lines") == [(4,)]
    assert query(env["warehouse"], "select count(*) from raw._validated_batches") == [(0,)]
    with connect(env["warehouse"]) as con:
        problems = gate(con)
    (load_id,) = query(env["warehouse"], "select load_id from raw._validated_batches")[0]
    assert [p.load_id for p in problems] == [load_id]
    assert GATE_LINE.format(load_id=load_id) in gate_message(problems)
    # Resolved by a corrected file for the month: the gate opens.
    lines = [billing_line(vbeln=str(90000000 + i), fkdat="20100315") for i in range(1, 5)]
    write_extract(env["inbox"], "VBRP_2010-03.csv", [BILLING_HEADER, *lines])
    with connect(env["warehouse"]) as con:
        run = load_extract(con, SPECS["billing_lines"], env["inbox"])
        assert run.loaded[0].rows_replaced == 4
        assert gate(con) == []


def test_batches_are_listed_removed_and_applied_again(env, april, capsys):
    from orchestration.cli import main

    corrected = [billing_line(vbeln=str(i), fkdat="20100412", netwr="1,00") for i in (1, 2)]
    fix = load(env, "VBRP_2010-04_corrected.csv", [BILLING_HEADER, *corrected])
    capsys.readouterr()
    assert main(["batches", "--extract", "billing_lines", "--month", "2010-04"]) == 0
    listed = capsys.readouterr().out.splitlines()[1:]
    # Newest first; load_file alone does not validate (load_extract does).
    assert [line.split()[2] for line in listed] == [fix.load_id, april.load_id]
    assert listed[0].endswith("2  in force  not validated")
    assert listed[1].endswith("0  replaced  -")

    assert main(["batches", "remove", fix.load_id]) == 0
    assert f"Removed batch {fix.load_id}: 2 rows." in capsys.readouterr().out
    assert april_rows(env) == [(0, None)]
    assert main(["batches", "--month", "2010-04"]) == 0
    assert "removed" in capsys.readouterr().out

    assert main(["batches", "apply", april.load_id]) == 0
    out = capsys.readouterr().out
    assert "VBRP_2010-04.csv: loaded, added 3 rows to 2010-04" in out
    assert f"restores the rows of load {april.load_id}" in out
    assert april_rows(env) == [(3, 600)]
    # The inbox's own file of that name is still known as unchanged.
    from ingestion.loader import is_unchanged

    assert is_unchanged(env["inbox"] / "VBRP_2010-04.csv", env["archive"])
    assert main(["batches", "remove", "no-such-load"]) == 1


# --- line ends ---------------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r", "mixed"])
def test_every_line_end_loads_the_same(env, ending):
    lines = [CUSTOMER_HEADER, *customers(4)]
    if ending == "mixed":
        text = "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lines))
    else:
        text = "".join(line + ending for line in lines)
    (env["inbox"] / "KNA1_customers.csv").write_bytes(text.encode())
    with connect(env["warehouse"]) as con:
        result = load_file(con, env["inbox"] / "KNA1_customers.csv")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 4, 0)
    assert query(env["warehouse"], "select kunnr, inco1 from raw.customers order by 1") == [
        (str(10000 + i), "FCA") for i in range(4)
    ]


def test_a_stray_cr_inside_a_field_quarantines_that_line(env):
    lines = [CUSTOMER_HEADER, *customers(2), "10077;Split\rName AS;NO;AN;Anlegg;FCA"]
    result = load(env, "KNA1_customers.csv", lines)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 2, 1)
    assert quarantined(env) == [(4, "stray carriage return (CR) inside the line at byte 12")]


def test_the_summary_tells_this_runs_files_from_what_the_warehouse_held(env, april):
    from datetime import datetime

    from orchestration.summary import this_run_lines

    started = datetime.now()
    may = [billing_line(vbeln=str(i), fkdat="20100503", netwr="10,00") for i in (5, 6)]
    load(env, "VBRP_2010-05.csv", [BILLING_HEADER, *may])
    refused(env, "VBRP_2010-06.csv", [BILLING_HEADER])
    with connect(env["warehouse"]) as con:
        lines = this_run_lines(con, started)
        assert this_run_lines(con, datetime.now()) == ["", "This run took in no new file."]
    assert lines[1] == "This run took in 2 file(s)"
    assert [line.split()[:5] for line in lines[4:]] == [
        ["VBRP_2010-05.csv", "loaded", "3", "2", "0"],
        ["VBRP_2010-06.csv", "refused", "1", "0", "0"],
    ]
