"""The command line: help for every command, parse output, query formats, clear errors."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest
from typer.testing import CliRunner

from newsetl.cli.app import QUERY_REFUSED, app
from tests.conftest import count

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


def commands() -> list[str]:
    return sorted(c.name or c.callback.__name__ for c in app.registered_commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_and_is_documented(name):
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
    docs = (REPO / "README.md").read_text("utf-8") + "".join(
        p.read_text("utf-8") for p in (REPO / "docs").glob("*.md")
    )
    assert re.search(rf"newsetl {name}\b", docs), f"`newsetl {name}` is not documented"


def test_parse_prints_the_contract_as_utf8_json():
    result = runner.invoke(app, ["parse", str(REPO / "seeds" / "000_ce01c7f7b77b431d.txt")])
    assert result.exit_code == 0
    assert "\\u" not in result.stdout  # Chinese characters unescaped
    page = json.loads(result.stdout)
    assert page["encoding"] == "utf-8"
    assert len(page["items"]) == 8
    item = page["items"][0]
    for key in (
        "kind",
        "title",
        "headline_lines",
        "page_banner",
        "dateline",
        "reporters",
        "correspondents",
        "interns",
        "photographers",
        "date_text",
        "date",
        "paragraphs",
        "anomalies",
    ):
        assert key in item
    for a in page["anomalies"]:
        assert set(a) >= {"type", "start", "end", "excerpt", "detail"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), (bytes(range(256)) * 4, "binary")],
)
def test_parse_rejects_bad_files_with_one_sentence(tmp_path, content, reason):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = runner.invoke(app, ["parse", str(bad)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "bad.txt" in result.output and reason in result.output.lower()


def test_query_formats(seeded_warehouse):
    db, _ = seeded_warehouse
    sql = "SELECT kind, count(*) AS n FROM fact_article GROUP BY kind ORDER BY kind"
    as_csv = runner.invoke(app, ["query", sql, "--db", str(db), "--format", "csv"])
    assert as_csv.exit_code == 0
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [
        ["kind", "n"],
        ["article", "33"],
        ["photo", "8"],
    ]
    as_json = runner.invoke(app, ["query", sql, "--db", str(db), "--format", "json"])
    assert json.loads(as_json.stdout) == [{"kind": "article", "n": 33}, {"kind": "photo", "n": 8}]
    as_table = runner.invoke(app, ["query", sql, "--db", str(db)])
    assert as_table.exit_code == 0 and "article" in as_table.stdout and "33" in as_table.stdout


TYPED = """
    SELECT a.article_id, a.headline_lines, d.date, a.n_paragraphs,
           sum(a.n_paragraphs) OVER () AS total, NULL::INTEGER AS missing,
           a.date_key IS NOT NULL AS dated, {'kind': a.kind, 'item': a.item_no} AS info
    FROM fact_article a LEFT JOIN dim_date d USING (date_key)
    WHERE a.item_no <= $upto ORDER BY a.article_id
