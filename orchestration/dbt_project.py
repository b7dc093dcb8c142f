"""The dbt project as Dagster sees it. It imports nothing but dagster-dbt and the paths
(orchestration/dbt_paths.py), so that `dagster-dbt project prepare-and-package --file
orchestration/dbt_project.py` can load it."""

from dagster_dbt import DbtProject

from orchestration.dbt_paths import DBT_PROJECT_DIR, PROFILES_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=PROFILES_DIR)
# Under `dagster dev` this (re)builds the manifest; elsewhere the manifest must already
# exist (`abc-warehouse prepare`, run by make demo/dev and by the test suite).
dbt_project.prepare_if_dev()
