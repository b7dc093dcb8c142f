"""Quirks whose meaning the dbt staging layer applies, checked through a real dbt build."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingestion.specs import SPECS
from ingestion.warehouse import connect, ensure_all
from tests.conftest import BILLING_HEADER, billing_line, load_file, query, run_dbt, write_extract

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="module")
def staged(module_env, dbt_manifest):
    """Load small extracts with the quirks, then build staging and intermediate with dbt."""
    env = module_env
    files = [
        write_extract(
            env["inbox"],
            "VBRP_2010-03.csv",
            [
                BILLING_HEADER,
                # An invoice, a 10 % credit memo on it, another invoice and its cancellation.
                billing_line(vbeln="1", kunag="0000010001", netwr="1.000,00", brtwr="1.000,00"),
                billing_line(
                    vbeln="2", fkart="G2", vbtyp="O", kunag="10001", netwr="100,00", brtwr="100,00"
                ),
                billing_line(vbeln="3", kunag="10002", netwr="500,00", brtwr="500,00"),
                billing_line(
                    vbeln="4", fkart="S1", vbtyp="N", kunag="10002", netwr="500,00", brtwr="500,00"
                ),
                # 100 EUR billed on 15 March at the March rate of 8.00.
                billing_line(vbeln="5", kunag="10002", netwr="100,00", brtwr="100,00", waerk="EUR"),
            ],
        ),
        write_extract(
            env["inbox"],
            "KNA1.csv",
            [
                "KUNNR;NAME1;LAND1;KDGRP;KTEXT",
                "0000010001;Volvo Lastvagnar;SE;VO;Volvo Truck",
                "10002;Scania CV;SE;SC;Scania",
            ],
        ),
        write_extract(
            env["inbox"],
            "TCURR.csv",
            [
                "KURST;FCURR;TCURR;GDATU;UKURS;FFACT;TFACT",
                f"M;EUR;NOK;{99999999 - 20100201};8,08000;1;1",
                f"M;EUR;NOK;{99999999 - 20100301};8,00000;1;1",
                f"M;EUR;NOK;{99999999 - 20100401};7,89000;1;1",
                f"M;JPY;NOK;{99999999 - 20100301};6,33000;100;1",
            ],
        ),
        write_extract(
            env["inbox"],
            "CATSDB_2010.csv",
            [
                "COUNTER;PERNR;WORKDATE;CATSHOURS;LSTAR;SKOSTL;RAUFNR;POSID;STATUS",
                "1;41013;20100301;7,50;DEV;4500;;P-10001;30",
                "2;41013;20100302;6,00;DEV;4500;;P-10001;60",
                "3;41013;20100302;5,00;DEV;4500;;P-10001;30",
            ],
        ),
        write_extract(
            env["inbox"],
            "MBEW_2010.txt",
            [
                "MATNR\tBWKEY\tVPRSV\tSTPRS\tVERPR\tPEINH\tWAERS\tKADAT\tBIDAT",
                "62340001\t1000\tS\t525,00\t530,00\t100\tNOK\t20100101\t99991231",
                "62340002\t1000\tV\t0,00\t7,25\t1\tNOK\t20100101\t99991231",
            ],
        ),
    ]
    with connect(env["warehouse"]) as con:
        ensure_all(con, list(SPECS.values()))
        for path in files:
            load_file(con, path)
    result = run_dbt(["build", "--select", "+intermediate"])
    assert result.returncode == 0, result.stdout[-3000:]
    return env["warehouse"]


def test_credit_memo_reduces_revenue(staged):
    rows = query(
        staged,
        """
        select sum(net_amount_doc_currency) from staging.stg_sap__billing_lines
        where sold_to_customer_id = '10001'""",
    )
    assert rows == [(Decimal("900.00"),)]


def test_cancellation_nets_its_invoice_to_zero(staged):
    rows = query(
        staged,
        """
        select sum(net_amount_doc_currency) from staging.stg_sap__billing_lines
        where billing_document in ('3', '4')""",
    )
    assert rows == [(Decimal("0.00"),)]


def test_superseded_timesheet_row_is_not_counted(staged):
    rows = query(staged, "select sum(approved_hours), sum(hours) from staging.stg_sap__timesheets")
    assert rows == [(Decimal("12.50"), Decimal("18.50"))]


def test_price_unit_gives_unit_cost(staged):
    rows = query(
        staged,
        """
        select material_id, unit_cost from staging.stg_sap__standard_costs order by 1""",
    )
    # STPRS 525,00 per 100 units is 5.25 a unit; price control V takes VERPR.
    assert [(m, round(float(c), 6)) for m, c in rows] == [("62340001", 5.25), ("62340002", 7.25)]


def test_foreign_currency_converted_at_the_rate_of_the_billing_date(staged):
    rows = query(
        staged,
        """
        select exchange_rate, net_amount from intermediate.int_billing_lines_converted
        where billing_document = '5'""",
    )
    assert [(float(r), float(a)) for r, a in rows] == [(8.0, 800.0)]


def test_ratio_factors_give_rate_per_unit(staged):
    rows = query(
        staged, "select rate from staging.stg_sap__exchange_rates where from_currency='JPY'"
    )
    assert float(rows[0][0]) == pytest.approx(0.0633)


def test_alpha_normalised_keys_join_in_staging(staged):
    rows = query(
        staged,
        """
        select c.customer_group, sum(b.net_amount_doc_currency)
        from staging.stg_sap__billing_lines b
        join staging.stg_sap__customers c on c.customer_id = b.sold_to_customer_id
        group by 1 order by 1""",
    )
    assert rows == [("SC", Decimal("100.00")), ("VO", Decimal("900.00"))]


def test_a_billing_category_added_to_the_seed_alone_is_signed_and_costed(env, tmp_path):
    """A new billing category is a seed row, nothing else: its lines load as they are,
    stop the build (the relationships test) while the seed lacks it, and are signed and
    costed by the seed's row once it is added to a user's copy of the project."""
    import shutil

    from tests.conftest import PROJECT_ROOT

    path = write_extract(
        env["inbox"],
        "VBRP_2010-03.csv",
        [
            BILLING_HEADER,
            billing_line(vbeln="1", fkart="F2", kunag="10001", netwr="1.000,00"),
            billing_line(vbeln="2", fkart="ZCR", vbtyp="O", kunag="10001", netwr="250,00"),
        ],
    )
    with connect(env["warehouse"]) as con:
        ensure_all(con, list(SPECS.values()))
        assert load_file(con, path).status == "loaded"
    build = ["build", "--select", "+int_billing_lines_costed", "--exclude-resource-type",
             "unit_test"]  # fmt: skip
    refused = run_dbt(build)
    assert refused.returncode != 0
    assert "relationships_stg_sap__billing_lines_billing_category" in refused.stdout

    project = tmp_path / "dbt_project"
    shutil.copytree(
        PROJECT_ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs")
    )
    seed = project / "seeds" / "costing" / "billing_categories.csv"
    seed.write_text(seed.read_text() + "ZCR,Customer bonus credit,-1,false,false\n")
    done = run_dbt([*build, "--project-dir", str(project)])
    assert done.returncode == 0, done.stdout[-3000:]
    rows = query(
        env["warehouse"],
        """select billing_category, net_amount, counts_as_order
        from intermediate.int_billing_lines_costed order by billing_document""",
    )
    assert [(c, float(a), o) for c, a, o in rows] == [("F2", 1000.0, True), ("ZCR", -250.0, False)]