"""


def test_query_rows_come_out_exact_in_csv_and_json(seeded_warehouse, tmp_path):
    """ISO dates, NULL as an empty cell or null, integers as integers, lists and structs as
    JSON; parameters bound by name; --output writes the file."""
    db, _ = seeded_warehouse
    with duckdb.connect(str(db), read_only=True) as con:
        expected = con.execute(TYPED, {"upto": 2}).fetchall()
    assert expected and any(row[2] is None for row in expected)

    def plain(row: tuple) -> list:
        aid, lines, date, n, total, missing, dated, info = row
        return [aid, lines, date.isoformat() if date else None, n, total, missing, dated, info]

    out = tmp_path / "rows.json"
    args = ["query", TYPED, "--db", str(db), "--param", "upto=2"]
    result = runner.invoke(app, [*args, "--format", "json", "--output", str(out)])
    assert result.exit_code == 0, result.output
    got = [list(r.values()) for r in json.loads(out.read_text(encoding="utf-8"))]
    assert got == [plain(r) for r in expected]

    as_csv = runner.invoke(app, [*args, "--format", "csv"])
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))[1:]
    assert len(rows) == len(expected)
    for cells, row in zip(rows, expected, strict=True):
        want = plain(row)
        assert cells[0] == want[0] and json.loads(cells[1]) == want[1]
        assert cells[2] == (want[2] or "") and cells[3] == str(want[3]) and cells[4] == str(want[4])
        assert cells[5] == "" and cells[6] == ("true" if want[6] else "false")
        assert json.loads(cells[7]) == want[7]


def test_query_is_read_only_and_errors_are_one_line(seeded_warehouse):
    db, _ = seeded_warehouse
    result = runner.invoke(app, ["query", "DELETE FROM fact_article", "--db", str(db)])
    assert result.exit_code != 0
    assert "read-only" in result.output.lower() or "read only" in result.output.lower()
    missing = runner.invoke(app, ["query", "SELECT 1", "--db", str(db.parent / "none.duckdb")])
    assert missing.exit_code != 0 and "newsetl run" in missing.output


def _one_line_error(result) -> str:
    """The single line a failed command printed (nothing else, no traceback)."""
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_query_reaches_nothing_but_the_warehouse(seeded_warehouse, tmp_path):
    db, _ = seeded_warehouse
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE fact_article AS SELECT 1 AS article_id")
    linked = tmp_path / "linked.duckdb"
    os.link(db, linked)  # the warehouse itself, under another name
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT\n", encoding="utf-8")
    exported = tmp_path / "out.csv"
    articles = count(db, "SELECT count(*) FROM fact_article")
    for sql in (
        f"ATTACH '{other}' AS o (READ_WRITE); DELETE FROM o.fact_article",
        f"ATTACH '{linked}' AS w (READ_WRITE); DELETE FROM w.fact_article",
        f"COPY (SELECT * FROM fact_article) TO '{exported}'",
        f"SELECT * FROM read_text('{secret}')",
        f"SELECT * FROM read_csv('{secret}')",
        f"SELECT * FROM '{secret}'",
        "INSTALL httpfs",
        "SET enable_external_access = true",
        "DELETE FROM fact_article",
    ):
        result = runner.invoke(app, ["query", sql, "--db", str(db)])
        assert result.exit_code == QUERY_REFUSED or (
            result.exit_code == 1 and "does not exist" in result.output
        ), (sql, result.output)
        line = _one_line_error(result)
        assert "SECRET-CONTENT" not in line
    assert not exported.exists()
    assert count(db, "SELECT count(*) FROM fact_article") == articles
    assert count(other, "SELECT count(*) FROM fact_article") == 1
    assert "only reads the warehouse" in _one_line_error(
        runner.invoke(app, ["query", f"SELECT * FROM read_text('{secret}')", "--db", str(db)])
    )


def test_query_errors_are_one_line_with_their_exit_code(seeded_warehouse):
    db, _ = seeded_warehouse
    wrong = runner.invoke(app, ["query", "SELEC 1", "--db", str(db)])
    assert wrong.exit_code == 1 and "syntax error" in _one_line_error(wrong)
    long_name = "x" * 300  # longer than a terminal line: still one line
    unknown = runner.invoke(app, ["query", f"SELECT * FROM {long_name}", "--db", str(db)])
    assert unknown.exit_code == 1 and long_name in _one_line_error(unknown)


@pytest.mark.parametrize(
    ("args", "code"),
    [(["--help"], 0), (["parse", "no-such-page.txt"], 1), (["no-such-command"], 2)],
)
def test_installed_command_exits_with_the_commands_code(tmp_path, args, code):
    """The console script ends the process itself once its exit handlers ran: the exit
    status is the command's, and nothing is written after its output."""
    newsetl = Path(sys.executable).with_name("newsetl")
    done = subprocess.run(
        [str(newsetl), *args], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == code, done.stderr
    assert "Exception ignored" not in done.stderr


# Two million rows of 80 characters: about 0.6 GB once held whole by DuckDB and pandas.
LARGE_RESULT = "SELECT i, repeat('x', 36) AS pad, repeat('y', 36) AS pad2 FROM range(2000000) t(i)"
LARGE_ROWS = 2_000_000
STREAMING_PEAK_MB = 350  # the query process's peak RSS while it writes that result


def _lines_of(path: Path) -> tuple[int, str, str, str]:
    """Line count, first, second and last line of a file, read a line at a time."""
    n, head, last = 0, [], ""
    with path.open(encoding="utf-8") as lines:
        for n, last in enumerate(lines, 1):
            if n <= 2:
                head.append(last)
    return n, head[0].rstrip("\n"), head[1].rstrip("\n"), last.rstrip("\n")


def _peak_rss_mb(proc: subprocess.Popen, timeout: float, limit_mb: float) -> float:
    """Wait for a process, sampling its resident memory, and return the highest sample in MB;
    the process is killed once past `limit_mb` or `timeout` seconds."""
    watched, peak, deadline = psutil.Process(proc.pid), 0, time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline and peak < limit_mb * 2**20:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.02)
    proc.kill()
    proc.wait()
    return peak / 2**20


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_query_streams_a_large_result_in_every_format(seeded_warehouse, tmp_path, fmt):
    """The rows are written as they arrive: the process stays small however many rows the
    result has, and the output is the whole result."""
    db, _ = seeded_warehouse
    out = tmp_path / f"rows.{fmt}"
    newsetl = Path(sys.executable).with_name("newsetl")
    with out.open("w") as stdout, (tmp_path / "stderr").open("w") as stderr:
        proc = subprocess.Popen(
            [str(newsetl), "query", LARGE_RESULT, "--db", str(db), "--format", fmt],
            stdout=stdout,
            stderr=stderr,
        )
        peak = _peak_rss_mb(proc, timeout=600, limit_mb=STREAMING_PEAK_MB)
    assert peak < STREAMING_PEAK_MB
    assert proc.returncode == 0, (tmp_path / "stderr").read_text()
    x, y = "x" * 36, "y" * 36
    if fmt == "csv":
        assert _lines_of(out) == (LARGE_ROWS + 1, "i,pad,pad2", f"0,{x},{y}", f"1999999,{x},{y}")
    elif fmt == "json":
        text = out.read_text(encoding="utf-8")
        assert text.count('{"i":') == LARGE_ROWS
        assert text.startswith(f'[{{"i":0,"pad":"{x}","pad2":"{y}"}},{{"i":1,')
        assert text.endswith(f'{{"i":1999999,"pad":"{x}","pad2":"{y}"}}]\n')
        assert json.loads(text[-200:].split("},", 1)[1][:-2]) == {"i": 1999999, "pad": x, "pad2": y}
    else:
        lines = out.read_text(encoding="utf-8").splitlines()
        cells = [[c.strip() for c in line.split("│")] for line in lines if "│" in line]
        assert cells[0] == ["i", "pad", "pad2"]
        body = [c for c in cells if c[0] != "i"]
        assert len(body) == LARGE_ROWS
        assert body[0] == ["0", x, y] and body[-1] == ["1999999", x, y]
        assert "2000000 rows" in (tmp_path / "stderr").read_text()


