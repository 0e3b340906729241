"""Great Expectations suites run on DataFrames read back from the warehouse.

The suites live in `newsetl/tables/suites/*.json`, one per table: the query that reads the table
(joined where a check needs a foreign key resolved) and the expectations with a severity.
GX validates pandas DataFrames: its SQL path does not work on DuckDB. Error-level failures fail
the run unless `NEWSETL_FAIL_ON_DQ_ERROR=0` (or `fail_on_error=False`); warnings never do.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsetl.tables import patterns
from newsetl.warehouse import store

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pandas as pd

# error-level failures mark the run failed unless this is set to "0".
FAIL_ON_ERROR_ENV = "NEWSETL_FAIL_ON_DQ_ERROR"
CHECK_ROWS = 250_000  # rows validated at once
UNIQUENESS = ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique")


@dataclass
class CheckSummary:
    """Outcome of one run of every suite."""

    dq_run_id: str
    results: list[dict[str, Any]] = field(default_factory=list)
    fail_on_error: bool = field(default_factory=lambda: os.environ.get(FAIL_ON_ERROR_ENV) != "0")

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.results if not r["success"]]

    @property
    def error_failures(self) -> list[dict[str, Any]]:
        return [r for r in self.failed if r["severity"] == "error"]

    @property
    def errors(self) -> list[dict[str, Any]]:
        """Error-level failures that fail the run (none when failing is switched off)."""
        return self.error_failures if self.fail_on_error else []

    @property
    def message(self) -> str:
        return f"{len(self.results)} checks, {len(self.failed)} failed, {len(self.errors)} errors"

    def as_dict(self) -> dict[str, Any]:
        return {
            "dq_run_id": self.dq_run_id,
            "checks": len(self.results),
            "failed": len(self.failed),
            "errors": len(self.errors),
        }


def load_suites() -> list[dict[str, Any]]:
    """The suite definitions of `newsetl/tables/suites`, with the formats and value sets they
    name (`"$ARTICLE_ID"`) taken from `newsetl.tables.patterns`."""
    folder = resources.files("newsetl").joinpath("tables/suites")
    suites = [
        json.loads(f.read_text(encoding="utf-8"))
        for f in sorted(folder.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".json")
    ]
    for suite in suites:
        for expectation in suite["expectations"]:
            kwargs = expectation["kwargs"]
            for key, value in kwargs.items():
                if isinstance(value, str) and value.startswith("$"):
                    named = getattr(patterns, value[1:])
                    kwargs[key] = list(named) if isinstance(named, tuple) else named
    return suites


def _columns(expectations: list[dict[str, Any]]) -> list[str]:
    """The columns the expectations read, in order of first use."""
    columns: list[str] = []
    for e in expectations:
        kwargs = e["kwargs"]
        for column in [kwargs.get("column"), *kwargs.get("column_list", [])]:
            if column and column not in columns:
                columns.append(column)
    return columns


def _quoted(columns: list[str]) -> str:
    return ", ".join('"' + c.replace('"', '""') + '"' for c in columns)


def _checked_query(spec: dict[str, Any], expectations: list[dict], keys: list[str]) -> str:
    """The suite's query cut down to the columns the expectations read, ordered by `keys`.

    DuckDB then never reads the others (page text, bodies), so a check's memory follows the
    number of rows, not the size of the corpus.
    """
    order = f" ORDER BY {_quoted(keys)}" if keys else ""
    return f"SELECT {_quoted(_columns(expectations))} FROM ({spec['query']}) AS checked{order}"


@dataclass
class _Pass:
    """Expectations validated together over one read of a suite's query."""

    name: str  # the GX suite's name
    expectations: list[tuple[int, dict[str, Any]]]  # (index in the suite, definition)
    keys: list[str]  # a uniqueness check's columns: rows sharing them are never split


