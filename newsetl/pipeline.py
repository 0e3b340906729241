"""The ingest steps as plain functions: scan, process a batch of files, load it, record the run."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import duckdb
import pyarrow as pa

from newsetl import __version__
from newsetl.checks.suites import CheckSummary
from newsetl.enrich.rows import Batch, SourceFile, add_page
from newsetl.orchestration.runtime import return_free_memory
from newsetl.parsing import parse_page
from newsetl.source import files as pagefiles
from newsetl.source.decode import DecodeError, decode_bytes
from newsetl.source.files import Skipped, UnreadablePage
from newsetl.tables import keys
from newsetl.tables.validate import Rejection, validate
from newsetl.warehouse import store as warehouse

# Files turned into rows at a time: a worker holds about 0.1 GB of rows for 50 files.
CHUNK_FILES = 50
# Stages whose seconds a run measures, in pipeline order.
STAGES = ("scan", "decode_parse", "segment", "tables", "validate", "load", "checks", "report")
LIBRARIES = ("prefect", "duckdb", "pandera", "great_expectations", "jieba", "rjieba", "pandas")


@dataclass(frozen=True)
class FileEntry:
    """A page file found in the folder."""

    path: str  # relative to the folder, with forward slashes, printable (pagefiles.PageFile)
    sha256: str | None  # None: the file could not be read at the scan
    size_bytes: int
    os_path: str  # relative to the folder, as the file system spells it


@dataclass
class ScanPlan:
    """What a run has to do with each file of the folder."""

    new: list[FileEntry] = field(default_factory=list)
    changed: list[FileEntry] = field(default_factory=list)
    unchanged: list[FileEntry] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rejected: list[FileEntry] = field(default_factory=list)  # quarantined before, same content
    skipped: list[Skipped] = field(default_factory=list)  # entries that are not page files
    folders: list[str] = field(default_factory=list)  # the folder's names (warehouse.folder_names)
    held: list[str] = field(default_factory=list)  # gone from the folder, but not removed
    hold_reason: str | None = None  # why they were not removed

    @property
    def to_load(self) -> list[FileEntry]:
        return self.new + self.changed

    @property
    def seen(self) -> int:
        return len(self.new) + len(self.changed) + len(self.unchanged) + len(self.rejected)


@dataclass
class BatchResult:
    """Parsed and validated rows of a batch of files, what was rejected, and the time it took."""

    frames: dict[str, pa.Table]  # validated rows by warehouse table
    outcomes: list[dict]
    quarantine: list[dict]
    seconds: Counter[str] = field(default_factory=Counter)  # by stage (STAGES)
    size_bytes: int = 0

    def counts(self) -> Counter[str]:
        """Files by outcome, loaded items, paragraphs, anomalies by type, and rejected rows."""
        c: Counter[str] = Counter(o["outcome"] for o in self.outcomes)
        c["items"] = len(self.frames.get("fact_article", ()))
        rejected = {
            (q["path"], q["table_name"], q["row_key"])
            for q in self.quarantine
            if q["stage"] == "validate"
        }
        c["rejected_rows"] = len(rejected)
        c["rejected_items"] = sum(table == "fact_article" for _, table, _ in rejected)
        c["paragraphs"] = len(self.frames.get("fact_paragraph", ()))
        anomalies = self.frames.get("dq_anomaly")
        if anomalies is not None:
            c.update(f"anomaly:{t}" for t in anomalies.column("type").to_pylist())
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


def scan(
    folder: Path,
    con: duckdb.DuckDBPyConnection,
    pattern: str = pagefiles.DEFAULT_PATTERN,
    allow_removal: bool = False,
) -> ScanPlan:
    """Compare the folder's page files with the warehouse's current files of that folder.

    Files gone from the folder are to be marked removed, unless the folder is missing or
    empty, or more than half of its current pages are gone: then nothing is removed and the
    plan says why (`hold_reason`), unless `allow_removal`.
    """
    folders = warehouse.folder_names(con, folder)
    loaded = warehouse.current_files(con, folders)
    if folder.is_dir():
        listing = pagefiles.list_pages(folder, pattern)
    elif allow_removal:
        listing = pagefiles.Listing()
    else:
        raise FileNotFoundError(
            f"The page folder {folder} does not exist: nothing was loaded or removed."
        )
    rejected = warehouse.quarantined_files(con, folders)
    plan = ScanPlan(skipped=listing.skipped, folders=folders)
    for page in listing.pages:
        rel = page.path
        try:
            data = pagefiles.read_page_file(folder, page.os_path)
            entry = FileEntry(rel, hashlib.sha256(data).hexdigest(), len(data), page.os_path)
        except UnreadablePage:  # quarantined with its reason when processed
            entry = FileEntry(rel, None, 0, page.os_path)
        state = loaded.get(rel)
        if state is None and rel in rejected and rejected[rel] == entry.sha256:
            plan.rejected.append(entry)
        elif state is None:
            plan.new.append(entry)
        elif state.sha256 != entry.sha256:
            plan.changed.append(entry)
        else:
            plan.unchanged.append(entry)
    plan.removed = sorted(set(loaded) - {p.path for p in listing.pages})
    reason = (
        None
        if allow_removal
        else removal_hold(folder, len(plan.removed), len(loaded), bool(listing.pages))
    )
    if reason:
        plan.held, plan.removed, plan.hold_reason = plan.removed, [], reason
    return plan


def removal_hold(folder: Path, gone: int, current: int, has_pages: bool) -> str | None:
    """Why files gone from the folder are not marked removed (None: they are)."""
    if not gone:
        return None
    advice = "run with --allow-removal (flow parameter allow_removal) to remove them"
    if not has_pages:
        return (
            f"The folder {folder} has no page files, but {current} pages loaded from it are "
            f"current: nothing was removed (is a share not mounted?); {advice}."
        )
    if gone * 2 > current:
        return (
            f"{gone} of the {current} current pages of {folder} are gone from it, more than "
            f"half: nothing was removed (is it the wrong folder?); {advice}."
        )
    return None


def process_batch(
    folder: Path, entries: list[FileEntry], run_id: str, changed: frozenset[str] = frozenset()
) -> BatchResult:
    """Decode, parse, segment and validate a batch of files; never raises on bad input.

    The files are turned into rows CHUNK_FILES at a time, and each chunk's validated rows are
    kept as Arrow tables: a worker holds one chunk's Python rows, never a whole batch's.
    """
    result = BatchResult({}, [], [])
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    parts = [
        _process_chunk(folder, entries[i : i + CHUNK_FILES], run_id, changed, now, result)
        for i in range(0, len(entries), CHUNK_FILES)
    ]
    names = dict.fromkeys(name for part in parts for name in part)
    result.frames = {
        name: pa.concat_tables(
            [part[name] for part in parts if name in part], promote_options="permissive"
        )
        for name in names
    }
    return result


def _process_chunk(
    folder: Path,
    entries: list[FileEntry],
    run_id: str,
    changed: frozenset[str],
    now: dt.datetime,
    result: BatchResult,
) -> dict[str, pa.Table]:
    """Process a few files into `result` (outcomes, quarantine, seconds); return their rows."""
    return_free_memory()  # what the previous chunk of this process left
    batch = Batch()
    seconds = result.seconds
    outcomes, quarantine = result.outcomes, result.quarantine

    def reject(entry: FileEntry, stage: str, reason: str, **extra: str | None) -> None:
        quarantine.append(
            {
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
        )

    ids: dict[str, FileEntry] = {}
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
            ids[keys.file_id(entry.path, entry.sha256)] = entry
            continue
        reject(entry, stage, reason)
        outcomes.append(_outcome(run_id, entry, None, "quarantined", reason))

    started = time.perf_counter()
    batch.rank_keywords()
    seconds["segment"] += time.perf_counter() - started
    started = time.perf_counter()
    batch.sign_paragraphs()
    frames = batch.frames()
    del batch
    seconds["tables"] += time.perf_counter() - started
    started = time.perf_counter()
    frames, rejections = validate(frames)
    loaded_files = (
        set(frames["dim_source_file"]["file_id"]) if "dim_source_file" in frames else set()
    )
    by_file: dict[str, list[Rejection]] = {}
    for r in rejections:
        by_file.setdefault(r.file_id or "", []).append(r)
        entry = ids.get(r.file_id or "")
        if entry is not None:
            reject(
                entry,
                "validate",
                f"{r.table}: {r.check}",
                table=r.table,
                row_key=r.row_key,
                check=r.check,
                column=r.column,
                value=r.value,
            )
    for fid, entry in ids.items():
        if fid not in loaded_files:
            checks = sorted({r.check for r in by_file.get(fid, [])})
            outcomes.append(
                _outcome(run_id, entry, fid, "quarantined", "failed checks: " + "; ".join(checks))
            )
        else:
            note = _rejected_note(by_file[fid]) if fid in by_file else None
            outcome = "changed" if entry.path in changed else "loaded"
            outcomes.append(_outcome(run_id, entry, fid, outcome, note))
    tables = {name: pa.Table.from_pandas(df, preserve_index=False) for name, df in frames.items()}
    seconds["validate"] += time.perf_counter() - started
    return tables


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


def load_batch(con: duckdb.DuckDBPyConnection, result: BatchResult, folders: list[str]) -> None:
    """Load a processed batch of one folder (`ScanPlan.folders`) and its lineage rows."""
    tables = dict(result.frames)
    if result.outcomes:
        tables["etl_file_outcome"] = pa.Table.from_pylist(result.outcomes)
    if result.quarantine:
        tables["quarantine"] = pa.Table.from_pylist(result.quarantine)
    quarantined = [o["path"] for o in result.outcomes if o["outcome"] == "quarantined"]
    warehouse.load_files(con, tables, folders, replaced_paths=quarantined)


def record_removed(con: duckdb.DuckDBPyConnection, run_id: str, plan: ScanPlan) -> None:
    """Record the files that left the folder (unchanged files are only counted in etl_run)."""
    rows = [
        {
            "run_id": run_id,
            "path": p,
            "sha256": None,
            "file_id": None,
            "outcome": "removed",
            "reason": "the file is no longer in the folder",
        }
        for p in plan.removed
    ]
    warehouse.insert_rows(con, "etl_file_outcome", rows)


def unrecorded_path(db_path: str | Path) -> Path:
    """Where a run leaves the end it could not record in the warehouse, for the next run."""
    return Path(f"{db_path}.unrecorded")


def record_failure(
    db_path: str | Path, run_id: str, counts: Counter[str], seconds: float, message: str
) -> bool:
    """Record a run as failed; when the warehouse cannot take it (full disk, a client
    holding the file), leave it in `unrecorded_path` for the next run. Whether it was
    recorded."""
    try:
        with warehouse.connection(db_path) as con:
            finish_run(con, run_id, "failed", counts, seconds, message)
        return True
    except (duckdb.Error, warehouse.WarehouseError, OSError):
        end = {"run_id": run_id, "counts": dict(counts), "seconds": seconds, "message": message}
        try:
            with unrecorded_path(db_path).open("a", encoding="utf-8") as f:
                f.write(json.dumps(end, ensure_ascii=False) + "\n")
        except OSError:
            pass  # the next run still marks the run interrupted
        return False


def settle_dead_runs(con: duckdb.DuckDBPyConnection, db_path: str | Path, run_id: str) -> int:
    """Record the ends of earlier runs that could not: called under the writer lock.

    A failure left in `unrecorded_path` is recorded as it happened; a run still `running`
    whose writer lock is free (it was killed, or its machine went down) is `interrupted`.
    Returns how many runs were settled.
    """
    pending = unrecorded_path(db_path)
    settled = 0
    if pending.exists():
        for line in pending.read_text(encoding="utf-8").splitlines():
            end = json.loads(line)
            finish_run(
                con,
                end["run_id"],
                "failed",
                Counter(end["counts"]),
                end["seconds"],
                f"{end['message']} (recorded by run {run_id})",
            )
            settled += 1
        pending.unlink()
    settled += con.execute(
        "UPDATE etl_run SET status = 'interrupted', finished_at = now()::TIMESTAMP,"
        " message = 'the run ended without recording its end (killed, or its machine went"
        " down); run ' || ? || ' found it' WHERE status = 'running' AND run_id <> ?",
        [run_id, run_id],
    ).fetchone()[0]
    return settled


def standing_checks(con: duckdb.DuckDBPyConnection, run_id: str) -> CheckSummary | None:
    """The last data-quality check, if no run other than `run_id` changed data since it."""
    last = con.execute(
        "SELECT dq_run_id, strftime(checked_at, '%Y%m%dT%H%M%S') FROM dq_run"
        " ORDER BY checked_at DESC LIMIT 1"
    ).fetchone()
    if last is None:
        return None
    later_change = con.execute(
        "SELECT count(*) FROM etl_run WHERE run_id <> ? AND left(run_id, 15) > ? AND ("
        "status IN ('running', 'interrupted') OR coalesce(files_loaded, 0)"
        " + coalesce(files_changed, 0)"
        " + coalesce(files_removed, 0) + coalesce(files_quarantined, 0) > 0)",
        [run_id, last[1]],
    ).fetchone()[0]
    if later_change:
        return None
    cur = con.execute(
        "SELECT suite, expectation, column_name AS column, severity, success, element_count,"
        " unexpected_count, unexpected_examples AS examples, description"
        " FROM dq_result WHERE dq_run_id = ?",
        [last[0]],
    )
    names = [d[0] for d in cur.description]
    return CheckSummary(last[0], [dict(zip(names, row, strict=True)) for row in cur.fetchall()])


def new_run_id() -> str:
    """A sortable, unique run id."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


