"""The benchmark's smoke run: every stage runs on a small generated set, the product and
each peer (pandas, DuckDB SQL, polars) agree on every customer's cost-to-serve, and the
results are written with the runs' profile.
The numbers themselves are not asserted (speed is measured by `make bench`, not tests)."""

from __future__ import annotations

import json

import pytest

from benchmark.run import main

pytestmark = pytest.mark.pipeline


def test_benchmark_smoke_run_agrees_with_every_peer(tmp_path, dbt_manifest):
    out = tmp_path / "bench.json"
    assert (
        main(["--billing-lines", "20000", "--workdir", str(tmp_path / "work"), "--json", str(out)])
        == 0
    )
    results = json.loads(out.read_text())
    from orchestration.selection import code_fingerprint

    assert results["code"]["fingerprint"] == code_fingerprint()  # which code was timed
    assert set(results["stages"]) == {
        "generate", "floor", "product", "baseline", "duckdb_peer", "polars_peer", "incremental",
    }  # fmt: skip
    assert all(stage["ok"] for stage in results["stages"].values())
    assert set(results["agreement"]) == {"baseline", "duckdb_peer", "polars_peer"}
    for agreement in results["agreement"].values():
        assert agreement["agree"] and agreement["customer_family_pairs"] > 1000
        assert abs(agreement["product_total"] - agreement["peer_total"]) < 0.01
    # The 13th month reached the warehouse and the serving snapshot.
    import duckdb

    serving = tmp_path / "work" / "serving" / "abc_warehouse.duckdb"
    with duckdb.connect(str(serving), read_only=True) as con:
        months = con.execute(
            "select count(distinct period_start) from marts.fct_customer_profitability"
            " where period_type = 'month'"
        ).fetchall()[0][0]
    assert months == 13
    # Same code as the product run, which succeeded: the incremental run built what the
    # billing lines feed and left the supplier side alone.
    import dagster as dg

    with dg.DagsterInstance.from_config(str(tmp_path / "work" / "dagster")) as instance:
        incremental, product = (run.run_id for run in instance.get_runs(limit=2))
        built = {
            run_id: {
                e.dagster_event.asset_key
                for e in instance.all_logs(
                    run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
                )
            }
            for run_id in (incremental, product)
        }
    customers = dg.AssetKey(["marts", "fct_customer_profitability"])
    suppliers = dg.AssetKey(["marts", "fct_supplier_scorecard"])
    assert {customers, suppliers} <= built[product]
    assert customers in built[incremental] and suppliers not in built[incremental]
    ratios = results["ratios"]
    assert set(ratios) == {
        "product_over_floor", "product_over_duckdb_peer", "product_over_polars_peer",
        "baseline_over_product", "product_peak_rss_gb", "incremental_over_full",
    }  # fmt: skip
    stages = results["stages"]
    assert ratios["product_over_duckdb_peer"] == pytest.approx(
        stages["product"]["seconds"] / stages["duckdb_peer"]["seconds"], abs=0.01
    )
    # A small run is held to the small-size bars (fixed costs dominate there).
    assert set(results["targets"]) == {
        "product_over_duckdb_peer", "product_peak_rss_gb", "incremental_over_full"
    }  # fmt: skip
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
    assert product["dagster_run_seconds"] + product["outside_the_run_seconds"] == pytest.approx(
        stages["product"]["seconds"], abs=0.02
    )
    memory = results["memory"]
    assert memory["baseline_out_of_laptop_memory"] is (
        memory["baseline_peak_rss_gb"] > memory["laptop_memory_gb"] > ratios["product_peak_rss_gb"]
    )
    incremental = results["profile"]["incremental"]
    assert incremental["run_id"] != product["run_id"]
    assert [f["file"] for f in incremental["files"]] == ["VBRP_2011-01.csv"]


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
