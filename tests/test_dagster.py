"""Real Dagster materializations of the whole graph into a temporary warehouse."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
import pytest

from ingestion.specs import SPECS
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource, dbt_resource
from orchestration.summary import GROUP_NET_REVENUE
from reconciliation.checks import EXTRACT_NET_REVENUE
from tests.conftest import BILLING_HEADER, PROJECT_ROOT, billing_line, query, write_extract


@pytest.fixture(scope="module")
def defs(dbt_manifest):
    from orchestration.definitions import defs

    return defs


def materialize_all(
    defs,
    env: dict[str, Path],
    resamples: int = 200,
    instance: dg.DagsterInstance | None = None,
    selection: dg.AssetSelection | None = None,
) -> dg.ExecuteInProcessResult:
    """Every asset and check (or those of `selection` and their checks), in process; fewer
    bootstrap resamples than production."""
    from ingestion.inbox import candidate_files
    from orchestration.defs.automation import inbox_changes
    from orchestration.partitions import range_tags

    assets = [*defs.assets, *defs.asset_checks]
    months = inbox_changes(candidate_files(env["inbox"])).months  # as `abc-warehouse run`
    return dg.materialize(
        assets,
        resources={
            "warehouse": WarehouseResource(path=str(env["warehouse"]), inbox=str(env["inbox"])),
            "dbt": dbt_resource(),
        },
        selection=selection,
        instance=instance or dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
        tags=range_tags(months[0], months[-1]),
        run_config=(
            {"ops": {"concentration": {"config": {"resamples": resamples}}}}
            if selection is None
            else None
        ),
    )


@pytest.mark.pipeline
def test_the_dbt_resource_skips_what_dagster_dbt_would_start_for_nothing():
    """WarehouseDbtCliResource overrides two private members of dagster-dbt: an upgrade
    that renames or stops calling them must fail here, not silently bring back 7 s a
    run. The version it reports is the one `dbt --version` prints."""
    import functools
    import inspect
    import re
    import subprocess

    from dagster_dbt import DbtCliResource

    from orchestration.dbt_paths import dbt_executable

    cli_source = inspect.getsource(DbtCliResource.cli)
    for member in ("_cli_version", "_initialize_dbt_core_adapter"):
        assert member in vars(DbtCliResource)
        assert f"self.{member}" in cli_source
    # The exact upstream shapes the overrides rely on: a cached property giving a Version,
    # an adapter factory taking the dbt args, and cli() working without an adapter (it
    # starts from None and carries on when the factory fails).
    assert isinstance(vars(DbtCliResource)["_cli_version"], functools.cached_property)
    assert str(inspect.signature(DbtCliResource._initialize_dbt_core_adapter)) == (
        "(self, args: collections.abc.Sequence[str]) -> dbt.adapters.base.impl.BaseAdapter"
    )
    assert "adapter: BaseAdapter | None = None" in cli_source
    printed = subprocess.run(
        [dbt_executable(), "--version"], capture_output=True, text=True, check=True
    ).stdout
    installed = re.search(r"installed:\s*(\d+\.\d+\.\d+)", printed).group(1)
    assert str(dbt_resource()._cli_version) == installed
    assert dbt_resource()._initialize_dbt_core_adapter(["build"]) is None


def test_definitions_load_with_one_job_and_every_extract(defs):
    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    assert {f"raw/{name}" for name in SPECS} <= keys
    assert "staging/stg_sap__billing_lines" in keys
    assert defs.resolve_job_def("main") is not None


def test_extract_assets_feed_the_dbt_sources(defs):
    """Lineage: each raw/<extract> asset is upstream of its stg_sap__ model."""
    graph = defs.get_repository_def().asset_graph
    for name in SPECS:
        staging = dg.AssetKey(["staging", f"stg_sap__{name}"])
        assert dg.AssetKey(["raw", name]) in graph.get(staging).parent_keys


def test_every_warehouse_writer_is_in_the_pool(defs):
    for assets_def in defs.assets:
        assert assets_def.node_def.pool == WAREHOUSE_POOL, assets_def.keys


@pytest.mark.pipeline
def test_a_dbt_build_keeps_ten_target_folders_and_leaves_its_parse_state(
    env, defs, tmp_path, monkeypatch
):
    """The dbt asset on one seed: dbt's per-invocation target folders go to a folder of
    this test's own, holding the folders of twelve earlier builds and the partial-parse
    state of the project's target."""
    from orchestration.dbt_artifacts import KEEP_DBT_BUILD_TARGETS, PARSE_STATE, PARSE_STATES
    from orchestration.defs.transformation import dbt_models

    targets = tmp_path / "dbt_target"
    targets.mkdir()
    shutil.copy(PROJECT_ROOT / "dbt_project" / "target" / "partial_parse.msgpack", targets)
    for age in range(12):
        earlier = targets / f"dbt_models-run{age:04d}-{age:07d}"
        (earlier / "compiled").mkdir(parents=True)
        os.utime(earlier, (1e9 - age * 3600, 1e9 - age * 3600))
    (targets / "not-dagsters").mkdir()
    monkeypatch.setenv("DBT_TARGET_PATH", str(targets))
    result = dg.materialize(
        [dbt_models],
        selection=[dg.AssetKey(["config", "capacity_settings"])],
        resources={
            "warehouse": WarehouseResource(path=str(env["warehouse"]), inbox=str(env["inbox"])),
            "dbt": dbt_resource(),
        },
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    # This build's folder and the nine newest before it are kept, nothing else of dbt's.
    kept = {p.name for p in targets.glob("dbt_models-*")}
    earlier_kept = {name for name in kept if name.startswith("dbt_models-run")}
    assert len(kept) == KEEP_DBT_BUILD_TARGETS == 10
    assert earlier_kept == {f"dbt_models-run{age:04d}-{age:07d}" for age in range(9)}
    (this_build,) = kept - earlier_kept
    assert (targets / this_build / "run_results.json").exists()
    assert (targets / "not-dagsters").is_dir()
    # The build left its parse state for the next invocation, which reuses it, and kept it
    # for this warehouse's profile.
    fresh = (targets / this_build / PARSE_STATE).read_bytes()
    assert (targets / PARSE_STATE).read_bytes() == fresh
    assert [p.read_bytes() == fresh for p in (targets / PARSE_STATES).iterdir()] == [True]
    next_parse = dbt_resource().cli(["parse"])
    next_parse.wait()
    assert "Partial parsing enabled" in (next_parse.target_path / "dbt.log").read_text()


def test_the_demo_run_evaluated_every_check_and_every_one_passed(demo_run):
    """The whole graph, as `make demo` runs it: every extract's checks ran, none failed,
    and net revenue per group adds up to the billing extract."""
    env, run = demo_run
    assert run.success
    checks = run.get_asset_check_evaluations()
    failed = [(c.asset_key.to_user_string(), c.check_name) for c in checks if not c.passed]
    assert failed == []
    names = {(c.asset_key.path[-1], c.check_name) for c in checks if c.asset_key.path[0] == "raw"}
    for check in ("load_reconciles", "gx_errors", "gx_warnings", "files_refused"):
        assert {(n, check) for n in SPECS} <= names
    groups = query(env["warehouse"], GROUP_NET_REVENUE)
    extract_total = query(env["warehouse"], EXTRACT_NET_REVENUE)[0][0]
    assert len(groups) == 20
    assert float(sum(r[2] for r in groups)) == pytest.approx(float(extract_total), abs=0.005)
    assert query(env["warehouse"], "select count(*) from raw._quarantine") == [(5,)]


def test_a_parse_state_that_cannot_be_kept_leaves_the_build_alone(tmp_path, caplog):
    from orchestration.dbt_artifacts import PARSE_STATE, keep_parse_state

    build = tmp_path / "dbt_models-abcdef0-1234567"
    build.mkdir()
    (build / PARSE_STATE).write_bytes(b"fresh state")
    (tmp_path / PARSE_STATE).mkdir()  # where the state goes is taken: the copy fails
    assert keep_parse_state(build) is False
    assert "parse state not kept" in caplog.text
    assert sorted(p.name for p in tmp_path.iterdir()) == [build.name, PARSE_STATE]
    (tmp_path / PARSE_STATE).rmdir()
    assert keep_parse_state(build) is True
    assert (tmp_path / PARSE_STATE).read_bytes() == b"fresh state"
    assert keep_parse_state(build) is False  # the same state: nothing to copy


def test_a_parse_state_is_kept_per_warehouse_and_put_back_for_its_next_build(tmp_path):
    """Builds on two warehouses from one checkout: each one's parse state is kept for its
    profile and put where dagster-dbt takes the next build's from, so neither parses the
    whole project again because the other built in between. The newest eight are kept."""
    from orchestration.dbt_artifacts import (
        KEEP_PARSE_STATES,
        PARSE_STATE,
        PARSE_STATES,
        keep_parse_state,
        profile_key,
        start_from_parse_state,
    )

    first, second = profile_key("/a/warehouse.duckdb", "4GB", ""), profile_key("/b/w", "4GB", "")
    assert first != second != profile_key("/b/w", "4GB", "{rate_basis: month}")
    for key, state in ((first, b"state of a"), (second, b"state of b")):
        build = tmp_path / f"dbt_models-{key[:7]}-0000000"
        build.mkdir()
        (build / PARSE_STATE).write_bytes(state)
        assert keep_parse_state(build, key) is True
    assert (tmp_path / PARSE_STATE).read_bytes() == b"state of b"
    assert start_from_parse_state(tmp_path, first) is True
    assert (tmp_path / PARSE_STATE).read_bytes() == b"state of a"
    assert start_from_parse_state(tmp_path, first) is False  # in place already
    assert start_from_parse_state(tmp_path, profile_key("/c", "4GB", "")) is False
    assert (tmp_path / PARSE_STATE).read_bytes() == b"state of a"
    for key in (first, second):  # the oldest
        os.utime(tmp_path / PARSE_STATES / f"{key}.msgpack", (1e8, 1e8))
    for n in range(KEEP_PARSE_STATES):
        build = tmp_path / f"dbt_models-more-{n:07d}"
        build.mkdir()
        (build / PARSE_STATE).write_bytes(f"state {n}".encode())
        keep_parse_state(build, profile_key(str(n), "4GB", ""))
        os.utime(tmp_path / PARSE_STATES / f"{profile_key(str(n), '4GB', '')}.msgpack",
                 (1e9 + n, 1e9 + n))  # fmt: skip
    kept = sorted(p.read_bytes() for p in (tmp_path / PARSE_STATES).iterdir())
    assert kept == sorted(f"state {n}".encode() for n in range(KEEP_PARSE_STATES))


def test_a_new_manifest_replaces_the_old_in_one_step(tmp_path):
    """`abc-warehouse prepare` parses into a folder of its own and moves the result into
    the target folder: a reader of the manifest (a run loading the definitions while the
    benchmark or a developer prepares) has the old file whole or the new, never one dbt is
    still writing; the manifest comes last, so its time says current only when the parse
    state and the semantic manifest beside it are new too. The parse state is also kept for
    the profile it was parsed under, for the first build there."""
    from orchestration.dbt_artifacts import PARSE_STATE, PARSE_STATES, publish_parse

    target, staging = tmp_path / "target", tmp_path / "target" / ".parse-0123456789ab"
    staging.mkdir(parents=True)
    names = ["dbt.log", PARSE_STATE, "semantic_manifest.json", "manifest.json"]
    for name in names:
        (target / name).write_text(f"old {name}")
        (staging / name).write_text(f"new {name}")
    with (target / "manifest.json").open() as reading:
        publish_parse(staging, target, "0123456789abcdef")
        assert reading.read() == "old manifest.json"
    assert {name: (target / name).read_text() for name in names} == {
        name: f"new {name}" for name in names
    }
    kept = target / PARSE_STATES / "0123456789abcdef.msgpack"
    assert kept.read_text() == f"new {PARSE_STATE}"
    # The parse's own folder is gone.
    assert sorted(p.name for p in target.iterdir()) == sorted([*names, PARSE_STATES])


@pytest.mark.pipeline
def test_error_severity_expectation_blocks_dbt(env, defs):
    # Two lines with the same billing document and item: the unique expectation fails.
    write_extract(
        env["inbox"], "VBRP_2010-03.csv", [BILLING_HEADER, billing_line(), billing_line()]
    )
    result = materialize_all(defs, env)
    checks = {
        (c.asset_key.to_user_string(), c.check_name): c.passed
        for c in result.get_asset_check_evaluations()
    }
    assert checks[("raw/billing_lines", "gx_errors")] is False
    assert checks[("raw/billing_lines", "load_reconciles")] is True
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "raw/billing_lines" in materialized
    assert "staging/stg_sap__billing_lines" not in materialized


def test_a_failed_dbt_build_ends_with_each_failing_node_and_its_first_error():
    from orchestration.defs.transformation import build_failure

    results = [
        {"unique_id": "model.abc_warehouse.int_activity_rates", "status": "success",
         "message": "OK"},
        {"unique_id": "test.abc_warehouse.utilisation_within_bound", "status": "error",
         "message": "Runtime Error in test utilisation_within_bound\n  Invalid Input Error: "
                    "utilisation above 150 % of practical capacity: Order office 2010 1586 %"},
        {"unique_id": "model.abc_warehouse.fct_unused_capacity", "status": "skipped",
         "message": None},
    ]  # fmt: skip
    assert build_failure(results, "/t/dbt.log") == (
        "dbt build failed on 1 node(s):\n"
        "  test.abc_warehouse.utilisation_within_bound: Runtime Error in test "
        "utilisation_within_bound Invalid Input Error: utilisation above 150 % of practical "
        "capacity: Order office 2010 1586 %\n"
        "Full log: /t/dbt.log"
    )


def test_every_asset_has_a_layer_or_domain_group_and_an_owning_team(defs):
    graph = defs.get_repository_def().asset_graph
    groups = {}
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.owners and all(o.startswith("team:") for o in node.owners), key
        assert node.kinds, key
        groups.setdefault(node.group_name, set()).add(key.path[0])
    assert set(groups) == {
        "ingestion", "staging", "intermediate", "costing", "suppliers", "strategy",
        "scenarios", "semantic", "analytics", "serving",
    }  # fmt: skip
    assert groups["staging"] == {"staging"} and groups["ingestion"] == {"raw"}
    assert groups["semantic"] == {"semantic"}  # the time spine of the metrics
    assert "default" not in groups


def test_the_demo_has_its_twelve_months_as_partitions_every_one_loaded(demo_run):
    """`abc-warehouse demo` writes the demo's settings beside its warehouse: the Dagster UI
    shows the twelve months of 2010, not every month since 2000."""
    from orchestration.partitions import monthly_partitions
    from orchestration.settings import SETTINGS_FILE_NAME, load_settings

    env, _ = demo_run
    settings = load_settings(env["warehouse"].parent / SETTINGS_FILE_NAME)
    keys = monthly_partitions(settings).get_partition_keys()
    assert keys == [f"2010-{m:02d}-01" for m in range(1, 13)]
    loaded = query(env["warehouse"], "select distinct _period::varchar from raw.billing_lines")
    assert sorted(p for (p,) in loaded) == keys
