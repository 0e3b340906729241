"""Prefect tasks of the ingest stage: each wraps one core step for a batch of files."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsetl import pipeline, warehouse


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 2, 4], timeout_seconds=600)
def scan_folder(folder: Path, db: Path) -> pipeline.ScanPlan:
    """Migrate the warehouse and find new, changed, unchanged and removed files."""
    con = warehouse.connect(db)
    try:
        warehouse.migrate(con)
        return pipeline.scan(folder, con)
    finally:
        con.close()


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[1, 5], timeout_seconds=1800)
def process_files(
    folder: Path, entries: list[pipeline.FileEntry], run_id: str, changed: frozenset[str]
) -> pipeline.BatchResult:
    """Decode, parse, segment and validate one batch of files."""
    return pipeline.process_batch(folder, entries, run_id, changed)


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 2, 4], timeout_seconds=1800)
def load(db: Path, result: pipeline.BatchResult) -> None:
    """Load one processed batch in one transaction."""
    con = warehouse.connect(db)
    try:
        pipeline.load_batch(con, result)
    finally:
        con.close()


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 2, 4])
def finish_folder(db: Path, run_id: str, plan: pipeline.ScanPlan) -> None:
    """Flag removed files and record the files the run left alone."""
    con = warehouse.connect(db)
    try:
        warehouse.mark_removed(con, plan.removed)
        pipeline.record_unchanged(con, run_id, plan)
    finally:
        con.close()
