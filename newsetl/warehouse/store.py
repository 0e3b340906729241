"""DuckDB warehouse: connections, migrations, file state and atomic loads.

The warehouse has two files: the one at its path, which users and readers open, and the
writer's own file beside it, `.<name>.writer` (`writer_file`), which runs write and
`newsetl.warehouse.publish` copies into place.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from newsetl.source.inventory import Known
from newsetl.tables.registry import DIMENSION_KEYS, FILE_TABLES, LINEAGE_TABLES, LOAD_ORDER

DDL_DIR = Path(__file__).parent / "migrations"


# Files written with this setting open in every DuckDB client from 1.4 (the long-term
# support line) on, the duckdb CLI served by the package registry included; DuckDB 2.0's
# own storage format does not. 1.3's string compression (FSST dictionaries, zstd for long
# texts) halves the warehouse against 1.0's format.
STORAGE_COMPATIBILITY = "v1.4.0"
# DuckDB's memory in a newsetl process (it spills to `<warehouse>.tmp` beyond it); DuckDB's
# own default is 80 % of the machine's memory, which its block cache fills as the
# warehouse grows.
MEMORY_ENV = "NEWSETL_DUCKDB_MEMORY"
DEFAULT_MEMORY = "512MB"

# Tables whose content depends only on the folder's content, not on how often it ran.
DATA_TABLES = (
    *(t for t in LOAD_ORDER if t not in LINEAGE_TABLES),
    "dq_duplicate_group",
    "dq_duplicate_member",
    "dq_near_duplicate",
)


log = logging.getLogger(__name__)


class WarehouseError(RuntimeError):
    """The warehouse cannot be opened or written."""


def connect(db_path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse, readable by DuckDB 1.4 clients too."""
    path = Path(db_path)
    memory = {"memory_limit": os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY}
    if read_only:
        if not path.exists() and writer_file(path).exists():
            raise WarehouseError(
                f"No warehouse at {path} yet: the first run has not finished loading it."
            )
        if not path.exists():
            raise WarehouseError(f"No warehouse at {path}: run `newsetl run` first.")
        return duckdb.connect(str(path), read_only=True, config=memory)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(
            str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY, **memory}
        )
    except duckdb.IOException as exc:
        raise WarehouseError(f"Cannot open the warehouse {path}: {exc}") from exc


def writer_file(db_path: str | Path) -> Path:
    """The writer's own file of a warehouse: `warehouse/.news.duckdb.writer`."""
    path = Path(db_path)
    return path.with_name(f".{path.name}.writer")


def public_file(db_path: str | Path) -> Path:
    """The warehouse's own path, given it or its writer's file."""
    path = Path(db_path)
    if path.name.startswith(".") and path.name.endswith(".writer"):
        return path.with_name(path.name[1 : -len(".writer")])
    return path


@contextmanager
def connection(db_path: str | Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection closed on exit."""
    con = connect(db_path, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


# Every checkpoint rewrites the tables' last, partly filled row groups (about 3 s for
# fact_paragraph with its token lists), and closing a connection checkpoints: a run's loads
# share one connection and checkpoint every CHECKPOINT_EVERY of write-ahead log instead.
CHECKPOINT_EVERY = "256MB"


@contextmanager
def loading(db_path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one connection a run's loads share (closed, so checkpointed, on exit)."""
    with connection(db_path) as con:
        con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_EVERY}'")
        yield con


@contextmanager
def reader(db_path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection that reaches the warehouse and nothing else, closed on exit.

    External access is off (no ATTACH of another file, no COPY TO, no file-reading table
    function, no extension install) and the configuration is locked, so SQL cannot turn it
    back on.
    """
    with connection(db_path, read_only=True) as con:
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        yield con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction: committed on exit, rolled back on any error."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every DDL file, in order."""
    out = []
    for sql_file in sorted(DDL_DIR.glob("*.sql")):
        match = re.match(r"(\d+)_(.+)\.sql$", sql_file.name)
        if match:
            out.append((int(match[1]), match[2], sql_file.read_text(encoding="utf-8")))
    return out


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the DDL files not yet recorded in `schema_version`; return the schema version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    applied = {row[0] for row in con.execute("SELECT version FROM schema_version").fetchall()}
    for version, name, sql in migrations():
        if version in applied:
            continue
        with transaction(con):
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?, current_timestamp)", [version, name]
            )
    return con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]


# Runs over one folder: `?` is the list of the folder's names in etl_run.seeds_dir.
_FOLDER_RUNS = "SELECT run_id FROM etl_run WHERE seeds_dir IN (SELECT unnest(?::VARCHAR[]))"


def folder_names(con: duckdb.DuckDBPyConnection, folder: str | Path) -> list[str]:
    """The names under which runs recorded this folder in `etl_run.seeds_dir`.

    A run records its folder as an absolute path; runs of older versions recorded it as
    given, which a relative name is resolved against the working directory to compare.
    """
    target = Path(folder).resolve()
    recorded = [r[0] for r in con.execute("SELECT DISTINCT seeds_dir FROM etl_run").fetchall()]
    return sorted({str(target), *(d for d in recorded if Path(d).resolve() == target)})