def test_an_unknown_runner_is_refused_before_prefect_starts(tmp_path):
    result = runner.invoke(app, ["run", "--runner", "foo", "--db", str(tmp_path / "n.duckdb")])
    assert result.exit_code == 2 and "'foo' is not one of" in result.output
    assert not (tmp_path / "n.duckdb").exists()


def test_textrank_ranks_once_and_says_how_many(seeded_warehouse, tmp_path):
    source, _ = seeded_warehouse
    db = tmp_path / "news.duckdb"
    shutil.copyfile(source, db)
    first = runner.invoke(app, ["textrank", "--db", str(db), "--out", str(tmp_path / "r")])
    assert first.exit_code == 0, first.output
    assert re.search(r"\d+ articles ranked, [1-9]\d* keywords added", first.output)
    added = count(db, "SELECT count(*) FROM fact_article_keyword WHERE method = 'textrank'")
    assert f"{added} keywords added" in first.output
    again = runner.invoke(app, ["textrank", "--db", str(db), "--out", str(tmp_path / "r")])
    assert again.exit_code == 0 and "0 keywords added" in again.output
    missing = runner.invoke(app, ["textrank", "--db", str(tmp_path / "none" / "news.duckdb")])
    assert missing.exit_code == 1 and "No warehouse at" in _one_line_error(missing)
