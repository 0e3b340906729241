"""jieba enrichment in the warehouse: user dictionary, keywords with weights, names."""

from __future__ import annotations

import duckdb
import jieba.analyse

from newsetl.enrich import keywords
from newsetl.language import tokens
from tests.conftest import SEEDS


def test_user_dictionary_keeps_local_names_whole():
    text = "家住东环路街道东联北社区的刘和平说,焦庄村和光华路街道都在卫东区。"
    words = tokens.cut(text)
    for name in ("东环路街道", "东联北社区", "焦庄村", "光华路街道"):
        assert name in words
    assert tokens.jieba_tokenizer().lcut(text) == words


def test_tfidf_equals_jiebas_extract_tags():
    text = (SEEDS / "000_ce01c7f7b77b431d.txt").read_text(encoding="utf-8")[:3000]
    ours = keywords.tfidf(tokens.cut(text), top_k=10)
    extractor = jieba.analyse.TFIDF()
    extractor.tokenizer = tokens.jieba_tokenizer()
    theirs = extractor.extract_tags(text, topK=10, withWeight=True)
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    for (_, a), (_, b) in zip(ours, theirs, strict=True):
        assert abs(a - b) < 1e-9


def test_warehouse_holds_keywords_and_names(seeded_warehouse):
    db, _ = seeded_warehouse
    con = duckdb.connect(str(db), read_only=True)
    try:
        methods = dict(
            con.execute(
                "SELECT method, count(DISTINCT article_id) FROM fact_article_keyword GROUP BY 1"
            ).fetchall()
        )
        places = {
            n
            for (n,) in con.execute(
                "SELECT name FROM dim_entity WHERE entity_type = 'place'"
            ).fetchall()
        }
        people = {
            n
            for (n,) in con.execute(
                "SELECT name FROM dim_entity WHERE entity_type = 'person'"
            ).fetchall()
        }
        tokens = con.execute("SELECT sum(n_tokens) FROM fact_paragraph").fetchone()[0]
    finally:
        con.close()
    assert methods["tfidf"] == 41 and methods["textrank"] >= 35
    assert {"光华路街道", "焦庄村", "大营村"} <= places
    assert {"张伟", "芦长平"} <= people
    assert tokens > 10_000
