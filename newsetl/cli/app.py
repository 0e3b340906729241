"""The `newsetl` command line."""

from __future__ import annotations

import atexit
import json
import logging
import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from newsetl.cli.bench import bench
from newsetl.cli.ops import serve, watch
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


def main() -> None:
    """The `newsetl` command: the app, and an exit that skips the interpreter's teardown.

    Once every exit handler has run (Prefect's flushes, the local API's shutdown), the
    process writes out stdout and stderr and ends with the command's exit code. Teardown has
    nothing left to do for newsetl, but flushing the standard streams again there has failed
    (TypeError, from a finaliser) and turned a finished run's exit code into 120.
    """
    status = [1]  # an exception the app does not turn into an exit code: 1, as Python's

    def end() -> None:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status[0])

    atexit.register(end)  # the first registered, so the last to run
    try:
        app()
    except SystemExit as exc:
        code = exc.code  # None, a number, or a message Python prints (status 1)
        status[0] = code if isinstance(code, int) else int(code is not None)
        raise
    except KeyboardInterrupt:
        status[0] = 130
        raise


app = typer.Typer(
    help="ETL with data-quality checks for Chinese local-newspaper pages.",
    no_args_is_help=True,
    add_completion=False,
)
# `newsetl query`: the statement would write or reach outside the warehouse (EX_NOPERM).
QUERY_REFUSED = 77


class Runner(StrEnum):
    local = "local"
    dask = "dask"


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def run(
    seeds: SeedsOpt = Path("seeds"),
    db: DbOpt = DEFAULT_DB,
    out: OutOpt = Path("reports"),
    batch_size: Annotated[int, typer.Option(help="Files per Prefect task.")] = 200,
    workers: Annotated[
        int | None, typer.Option(help="Batches processed at once (default: one per core).")
    ] = None,
    runner: Annotated[
        Runner, typer.Option(help="Where batches are processed: local processes or dask.")
    ] = Runner.local,
    address: Annotated[
        str | None, typer.Option(help="Dask scheduler address (tcp://host:8786).")
    ] = None,
    pattern: PatternOpt = DEFAULT_PATTERN,
    allow_removal: AllowRemovalOpt = False,
) -> None:
    """Ingest every new or changed page of the folder, check the warehouse and write the report."""
    from newsetl.orchestration.runtime import start_prefect

    if not seeds.is_dir() and not allow_removal:
        raise fail(
            f"The page folder {seeds} does not exist: nothing was loaded or removed "
            "(--allow-removal removes the pages loaded from it)."
        )
    started = time.monotonic()
    try:
        api = start_prefect(runner.value)
    except ValueError as exc:
        raise fail(str(exc)) from None
    with console.status("Loading Prefect…"):
        from newsetl.orchestration.ingest import prefetch, run_ingest
    prefetch(str(seeds), batch_size, runner.value, pattern)  # while the local API boots
    if api:
        wait_for_local_api(api)
    from newsetl.orchestration.runtime import quiet_expected_tracebacks
    from newsetl.warehouse.lock import WarehouseBusy
    from newsetl.warehouse.store import WarehouseError

    quiet_expected_tracebacks((WarehouseBusy, WarehouseError, OSError))

    try:
        with console.status("Ingesting pages…"):
            summary = run_ingest(
                str(seeds),
                str(db),
                str(out),
                batch_size,
                workers,
                runner=runner.value,
                address=address,
                pattern=pattern,
                allow_removal=allow_removal,
            )
    except WarehouseBusy as exc:
        raise fail(str(exc), code=75) from None
    except Exception as exc:
        raise fail(f"The run did not complete: {type(exc).__name__}: {exc}") from None
    print_summary(summary, time.monotonic() - started)
    if summary["status"] != "completed":
        raise fail(f"Data-quality errors: {summary['checks']['errors']} error-level checks failed.")


