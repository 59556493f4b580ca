"""Dagster assets: the raw layer written by ingest, and every dbt node."""
