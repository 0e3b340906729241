"""Seconds per stage of the core pipeline on a folder of pages, one process, no Prefect.

    python scripts/profile_stages.py FOLDER [--files N] [--batch 200] [--profile parse|segment]

Decodes, parses, segments, validates and loads batches into a fresh warehouse, then prints
the seconds and MB/s of each stage and how many worker cores one writer keeps busy (the
workers' seconds per MB over the load's, the load sharing one connection as a run's loads
do); `--profile` adds a cProfile of the parser or of the segmentation (the functions with
the most time of their own).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import tempfile
import time
from collections import Counter
from pathlib import Path

from newsetl import batch
from newsetl.parsing import parse_page
from newsetl.source import inventory, pagefiles
from newsetl.source.decode import decode_bytes
from newsetl.warehouse import ledger, store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--files", type=int, default=0, help="only the first N files")
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--profile", choices=("parse", "segment"))
    args = ap.parse_args()
    files = pagefiles.list_pages(args.folder).pages
    files = files[: args.files] if args.files else files
    entries = []
    for f in files:
        data = pagefiles.read_page_file(args.folder, f.os_path)
        sha = hashlib.sha256(data).hexdigest()
        entries.append(inventory.FileEntry(f.path, sha, len(data), f.os_path))
    batch.warm_up()
    seconds: Counter[str] = Counter()
    size = 0
    with tempfile.TemporaryDirectory() as tmp, store.loading(Path(tmp) / "w.duckdb") as con:
        store.migrate(con)
        for i in range(0, len(entries), args.batch):
            result = batch.process_batch(args.folder, entries[i : i + args.batch], "profile")
            tick = time.perf_counter()
            ledger.load_batch(con, result, store.folder_names(con, args.folder))
            seconds["load"] += time.perf_counter() - tick
            seconds.update(result.seconds)
            size += result.size_bytes
        tick = time.perf_counter()
        con.execute("CHECKPOINT")  # what closing the run's connection does
        seconds["load"] += time.perf_counter() - tick
    mb = size / 1e6
    print(f"{len(entries)} files, {mb:.1f} MB")
    for stage in ledger.STAGES:
        if seconds[stage]:
            print(f"  {stage:13s} {seconds[stage]:8.2f} s {mb / seconds[stage]:8.2f} MB/s")
    total = sum(seconds.values())
    print(f"  {'all':13s} {total:8.2f} s {mb / total:8.2f} MB/s")
    if seconds["load"]:
        worker = total - seconds["load"]
        print(f"one writer keeps {worker / seconds['load']:.1f} worker cores busy")
    if args.profile:
        profile(args.folder, files, args.profile)


def profile(folder: Path, files: list[pagefiles.PageFile], what: str) -> None:
    """cProfile of the parser, or of segmentation and keywords, over the files."""
    from newsetl.enrich.rows import Batch, SourceFile, add_page

    pages = []
    for f in files:
        text, encoding = decode_bytes(pagefiles.read_page_file(folder, f.os_path))
        pages.append((f, text, encoding))
    parsed = [parse_page(t, f.path, e) for f, t, e in pages] if what == "segment" else []
    prof = cProfile.Profile()
    prof.enable()
    if what == "parse":
        for f, text, encoding in pages:
            parse_page(text, f.path, encoding)
    else:
        batch = Batch()
        for (f, _, _), page in zip(pages, parsed, strict=True):
            add_page(batch, SourceFile(f.path, "0" * 64, 0), page, "profile", None)
        batch.rank_keywords()
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
