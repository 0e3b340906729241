"""The benchmark: generated corpora of a given size through the whole pipeline.

For each size, a corpus is generated once (`newsetl.devtools.synth.write_corpus`, kept for later
runs), ingested into a fresh warehouse by the real flow, then ingested again unchanged.
Memory is sampled from the process tree while the flow runs. Then the same pages go through
what a user would write instead, in the same process: read each file and `jieba.lcut` it
(`plain_jieba`); the ratio of the two rates is the pipeline's speed against plain jieba.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from newsetl.devtools.synth import write_corpus

MB = 1_000_000
PROBE_PAGES = 100
SAMPLE_SECONDS = 0.2
# Stages whose seconds are summed over the worker processes that ran them at once.
PARALLEL_STAGES = ("decode_parse", "segment", "tables", "validate")


@dataclass
class SizeResult:
    """What one corpus size measured."""

    target_mb: int
    files: int
    mb: float
    seconds: float  # the flow, end to end (Prefect's start-up excluded)
    stages: dict[str, float]
    peak_rss_mb: float  # the flow's process and its worker processes, sampled
    rerun_seconds: float  # the same folder again, every file unchanged
    items: int
    paragraphs: int
    status: str
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def mb_per_s(self) -> float:
        return self.mb / self.seconds if self.seconds else 0.0


def corpus(root: Path, target_mb: int, seeds_dir: Path, seed: int = 0) -> Path:
    """A folder of pages generated from the seed pages in `seeds_dir`, adding up to about
    `target_mb` MB (made once, then kept)."""
    folder = root / f"corpus_{target_mb}mb"
    pages = folder / "pages"
    if (folder / "done").exists():
        return pages
    shutil.rmtree(folder, ignore_errors=True)
    probe = folder / "probe"
    write_corpus(probe, PROBE_PAGES, seeds_dir, seed)
    per_page = sum(p.stat().st_size for p in probe.glob("*.txt")) / PROBE_PAGES
    shutil.rmtree(probe)
    n_pages = max(1, math.ceil(target_mb * MB / per_page))
    gold = write_corpus(pages, n_pages, seeds_dir, seed)
    gold.replace(folder / "gold.json")  # the gold is not a page
    (folder / "done").write_text(f"{n_pages}\n", encoding="utf-8")
    return pages


class PeakMemory:
    """Peak resident memory of this process and its worker processes, sampled in a thread.

    The sum of RSS counts the pages the processes share (libraries) once per process; the
    sum of PSS splits them between the processes, so it is the memory the run takes.
    Prefect's local API server, also a child of this process, is left out.
    """

    def __init__(self) -> None:
        self.peak = 0  # the sum of RSS over the processes
        self.pss_peak = 0  # the sum of PSS over the processes
        self.flow_peak = 0  # this process alone (RSS)
        self.worker_peak = 0  # the largest worker process (RSS)
        self.peak_at = self.flow_peak_at = 0.0  # seconds after the start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        started = time.monotonic()
        while True:
            flow = me.memory_full_info()
            workers = []
            for proc in me.children(recursive=True):
                try:
                    if _is_worker(proc):
                        workers.append(proc.memory_full_info())
                except psutil.Error:
                    continue
            self.pss_peak = max(self.pss_peak, flow.pss + sum(w.pss for w in workers))
            flow, workers = flow.rss, [w.rss for w in workers]
            if flow + sum(workers) > self.peak:
                self.peak, self.peak_at = flow + sum(workers), time.monotonic() - started
            if flow > self.flow_peak:
                self.flow_peak, self.flow_peak_at = flow, time.monotonic() - started
            self.worker_peak = max(self.worker_peak, *workers, 0)
            if self._stop.wait(SAMPLE_SECONDS):
                return


def _is_worker(proc: psutil.Process) -> bool:
    return any("multiprocessing" in part for part in proc.cmdline())


def run_size(
    root: Path,
    target_mb: int,
    ingest: Callable[[Path, Path, Path], dict],
    seeds_dir: Path,
    seed: int = 0,
) -> SizeResult:
    """Generate (or reuse) a corpus, ingest it into a fresh warehouse, then again unchanged."""
    pages = corpus(root, target_mb, seeds_dir, seed)
    work = root / f"run_{target_mb}mb"
    shutil.rmtree(work, ignore_errors=True)
    db, reports = work / "news.duckdb", work / "reports"
    with PeakMemory() as memory:
        first = ingest(pages, db, reports)
    again = ingest(pages, db, reports)
    jieba_seconds = plain_jieba(pages)
    counts = first["counts"]
    mb = first["bytes"] / MB
    return SizeResult(
        target_mb=target_mb,
        files=counts.get("seen", 0),
        mb=mb,
        seconds=first["seconds"],
        stages=first["stages"],
        peak_rss_mb=memory.peak / MB,
        rerun_seconds=again["seconds"],
        items=counts.get("items", 0),
        paragraphs=counts.get("paragraphs", 0),
        status=first["status"],
        extra={
            "db_mb": db.stat().st_size / MB,
            "rerun_unchanged": again["counts"]["unchanged"],
            "peak_pss_mb": memory.pss_peak / MB,
            "peak_at_s": memory.peak_at,
            "flow_peak_mb": memory.flow_peak / MB,
            "flow_peak_at_s": memory.flow_peak_at,
            "worker_peak_mb": memory.worker_peak / MB,
            "jieba_seconds": jieba_seconds,
            "jieba_mb_per_s": mb / jieba_seconds if jieba_seconds else 0.0,
            "vs_jieba": jieba_seconds / first["seconds"] if first["seconds"] else 0.0,
        },
    )


def plain_jieba(pages: Path) -> float:
    """Seconds to read, decode and `jieba.lcut` every page of the folder, one process, as a
    user would segment the pages without newsetl (jieba's dictionary loaded beforehand)."""
    import jieba

    from newsetl.source.decode import decode_bytes

    jieba.setLogLevel(60)
    jieba.initialize()
    started = time.perf_counter()
    for path in sorted(pages.glob("*.txt")):
        text, _ = decode_bytes(path.read_bytes())
        jieba.lcut(text)
    return time.perf_counter() - started


def machine() -> dict[str, str]:
    """The machine and library versions a benchmark ran on."""
    from newsetl.warehouse.ledger import library_versions

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": time.strftime("%Y-%m-%d"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory_gb": f"{psutil.virtual_memory().total / 2**30:.0f}",
        "os": platform.platform(),
        **library_versions(),
    }


def save(results: list[SizeResult], path: Path) -> None:
    """Write the results and the machine as JSON."""
    rows = [{**asdict(r), "mb_per_s": round(r.mb_per_s, 3)} for r in results]
    payload = {"machine": machine(), "results": rows}
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def stage_rates(result: SizeResult) -> dict[str, float]:
    """MB/s of each stage (of one worker, for the stages that run in parallel)."""
    return {
        stage: (result.mb / seconds if seconds else math.inf)
        for stage, seconds in result.stages.items()
    }
