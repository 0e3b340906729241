"""Time publishing a warehouse (`newsetl.warehouse.publish.publish`) at several file sizes.

    python scripts/bench_publish.py --work /tmp/publish --sizes-mb 10,620,5300

For each size it writes a writer's file of about that many MB (a table of incompressible
text), then publishes it three times and prints the seconds of each: the checkpoint, the copy
beside the warehouse, its fsync and the rename. The cost is the copy's: it depends on the
file's size and the disk, not on what the tables hold. 620 MB and 5.3 GB are the warehouses
of the 100 MB and 1 GB generated corpora (docs/performance.md).
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from newsetl.warehouse import publish, store

ROW_BYTES = 18  # per row of the filler table, as DuckDB stores it (measured)


def make_writer_file(db: Path, size_mb: int) -> float:
    """A writer's file of about `size_mb` MB; return its actual size in MB."""
    work = store.writer_file(db)
    rows = size_mb * 1_000_000 // ROW_BYTES
    with store.connection(work) as con:
        con.execute(
            "CREATE TABLE filler AS SELECT i, md5(i::VARCHAR) AS a FROM range(?) t(i)", [rows]
        )
    return work.stat().st_size / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="A scratch folder.")
    parser.add_argument("--sizes-mb", default="10,620", help="Writer's file sizes, in MB.")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes_mb.split(",")):
        folder = args.work / f"publish_{size}mb"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        db = folder / "news.duckdb"
        mb = make_writer_file(db, size)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            publish.publish(db)
            times.append(time.perf_counter() - started)
        print(f"{mb:8.1f} MB: publish " + ", ".join(f"{t:.2f}" for t in times) + " s", flush=True)
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
