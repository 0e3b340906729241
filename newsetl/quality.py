"""Great Expectations suites run on DataFrames read back from the warehouse.

The suites live in `newsetl/data/suites/*.json`, one per table: the query that reads the table
(joined where a check needs a foreign key resolved) and the expectations with a severity.
GX validates pandas DataFrames: its SQL path does not work on DuckDB.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from newsetl import warehouse

# error-level failures mark the run failed unless this is set to "0".
FAIL_ON_ERROR_ENV = "NEWSETL_FAIL_ON_DQ_ERROR"


@dataclass
class CheckSummary:
    """Outcome of one run of every suite."""

    dq_run_id: str
    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.results if not r["success"]]

    @property
    def errors(self) -> list[dict[str, Any]]:
        if os.environ.get(FAIL_ON_ERROR_ENV, "1") == "0":
            return []
        return [r for r in self.failed if r["severity"] == "error"]

    @property
    def message(self) -> str:
        return f"{len(self.results)} checks, {len(self.failed)} failed, {len(self.errors)} errors"

    def as_dict(self) -> dict[str, Any]:
        return {"checks": len(self.results), "failed": len(self.failed), "errors": len(self.errors)}


def load_suites() -> list[dict[str, Any]]:
    """The suite definitions kept in the repository."""
    folder = resources.files("newsetl").joinpath("data/suites")
    return [
        json.loads(f.read_text(encoding="utf-8"))
        for f in sorted(folder.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".json")
    ]


def run_checks(db_path: str | Path, run_id: str) -> CheckSummary:
    """Validate every suite and store the results in dq_run / dq_result."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    source = context.data_sources.add_pandas("newsetl")
    summary = CheckSummary(dq_run_id=f"{run_id}:dq")
    con = warehouse.connect(db_path)
    try:
        for spec in load_suites():
            name = spec["table"]
            df = con.execute(spec["query"]).df()
            batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
            suite = context.suites.add(gx.ExpectationSuite(name=name))
            descriptions = {}
            for e in spec["expectations"]:
                severity = "critical" if e.get("severity", "error") == "error" else "warning"
                config = ExpectationConfiguration(
                    type=e["type"], kwargs=e["kwargs"], severity=severity
                )
                expectation = suite.add_expectation(config.to_domain_obj())
                descriptions[expectation.id] = e.get("description")
            validation = context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch, suite=suite)
            )
            result = validation.run(batch_parameters={"dataframe": df})
            for r in result.results:
                cfg = r.expectation_config
                stats = r.result or {}
                summary.results.append(
                    {
                        "suite": name,
                        "expectation": cfg.type,
                        "column": cfg.kwargs.get("column"),
                        "severity": "error" if cfg.severity.value == "critical" else "warning",
                        "success": bool(r.success),
                        "element_count": stats.get("element_count", len(df)),
                        "unexpected_count": stats.get("unexpected_count", 0),
                        "examples": json.dumps(
                            [str(v) for v in stats.get("partial_unexpected_list", [])[:5]],
                            ensure_ascii=False,
                        ),
                        "description": descriptions.get(cfg.id),
                    }
                )
        _store(con, run_id, summary)
    finally:
        con.close()
    return summary


def _store(con, run_id: str, summary: CheckSummary) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("BEGIN TRANSACTION")
    con.execute(
        "INSERT INTO dq_run VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            summary.dq_run_id,
            run_id,
            now,
            not summary.failed,
            len(summary.results),
            len(summary.failed),
            len([r for r in summary.failed if r["severity"] == "error"]),
        ],
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
    con.execute("COMMIT")
