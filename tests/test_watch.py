"""The watched inbox: settling and batching rules, and `newsetl watch` on a page written slowly."""

from __future__ import annotations

import hashlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsetl.parsing import parse_file
from newsetl.source.inbox import Inbox
from tests.conftest import rows

REPO = Path(__file__).resolve().parents[1]
SEED_PAGE = REPO / "seeds" / "000_ce01c7f7b77b431d.txt"
NEWSETL = Path(sys.executable).with_name("newsetl")
BATCH_LINE = r"\d+ changed: "  # what `newsetl watch` prints when a batch is ready
RUN_LINE = r"run \S+: "  # and when its run has ended


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "inbox").mkdir()
    return tmp_path / "inbox"


def _write(path: Path, data: bytes, mode: str = "wb") -> Path:
    with path.open(mode) as f:
        f.write(data)
    return path


def test_a_file_is_ready_once_it_has_settled(folder):
    inbox = Inbox(folder, settle_seconds=2)
    page = _write(folder / "a.txt", b"one")
    inbox.observe([page], now=0)
    assert inbox.ready(now=1.9) == []
    assert inbox.ready(now=2.0) == [page]
    assert inbox.ready(now=3.0) == []  # taken once


def test_a_write_without_an_event_still_restarts_the_wait(folder):
    inbox = Inbox(folder, settle_seconds=2)
    page = _write(folder / "a.txt", b"one")
    inbox.observe([page], now=0)
    _write(page, b" two", "ab")  # no event reported: the size gives it away
    assert inbox.ready(now=2.5) == []
    assert inbox.ready(now=4.4) == []
    assert inbox.ready(now=4.5) == [page]


def test_a_burst_is_one_batch(folder):
    inbox = Inbox(folder, settle_seconds=2)
    files = [_write(folder / f"{i}.txt", b"x") for i in range(3)]
    for i, f in enumerate(files):
        inbox.observe([f], now=i * 1.5)
    assert inbox.ready(now=2.5) == []  # the first has settled, the burst goes on
    assert inbox.ready(now=5.0) == files


def test_a_file_that_never_settles_holds_the_others_back_for_a_while_only(folder):
    inbox = Inbox(folder, settle_seconds=2, max_delay_seconds=10)
    done = _write(folder / "done.txt", b"x")
    growing = _write(folder / "growing.txt", b"x")
    inbox.observe([done, growing], now=0)
    for t in range(1, 10):
        _write(growing, b"x", "ab")
        inbox.observe([growing], now=t)
        assert inbox.ready(now=t) == []
    _write(growing, b"x", "ab")
    assert inbox.ready(now=10) == [done]
    assert list(inbox.pending) == [growing]


def test_hidden_files_directories_and_outsiders_are_ignored(folder, tmp_path):
    inbox = Inbox(folder, settle_seconds=0)
    (folder / "sub").mkdir()
    hidden = _write(folder / ".part.txt", b"x")
    (folder / ".cache").mkdir()
    in_hidden_dir = _write(folder / ".cache" / "a.txt", b"x")
    outside = _write(tmp_path / "elsewhere.txt", b"x")
    nested = _write(folder / "sub" / "b.txt", b"x")
    inbox.observe([hidden, in_hidden_dir, outside, folder / "sub", nested], now=0)
    assert inbox.ready(now=0) == [nested]


def test_links_fifos_and_names_outside_the_pattern_are_ignored(folder, tmp_path):
    inbox = Inbox(folder, settle_seconds=0)
    page = _write(folder / "page.txt", b"x")
    (folder / "link.txt").symlink_to(page)
    (folder / "linked").symlink_to(folder / "sub", target_is_directory=True)
    (folder / "sub").mkdir()
    _write(folder / "sub" / "in-linked.txt", b"x")
    os.mkfifo(folder / "fifo.txt")
    others = [_write(folder / name, b"x") for name in ("a.txt.part", "a.txt~", "notes.md")]
    inbox.observe(
        [folder / "link.txt", folder / "linked" / "in-linked.txt", folder / "fifo.txt", *others],
        now=0,
    )
    assert inbox.ready(now=0) == []
    inbox.observe([page], now=0)
    assert inbox.ready(now=0) == [page]
    assert Inbox(folder, pattern="*.md").is_page(folder / "notes.md")


def test_a_removed_file_is_reported_too(folder):
    inbox = Inbox(folder, settle_seconds=1)
    page = _write(folder / "a.txt", b"x")
    inbox.observe([page], now=0)
    page.unlink()
    assert inbox.ready(now=0.5) == []
    assert inbox.ready(now=1.5) == [page]


def test_a_failed_batch_is_tried_again_later(folder):
    inbox = Inbox(folder, settle_seconds=1, retry_seconds=30)
    page = _write(folder / "a.txt", b"x")
    inbox.observe([page], now=0)
    assert inbox.ready(now=1) == [page]
    inbox.retry_later([page], now=1)
    assert inbox.ready(now=30) == []
    assert inbox.ready(now=31) == [page]


# `newsetl watch` for real: a subprocess using the session's Prefect server.


