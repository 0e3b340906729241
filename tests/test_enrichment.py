"""jieba enrichment in the warehouse: user dictionary, keywords with weights, names."""

from __future__ import annotations

import shutil

import duckdb
import jieba.analyse

from newsetl.enrich import keywords
from newsetl.language import tokens
from newsetl.parsing import parse_file
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
    assert methods == {"tfidf": 41}  # TextRank runs after the ingest (below)
    assert {"光华路街道", "焦庄村", "大营村"} <= places
    assert {"张伟", "芦长平"} <= people
    assert tokens > 10_000


def test_textrank_after_the_ingest_ranks_what_the_ingest_would(seeded_warehouse, tmp_path):
    from newsetl.orchestration.maintenance import rank_textrank

    source, _ = seeded_warehouse
    db = tmp_path / "news.duckdb"
    shutil.copyfile(source, db)
    result = rank_textrank(db=str(db), reports=str(tmp_path / "reports"))
    con = duckdb.connect(str(db), read_only=True)
    try:
        got = {}
        for aid, word, weight in con.execute(
            "SELECT article_id, keyword, weight FROM fact_article_keyword"
            " WHERE method = 'textrank' ORDER BY article_id, rank"
        ).fetchall():
            got.setdefault(aid, []).append((word, weight))
        titles = dict(con.execute("SELECT article_id, title FROM fact_article").fetchall())
        tfidf = con.execute(
            "SELECT count(*) FROM fact_article_keyword WHERE method = 'tfidf'"
        ).fetchone()[0]
    finally:
        con.close()
    # The same words and weights as TextRank on each parsed article's tagged paragraphs.
    expected = {}
    for page_file in sorted(SEEDS.glob("*.txt")):
        for item in parse_file(page_file).items:
            tagged = [t for p in item.paragraphs for t in tokens.tag(p.text)]
            if ranked := keywords.textrank(tagged):
                expected[(item.title, ranked[0][0])] = ranked
    assert len(got) >= 35 and result["keywords"] == sum(map(len, got.values()))
    assert {(titles[aid], words[0][0]): words for aid, words in got.items()} == expected
    assert result["checks"]["checks"] > 0 and tfidf > 0
    # A second pass finds only the articles TextRank gives no words and adds nothing.
    again = rank_textrank(db=str(db), reports=str(tmp_path / "reports"))
    assert again["keywords"] == 0 and again["articles"] == result["articles"] - len(got)
