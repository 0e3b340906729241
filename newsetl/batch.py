"""A batch of page files into validated rows: decode, parse, segment, build rows, validate."""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import hashlib
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from newsetl.counts import BATCH_OUTCOMES, RunCounts
from newsetl.enrich.rows import Batch, SourceFile, add_page
from newsetl.parsing import parse_page
from newsetl.source import pagefiles
from newsetl.source.decode import DecodeError, decode_bytes
from newsetl.source.inventory import FileEntry
from newsetl.source.pagefiles import UnreadablePage
from newsetl.tables import keys
from newsetl.tables.registry import BY_NAME
from newsetl.tables.validate import CHECK_ONLY_COLUMNS, Rejection, validate

# Files turned into rows at a time: a worker holds about 0.1 GB of rows for 50 files.
CHUNK_FILES = 50


def return_free_memory() -> None:
    """Hand the memory Python has freed back to the system (glibc keeps it otherwise)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass
class BatchResult:
    """Parsed and validated rows of a batch of files, what was rejected, and the time it took."""

    frames: dict[str, pa.Table]  # validated rows by warehouse table
    outcomes: list[dict]
    quarantine: list[dict]
    seconds: Counter[str] = field(default_factory=Counter)  # by stage (STAGES)
    size_bytes: int = 0

    def counts(self) -> RunCounts:
        """Files by outcome, loaded items, paragraphs, anomalies by type, and rejected rows."""
        outcomes = Counter(o["outcome"] for o in self.outcomes)
        c = RunCounts(**{k: outcomes[k] for k in BATCH_OUTCOMES}, bytes=self.size_bytes)
        c.items = len(self.frames.get("fact_article", ()))
        rejected = {
            (q["path"], q["table_name"], q["row_key"])
            for q in self.quarantine
            if q["stage"] == "validate"
        }
        c.rejected_rows = len(rejected)
        c.rejected_items = sum(table == "fact_article" for _, table, _ in rejected)
        c.paragraphs = len(self.frames.get("fact_paragraph", ()))
        anomalies = self.frames.get("dq_anomaly")
        if anomalies is not None:
            c.anomalies.update(anomalies.column("type").to_pylist())
        return c

    def rejected(self) -> list[dict]:
        """Every rejected file and row: path, stage, table, row key, check and reason."""
        return [
            {
                "path": q["path"],
                "stage": q["stage"],
                "table": q["table_name"],
                "row_key": q["row_key"],
                "check": q["check_name"],
                "reason": q["reason"],
            }
            for q in self.quarantine
        ]

    def release(self) -> None:
        """Drop the rows once loaded (Prefect's future keeps this object until a full GC)."""
        self.frames, self.outcomes, self.quarantine = {}, [], []
        return_free_memory()


# A page small enough to process in milliseconds once everything is loaded.
_WARM_UP_PAGE = "城市建设\n\n本报讯（记者 张明）城市建设加快推进，居民生活不断改善。\n"


def warm_up() -> None:
    """Load what processing a page needs (dictionaries, parser, contracts) on a tiny page."""
    batch = Batch()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    add_page(batch, SourceFile("warm-up.txt", "0" * 64, 0), parse_page(_WARM_UP_PAGE), "", now)
    batch.rank_keywords()
    validate(batch.frames())


def start_worker(niceness: int) -> None:
    """Prepare a worker process: lower its priority by `niceness`, then warm it up."""
    os.nice(niceness)
    warm_up()


def process_batch(
    folder: Path, entries: list[FileEntry], run_id: str, changed: frozenset[str] = frozenset()
) -> BatchResult:
    """Decode, parse, segment and validate a batch of files; never raises on bad input.

    The files are turned into rows CHUNK_FILES at a time, each chunk's rows kept as Arrow
    tables (a worker holds one chunk's Python rows, never a whole batch's); the batch's rows
    are then validated at once (Pandera's cost is mostly per call, not per row).
    """
    result = BatchResult({}, [], [])
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rowed: dict[str, FileEntry] = {}  # file id -> entry, of the files that became rows
    parts = [
        _process_chunk(folder, entries[i : i + CHUNK_FILES], run_id, now, result, rowed)
        for i in range(0, len(entries), CHUNK_FILES)
    ]
    names = dict.fromkeys(name for part in parts for name in part)
    tables = {
        name: pa.concat_tables(
            [part[name] for part in parts if name in part], promote_options="permissive"
        )
        for name in names
    }
    del parts
    started = time.perf_counter()
    result.frames = _validated(tables, rowed, run_id, changed, now, result)
    result.seconds["validate"] += time.perf_counter() - started
    return result


def _quarantine_row(
    run_id: str, entry: FileEntry, stage: str, reason: str, now: dt.datetime, **extra: str | None
) -> dict:
    """A quarantine row: a file (or one row of it) rejected at `stage`, and why."""
    return {
        "run_id": run_id,
        "path": entry.path,
        "sha256": entry.sha256,
        "stage": stage,
        "table_name": extra.get("table"),
        "row_key": extra.get("row_key"),
        "check_name": extra.get("check"),
        "column_name": extra.get("column"),
        "value": extra.get("value"),
        "reason": reason,
        "quarantined_at": now,
    }


def _process_chunk(
    folder: Path,
    entries: list[FileEntry],
    run_id: str,
    now: dt.datetime,
    result: BatchResult,
    rowed: dict[str, FileEntry],
) -> dict[str, pa.Table]:
    """Turn a few files into rows (as Arrow tables, not yet validated); a file that cannot be
    read, decoded or parsed goes to `result`'s quarantine, the others into `rowed`."""
    return_free_memory()  # what the previous chunk of this process left
    batch = Batch()
    seconds = result.seconds
    for entry in entries:
        try:
            started = time.perf_counter()
            data = pagefiles.read_page_file(folder, entry.os_path)
            result.size_bytes += len(data)
            if hashlib.sha256(data).hexdigest() != entry.sha256:
                raise DecodeError("the file changed while it was being read; it will be retried")
            text, encoding = decode_bytes(data)
            page = parse_page(text, source=entry.path, encoding=encoding)
            parsed = time.perf_counter()
            seconds["decode_parse"] += parsed - started
            rows = Batch()  # a page that fails half-way leaves no rows behind
            segmenting = add_page(
                rows, SourceFile(entry.path, entry.sha256, entry.size_bytes), page, run_id, now
            )
            batch.extend(rows)
            seconds["segment"] += segmenting
            seconds["tables"] += time.perf_counter() - parsed - segmenting
        except UnreadablePage as exc:
            stage, reason = "read", f"{entry.path}: {exc}"
        except DecodeError as exc:
            stage, reason = "decode", f"{entry.path}: {exc}"
        except Exception as exc:  # a parser bug must not stop the run
            stage = "parse"
            reason = f"{entry.path}: the parser failed ({type(exc).__name__}: {exc})"
        else:
            rowed[keys.file_id(entry.path, entry.sha256)] = entry
            continue
        result.quarantine.append(_quarantine_row(run_id, entry, stage, reason, now))
        result.outcomes.append(_outcome(run_id, entry, None, "quarantined", reason))

    started = time.perf_counter()
    batch.rank_keywords()
    seconds["segment"] += time.perf_counter() - started
    started = time.perf_counter()
    batch.sign_paragraphs()
    batch.find_copies()
    tables = batch.tables()
    del batch
    seconds["tables"] += time.perf_counter() - started
    return tables


def _validated(
    tables: dict[str, pa.Table],
    rowed: dict[str, FileEntry],
    run_id: str,
    changed: frozenset[str],
    now: dt.datetime,
    result: BatchResult,
) -> dict[str, pa.Table]:
    """The rows that pass the contracts; each file's outcome and every rejected row go to
    `result`. Columns no check reads are left out of the frames that are validated."""
    frames = {
        name: t.drop_columns([c for c in BY_NAME[name].unread if c in t.column_names]).to_pandas()
        for name, t in tables.items()
    }
    good, rejections = validate(frames)
    loaded_files = set(good["dim_source_file"]["file_id"]) if "dim_source_file" in good else set()
    by_file: dict[str, list[Rejection]] = {}
    for r in rejections:
        by_file.setdefault(r.file_id or "", []).append(r)
        entry = rowed.get(r.file_id or "")
        if entry is not None:
            result.quarantine.append(
                _quarantine_row(
                    run_id,
                    entry,
                    "validate",
                    f"{r.table}: {r.check}",
                    now,
                    table=r.table,
                    row_key=r.row_key,
                    check=r.check,
                    column=r.column,
                    value=r.value,
                )
            )
    for fid, entry in rowed.items():
        if fid not in loaded_files:
            checks = sorted({r.check for r in by_file.get(fid, [])})
            reason = "failed checks: " + "; ".join(checks)
            result.outcomes.append(_outcome(run_id, entry, fid, "quarantined", reason))
        else:
            note = _rejected_note(by_file[fid]) if fid in by_file else None
            outcome = "changed" if entry.path in changed else "loaded"
            result.outcomes.append(_outcome(run_id, entry, fid, outcome, note))
    out = {}
    for name, df in good.items():
        table = tables[name]
        if len(df) < table.num_rows:  # rows dropped: keep the passing ones, in order
            table = table.take(pa.array(df.index.to_numpy()))
        out[name] = table.drop_columns([c for c in CHECK_ONLY_COLUMNS if c in table.column_names])
    return out


def _rejected_note(rejections: list[Rejection]) -> str:
    """What the checks took out of a loaded file: items and other rows, and which checks."""
    rows = {(r.table, r.row_key) for r in rejections}
    items = sum(table == "fact_article" for table, _ in rows)
    note = f"{items} item{'' if items == 1 else 's'} rejected by checks"
    if len(rows) > items:
        others = len(rows) - items
        note += f", and {others} other row{'' if others == 1 else 's'}"
    return note + ": " + "; ".join(sorted({f"{r.table}: {r.check}" for r in rejections}))


def _outcome(run_id: str, entry: FileEntry, file_id: str | None, outcome: str, reason: str | None):
    return {
        "run_id": run_id,
        "path": entry.path,
        "sha256": entry.sha256,
        "file_id": file_id,
        "outcome": outcome,
        "reason": reason,
    }
