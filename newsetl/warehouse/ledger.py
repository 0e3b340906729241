"""The run ledger: runs started and finished, batches and removals recorded, dead runs settled."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import uuid
from importlib import metadata
from pathlib import Path

import duckdb
import pyarrow as pa

from newsetl import __version__
from newsetl.batch import BatchResult
from newsetl.counts import RunCounts
from newsetl.warehouse import store

# Stages whose seconds a run measures, in pipeline order.
STAGES = ("scan", "decode_parse", "segment", "tables", "validate", "load", "checks", "report")
LIBRARIES = ("prefect", "duckdb", "pandera", "great_expectations", "jieba", "rjieba", "pandas")


def load_batch(con: duckdb.DuckDBPyConnection, result: BatchResult, folders: list[str]) -> None:
    """Load a processed batch of one folder (`folder_names`) and its lineage rows."""
    tables = dict(result.frames)
    if result.outcomes:
        tables["etl_file_outcome"] = pa.Table.from_pylist(result.outcomes)
    if result.quarantine:
        tables["quarantine"] = pa.Table.from_pylist(result.quarantine)
    quarantined = [o["path"] for o in result.outcomes if o["outcome"] == "quarantined"]
    store.load_files(con, tables, folders, replaced_paths=quarantined)


def record_removed(con: duckdb.DuckDBPyConnection, run_id: str, removed: list[str]) -> None:
    """Record the files that left the folder (unchanged files are only counted in etl_run)."""
    rows = [
        {
            "run_id": run_id,
            "path": p,
            "sha256": None,
            "file_id": None,
            "outcome": "removed",
            "reason": "the file is no longer in the folder",
        }
        for p in removed
    ]
    store.insert_rows(con, "etl_file_outcome", rows)


def unrecorded_path(db_path: str | Path) -> Path:
    """Where a run leaves the end it could not record in the warehouse, for the next run."""
    return Path(f"{db_path}.unrecorded")


def record_failure(
    db_path: str | Path, run_id: str, counts: RunCounts, seconds: float, message: str
) -> bool:
    """Record a run as failed; when the warehouse cannot take it (full disk, a client
    holding the file), leave it in `unrecorded_path` for the next run. Whether it was
    recorded."""
    try:
        with store.connection(db_path) as con:
            finish_run(con, run_id, "failed", counts, seconds, message)
        return True
    except (duckdb.Error, store.WarehouseError, OSError):
        end = {
            "run_id": run_id,
            "counts": counts.as_dict(),
            "seconds": seconds,
            "message": message,
        }
        try:
            with unrecorded_path(db_path).open("a", encoding="utf-8") as f:
                f.write(json.dumps(end, ensure_ascii=False) + "\n")
        except OSError:
            pass  # the next run still marks the run interrupted
        return False


def settle_dead_runs(con: duckdb.DuckDBPyConnection, db_path: str | Path, run_id: str) -> int:
    """Record the ends of earlier runs that could not: called under the writer lock.

    A failure left in `unrecorded_path` is recorded as it happened; a run still `running`
    whose writer lock is free (it was killed, or its machine went down) is `interrupted`.
    Returns how many runs were settled.
    """
    pending = unrecorded_path(db_path)
    settled = 0
    if pending.exists():
        for line in pending.read_text(encoding="utf-8").splitlines():
            end = json.loads(line)
            finish_run(
                con,
                end["run_id"],
                "failed",
                RunCounts.from_dict(end["counts"]),
                end["seconds"],
                f"{end['message']} (recorded by run {run_id})",
            )
            settled += 1
        pending.unlink()
    settled += con.execute(
        "UPDATE etl_run SET status = 'interrupted', finished_at = now()::TIMESTAMP,"
        " message = 'the run ended without recording its end (killed, or its machine went"
        " down); run ' || ? || ' found it' WHERE status = 'running' AND run_id <> ?",
        [run_id, run_id],
    ).fetchone()[0]
    return settled


def new_run_id() -> str:
    """A sortable, unique run id."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


def library_versions() -> dict[str, str]:
    """Versions of the libraries the run used."""
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, folder: Path) -> None:
    """Record a run as started, with its folder as an absolute path."""
    con.execute(
        "INSERT INTO etl_run (run_id, started_at, status, seeds_dir, code_version,"
        " library_versions) VALUES (?, now()::TIMESTAMP, 'running', ?, ?, ?)",
        [
            run_id,
            str(folder.resolve()),
            os.environ.get("NEWSETL_CODE_VERSION", __version__),
            json.dumps(library_versions()),
        ],
    )


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    counts: RunCounts,
    seconds: float,
    message: str | None = None,
) -> None:
    """Record a run's end, status and counts."""
    con.execute(
        "UPDATE etl_run SET finished_at = now()::TIMESTAMP, status = ?, files_seen = ?,"
        " files_loaded = ?, files_changed = ?, files_unchanged = ?, files_removed = ?,"
        " files_quarantined = ?, items = ?, paragraphs = ?, anomalies = ?, seconds = ?,"
        " message = ? WHERE run_id = ?",
        [
            status,
            counts.seen,
            counts.loaded,
            counts.changed,
            counts.unchanged,
            counts.removed,
            counts.quarantined,
            counts.items,
            counts.paragraphs,
            counts.anomalies.total(),
            seconds,
            message,
            run_id,
        ],
    )
