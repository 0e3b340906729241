"""Prefect: the flows and tasks that run the stages, deployments, Prefect settings."""
