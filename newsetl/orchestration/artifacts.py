"""Prefect tasks of the data-quality stage: duplicates, checks, the report and its artifacts."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from newsetl.checks import duplicates, suites
from newsetl.report import build
from newsetl.warehouse import store

SUMMARY_KEY = "newsetl-dq-summary"
ANOMALIES_KEY = "newsetl-anomalies"
ARTIFACT_ROWS = 500  # anomalies listed in the table artifact (of those the report lists)


@task(cache_policy=NO_CACHE, timeout_seconds=1800)
def check_warehouse(
    db: Path, run_id: str, docs_dir: Path | None = None, fail_on_error: bool | None = None
) -> suites.CheckSummary:
    """Recompute the duplicate tables, then run the suites (and build Data Docs in docs_dir)."""
    with store.connection(db) as con:
        duplicates.refresh(con)
    return suites.run_checks(db, run_id, docs_dir=docs_dir, fail_on_error=fail_on_error)


@task(cache_policy=NO_CACHE, timeout_seconds=600)
def write_report(db: Path, out_dir: Path, run_id: str | None = None) -> Path:
    """Write the HTML data-quality report and publish its summary as Prefect artifacts."""
    data = build.gather(db)
    path = build.write_report(db, out_dir, data)
    run_id = run_id or (data["runs"][0]["run_id"] if data["runs"] else "none")
    publish_artifacts(data, run_id, path)
    return path


def publish_artifacts(data: dict, run_id: str, path: Path) -> None:
    """A markdown summary and a table of anomalies, visible in the Prefect UI."""
    create_markdown_artifact(
        key=SUMMARY_KEY,
        markdown=build.markdown_summary(data, run_id, path),
        description=f"newsetl data quality, run {run_id}",
    )
    rows = [
        {
            "file": a["path"],
            "item": a["title"] or a["article_id"] or "",
            "type": a["type"],
            "severity": a["severity"],
            "text": (a["hit"] or "")[:80],
            "detail": a["detail"],
        }
        for a in data["anomalies"][:ARTIFACT_ROWS]
    ]
    create_table_artifact(
        key=ANOMALIES_KEY,
        table=rows,
        description=f"{data['totals']['anomalies']} anomalies in the current pages (the first "
        f"{len(rows)} listed), run {run_id}",
    )


def check_and_report(
    db: Path, run_id: str, out_dir: Path, fail_on_error: bool | None = None
) -> tuple[suites.CheckSummary, Path]:
    """The whole data-quality stage of a run: Data Docs go to `out_dir/gx`."""
    checks = check_warehouse(db, run_id, Path(out_dir) / "gx", fail_on_error)
    return checks, write_report(db, out_dir, run_id)
