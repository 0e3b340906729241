"""One writer at a time: an advisory file lock beside the warehouse.

The operating system releases the lock when its process ends, however it ends, so a crashed
run never blocks the next one.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse."""


@contextmanager
def writer_lock(db_path: str | Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the warehouse's writer lock, waiting up to `wait_seconds` for it."""
    lock_path = Path(f"{db_path}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
                    raise WarehouseBusy(
                        f"Another newsetl run (process {holder}) is writing {db_path}; "
                        "try again when it has finished."
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)