def known_files(con: duckdb.DuckDBPyConnection, folder: str | Path) -> Known:
    """What the warehouse holds of a folder: its names, current and quarantined files."""
    folders = folder_names(con, folder)
    current = con.execute(
        "SELECT path, sha256 FROM dim_source_file WHERE status = 'current'"
        f" AND loaded_run IN ({_FOLDER_RUNS})",
        [folders],
    ).fetchall()
    return Known(folders, dict(current), _quarantined_files(con, folders))


def _quarantined_files(con: duckdb.DuckDBPyConnection, folders: list[str]) -> dict[str, str]:
    """sha256 by path of the files of one folder whose latest outcome is a quarantine."""
    rows = con.execute(
        "SELECT path, sha256 FROM etl_file_outcome WHERE outcome <> 'unchanged'"
        f" AND run_id IN ({_FOLDER_RUNS})"
        " QUALIFY row_number() OVER (PARTITION BY path ORDER BY run_id DESC) = 1"
        " AND outcome = 'quarantined'",
        [folders],
    ).fetchall()
    return dict(rows)


def load_files(
    con: duckdb.DuckDBPyConnection,
    tables: dict[str, pa.Table],
    folders: list[str],
    replaced_paths: Iterable[str] = (),
) -> None:
    """Load a batch of file versions of one folder (`folder_names`) in one transaction.

    Earlier current versions of the batch's paths (and of `replaced_paths`) in that folder
    are marked superseded and their fact rows deleted; shared dimension rows already present
    are kept. Either everything lands or nothing does.
    """
    files = tables.get("dim_source_file")
    loaded_paths = set() if files is None else set(files.column("path").to_pylist())
    file_ids = [] if files is None else files.column("file_id").to_pylist()
    paths = sorted(loaded_paths | set(replaced_paths))
    with transaction(con):
        if paths:
            _retire(con, paths, folders, "superseded")
        if file_ids:
            _delete_versions(con, file_ids)
        for name in LOAD_ORDER:
            table = tables.get(name)
            if table is None or table.num_rows == 0:
                continue
            con.register("_batch", table)
            columns = ", ".join(table.column_names)
            key = DIMENSION_KEYS.get(name)
            if key:
                con.execute(
                    f"INSERT INTO {name} ({columns}) SELECT DISTINCT {columns} FROM _batch "
                    f"WHERE {key} NOT IN (SELECT {key} FROM {name})"
                )
            else:
                con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM _batch")
            con.unregister("_batch")


def dict_rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """The rows of a query as dicts keyed by column name."""
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Append dict rows to a table by column name (nothing for no rows)."""
    if rows:
        con.register("_rows", pa.Table.from_pylist(rows))
        columns = ", ".join(rows[0])
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _rows")
        con.unregister("_rows")


def mark_removed(con: duckdb.DuckDBPyConnection, paths: Iterable[str], folders: list[str]) -> None:
    """Flag files that disappeared from their folder; their rows leave the current views."""
    paths = sorted(paths)
    if not paths:
        return
    with transaction(con):
        _retire(con, paths, folders, "removed", delete_facts=False)


def _delete_versions(con: duckdb.DuckDBPyConnection, file_ids: list[str]) -> None:
    """Delete earlier loads of exactly these file versions (a file that came back)."""
    present = _file_ids(con, "file_id IN (SELECT unnest(?::VARCHAR[]))", file_ids)
    if present:
        _delete_facts(con, present)
        con.execute(
            "DELETE FROM dim_source_file WHERE file_id IN (SELECT unnest(?::VARCHAR[]))",
            [present],
        )


def _file_ids(con: duckdb.DuckDBPyConnection, where: str, values: list[str]) -> list[str]:
    """Loaded file versions matching a condition on dim_source_file."""
    rows = con.execute(f"SELECT file_id FROM dim_source_file WHERE {where}", [values]).fetchall()
    return [r[0] for r in rows]


def _delete_facts(con: duckdb.DuckDBPyConnection, file_ids: list[str]) -> None:
    """Delete the fact rows of these file versions.

    Only called with versions that were loaded: the fact tables carry no index, so each
    delete scans them, and a batch of new files skips it.
    """
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _ids AS SELECT unnest(?::VARCHAR[]) AS file_id", [file_ids]
    )
    for name in FILE_TABLES:
        if name.startswith(("bridge_", "fact_article_")):
            con.execute(
                f"DELETE FROM {name} WHERE article_id IN "
                "(SELECT article_id FROM fact_article WHERE file_id IN (SELECT file_id FROM _ids))"
            )
        else:
            con.execute(f"DELETE FROM {name} WHERE file_id IN (SELECT file_id FROM _ids)")
    con.execute("DROP TABLE _ids")


def _retire(
    con: duckdb.DuckDBPyConnection,
    paths: list[str],
    folders: list[str],
    status: str,
    delete_facts: bool = True,
) -> None:
    """Give the current versions of these paths of one folder a new status (deleting facts)."""
    rows = con.execute(
        "SELECT file_id FROM dim_source_file WHERE status = 'current'"
        f" AND path IN (SELECT unnest(?::VARCHAR[])) AND loaded_run IN ({_FOLDER_RUNS})",
        [paths, folders],
    ).fetchall()
    retired = [r[0] for r in rows]
    if not retired:
        return
    if delete_facts:
        _delete_facts(con, retired)
    con.execute(
        "UPDATE dim_source_file SET status = ? WHERE file_id IN (SELECT unnest(?::VARCHAR[]))",
        [status, retired],
    )
