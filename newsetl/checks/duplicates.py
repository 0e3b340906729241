"""The duplicate tables after a load: exact groups, near-duplicate pairs and repeated spans.

Refreshed from the current pages' paragraphs with the signatures of `newsetl.enrich.signatures`:
`dq_duplicate_group`, `dq_duplicate_member`, `dq_near_duplicate`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from newsetl.enrich.signatures import (
    MIN_SIGNED_CHARS,
    NUM_PERM,
    RepeatedSpan,
    confirmed,
    near_candidates,
    repeated_spans,
    signatures,
)
from newsetl.language.textnorm import normalize_text
from newsetl.warehouse import store

CHUNK = 10_000  # paragraphs read (and signed) at once
PAGE_CHUNK = 500  # page texts read at once
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
_DROPPED_COPIES = """
    SELECT an.file_id, an.anomaly_id, an.article_id, an.start_offset, an.end_offset
    FROM dq_anomaly an JOIN dim_source_file f USING (file_id)
    WHERE f.status = 'current' AND an.type = 'duplicated_block'
    ORDER BY f.path, an.start_offset
"""
# A filter DuckDB pushes into the scan, so only the listed pages' text is decompressed
# (`list_contains` in the filter decompressed every page's: 1.2 s against 0.05 s per 500
# pages at 100 MB).
_RAW_TEXTS = "SELECT file_id, raw_text FROM dim_source_file WHERE file_id = ANY(?)"


@dataclass(frozen=True)
class DuplicateCounts:
    """What a refresh found."""

    groups: int
    members: int
    near_pairs: int
    spans: int
    signed: int  # signatures computed by this refresh


def _key(*parts: str) -> str:
    import hashlib

    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:16]


def _sha1(norm: str) -> str:
    import hashlib

    return hashlib.sha1(norm.encode("utf-8")).hexdigest()


_normal_char = cache(normalize_text)


def _normal_map(raw: str) -> tuple[str, np.ndarray]:
    """The normalised text of a page and the raw offset of each of its characters.

    Each distinct character is normalised once (into none, one or more characters); the
    page is then mapped in numpy.
    """
    table = {c: _normal_char(c) for c in set(raw)}
    chars = np.array([ord(c) for c in table], dtype=np.uint32)
    order = np.argsort(chars)
    pool = np.frombuffer("".join(table.values()).encode("utf-32-le"), np.uint32)
    sizes = np.fromiter(map(len, table.values()), np.int64, len(table))
    starts, sizes = (np.cumsum(sizes) - sizes)[order], sizes[order]
    at = np.searchsorted(chars[order], np.frombuffer(raw.encode("utf-32-le"), np.uint32))
    n = sizes[at]
    offsets = np.repeat(np.arange(len(raw), dtype=np.int64), n)
    within = np.arange(len(offsets)) - np.repeat(np.cumsum(n) - n, n)
    return pool[np.repeat(starts[at], n) + within].tobytes().decode("utf-32-le"), offsets


class _Staging:
    """Candidate group members, staged in DuckDB a chunk at a time.

    Members are grouped by kind and key (the normalised-text hash, prefixed for spans by
    their paragraph). Each candidate gets a sequence number; `_KEPT` then keeps, per group,
    the first candidate at each place and, for copies, the first holding each paragraph or
    anomaly. The group's text comes from its first candidate.
    """

    FIRST_SEQ = 1 << 40  # after the sequence numbers of the repeated paragraphs

    def __init__(self, con) -> None:
        self.con = con
        self.seq = self.FIRST_SEQ
        self.members: list[dict] = []
        self.texts: list[dict] = []
        con.execute(_STAGING_TABLES)

    def add(self, kind: str, norm_hash: str, text: str, member: dict, scope_key: str = "") -> None:
        self.seq += 1
        gkey = scope_key + norm_hash
        self.members.append({"seq": self.seq, "kind": kind, "gkey": gkey, **member})
        self.text(kind, gkey, norm_hash, text, self.seq)

    def text(self, kind: str, gkey: str, norm_hash: str, text: str, seq: int = 0) -> None:
        self.texts.append(
            {
                "seq": seq,
                "kind": kind,
                "gkey": gkey,
                "group_id": "g" + _key(kind, gkey),
                "norm_hash": norm_hash,
                "n_chars": len(text),
                "excerpt": text[:80],
            }
        )

    def flush(self) -> None:
        """Move the staged rows into DuckDB."""
        for table, rows in (("_dup_staged", self.members), ("_dup_text", self.texts)):
            store.insert_rows(self.con, table, rows)
            rows.clear()


_STAGING_TABLES = """
    CREATE OR REPLACE TEMP TABLE _dup_staged (
        seq BIGINT, kind VARCHAR, gkey VARCHAR, role VARCHAR, file_id VARCHAR,
        article_id VARCHAR, paragraph_id VARCHAR, anomaly_id VARCHAR,
        start_offset INTEGER, end_offset INTEGER);
    CREATE OR REPLACE TEMP TABLE _dup_text (
        seq BIGINT, kind VARCHAR, gkey VARCHAR, group_id VARCHAR, norm_hash VARCHAR,
        n_chars INTEGER, excerpt VARCHAR);
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


def _member(role: str, p: dict | None, file_id: str, start: int, end: int, **extra) -> dict:
    return {
        "role": role,
        "file_id": file_id,
        "article_id": extra.get("article_id", p["article_id"] if p else None),
        "paragraph_id": p["paragraph_id"] if p else None,
        "anomaly_id": extra.get("anomaly_id"),
        "start_offset": start,
        "end_offset": end,
    }


