"""The duplicate tables after a load: exact groups, near-duplicate pairs and repeated spans.

Refreshed from the current pages' paragraphs, with the signatures of `newsetl.enrich.signatures`
and the copies each page holds of itself (`dq_page_copy`, found at load by
`newsetl.enrich.copies`): `dq_duplicate_group`, `dq_duplicate_member`, `dq_near_duplicate`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsetl.enrich.copies import DROPPED_TYPE, EXCERPT_CHARS, page_copies
from newsetl.enrich.signatures import (
    MIN_SIGNED_CHARS,
    NUM_PERM,
    confirmed,
    near_candidates,
    signatures,
)
from newsetl.language.textnorm import normalize_text
from newsetl.tables.keys import group_id
from newsetl.warehouse import store

CHUNK = 10_000  # paragraphs read (and signed) at once
PAGE_CHUNK = 500  # pages read at once
MIN_EXACT_CHARS = 8  # shorter paragraphs (credits, "（完）") repeat by nature
DUPLICATE_TABLES = ("dq_duplicate_member", "dq_duplicate_group", "dq_near_duplicate")
_CURRENT = "fact_paragraph p JOIN dim_source_file f USING (file_id) WHERE f.status = 'current'"
_IN_ORDER = "ORDER BY f.path, p.start_offset, p.paragraph_id"
_PARAGRAPHS_WITH_TEXT = f"""
    SELECT p.paragraph_id, p.article_id, p.file_id, p.start_offset, p.end_offset, p.text
    FROM {_CURRENT} {{where}} {_IN_ORDER}
"""
# One signed paragraph (the smallest id) per normalised text, in id order.
_SIGNED_REPRESENTATIVES = f"""
    SELECT p.paragraph_id, p.article_id, p.file_id, p.minhash
    FROM {_CURRENT} AND p.minhash IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY p.norm_hash ORDER BY p.paragraph_id) = 1
    ORDER BY p.paragraph_id
"""


@dataclass(frozen=True)
class DuplicateCounts:
    """What a refresh found."""

    groups: int
    members: int
    near_pairs: int
    spans: int
    signed: int  # signatures computed by this refresh


# Candidates after the repeated paragraphs (numbered 1..n): the pages' copies of themselves
# (dq_page_copy), every page's dropped blocks before any span, each page's in copy order.
FIRST_COPY_SEQ = 1 << 40
_STAGED = f"""
    CREATE OR REPLACE TEMP TABLE _dup_copies AS
    SELECT {FIRST_COPY_SEQ} + row_number() OVER (
               ORDER BY c.kind = 'span', f.path, c.file_id, c.copy_no) AS seq,
           c.*,
           CASE c.kind WHEN 'span' THEN c.paragraph_id || c.norm_hash ELSE c.norm_hash END
               AS gkey
    FROM dq_page_copy c JOIN dim_source_file f USING (file_id) WHERE f.status = 'current';
    CREATE OR REPLACE TEMP TABLE _dup_staged AS
    SELECT seq, kind, gkey, role, file_id, article_id, paragraph_id, anomaly_id,
           start_offset, end_offset
    FROM _dup_copies;
    CREATE OR REPLACE TEMP TABLE _dup_text AS
    SELECT seq, kind, gkey, group_id, norm_hash, n_chars, excerpt FROM _dup_copies;
    DROP TABLE _dup_copies;
"""
# Every repeated paragraph is a candidate, numbered in path and offset order.
_REPEATED_MEMBERS = f"""
    SELECT row_number() OVER ({_IN_ORDER}) AS seq, 'paragraph' AS kind, p.norm_hash AS gkey,
           'paragraph' AS role, p.file_id, p.article_id, p.paragraph_id,
           NULL::VARCHAR AS anomaly_id, p.start_offset, p.end_offset
    FROM {_CURRENT} AND p.n_chars >= {MIN_EXACT_CHARS}
    QUALIFY count(*) OVER (PARTITION BY p.norm_hash) > 1
"""
# The first copy of each repeated paragraph text, which names and describes its group.
_REPEATED_TEXTS = f"""
    SELECT p.norm_hash, p.text FROM {_CURRENT} AND p.n_chars >= {MIN_EXACT_CHARS}
    QUALIFY count(*) OVER (PARTITION BY p.norm_hash) > 1
        AND row_number() OVER (PARTITION BY p.norm_hash {_IN_ORDER}) = 1