class Watcher:
    """A running `newsetl watch` whose output lines are collected as they come."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [str(NEWSETL), "watch", *args],
            cwd=REPO,
            env={**env, "COLUMNS": "200"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float) -> str:
        """The next output line matching `pattern` (lines before it are kept in `seen`)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"no {pattern!r} in {timeout} s; output:\n" + "\n".join(self.seen)
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(line)
            if re.match(pattern, line):
                return line

    def drain(self) -> list[str]:
        """The lines printed since the last look."""
        new = []
        while not self.lines.empty():
            new.append(self.lines.get())
        self.seen.extend(new)
        return new

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


@pytest.fixture
def api_env(prefect_server) -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}


def test_watch_loads_a_slowly_written_page_once_and_survives_a_bad_file(folder, tmp_path, api_env):
    db = tmp_path / "wh" / "news.duckdb"
    settle = 2.0
    watcher = Watcher(
        ["--seeds", str(folder), "--db", str(db), "--out", str(tmp_path / "reports"),
         "--settle", str(settle), "--timeout", "400"],
        api_env,
    )  # fmt: skip
    try:
        watcher.wait_for("Watching ", timeout=120)
        _write(folder / "bad.txt", bytes(range(256)) * 40)
        assert "1 quarantined" in watcher.wait_for(RUN_LINE, timeout=180)

        data = SEED_PAGE.read_bytes()
        page = folder / "page.txt"
        pieces = [data[i : i + len(data) // 4 + 1] for i in range(0, len(data), len(data) // 4 + 1)]
        for piece in pieces:  # pauses shorter than the settle window
            _write(page, piece, "ab")
            time.sleep(settle / 3)
            assert not any(re.match(BATCH_LINE, line) for line in watcher.drain()), "too early"
        changed = watcher.wait_for(BATCH_LINE, timeout=60)
        assert "page.txt" in changed
        assert "1 loaded" in watcher.wait_for(RUN_LINE, timeout=180)
        assert watcher.proc.poll() is None  # still watching
    finally:
        code = watcher.stop()
    assert code == 0, "\n".join(watcher.seen)

    outcomes = rows(
        db, "SELECT outcome, sha256 FROM etl_file_outcome WHERE path = 'page.txt' ORDER BY ALL"
    )
    assert outcomes == [("loaded", hashlib.sha256(data).hexdigest())]
    items = rows(
        db,
        "SELECT count(*) FROM fact_article JOIN dim_source_file USING (file_id)"
        " WHERE path = 'page.txt'",
    )
    assert items == [(len(parse_file(SEED_PAGE).items),)]
    assert rows(db, "SELECT count(*) FROM dim_source_file WHERE path = 'page.txt'") == [(1,)]
    # The bad file is quarantined once; later runs leave it alone until it changes.
    bad = rows(
        db, "SELECT outcome, count(*) FROM etl_file_outcome WHERE path = 'bad.txt' GROUP BY 1"
    )
    assert dict(bad)["quarantined"] == 1
    assert set(dict(bad)) <= {"quarantined", "unchanged"}


def test_watch_survives_a_file_name_that_is_not_utf8(folder, tmp_path, api_env):
    db = tmp_path / "wh" / "news.duckdb"
    watcher = Watcher(
        ["--seeds", str(folder), "--db", str(db), "--out", str(tmp_path / "reports"),
         "--settle", "0.5", "--timeout", "300"],
        api_env,
    )  # fmt: skip
    try:
        watcher.wait_for("Watching ", timeout=120)
        _write(folder / os.fsdecode(b"\xff\xfe.txt"), SEED_PAGE.read_bytes())
        assert "\\xff\\xfe.txt" in watcher.wait_for(BATCH_LINE, timeout=60)
        assert "1 loaded" in watcher.wait_for(RUN_LINE, timeout=180)
        _write(folder / "page.txt", (REPO / "seeds" / "001_adedccc03c8950b2.txt").read_bytes())
        assert "1 loaded" in watcher.wait_for(RUN_LINE, timeout=180)
        assert watcher.proc.poll() is None  # still watching
    finally:
        code = watcher.stop()
    assert code == 0, "\n".join(watcher.seen)
    assert sorted(rows(db, "SELECT path FROM dim_source_file")) == [
        ("\\xff\\xfe.txt",),
        ("page.txt",),
    ]


def test_ctrl_c_during_a_run_lets_it_finish_then_stops(folder, tmp_path, api_env):
    db = tmp_path / "wh" / "news.duckdb"
    watcher = Watcher(
        ["--seeds", str(folder), "--db", str(db), "--out", str(tmp_path / "reports"),
         "--settle", "0.5", "--timeout", "300"],
        api_env,
    )  # fmt: skip
    try:
        watcher.wait_for("Watching ", timeout=120)
        _write(folder / "page.txt", SEED_PAGE.read_bytes())
        watcher.wait_for(BATCH_LINE, timeout=60)
        watcher.proc.send_signal(signal.SIGINT)  # the run has just started
        assert "1 loaded" in watcher.wait_for(RUN_LINE, timeout=180)
        assert watcher.proc.wait(timeout=60) == 0
        assert watcher.wait_for("Stopped watching", timeout=10).startswith(
            "Stopped watching after 1 runs"
        )
    finally:
        watcher.stop()
    assert rows(db, "SELECT count(*) FROM dim_source_file WHERE path = 'page.txt'") == [(1,)]
    assert rows(db, "SELECT status FROM etl_run") == [("completed",)]