def _kept_copy(text: str, norm: str, offsets: np.ndarray, dropped: list[tuple[int, int]]):
    """(start, end, normalised text) of the first copy of dropped `text` left in the page."""
    candidates = [text]
    if len(text) > 2 and text[0] == text[1]:
        candidates.append(text[1:])  # the copy began with a character repeated at a break
    for target in candidates:
        at = norm.find(target)
        while at >= 0:
            start, end = int(offsets[at]), int(offsets[at + len(target) - 1]) + 1
            if not any(s < end and start < e for s, e in dropped):
                return start, end, target
            at = norm.find(target, at + 1)
    return None


def _add_dropped(groups: _Staging, con) -> None:
    """Group each copy the parser dropped with the copy it kept, a chunk of pages at a time."""
    by_page: dict[str, list[dict]] = {}
    for copy in store.dict_rows(con, _DROPPED_COPIES):
        by_page.setdefault(copy["file_id"], []).append(copy)
    files = list(by_page)
    for at in range(0, len(files), PAGE_CHUNK):
        chunk = files[at : at + PAGE_CHUNK]
        raw = _by_key(con, _RAW_TEXTS, chunk)
        by_file: dict[str, list[dict]] = {}
        for p in store.dict_rows(
            con, _PARAGRAPHS_WITH_TEXT.format(where="AND file_id IN (SELECT unnest(?))"), [chunk]
        ):
            by_file.setdefault(p["file_id"], []).append(p)
        for fid in chunk:
            _add_page_dropped(groups, fid, by_page[fid], raw.pop(fid), by_file.get(fid, []))
        groups.flush()


def _add_page_dropped(
    groups: _Staging, fid: str, copies: list[dict], raw: str, paras: list[dict]
) -> None:
    """Group the dropped copies of one page with the copies it kept."""
    norm, offsets = _normal_map(raw)
    dropped = [(c["start_offset"], c["end_offset"]) for c in copies]
    for copy in copies:
        start, end = copy["start_offset"], copy["end_offset"]
        n0, n1 = np.searchsorted(offsets, [start, end]).tolist()
        kept = _kept_copy(norm[n0:n1], norm, offsets, dropped)
        if kept is not None:
            ks, ke, text = kept
            holder = next((p for p in paras if p["start_offset"] <= ks < p["end_offset"]), None)
            kept_member = _member("paragraph", holder, fid, ks, ke)
        else:  # a near copy: the most similar paragraph of the page kept it
            from difflib import SequenceMatcher

            text = norm[n0:n1]
            holder = max(
                paras,
                key=lambda p: (
                    SequenceMatcher(None, text, normalize_text(p["text"])).find_longest_match().size
                ),
                default=None,
            )
            if holder is None:
                continue
            kept_member = _member(
                "paragraph", holder, fid, holder["start_offset"], holder["end_offset"]
            )
            text = normalize_text(holder["text"])
        owner = copy["article_id"] or kept_member["article_id"]
        dropped_member = _member(
            "dropped", None, fid, start, end, article_id=owner, anomaly_id=copy["anomaly_id"]
        )
        key = _sha1(text)
        groups.add("paragraph", key, text, kept_member)
        groups.add("paragraph", key, text, dropped_member)


def _add_spans(groups: _Staging, con) -> int:
    """Group the two copies of every long span repeated inside a paragraph."""
    found: list[tuple[dict, RepeatedSpan]] = []
    reader = con.sql(_PARAGRAPHS_WITH_TEXT.format(where="")).fetch_arrow_reader(CHUNK)
    for chunk in reader:  # the paragraphs' text a chunk at a time
        paras = chunk.to_pylist()
        found += [(paras[s.index], s) for s in repeated_spans([p["text"] for p in paras])]
    for at in range(0, len(found), CHUNK):
        spans = found[at : at + CHUNK]
        raw = _by_key(con, _RAW_TEXTS, sorted({p["file_id"] for p, _ in spans}))
        for p, s in spans:
            _add_span(groups, p, s, raw[p["file_id"]])
        groups.flush()
    return len(found)


def _add_span(groups: _Staging, p: dict, s: RepeatedSpan, page: str) -> None:
    """Group the two copies of one repeated span, placed in the page where they are found."""
    text = p["text"][s.first : s.first + s.length]
    r1 = page.find(text, p["start_offset"], p["end_offset"])
    r2 = page.find(text, r1 + len(text), p["end_offset"]) if r1 >= 0 else -1
    for r in (r1, r2):
        start, end = (r, r + len(text)) if r >= 0 else (p["start_offset"], p["end_offset"])
        groups.add(
            "span",
            _sha1(normalize_text(text)),
            text,
            _member("span", p, p["file_id"], start, end),
            p["paragraph_id"],
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


def _add_repeated_texts(groups: _Staging, con) -> None:
    """Name and describe the group of each repeated paragraph text (its members stay in SQL)."""
    for chunk in con.sql(_REPEATED_TEXTS).fetch_arrow_reader(CHUNK):
        for norm_hash, text in zip(*chunk.to_pydict().values(), strict=True):
            groups.text("paragraph", norm_hash, norm_hash, normalize_text(text))
    groups.flush()  # once the reader is drained: one row per group


def refresh(con) -> DuplicateCounts:
    """Recompute the duplicate tables from the current files, in one transaction.

    The result depends only on the current warehouse content: a re-run over unchanged data
    writes identical rows. Paragraph text is read a chunk at a time, or only where needed.
    """
    with store.transaction(con):
        signed = _fill_signatures(con)
        groups = _Staging(con)
        _add_repeated_texts(groups, con)
        _add_dropped(groups, con)
        n_spans = _add_spans(groups, con)
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