def _passes(spec: dict[str, Any], n_rows: int, chunk_rows: int) -> list[_Pass]:
    """One pass for a table that fits in one chunk; otherwise one for the row-by-row checks
    and one per uniqueness check, whose rows are read in key order."""
    indexed = list(enumerate(spec["expectations"]))
    if n_rows <= chunk_rows:
        return [_Pass(spec["table"], indexed, [])]
    passes = [_Pass(spec["table"], [(i, e) for i, e in indexed if e["type"] not in UNIQUENESS], [])]
    for i, e in indexed:
        if e["type"] in UNIQUENESS:
            keys = _columns([e])
            passes.append(_Pass(f"{spec['table']}.{'.'.join(keys)}", [(i, e)], keys))
    return [p for p in passes if p.expectations]


def _chunks(result, rows: int, keys: list[str]) -> Iterator[pd.DataFrame]:
    """A query result `rows` at a time, never splitting rows that share `keys`.

    Yields one empty frame for an empty result.
    """
    import pandas as pd

    vectors = max(1, rows // 2048)  # DuckDB hands out frames of 2,048-row vectors
    buffer = result.fetch_df_chunk(vectors)
    yielded = False
    while True:
        fetched = result.fetch_df_chunk(vectors)
        done = fetched.empty
        if not done:
            buffer = pd.concat([buffer, fetched], ignore_index=True)
        while len(buffer) > rows or (done and (len(buffer) or not yielded)):
            cut = _cut(buffer, rows, keys) if len(buffer) > rows else len(buffer)
            if cut is None:
                if not done:
                    break  # one key runs past the buffer: read on
                cut = len(buffer)
            yield buffer.iloc[:cut]
            yielded = True
            buffer = buffer.iloc[cut:].reset_index(drop=True)
        if done:
            return


def _cut(frame: pd.DataFrame, rows: int, keys: list[str]) -> int | None:
    """The largest row count up to `rows` (else the smallest above it) at which the key changes."""
    if not keys:
        return rows
    import numpy as np

    values = frame[keys].to_numpy()
    cuts = np.flatnonzero((values[1:] != values[:-1]).any(axis=1)) + 1
    if not len(cuts):
        return None
    below = cuts[cuts <= rows]
    return int(below[-1] if len(below) else cuts[0])


class _Totals:
    """One expectation's results summed over the chunks it was validated on."""

    def __init__(self, suite: str, definition: dict[str, Any]) -> None:
        self.suite = suite
        self.definition = definition
        self.successes: list[bool] = []
        self.elements = self.missing = self.unexpected = 0
        self.examples: list[str] = []

    def add(self, result) -> None:
        stats = result.result or {}
        self.successes.append(bool(result.success))
        self.elements += stats.get("element_count", 0)
        self.missing += stats.get("missing_count", 0)
        self.unexpected += stats.get("unexpected_count", 0)
        room = 5 - len(self.examples)
        self.examples += [str(v) for v in stats.get("partial_unexpected_list", [])[:room]]

    @property
    def success(self) -> bool:
        """Every chunk passed; with `mostly`, the share of expected values over all chunks."""
        mostly = self.definition["kwargs"].get("mostly")
        if mostly is None or len(self.successes) == 1:
            return all(self.successes)
        checked = self.elements - self.missing
        return checked == 0 or (checked - self.unexpected) / checked >= mostly

    def as_dict(self) -> dict[str, Any]:
        e = self.definition
        return {
            "suite": self.suite,
            "expectation": e["type"],
            "column": e["kwargs"].get("column"),
            "severity": e.get("severity", "error"),
            "success": self.success,
            "element_count": self.elements,
            "unexpected_count": self.unexpected,
            "examples": json.dumps(self.examples, ensure_ascii=False),
            "description": e.get("description"),
        }


def _validate(
    context, source, con, spec: dict[str, Any], run: _Pass, chunk_rows: int
) -> list[tuple[int, _Totals]]:
    """Validate one pass chunk by chunk; the totals of each of its expectations, by index."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    batch = source.add_dataframe_asset(run.name).add_batch_definition_whole_dataframe("all")
    suite = context.suites.add(gx.ExpectationSuite(name=run.name))
    totals: dict[str, tuple[int, _Totals]] = {}
    for index, e in run.expectations:
        severity = "critical" if e.get("severity", "error") == "error" else "warning"
        config = ExpectationConfiguration(type=e["type"], kwargs=e["kwargs"], severity=severity)
        expectation = suite.add_expectation(config.to_domain_obj())
        totals[expectation.id] = (index, _Totals(spec["table"], e))
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=run.name, data=batch, suite=suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(name=run.name, validation_definitions=[validation])
    )
    result = con.execute(_checked_query(spec, [e for _, e in run.expectations], run.keys))
    for frame in _chunks(result, chunk_rows, run.keys):
        outcome = checkpoint.run(batch_parameters={"dataframe": frame})
        for r in next(iter(outcome.run_results.values())).results:
            totals[r.expectation_config.id][1].add(r)
    return list(totals.values())


def run_checks(
    db_path: str | Path,
    run_id: str,
    fail_on_error: bool | None = None,
    chunk_rows: int = CHECK_ROWS,
) -> CheckSummary:
    """Validate every suite and store the results in dq_run / dq_result / dq_anomaly_count
    (the report shows every expectation and its result: Great Expectations' Data Docs load
    their scripts and styles from the internet, so none are built).

    A table of more than `chunk_rows` rows is validated `chunk_rows` at a time, so memory
    follows the chunk, not the table; the results are summed over the chunks.
    """
    import great_expectations as gx

    # That module sets its own logger to INFO and announces every temporary docs folder.
    logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    source = context.data_sources.add_pandas("newsetl")
    summary = CheckSummary(dq_run_id=f"{run_id}:dq")
    if fail_on_error is not None:
        summary.fail_on_error = fail_on_error
    con = store.connect(db_path)
    try:
        for spec in load_suites():
            n_rows = con.execute(f"SELECT count(*) FROM ({spec['query']})").fetchone()[0]
            totals = [
                t
                for run in _passes(spec, n_rows, chunk_rows)
                for t in _validate(context, source, con, spec, run, chunk_rows)
            ]
            summary.results += [t.as_dict() for _, t in sorted(totals, key=lambda t: t[0])]
        _store(con, run_id, summary)
    finally:
        con.close()
    return summary


def _store(con, run_id: str, summary: CheckSummary) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with store.transaction(con):
        _insert_results(con, run_id, summary, now)


def _insert_results(con, run_id: str, summary: CheckSummary, now: dt.datetime) -> None:
    con.execute(
        "INSERT INTO dq_run VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            summary.dq_run_id,
            run_id,
            now,
            not summary.failed,
            len(summary.results),
            len(summary.failed),
            len(summary.error_failures),
        ],
    )
    con.execute(
        """INSERT INTO dq_anomaly_count
        SELECT ?, 'parser', an.type, count(*) FROM dq_anomaly an
        JOIN dim_source_file f USING (file_id) WHERE f.status = 'current' GROUP BY an.type
        UNION ALL SELECT ?, 'dedup', 'duplicate_group_' || scope, count(*)
        FROM dq_duplicate_group GROUP BY scope
        UNION ALL SELECT ?, 'dedup', 'near_duplicate_pair', count(*) FROM dq_near_duplicate
        HAVING count(*) > 0""",
        [summary.dq_run_id] * 3,
    )
    con.executemany(
        "INSERT INTO dq_result VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                summary.dq_run_id,
                r["suite"],
                r["expectation"],
                r["column"],
                r["severity"],
                r["success"],
                r["element_count"],
                r["unexpected_count"],
                r["examples"],
                r["description"],
            ]
            for r in summary.results
        ],
    )
