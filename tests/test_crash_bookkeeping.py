"""After a crash: no stale report stands, dead runs are marked, unrecorded failures recorded."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from newsetl.counts import RunCounts
from newsetl.orchestration.ingest import ingest
from newsetl.warehouse import ledger, store
from tests.conftest import REPO, SEEDS, rows


def run(folder: Path, db: Path) -> dict:
    return ingest(seeds=str(folder), db=str(db), reports=str(db.parent / "reports"))


def hold(script: str) -> subprocess.Popen:
    """A Python process that runs `script`, prints "ready" and sleeps until killed."""
    code = textwrap.dedent(script) + "\nprint('ready', flush=True)\nimport time; time.sleep(300)\n"
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def test_a_report_older_than_the_warehouse_is_rewritten(prefect_server, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    pages = sorted(SEEDS.glob("*.txt"))
    for page in pages[:4]:
        shutil.copy(page, folder)
    db = tmp_path / "wh" / "news.duckdb"
    index = db.parent / "reports" / "index.html"
    run(folder, db)
    older = index.read_bytes()
    shutil.copy(pages[4], folder)
    assert run(folder, db)["counts"]["loaded"] == 1
    # As if that run had been killed after its checks, before its report: the report on
    # disk is the previous one.
    index.write_bytes(older)
    again = run(folder, db)
    assert again["counts"].get("loaded", 0) == 0
    assert index.read_bytes() != older
    assert "<b>5</b>current pages" in index.read_text(encoding="utf-8")
    written = index.stat().st_mtime_ns
    run(folder, db)  # nothing changed since: the report stands
    assert index.stat().st_mtime_ns == written


def test_a_killed_run_is_marked_interrupted(prefect_server, tmp_path):
    db = tmp_path / "wh" / "news.duckdb"
    proc = hold(
        f"""
        from pathlib import Path
        from newsetl.warehouse import ledger
        from newsetl.warehouse import store
        from newsetl.warehouse.lock import writer_lock
        lock = writer_lock({str(db)!r})
        lock.__enter__()
        with store.connection({str(db)!r}) as con:
            store.migrate(con)
            ledger.start_run(con, "20200101T000000-killed01", Path({str(SEEDS)!r}))
        """
    )
    kill(proc)  # after it started its run, while it held the writer lock
    assert rows(db, "SELECT status FROM etl_run") == [("running",)]
    summary = run(SEEDS, db)
    assert summary["status"] == "completed"
    status = dict(rows(db, "SELECT run_id, status FROM etl_run"))
    assert status == {"20200101T000000-killed01": "interrupted", summary["run_id"]: "completed"}
    (message,) = rows(db, "SELECT message FROM etl_run WHERE status = 'interrupted'")[0]
    assert "without recording its end" in message and summary["run_id"] in message


def test_a_failure_that_could_not_be_recorded_is_recorded_next_run(prefect_server, tmp_path):
    db = tmp_path / "wh" / "news.duckdb"
    db.parent.mkdir()
    work = store.writer_file(db)  # the file runs write
    with store.connection(work) as con:
        store.migrate(con)
        ledger.start_run(con, "20200101T000000-failed01", SEEDS)
    # Another DuckDB client holds the writer's file for writing: the failure cannot be written.
    client = hold(f"import duckdb; con = duckdb.connect({str(work)!r})")
    try:
        counts = RunCounts(loaded=2)
        recorded = ledger.record_failure(work, "20200101T000000-failed01", counts, 3.0, "IOError")
    finally:
        kill(client)
    assert not recorded and ledger.unrecorded_path(work).exists()
    summary = run(SEEDS, db)
    assert summary["status"] == "completed"
    [(status, loaded, message)] = rows(
        db,
        "SELECT status, files_loaded, message FROM etl_run WHERE run_id = ?",
        ["20200101T000000-failed01"],
    )
    assert (status, loaded) == ("failed", 2)
    assert message == f"IOError (recorded by run {summary['run_id']})"
    assert not ledger.unrecorded_path(work).exists()