"""
_KEPT = f"""
    CREATE OR REPLACE TEMP TABLE _dup_kept AS
    WITH candidates AS (
        {_REPEATED_MEMBERS}
        UNION ALL BY NAME SELECT * FROM _dup_staged
    ), ranked AS (
        SELECT *,
            row_number() OVER (
                PARTITION BY kind, gkey, file_id, start_offset, end_offset ORDER BY seq
            ) AS place_no,
            row_number() OVER (PARTITION BY kind, gkey, paragraph_id ORDER BY seq) AS para_no,
            row_number() OVER (PARTITION BY kind, gkey, anomaly_id ORDER BY seq) AS anomaly_no
        FROM candidates
    ), kept AS (
        SELECT * EXCLUDE (place_no, para_no, anomaly_no) FROM ranked
        WHERE place_no = 1 AND (role = 'span' OR (
            (paragraph_id IS NULL OR para_no = 1) AND (anomaly_id IS NULL OR anomaly_no = 1)))
    ), sized AS (
        SELECT *, count(*) OVER (PARTITION BY kind, gkey) AS n_members FROM kept
    ), opening AS (
        SELECT * FROM _dup_text
        QUALIFY row_number() OVER (PARTITION BY kind, gkey ORDER BY seq) = 1
    )
    SELECT s.*, o.group_id, o.norm_hash, o.n_chars, o.excerpt, f.path
    FROM sized s JOIN opening o USING (kind, gkey) JOIN dim_source_file f USING (file_id)
    WHERE s.n_members >= 2
"""
_INSERT_GROUPS = """
    INSERT INTO dq_duplicate_group
    SELECT group_id, kind,
        CASE WHEN kind = 'span' THEN 'paragraph'
             WHEN count(DISTINCT file_id) > 1 THEN 'warehouse'
             WHEN count(DISTINCT article_id) <= 1 THEN 'article'
             ELSE 'page' END,
        any_value(norm_hash), count(*), count(DISTINCT article_id), count(DISTINCT file_id),
        any_value(n_chars), any_value(excerpt)
    FROM _dup_kept GROUP BY kind, gkey, group_id ORDER BY kind, gkey
"""
_INSERT_MEMBERS = """
    INSERT INTO dq_duplicate_member
    SELECT group_id,
        row_number() OVER (
            PARTITION BY kind, gkey ORDER BY path, start_offset, end_offset, seq
        ) AS member_no,
        role, file_id, article_id, paragraph_id, anomaly_id, start_offset, end_offset
    FROM _dup_kept ORDER BY kind, gkey, member_no
