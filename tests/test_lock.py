"""One writer at a time: the warehouse lock, alone and under two real `newsetl run` processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsetl.warehouse.lock import WAIT_ENV, Holder, WarehouseBusy, read_holder, writer_lock
from tests.conftest import rows

REPO = Path(__file__).resolve().parents[1]
NEWSETL = Path(sys.executable).with_name("newsetl")
GOLD_ITEMS = 41

HOLD_SCRIPT = """
import os, sys, time
from newsetl.warehouse.lock import writer_lock
with writer_lock(sys.argv[1]):
    child = os.fork() if len(sys.argv) > 2 else -1
    if child == 0:  # the forked child inherits the lock
        time.sleep(120)
        os._exit(0)
    print(os.getpid(), child, flush=True)
    if child > 0:  # the holder ends without releasing: its child keeps the lock
        os._exit(0)
    time.sleep(120)
"""


def _hold(db: Path, *extra: str) -> tuple[subprocess.Popen, int, int]:
    """A separate process holding the lock: it, the pid it recorded, the pid of its child."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_SCRIPT, str(db), *extra], stdout=subprocess.PIPE, text=True
    )
    pid, child = map(int, proc.stdout.readline().split())
    return proc, pid, child


def test_lock_records_and_clears_its_holder(tmp_path):
    db = tmp_path / "news.duckdb"
    with writer_lock(db) as me:
        assert read_holder(db) == me
        assert me.pid == os.getpid()
        assert me.alive()
    assert read_holder(db) is None


def test_busy_lock_waits_then_names_the_holder(tmp_path):
    db = tmp_path / "news.duckdb"
    proc, pid, _ = _hold(db)
    try:
        seen: list[Holder | None] = []
        started = time.monotonic()
        with pytest.raises(WarehouseBusy) as busy, writer_lock(db, 1.0, on_wait=seen.append):
            pass
        assert time.monotonic() - started >= 1.0
        assert [h.pid for h in seen if h] == [pid]
        assert busy.value.holder.pid == pid
        message = str(busy.value)
        assert f"process {pid} on " in message
        assert str(db) in message
        assert "Try again when it has finished" in message
    finally:
        proc.kill()
        proc.wait()


def test_environment_sets_the_wait(tmp_path, monkeypatch):
    db = tmp_path / "news.duckdb"
    proc, _, _ = _hold(db)
    try:
        monkeypatch.setenv(WAIT_ENV, "0")
        started = time.monotonic()
        with pytest.raises(WarehouseBusy), writer_lock(db, wait_seconds=60):
            pass
        assert time.monotonic() - started < 5
    finally:
        proc.kill()
        proc.wait()


def test_killed_holder_never_blocks_the_next_writer(tmp_path):
    db = tmp_path / "news.duckdb"
    proc, pid, _ = _hold(db)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert read_holder(db).pid == pid  # the dead holder's record is still there
    with writer_lock(db, wait_seconds=0) as me:
        assert me.pid == os.getpid()


def test_lock_inherited_by_a_child_of_a_dead_holder_is_explained(tmp_path):
    db = tmp_path / "news.duckdb"
    proc, pid, child = _hold(db, "fork")
    proc.wait()
    try:
        with pytest.raises(WarehouseBusy) as busy, writer_lock(db, wait_seconds=0):
            pass
        assert busy.value.holder.pid == pid
        assert busy.value.holder.alive() is False
        assert "a process it started still holds the lock" in str(busy.value)
    finally:
        os.kill(child, signal.SIGKILL)
    with writer_lock(db, wait_seconds=10):
        pass


# Two real runs of the command line against the session's Prefect server.


@pytest.fixture
def api_env(prefect_server) -> dict[str, str]:
    """Environment for `newsetl` subprocesses that use the test Prefect server."""
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}


def _newsetl_run(seeds: Path, db: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [str(NEWSETL), "run", "--seeds", str(seeds), "--db", str(db), "--out", str(db.parent)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_runs_started_together_load_each_file_once(seeds_copy, tmp_path, api_env):
    db = tmp_path / "wh" / "news.duckdb"
    runs = [_newsetl_run(seeds_copy, db, api_env) for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in runs]
    codes = sorted(p.returncode for p in runs)
    assert codes in ([0, 0], [0, 75]), outputs
    if codes == [0, 75]:
        assert any("Another newsetl run is writing" in out for out in outputs)
    assert rows(db, "SELECT count(*) FROM fact_article") == [(GOLD_ITEMS,)]
    loaded = rows(
        db,
        "SELECT path, count(*) FROM etl_file_outcome WHERE outcome = 'loaded' GROUP BY path",
    )
    assert sorted(n for _, n in loaded) == [1] * 5
    spans = rows(db, "SELECT started_at, finished_at FROM etl_run ORDER BY started_at")
    assert len(spans) == codes.count(0)
    if len(spans) == 2:  # the second run started writing only after the first had finished
        assert spans[1][0] >= spans[0][1]


def test_run_killed_while_writing_does_not_block_the_next(seeds_copy, tmp_path, api_env):
    db = tmp_path / "wh" / "news.duckdb"
    first = _newsetl_run(seeds_copy, db, api_env)
    deadline = time.monotonic() + 180
    while (holder := read_holder(db)) is None or holder.pid != first.pid:
        assert first.poll() is None and time.monotonic() < deadline, "the run never took the lock"
        time.sleep(0.05)
    time.sleep(1.0)  # let it get into the work
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=30)

    started = time.monotonic()
    second = _newsetl_run(seeds_copy, db, {**api_env, WAIT_ENV: "0"})
    out = second.communicate(timeout=300)[0]
    assert second.returncode == 0, out
    assert "| INFO" not in out  # the summary, not the libraries' chatter
    assert time.monotonic() - started < 120
    assert rows(db, "SELECT count(*) FROM fact_article") == [(GOLD_ITEMS,)]
    assert rows(db, "SELECT count(*) FROM dim_source_file WHERE status = 'current'") == [(5,)]


def test_a_busy_warehouse_is_one_line_and_exit_75(seeds_copy, tmp_path, api_env):
    """The run that finds the warehouse busy says so in one line, with no traceback (the run's
    log in Prefect keeps the exception)."""
    db = tmp_path / "wh" / "news.duckdb"
    db.parent.mkdir()
    holder, pid, _ = _hold(db)
    try:
        run = _newsetl_run(seeds_copy, db, {**api_env, WAIT_ENV: "0"})
        out = run.communicate(timeout=300)[0]
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode == 75, out
    assert "Traceback" not in out
    assert out.strip().splitlines() == [
        line for line in out.strip().splitlines() if "Another newsetl run is writing" in line
    ]
    assert f"process {pid}" in out
