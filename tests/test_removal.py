"""Safe removal: a run removes only its own folder's pages, and never by accident."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsetl.orchestration.ingest import ingest
from tests.conftest import rows
from tests.test_no_loss import SHAPES


def run(folder: Path, db: Path, **options) -> dict:
    return ingest(seeds=str(folder), db=str(db), reports=str(db.parent / "reports"), **options)


def current(db: Path) -> int:
    return rows(db, "SELECT count(*) FROM dim_source_file WHERE status = 'current'")[0][0]


def test_two_inboxes_feed_one_warehouse(prefect_server, seeds_copy, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "photo.txt").write_text(SHAPES["photo.txt"], encoding="utf-8")
    (other / "same.txt").write_text(SHAPES["brief.txt"], encoding="utf-8")
    (seeds_copy / "same.txt").write_text(SHAPES["article.txt"], encoding="utf-8")
    db = tmp_path / "wh" / "news.duckdb"
    assert run(seeds_copy, db)["counts"]["loaded"] == 6
    second = run(other, db)
    assert second["status"] == "completed"  # a name in both folders breaks no check
    assert second["counts"]["loaded"] == 2 and second["counts"]["removed"] == 0
    assert second["removal_held"] is None
    assert current(db) == 8  # a name in both folders is two pages
    again = run(seeds_copy, db)
    assert again["counts"]["unchanged"] == 6 and again["counts"]["removed"] == 0
    (other / "photo.txt").unlink()
    assert run(other, db)["counts"]["removed"] == 1
    status = dict(rows(db, "SELECT path, status FROM dim_source_file WHERE path = 'photo.txt'"))
    assert status == {"photo.txt": "removed"} and current(db) == 7


def test_an_empty_folder_removes_nothing_unless_allowed(prefect_server, seeds_copy, tmp_path):
    db = tmp_path / "wh" / "news.duckdb"
    run(seeds_copy, db)
    for page in seeds_copy.glob("*.txt"):
        page.unlink()
    (seeds_copy / "notes.md").write_text("not a page", encoding="utf-8")
    held = run(seeds_copy, db)
    assert held["counts"]["removed"] == 0 and held["counts"]["removal_held"] == 5
    assert "has no page files" in held["removal_held"] and "--allow-removal" in held["removal_held"]
    assert current(db) == 5
    (message,) = rows(db, "SELECT message FROM etl_run WHERE run_id = ?", [held["run_id"]])[0]
    assert "nothing was removed" in message
    allowed = run(seeds_copy, db, allow_removal=True)
    assert allowed["counts"]["removed"] == 5 and current(db) == 0


def test_losing_more_than_half_removes_nothing_unless_allowed(prefect_server, seeds_copy, tmp_path):
    db = tmp_path / "wh" / "news.duckdb"
    run(seeds_copy, db)
    pages = sorted(seeds_copy.glob("*.txt"))
    for page in pages[:3]:
        page.unlink()
    held = run(seeds_copy, db)
    assert held["counts"]["removed"] == 0 and "3 of the 5 current pages" in held["removal_held"]
    assert current(db) == 5
    pages[3].unlink()  # still held: 4 of 5
    assert run(seeds_copy, db)["counts"]["removal_held"] == 4
    allowed = run(seeds_copy, db, allow_removal=True)
    assert allowed["counts"]["removed"] == 4 and current(db) == 1


def test_losing_half_or_fewer_removes_them(prefect_server, seeds_copy, tmp_path):
    db = tmp_path / "wh" / "news.duckdb"
    run(seeds_copy, db)
    for page in sorted(seeds_copy.glob("*.txt"))[:2]:
        page.unlink()
    summary = run(seeds_copy, db)
    assert summary["counts"]["removed"] == 2 and summary["removal_held"] is None


def test_a_missing_folder_removes_nothing_unless_allowed(prefect_server, seeds_copy, tmp_path):
    db = tmp_path / "wh" / "news.duckdb"
    run(seeds_copy, db)
    shutil.rmtree(seeds_copy)
    with pytest.raises(FileNotFoundError, match="nothing was loaded or removed"):
        run(seeds_copy, db)
    assert current(db) == 5
    assert run(seeds_copy, db, allow_removal=True)["counts"]["removed"] == 5


def test_run_command_says_why_and_takes_allow_removal(seeds_copy, tmp_path):
    newsetl = Path(sys.executable).with_name("newsetl")
    db, out = tmp_path / "news.duckdb", tmp_path / "reports"

    def cli(*extra: str) -> subprocess.CompletedProcess:
        args = [str(newsetl), "run", "--seeds", str(seeds_copy), "--db", str(db), "--out", str(out)]
        return subprocess.run(
            [*args, *extra], capture_output=True, text=True, timeout=300, cwd=tmp_path
        )

    assert cli().returncode == 0
    for page in seeds_copy.glob("*.txt"):
        page.unlink()
    held = cli()
    assert held.returncode == 0, held.stderr
    assert "has no page files" in " ".join(held.stderr.split())
    assert current(db) == 5
    allowed = cli("--allow-removal")
    assert allowed.returncode == 0, allowed.stderr
    assert current(db) == 0
