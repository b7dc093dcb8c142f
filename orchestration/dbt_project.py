"""The dbt project as Dagster sees it. Kept free of other imports so that
`dagster-dbt project prepare-and-package --file orchestration/dbt_project.py` can load it."""

from pathlib import Path

from dagster_dbt import DbtProject

PROJECT_ROOT = Path(__file__).resolve().parent.parent

dbt_project = DbtProject(
    project_dir=PROJECT_ROOT / "dbt_project",
    profiles_dir=PROJECT_ROOT / "profiles",
)
# Under `dagster dev` this (re)builds the manifest; elsewhere the manifest must already
# exist (`abc-warehouse prepare`, run by make demo/dev and by the test suite).
dbt_project.prepare_if_dev()
