"""A watched inbox: which changed page files are ready to ingest, and the loop that asks.

A file is ready once it has not changed for `settle_seconds` (its size and modification time
are re-read, so a file still being written is never handed over half-written). Files become
ready together: a batch is released when every pending file has settled, so a burst of copies
makes one run; a file that never settles holds the others back for at most
`max_delay_seconds`. Only page files count (`newsetl.source.pagefiles`). Prefect-free: the action
run on each batch is passed in.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from newsetl.source import pagefiles

log = logging.getLogger(__name__)

Signature = tuple[int, int] | None  # (size, mtime_ns); None when the file is gone


def signature(path: Path) -> Signature:
    """What changes when a file is written to: its size and modification time."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns


@dataclass
class Pending:
    """A changed file waiting to settle."""

    first_seen: float
    last_change: float
    signature: Signature
    not_before: float = 0.0


class Inbox:
    """Changed files of a folder, released in batches once they have settled."""

    def __init__(
        self,
        folder: Path,
        settle_seconds: float = 2.0,
        max_delay_seconds: float = 60.0,
        retry_seconds: float = 30.0,
        pattern: str = pagefiles.DEFAULT_PATTERN,
    ) -> None:
        self.folder = folder
        self.pattern = pattern
        self.settle_seconds = settle_seconds
        self.max_delay_seconds = max_delay_seconds
        self.retry_seconds = retry_seconds
        self.pending: dict[Path, Pending] = {}

    def is_page(self, path: Path) -> bool:
        """A page file of the folder (or one that was, and is gone)."""
        return pagefiles.is_page(self.folder, path, self.pattern)

    def existing(self) -> list[Path]:
        """The page files in the folder now."""
        listing = pagefiles.list_pages(self.folder, self.pattern)
        return [self.folder / p.os_path for p in listing.pages]

    def observe(self, paths: Iterable[Path], now: float) -> None:
        """Record that these files changed (were added, written or removed) at `now`."""
        for path in paths:
            if not self.is_page(path):
                continue
            entry = self.pending.get(path)
            if entry is None:
                self.pending[path] = Pending(now, now, signature(path))
            else:
                entry.last_change, entry.signature = now, signature(path)

    def ready(self, now: float) -> list[Path]:
        """Take the batch to ingest now (empty when nothing is ready yet)."""
        settled = []
        for path, entry in self.pending.items():
            current = signature(path)
            if current != entry.signature:
                entry.last_change, entry.signature = now, current
            if now - entry.last_change >= self.settle_seconds and now >= entry.not_before:
                settled.append(path)
        if not settled:
            return []
        oldest = min(self.pending[p].first_seen for p in settled)
        if len(settled) < len(self.pending) and now - oldest < self.max_delay_seconds:
            return []
        for path in settled:
            del self.pending[path]
        return sorted(settled)

    def retry_later(self, paths: Iterable[Path], now: float) -> None:
        """Put back a batch whose run failed, to be tried again after `retry_seconds`."""
        for path in paths:
            self.pending[path] = Pending(now, now, signature(path), now + self.retry_seconds)


def watch_inbox(
    inbox: Inbox,
    ingest: Callable[[list[Path]], object],
    stop: threading.Event | None = None,
    once: bool = False,
    tick_seconds: float = 0.5,
) -> int:
    """Ingest each batch of settled files until `stop` is set; return the batches ingested.

    Files already in the folder when watching starts count as changed (the ingest skips the
    ones already loaded). A batch whose ingest raises is retried later; watching goes on.
    With `once`, returns after the first batch.
    """
    from watchfiles import watch
    from watchfiles._rust_notify import WatchfilesRustInternalError

    stop = stop or threading.Event()
    batches = 0
    rescan = True  # the files already there count as changed
    while not stop.is_set():
        try:
            for changes in watch(
                inbox.folder,
                watch_filter=lambda _change, path: inbox.is_page(Path(path)),
                debounce=int(tick_seconds * 1000),
                rust_timeout=int(tick_seconds * 1000),
                yield_on_timeout=True,
                stop_event=stop,
            ):
                now = time.monotonic()
                if rescan:
                    rescan = False
                    inbox.observe(inbox.existing(), now)
                inbox.observe((Path(p) for _, p in changes), now)
                batch = inbox.ready(now)
                if not batch:
                    continue
                try:
                    ingest(batch)
                except Exception:
                    log.exception("Ingesting %d files failed; they will be tried again", len(batch))
                    inbox.retry_later(batch, time.monotonic())
                    continue
                batches += 1
                if once:
                    return batches
        except WatchfilesRustInternalError as exc:
            # A name that is not UTF-8 ends the watch; the folder is looked at afresh instead.
            log.warning("Watching again after a file event it could not read: %s", exc)
            rescan = True
    return batches
