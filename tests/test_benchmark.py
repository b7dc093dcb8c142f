"""The benchmark's smoke run: every stage runs on a small generated set, the product and
the pandas baseline agree on every customer's cost-to-serve, and the results are written.
The numbers themselves are not asserted (speed is measured by `make bench`, not tests)."""

from __future__ import annotations

import json

import pytest

from benchmark.run import main

pytestmark = pytest.mark.pipeline


def test_benchmark_smoke_run_agrees_with_the_baseline(tmp_path, dbt_manifest):
    out = tmp_path / "bench.json"
    assert (
        main(["--billing-lines", "20000", "--workdir", str(tmp_path / "work"), "--json", str(out)])
        == 0
    )
    results = json.loads(out.read_text())
    assert set(results["stages"]) == {"generate", "floor", "product", "baseline", "incremental"}
    assert all(stage["ok"] for stage in results["stages"].values())
    agreement = results["agreement"]
    assert agreement["agree"] and agreement["customer_family_pairs"] > 1000
    assert abs(agreement["product_total"] - agreement["baseline_total"]) < 0.01
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
    assert set(results["ratios"]) == {
        "product_over_floor", "baseline_over_product", "product_peak_rss_gb",
        "incremental_over_full",
    }  # fmt: skip
    baseline_target = results["targets"]["baseline_over_product"]
    assert baseline_target["baseline_out_of_laptop_memory"] is (
        results["stages"]["baseline"]["peak_rss_mb"] / 1024
        > results["laptop_memory_gb"]
        > results["ratios"]["product_peak_rss_gb"]
    )
