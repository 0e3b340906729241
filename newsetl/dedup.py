"""Duplicate detection: exact groups, MinHash near-duplicate pairs and repeated spans.

Signatures are one-permutation MinHash over character 5-grams of the normalised text, computed
for whole batches with numpy (one hash per 5-gram, binned, minimum per bin, empty bins filled
by rotation), so no Python code runs per character. Candidate pairs come from the banding of
datasketch's `MinHashLSH`, with each text paired with at most MAX_CANDIDATES neighbours per
band; a candidate whose signatures agree on fewer than MIN_ESTIMATE of their bins is dropped,
and the rest are confirmed by the exact Jaccard similarity of their 5-gram sets (each text's
set built once). Exact copies (same normalised hash) are searched once, through the copy with
the smallest paragraph id: their other copies are reported by the exact group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from newsetl import warehouse
from newsetl.textnorm import normalize_text

NUM_PERM = 64  # bins of a signature
SHINGLE = 5  # characters per shingle
MIN_SIGNED_CHARS = 30  # shorter paragraphs get no signature
CHUNK = 10_000  # paragraphs read (and signed) at once
PAGE_CHUNK = 500  # page texts read at once
NEAR_THRESHOLD = 0.8  # Jaccard similarity of 5-gram sets
MIN_SPAN_CHARS = 20  # a repeated span inside a paragraph at least this long
SPAN_GRAM = 8  # characters per gram when looking for repeated spans
SEED = 1  # the LeanMinHash seed recorded with the signatures
MAX_CANDIDATES = 16  # neighbours (next in index order) each text is paired with in one band
MIN_ESTIMATE = 0.5  # signature agreement below which a candidate is not confirmed (6 sigma)

_EMPTY = np.uint32(0xFFFFFFFF)
_BIN_SHIFT = np.uint64(64 - int(np.log2(NUM_PERM)))
_LOW32 = np.uint64(0xFFFFFFFF)
_MUL = np.uint64(0x100000001B3)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_ROTATE = 0x9E3779B1
_SPACES = np.array(
    [0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000],
    dtype=np.uint32,
)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads every input bit over the whole word."""
    h = h ^ (h >> np.uint64(30))
    h = h * _MIX1
    h = h ^ (h >> np.uint64(27))
    h = h * _MIX2
    return h ^ (h >> np.uint64(31))


def _code_points(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Code points of the concatenated texts and the length of each text."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    return np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32), lengths


def _folded(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Code points and lengths of the texts with full-width ASCII folded, whitespace removed.

    The numpy counterpart of `textnorm.normalize_text` for signatures (NFKC in Python is the
    slowest step otherwise); it folds what newspaper text needs folded.
    """
    cps, lengths = _code_points(texts)
    wide = (cps >= 0xFF01) & (cps <= 0xFF5E)
    cps = np.where(wide, cps - np.uint32(0xFEE0), cps)
    keep = (cps > 0x20) & ~np.isin(cps, _SPACES)
    owner = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
    return cps[keep], np.bincount(owner[keep], minlength=len(texts)).astype(np.int64)


def _grams(cps: np.ndarray, lengths: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every k-gram inside each text, and the index of the text of each gram."""
    counts = np.maximum(lengths - k + 1, 0)
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(lengths), dtype=np.int32), counts)
    n = len(cps) - k + 1
    if total == 0 or n <= 0:
        return np.zeros(0, dtype=np.uint64), owner
    wide = cps.astype(np.uint64)
    h = wide[:n].copy()
    for j in range(1, k):
        h *= _MUL
        h += wide[j : j + n]
    # Grams that run past the end of their text are dropped.
    valid = np.ones(n, dtype=bool)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    for j in range(1, k):
        last = ends - j
        last = last[(last >= starts) & (last < n)]
        valid[last] = False
    return _mix(h[valid]), owner


