"""Incremental, idempotent and atomic loads, checked through the real ingest flow."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from newsetl import batch
from newsetl.checks import duplicates
from newsetl.orchestration.ingest import ingest
from newsetl.source import inventory
from newsetl.warehouse import ledger, store
from tests.conftest import SEEDS, rows

# Columns that say when and by which run a row was written, not what it holds.
LINEAGE_COLUMNS = {"dim_source_file": ("loaded_run", "loaded_at")}


def snapshot(db: Path, skip: dict[str, tuple[str, ...]] | None = None) -> dict[str, str]:
    """The content of every data table, lineage columns (and `skip`) aside."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in store.DATA_TABLES:
            cols = [
                r[0]
                for r in con.execute(f"DESCRIBE {table}").fetchall()
                if r[0] not in LINEAGE_COLUMNS.get(table, ())
                and r[0] not in (skip or {}).get(table, ())
            ]
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()
            out[table] = json.dumps(rows, default=str, ensure_ascii=False)
        return out
    finally:
        con.close()


def run(folder: Path, db: Path) -> dict:
    return ingest(seeds=str(folder), db=str(db), reports=str(db.parent / "reports"))


@pytest.fixture
def loaded(prefect_server, seeds_copy, tmp_path) -> tuple[Path, Path]:
    db = tmp_path / "wh" / "news.duckdb"
    run(seeds_copy, db)
    return seeds_copy, db


def test_changed_file_replaces_its_rows(loaded):
    folder, db = loaded
    page = folder / "001_adedccc03c8950b2.txt"
    old_items = rows(db, "SELECT count(*) FROM v_article WHERE source_path LIKE '001_%'")[0][0]
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("维护市", "维护城市", 1), encoding="utf-8")
    summary = run(folder, db)
    assert summary["counts"]["changed"] == 1
    assert summary["counts"]["unchanged"] == 4
    statuses = rows(
        db, "SELECT status, count(*) FROM dim_source_file WHERE path LIKE '001_%' GROUP BY 1"
    )
    assert dict(statuses) == {"current": 1, "superseded": 1}
    new_items = rows(db, "SELECT count(*) FROM v_article WHERE source_path LIKE '001_%'")[0][0]
    assert new_items == old_items
    assert rows(db, "SELECT count(*) FROM fact_article")[0][0] == 41
    # Putting the old content back restores exactly the first load.
    page.write_text(text, encoding="utf-8")
    run(folder, db)
    assert rows(db, "SELECT count(*) FROM fact_article")[0][0] == 41


def test_added_removed_and_renamed_files(loaded):
    folder, db = loaded
    shutil.copy(folder / "002_db0e9cd8eb0465fb.txt", folder / "new_page.txt")
    (folder / "003_552fdbae1823c7b1.txt").rename(folder / "renamed.txt")
    (folder / "004_8ee853f1471c0237.txt").unlink()
    summary = run(folder, db)
    assert summary["counts"]["loaded"] == 2  # new_page.txt and renamed.txt
    assert summary["counts"]["removed"] == 2
    status = dict(rows(db, "SELECT path, status FROM dim_source_file"))
    assert status["004_8ee853f1471c0237.txt"] == "removed"
    assert status["003_552fdbae1823c7b1.txt"] == "removed"
    assert status["renamed.txt"] == status["new_page.txt"] == "current"
    # Removed files keep their rows, flagged; the current views leave them out.
    assert rows(db, "SELECT count(*) FROM fact_article")[0][0] == 41 + 10 + 7
    assert rows(db, "SELECT count(DISTINCT source_path) FROM v_article")[0][0] == 5
    outcomes = dict(
        rows(
            db,
            "SELECT path, outcome FROM etl_file_outcome "
            "WHERE run_id = (SELECT max(run_id) FROM etl_run)",
        )
    )
    assert outcomes["004_8ee853f1471c0237.txt"] == "removed"
    assert outcomes["renamed.txt"] == "loaded"


