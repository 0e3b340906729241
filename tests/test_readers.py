"""Readers and the writer: DuckDB clients read the warehouse during an ingest, and no reader
makes an ingest fail. Real DuckDB files, real reader processes, the real ingest flow."""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

from newsetl.orchestration.ingest import ingest
from newsetl.warehouse import publish, store
from newsetl.warehouse.lock import read_holder
from tests.conftest import count

NEWSETL = Path(sys.executable).with_name("newsetl")

# A DuckDB client (not newsetl) holding the warehouse open read-only until told to go on.
HOLD_READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("SELECT count(*) FROM dim_source_file").fetchone()[0], flush=True)
sys.stdin.readline()
print(con.execute("SELECT count(*) FROM dim_source_file").fetchone()[0], flush=True)
"""

# A write the code before publishing could leave in the warehouse's write-ahead log: the
# process ended before a checkpoint.
WRITE_AND_DIE = """
import os, sys
from newsetl.warehouse import publish, store
con = store.connect(sys.argv[1])
con.execute("UPDATE etl_run SET message = 'from-the-log'")
os._exit(0)
"""


def _query(db: Path, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(NEWSETL), "query", sql, "--db", str(db), "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_readers_hold_the_warehouse_during_an_ingest(prefect_server, seeds_copy, tmp_path):
    db = tmp_path / "warehouse" / "news.duckdb"
    reports = tmp_path / "reports"
    later = tmp_path / "later"
    later.mkdir()
    for page in sorted(seeds_copy.glob("*.txt"))[2:]:
        page.rename(later / page.name)
    ingest(seeds=str(seeds_copy), db=str(db), reports=str(reports))
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLD_READER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline() == "2\n"
        for page in later.iterdir():
            page.rename(seeds_copy / page.name)

        stop = threading.Event()
        queries: list[tuple[bool, subprocess.CompletedProcess]] = []
        reports_during: list[subprocess.CompletedProcess] = []

        def query_while_ingesting() -> None:
            while not stop.is_set():
                busy = read_holder(db) is not None
                done = _query(db, "SELECT count(*) AS n FROM dim_source_file")
                queries.append((busy and read_holder(db) is not None, done))

        def report_while_ingesting() -> None:
            while read_holder(db) is None and not stop.is_set():
                time.sleep(0.05)
            reports_during.append(
                subprocess.run(
                    [str(NEWSETL), "report", "--db", str(db), "--out", str(tmp_path / "other")],
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
            )

        threads = [
            threading.Thread(target=query_while_ingesting),
            threading.Thread(target=report_while_ingesting),
        ]
        for thread in threads:
            thread.start()
        try:
            summary = ingest(seeds=str(seeds_copy), db=str(db), reports=str(reports))
        finally:
            stop.set()
            for thread in threads:
                thread.join()

        assert summary["status"] == "completed"
        assert summary["counts"]["loaded"] == 3
        for _, done in queries:
            assert done.returncode == 0, done.stderr
            assert done.stdout.split() in (["n", "2"], ["n", "5"])  # the last published run
        assert any(during for during, _ in queries), "no query ran during the ingest"
        (report,) = reports_during
        assert report.returncode == 0, report.stderr
        # The reader that held the warehouse all along still reads what it opened; a reader
        # opening it now reads the new run.
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline() == "2\n"
        assert reader.wait(timeout=60) == 0
        assert count(db, "SELECT count(*) FROM dim_source_file") == 5
        assert _query(db, "SELECT count(*) AS n FROM fact_article").stdout.split() == ["n", "41"]
    finally:
        reader.kill()
        reader.wait()


def test_a_warehouse_from_before_publishing_is_the_writers_starting_point(
    seeded_warehouse, prefect_server, tmp_path
):
    source, _ = seeded_warehouse
    db = tmp_path / "news.duckdb"
    shutil.copyfile(source, db)
    subprocess.run([sys.executable, "-c", WRITE_AND_DIE, str(db)], check=True, timeout=60)
    assert Path(f"{db}.wal").exists()
    assert not store.writer_file(db).exists()
    from tests.conftest import SEEDS

    summary = ingest(seeds=str(SEEDS), db=str(db), reports=str(tmp_path / "reports"))
    assert summary["counts"]["unchanged"] == 5  # the old file's pages, not a fresh warehouse
    assert store.writer_file(db).exists()
    assert not Path(f"{db}.wal").exists()
    assert stat.S_IMODE(db.stat().st_mode) == publish.PUBLISHED_MODE
    assert count(db, "SELECT count(*) FROM etl_run WHERE message = 'from-the-log'") == 1
    assert count(db, "SELECT count(*) FROM fact_article") == 41
    assert count(db, f"SELECT count(*) FROM etl_run WHERE run_id = '{summary['run_id']}'") == 1
