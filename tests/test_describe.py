"""`newsetl describe` and the comments it shows: every table, view and column has one, stored
in the warehouse (DuckDB keeps COMMENT ON for tables, views and view columns alike)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsetl.cli.app import app
from newsetl.warehouse import store

runner = CliRunner()
OWN = "NOT internal AND schema_name = 'main'"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty warehouse file, written as newsetl writes every warehouse."""
    db = tmp_path_factory.mktemp("describe") / "news.duckdb"
    with store.connection(db) as con:
        store.migrate(con)
    return db


def _names(db: Path) -> list[str]:
    with store.reader(db) as con:
        rows = con.execute(
            f"SELECT table_name FROM duckdb_tables() WHERE {OWN}"
            f" UNION ALL SELECT view_name FROM duckdb_views() WHERE {OWN} ORDER BY 1"
        ).fetchall()
    return [name for (name,) in rows]


def test_every_table_view_and_column_has_a_comment(warehouse):
    """Read back from the file through a read-only connection: the comments survive storage
    compatibility v1.0.0. A migration that adds an uncommented table, view or column fails."""
    with store.reader(warehouse) as con:
        objects = con.execute(
            f"SELECT table_name, comment FROM duckdb_tables() WHERE {OWN}"
            f" UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE {OWN}"
        ).fetchall()
        columns = con.execute(
            f"SELECT table_name || '.' || column_name, comment FROM duckdb_columns() WHERE {OWN}"
        ).fetchall()
    assert {"fact_article", "v_article", "schema_version"} <= {name for name, _ in objects}
    assert len(columns) > 150
    assert [name for name, comment in objects if not (comment or "").strip()] == []
    assert [name for name, comment in columns if not (comment or "").strip()] == []
    assert all("\n" not in comment for _, comment in objects + columns)


def test_describe_lists_every_table_and_view(warehouse):
    result = runner.invoke(app, ["describe", "--db", str(warehouse), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert sorted(rows) == _names(warehouse)
    assert rows["fact_article"]["kind"] == "table" and rows["fact_article"]["rows"] == 0
    assert rows["v_article"]["kind"] == "view" and rows["v_article"]["rows"] is None
    assert rows["schema_version"]["rows"] == len(store.migrations())
    assert all(r["comment"] for r in rows.values())

    table = runner.invoke(app, ["describe", "--db", str(warehouse)])
    assert table.exit_code == 0
    assert table.stdout.split("\n")[0].split() == ["name", "│", "kind", "│", "rows", "│", "comment"]
    assert all(name in table.stdout for name in rows)


def test_describe_a_table_shows_its_columns_with_comments(warehouse):
    result = runner.invoke(app, ["describe", "fact_article", "--db", str(warehouse), "-f", "json"])
    assert result.exit_code == 0, result.output
    columns = {c["column"]: c for c in json.loads(result.stdout)}
    assert list(columns)[:2] == ["article_id", "file_id"] and "captions" in columns
    assert columns["article_id"] == {
        "column": "article_id",
        "type": "VARCHAR",
        "nullable": False,
        "comment": "Key: file_id + ':' + 3-digit item number.",
    }
    assert columns["title"]["nullable"] is True
    assert all(c["comment"] for c in columns.values())

    table = runner.invoke(app, ["describe", "v_people", "--db", str(warehouse)])
    assert table.exit_code == 0
    assert "first_date" in table.stdout and "Earliest resolved date" in table.stdout


def test_describe_an_unknown_table_is_one_line_naming_the_tables(warehouse):
    result = runner.invoke(app, ["describe", "fact_nothing", "--db", str(warehouse)])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "fact_nothing" in result.output and "fact_article, fact_article_keyword" in result.output


def test_describe_without_a_warehouse_is_one_line(tmp_path):
    result = runner.invoke(app, ["describe", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "newsetl run" in result.output
