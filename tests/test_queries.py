"""Every query in docs/queries.md runs on the seed warehouse and answers its question."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "queries.md"
QUERIES = re.findall(r"### (\d+)\. (.+?)\n\n```sql\n(.+?)```", DOC.read_text("utf-8"), re.S)
# Questions whose answer on the seed pages may legitimately be empty.
MAY_BE_EMPTY = {
    "Which files and rows were rejected, and why?",
    "Which paragraphs are printed more than once anywhere in the archive?",
}


def test_the_page_holds_at_least_ten_queries():
    assert len(QUERIES) >= 10


@pytest.mark.parametrize(("number", "question", "sql"), QUERIES, ids=[q[0] for q in QUERIES])
def test_query_runs_on_the_seed_warehouse(seeded_warehouse, number, question, sql):
    db, _ = seeded_warehouse
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    if question not in MAY_BE_EMPTY:
        assert rows, f"query {number} ({question}) returned nothing"


def _answer(db: Path, number: str) -> list[tuple]:
    sql = next(q[2] for q in QUERIES if q[0] == number)
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_street_query_finds_the_articles_that_name_it(seeded_warehouse):
    db, _ = seeded_warehouse
    con = duckdb.connect(str(db), read_only=True)
    try:
        expected = {
            t
            for (t,) in con.execute(
                "SELECT title FROM v_article WHERE body LIKE '%光华路街道%'"
            ).fetchall()
        }
    finally:
        con.close()
    assert expected
    assert {row[0] for row in _answer(db, "4")} == expected


def test_reporter_query_counts_every_reporter_byline(seeded_warehouse):
    db, _ = seeded_warehouse
    counts = {}
    for reporter, _, n in _answer(db, "1"):
        counts[reporter] = counts.get(reporter, 0) + n
    assert counts["朱江森"] == 27
    assert counts["王孟鹤"] == 5
