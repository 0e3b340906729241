"""Prefect tasks of the data-quality stage: duplicates, checks, the report and its artifacts."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, State

from newsetl.checks import duplicates, suites
from newsetl.report import build
from newsetl.warehouse import store

SUMMARY_KEY = "newsetl-dq-summary"
RUN_KEY = "newsetl-run"
REJECTED_LISTED = 50  # rejected files and rows named in the run artifact
ANOMALIES_KEY = "newsetl-anomalies"
ARTIFACT_ROWS = 500  # anomalies listed in the table artifact (of those the report lists)


@task(cache_policy=NO_CACHE, timeout_seconds=1800)
def check_warehouse(
    db: Path, run_id: str, fail_on_error: bool | None = None
) -> suites.CheckSummary:
    """Recompute the duplicate tables, then run the suites."""
    with store.connection(db) as con:
        duplicates.refresh(con)
    return suites.run_checks(db, run_id, fail_on_error=fail_on_error)


@task(cache_policy=NO_CACHE, timeout_seconds=600)
def write_report(
    db: Path, out_dir: Path, run_id: str | None = None, run: dict | None = None
) -> Path:
    """Write the HTML data-quality report and publish its summary as Prefect artifacts."""
    data = build.gather(db)
    path = build.write_report(db, out_dir, data, run)
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
    """The whole data-quality stage of a run: the checks, then the report in `out_dir`."""
    checks = check_warehouse(db, run_id, fail_on_error)
    return checks, write_report(db, out_dir, run_id)


def run_markdown(summary: dict) -> str:
    """A run's summary as markdown: counts, checks, rejected files and rows, the report."""
    c = summary["counts"]
    lines = [
        f"# newsetl run {summary['run_id']}: {summary['status']}",
        "",
        f"{c.get('seen', 0)} files seen: {c.get('loaded', 0)} loaded, {c.get('changed', 0)} "
        f"changed, {c.get('unchanged', 0)} unchanged, {c.get('removed', 0)} removed, "
        f"{c.get('quarantined', 0)} quarantined, {c.get('skipped', 0)} skipped; "
        f"{c.get('items', 0)} items loaded, {c.get('rejected_rows', 0)} rows rejected; "
        f"{summary['seconds']:.1f} s.",
        "",
        f"Checks: {summary['checks']['failed']} of {summary['checks']['checks']} failed "
        f"({summary['checks']['errors']} errors).",
    ]
    if summary.get("removal_held"):
        lines += ["", summary["removal_held"]]
    rejected = summary["rejected"]
    if rejected:
        lines += [
            "",
            f"## Rejected ({len(rejected)})",
            "",
            "| file | stage | table | row | reason |",
            "|---|---|---|---|---|",
        ]
        for r in rejected[:REJECTED_LISTED]:
            cells = [r["path"], r["stage"], r["table"] or "", r["row_key"] or "", r["reason"] or ""]
            lines.append("| " + " | ".join(build.markdown_cell(str(x)) for x in cells) + " |")
    report = summary.get("report")
    lines += ["", f"Report: `{report}`" if report else "Report: not written (unchecked run)."]
    return "\n".join(lines) + "\n"


def publish_run_summary(summary: dict) -> None:
    """The run's summary as a Prefect artifact, published by every run."""
    create_markdown_artifact(
        key=RUN_KEY,
        markdown=run_markdown(summary),
        description=f"newsetl run {summary['run_id']}",
    )


def final_state(summary: dict) -> State:
    """The flow run's end: Completed, or Completed under a name the UI shows when input was
    rejected ("Rejected input") or error-level checks failed ("Checks failed")."""
    errors, rejected = summary["checks"]["errors"], len(summary["rejected"])
    if errors:
        return Completed(
            data=summary, name="Checks failed", message=f"{errors} error checks failed"
        )
    if rejected:
        return Completed(data=summary, name="Rejected input", message=f"{rejected} rejected")
    return Completed(data=summary)
