"""The "checks stand" rule: the last check's results hold while no run has changed data."""

from __future__ import annotations

import duckdb

from newsetl.checks.suites import CheckSummary


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
