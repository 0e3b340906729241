"""One ingest run's book: what it found, loaded and rejected, how long each stage took, and
its `etl_run` row from start to end (a failure included)."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsetl.batch import BatchResult
from newsetl.counts import RunCounts
from newsetl.source.inventory import ScanPlan
from newsetl.warehouse import ledger, store

Logger = logging.Logger | logging.LoggerAdapter


@dataclass
class RunBook:
    """The book of one run over one folder, kept while the run holds the writer lock."""

    run_id: str
    folder: Path
    logger: Logger
    counts: RunCounts = field(default_factory=RunCounts)
    stages: Counter[str] = field(default_factory=Counter)  # seconds by stage (ledger.STAGES)
    rejected: list[dict] = field(default_factory=list)
    plan: ScanPlan | None = None
    started: float = field(default_factory=time.monotonic)

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """Add the seconds of the block to `stage`."""
        tick = time.perf_counter()
        try:
            yield
        finally:
            self.stages[stage] += time.perf_counter() - tick

    def open(self, db: Path, plan: ScanPlan) -> None:
        """Start the run's etl_run row (settling dead runs first) and say what the scan found."""
        self.plan = plan
        with store.connection(db) as con:
            settled = ledger.settle_dead_runs(con, db, self.run_id)
            ledger.start_run(con, self.run_id, self.folder)
        if settled:
            self.logger.warning(
                "Recorded the end of %d earlier runs that ended unrecorded.", settled
            )
        c = self.counts
        c.seen, c.skipped = plan.seen, len(plan.skipped)
        c.unchanged = len(plan.unchanged) + len(plan.rejected)
        self.logger.info(
            "%d files: %d to load, %d unchanged, %d removed; %d entries skipped",
            plan.seen,
            len(plan.to_load),
            len(plan.unchanged),
            len(plan.removed),
            len(plan.skipped),
        )
        for skipped in plan.skipped:
            self.logger.warning("Skipped %s: %s.", skipped.path, skipped.reason)
        if plan.hold_reason:
            self.logger.warning(plan.hold_reason)
            c.removal_held = len(plan.held)

    def loaded(self, result: BatchResult) -> None:
        """Count a loaded batch and name what it rejected in the log."""
        self.stages.update(result.seconds)
        self.counts.add(result.counts())
        for r in result.rejected():
            self.rejected.append(r)
            if r["table"]:
                self.logger.warning(
                    "Rejected %s %s of %s: %s.", r["table"], r["row_key"], r["path"], r["check"]
                )
            else:
                self.logger.warning("Quarantined %s.", r["reason"])

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    @contextmanager
    def failing(self, db: Path) -> Iterator[None]:
        """Record the run as failed in etl_run when the block raises (then raise on)."""
        try:
            yield
        except BaseException as exc:
            message = f"{type(exc).__name__}: {exc}"
            if not ledger.record_failure(db, self.run_id, self.counts, self.seconds, message):
                self.logger.warning("Could not record the failure in %s: the next run will.", db)
            raise

    def close(self, db: Path, errors: int, message: str) -> str:
        """Finish the etl_run row; return the run's status (failed when error checks failed)."""
        status = "failed" if errors else "completed"
        if self.plan is not None and self.plan.hold_reason:
            message += f"; {self.plan.hold_reason}"
        with store.connection(db) as con:
            ledger.finish_run(con, self.run_id, status, self.counts, self.seconds, message)
        return status

    def report_row(self) -> dict[str, Any]:
        """This run's counts as its etl_run row will hold them, for the report it writes."""
        files = ("seen", "loaded", "changed", "unchanged", "removed", "quarantined")
        return {"run_id": self.run_id, **{f"files_{k}": getattr(self.counts, k) for k in files}}

    def summary(self, status: str, checks: dict, report: Path | None) -> dict[str, Any]:
        """The run summary: what `newsetl run` prints and the run's Prefect artifact shows."""
        return {
            "run_id": self.run_id,
            "status": status,
            "counts": self.counts.as_dict(),
            "seconds": self.seconds,
            "stages": {s: round(self.stages[s], 3) for s in ledger.STAGES},
            "bytes": self.counts.bytes,
            "report": str(report) if report else None,
            "checks": checks,
            "rejected": self.rejected,
            "removal_held": self.plan.hold_reason if self.plan else None,
        }
