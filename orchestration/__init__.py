"""Dagster wiring: thin assets over the plain libraries in ingestion/ and dbt_project/."""
