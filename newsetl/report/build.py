"""The static HTML data-quality report, built from the warehouse.

`index.html` holds the run summary, every check, the plots (inline SVG), the largest duplicate
groups and near pairs, and up to ANOMALIES_PER_TYPE anomalies of each type in context (with
the count of the rest and the SQL that lists them all); `pages/<file_id>.html` shows the raw
text of the PAGES_WRITTEN pages with most highlighted places, split into its items, with every
anomaly and duplicate copy marked. Pages are rendered one at a time, so the report's memory
and size stay bounded however large the warehouse. Everything is escaped by jinja2's
autoescape.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape

from newsetl.model import ANOMALY_TYPES
from newsetl.warehouse import store

CONTEXT_CHARS = 30
ANOMALIES_PER_TYPE = 200  # anomalies of one type listed in context in the index
GROUPS_LISTED = 300  # duplicate groups listed (most copies first)
MEMBERS_LISTED = 20  # copies listed per group
NEAR_LISTED = 300  # near-duplicate pairs listed (most similar first)
PAGES_CHARTED = 60  # bars of the items-per-page chart (pages with most items)
PAGES_WRITTEN = 500  # pages rendered (those with most highlighted places)
PAGES_READ = 100  # raw page texts read from the warehouse in one query
PALETTE = (
    "#3366cc",
    "#dc3912",
    "#ff9900",
    "#109618",
    "#990099",
    "#0099c6",
    "#dd4477",
    "#66aa00",
    "#b82e2e",
    "#316395",
    "#994499",
    "#22aa99",
    "#aaaa11",
    "#6633cc",
)


def anchor(key: str | None) -> str:
    """An HTML id / file name for a warehouse key (':' would read as a URL scheme)."""
    return (key or "").replace(":", "-")


STAMP = re.compile(r'<meta name="newsetl-stamp" content="([^"]*)">')


def content_stamp(con: duckdb.DuckDBPyConnection) -> str:
    """A stamp of what the report shows that changes whenever a run changes it: the file
    versions and their status, the rejected input, and the last check."""
    files, quarantined, checked = con.execute(
        "SELECT (SELECT count(*) || '.' || coalesce(bit_xor(hash(file_id, status)), 0)"
        " FROM dim_source_file), (SELECT count(*) FROM quarantine),"
        " (SELECT max(dq_run_id) FROM dq_run)"
    ).fetchone()
    return f"{files}:{quarantined}:{checked}"


def stands(db_path: str | Path, out_dir: str | Path) -> bool:
    """Whether the report in `out_dir` shows the warehouse as it is (its stamp still holds)."""
    try:
        with (Path(out_dir) / "index.html").open(encoding="utf-8") as f:
            found = STAMP.search(f.read(4096))
    except OSError:
        return False
    with store.connection(db_path, read_only=True) as con:
        return found is not None and found[1] == content_stamp(con)


def gather(db_path: str | Path) -> dict[str, Any]:
    """Everything the report shows, read with one read-only connection."""
    con = store.connect(db_path, read_only=True)
    try:
        stamp = content_stamp(con)
        runs = store.dict_rows(con, "SELECT * FROM etl_run ORDER BY started_at DESC LIMIT 20")
        dq = store.dict_rows(con, "SELECT * FROM dq_run ORDER BY checked_at DESC LIMIT 1")
        results = (
            store.dict_rows(
                con,
                "SELECT * FROM dq_result WHERE dq_run_id = ? ORDER BY success, severity, suite",
                [dq[0]["dq_run_id"]],
            )
            if dq
            else []
        )
        for r in results:
            r["examples"] = json.loads(r["unexpected_examples"] or "[]")
        anomalies = store.dict_rows(
            con,
            f"""WITH listed AS (
                SELECT an.*, f.path FROM dq_anomaly an JOIN dim_source_file f USING (file_id)
                WHERE f.status = 'current' QUALIFY row_number() OVER (
                    PARTITION BY an.type ORDER BY f.path, an.start_offset, an.anomaly_id) <= ?)
            SELECT an.anomaly_id, an.type, an.severity, an.detail, an.article_id, an.file_id,
                   an.start_offset, an.end_offset, an.path, a.title,
                   substr(f.raw_text, greatest(an.start_offset - {CONTEXT_CHARS}, 0) + 1,
                          least(an.start_offset, {CONTEXT_CHARS})) AS before,
                   substr(f.raw_text, an.start_offset + 1, an.end_offset - an.start_offset) AS hit,
                   substr(f.raw_text, an.end_offset + 1, {CONTEXT_CHARS}) AS after
            FROM listed an JOIN dim_source_file f USING (file_id)
            LEFT JOIN fact_article a USING (article_id)
            ORDER BY CASE an.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
                     an.path, an.start_offset, an.anomaly_id""",
            [ANOMALIES_PER_TYPE],
        )
        by_type = store.dict_rows(
            con,
            """SELECT an.type, an.severity, count(*) AS n,
                  least(count(*), ?) AS listed
            FROM dq_anomaly an JOIN dim_source_file f USING (file_id)
            WHERE f.status = 'current' GROUP BY ALL ORDER BY n DESC, type""",
            [ANOMALIES_PER_TYPE],
        )
        trend = store.dict_rows(
            con,
            """SELECT r.dq_run_id, r.checked_at, c.type, c.n FROM dq_anomaly_count c
            JOIN dq_run r USING (dq_run_id) WHERE c.source = 'parser'
            AND r.dq_run_id IN (SELECT dq_run_id FROM dq_run ORDER BY checked_at DESC LIMIT 30)
            ORDER BY r.checked_at, c.type""",
        )
        per_date = store.dict_rows(
            con,
            """SELECT coalesce(d.date::VARCHAR, 'undated') AS date, count(*) AS n
            FROM fact_article a LEFT JOIN dim_date d USING (date_key)
            JOIN dim_source_file f USING (file_id) WHERE f.status = 'current'
            GROUP BY d.date ORDER BY d.date NULLS LAST""",
        )
        per_page = store.dict_rows(
            con,
            """SELECT * FROM (SELECT f.file_id, f.path, f.n_items AS items
                FROM dim_source_file f WHERE f.status = 'current'
                ORDER BY f.n_items DESC, f.path LIMIT ?) ORDER BY path""",
            [PAGES_CHARTED],
        )
        groups = store.dict_rows(
            con,
            """WITH top AS (SELECT * FROM dq_duplicate_group
                ORDER BY n_members DESC, group_id LIMIT ?)
            SELECT g.*, list(struct_pack(m.member_no, m.role, m.file_id, m.article_id,
                  m.start_offset, m.end_offset, path := f.path) ORDER BY m.member_no) AS members
            FROM top g JOIN dq_duplicate_member m USING (group_id)
            JOIN dim_source_file f ON f.file_id = m.file_id
            WHERE m.member_no <= ?
            GROUP BY ALL ORDER BY g.n_members DESC, g.group_id""",
            [GROUPS_LISTED, MEMBERS_LISTED],
        )
        near = store.dict_rows(
            con,
            """WITH top AS (SELECT * FROM dq_near_duplicate
                ORDER BY similarity DESC, paragraph_a, paragraph_b LIMIT ?)
            SELECT n.*, pa.file_id AS file_a, pa.text AS text_a, pb.file_id AS file_b,
                  pb.text AS text_b
            FROM top n JOIN fact_paragraph pa ON pa.paragraph_id = n.paragraph_a
            JOIN fact_paragraph pb ON pb.paragraph_id = n.paragraph_b
            ORDER BY n.similarity DESC, n.paragraph_a, n.paragraph_b""",
            [NEAR_LISTED],
        )
        totals = store.dict_rows(
            con,
            """SELECT (SELECT count(*) FROM dim_source_file WHERE status = 'current') AS files,
                      (SELECT count(*) FROM v_article) AS items,
                      (SELECT count(*) FROM fact_paragraph p JOIN dim_source_file f USING (file_id)
                       WHERE f.status = 'current') AS paragraphs,
                      (SELECT count(*) FROM dq_anomaly an JOIN dim_source_file f USING (file_id)
                       WHERE f.status = 'current') AS anomalies,
                      (SELECT count(*) FROM dq_duplicate_group) AS groups,
                      (SELECT count(*) FROM dq_near_duplicate) AS near""",
        )[0]
        rejected = store.dict_rows(
            con,
            """WITH latest AS (
                SELECT o.run_id, o.path, o.outcome FROM etl_file_outcome o JOIN etl_run r
                USING (run_id) WHERE o.outcome <> 'unchanged' QUALIFY row_number() OVER (
                    PARTITION BY r.seeds_dir, o.path ORDER BY o.run_id DESC) = 1)
            SELECT q.path, q.run_id, q.stage, q.table_name, q.row_key, q.check_name,
                   q.column_name, q.value, q.reason
            FROM quarantine q JOIN latest l USING (run_id, path)
            WHERE l.outcome <> 'removed'
            ORDER BY q.path, q.table_name NULLS FIRST, q.row_key, q.check_name""",
        )
        written = _written_pages(con)
    finally:
        con.close()
    return {
        "runs": runs,
        "dq": dq[0] if dq else None,
        "results": results,
        "anomalies": anomalies,
        "by_type": by_type,
        "trend": trend,
        "per_date": per_date,
        "per_page": per_page,
        "groups": groups,
        "near": near,
        "totals": totals,
        "rejected": rejected,
        "stamp": stamp,
        "written": written,
    }


def _written_pages(con) -> list[str]:
    """Ids of the PAGES_WRITTEN current pages with most highlighted places (most first)."""
    return [
        r[0]
        for r in con.execute(
            """SELECT f.file_id FROM dim_source_file f JOIN (
                SELECT file_id FROM dq_anomaly UNION ALL
                SELECT file_id FROM dq_duplicate_member) m USING (file_id)
            WHERE f.status = 'current' GROUP BY f.file_id, f.path
            ORDER BY count(*) DESC, f.path LIMIT ?""",
            [PAGES_WRITTEN],
        ).fetchall()
    ]


def bar_chart(labels: list[str], values: list[int], title: str, width: int = 640) -> dict:
    """Geometry of a horizontal bar chart (rendered by the template as inline SVG)."""
    top = max(values, default=0) or 1
    row, left = 18, 170
    bars = [
        {
            "y": i * row,
            "w": round((width - left - 50) * v / top, 1),
            "label": label,
            "value": v,
        }
        for i, (label, v) in enumerate(zip(labels, values, strict=True))
    ]
    return {
        "title": title,
        "bars": bars,
        "width": width,
        "height": len(bars) * row + 4,
        "left": left,
    }


def trend_chart(trend: list[dict], width: int = 640, height: int = 220) -> dict:
    """Geometry of a line chart of anomalies per type across check runs."""
    runs = sorted({t["dq_run_id"] for t in trend}, key=lambda r: r)
    types = sorted({t["type"] for t in trend})
    counts = {(t["dq_run_id"], t["type"]): t["n"] for t in trend}
    top = max((t["n"] for t in trend), default=0) or 1
    left, bottom, plot_w, plot_h = 40, 20, width - 200, height - 40
    step = plot_w / max(len(runs) - 1, 1)
    lines = []
    for k, kind in enumerate(types):
        points = [
            (
                round(left + i * step, 1),
                round(10 + plot_h * (1 - counts.get((r, kind), 0) / top), 1),
            )
            for i, r in enumerate(runs)
        ]
        lines.append(
            {
                "type": kind,
                "color": PALETTE[k % len(PALETTE)],
                "points": " ".join(f"{x},{y}" for x, y in points),
                "dots": points,
                "legend_y": 14 + k * 14,
            }
        )
    return {
        "lines": lines,
        "runs": len(runs),
        "top": top,
        "width": width,
        "height": height,
        "left": left,
        "plot_w": plot_w,
        "plot_h": plot_h,
        "bottom": height - bottom,
    }


def page_segments(text: str, marks: list[dict], items: list[dict]) -> list[dict]:
    """The page text cut at every mark and item boundary, each piece with the marks over it."""
    cuts = {0, len(text)}
    for m in marks:
        cuts.update((m["start"], m["end"]))
    for it in items:
        cuts.add(it["start_offset"])
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    starts = {it["start_offset"]: it for it in items}
    opened: set[str] = set()
    out = []
    for a, b in pairwise(bounds):
        over = [m for m in marks if m["start"] <= a and b <= m["end"] and m["start"] < m["end"]]
        anchors = [m["id"] for m in over if m["id"] not in opened]
        opened.update(anchors)
        out.append(
            {
                "item": starts.get(a),
                "text": text[a:b],
                "marks": over,
                "anchors": anchors,
                "kinds": " ".join(sorted({m["kind"] for m in over})),
                "title": "; ".join(m["label"] for m in over),
            }
        )
    return out


def _by_file(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r.pop("file_id"), []).append(r)
    return out


def _pages(db_path: str | Path, file_ids: list[str]) -> Iterator[dict]:
    """The given pages with their items and marks (anomalies and duplicate copies), one at a
    time: marks and items are read in one query each, the raw texts `PAGES_READ` pages at a
    time."""
    con = store.connect(db_path, read_only=True)
    try:
        marks = _by_file(
            store.dict_rows(
                con,
                """SELECT file_id, replace(anomaly_id, ':', '-') AS id, start_offset AS start,
                      end_offset AS "end", 'anomaly ' || severity AS kind,
                      type || ': ' || coalesce(detail, '') AS label
                FROM dq_anomaly WHERE file_id IN (SELECT unnest(?))
                UNION ALL
                SELECT m.file_id, replace(g.group_id || '-' || m.member_no, ':', '-'),
                      m.start_offset, m.end_offset, 'dup',
                      'duplicate group ' || g.group_id || ', copy ' || m.member_no || ' of '
                      || g.n_members || ' (' || m.role || ')'
                FROM dq_duplicate_member m JOIN dq_duplicate_group g USING (group_id)
                WHERE m.file_id IN (SELECT unnest(?))
                ORDER BY file_id""",
                [file_ids, file_ids],
            )
        )
        items = _by_file(
            store.dict_rows(
                con,
                """SELECT file_id, article_id, item_no, kind, title, start_offset,
                      replace(article_id, ':', '-') AS anchor
                FROM fact_article WHERE file_id IN (SELECT unnest(?))
                ORDER BY file_id, start_offset""",
                [
                    file_ids,
                ],
            )
        )
        for at in range(0, len(file_ids), PAGES_READ):
            chunk = file_ids[at : at + PAGES_READ]
            texts = {
                fid: (path, text)
                for fid, path, text in con.execute(
                    "SELECT file_id, path, raw_text FROM dim_source_file WHERE file_id = ANY(?)",
                    [chunk],
                ).fetchall()
            }
            for fid in chunk:
                path, text = texts[fid]
                page_marks, page_items = marks.get(fid, []), items.get(fid, [])
                yield {
                    "file_id": fid,
                    "path": path,
                    "articles": page_items,
                    "segments": page_segments(text, page_marks, page_items),
                    "n_marks": len(page_marks),
                }
    finally:
        con.close()


def write_report(
    db_path: str | Path,
    out_dir: str | Path,
    data: dict | None = None,
    run: dict[str, Any] | None = None,
) -> Path:
    """Render the report to `out_dir/index.html` (and one page per file); return its path."""
    env = Environment(
        loader=PackageLoader("newsetl.report", "templates"), autoescape=select_autoescape(["html"])
    )
    env.filters["anchor"] = anchor
    data = data or gather(db_path)
    if run is not None:  # the counts of the run writing the report, not yet in etl_run
        data["runs"] = [{**r, **run} if r["run_id"] == run["run_id"] else r for r in data["runs"]]
    out = Path(out_dir)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    charts = {
        "trend": trend_chart(data["trend"]),
        "by_type": bar_chart(
            [t["type"] for t in data["by_type"]],
            [int(t["n"]) for t in data["by_type"]],
            "Anomalies by type",
        ),
        "per_date": bar_chart(
            [str(d["date"]) for d in data["per_date"]],
            [d["n"] for d in data["per_date"]],
            "Items per date (the last bar: items with no date)"
            if any(d["date"] == "undated" for d in data["per_date"])
            else "Items per date",
        ),
        "per_page": bar_chart(
            [p["path"] for p in data["per_page"]],
            [p["items"] for p in data["per_page"]],
            f"Items per page (the {PAGES_CHARTED} pages with most)"
            if data["totals"]["files"] > PAGES_CHARTED
            else "Items per page",
        ),
    }
    # Data Docs an earlier version built here load scripts from the internet: not kept.
    shutil.rmtree(out / "gx", ignore_errors=True)
    template = env.get_template("page.html")
    for page in _pages(db_path, data["written"]):
        _write(out / "pages" / f"{page['file_id']}.html", template.render(page=page))
    keep = {f"{fid}.html" for fid in data["written"]}
    for stale in (out / "pages").glob("*.html"):  # pages of an earlier report
        if stale.name not in keep:
            stale.unlink()
    path = out / "index.html"
    written = set(data["written"])
    _write(
        path,
        env.get_template("report.html").render(
            charts=charts,
            written=written,
            per_type=ANOMALIES_PER_TYPE,
            generated=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            warehouse=store.public_file(db_path).resolve(),
            members_listed=MEMBERS_LISTED,
            failing=failing_checks(data["results"]),
            **{k: v for k, v in data.items() if k != "written"},
        ),
    )
    return path


def failing_checks(results: list[dict]) -> list[dict]:
    """The failed checks by what they mean, errors first: one entry per meaning, with every
    table and column where it failed, the anomaly types it found and the examples that say
    something (not a flag's True: those rows are listed in the report's tables)."""
    groups: dict[str, dict] = {}
    for r in results:
        if r["success"]:
            continue
        meaning = r["description"] or r["expectation"]
        empty = {"places": [], "examples": [], "types": []}
        g = groups.setdefault(meaning, {"meaning": meaning, "severity": r["severity"], **empty})
        if r["severity"] == "error":
            g["severity"] = "error"
        column = f".{r['column_name']}" if r["column_name"] else ""
        g["places"].append(
            f"{r['unexpected_count']} of {r['element_count']} rows of {r['suite']}{column}"
        )
        for example in r["examples"]:
            listed = g["types"] if str(example) in ANOMALY_TYPES else g["examples"]
            if str(example) not in ("True", "False") and example not in listed:
                listed.append(example)
    return sorted(groups.values(), key=lambda g: g["severity"] != "error")


def _write(path: Path, html: str) -> None:
    """Write a page whole (a temporary file renamed over it); an error names the page."""
    tmp = path.with_suffix(".tmp")
    try:
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        reason = exc.strerror or str(exc)
        raise OSError(exc.errno, f"Cannot write the report page {path}: {reason}") from exc


def markdown_summary(data: dict, run_id: str, report_path: Path) -> str:
    """The data-quality summary of a run as markdown (for the Prefect UI)."""
    dq, totals = data["dq"], data["totals"]
    lines = [
        f"# newsetl data quality, run `{run_id}`",
        "",
        f"{totals['files']} current pages, {totals['items']} items, "
        f"{totals['paragraphs']} paragraphs, {totals['anomalies']} anomalies.",
        "",
    ]
    if dq:
        lines += [
            f"**Checks** (`{dq['dq_run_id']}`): {dq['n_checks']} run, {dq['n_failed']} failed, "
            f"{dq['n_errors']} at error level.",
            "",
            "| Expected | Severity | Where it does not hold |",
            "|---|---|---|",
        ]
        lines += [
            f"| {markdown_cell(g['meaning'])} | {g['severity']} "
            f"| {markdown_cell('; '.join(g['places']))} |"
            for g in failing_checks(data["results"])
        ] or ["| every check passed | | |"]
    lines += ["", f"**Rejected input:** {len(data['rejected'])} files and rows.", ""]
    if data["rejected"]:
        lines += ["| File | Table | Row | Check or reason |", "|---|---|---|---|"]
        lines += [
            f"| {markdown_cell(r['path'])} | {r['table_name'] or ''} | {r['row_key'] or ''} "
            f"| {markdown_cell(r['check_name'] or r['reason'])} |"
            for r in data["rejected"]
        ]
    lines += ["", "| Anomaly type | Severity | Count |", "|---|---|---|"]
    lines += [f"| {t['type']} | {t['severity']} | {t['n']} |" for t in data["by_type"]]
    lines += [
        "",
        f"**Duplicates:** {totals['groups']} groups of identical text, "
        f"{totals['near']} near-duplicate pairs.",
        "",
        f"Report: `{report_path}`",
    ]
    return "\n".join(lines)


def markdown_cell(text: str) -> str:
    """Text as one markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")
