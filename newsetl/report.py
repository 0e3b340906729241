"""The static HTML data-quality report, built from the warehouse."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from newsetl import warehouse

CONTEXT_CHARS = 30


def _rows(con, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def gather(db_path: str | Path) -> dict:
    """Everything the report shows, read with one read-only connection."""
    con = warehouse.connect(db_path, read_only=True)
    try:
        runs = _rows(con, "SELECT * FROM etl_run ORDER BY started_at DESC LIMIT 20")
        dq = _rows(con, "SELECT * FROM dq_run ORDER BY checked_at DESC LIMIT 1")
        results = (
            _rows(
                con,
                "SELECT * FROM dq_result WHERE dq_run_id = ? ORDER BY success, severity, suite",
                [dq[0]["dq_run_id"]],
            )
            if dq
            else []
        )
        anomalies = _rows(
            con,
            f"""SELECT an.anomaly_id, an.type, an.severity, an.detail, an.article_id, f.path,
                   a.title,
                   substr(f.raw_text, greatest(an.start_offset - {CONTEXT_CHARS}, 0) + 1,
                          least(an.start_offset, {CONTEXT_CHARS})) AS before,
                   substr(f.raw_text, an.start_offset + 1, an.end_offset - an.start_offset) AS hit,
                   substr(f.raw_text, an.end_offset + 1, {CONTEXT_CHARS}) AS after
            FROM dq_anomaly an JOIN dim_source_file f USING (file_id)
            LEFT JOIN fact_article a USING (article_id)
            WHERE f.status = 'current' ORDER BY f.path, an.start_offset""",
        )
        by_type = _rows(
            con,
            "SELECT type, severity, sum(n) AS n FROM v_anomaly_summary"
            " GROUP BY ALL ORDER BY n DESC",
        )
        totals = _rows(
            con,
            """SELECT (SELECT count(*) FROM dim_source_file WHERE status = 'current') AS files,
                      (SELECT count(*) FROM v_article) AS items,
                      (SELECT count(*) FROM fact_paragraph p JOIN dim_source_file f USING (file_id)
                       WHERE f.status = 'current') AS paragraphs""",
        )[0]
    finally:
        con.close()
    return {
        "runs": runs,
        "dq": dq[0] if dq else None,
        "results": results,
        "anomalies": anomalies,
        "by_type": by_type,
        "totals": totals,
    }


def write_report(db_path: str | Path, out_dir: str | Path) -> Path:
    """Render the report to `out_dir/index.html` and return its path."""
    env = Environment(
        loader=PackageLoader("newsetl", "templates"), autoescape=select_autoescape(["html"])
    )
    html = env.get_template("report.html").render(**gather(db_path))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "index.html"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
