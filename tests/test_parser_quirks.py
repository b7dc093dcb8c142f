"""The loader on every format rule of docs/extract-formats.md, one test each, exact values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ingestion.errors import ExtractError
from ingestion.warehouse import connect
from tests.conftest import BILLING_HEADER, billing_line, load_file, query, write_extract


def load(env, name: str, lines: list[str], **kw):
    path = write_extract(env["inbox"], name, lines, **kw)
    with connect(env["warehouse"]) as con:
        return load_file(con, path)


def test_decimal_comma_thousands_and_trailing_minus(env):
    load(
        env,
        "COSP_2010.csv",
        [
            "KOSTL;KSTAR;GJAHR;PERIO;WKGBTR;TWAER",
            "4100;400000;2010;001;1.234,56-;NOK",
            "4100;460000;2010;001;1.234.567,89;NOK",
        ],
    )
    rows = query(env["warehouse"], "select kstar, wkgbtr from raw.cost_centre_actuals order by 1")
    assert rows == [("400000", Decimal("-1234.56")), ("460000", Decimal("1234567.89"))]


def test_decimal_point_file_is_detected(env):
    load(
        env,
        "COSP_2010.csv",
        [
            "KOSTL,KSTAR,GJAHR,PERIO,WKGBTR,TWAER",
            '4100,400000,2010,001,"1,234.56-",NOK',
            "4100,460000,2010,001,17.5,NOK",
        ],
    )
    rows = query(env["warehouse"], "select wkgbtr from raw.cost_centre_actuals order by 1")
    assert rows == [(Decimal("-1234.56"),), (Decimal("17.50"),)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("20100315", date(2010, 3, 15)),
        ("15.03.2010", date(2010, 3, 15)),
        ("00000000", None),
        ("", None),
    ],
)
def test_dates(env, text, expected):
    load(
        env,
        "PTRV_2010.csv",
        [
            "REINR;PERNR;DATV1;DATB1;KUNDE;HOURS;TRIP_COST;PER_DIEM;WAERS",
            f"5001;41010;20100315;{text};10001;7,50;100,00;0,00;NOK",
        ],
    )
    assert query(env["warehouse"], "select datb1 from raw.travel_expenses") == [(expected,)]


def test_open_ended_validity_stays_9999_12_31(env):
    load(
        env,
        "PA0001.csv",
        [
            "PERNR;BEGDA;ENDDA;KOSTL;ENAME;BSGRD",
            "41001;20050101;99991231;4100;A;100,00",
        ],
    )
    assert query(env["warehouse"], "select endda from raw.employees") == [(date(9999, 12, 31),)]


def test_alpha_keys_join_as_one_customer(env):
    load(env, "KNA1.csv", ["KUNNR;NAME1;LAND1;KDGRP", "0000012345;Volvo Lastvagnar;SE;VO"])
    load(env, "VBRP_2010-03.csv", [BILLING_HEADER, billing_line(kunag="12345")])
    rows = query(
        env["warehouse"],
        "select c.name1 from raw.billing_lines b join raw.customers c on c.kunnr = b.kunag",
    )
    assert rows == [("Volvo Lastvagnar",)]
    assert query(env["warehouse"], "select kunnr from raw.customers") == [("12345",)]


def test_currency_with_zero_decimals_is_shifted(env):
    load(env, "VBRP_2010-03.csv", [BILLING_HEADER, billing_line(netwr="1234,00", waerk="JPY")])
    assert query(env["warehouse"], "select netwr from raw.billing_lines") == [
        (Decimal("123400.00"),)
    ]


def test_inverted_rate_date(env):
    load(
        env,
        "TCURR.csv",
        [
            "KURST;FCURR;TCURR;GDATU;UKURS;FFACT;TFACT",
            "M;EUR;NOK;79899685;7,90000;1;1",
        ],
    )
    assert query(env["warehouse"], "select gdatu from raw.exchange_rates") == [(date(2010, 3, 14),)]


def test_latin1_survives(env):
    load(
        env,
        "KNA1.csv",
        ["KUNNR;NAME1;LAND1;KDGRP", "10001;Kögel Trailer GmbH;DE;KO"],
        encoding="latin-1",
    )
    assert query(env["warehouse"], "select name1 from raw.customers") == [("Kögel Trailer GmbH",)]
    assert query(env["warehouse"], "select encoding from raw._load_log") == [("latin-1",)]


def test_utf8_with_bom_survives(env):
    load(env, "KNA1.csv", ["KUNNR;NAME1;LAND1;KDGRP", "10001;Kögel Trailer GmbH;DE;KO"], bom=True)
    assert query(env["warehouse"], "select name1 from raw.customers") == [("Kögel Trailer GmbH",)]
    assert query(env["warehouse"], "select encoding from raw._load_log") == [("utf-8-bom",)]


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_delimiters(env, delimiter):
    rows = [["KUNNR", "NAME1", "LAND1", "KDGRP"], ["10001", "Wabco", "DE", "WA"]]
    lines = [delimiter.join(r) for r in rows]
    if delimiter == "|":
        lines = [f"|{line}|" for line in lines]
    result = load(env, "KNA1.csv", lines)
    assert result.rows_loaded == 1
    assert query(env["warehouse"], "select kunnr, name1, kdgrp from raw.customers") == [
        ("10001", "Wabco", "WA")
    ]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_padding_around_fields_is_trimmed_inside_kept(env, delimiter):
    """SAP list output pads fields to column width; spaces inside a value stay."""
    rows = [
        ["KUNNR ", " NAME1", "LAND1", "KDGRP"],
        ["  10001", " Wabco  Europe ", '"DE"', "WA  "],
        ["10002", "Iveco", "IT", "IV"],
    ]
    lines = [delimiter.join(r) for r in rows]
    if delimiter == "|":
        lines = [f"|{line}|" for line in lines] + ["|  *  subtotal ||||"]
    result = load(env, "KNA1.csv", lines)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)
    assert query(env["warehouse"], "select kunnr, name1, land1, kdgrp from raw.customers") == [
        ("10001", "Wabco  Europe", "DE", "WA"),
        ("10002", "Iveco", "IT", "IV"),
    ]
    if delimiter == "|":
        assert result.skipped_by_reason["subtotal line"] == 1


def test_rule_line_framed_in_unicode_spaces_is_noise(env):
    result = load(
        env, "KNA1.csv", ["KUNNR;NAME1;LAND1;KDGRP", "\u00a0---- ----\u00a0", "10001;Wabco;DE;WA"]
    )
    assert result.rows_loaded == 1
    assert result.skipped_by_reason == {"header": 1, "rule line": 1}


def test_report_spool_noise_is_skipped_and_counted(env):
    result = load(
        env,
        "VBRP_2010-03.csv",
        [
            "Fakturajournal 2010   Side 1",
            "-" * 60,
            BILLING_HEADER,
            "-" * 60,
            billing_line(vbeln="90000001"),
            "",
            "\f",
            "Fakturajournal 2010   Side 2",
            BILLING_HEADER,
            billing_line(vbeln="90000002"),
            "*;;;;;;;;;;;;;2.000,00;NOK;",
        ],
    )
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (11, 2, 0)
    assert result.rows_skipped == 9
    assert result.skipped_by_reason == {
        "banner before header": 2,
        "header": 1,
        "rule line": 1,
        "blank line": 1,
        "page break": 1,
        "report text": 1,
        "repeated header": 1,
        "subtotal line": 1,
    }


def test_price_unit_zero_is_quarantined(env):
    result = load(
        env,
        "MBEW_2010.txt",
        [
            "MATNR;BWKEY;VPRSV;STPRS;VERPR;PEINH;WAERS;KADAT;BIDAT",
            "62340001;1000;S;525,00;0,00;100;NOK;20100101;99991231",
            "62340002;1000;S;525,00;0,00;0;NOK;20100101;99991231",
        ],
    )
    assert result.rows_loaded == 1
    assert query(env["warehouse"], "select line_no, reason from raw._quarantine") == [
        (3, "PEINH: must be greater than 0")
    ]


def test_norwegian_labels_map_to_sap_fields(env):
    result = load(env, "PRPS.csv", ["PSP-element;Beskrivelse;Kunde", "P-10001;Volvo FH;0000010001"])
    assert result.rows_loaded == 1
    assert query(env["warehouse"], "select posid, post1, kunnr from raw.projects") == [
        ("P-10001", "Volvo FH", "10001")
    ]


def test_user_alias_file(env, tmp_path, monkeypatch):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(
        "extract,label,field\ncustomers,Kundennummer,KUNNR\ncustomers,Kundengruppe,KDGRP\n"
    )
    monkeypatch.setenv("ABC_HEADER_ALIASES", str(aliases))
    path = write_extract(
        env["inbox"], "KNA1.csv", ["Kundennummer;Name;Kundengruppe", "42;Knorr;KN"]
    )
    with connect(env["warehouse"]) as con:
        load_file(con, path, aliases_path=str(aliases))
    assert query(env["warehouse"], "select kunnr, kdgrp from raw.customers") == [("42", "KN")]


def test_missing_header_names_file_line_and_fields(env):
    path = write_extract(
        env["inbox"],
        "VBRP_2010-03.csv",
        [
            "VBELN;POSNR;FKART;FKDAT;AUBEL;MATNR;FKIMG;NETWR;WAERK",
            "1;10;F2;20100301;1;1;1;1;NOK",
        ],
    )
    with connect(env["warehouse"]) as con, pytest.raises(ExtractError) as err:
        load_file(con, path)
    assert "VBRP_2010-03.csv, line 1" in str(err.value)
    assert "KUNAG" in str(err.value)
    # The failure is in the load log, and nothing reached the raw table.
    assert query(env["warehouse"], "select status from raw._load_log") == [("failed",)]


def test_unknown_file_type_is_an_error_naming_the_file(env):
    path = write_extract(env["inbox"], "notes.csv", ["a;b", "1;2"])
    with connect(env["warehouse"]) as con, pytest.raises(ExtractError, match="notes.csv"):
        load_file(con, path)


def test_billing_lines_load_unsigned_whatever_their_category(env):
    """The loader types and keys; the sign of a category is the seed's (dbt staging), so
    a category it has never seen loads too, as in the file."""
    load(
        env,
        "VBRP_2010-03.csv",
        [
            BILLING_HEADER,
            billing_line(vbeln="1", fkart="F2"),
            billing_line(vbeln="2", fkart="G2", vbtyp="O"),
            billing_line(vbeln="3", fkart="ZCR", vbtyp="O", netwr="250,00"),
        ],
    )
    rows = query(env["warehouse"], "select fkart, netwr from raw.billing_lines order by vbeln")
    assert rows == [("F2", 1000), ("G2", 1000), ("ZCR", 250)]
    assert "_sign" not in {
        r[0] for r in query(env["warehouse"], "select column_name from duckdb_columns()")
    }


def test_archive_keeps_the_original_under_its_hash(env):
    result = load(env, "KNA1.csv", ["KUNNR;NAME1;LAND1;KDGRP", "1;A;NO;AN"])
    archived = env["archive"] / result.file_hash / "KNA1.csv"
    assert archived.read_bytes() == (env["inbox"] / "KNA1.csv").read_bytes()


def test_line_numbers_follow_the_file(env, tmp_path: Path):
    lines = [BILLING_HEADER] + [billing_line(vbeln=str(i)) for i in range(1, 2001)]
    lines[1500] = billing_line(vbeln="bad", fkdat="20101301")
    load(env, "VBRP_2010-03.csv", lines)
    assert query(env["warehouse"], "select line_no, raw_line from raw._quarantine") == [
        (1501, lines[1500])
    ]
