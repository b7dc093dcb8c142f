"""The benchmark's smoke run: every stage but the incremental one runs on a small generated
set, the product and each peer (pandas, DuckDB SQL, polars) agree on every customer's
cost-to-serve, and the results are written with the product run's profile. The
incremental stage is the product's command again on one more month: the month it drops
into the inbox is checked here by the loader, and what such a run builds by the real runs
of test_operations (`abc-warehouse run` building what new files feed).
The numbers themselves are not asserted (speed is measured by `make bench`, not tests)."""

from __future__ import annotations

import json

import pytest

from benchmark.run import main

pytestmark = pytest.mark.pipeline


def test_benchmark_smoke_run_agrees_with_every_peer(tmp_path, dbt_manifest):
    out = tmp_path / "bench.json"
    args = ["--billing-lines", "20000", "--workdir", str(tmp_path / "work"), "--json", str(out)]
    assert main([*args, "--skip", "incremental"]) == 0
    results = json.loads(out.read_text())
    from orchestration.selection import code_fingerprint

    assert results["code"]["fingerprint"] == code_fingerprint()  # which code was timed
    assert set(results["stages"]) == {
        "generate", "floor", "product", "baseline", "duckdb_peer", "polars_peer",
    }  # fmt: skip
    assert all(stage["ok"] for stage in results["stages"].values())
    assert set(results["agreement"]) == {"baseline", "duckdb_peer", "polars_peer"}
    for agreement in results["agreement"].values():
        assert agreement["agree"] and agreement["customer_family_pairs"] > 1000
        assert abs(agreement["product_total"] - agreement["peer_total"]) < 0.01
    ratios = results["ratios"]
    assert set(ratios) == {
        "product_over_floor", "product_over_duckdb_peer", "product_over_polars_peer",
        "baseline_over_product", "product_peak_rss_gb",
    }  # fmt: skip
    stages = results["stages"]
    assert ratios["product_over_duckdb_peer"] == pytest.approx(
        stages["product"]["seconds"] / stages["duckdb_peer"]["seconds"], abs=0.01
    )
    # A small run is held to the small-size bars (fixed costs dominate there).
    assert set(results["targets"]) == {"product_over_duckdb_peer", "product_peak_rss_gb"}
    assert results["targets"]["product_over_duckdb_peer"]["met"] is (
        ratios["product_over_duckdb_peer"] <= 10.0
    )
    # The profile of both product runs: Dagster's steps, the loader's phases per file of
    # the run, dbt's nodes; the run's time inside and outside Dagster adds up to the stage.
    product = results["profile"]["product"]
    assert {s["step"] for s in product["steps"]} >= {"raw__billing_lines", "dbt_models"}
    billing = [f for f in product["files"] if f["file"].startswith("VBRP_")]
    assert len(billing) == 12
    assert all({"take_in", "parse", "write", "validate"} <= set(f) for f in billing)
    assert product["dbt"]["nodes"] > 100 and product["dbt"]["slowest"]
    # Timed on the prepared project: dbt read the parse state `prepare` kept for this
    # warehouse, whatever the other tests' builds put in the target folder meanwhile.
    assert product["dbt"]["parse"] == "partial"
    assert product["dagster_run_seconds"] + product["outside_the_run_seconds"] == pytest.approx(
        stages["product"]["seconds"], abs=0.02
    )
    memory = results["memory"]
    assert memory["baseline_out_of_laptop_memory"] is (
        memory["baseline_peak_rss_gb"] > memory["laptop_memory_gb"] > ratios["product_peak_rss_gb"]
    )
    assert set(results["profile"]) == {"product"}


def test_ratios_leave_out_the_stages_a_run_skipped():
    """`bench --skip baseline` (pandas cannot hold 30M lines in this machine's memory):
    no ratio over a stage that did not run, and the others as measured."""
    from benchmark.run import Stage, _ratios

    stages = {
        "floor": Stage("floor", 2.0, 100, True),
        "product": Stage("product", 60.0, 2048, True),
        "duckdb_peer": Stage("duckdb_peer", 10.0, 500, True),
        "incremental": Stage("incremental", 9.0, 900, True),
    }
    assert _ratios(stages) == {
        "product_over_floor": 30.0,
        "product_over_duckdb_peer": 6.0,
        "product_peak_rss_gb": 2.0,
        "incremental_over_full": 0.15,
    }


