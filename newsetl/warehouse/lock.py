"""One writer at a time: an advisory file lock beside the warehouse.

The lock is `flock` on `<db>.lock`. The operating system releases it when the holding process
ends, however it ends (`kill -9` included), so a crashed run never blocks the next one. The
file also records who holds the lock (process, host, since when, command) so that a waiting
run can say what it waits for. A holder recorded as dead that still blocks the lock means a
process it started (a forked worker) inherited the lock: the message says so.

`NEWSETL_LOCK_WAIT_SECONDS`, when set, overrides how long a run waits for the lock.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

WAIT_ENV = "NEWSETL_LOCK_WAIT_SECONDS"
POLL_SECONDS = 0.2

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) the writer lock."""

    pid: int
    host: str
    since: str
    command: str

    def alive(self) -> bool | None:
        """Whether the process still exists; None when it runs on another host."""
        if self.host != socket.gethostname():
            return None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def describe(self, lock_file: Path) -> str:
        """One phrase naming the holder."""
        who = f"process {self.pid} on {self.host} ({self.command}), since {self.since}"
        if self.alive() is False:
            who += (
                "; that process has ended, so a process it started still holds the lock"
                f" (`fuser {lock_file}` names it)"
            )
        return who


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse."""

    def __init__(self, db_path: str | Path, holder: Holder | None, waited: float) -> None:
        self.db_path = str(db_path)
        self.holder = holder
        self.waited = waited
        who = holder.describe(lock_path(db_path)) if holder else "an unknown process"
        waited_text = f" after waiting {waited:.0f} s" if waited >= 1 else ""
        super().__init__(
            f"Another newsetl run is writing {db_path}{waited_text}: {who}. "
            "Try again when it has finished."
        )


def lock_path(db_path: str | Path) -> Path:
    """The lock file of a warehouse."""
    return Path(f"{db_path}.lock")


def read_holder(db_path: str | Path) -> Holder | None:
    """The holder recorded in the lock file, if any (it may have finished since)."""
    try:
        raw = lock_path(db_path).read_text(encoding="utf-8").strip()
        return Holder(**json.loads(raw)) if raw else None
    except (OSError, ValueError, TypeError):
        return None


def wait_seconds_for(default: float) -> float:
    """How long to wait for the lock: the environment's setting or the caller's default."""
    value = os.environ.get(WAIT_ENV)
    return float(value) if value else default


def _this_holder() -> Holder:
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:2]]) if sys.argv else "python"
    return Holder(os.getpid(), socket.gethostname(), now, command)


@contextmanager
def writer_lock(
    db_path: str | Path,
    wait_seconds: float = 0.0,
    on_wait: Callable[[Holder | None], None] | None = None,
) -> Iterator[Holder]:
    """Hold the warehouse's writer lock, waiting up to `wait_seconds` for it.

    `on_wait` is called once, with the current holder, if the lock is busy; by default the
    wait is logged. Raises `WarehouseBusy` when the wait runs out.
    """
    wait_seconds = wait_seconds_for(wait_seconds)
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    started = time.monotonic()
    try:
        waiting = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = read_holder(db_path)
                waited = time.monotonic() - started
                if waited >= wait_seconds:
                    raise WarehouseBusy(db_path, holder, waited) from None
                if not waiting:
                    waiting = True
                    (on_wait or _log_wait(db_path, wait_seconds))(holder)
                time.sleep(POLL_SECONDS)
        me = _this_holder()
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(asdict(me)).encode(), 0)
        try:
            yield me
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)


def _log_wait(db_path: str | Path, wait_seconds: float) -> Callable[[Holder | None], None]:
    def report(holder: Holder | None) -> None:
        who = holder.describe(lock_path(db_path)) if holder else "an unknown process"
        log.warning("Waiting up to %.0f s for %s: %s holds it.", wait_seconds, db_path, who)

    return report
