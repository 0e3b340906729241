"""Each table's contract agrees with itself: the registry, the migrated DDL, the Pandera
models and the Great Expectations suites name the same columns."""

from __future__ import annotations

import duckdb
import pytest

from newsetl.checks.suites import load_suites
from newsetl.tables import keys, patterns
from newsetl.tables.registry import TABLES
from newsetl.tables.validate import CHECK_ONLY_COLUMNS
from newsetl.warehouse import store


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect(":memory:")
    store.migrate(con)
    yield con
    con.close()


def _ddl(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()}


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_model_and_ddl_have_the_same_columns(con, table):
    """Every stored column is checked by the model or listed as unchecked, never both."""
    model = set(table.model.to_schema().columns) - set(CHECK_ONLY_COLUMNS)
    assert model | set(table.unchecked) == _ddl(con, table.name)
    assert not model & set(table.unchecked)
    assert table.key in model


def test_every_table_has_one_suite_and_every_suite_a_table(con):
    suites = [s["table"] for s in load_suites()]
    assert sorted(suites) == sorted(t.name for t in TABLES)


@pytest.mark.parametrize("suite", load_suites(), ids=lambda s: s["table"])
def test_suite_columns_are_the_tables_or_its_query(con, suite):
    query = suite.get("query") or f"SELECT * FROM {suite['table']}"
    read = {d[0] for d in con.execute(f"SELECT * FROM ({query}) LIMIT 0").description}
    key = next(t.key for t in TABLES if t.name == suite["table"])
    assert key in read
    for e in suite["expectations"]:
        kwargs = e["kwargs"]
        for column in [kwargs.get("column"), *kwargs.get("column_list", [])]:
            assert column is None or column in read, (e["type"], column)


def test_suites_and_models_share_the_key_formats():
    regexes = {
        (s["table"], e["kwargs"]["column"]): e["kwargs"]["regex"]
        for s in load_suites()
        for e in s["expectations"]
        if e["type"] == "expect_column_values_to_match_regex"
    }
    assert regexes[("fact_article", "article_id")] == patterns.ARTICLE_ID
    assert regexes[("dim_person", "name")] == patterns.PERSON_NAME
    article = keys.article_id(keys.file_id("a.txt", "0" * 64), 7)
    assert keys.file_of(article) == article[: keys.FILE_KEY_LENGTH]
    assert len(keys.paragraph_id(article, 1)) == keys.ARTICLE_KEY_LENGTH + 1 + keys.SEQ_DIGITS
