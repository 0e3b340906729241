"""The ingest flow: scan the folder, process and load changed files in batches, check, report.

Batches are processed ahead of the load (in local worker processes, or on a Dask cluster)
while the flow's process loads finished batches in order: one DuckDB writer, always.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from pathlib import Path

from prefect import flow, get_run_logger, tags
from prefect.context import TagsContext
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run

from newsetl import batch
from newsetl.checks import standing, suites
from newsetl.orchestration.artifacts import (
    check_warehouse,
    final_state,
    publish_run_summary,
    write_report,
)
from newsetl.orchestration.tasks import finish_folder, load, process_files, scan_folder, worker_pool
from newsetl.report import build
from newsetl.source import inventory, pagefiles
from newsetl.warehouse import ledger, publish, store
from newsetl.warehouse.lock import writer_lock
from newsetl.warehouse.runbook import RunBook

DEFAULT_BATCH_SIZE = 200
LOCK_WAIT_SECONDS = 60
RUNNERS = ("local", "dask")


_prefetched: threading.Thread | None = None


def prefetch(
    seeds: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    runner: str = "local",
    pattern: str = pagefiles.DEFAULT_PATTERN,
) -> None:
    """Load the segmenter's dictionaries and the checks library in a background thread.

    Only for a run that processes its pages in this process (one batch, locally): started
    before the flow, or before the Prefect API answers, the loading overlaps with that wait.
    A larger run leaves both to its workers and its quality stage, rather than hold them in
    memory beside its loads. Started once per process.
    """
    global _prefetched
    if _prefetched is not None or runner != "local":
        return
    try:
        if len(pagefiles.list_pages(Path(seeds), pattern).pages) > batch_size:
            return
    except OSError:  # the run's scan says what is wrong with the folder
        return

    def load() -> None:
        batch.warm_up()
        import great_expectations  # noqa: F401

    _prefetched = threading.Thread(target=load, name="newsetl-prefetch", daemon=True)
    _prefetched.start()


def default_workers() -> int:
    """Local worker processes: one per core."""
    return os.cpu_count() or 1


RUN_PREFIX = "ingest-"


def _run_name() -> str:
    """The flow run's name: `ingest-<run id>`, the id its etl_run row and report carry."""
    return RUN_PREFIX + ledger.new_run_id()


def _this_run_id() -> str:
    """The run id in this flow run's name (a new one when the run was named otherwise)."""
    name = flow_run.name or ""
    return name.removeprefix(RUN_PREFIX) if name.startswith(RUN_PREFIX) else ledger.new_run_id()


@flow(name="newsetl-ingest", flow_run_name=_run_name, log_prints=True)
def ingest(
    seeds: str = "seeds",
    db: str = "warehouse/news.duckdb",
    reports: str = "reports",
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int | None = None,
    local_pool: bool = True,
    fail_on_error: bool | None = None,
    quality_stage: bool = True,
    pattern: str = pagefiles.DEFAULT_PATTERN,
    allow_removal: bool = False,
) -> dict:
    """Bring the warehouse up to date with the page folder; return the run summary.

    Only files of this folder are marked removed when they leave it; when the folder is
    empty or missing, or more than half of its current pages are gone, none are, and the
    summary says why (`removal_held`), unless `allow_removal`.

    Only the folder's page files (names matching `pattern`; see `newsetl.source.pagefiles`) are
    read; every other entry is counted as skipped and logged once.

    `workers` batches are processed at once (default: one per core); with `local_pool` they
    run in local worker processes, otherwise wherever the flow's task runner sends them.
    Error-level check failures mark the run failed in `etl_run` and end the flow run in the
    state "Checks failed" unless `fail_on_error` is False (default: the
    NEWSETL_FAIL_ON_DQ_ERROR setting); rejected input ends it in "Rejected input".
    `quality_stage=False` loads without checking or reporting (to time the ingest alone): the
    next run checks.
    """
    folder, public = Path(seeds), Path(db)
    book = RunBook(_this_run_id(), folder, get_run_logger())
    # The run writes the writer's own file and publishes it at `db` when it ends. Its tags
    # mark the flow run; task runs without tags skip Prefect's tag concurrency limits, a
    # request to the API per task run (0.15 s each at 100 MB while the workers are busy).
    with (
        TagsContext(current_tags=set()),
        writer_lock(public, wait_seconds=LOCK_WAIT_SECONDS),
        publish.writing(public, book.logger) as work,
    ):
        with book.timed("scan"):
            plan = scan_folder(folder, work, pattern, allow_removal)
        book.open(work, plan)
        with book.failing(work):
            _load_folder(work, plan, book, batch_size, workers or default_workers(), local_pool)
            if quality_stage:
                checks, report = _check_and_report(work, book, Path(reports), fail_on_error)
            else:
                checks, report = suites.CheckSummary(f"{book.run_id}:unchecked"), None
        message = checks.message if quality_stage else "not checked: the next run checks"
        status = book.close(work, checks.errors, message)
    summary = book.summary(status, checks.as_dict(), report)
    publish_run_summary(summary)
    return final_state(summary)


