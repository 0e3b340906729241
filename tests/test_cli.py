"""The command line: help for every command, parse output, query formats, clear errors."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsetl.cli import app

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


def test_query_is_read_only_and_errors_are_one_line(seeded_warehouse):
    db, _ = seeded_warehouse
    result = runner.invoke(app, ["query", "DELETE FROM fact_article", "--db", str(db)])
    assert result.exit_code != 0
    assert "read-only" in result.output.lower() or "read only" in result.output.lower()
    missing = runner.invoke(app, ["query", "SELECT 1", "--db", str(db.parent / "none.duckdb")])
    assert missing.exit_code != 0 and "newsetl run" in missing.output


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