def test_the_next_month_is_december_again_as_new_documents_of_january(tmp_path):
    """The incremental stage's month: December's billing lines moved to January of the next
    year, with new billing documents, orders and deliveries; the loader takes every line
    of it into the new month, and the same customers and values as December."""
    from benchmark.run import _next_month_file
    from demo.generator import generate
    from ingestion.warehouse import connect
    from tests.conftest import load_file, query

    inbox = generate(tmp_path / "inbox", billing_lines=600)
    target = tmp_path / "next_month" / "VBRP_2011-01.csv"
    lines = _next_month_file(inbox, target)
    warehouse = tmp_path / "warehouse.duckdb"
    with connect(warehouse) as con:
        december = load_file(con, inbox / "VBRP_2010-12.csv")
        january = load_file(con, target)
    assert lines == december.rows_loaded > 10
    assert (january.status, january.rows_loaded, january.rows_quarantined) == (
        "loaded", lines, 0,
    )  # fmt: skip
    by_month = query(
        warehouse,
        """select _period, count(*), count(distinct kunag), sum(netwr), sum(fkimg),
            min(fkdat), max(fkdat)
        from raw.billing_lines group by 1 order by 1""",
    )
    (dec, *dec_values, dec_first, dec_last), (jan, *jan_values, jan_first, jan_last) = by_month
    assert (str(dec), str(jan)) == ("2010-12-01", "2011-01-01")
    assert jan_values == dec_values
    assert (jan_first.day, jan_last.day) == (dec_first.day, dec_last.day)
    shared = query(
        warehouse,
        """select count(*) from raw.billing_lines d join raw.billing_lines j
            on d.vbeln = j.vbeln or d.aubel = j.aubel or d.vgbel = j.vgbel
        where d._period = '2010-12-01' and j._period = '2011-01-01'""",
    )
    assert shared == [(0,)]


def test_the_profile_says_when_dbt_parsed_the_whole_project(tmp_path):
    """A whole parse (about 5 s) inside the product stage is the benchmark's to explain:
    the profile reads it off the build's dbt.log, and the terminal line says it."""
    from benchmark.profile import dbt_timings, profile_table

    results = {"elapsed_time": 8.5, "results": [{"unique_id": "model.p.a", "execution_time": 2.0}]}
    logs = {
        "0000001": '{"info": {"msg": "Unable to do partial parsing because profile has changed"}}',
        "0000002": '{"info": {"msg": "Partial parsing enabled: 0 files deleted, 0 files added"}}',
    }
    for run_id, log in logs.items():
        build = tmp_path / f"dbt_models-{run_id}-abc1234"
        build.mkdir()
        (build / "run_results.json").write_text(json.dumps(results))
        (build / "dbt.log").write_text(log + "\n")
    whole, partial = (dbt_timings(tmp_path, run_id) for run_id in logs)
    assert (whole["parse"], partial["parse"]) == ("whole project", "partial")
    (tmp_path / "dbt_models-0000002-abc1234" / "dbt.log").unlink()
    assert dbt_timings(tmp_path, "0000002")["parse"] == "unknown"  # no log, no claim
    assert (whole["elapsed_seconds"], whole["nodes"]) == (8.5, 1)
    profile = {
        "outside_the_run_seconds": 1.0,
        "dagster_run_seconds": 20.0,
        "steps": [],
        "files": [],
    }
    lines = [profile_table({**profile, "dbt": d}).splitlines()[0] for d in (whole, partial)]
    split = "  outside the Dagster run 1.0 s, inside 20.0 s; dbt 8.5 s"
    assert lines == [f"{split}, after parsing the whole project", split]
