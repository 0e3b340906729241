"""Prefect tasks of the data-quality stage: checks and the report."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsetl import quality, report


@task(cache_policy=NO_CACHE, timeout_seconds=1800)
def check_warehouse(db: Path, run_id: str) -> quality.CheckSummary:
    """Run the data-quality suites on the loaded tables."""
    return quality.run_checks(db, run_id)


@task(cache_policy=NO_CACHE, timeout_seconds=600)
def write_report(db: Path, out_dir: Path) -> Path:
    """Write the HTML data-quality report."""
    return report.write_report(db, out_dir)


def check_and_report(db: Path, run_id: str, out_dir: Path) -> tuple[quality.CheckSummary, Path]:
    """The whole data-quality stage of a run."""
    checks = check_warehouse(db, run_id)
    return checks, write_report(db, out_dir)
