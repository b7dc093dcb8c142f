"""Reconciliation of the marts against the extracts, each by a path independent of dbt."""
