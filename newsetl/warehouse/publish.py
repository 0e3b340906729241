"""Publishing the warehouse: the writer's file copied whole over the warehouse's path.

The writer (a run holding the writer lock, `warehouse.lock`) works in its own file beside the
warehouse, `.<name>.writer`, which no reader opens; after each run it publishes a copy at the
warehouse's path by writing a temporary copy and renaming it over the old one (`publish`).
Readers therefore never hold the writer's file, and a reader that has the old copy open keeps
reading it.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from newsetl.warehouse.store import WarehouseError, connection, writer_file

# The published copy is read-only: writes to it would be lost at the next publish.
PUBLISHED_MODE = 0o444

log = logging.getLogger(__name__)


def _wal(path: Path) -> Path:
    """DuckDB's write-ahead log of a database file."""
    return Path(f"{path}.wal")


@contextmanager
def writing(
    db_path: str | Path, logger: logging.Logger | logging.LoggerAdapter = log
) -> Iterator[Path]:
    """The writer's file for a run that holds the writer lock, published when the run ends.

    A run that fails publishes what it committed (its `etl_run` row says it failed); a
    failed publish is then logged and the run's own error raised. A run that is interrupted
    (Ctrl-C, a termination signal) publishes nothing: the next run does.
    """
    work = prepare_writer(db_path, logger)
    try:
        yield work
    except Exception:
        try:
            publish(db_path, logger)
        except (OSError, duckdb.Error, WarehouseError) as exc:
            logger.warning("The warehouse %s was not published: %s", db_path, exc)
        raise
    publish(db_path, logger)


def prepare_writer(
    db_path: str | Path, logger: logging.Logger | logging.LoggerAdapter = log
) -> Path:
    """The writer's file, made from the warehouse itself when there is none yet.

    A warehouse written before the writer had a file of its own (or restored from a backup
    after the writer's file was removed) becomes the writer's starting point, with its
    write-ahead log if it has one. Call it holding the writer lock.
    """
    public, work = Path(db_path), writer_file(db_path)
    if work.exists() or not public.exists():
        return work
    if _wal(public).exists():
        shutil.copyfile(_wal(public), _wal(work))
    else:
        _wal(work).unlink(missing_ok=True)
    _copy_into_place(public, work, mode=None)
    logger.info("The warehouse %s is now written through %s.", public, work.name)
    return work


def publish(db_path: str | Path, logger: logging.Logger | logging.LoggerAdapter = log) -> float:
    """Publish the writer's file at the warehouse's path; return the seconds it took.

    The writer's file is checkpointed (its write-ahead log emptied), copied beside the
    warehouse under a temporary name and renamed over it: a reader opening the path sees the
    old copy or the new one, never a part; one that has the old copy open keeps reading it
    until it closes. Call it holding the writer lock, with no connection open on the file.
    """
    started = time.perf_counter()
    public, work = Path(db_path), writer_file(db_path)
    if not work.exists():
        return 0.0
    with connection(work) as con:
        con.execute("CHECKPOINT")
    if _wal(work).exists() and _wal(work).stat().st_size:
        raise WarehouseError(f"The write-ahead log of {work} could not be emptied.")
    # A log beside the published copy (left by a client that wrote to it, or by a
    # warehouse from before publishing, now carried by the writer's file) would not match
    # the new copy, and DuckDB refuses to open a file whose log does not match.
    _wal(public).unlink(missing_ok=True)
    _copy_into_place(work, public, mode=PUBLISHED_MODE)
    seconds = time.perf_counter() - started
    logger.info("Published %s (%.1f MB) in %.2f s.", public, public.stat().st_size / 1e6, seconds)
    return seconds


def _copy_into_place(source: Path, target: Path, mode: int | None) -> None:
    """Copy a file to `target` atomically: a temporary copy beside it, synced and renamed."""
    for stale in target.parent.glob(f".{target.name}.copy-*"):  # left by a killed copy
        stale.unlink(missing_ok=True)
    temp = target.with_name(f".{target.name}.copy-{os.getpid()}")
    try:
        shutil.copyfile(source, temp)
        if mode is not None:
            os.chmod(temp, mode)
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
