"""Prefect flows: thin orchestration of the newsetl core."""