def _signature_matrix(cps: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """(texts, NUM_PERM) uint32 signatures of folded texts' 5-grams."""
    h, owner = _grams(cps, lengths, SHINGLE)
    sig = np.full(len(lengths) * NUM_PERM, _EMPTY, dtype=np.uint32)
    bins = owner.astype(np.int64) * NUM_PERM + (h >> _BIN_SHIFT).astype(np.int64)
    np.minimum.at(sig, bins, (h & _LOW32).astype(np.uint32))
    sig = sig.reshape(len(lengths), NUM_PERM)
    filled = sig.copy()
    for t in range(1, NUM_PERM):  # rotation densification: borrow from the next full bin
        hole = filled == _EMPTY
        if not hole.any():
            break
        donor = np.roll(sig, -t, axis=1)
        take = hole & (donor != _EMPTY)
        filled[take] = donor[take] + np.uint32(t * _ROTATE & 0xFFFFFFFF)
    return filled


def signatures(texts: Sequence[str]) -> list[bytes | None]:
    """Signature bytes of each text (None below MIN_SIGNED_CHARS normalised characters)."""
    cps, lengths = _folded(texts)
    matrix = _signature_matrix(cps, lengths)
    return [
        row.tobytes() if n >= MIN_SIGNED_CHARS else None
        for row, n in zip(matrix, lengths.tolist(), strict=True)
    ]


def signature(text: str) -> bytes | None:
    """Signature bytes of one text (None when it is too short to sign)."""
    return signatures([text])[0]


def shingles(text: str) -> set[str]:
    """The character 5-grams of a text's normalised form."""
    norm = normalize_text(text)
    return {norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1)}


def jaccard(a: str, b: str) -> float:
    """Exact Jaccard similarity of two texts' 5-gram sets."""
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


@dataclass(frozen=True)
class NearPair:
    """Two texts whose 5-gram sets overlap at least NEAR_THRESHOLD."""

    a: int
    b: int
    similarity: float  # exact Jaccard of the 5-gram sets
    estimate: float  # the signatures' estimate


def _band_parameters(threshold: float) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's MinHashLSH chooses for the threshold."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def candidate_pairs(
    matrix: np.ndarray, threshold: float = NEAR_THRESHOLD, neighbours: int = MAX_CANDIDATES
) -> np.ndarray:
    """(k, 2) index pairs (a < b) of signature rows that share at least one LSH band.

    The banding of `datasketch.MinHashLSH`, done for all rows at once: each band's rows are
    hashed to one key and sorted by (key, row); a row becomes a candidate with each of the next
    `neighbours` rows of its bucket, so a bucket of n rows yields at most n * neighbours pairs.
    """
    bands, rows = _band_parameters(threshold)
    wide = matrix.astype(np.uint64)
    index = np.arange(len(matrix), dtype=np.int64)
    found = []
    for band in range(bands):
        key = np.full(len(matrix), np.uint64(band), dtype=np.uint64)
        for col in range(band * rows, (band + 1) * rows):
            key = key * _MUL + wide[:, col]
        key = _mix(key)
        order = np.lexsort((index, key))
        sorted_keys = key[order]
        for step in range(1, neighbours + 1):
            same = sorted_keys[step:] == sorted_keys[:-step]
            if not same.any():
                break
            found.append(np.stack([order[:-step][same], order[step:][same]], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found), axis=0)


def near_candidates(
    matrix: np.ndarray, threshold: float = NEAR_THRESHOLD
) -> tuple[np.ndarray, np.ndarray]:
    """LSH candidate pairs (a < b) of signature rows and their estimates, the hopeless dropped."""
    candidates = candidate_pairs(matrix, threshold)
    estimates = np.zeros(len(candidates))
    for start in range(0, len(candidates), 100_000):  # bounded memory for the comparison
        i, j = candidates[start : start + 100_000].T
        estimates[start : start + len(i)] = np.mean(matrix[i] == matrix[j], axis=1)
    keep = estimates >= MIN_ESTIMATE
    return candidates[keep], estimates[keep]


