"""End to end: the real ingest flow on the seed pages into a real DuckDB file."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from newsetl.orchestration.ingest import ingest
from newsetl.warehouse import store
from tests.conftest import count, rows
from tests.test_decode import PAGE, TRADITIONAL

GOLD_ITEMS = 41


def test_seed_run_loads_every_item(seeded_warehouse):
    db, summary = seeded_warehouse
    assert summary["status"] == "completed"
    assert summary["counts"]["loaded"] == 5
    assert count(db, "SELECT count(*) FROM dim_source_file WHERE status = 'current'") == 5
    assert count(db, "SELECT count(*) FROM fact_article") == GOLD_ITEMS
    assert count(db, "SELECT count(*) FROM fact_paragraph") > GOLD_ITEMS
    assert count(db, "SELECT count(*) FROM dq_result") > 0
    assert count(db, "SELECT count(*) FROM etl_run WHERE status = 'completed'") == 1
    assert (db.parent / "reports" / "index.html").stat().st_size > 1000


def test_no_orphan_keys(seeded_warehouse):
    db, _ = seeded_warehouse
    orphans = """
        SELECT (SELECT count(*) FROM fact_paragraph p ANTI JOIN fact_article a USING (article_id))
             + (SELECT count(*) FROM bridge_article_person b ANTI JOIN dim_person USING (person_id))
             + (SELECT count(*) FROM fact_article a ANTI JOIN dim_source_file USING (file_id))
             + (SELECT count(*) FROM fact_article a ANTI JOIN dim_date d USING (date_key)
                WHERE a.date_key IS NOT NULL)
    """
    assert count(db, orphans) == 0


def test_rerun_changes_no_data_table(seeded_warehouse, tmp_path):
    db, _ = seeded_warehouse
    copy = tmp_path / "news.duckdb"
    copy.write_bytes(db.read_bytes())

    def snapshot() -> dict[str, str]:
        con = duckdb.connect(str(copy), read_only=True)
        try:
            return {
                t: json.dumps(
                    con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall(), default=str
                )
                for t in store.DATA_TABLES
            }
        finally:
            con.close()

    before = snapshot()
    from tests.conftest import SEEDS

    summary = ingest(seeds=str(SEEDS), db=str(copy), reports=str(tmp_path / "reports"))
    assert summary["counts"]["unchanged"] == 5
    assert summary["counts"].get("loaded", 0) == 0
    assert snapshot() == before
    assert count(copy, "SELECT count(*) FROM etl_run") == 2
    # Nothing changed since the report was written: it stands, as the checks do.
    index = Path(summary["report"])
    written = index.stat().st_mtime_ns
    again = ingest(seeds=str(SEEDS), db=str(copy), reports=str(tmp_path / "reports"))
    assert again["report"] == summary["report"]
    assert index.stat().st_mtime_ns == written
    assert again["checks"]["dq_run_id"] == summary["checks"]["dq_run_id"]


def test_pages_are_loaded_in_their_own_encoding_or_quarantined(
    prefect_server, seeds_copy, tmp_path
):
    (seeds_copy / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    (seeds_copy / "utf32.txt").write_bytes(PAGE.encode("utf-32"))
    japanese = "今日はとても良い天気ですね。明日は雨が降るそうです。図書館へ行きましょう。"
    (seeds_copy / "sjis.txt").write_bytes(japanese.encode("shift_jis"))
    db = tmp_path / "wh" / "news.duckdb"
    summary = ingest(seeds=str(seeds_copy), db=str(db), reports=str(tmp_path / "reports"))
    assert summary["counts"]["loaded"] == 7 and summary["counts"]["quarantined"] == 1
    assert rows(
        db, "SELECT path, encoding, raw_text FROM dim_source_file WHERE path IN (?, ?) ORDER BY 1",
        ["big5.txt", "utf32.txt"],
    ) == [("big5.txt", "big5", TRADITIONAL), ("utf32.txt", "utf-32", PAGE)]  # fmt: skip
    assert rows(
        db,
        "SELECT title FROM fact_article JOIN dim_source_file USING (file_id) WHERE path = ?",
        ["big5.txt"],
    ) == [("社區服務中心舉行開放日活動",)]
    (reason,) = rows(db, "SELECT reason FROM quarantine WHERE path = 'sjis.txt'")[0]
    assert "not plausible Chinese in GB18030 or Big5" in reason
