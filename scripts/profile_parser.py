"""Decoder and parser throughput on a generated corpus, single core.

Writes (or reuses) a corpus from `newsetl.devtools.synth`, times `read_page` over its files (MB/s of
file bytes) and `parse_page` over the decoded texts (MB/s of UTF-8 page text): best of
--repeat runs, wall clock and process CPU time. `--profile` prints the top cProfile entries
of one parsing pass instead.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from newsetl.devtools.synth import write_corpus
from newsetl.parsing import parse_page
from newsetl.source.decode import read_page

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def corpus_files(out_dir: Path, n_pages: int, seed: int) -> list[Path]:
    """Page files of a generated corpus, written first when out_dir has none."""
    if not (out_dir / "gold.json").exists():
        write_corpus(out_dir, n_pages, SEEDS, seed)
    return sorted(out_dir.glob("gen_*.txt"))


def load_corpus(out_dir: Path, n_pages: int, seed: int) -> list[str]:
    """Decoded texts of a generated corpus, written first when out_dir has none."""
    return [read_page(p)[0] for p in corpus_files(out_dir, n_pages, seed)]


def decode_all(paths: list[Path]) -> int:
    """Read and decode every file; returns the number of characters."""
    return sum(len(read_page(p)[0]) for p in paths)


def parse_all(texts: list[str]) -> int:
    """Parse every text; returns the number of items found."""
    return sum(len(parse_page(t).items) for t in texts)


def best_times(run: Callable[[], int], repeat: int) -> tuple[float, float, int]:
    """(best wall seconds, best CPU seconds, result) over `repeat` calls of run."""
    wall = cpu = float("inf")
    result = 0
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = run()
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu, result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", type=Path, help="corpus directory (default: a temporary one)")
    ap.add_argument("-n", "--pages", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        paths = corpus_files(args.dir or Path(tmp), args.pages, args.seed)
        texts = [read_page(p)[0] for p in paths]
        file_mb = sum(p.stat().st_size for p in paths) / 1e6
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        parse_all(texts[:5])  # warm caches and lazy imports
        if args.profile:
            prof = cProfile.Profile()
            prof.runcall(parse_all, texts)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
            return 0
        wall, cpu, _ = best_times(lambda: decode_all(paths), args.repeat)
        print(
            f"decode: {len(paths)} files, {file_mb:.2f} MB: "
            f"{file_mb / wall:.1f} MB/s wall ({wall:.2f} s), "
            f"{file_mb / cpu:.1f} MB/s CPU ({cpu:.2f} s)"
        )
    wall, cpu, items = best_times(lambda: parse_all(texts), args.repeat)
    print(
        f"parse: {len(texts)} pages, {mb:.2f} MB, {items} items: "
        f"{mb / wall:.1f} MB/s wall ({wall:.2f} s), {mb / cpu:.1f} MB/s CPU ({cpu:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