def print_summary(summary: dict, wall: float) -> None:
    """The end-of-run summary table."""
    from rich.table import Table

    c = summary["counts"]
    table = Table(title=f"newsetl run {summary['run_id']}: {summary['status']}", show_header=False)
    for label, key in [
        ("files seen", "seen"),
        ("loaded", "loaded"),
        ("changed", "changed"),
        ("unchanged", "unchanged"),
        ("removed", "removed"),
        ("gone but not removed", "removal_held"),
        ("quarantined", "quarantined"),
        ("skipped (not page files)", "skipped"),
        ("items", "items"),
        ("items rejected by checks", "rejected_items"),
        ("rows rejected by checks", "rejected_rows"),
        ("paragraphs", "paragraphs"),
    ]:
        table.add_row(label, str(c.get(key, 0)))
    for kind, n in c.get("anomalies", {}).items():
        table.add_row(f"anomalies: {kind}", str(n))
    checks = summary["checks"]
    table.add_row(
        "checks", f"{checks['checks']} run, {checks['failed']} failed, {checks['errors']} errors"
    )
    table.add_row("report", summary["report"])
    table.add_row("seconds", f"{summary['seconds']:.1f} in the flow, {wall:.1f} wall")
    Console().print(table)
    if summary.get("removal_held"):
        console.print(
            f"[bold yellow]warning:[/] {summary['removal_held']}", highlight=False, soft_wrap=True
        )
    for r in summary.get("rejected", ()):
        line = (
            f"rejected {r['table']} {r['row_key']} of {r['path']}: {r['check']}"
            if r["table"]
            else f"quarantined {r['reason']}"
        )
        console.print(line, highlight=False, soft_wrap=True)


@app.command()
def parse(file: Annotated[Path, typer.Argument(help="A page file.")]) -> None:
    """Print one page's parse as JSON, without touching the warehouse."""
    from newsetl.parsing import parse_file
    from newsetl.source.decode import DecodeError

    try:
        page = parse_file(file)
    except (DecodeError, OSError) as exc:
        raise fail(str(exc)) from None
    sys.stdout.write(json.dumps(page.to_json(), ensure_ascii=False, indent=1) + "\n")


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run on the warehouse (read-only).")],
    db: DbOpt = DEFAULT_DB,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    output_file: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the rows to this file instead of stdout."),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="A value for $name in the SQL, as name=value (numbers are numbers); repeatable.",
        ),
    ] = None,
) -> None:
    """Run ad-hoc SQL on the warehouse, which it only reads: nothing else is read or written.

    Rows are written as they arrive, in every format, so memory does not grow with the result;
    `--output` writes them to a file that appears whole when the query has finished.
    Exit codes: 1 when there is no warehouse or the SQL fails, 77 when the statement is
    refused (it would write, or reach a file, database or extension outside the warehouse).
    """
    import duckdb

    from newsetl.cli import output
    from newsetl.warehouse import store

    write = output.WRITERS[format.value]
    try:
        values = output.parameters(param or [])
    except ValueError as exc:
        raise fail(str(exc)) from None
    try:
        with store.reader(db) as con, output.destination(output_file) as out:
            rows = write(con.execute(sql, values or None), out)
    except OSError as exc:
        raise fail(f"Cannot write {output_file}: {exc.strerror or exc}") from None
    except store.WarehouseError as exc:
        raise fail(str(exc)) from None
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        if _refused(exc, message):
            raise fail(
                f"newsetl query only reads the warehouse: {message}", QUERY_REFUSED
            ) from None
        raise fail(message) from None
    except BrokenPipeError:  # the reader of the output stopped early (`| head`): done
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    if format is Format.table or output_file:
        console.print(f"{rows} rows" + (f" written to {output_file}" if output_file else ""))


def _refused(exc: Exception, message: str) -> bool:
    """Whether DuckDB refused a statement because the query connection only reads."""
    import duckdb

    return isinstance(exc, duckdb.PermissionException) or any(
        m in message for m in ("in read-only mode", "the configuration has been locked")
    )


# The warehouse's own tables and views (not DuckDB's catalog, not another attached database).
_OWN = "NOT internal AND database_name = current_database() AND schema_name = 'main'"


