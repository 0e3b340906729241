"""Scheduled upkeep of the warehouse: TextRank keywords, the report, every data-quality check."""

from __future__ import annotations

from pathlib import Path

import duckdb
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Failed, State

from newsetl.orchestration.artifacts import check_and_report, write_report
from newsetl.warehouse import ledger, publish, store, textrank
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


@flow(name="newsetl-textrank", flow_run_name="textrank-{db}", log_prints=True)
def rank_textrank(db: str = "warehouse/news.duckdb", reports: str = "reports") -> dict | State:
    """Add TextRank keywords to the loaded articles that have none; then check and report."""
    if missing := _no_warehouse(db):
        return missing
    logger = get_run_logger()
    run_id = f"{ledger.new_run_id()}-textrank"
    result: dict = {"run_id": run_id}
    with writer_lock(db, wait_seconds=LOCK_WAIT_SECONDS), publish.writing(db, logger) as work:
        with store.connection(work) as con:
            result["articles"], result["keywords"] = rank_in_bulk(con)
        logger.info(
            "TextRank: %d articles ranked, %d keywords added.",
            result["articles"],
            result["keywords"],
        )
        if result["keywords"]:
            checks, path = check_and_report(work, run_id, Path(reports))
            result |= {"checks": checks.as_dict(), "report": str(path)}
    return result


@task(cache_policy=NO_CACHE, timeout_seconds=3600)
def rank_in_bulk(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Rank every current article without TextRank keywords: (articles, keywords added)."""
    return textrank.rank_unranked(con)


def _no_warehouse(db: str) -> State | None:
    """A Failed state, its reason logged in one line, when there is no warehouse yet."""
    if Path(db).exists() or store.writer_file(db).exists():
        return None
    message = f"No warehouse at {db} yet: run `newsetl run` (or the ingest deployment) first."
    get_run_logger().error(message)
    return Failed(message=message)