def _load_folder(
    db: Path, plan: inventory.ScanPlan, book: RunBook, batch_size: int, workers: int, local: bool
) -> None:
    """Process the files to load in batches, `workers` at once, and load them in order in
    this process (one DuckDB writer); then record the files that left the folder."""
    todo = plan.to_load
    batches = [todo[i : i + batch_size] for i in range(0, len(todo), batch_size)]
    changed = frozenset(e.path for e in plan.changed)
    with (
        worker_pool(workers if local and len(batches) > 1 else 1) as pool,
        store.loading(db) as con,
    ):
        in_flight: deque[PrefectFuture[batch.BatchResult]] = deque()

        def load_next() -> None:
            result = in_flight.popleft().result()
            with book.timed("load"):
                load(con, result, plan.folders)
            book.loaded(result)
            result.release()

        for files in batches:
            in_flight.append(process_files.submit(book.folder, files, book.run_id, changed, pool))
            if len(in_flight) > workers:
                load_next()
        while in_flight:
            load_next()
        with book.timed("load"):
            finish_folder(con, book.run_id, plan)
            con.close()  # the final checkpoint
    book.counts.removed = len(plan.removed)


def _check_and_report(
    db: Path, book: RunBook, out_dir: Path, fail_on_error: bool | None
) -> tuple[suites.CheckSummary, Path]:
    """Check the warehouse after a run that changed it (otherwise the last check stands),
    then write the report unless the standing one still describes the warehouse."""
    last = None
    if not book.counts.changed_data:
        with store.connection(db) as con:
            last = standing.standing_checks(con, book.run_id)
    report = out_dir / "index.html"
    if last is not None:
        if fail_on_error is not None:
            last.fail_on_error = fail_on_error
        book.logger.info("Nothing changed since check %s: its results stand.", last.dq_run_id)
        if build.stands(db, out_dir):
            book.logger.info("Nothing changed: the report %s stands.", report)
            return last, report
        checks = last
    else:
        with book.timed("checks"):
            checks = check_warehouse(db, book.run_id, fail_on_error)
    with book.timed("report"):
        report = write_report(db, out_dir, book.run_id, book.report_row())
    return checks, report


def run_ingest(
    seeds: str,
    db: str,
    reports: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int | None = None,
    runner: str = "local",
    address: str | None = None,
    quality_stage: bool = True,
    pattern: str = pagefiles.DEFAULT_PATTERN,
    allow_removal: bool = False,
) -> dict:
    """Run the ingest flow with its batches in local processes or on a Dask cluster.

    With `runner="dask"` each batch is a Prefect task run by prefect-dask's DaskTaskRunner on
    the cluster at `address`; loading, checks and the report stay in this process. The Dask
    workers report task states to the Prefect API, so one must be set (PREFECT_API_URL): a
    temporary API lives inside this process, where remote workers cannot reach it.
    """
    if runner not in RUNNERS:
        raise ValueError(f"Unknown runner {runner!r}: choose one of {', '.join(RUNNERS)}.")
    prefetch(seeds, batch_size, runner, pattern)
    with tags(*run_tags(seeds, db)):
        return _run(
            seeds,
            db,
            reports,
            batch_size,
            workers,
            runner,
            address,
            quality_stage,
            pattern,
            allow_removal,
        )


def run_tags(seeds: str, db: str) -> tuple[str, ...]:
    """Tags of a run started by newsetl: which inbox it read and which warehouse it wrote."""
    return ("newsetl", f"inbox:{Path(seeds).resolve()}", f"warehouse:{Path(db).resolve()}")


def _run(
    seeds: str,
    db: str,
    reports: str,
    batch_size: int,
    workers: int | None,
    runner: str,
    address: str | None,
    quality_stage: bool,
    pattern: str,
    allow_removal: bool,
) -> dict:
    if runner == "local":
        return ingest(
            seeds,
            db,
            reports,
            batch_size,
            workers,
            quality_stage=quality_stage,
            pattern=pattern,
            allow_removal=allow_removal,
        )
    from prefect.settings import PREFECT_API_URL
    from prefect_dask import DaskTaskRunner

    if not address:
        raise ValueError("The Dask runner needs the scheduler's address (tcp://host:8786).")
    if not PREFECT_API_URL.value():
        raise ValueError(
            "The Dask runner needs a Prefect server its workers can reach: start one "
            "(`prefect server start`) and set PREFECT_API_URL."
        )
    on_dask = ingest.with_options(task_runner=DaskTaskRunner(address=address))
    return on_dask(
        seeds,
        db,
        reports,
        batch_size,
        workers or 2 * default_workers(),
        local_pool=False,
        quality_stage=quality_stage,
        pattern=pattern,
        allow_removal=allow_removal,
    )
