"""What runs by itself under `make dev`: the inbox sensor requests runs only for content
not loaded yet, and a successful ingest run requests the build that brings the marts,
analytics and the serving snapshot up to date. Real sensor evaluations and real runs on
a real Dagster instance, on a copy of the built demo."""

from __future__ import annotations

from decimal import Decimal

import dagster as dg
import pytest

from orchestration.defs.automation import build_after_ingest, build_job, inbox_sensor, ingest_job
from orchestration.resources import WarehouseResource, dbt_resource
from serving.publish import SNAPSHOT_FILE
from tests.conftest import BILLING_HEADER, billing_line, query, write_extract

pytestmark = pytest.mark.pipeline

BILLING = dg.AssetKey(["raw", "billing_lines"])
JANUARY_2011 = (
    "select sum(net_revenue) from marts.fct_customer_profitability "
    "where period_type = 'month' and period_start = date '2011-01-01'"
)


@pytest.fixture
def project(demo_copy, dbt_manifest):
    """The project's assets and jobs with resources on the demo copy, and an instance."""
    from orchestration.definitions import defs

    resource = WarehouseResource(path=str(demo_copy["warehouse"]), inbox=str(demo_copy["inbox"]))
    local = dg.Definitions(
        assets=defs.assets,
        asset_checks=defs.asset_checks,
        jobs=[ingest_job, build_job],
        resources={"warehouse": resource, "dbt": dbt_resource()},
    )
    with dg.instance_for_test() as instance:
        yield local, resource, instance, demo_copy


def tick(sensor, resource, instance, cursor=None):
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"warehouse": resource}
    )
    return sensor(context), context.cursor


def test_after_the_demo_the_sensor_requests_nothing(demo_run):
    """`make dev` after `make demo`: every file in the demo's inbox is loaded, so the
    first tick (an empty cursor) starts no run. The demo's own folders, as make demo left
    them (the sensor only reads)."""
    env, _ = demo_run
    resource = WarehouseResource(path=str(env["warehouse"]), inbox=str(env["inbox"]))
    with dg.instance_for_test() as instance:
        result, cursor = tick(inbox_sensor, resource, instance)
    assert isinstance(result, dg.SkipReason), result
    assert cursor  # the files are remembered: the next tick does not look at them again


def test_a_dropped_file_reaches_the_serving_snapshot_through_ingest_and_build(project):
    local, resource, instance, paths = project
    write_extract(
        paths["inbox"],
        "VBRP_2011-01.csv",
        [
            BILLING_HEADER,
            billing_line(vbeln="95000001", fkdat="20110110", kunag="10001", netwr="1.000,00"),
            billing_line(vbeln="95000002", fkdat="20110120", kunag="10002", netwr="500,00"),
        ],
    )
    (request,) = tick(inbox_sensor, resource, instance)[0]
    assert (request.partition_key, request.asset_selection) == ("2011-01-01", [BILLING])

    ingest = local.resolve_job_def("ingest").execute_in_process(
        instance=instance, partition_key=request.partition_key, asset_selection=[BILLING]
    )
    assert ingest.success
    # Loaded, not yet built: the marts know nothing of January.
    assert query(paths["warehouse"], JANUARY_2011) == [(None,)]

    run = instance.get_run_by_id(ingest.run_id)
    (success,) = instance.all_logs(ingest.run_id, of_type=dg.DagsterEventType.RUN_SUCCESS)
    context = dg.build_run_status_sensor_context(
        sensor_name=build_after_ingest.name,
        dagster_event=success.dagster_event,
        dagster_instance=instance,
        dagster_run=run,
    )
    build_request = build_after_ingest(context)
    assert isinstance(build_request, dg.RunRequest)
    assert build_request.run_key == f"after-ingest-{ingest.run_id}"

    build = local.resolve_job_def("build").execute_in_process(
        instance=instance,
        run_config={"ops": {"concentration": {"config": {"resamples": 20}}}},
        tags=build_request.tags,
    )
    assert build.success
    assert query(paths["warehouse"], JANUARY_2011) == [(Decimal("1500.00"),)]
    snapshot = paths["warehouse"].parent / "serving" / SNAPSHOT_FILE
    assert query(snapshot, JANUARY_2011) == [(Decimal("1500.00"),)]

    # Now loaded: the sensor asks for nothing more, even from an empty cursor.
    assert isinstance(tick(inbox_sensor, resource, instance)[0], dg.SkipReason)

    # A build already waiting to start takes in this load: no second one.
    instance.add_run(dg.DagsterRun(job_name="build", status=dg.DagsterRunStatus.NOT_STARTED))
    assert isinstance(build_after_ingest(context), dg.SkipReason)
