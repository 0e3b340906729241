"""TextRank keywords of loaded articles, ranked in bulk after the ingest.

The ingest ranks every article's keywords by TF-IDF; TextRank (about half the cost of an
ingest's segmentation) runs off that path, over the articles in the warehouse that have no
TextRank keywords yet: their paragraphs are tagged again with jieba's dictionary and a chunk
of articles is ranked at once, with the same words and weights the ingest would give.
"""

from __future__ import annotations

import duckdb

from newsetl.enrich import keywords
from newsetl.language import tokens
from newsetl.warehouse.store import insert_rows, transaction

METHOD = "textrank"
# Articles ranked (and committed) together: about 10 MB of their text held at a time.
CHUNK_ARTICLES = 5000

_UNRANKED = f"""
SELECT a.article_id FROM fact_article a JOIN dim_source_file f USING (file_id)
WHERE f.status = 'current' AND a.n_paragraphs > 0
  AND a.article_id NOT IN (SELECT article_id FROM fact_article_keyword WHERE method = '{METHOD}')
ORDER BY a.article_id
"""


def unranked(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Current articles with a body and no TextRank keywords, in key order."""
    return [aid for (aid,) in con.execute(_UNRANKED).fetchall()]


def rank_articles(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> int:
    """Rank these articles by TextRank and add their keywords; return the rows added."""
    texts = con.execute(
        "SELECT article_id, text FROM fact_paragraph"
        " WHERE article_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY article_id, seq",
        [article_ids],
    ).fetchall()
    tagged: dict[str, list[tuple[str, str]]] = {aid: [] for aid in article_ids}
    for aid, text in texts:
        tagged[aid].extend(tokens.tag(text))
    ranked = keywords.textrank_many(list(tagged.values()))
    rows = [
        {"article_id": aid, "method": METHOD, "rank": rank, "keyword": word, "weight": weight}
        for aid, words in zip(tagged, ranked, strict=True)
        for rank, (word, weight) in enumerate(words, start=1)
    ]
    with transaction(con):
        insert_rows(con, "fact_article_keyword", rows)
    return len(rows)


def rank_unranked(con: duckdb.DuckDBPyConnection, chunk: int = CHUNK_ARTICLES) -> tuple[int, int]:
    """Rank every unranked article, a chunk per transaction; return (articles, rows added).

    An article whose text gives TextRank no words (too short, only stop words) stays
    unranked and is tagged again by the next pass.
    """
    todo = unranked(con)
    added = 0
    for start in range(0, len(todo), chunk):
        added += rank_articles(con, todo[start : start + chunk])
    return len(todo), added