def confirmed(
    pairs: np.ndarray,
    estimates: np.ndarray,
    texts: Mapping[int, str] | Sequence[str],
    threshold: float = NEAR_THRESHOLD,
) -> list[NearPair]:
    """The candidate pairs whose texts' exact 5-gram Jaccard reaches the threshold."""
    sets: dict[int, set[str]] = {}

    def shingle_set(i: int) -> set[str]:
        if i not in sets:
            sets[i] = shingles(texts[i])
        return sets[i]

    out = []
    for (i, j), estimate in zip(pairs.tolist(), estimates.tolist(), strict=True):
        sa, sb = shingle_set(i), shingle_set(j)
        similarity = len(sa & sb) / len(sa | sb) if sa and sb else 0.0
        if similarity >= threshold:
            out.append(NearPair(i, j, round(similarity, 4), round(estimate, 4)))
    return out


def near_pairs(
    sigs: Sequence[bytes], texts: Sequence[str], threshold: float = NEAR_THRESHOLD
) -> list[NearPair]:
    """Pairs (a < b, by index) of near-duplicate texts: LSH candidates, confirmed exactly."""
    matrix = np.frombuffer(b"".join(sigs), dtype=np.uint32).reshape(len(sigs), NUM_PERM)
    return confirmed(*near_candidates(matrix, threshold), texts, threshold)


@dataclass(frozen=True)
class RepeatedSpan:
    """A stretch of text printed twice inside one text."""

    index: int  # which text
    first: int  # character offset of the first copy
    second: int  # character offset of the second copy
    length: int


def repeated_spans(texts: Sequence[str], min_chars: int = MIN_SPAN_CHARS) -> list[RepeatedSpan]:
    """Repeats of at least `min_chars` characters inside each text.

    Candidates are the texts in which a SPAN_GRAM-gram occurs twice, found with one sort of
    (text, gram hash) keys over all texts; only half the grams (chosen by hash, so both copies
    agree) take part, and a repeat of MIN_SPAN_CHARS holds 13 grams, so one is missed with
    odds of 1 in 8,000. Candidates are then searched character by character.
    """
    h, owner = _grams(*_code_points(texts), SPAN_GRAM)
    sampled = (h & np.uint64(1)) == 0
    key = (owner[sampled].astype(np.uint64) << np.uint64(32)) | (h[sampled] >> np.uint64(32))
    key.sort()
    repeated = key[1:][key[1:] == key[:-1]]
    candidates = np.unique(repeated >> np.uint64(32)).tolist()
    found = []
    for i in candidates:
        found.extend(_spans_in(int(i), texts[int(i)], min_chars))
    return found


def _spans_in(index: int, text: str, min_chars: int) -> list[RepeatedSpan]:
    """Maximal non-overlapping repeats in one text, first copy leftmost."""
    out: list[RepeatedSpan] = []
    pos = 0
    while pos + 2 * min_chars <= len(text):
        seed = text[pos : pos + min_chars]
        second = text.find(seed, pos + min_chars)
        if second < 0:
            pos += 1
            continue
        length = min_chars
        while second + length < len(text) and pos + length < second:
            if text[pos + length] != text[second + length]:
                break
            length += 1
        out.append(RepeatedSpan(index, pos, second, length))
        pos += length
    return out


# The warehouse tables: dq_duplicate_group, dq_duplicate_member, dq_near_duplicate.

MIN_EXACT_CHARS = 8  # shorter paragraphs (credits, "（完）") repeat by nature
DUPLICATE_TABLES = ("dq_duplicate_member", "dq_duplicate_group", "dq_near_duplicate")

