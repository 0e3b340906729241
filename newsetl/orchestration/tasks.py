"""Prefect tasks of the ingest stage: each wraps one core step for a batch of files.

Parsing and enriching are CPU-bound Python, so a flow running locally hands the body of
`process_files` to a pool of worker processes (`worker_pool`) while the task itself, its
state and retries stay in the flow's process: the workers need no Prefect API. On a Dask
cluster the task runs on a Dask worker instead and processes its batch there.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import duckdb
from prefect import task
from prefect.cache_policies import NO_CACHE

from newsetl import batch
from newsetl.source import inventory
from newsetl.warehouse import ledger, store

# Worker processes yield the CPU to the flow's process: the single writer's loads are the
# run's one serial chain, and a load that waits for a core holds back every later batch.
WORKER_NICENESS = 15


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """`workers` local processes for batches while inside; None (inline) when below 2."""
    if workers < 2:
        yield None
        return
    # spawn, not fork: the flow's process runs threads and holds the warehouse lock.
    context = multiprocessing.get_context("spawn")
    # The initializer and the work are core functions (`newsetl.batch`): a worker imports
    # what processing needs, never Prefect (0.05 GB a worker).
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=batch.start_worker, initargs=(WORKER_NICENESS,)
    ) as pool:
        yield pool


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 2, 4], timeout_seconds=600)
def scan_folder(folder: Path, db: Path, pattern: str, allow_removal: bool) -> inventory.ScanPlan:
    """Migrate the warehouse and find new, changed, unchanged, removed and skipped files."""
    with store.connection(db) as con:
        store.migrate(con)
        return inventory.scan(folder, store.known_files(con, folder), pattern, allow_removal)


# No timeout: the flow submits this task to a thread, where Prefect cannot enforce one.
@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[1, 5])
def process_files(
    folder: Path,
    entries: list[inventory.FileEntry],
    run_id: str,
    changed: frozenset[str],
    pool: ProcessPoolExecutor | None = None,
) -> batch.BatchResult:
    """Decode, parse, segment and validate one batch of files (in `pool` if given)."""
    if pool is None:
        return batch.process_batch(folder, entries, run_id, changed)
    return pool.submit(batch.process_batch, folder, entries, run_id, changed).result()


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 2, 4], timeout_seconds=1800)
def load(con: duckdb.DuckDBPyConnection, result: batch.BatchResult, folders: list[str]) -> None:
    """Load one processed batch of the folder in one transaction."""
    ledger.load_batch(con, result, folders)


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 2, 4])
def finish_folder(con: duckdb.DuckDBPyConnection, run_id: str, plan: inventory.ScanPlan) -> None:
    """Flag and record the files that left the folder."""
    store.mark_removed(con, plan.removed, plan.folders)
    ledger.record_removed(con, run_id, plan.removed)