def test_broken_files_are_quarantined_and_the_rest_loads(prefect_server, seeds_copy, tmp_path):
    (seeds_copy / "empty.txt").write_bytes(b"")
    (seeds_copy / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (seeds_copy / "latin1.txt").write_bytes("caf\xe9 \xff\xfe\x00garbage".encode("latin-1"))
    db = tmp_path / "wh" / "news.duckdb"
    summary = run(seeds_copy, db)
    assert summary["status"] == "completed"
    assert summary["counts"]["quarantined"] == 3
    assert summary["counts"]["loaded"] == 5
    reasons = dict(rows(db, "SELECT path, reason FROM quarantine"))
    assert set(reasons) == {"empty.txt", "binary.txt", "latin1.txt"}
    assert all(path in reason for path, reason in reasons.items())
    assert "empty" in reasons["empty.txt"]
    assert rows(db, "SELECT count(*) FROM fact_article")[0][0] == 41
    # The next run leaves the rejected files alone until their content changes.
    again = run(seeds_copy, db)
    assert again["counts"].get("loaded", 0) == 0
    assert again["counts"].get("quarantined", 0) == 0
    assert again["counts"]["unchanged"] == 8
    assert rows(db, "SELECT count(*) FROM quarantine")[0][0] == 3
    # Files left alone are counted in etl_run, not logged one by one every run.
    outcomes = f"SELECT count(*) FROM etl_file_outcome WHERE run_id = '{again['run_id']}'"
    assert rows(db, outcomes)[0][0] == 0
    (seeds_copy / "empty.txt").write_text(
        "草莓俏销\n\n4月17日,市民采摘草莓。\n\n朱江森 摄\n", "utf-8"
    )
    fixed = run(seeds_copy, db)
    assert fixed["counts"]["loaded"] == 1


def test_a_body_printed_without_headline_loads_as_an_item(prefect_server, seeds_copy, tmp_path):
    # A body printed with no headline at all is an untitled item of its page, not a
    # contract violation (rows that do fail a contract: tests/test_no_loss.py).
    page = seeds_copy / "001_adedccc03c8950b2.txt"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n\n这是一段没有标题的正文。它单独成篇。\n", "utf-8"
    )
    db = tmp_path / "wh" / "news.duckdb"
    summary = run(seeds_copy, db)
    assert summary["counts"]["loaded"] == 5 and summary["counts"]["items"] == 42
    assert rows(db, "SELECT count(*) FROM quarantine")[0][0] == 0
    assert rows(db, "SELECT body FROM fact_article WHERE title IS NULL AND kind = 'article'") == [
        ("这是一段没有标题的正文。它单独成篇。",)
    ]


def test_schema_version_is_recorded(seeded_warehouse):
    db, _ = seeded_warehouse
    versions = [v for (v,) in rows(db, "SELECT version FROM schema_version ORDER BY 1")]
    assert versions == [v for v, _, _ in store.migrations()]


# Columns of the older schema that a later migration replaced, rebuilt from their successors.
OLD_COLUMNS = {
    ("fact_paragraph", "tokens"): "string_split(token_text, chr(10))",
}


def test_migrating_an_older_warehouse_keeps_every_row(seeded_warehouse, tmp_path, monkeypatch):
    db, _ = seeded_warehouse
    older = tmp_path / "older.duckdb"
    every = store.migrations()
    monkeypatch.setattr(store, "migrations", lambda: [m for m in every if m[0] < 6])
    with store.connection(older) as con:
        assert store.migrate(con) == 5
        con.execute(f"ATTACH '{db}' AS seeded (READ_ONLY)")
        for table in store.DATA_TABLES:
            if table == "dq_page_copy":  # added by migration 9
                continue
            cols = ", ".join(
                OLD_COLUMNS.get((table, r[0]), r[0])
                for r in con.execute(f"DESCRIBE {table}").fetchall()
            )
            con.execute(f"INSERT INTO {table} SELECT {cols} FROM seeded.{table}")
        con.execute("DETACH seeded")
    monkeypatch.setattr(store, "migrations", lambda: every)
    with store.connection(older) as con:
        assert store.migrate(con) == every[-1][0]
        keyed = con.execute(
            "SELECT DISTINCT table_name FROM duckdb_constraints()"
            " WHERE constraint_type = 'PRIMARY KEY'"
        ).fetchall()
        assert ("fact_paragraph",) not in keyed
        assert ("fact_article",) in keyed
        assert con.execute("SELECT count(*) FROM v_article").fetchone()[0] == 41
        # Items loaded before captions were kept have none recorded (NULL).
        assert con.execute("SELECT count(captions) FROM fact_article").fetchone()[0] == 0
        # The pages' copies of themselves are found by the next refresh.
        assert con.execute("SELECT count(*) FROM dq_page_copy").fetchone()[0] == 0
        duplicates.refresh(con)
        assert con.execute("SELECT count(*) FROM dq_page_copy_pending").fetchone()[0] == 0
    new_columns = {"fact_article": ("captions",)}
    assert snapshot(older, new_columns) == snapshot(db, new_columns)