"""


def _fill_page_copies(con) -> int:
    """Find the copies of current pages loaded before loads found them; return how many
    pages (a warehouse made before `dq_page_copy` lists its pages in dq_page_copy_pending)."""
    pending = [
        fid
        for (fid,) in con.execute(
            "SELECT file_id FROM dq_page_copy_pending JOIN dim_source_file f USING (file_id) "
            "WHERE f.status = 'current' ORDER BY file_id"
        ).fetchall()
    ]
    for at in range(0, len(pending), PAGE_CHUNK):
        chunk = [pending[at : at + PAGE_CHUNK]]
        pages = store.dict_rows(con, _PAGES, chunk)
        paras = store.dict_rows(con, _PAGE_PARAGRAPHS, chunk)
        dropped = store.dict_rows(con, _PAGE_DROPPED, chunk)
        store.insert_rows(con, "dq_page_copy", page_copies(pages, paras, dropped))
    if pending:
        con.execute("DELETE FROM dq_page_copy_pending WHERE file_id = ANY(?)", [pending])
    return len(pending)


# Filters DuckDB pushes into the scan, so only the listed pages' text is decompressed
# (`list_contains` in the filter decompressed every page's: 1.2 s against 0.05 s per 500
# pages at 100 MB).
_PAGES = "SELECT file_id, raw_text FROM dim_source_file WHERE file_id = ANY(?)"
_PAGE_PARAGRAPHS = (
    "SELECT paragraph_id, article_id, file_id, start_offset, end_offset, text "
    "FROM fact_paragraph WHERE file_id = ANY(?)"
)
_PAGE_DROPPED = (
    "SELECT anomaly_id, file_id, article_id, type, start_offset, end_offset FROM dq_anomaly "
    f"WHERE file_id = ANY(?) AND type = '{DROPPED_TYPE}'"
)


def _by_key(con, sql: str, keys: list[str]) -> dict[str, str]:
    """Rows of a two-column query over a list of keys, as a dict (none for no keys)."""
    return dict(con.execute(sql, [keys]).fetchall()) if keys else {}


def _fill_signatures(con) -> int:
    """Sign the current paragraphs loaded without a signature (loads sign them); return how many."""
    import pyarrow as pa

    ids, sigs = [], []
    where = f"AND p.minhash IS NULL AND p.n_chars >= {MIN_SIGNED_CHARS}"
    reader = con.sql(_PARAGRAPHS_WITH_TEXT.format(where=where)).fetch_arrow_reader(CHUNK)
    for chunk in reader:  # bounded memory: a chunk of text at a time
        signed = signatures(chunk.column("text").to_pylist())
        for pid, sig in zip(chunk.column("paragraph_id").to_pylist(), signed, strict=True):
            if sig is not None:
                ids.append(pid)
                sigs.append(sig)
    if ids:
        con.register(
            "_sigs", pa.table({"paragraph_id": ids, "minhash": pa.array(sigs, pa.binary())})
        )
        con.execute(
            "UPDATE fact_paragraph SET minhash = s.minhash FROM _sigs s "
            "WHERE fact_paragraph.paragraph_id = s.paragraph_id"
        )
        con.unregister("_sigs")
    return len(ids)


def _near_rows(con) -> list[dict]:
    """Near-duplicate pairs of signed paragraphs, one copy (smallest id) per normalised hash.

    Only the signatures are read for all of them; texts only for the candidate pairs.
    """
    reps = con.sql(_SIGNED_REPRESENTATIVES).to_arrow_table()
    matrix = np.frombuffer(b"".join(reps.column("minhash").to_pylist()), dtype=np.uint32)
    pairs, estimates = near_candidates(matrix.reshape(reps.num_rows, NUM_PERM))
    ids = reps.column("paragraph_id").to_pylist()
    needed = np.unique(pairs).tolist()
    text_of = _by_key(
        con,
        "SELECT paragraph_id, text FROM fact_paragraph WHERE paragraph_id IN (SELECT unnest(?))",
        [ids[i] for i in needed],
    )
    texts = {i: text_of[ids[i]] for i in needed}
    files, articles = reps.column("file_id").to_pylist(), reps.column("article_id").to_pylist()
    rows = []
    for pair in confirmed(pairs, estimates, texts):  # a < b, so paragraph_a < paragraph_b
        a, b = pair.a, pair.b
        scope = (
            "warehouse"
            if files[a] != files[b]
            else "article"
            if articles[a] == articles[b]
            else "page"
        )
        rows.append(
            {
                "paragraph_a": ids[a],
                "paragraph_b": ids[b],
                "scope": scope,
                "similarity": pair.similarity,
                "estimate": pair.estimate,
            }
        )
    return sorted(rows, key=lambda r: (r["paragraph_a"], r["paragraph_b"]))


def _add_repeated_texts(con) -> None:
    """Name and describe the group of each repeated paragraph text (its members stay in SQL)."""
    rows = []
    for chunk in con.sql(_REPEATED_TEXTS).fetch_arrow_reader(CHUNK):
        for norm_hash, text in zip(*chunk.to_pydict().values(), strict=True):
            norm = normalize_text(text)
            rows.append(
                {
                    "seq": 0,
                    "kind": "paragraph",
                    "gkey": norm_hash,
                    "group_id": group_id("paragraph", norm_hash),
                    "norm_hash": norm_hash,
                    "n_chars": len(norm),
                    "excerpt": norm[:EXCERPT_CHARS],
                }
            )
    store.insert_rows(con, "_dup_text", rows)  # once the reader is drained


def refresh(con) -> DuplicateCounts:
    """Recompute the duplicate tables from the current files, in one transaction.

    The result depends only on the current warehouse content: a re-run over unchanged data
    writes identical rows. Paragraph text is read a chunk at a time, or only where needed.
    """
    with store.transaction(con):
        signed = _fill_signatures(con)
        _fill_page_copies(con)
        con.execute(_STAGED)
        _add_repeated_texts(con)
        [(n_spans,)] = con.execute(
            "SELECT count(*) // 2 FROM _dup_staged WHERE kind = 'span'"
        ).fetchall()
        near = _near_rows(con)
        for name in DUPLICATE_TABLES:
            con.execute(f"DELETE FROM {name}")
        con.execute(_KEPT)
        con.execute(_INSERT_GROUPS)
        con.execute(_INSERT_MEMBERS)
        store.insert_rows(con, "dq_near_duplicate", near)
        n_groups, n_members = con.execute(
            "SELECT count(DISTINCT group_id), count(*) FROM _dup_kept"
        ).fetchone()
        con.execute("DROP TABLE _dup_kept; DROP TABLE _dup_staged; DROP TABLE _dup_text")
    return DuplicateCounts(n_groups, n_members, len(near), n_spans, signed)
