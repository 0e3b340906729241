"""Scheduled upkeep of the warehouse: rewrite the report, re-run every data-quality check."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger
from prefect.states import Failed, State

from newsetl.orchestration.artifacts import check_and_report, write_report
from newsetl.warehouse import ledger, publish, store
from newsetl.warehouse.lock import writer_lock

LOCK_WAIT_SECONDS = 300


@flow(name="newsetl-report", flow_run_name="report-{db}", log_prints=True)
def report(db: str = "warehouse/news.duckdb", reports: str = "reports") -> str | State:
    """Rewrite the HTML data-quality report from the warehouse; return its path."""
    if missing := _no_warehouse(db):
        return missing
    with writer_lock(db, wait_seconds=LOCK_WAIT_SECONDS):
        path = write_report(Path(db), Path(reports))
    get_run_logger().info("Report written to %s", path)
    return str(path)


@flow(name="newsetl-recheck", flow_run_name="recheck-{db}", log_prints=True)
def recheck(db: str = "warehouse/news.duckdb", reports: str = "reports") -> dict | State:
    """Re-run every data-quality suite on the whole warehouse and rewrite the report."""
    if missing := _no_warehouse(db):
        return missing
    logger = get_run_logger()
    run_id = f"{ledger.new_run_id()}-recheck"  # sorts by time with the ingest runs
    with writer_lock(db, wait_seconds=LOCK_WAIT_SECONDS), publish.writing(db, logger) as work:
        checks, path = check_and_report(work, run_id, Path(reports))
    logger.info("%s; report written to %s", checks.message, path)
    return {"run_id": run_id, "checks": checks.as_dict(), "report": str(path)}


def _no_warehouse(db: str) -> State | None:
    """A Failed state, its reason logged in one line, when there is no warehouse yet."""
    if Path(db).exists() or store.writer_file(db).exists():
        return None
    message = f"No warehouse at {db} yet: run `newsetl run` (or the ingest deployment) first."
    get_run_logger().error(message)
    return Failed(message=message)
