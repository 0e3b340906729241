"""Great Expectations suites run on DataFrames read back from the warehouse.

The suites live in `newsetl/data/suites/*.json`, one per table: the query that reads the table
(joined where a check needs a foreign key resolved) and the expectations with a severity.
GX validates pandas DataFrames: its SQL path does not work on DuckDB. Error-level failures fail
the run unless `NEWSETL_FAIL_ON_DQ_ERROR=0` (or `fail_on_error=False`); warnings never do.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
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
    fail_on_error: bool = field(default_factory=lambda: os.environ.get(FAIL_ON_ERROR_ENV) != "0")
    docs_index: Path | None = None  # the Data Docs site, when built

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
    """The suite definitions kept in the repository."""
    folder = resources.files("newsetl").joinpath("data/suites")
    return [
        json.loads(f.read_text(encoding="utf-8"))
        for f in sorted(folder.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".json")
    ]


def _checked_query(spec: dict[str, Any]) -> str:
    """The suite's query cut down to the columns its expectations read.

    DuckDB then never reads the others (page text, bodies), so a check's memory follows the
    number of rows, not the size of the corpus.
    """
    columns: list[str] = []
    for e in spec["expectations"]:
        kwargs = e["kwargs"]
        for column in [kwargs.get("column"), *kwargs.get("column_list", [])]:
            if column and column not in columns:
                columns.append(column)
    listed = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    return f"SELECT {listed} FROM ({spec['query']}) AS checked"


def run_checks(
    db_path: str | Path,
    run_id: str,
    docs_dir: str | Path | None = None,
    fail_on_error: bool | None = None,
) -> CheckSummary:
    """Validate every suite, store the results in dq_run / dq_result / dq_anomaly_count and,
    with `docs_dir`, build the Great Expectations Data Docs there."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    if docs_dir is not None:
        shutil.rmtree(docs_dir, ignore_errors=True)
        context.update_data_docs_site(
            "local_site",
            {
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(Path(docs_dir).resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    source = context.data_sources.add_pandas("newsetl")
    summary = CheckSummary(dq_run_id=f"{run_id}:dq")
    if fail_on_error is not None:
        summary.fail_on_error = fail_on_error
    con = warehouse.connect(db_path)
    try:
        for spec in load_suites():
            name = spec["table"]
            df = con.execute(_checked_query(spec)).df()
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
            checkpoint = context.checkpoints.add(
                gx.Checkpoint(name=name, validation_definitions=[validation])
            )
            run = checkpoint.run(batch_parameters={"dataframe": df})
            result = next(iter(run.run_results.values()))
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
    if docs_dir is not None:
        # One build for every suite: the checkpoints' results are already in the context.
        context.build_data_docs(site_names=["local_site"])
        summary.docs_index = Path(docs_dir) / "index.html"
    return summary


def _store(con, run_id: str, summary: CheckSummary) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with warehouse.transaction(con):
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