@app.command()
def describe(
    table: Annotated[
        str | None, typer.Argument(help="A table or view: its columns (default: every one).")
    ] = None,
    db: DbOpt = DEFAULT_DB,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Show the warehouse's tables and views, or one's columns, with their types and meaning.

    The meanings are the comments stored in the warehouse, which any DuckDB client reads from
    duckdb_tables(), duckdb_views() and duckdb_columns().
    """
    import duckdb

    from newsetl.cli import output
    from newsetl.warehouse import store

    write = output.WRITERS[format.value]
    try:
        with store.reader(db) as con:
            kinds = dict(
                con.execute(
                    f"SELECT table_name, 'table' FROM duckdb_tables() WHERE {_OWN}"
                    f" UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE {_OWN}"
                    " ORDER BY 1"
                ).fetchall()
            )
            if table is None:
                write(con.execute(_overview_sql(kinds)), sys.stdout)
            elif table in kinds:
                write(
                    con.execute(
                        "SELECT column_name AS column, data_type AS type,"
                        " is_nullable AS nullable, comment FROM duckdb_columns()"
                        f" WHERE {_OWN} AND table_name = ? ORDER BY column_index",
                        [table],
                    ),
                    sys.stdout,
                )
            else:
                raise fail(f"No table or view {table!r} in {db}; there are: {', '.join(kinds)}.")
    except store.WarehouseError as exc:
        raise fail(str(exc)) from None
    except duckdb.Error as exc:
        raise fail(str(exc).splitlines()[0]) from None


def _overview_sql(kinds: dict[str, str]) -> str:
    """SQL listing each table and view: its kind, row count (tables) and comment."""
    counts = " UNION ALL ".join(
        f"SELECT '{name}' AS name, count(*) AS n FROM \"{name}\""
        for name, kind in kinds.items()
        if kind == "table"
    )
    return (
        "WITH objects AS ("
        f"SELECT table_name AS name, 'table' AS kind, comment FROM duckdb_tables() WHERE {_OWN}"
        f" UNION ALL SELECT view_name, 'view', comment FROM duckdb_views() WHERE {_OWN})"
        " SELECT o.name, o.kind, c.n AS rows, o.comment FROM objects o"
        f" LEFT JOIN ({counts or 'SELECT NULL AS name, NULL AS n'}) c USING (name)"
        " ORDER BY o.kind, o.name"
    )


@app.command()
def report(db: DbOpt = DEFAULT_DB, out: OutOpt = Path("reports")) -> None:
    """Write the HTML data-quality report from the warehouse."""
    from newsetl.report import build
    from newsetl.warehouse import store

    try:
        path = build.write_report(db, out)
    except store.WarehouseError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(exc.strerror or str(exc)) from None
    console.print(f"Report written to {path}")


@app.command()
def textrank(db: DbOpt = DEFAULT_DB, out: OutOpt = Path("reports")) -> None:
    """Rank the loaded articles that have no TextRank keywords yet, then check and report.

    The ingest ranks keywords by TF-IDF; this is the nightly `textrank` deployment, run now.
    """
    from newsetl.orchestration.runtime import quiet_expected_tracebacks, start_prefect

    api = start_prefect()
    with console.status("Loading Prefect…"):
        from newsetl.orchestration.maintenance import rank_textrank
        from newsetl.warehouse.lock import WarehouseBusy
        from newsetl.warehouse.store import WarehouseError
    if api:
        wait_for_local_api(api)
    quiet_expected_tracebacks((WarehouseBusy, WarehouseError, OSError))
    with console.status("Ranking articles by TextRank…"):
        state = rank_textrank(db=str(db), reports=str(out), return_state=True)
    result = state.result(raise_on_failure=False)
    if isinstance(result, WarehouseBusy):
        raise fail(str(result), code=75)
    if isinstance(result, BaseException):
        raise fail(f"TextRank did not complete: {type(result).__name__}: {result}")
    if state.is_failed():
        raise fail(state.message or "TextRank did not complete.")
    console.print(f"{result['articles']} articles ranked, {result['keywords']} keywords added.")
    if "report" in result:
        console.print(f"Report written to {result['report']}")


# Commands kept in their own modules are registered below.
app.command()(serve)
app.command()(watch)
app.command()(bench)