def test_v_token_gives_every_paragraph_its_tokens(seeded_warehouse):
    """The tokens stored one per line are the segmenter's, in order, for every paragraph;
    pieced together they are its text."""
    from newsetl.language import tokens

    db, _ = seeded_warehouse
    texts = dict(rows(db, "SELECT paragraph_id, text FROM fact_paragraph"))
    rebuilt = dict(
        rows(
            db,
            "SELECT paragraph_id, list(token ORDER BY position) FROM v_token GROUP BY paragraph_id",
        )
    )
    assert len(texts) > 100 and rebuilt.keys() == texts.keys()
    for pid, text in texts.items():
        assert rebuilt[pid] == tokens.cut(text)
        assert "".join(rebuilt[pid]) == text
    split = "len(string_split(token_text, chr(10)))"
    assert rows(db, f"SELECT count(*) FROM fact_paragraph WHERE n_tokens <> {split}") == [(0,)]


def test_duckdb_cli_opens_the_warehouse(seeded_warehouse, tmp_path):
    cli = shutil.which("duckdb") or str(Path(sys.executable).parent / "duckdb")
    if not Path(cli).exists():
        pytest.skip("the duckdb CLI is not installed")
    db, _ = seeded_warehouse
    copy = tmp_path / "copy.duckdb"
    shutil.copy(db, copy)
    out = subprocess.run(
        [cli, "-readonly", "-csv", str(copy), "SELECT count(*) AS n FROM v_article"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.split() == ["n", "41"]
    version = subprocess.run([cli, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("v1.")


def _load_directly(folder: Path, db: Path) -> batch.BatchResult:
    """Scan, process as one batch and load a folder without Prefect; return the batch."""
    with store.connection(db) as con:
        store.migrate(con)
        plan = inventory.scan(folder, store.known_files(con, folder))
        result = batch.process_batch(folder, plan.to_load, "chunks")
        ledger.load_batch(con, result, plan.folders)
    return result


def test_a_batch_processed_a_file_at_a_time_loads_the_same_rows(seeds_copy, tmp_path, monkeypatch):
    (seeds_copy / "broken.txt").write_bytes(bytes(range(256)) * 40)
    whole = _load_directly(seeds_copy, tmp_path / "whole.duckdb")
    monkeypatch.setattr(batch, "CHUNK_FILES", 1)
    chunked = _load_directly(seeds_copy, tmp_path / "chunked.duckdb")
    assert chunked.counts() == whole.counts()
    assert chunked.counts().quarantined == 1
    assert snapshot(tmp_path / "chunked.duckdb") == snapshot(tmp_path / "whole.duckdb")


LOADER = """
import sys
from pathlib import Path
from newsetl import batch
from newsetl.source import inventory
from newsetl.warehouse import ledger
from newsetl.warehouse import store
folder, db = Path(sys.argv[1]), Path(sys.argv[2])
con = store.connect(db)
store.migrate(con)
plan = inventory.scan(folder, store.known_files(con, folder))
con.close()
todo = plan.to_load
for i in range(0, len(todo), 10):
    result = batch.process_batch(folder, todo[i : i + 10], "killed-run")
    con = store.connect(db)
    print("loading", i, flush=True)
    ledger.load_batch(con, result, plan.folders)
    con.close()
    print("loaded", i, flush=True)
"""


def test_a_load_killed_half_way_leaves_whole_batches_and_the_next_run_finishes(
    prefect_server, tmp_path
):
    from newsetl.devtools.synth import write_corpus

    pages = tmp_path / "corpus"
    write_corpus(pages, 60, SEEDS, seed=7).unlink()  # the pages without their gold file
    killed_db = tmp_path / "killed" / "news.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(pages), str(killed_db)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    started = 0
    for line in proc.stdout:
        if line.startswith("loading"):
            started += 1
            if started == 3:  # kill inside the third batch's transaction
                time.sleep(0.05)
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    # Every file in the warehouse is whole: its items are all there, or it is absent.
    partial = rows(
        killed_db,
        "SELECT count(*) FROM dim_source_file f WHERE n_items <> "
        "(SELECT count(*) FROM fact_article a WHERE a.file_id = f.file_id)",
    )
    assert partial[0][0] == 0
    assert rows(killed_db, "SELECT count(*) FROM dim_source_file")[0][0] in (20, 30)
    # The next run finishes the job and ends where a clean run ends.
    run(pages, killed_db)
    clean_db = tmp_path / "clean" / "news.duckdb"
    run(pages, clean_db)
    assert snapshot(killed_db) == snapshot(clean_db)
