"""Article keywords by jieba's TF-IDF and TextRank, computed for many articles at once.

The arithmetic, filters and tie orders are jieba.analyse's (`extract_tags` and `textrank`);
only the bookkeeping is vectorised over a whole batch of articles, so the per-article cost is
a few array operations instead of dozens of small ones.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import cache
from importlib import resources

import numpy as np
import pyarrow as pa
from scipy.sparse import csr_array, eye_array
from scipy.sparse.linalg import splu

TEXTRANK_POS = frozenset({"ns", "n", "vn", "v"})
# jieba.analyse's stop words (KeywordExtractor.STOP_WORDS; importing jieba.analyse loads
# jieba.posseg's tables, about 100 MB, into every worker process).
STOP_WORDS = frozenset(
    "the of is and to in that we for an are by be as on with can if from which you it this "  # noqa: SIM905
    "then at have all not one has or".split()
)
TOP_K = 10
_WINDOW = 5  # jieba's TextRank span: a word and the next four
_DAMPING = 0.85  # jieba's UndirectWeightedGraph.d
_SWEEPS = 10  # jieba's PageRank iterations
_WEIGHT_DIGITS = 12

Ranked = list[tuple[str, float]]


@cache
def _idf_table() -> tuple[np.ndarray, np.ndarray, float]:
    """jieba's IDF table as sorted word and weight arrays (17 MB, not a 140 MB dict)."""
    idf_file = resources.files("jieba").joinpath("analyse/idf.txt")
    parts = idf_file.read_text(encoding="utf-8").split()  # word, weight, word, ...
    words, weights = np.array(parts[0::2]), np.array(parts[1::2], dtype=np.float64)
    del parts
    # Sorted by word; of a word listed twice the last weight counts, as in jieba's loader.
    order = np.argsort(words, kind="stable")
    words, weights = words[order], weights[order]
    last = np.r_[words[1:] != words[:-1], True]
    words, weights = words[last], weights[last]
    median_idf = float(np.sort(weights)[len(weights) // 2])
    return words, weights, median_idf


def idf(words: Sequence[str]) -> np.ndarray:
    """IDF of each word (jieba's median IDF for words its table lacks)."""
    known, weights, median_idf = _idf_table()
    if not words:
        return np.empty(0)
    query = np.array(words, dtype=str)
    at = np.minimum(np.searchsorted(known, query), len(known) - 1)
    return np.where(known[at] == query, weights[at], median_idf)


def _top(group: np.ndarray, score: np.ndarray, tiebreak: np.ndarray, top_k: int) -> np.ndarray:
    """Positions of the top_k scores of each group, best first, ties by `tiebreak`."""
    order = np.lexsort((tiebreak, -score, group))
    grouped = group[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]]) if len(order) else order
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    return order[rank < top_k]


def _split(
    n_articles: int, group: np.ndarray, words: list[str], weights: np.ndarray
) -> list[Ranked]:
    out: list[Ranked] = [[] for _ in range(n_articles)]
    for g, w, v in zip(group.tolist(), words, weights.tolist(), strict=True):
        out[g].append((w, v))
    return out


def _groups(articles: Sequence[Sequence[object]]) -> np.ndarray:
    """The article number of every token of the articles, in order."""
    sizes = np.fromiter(map(len, articles), np.int64, len(articles))
    return np.repeat(np.arange(len(articles), dtype=np.int64), sizes)


def _codes(values: list[str]) -> tuple[np.ndarray, list[str]]:
    """Each value as a number, and the distinct values in first-seen order."""
    encoded = pa.array(values, pa.string()).dictionary_encode()
    return encoded.indices.to_numpy().astype(np.int64), encoded.dictionary.to_pylist()


def _keyword(word: str) -> bool:
    return len(word.strip()) >= 2 and word.lower() not in STOP_WORDS


def tfidf_many(articles: Sequence[Sequence[str]], top_k: int = TOP_K) -> list[Ranked]:
    """`jieba.analyse.extract_tags` of each article, given its tokens, with weights."""
    group = _groups(articles)
    code, words = _codes([w for tokens in articles for w in tokens])
    keep = np.fromiter(map(_keyword, words), bool, len(words))
    kept = keep[code]
    code, group = code[kept], group[kept]
    pair = group * max(len(words), 1) + code
    unique, first_seen, counts = np.unique(pair, return_index=True, return_counts=True)
    art, word = np.divmod(unique, max(len(words), 1))
    total = np.bincount(group, minlength=len(articles)).astype(np.float64)
    used = np.unique(word)
    word_idf = np.zeros(len(words))
    word_idf[used] = idf([words[k] for k in used.tolist()])
    # jieba: freq[w] *= idf / total, counts summed as floats
    weight = counts.astype(np.float64) * (word_idf[word] / total[art])
    top = _top(art, weight, first_seen, top_k)
    return _split(len(articles), art[top], [words[k] for k in word[top].tolist()], weight[top])


