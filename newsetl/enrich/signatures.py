"""Duplicate detection: exact groups, MinHash near-duplicate pairs and repeated spans.

Signatures are one-permutation MinHash over character 5-grams of the normalised text, computed
for whole batches with numpy (one hash per 5-gram, binned, minimum per bin, empty bins filled
by rotation), so no Python code runs per character. Candidate pairs come from the banding of
datasketch's `MinHashLSH`, with each text paired with at most MAX_CANDIDATES neighbours per
band; a candidate whose signatures agree on fewer than MIN_ESTIMATE of their bins is dropped,
and the rest are confirmed by the exact Jaccard similarity of their 5-gram sets (each text's
set built once). Exact copies (same normalised hash) are searched once, through the copy with
the smallest paragraph id: their other copies are reported by the exact group."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from newsetl.language.textnorm import normalize_text

NUM_PERM = 64  # bins of a signature
SHINGLE = 5  # characters per shingle
MIN_SIGNED_CHARS = 30  # shorter paragraphs get no signature
NEAR_THRESHOLD = 0.8  # Jaccard similarity of 5-gram sets
MIN_SPAN_CHARS = 20  # a repeated span inside a paragraph at least this long
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
    """The candidate pairs whose texts' exact 5-gram Jaccard reaches the threshold.

    Each text's 5-gram set is held as its sorted distinct string hashes: 8 bytes a gram.
    """
    sets: dict[int, np.ndarray] = {}

    def shingle_set(i: int) -> np.ndarray:
        if i not in sets:
            sets[i] = np.unique(np.fromiter(map(hash, shingles(texts[i])), np.int64))
        return sets[i]

    out = []
    for (i, j), estimate in zip(pairs.tolist(), estimates.tolist(), strict=True):
        sa, sb = shingle_set(i), shingle_set(j)
        common = np.intersect1d(sa, sb, assume_unique=True).size
        similarity = common / (sa.size + sb.size - common) if sa.size and sb.size else 0.0
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

    Candidates are the texts in which a `min_chars`-gram occurs twice, found with one sort of
    (text, gram hash) keys over all texts; they are then searched character by character.
    """
    h, owner = _grams(*_code_points(texts), min_chars)
    key = (owner.astype(np.uint64) << np.uint64(32)) | (h >> np.uint64(32))
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
