"""`newsetl bench`: the whole pipeline on generated corpora of given sizes."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:
    from newsetl.devtools.bench import SizeResult

T = TypeVar("T")


def bench(
    sizes: Annotated[
        str, typer.Option(help="Corpus sizes in MB, comma-separated (10,100,1000).")
    ] = "10,100",
    work: Annotated[
        Path, typer.Option(help="Folder for the corpora (kept) and the warehouses.")
    ] = Path("bench"),
    runner: Annotated[str, typer.Option(help="Where batches are processed: local or dask.")] = (
        "local"
    ),
    address: Annotated[
        str | None, typer.Option(help="Dask scheduler address (tcp://host:8786).")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Batches processed at once (default: one per core).")
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Files per Prefect task.")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the corpus generator.")] = 0,
    seeds: Annotated[
        Path, typer.Option(help="The seed pages the corpus is made of (the repository's seeds/).")
    ] = Path("seeds"),
    ingest_only: Annotated[
        bool, typer.Option(help="Leave out the checks and the report (time the ingest alone).")
    ] = False,
) -> None:
    """Ingest generated corpora into fresh warehouses; print MB/s, stages, memory, re-run time.

    Each size is measured in a process of its own, as a run of that corpus would be.
    """
    from newsetl.cli.options import console, fail, wait_for_local_api
    from newsetl.orchestration.runtime import start_prefect

    try:
        targets = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise fail(f"--sizes takes whole numbers of MB, like 10,100 (not {sizes!r}).") from None
    if not targets or min(targets) < 1:
        raise fail("--sizes needs at least one size of 1 MB or more.")
    if not seeds.is_dir():
        raise fail(f"No seed pages at {seeds}: run in the repository or name them with --seeds.")
    try:
        api = start_prefect(runner)
    except ValueError as exc:
        raise fail(str(exc)) from None
    if api:
        wait_for_local_api(api)
    from newsetl.devtools import bench

    options = {
        "batch_size": batch_size,
        "workers": workers,
        "runner": runner,
        "address": address,
        "quality_stage": not ingest_only,
    }
    results = []
    for mb in targets:
        with console.status(f"{mb} MB: generating the corpus (once) and ingesting it…"):
            try:
                results.append(in_fresh_process(measure_size, work, mb, seeds, seed, options))
            except ValueError as exc:
                raise fail(str(exc)) from None
        print_result(results[-1])
    work.mkdir(parents=True, exist_ok=True)
    bench.save(results, work / "results.json")
    console.print(f"Results written to {work / 'results.json'}")


def in_fresh_process(function: Callable[..., T], *args: object) -> T:
    """Call `function` in a new (spawned) Python process and return its result."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def measure_size(work: Path, mb: int, seeds: Path, seed: int, options: dict) -> SizeResult:
    """Generate (or reuse) the corpus of `mb` MB and measure the flow on it (`bench.run_size`)."""
    from newsetl.devtools.bench import run_size
    from newsetl.orchestration.ingest import run_ingest

    def ingest(pages: Path, db: Path, reports: Path) -> dict:
        return run_ingest(str(pages), str(db), str(reports), **options)

    return run_size(work, mb, ingest, seeds, seed)


def print_result(result: SizeResult) -> None:
    """One size's numbers as a table."""
    from rich.console import Console
    from rich.table import Table

    from newsetl.devtools.bench import PARALLEL_STAGES, stage_rates

    table = Table(
        title=f"{result.target_mb} MB: {result.files} files, {result.mb:.1f} MB, "
        f"{result.items} items ({result.status})"
    )
    table.add_column("stage")
    table.add_column("seconds", justify="right")
    table.add_column("MB/s", justify="right")
    rates = stage_rates(result)
    for stage, seconds in result.stages.items():
        label = f"{stage} (summed over workers)" if stage in PARALLEL_STAGES else stage
        table.add_row(label, f"{seconds:.2f}", f"{rates[stage]:.2f}" if seconds else "-")
    table.add_row("end to end", f"{result.seconds:.2f}", f"{result.mb_per_s:.2f}", style="bold")
    table.add_row(
        "plain jieba on the same pages (read, jieba.lcut; one process)",
        f"{result.extra['jieba_seconds']:.2f}",
        f"{result.extra['jieba_mb_per_s']:.2f}",
    )
    table.add_row("end to end against plain jieba", f"{result.extra['vs_jieba']:.2f}×", "")
    table.add_row(
        "peak RSS (MB): flow + workers (flow alone, largest worker)",
        f"{result.peak_rss_mb:.0f}",
        f"({result.extra['flow_peak_mb']:.0f}, {result.extra['worker_peak_mb']:.0f})",
    )
    pss = f"{result.extra['peak_pss_mb']:.0f}"
    table.add_row("peak PSS (MB): flow + workers, shared pages split", pss, "")
    table.add_row(
        f"re-run, {result.extra['rerun_unchanged']:.0f} files unchanged",
        f"{result.rerun_seconds:.2f}",
        "",
    )
    Console().print(table)