def textrank_many(
    articles: Sequence[Sequence[tuple[str, str]]], top_k: int = TOP_K
) -> list[Ranked]:
    """`jieba.analyse.textrank` of each article, given its (word, tag) pairs, with weights.

    Per article: the co-occurrence graph of kept words (a kept word and each kept word among
    the next four tokens), ten in-place (Gauss-Seidel) PageRank sweeps over the nodes in
    sorted word order, then jieba's scaling; ties keep the graph's node order. All articles
    are one block-diagonal system: each sweep is one sparse triangular solve. Only summation
    order differs from jieba, so weights agree to about 1e-15; they are rounded to
    `_WEIGHT_DIGITS` places.
    """
    group = _groups(articles)
    flat = [t for tagged in articles for t in tagged]
    code, names = _codes([w for w, _ in flat])
    tag_code, tags = _codes([t for _, t in flat])
    keep_word = np.fromiter(map(_keyword, names), bool, len(names))
    keep_tag = np.fromiter((t in TEXTRANK_POS for t in tags), bool, len(tags))
    kept = np.flatnonzero(keep_word[code] & keep_tag[tag_code])
    # Token positions, with a gap of a window between articles: no window spans two.
    at = kept + group[kept] * _WINDOW
    kept_word, kept_group = code[kept], group[kept]
    n_words = max(len(names), 1)
    # Nodes: (article, word), numbered densely.
    node_code = kept_group * n_words + kept_word
    node_keys, node = np.unique(node_code, return_inverse=True)
    n_nodes = max(len(node_keys), 1)
    codes, order = [], []  # co-occurring pairs, and where jieba meets them
    for step in range(1, _WINDOW):
        first = np.flatnonzero(at[step:] - at[:-step] < _WINDOW)
        codes.append(node[first] * n_nodes + node[first + step])
        order.append(first * _WINDOW + step)
    pair_codes = np.concatenate(codes)
    if not len(pair_codes):
        return [[] for _ in articles]
    pair_codes = pair_codes[np.argsort(np.concatenate(order), kind="stable")]
    unique, seen_at, counts = np.unique(pair_codes, return_index=True, return_counts=True)
    in_order = np.argsort(seen_at)
    src, dst = np.divmod(unique[in_order], n_nodes)
    weight = counts[in_order].astype(np.float64)
    # Graph nodes in jieba's order (first appearance among the edges): it breaks ties.
    ends = np.column_stack([src, dst]).ravel()
    graph_nodes, node_seen = np.unique(ends, return_index=True)
    group, word = np.divmod(node_keys[graph_nodes], n_words)
    word_rank = np.empty(len(names), dtype=np.int64)
    word_rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
    sweep = np.lexsort((word_rank[word], group))  # articles in turn, words sorted in each
    m = len(graph_nodes)
    pos = np.empty(n_nodes, dtype=np.int64)
    pos[graph_nodes[sweep]] = np.arange(m)
    group, word, node_seen = group[sweep], word[sweep], node_seen[sweep]
    rows, cols = np.concatenate([pos[src], pos[dst]]), np.concatenate([pos[dst], pos[src]])
    both = np.concatenate([weight, weight])
    out_sum = np.bincount(rows, weights=both, minlength=m)
    share = both / out_sum[cols]
    swept = rows > cols  # neighbours already updated earlier in the same sweep
    done = csr_array((share[swept], (rows[swept], cols[swept])), shape=(m, m))
    rest = csr_array((share[~swept], (rows[~swept], cols[~swept])), shape=(m, m))
    system = (eye_array(m, format="csr") - _DAMPING * done).tocsr()
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    sizes = np.diff(np.r_[starts, m])
    ws = np.repeat(1.0 / sizes, sizes)
    # The system is unit lower triangular: its LU in natural order with no pivoting is the
    # matrix itself, so each sweep is one forward substitution, prepared once for all ten.
    lu = splu(system.tocsc(), permc_spec="NATURAL", diag_pivot_thresh=0.0)
    for _ in range(_SWEEPS):
        rhs = (1 - _DAMPING) + _DAMPING * (rest @ ws)
        ws = lu.solve(rhs)
    low = np.minimum(np.minimum.reduceat(ws, starts), sys.float_info.max) / 10.0
    high = np.maximum(np.maximum.reduceat(ws, starts), sys.float_info.min)
    low, high = np.repeat(low, sizes), np.repeat(high, sizes)
    scaled = np.round((ws - low) / (high - low), _WEIGHT_DIGITS)
    top = _top(group, scaled, node_seen, top_k)
    return _split(len(articles), group[top], [names[k] for k in word[top].tolist()], scaled[top])


def tfidf(tokens: Sequence[str], top_k: int = TOP_K) -> Ranked:
    """jieba.analyse.extract_tags over one article's tokens, with weights."""
    return tfidf_many([tokens], top_k)[0]


def textrank(tagged: Sequence[tuple[str, str]], top_k: int = TOP_K) -> Ranked:
    """jieba.analyse.textrank over one article's (word, tag) pairs, with weights."""
    return textrank_many([tagged], top_k)[0]
