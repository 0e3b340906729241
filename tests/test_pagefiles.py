"""The inbox boundary: which entries are page files, reading without following links, and a
run over a folder of bad entries that loads the good pages and says what it skipped."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from newsetl import batch
from newsetl.source import inventory
from newsetl.source.pagefiles import UnreadablePage, list_pages, read_page_file
from newsetl.warehouse import ledger, store
from tests.conftest import SEEDS, rows

REPO = Path(__file__).resolve().parents[1]
NEWSETL = Path(sys.executable).with_name("newsetl")
PAGE = (
    "乡村图书馆开放\n\n本报讯（记者 李华）新建的乡村图书馆本周向村民开放，藏书三千余册。\n\n"
    "馆长介绍，图书馆每天开放八小时，周末增设儿童阅读活动。\n"
)
NOT_UTF8 = os.fsdecode(b"\xff\xfe.txt")  # the name as the OS hands it over (surrogates)


def _bad_entries(folder: Path, outside: Path) -> dict[str, str]:
    """Add every kind of entry that is not a page file; return their names and reasons."""
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("SECRET-CONTENT\n", encoding="utf-8")
    (outside / "linked.txt").write_text(PAGE, encoding="utf-8")
    (folder / "s.txt").symlink_to(outside / "secret.txt")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    os.mkfifo(folder / "fifo.txt")
    page = (SEEDS / "000_ce01c7f7b77b431d.txt").read_bytes()
    (folder / "copy.txt.part").write_bytes(page[: len(page) // 2])
    (folder / "copy.txt.tmp").write_bytes(page)
    (folder / "copy.txt~").write_bytes(page)
    (folder / ".hidden.txt").write_bytes(page)
    (folder / ".cache").mkdir()
    (folder / ".cache" / "a.txt").write_bytes(page)
    (folder / "notes.md").write_text("# notes\n", encoding="utf-8")
    return {
        "s.txt": "a symbolic link, which is not followed",
        "linked": "a symbolic link, which is not followed",
        "fifo.txt": "not a regular file (a FIFO, socket or device)",
        "copy.txt.part": "a partial or backup name",
        "copy.txt.tmp": "a partial or backup name",
        "copy.txt~": "a partial or backup name",
        ".hidden.txt": "a hidden name",
        ".cache": "a hidden folder",
        "notes.md": "the name does not match *.txt",
    }


def test_only_regular_files_matching_the_pattern_are_pages(tmp_path):
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    expected = _bad_entries(folder, tmp_path / "outside")
    (folder / "a.txt").write_text(PAGE, encoding="utf-8")
    (folder / "B.TXT").write_text(PAGE, encoding="utf-8")
    (folder / "sub" / "c.txt").write_text(PAGE, encoding="utf-8")
    (folder / NOT_UTF8).write_text(PAGE, encoding="utf-8")
    listing = list_pages(folder)
    assert [(p.path, p.os_path) for p in listing.pages] == [
        ("B.TXT", "B.TXT"),
        ("\\xff\\xfe.txt", NOT_UTF8),
        ("a.txt", "a.txt"),
        ("sub/c.txt", "sub/c.txt"),
    ]
    assert {s.path: s.reason for s in listing.skipped} == expected
    assert [p.path for p in list_pages(folder, "*.md").pages] == ["notes.md"]


def test_a_printable_name_taken_by_a_real_name_is_skipped(tmp_path):
    (tmp_path / NOT_UTF8).write_text(PAGE, encoding="utf-8")
    (tmp_path / "\\xff\\xfe.txt").write_text(PAGE, encoding="utf-8")
    listing = list_pages(tmp_path)
    assert [(p.path, p.os_path) for p in listing.pages] == [("\\xff\\xfe.txt", "\\xff\\xfe.txt")]
    assert [s.reason for s in listing.skipped] == ["its printable name is another file's name"]


def test_reading_refuses_what_replaced_a_page_after_the_listing(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "a.txt").write_text("SECRET", encoding="utf-8")
    assert read_page_file(tmp_path, "sub/a.txt") == PAGE.encode()

    (tmp_path / "sub" / "a.txt").unlink()
    (tmp_path / "sub" / "a.txt").symlink_to(tmp_path / "outside" / "a.txt")
    with pytest.raises(UnreadablePage, match="symbolic link"):
        read_page_file(tmp_path, "sub/a.txt")

    (tmp_path / "sub").rename(tmp_path / "moved")
    (tmp_path / "sub").symlink_to(tmp_path / "outside", target_is_directory=True)
    with pytest.raises(UnreadablePage, match="symbolic link"):
        read_page_file(tmp_path, "sub/a.txt")

    os.mkfifo(tmp_path / "fifo.txt")
    done: list[BaseException] = []

    def read_fifo() -> None:
        try:
            read_page_file(tmp_path, "fifo.txt")
        except UnreadablePage as exc:
            done.append(exc)

    reader = threading.Thread(target=read_fifo, daemon=True)
    reader.start()
    reader.join(timeout=5)  # a FIFO opened without O_NONBLOCK would wait for a writer
    assert [str(e) for e in done] == ["it is not a regular file"]


def test_a_page_that_turns_into_a_fifo_after_the_scan_is_quarantined(seeds_copy, tmp_path):
    db = tmp_path / "news.duckdb"
    victim = seeds_copy / "001_adedccc03c8950b2.txt"
    with store.connection(db) as con:
        store.migrate(con)
        plan = inventory.scan(seeds_copy, store.known_files(con, seeds_copy))
        victim.unlink()
        os.mkfifo(victim)
        result = batch.process_batch(seeds_copy, plan.to_load, "fifo-run")
        ledger.load_batch(con, result, plan.folders)
    assert result.counts().loaded == 4
    assert rows(db, "SELECT path, stage, reason FROM quarantine") == [
        (victim.name, "read", f"{victim.name}: it is not a regular file")
    ]


def test_an_unreadable_page_is_quarantined_with_its_reason(prefect_server, seeds_copy, tmp_path):
    from newsetl.orchestration.ingest import ingest

    locked = seeds_copy / "locked.txt"
    locked.write_text(PAGE, encoding="utf-8")
    locked.chmod(0)
    if os.access(locked, os.R_OK):
        pytest.skip("this process reads a file whatever its mode (root)")
    db = tmp_path / "wh" / "news.duckdb"
    summary = ingest(seeds=str(seeds_copy), db=str(db), reports=str(tmp_path / "reports"))
    assert summary["counts"]["loaded"] == 5 and summary["counts"]["quarantined"] == 1
    assert rows(db, "SELECT path, stage, reason FROM quarantine") == [
        ("locked.txt", "read", "locked.txt: it cannot be read (Permission denied)")
    ]
    again = ingest(seeds=str(seeds_copy), db=str(db), reports=str(tmp_path / "reports"))
    assert again["counts"].get("quarantined", 0) == 0  # quarantined once, until it changes
    locked.chmod(0o644)
    third = ingest(seeds=str(seeds_copy), db=str(db), reports=str(tmp_path / "reports"))
    assert third["counts"]["loaded"] == 1


def test_a_page_over_the_size_limit_is_quarantined_unread(
    prefect_server, seeds_copy, tmp_path, monkeypatch
):
    from newsetl.orchestration.ingest import ingest

    monkeypatch.setenv("NEWSETL_MAX_PAGE_MB", "0.1")  # 100 kB: every seed page is smaller
    pages = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds_copy.glob("*.txt")))
    (seeds_copy / "archive.txt").write_text(pages * 2, encoding="utf-8")
    db = tmp_path / "wh" / "news.duckdb"
    summary = ingest(seeds=str(seeds_copy), db=str(db), reports=str(tmp_path / "reports"))
    assert summary["counts"]["loaded"] == 5 and summary["counts"]["quarantined"] == 1
    [(path, stage, reason)] = rows(db, "SELECT path, stage, reason FROM quarantine")
    assert (path, stage) == ("archive.txt", "read")
    assert "more than the 0.1 MB a page may hold (NEWSETL_MAX_PAGE_MB)" in reason


@pytest.fixture
def api_env(prefect_server) -> dict[str, str]:
    """Environment for `newsetl` subprocesses that use the test Prefect server."""
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "COLUMNS": "200"}


def test_a_run_loads_the_pages_and_counts_and_names_each_skipped_entry(
    seeds_copy, tmp_path, api_env
):
    skipped = _bad_entries(seeds_copy, tmp_path / "outside")
    (seeds_copy / NOT_UTF8).write_text(PAGE, encoding="utf-8")
    db = tmp_path / "wh" / "news.duckdb"
    args = ["run", "--seeds", str(seeds_copy), "--db", str(db), "--out", str(tmp_path / "r")]
    done = subprocess.run(
        [str(NEWSETL), *args], cwd=REPO, env=api_env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout + done.stderr
    assert "Traceback" not in out
    assert re.search(r"skipped \(not page files\)\W+9\b", out), out
    for name, reason in skipped.items():
        assert out.count(f"Skipped {name}: {reason}.") == 1, out

    assert sorted(rows(db, "SELECT path FROM dim_source_file")) == sorted(
        [(p.name,) for p in SEEDS.glob("*.txt")] + [("\\xff\\xfe.txt",)]
    )
    assert rows(db, "SELECT count(*) FROM dim_source_file WHERE raw_text LIKE '%SECRET%'") == [(0,)]
    assert rows(
        db, "SELECT count(*) FROM fact_article JOIN dim_source_file USING (file_id) WHERE path = ?",
        ["\\xff\\xfe.txt"],
    ) == [(1,)]  # fmt: skip
    assert rows(db, "SELECT count(*) FROM quarantine") == [(0,)]


def test_the_pattern_option_chooses_the_page_files(seeds_copy, tmp_path, api_env):
    for page in seeds_copy.glob("*.txt"):
        page.rename(page.with_suffix(".page"))
    db = tmp_path / "wh" / "news.duckdb"
    args = ["run", "--seeds", str(seeds_copy), "--db", str(db), "--out", str(tmp_path / "r")]
    done = subprocess.run(
        [str(NEWSETL), *args, "--pattern", "*.page"],
        cwd=REPO,
        env=api_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert rows(db, "SELECT count(*) FROM dim_source_file WHERE path LIKE '%.page'") == [(5,)]