_CURRENT = "fact_paragraph p JOIN dim_source_file f USING (file_id) WHERE f.status = 'current'"
_IN_ORDER = "ORDER BY f.path, p.start_offset, p.paragraph_id"
# Paragraphs whose normalised text occurs more than once; the text of the first copy only.
_REPEATED_PARAGRAPHS = f"""
    SELECT p.paragraph_id, p.article_id, p.file_id, p.norm_hash, p.start_offset, p.end_offset,
           CASE WHEN row_number() OVER (PARTITION BY p.norm_hash {_IN_ORDER}) = 1
                THEN p.text END AS text
    FROM {_CURRENT} AND p.n_chars >= {{min_chars}}
    QUALIFY count(*) OVER (PARTITION BY p.norm_hash) > 1
    {_IN_ORDER}
"""
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
    SELECT an.anomaly_id, an.file_id, an.article_id, an.start_offset, an.end_offset
    FROM dq_anomaly an JOIN dim_source_file f USING (file_id)
    WHERE f.status = 'current' AND an.type = 'duplicated_block'
    ORDER BY f.path, an.start_offset
"""


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
    """The normalised text of a page and the raw offset of each of its characters."""
    parts = list(map(_normal_char, raw))
    lengths = np.fromiter(map(len, parts), np.int64, len(parts))
    return "".join(parts), np.repeat(np.arange(len(raw), dtype=np.int64), lengths)


def _scope(members: list[dict]) -> str:
    if len({m["file_id"] for m in members}) > 1:
        return "warehouse"
    return "article" if len({m["article_id"] for m in members} - {None}) <= 1 else "page"


class _Groups:
    """Exact-duplicate groups being assembled, keyed by kind and normalised-text hash."""

    def __init__(self, paths: dict[str, str]) -> None:
        self.paths = paths
        self.groups: dict[tuple[str, str], dict] = {}

    def add(self, kind: str, norm_hash: str, text: str, member: dict, scope_key: str = "") -> None:
        """Add a member unless the group holds its paragraph, its anomaly or its offsets."""
        group = self.groups.setdefault(
            (kind, scope_key + norm_hash),
            {"kind": kind, "norm_hash": norm_hash, "text": text, "members": [], "seen": set()},
        )
        ids = {(k, member[k]) for k in ("paragraph_id", "anomaly_id") if member[k]}
        place = (member["file_id"], member["start_offset"], member["end_offset"])
        seen = group["seen"]
        if place in seen or (member["role"] != "span" and not ids.isdisjoint(seen)):
            return
        seen.update(ids, (place,))
        group["members"].append(member)

    def rows(self) -> tuple[list[dict], list[dict]]:
        groups, members = [], []
        for (kind, key), g in sorted(self.groups.items()):
            ms = sorted(
                g["members"],
                key=lambda m: (self.paths[m["file_id"]], m["start_offset"], m["end_offset"]),
            )
            if len(ms) < 2:
                continue
            gid = "g" + _key(kind, key)
            groups.append(
                {
                    "group_id": gid,
                    "kind": kind,
                    "scope": "paragraph" if kind == "span" else _scope(ms),
                    "norm_hash": g["norm_hash"],
                    "n_members": len(ms),
                    "n_articles": len({m["article_id"] for m in ms} - {None}),
                    "n_files": len({m["file_id"] for m in ms}),
                    "n_chars": len(g["text"]),
                    "excerpt": g["text"][:80],
                }
            )
            members.extend({"group_id": gid, "member_no": n, **m} for n, m in enumerate(ms, 1))
        return groups, members


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


def _add_dropped(groups: _Groups, con) -> None:
    """Group each copy the parser dropped with the copy it kept, a chunk of pages at a time."""
    by_page: dict[str, list[tuple]] = {}
    for copy in con.execute(_DROPPED_COPIES).fetchall():
        by_page.setdefault(copy[1], []).append(copy)
    files = list(by_page)
    for at in range(0, len(files), PAGE_CHUNK):
        chunk = files[at : at + PAGE_CHUNK]
        raw = _by_key(
            con,
            "SELECT file_id, raw_text FROM dim_source_file WHERE file_id IN (SELECT unnest(?))",
            chunk,
        )
        by_file: dict[str, list[dict]] = {}
        for p in _dicts(
            con, _PARAGRAPHS_WITH_TEXT.format(where="AND file_id IN (SELECT unnest(?))"), [chunk]
        ):
            by_file.setdefault(p["file_id"], []).append(p)
        for fid in chunk:
            _add_page_dropped(groups, by_page[fid], raw.pop(fid), by_file.get(fid, []))


def _add_page_dropped(groups: _Groups, copies: list[tuple], raw: str, paras: list[dict]) -> None:
    """Group the dropped copies of one page with the copies it kept."""
    norm, offsets = _normal_map(raw)
    dropped = [(c[3], c[4]) for c in copies]
    for anomaly_id, fid, article_id, start, end in copies:
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
        owner = article_id or kept_member["article_id"]
        key = _sha1(text)
        groups.add("paragraph", key, text, kept_member)
        groups.add(
            "paragraph",
            key,
            text,
            _member("dropped", None, fid, start, end, article_id=owner, anomaly_id=anomaly_id),
        )


def _add_spans(groups: _Groups, con) -> int:
    """Group the two copies of every long span repeated inside a paragraph."""
    found: list[tuple[dict, RepeatedSpan]] = []
    reader = con.sql(_PARAGRAPHS_WITH_TEXT.format(where="")).fetch_arrow_reader(CHUNK)
    for chunk in reader:  # the paragraphs' text a chunk at a time
        paras = chunk.to_pylist()
        found += [(paras[s.index], s) for s in repeated_spans([p["text"] for p in paras])]
    raw = _by_key(
        con,
        "SELECT file_id, raw_text FROM dim_source_file WHERE file_id IN (SELECT unnest(?))",
        sorted({p["file_id"] for p, _ in found}),
    )
    for p, s in found:
        text = p["text"][s.first : s.first + s.length]
        page = raw[p["file_id"]]
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
    return len(found)


def _by_key(con, sql: str, keys: list[str]) -> dict[str, str]:
    """Rows of a two-column query over a list of keys, as a dict (none for no keys)."""
    return dict(con.execute(sql, [keys]).fetchall()) if keys else {}


def _dicts(con, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


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
    reps = con.sql(_SIGNED_REPRESENTATIVES).fetch_arrow_table()
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


def _add_repeated(groups: _Groups, con) -> None:
    """Group the paragraphs whose normalised text occurs more than once."""
    for p in _dicts(con, _REPEATED_PARAGRAPHS.format(min_chars=MIN_EXACT_CHARS)):
        # Only the first copy carries the text; it opens its group.
        text = "" if p["text"] is None else normalize_text(p["text"])
        member = _member("paragraph", p, p["file_id"], p["start_offset"], p["end_offset"])
        groups.add("paragraph", p["norm_hash"], text, member)


def refresh(con) -> DuplicateCounts:
    """Recompute the duplicate tables from the current files, in one transaction.

    The result depends only on the current warehouse content: a re-run over unchanged data
    writes identical rows. Paragraph text is read a chunk at a time, or only where needed.
    """
    import pyarrow as pa

    with warehouse.transaction(con):
        signed = _fill_signatures(con)
        paths = dict(
            con.execute(
                "SELECT file_id, path FROM dim_source_file WHERE status = 'current'"
            ).fetchall()
        )
        groups = _Groups(paths)
        _add_repeated(groups, con)
        _add_dropped(groups, con)
        n_spans = _add_spans(groups, con)
        group_rows, member_rows = groups.rows()
        near = _near_rows(con)
        for name in DUPLICATE_TABLES:
            con.execute(f"DELETE FROM {name}")
        for name, rows in (
            ("dq_duplicate_group", group_rows),
            ("dq_duplicate_member", member_rows),
            ("dq_near_duplicate", near),
        ):
            if rows:
                con.register("_rows", pa.Table.from_pylist(rows))
                columns = ", ".join(rows[0])
                con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM _rows")
                con.unregister("_rows")
    return DuplicateCounts(len(group_rows), len(member_rows), len(near), n_spans, signed)