def library_versions() -> dict[str, str]:
    """Versions of the libraries the run used."""
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, folder: Path) -> None:
    """Record a run as started, with its folder as an absolute path."""
    con.execute(
        "INSERT INTO etl_run (run_id, started_at, status, seeds_dir, code_version,"
        " library_versions) VALUES (?, now()::TIMESTAMP, 'running', ?, ?, ?)",
        [
            run_id,
            str(folder.resolve()),
            os.environ.get("NEWSETL_CODE_VERSION", __version__),
            json.dumps(library_versions()),
        ],
    )


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    counts: Counter[str],
    seconds: float,
    message: str | None = None,
) -> None:
    """Record a run's end, status and counts."""
    con.execute(
        "UPDATE etl_run SET finished_at = now()::TIMESTAMP, status = ?, files_seen = ?,"
        " files_loaded = ?, files_changed = ?, files_unchanged = ?, files_removed = ?,"
        " files_quarantined = ?, items = ?, paragraphs = ?, anomalies = ?, seconds = ?,"
        " message = ? WHERE run_id = ?",
        [
            status,
            counts["seen"],
            counts["loaded"],
            counts["changed"],
            counts["unchanged"],
            counts["removed"],
            counts["quarantined"],
            counts["items"],
            counts["paragraphs"],
            sum(v for k, v in counts.items() if k.startswith("anomaly:")),
            seconds,
            message,
            run_id,
        ],
    )
