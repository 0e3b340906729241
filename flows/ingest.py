"""The ingest flow: scan the folder, process and load changed files in batches, check, report."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from prefect import flow, get_run_logger

from flows.quality import check_and_report
from flows.tasks import finish_folder, load, process_files, scan_folder
from newsetl import pipeline, warehouse
from newsetl.lock import writer_lock

DEFAULT_BATCH_SIZE = 200
LOCK_WAIT_SECONDS = 60


@flow(name="newsetl-ingest", log_prints=True)
def ingest(
    seeds: str = "seeds",
    db: str = "warehouse/news.duckdb",
    reports: str = "reports",
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> dict:
    """Bring the warehouse up to date with the page folder; return the run summary."""
    logger = get_run_logger()
    folder, db_path, out_dir = Path(seeds), Path(db), Path(reports)
    started = time.monotonic()
    with writer_lock(db_path, wait_seconds=LOCK_WAIT_SECONDS):
        plan = scan_folder(folder, db_path)
        run_id = pipeline.new_run_id()
        with warehouse.connection(db_path) as con:
            pipeline.start_run(con, run_id, folder)
        counts: Counter[str] = Counter(seen=plan.seen, unchanged=len(plan.unchanged))
        try:
            changed = frozenset(e.path for e in plan.changed)
            todo = plan.to_load
            logger.info(
                "%d files: %d to load, %d unchanged, %d removed",
                plan.seen,
                len(todo),
                len(plan.unchanged),
                len(plan.removed),
            )
            for i in range(0, len(todo), batch_size):
                result = process_files(folder, todo[i : i + batch_size], run_id, changed)
                load(db_path, result)
                counts.update(result.counts())
            finish_folder(db_path, run_id, plan)
            counts["removed"] = len(plan.removed)
            checks, report_path = check_and_report(db_path, run_id, out_dir)
        except BaseException as exc:
            with warehouse.connection(db_path) as con:
                pipeline.finish_run(
                    con,
                    run_id,
                    "failed",
                    counts,
                    time.monotonic() - started,
                    f"{type(exc).__name__}: {exc}",
                )
            raise
        seconds = time.monotonic() - started
        status = "failed" if checks.errors else "completed"
        with warehouse.connection(db_path) as con:
            pipeline.finish_run(con, run_id, status, counts, seconds, checks.message)
    return {
        "run_id": run_id,
        "status": status,
        "counts": dict(counts),
        "seconds": seconds,
        "report": str(report_path),
        "checks": checks.as_dict(),
    }
