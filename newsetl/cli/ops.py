"""Unattended operation: `newsetl serve` (scheduled deployments) and `newsetl watch` (an inbox)."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Annotated

import typer

from newsetl.cli.options import (
    DEFAULT_DB,
    DEFAULT_PATTERN,
    AllowRemovalOpt,
    DbOpt,
    OutOpt,
    PatternOpt,
    SeedsOpt,
    console,
    fail,
    wait_for_local_api,
)
from newsetl.source.pagefiles import printable


def serve(
    seeds: SeedsOpt = Path("seeds"),
    db: DbOpt = DEFAULT_DB,
    out: OutOpt = Path("reports"),
    pattern: PatternOpt = DEFAULT_PATTERN,
) -> None:
    """Run the scheduled deployments (ingest, textrank, report, recheck) from this process."""
    from newsetl.orchestration.runtime import configure_prefect

    if configure_prefect():
        raise fail(
            "`newsetl serve` needs a Prefect server for its schedules: start one with "
            "`prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api."
        )
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "newsetl")
    with console.status("Loading Prefect…"):
        from newsetl.orchestration.deployments import runner_deployments, serve_deployments

        deployments = runner_deployments(seeds, db, out, pattern)
    console.print(
        f"Serving {', '.join(d.name for d in deployments)} for {seeds} → {db} "
        "(one run at a time; Ctrl-C stops)."
    )
    serve_deployments(deployments)


def watch(
    seeds: SeedsOpt = Path("seeds"),
    db: DbOpt = DEFAULT_DB,
    out: OutOpt = Path("reports"),
    settle: Annotated[
        float, typer.Option(help="Seconds a file must stay unchanged before it is ingested.")
    ] = 2.0,
    once: Annotated[bool, typer.Option(help="Stop after the first batch.")] = False,
    timeout: Annotated[
        float | None, typer.Option(help="Stop watching after this many seconds.")
    ] = None,
    pattern: PatternOpt = DEFAULT_PATTERN,
    allow_removal: AllowRemovalOpt = False,
) -> None:
    """Ingest page files as they arrive in the folder, until stopped."""
    from newsetl.orchestration.runtime import start_prefect

    if not seeds.is_dir():
        raise fail(f"The page folder {seeds} does not exist.")
    api = start_prefect()
    with console.status("Loading Prefect…"):
        from newsetl.orchestration.ingest import run_ingest
        from newsetl.source.inbox import Inbox, watch_inbox
    if api:
        wait_for_local_api(api)

    def ingest_batch(batch: list[Path]) -> None:
        names = ", ".join(printable(p.relative_to(inbox.folder).as_posix()) for p in batch[:5])
        more = f" and {len(batch) - 5} more" if len(batch) > 5 else ""
        console.print(f"{len(batch)} changed: {names}{more}", highlight=False)
        try:
            summary = run_ingest(
                str(seeds), str(db), str(out), pattern=pattern, allow_removal=allow_removal
            )
        except Exception as exc:
            console.print(f"[bold red]run failed, will retry:[/] {type(exc).__name__}: {exc}")
            raise
        c = summary["counts"]
        console.print(
            f"run {summary['run_id']}: {summary['status']}, {c.get('loaded', 0)} loaded, "
            f"{c.get('changed', 0)} changed, {c.get('quarantined', 0)} quarantined, "
            f"{c.get('removed', 0)} removed, {c.get('skipped', 0)} skipped "
            f"({summary['seconds']:.1f} s)",
            highlight=False,
        )

    stop = threading.Event()

    def interrupted(*_: object) -> None:
        """First Ctrl-C: finish the run under way, then stop. A second one stops at once."""
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    # A signal only sets the event, so it never lands inside Prefect's engine or its
    # shutdown; watching ends within a tick, or after the run under way.
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    timer = threading.Timer(timeout or 0, stop.set)
    if timeout is not None:
        timer.start()
    inbox = Inbox(seeds.resolve(), settle_seconds=settle, pattern=pattern)
    console.print(f"Watching {seeds} (a file is ingested {settle:g} s after its last change).")
    started = time.monotonic()
    from newsetl.orchestration.runtime import stop_signals

    try:
        batches = watch_inbox(inbox, ingest_batch, stop=stop, once=once)
    except stop_signals():
        batches = None
    finally:
        timer.cancel()
    ran = "" if batches is None else f" after {batches} runs"
    console.print(f"Stopped watching{ran} ({time.monotonic() - started:.0f} s).")
