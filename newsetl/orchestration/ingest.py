"""The ingest flow: scan the folder, process and load changed files in batches, check, report.

Batches are processed ahead of the load (in local worker processes, or on a Dask cluster)
while the flow's process loads finished batches in order: one DuckDB writer, always.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter, deque
from pathlib import Path

from prefect import flow, get_run_logger, tags
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
from newsetl.orchestration.tasks import (
    finish_folder,
    held_warehouse,
    load,
    process_files,
    scan_folder,
    worker_pool,
)
from newsetl.report import build
from newsetl.source import inventory, pagefiles
from newsetl.warehouse import ledger, store
from newsetl.warehouse.lock import writer_lock

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
    logger = get_run_logger()
    folder, public, out_dir = Path(seeds), Path(db), Path(reports)
    workers = workers or default_workers()
    started = time.monotonic()
    stages: Counter[str] = Counter()
    # The run writes the writer's own file and publishes it at `db` when it ends.
    with (
        writer_lock(public, wait_seconds=LOCK_WAIT_SECONDS),
        store.writing(public, logger) as db_path,
    ):
        tick = time.perf_counter()
        plan = scan_folder(folder, db_path, pattern, allow_removal)
        stages["scan"] = time.perf_counter() - tick
        run_id = _this_run_id()
        with store.connection(db_path) as con:
            settled = ledger.settle_dead_runs(con, db_path, run_id)
            ledger.start_run(con, run_id, folder)
        if settled:
            logger.warning("Recorded the end of %d earlier runs that ended unrecorded.", settled)
        counts: Counter[str] = Counter(
            seen=plan.seen,
            unchanged=len(plan.unchanged) + len(plan.rejected),
            skipped=len(plan.skipped),
        )
        rejected: list[dict] = []
        try:
            todo = plan.to_load
            logger.info(
                "%d files: %d to load, %d unchanged, %d removed; %d entries skipped",
                plan.seen,
                len(todo),
                len(plan.unchanged),
                len(plan.removed),
                len(plan.skipped),
            )
            for skipped in plan.skipped:
                logger.warning("Skipped %s: %s.", skipped.path, skipped.reason)
            if plan.hold_reason:
                logger.warning(plan.hold_reason)
                counts["removal_held"] = len(plan.held)
            batches = [todo[i : i + batch_size] for i in range(0, len(todo), batch_size)]
            changed = frozenset(e.path for e in plan.changed)
            pool_size = workers if local_pool and len(batches) > 1 else 1
            with worker_pool(pool_size), held_warehouse(db_path):
                in_flight: deque[PrefectFuture[batch.BatchResult]] = deque()
                for batch in batches:
                    in_flight.append(process_files.submit(folder, batch, run_id, changed))
                    if len(in_flight) > workers:
                        _load_next(db_path, plan, in_flight, counts, stages, rejected)
                while in_flight:
                    _load_next(db_path, plan, in_flight, counts, stages, rejected)
                finish_folder(db_path, run_id, plan)
                tick = time.perf_counter()
            stages["load"] += time.perf_counter() - tick  # the final checkpoint
            counts["removed"] = len(plan.removed)
            if quality_stage:
                checks = _check(db_path, run_id, out_dir, counts, stages, fail_on_error)
                report_path: Path | None = out_dir / "index.html"
                checks_stood = not checks.dq_run_id.startswith(run_id)  # nothing changed
                if checks_stood and build.stands(db_path, out_dir):
                    logger.info("Nothing changed: the report %s stands.", report_path)
                else:
                    tick = time.perf_counter()
                    report_path = write_report(db_path, out_dir, run_id, _run_row(run_id, counts))
                    stages["report"] = time.perf_counter() - tick
            else:
                checks, report_path = suites.CheckSummary(f"{run_id}:unchecked"), None
        except BaseException as exc:
            message = f"{type(exc).__name__}: {exc}"
            seconds = time.monotonic() - started
            if not ledger.record_failure(db_path, run_id, counts, seconds, message):
                logger.warning("Could not record the failure in %s: the next run will.", db_path)
            raise
        seconds = time.monotonic() - started
        status = "failed" if checks.errors else "completed"
        with store.connection(db_path) as con:
            message = checks.message if quality_stage else "not checked: the next run checks"
            if plan.hold_reason:
                message += f"; {plan.hold_reason}"
            ledger.finish_run(con, run_id, status, counts, seconds, message)
    summary = {
        "run_id": run_id,
        "status": status,
        "counts": dict(counts),
        "seconds": seconds,
        "stages": {s: round(stages[s], 3) for s in ledger.STAGES},
        "bytes": counts["bytes"],
        "report": str(report_path) if report_path else None,
        "checks": checks.as_dict(),
        "rejected": rejected,
        "removal_held": plan.hold_reason,
    }
    publish_run_summary(summary)
    return final_state(summary)


def _run_row(run_id: str, counts: Counter[str]) -> dict:
    """This run's counts as its etl_run row will hold them, for the report it writes."""
    files = ("seen", "loaded", "changed", "unchanged", "removed", "quarantined")
    return {"run_id": run_id, **{f"files_{k}": counts[k] for k in files}}


def _load_next(
    db: Path,
    plan: inventory.ScanPlan,
    in_flight: deque[PrefectFuture[batch.BatchResult]],
    counts: Counter[str],
    stages: Counter[str],
    rejected: list[dict],
) -> None:
    """Wait for the oldest batch in flight, load it, and name what it rejected in the log."""
    result = in_flight.popleft().result()
    tick = time.perf_counter()
    load(db, result, plan.folders)
    stages["load"] += time.perf_counter() - tick
    stages.update(result.seconds)
    counts.update(result.counts())
    counts["bytes"] += result.size_bytes
    logger = get_run_logger()
    for r in result.rejected():
        rejected.append(r)
        if r["table"]:
            logger.warning(
                "Rejected %s %s of %s: %s.", r["table"], r["row_key"], r["path"], r["check"]
            )
        else:
            logger.warning("Quarantined %s.", r["reason"])
    result.release()


def _check(
    db: Path,
    run_id: str,
    out_dir: Path,
    counts: Counter[str],
    stages: Counter[str],
    fail_on_error: bool | None,
) -> suites.CheckSummary:
    """Check the warehouse after a run that changed it; otherwise the last check stands."""
    if not (counts["loaded"] or counts["changed"] or counts["quarantined"] or counts["removed"]):
        with store.connection(db) as con:
            last = standing.standing_checks(con, run_id)
        if last is not None:
            if fail_on_error is not None:
                last.fail_on_error = fail_on_error
            get_run_logger().info(
                "Nothing changed since check %s: its results stand.", last.dq_run_id
            )
            return last
    tick = time.perf_counter()
    checks = check_warehouse(db, run_id, fail_on_error)
    stages["checks"] = time.perf_counter() - tick
    return checks


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
