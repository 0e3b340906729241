"""Great Expectations suites on the seeded warehouse: results, severities, Data Docs."""

from __future__ import annotations

import duckdb
import pytest

from newsetl.checks import suites

TABLES = {
    "dim_source_file", "dim_date", "dim_person", "dim_entity", "fact_article", "fact_paragraph",
    "fact_article_keyword", "bridge_article_person", "bridge_article_entity", "dq_anomaly",
    "dq_page_copy",
}  # fmt: skip


def test_one_suite_per_table_with_severities():
    loaded = suites.load_suites()
    assert {s["table"] for s in loaded} == TABLES
    for s in loaded:
        assert {e["severity"] for e in s["expectations"]} <= {"error", "warning"}
        assert any(e["severity"] == "error" for e in s["expectations"]), s["table"]


@pytest.fixture(scope="module")
def checked(seeded_warehouse, tmp_path_factory):
    db, _ = seeded_warehouse
    copy = tmp_path_factory.mktemp("checked") / "news.duckdb"
    copy.write_bytes(db.read_bytes())
    return copy, suites.run_checks(copy, "test-run")


def test_checks_find_the_seed_anomalies_as_warnings(checked):
    _, summary = checked
    failed = {(r["suite"], r["description"]) for r in summary.failed}
    assert ("fact_paragraph", "no paragraph is printed twice (any page, any day)") in failed
    assert ("dq_anomaly", "no block is printed twice") in failed
    assert summary.error_failures == [], summary.error_failures
    assert summary.errors == []


def test_results_are_stored_for_trends(checked):
    db, summary = checked
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE NOT success) FROM dq_result "
            "WHERE dq_run_id = ?",
            [summary.dq_run_id],
        ).fetchone()
        counts = dict(
            con.execute(
                "SELECT type, n FROM dq_anomaly_count WHERE dq_run_id = ?", [summary.dq_run_id]
            ).fetchall()
        )
    finally:
        con.close()
    assert stored == (len(summary.results), len(summary.failed))
    assert counts["duplicated_block"] == 2
    assert counts["duplicate_group_article"] >= 1


def test_error_failures_fail_the_run_unless_switched_off(checked, monkeypatch):
    _, summary = checked
    broken = suites.CheckSummary("x", [dict(summary.results[0], success=False, severity="error")])
    assert broken.fail_on_error and len(broken.errors) == 1
    monkeypatch.setenv(suites.FAIL_ON_ERROR_ENV, "0")
    relaxed = suites.CheckSummary("x", broken.results)
    assert relaxed.errors == [] and len(relaxed.error_failures) == 1
    warning = suites.CheckSummary("x", [dict(summary.results[0], success=False)])
    warning.results[0]["severity"] = "warning"
    assert warning.errors == []


def test_an_error_level_failure_marks_the_stored_run(seeded_warehouse, tmp_path):
    db, _ = seeded_warehouse
    copy = tmp_path / "news.duckdb"
    copy.write_bytes(db.read_bytes())
    con = duckdb.connect(str(copy))
    con.execute("UPDATE dim_source_file SET n_chars = n_chars + 1 WHERE path LIKE '000%'")
    con.close()
    summary = suites.run_checks(copy, "broken", fail_on_error=True)
    assert [r["description"] for r in summary.errors] == ["n_chars is the length of the raw text"]
    relaxed = suites.run_checks(copy, "broken-again", fail_on_error=False)
    assert relaxed.errors == [] and len(relaxed.error_failures) == 1


def test_chunked_checks_sum_to_the_whole_table_results(seeded_warehouse, tmp_path):
    """Tables validated a few rows at a time give the results of one whole-table validation,
    uniqueness included: rows that share a key are validated together."""
    db, _ = seeded_warehouse
    copy = tmp_path / "news.duckdb"
    copy.write_bytes(db.read_bytes())
    con = duckdb.connect(str(copy))  # three paragraphs loaded twice: their keys repeat
    con.execute("INSERT INTO fact_paragraph SELECT * FROM fact_paragraph USING SAMPLE 3 ROWS")
    con.close()
    whole = suites.run_checks(copy, "whole", fail_on_error=False)
    chunked = suites.run_checks(copy, "chunked", fail_on_error=False, chunk_rows=60)
    fields = ("suite", "expectation", "column", "success", "element_count", "unexpected_count")
    assert [[r[f] for f in fields] for r in chunked.results] == [
        [r[f] for f in fields] for r in whole.results
    ]
    repeated = [r for r in whole.results if r["column"] == "paragraph_id" and not r["success"]]
    assert [r["unexpected_count"] for r in repeated] == [6]
    assert any(r["element_count"] > 60 for r in whole.results)


def test_chunks_never_split_a_key():
    con = duckdb.connect()
    result = con.execute("SELECT i // 7 AS k, i FROM range(1000) t(i) ORDER BY k, i")
    frames = list(suites._chunks(result, 30, ["k"]))
    assert sum(map(len, frames)) == 1000
    assert all(len(f) <= 30 for f in frames)
    seen: set[int] = set()
    for f in frames:
        assert seen.isdisjoint(f["k"])
        seen.update(f["k"])
    empty = con.execute("SELECT 1 AS k WHERE false")
    assert [len(f) for f in suites._chunks(empty, 30, ["k"])] == [0]
