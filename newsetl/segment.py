"""Chinese segmentation, keywords and names with jieba's dictionary and algorithms.

Tokens come from rjieba (jieba-rs: jieba's dictionary and algorithm, about 20 times faster);
TF-IDF uses jieba's IDF table and TextRank jieba's co-occurrence graph, so the results equal
jieba's own. Both segmenters share the user dictionary in `newsetl/data/userdict.txt`.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import rjieba

TEXTRANK_POS = frozenset({"ns", "n", "vn", "v"})
ENTITY_POS = {
    "nr": "person",
    "nrfg": "person",
    "nrt": "person",
    "ns": "place",
    "nt": "organization",
}
# Common surnames: a person tag counts only on a name that starts with one.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
# jieba.analyse's stop words (KeywordExtractor.STOP_WORDS; importing jieba.analyse loads
# jieba.posseg's tables, about 100 MB, into every worker process).
STOP_WORDS = frozenset(
    "the of is and to in that we for an are by be as on with can if from which you it this "  # noqa: SIM905
    "then at have all not one has or".split()
)
TOP_K = 10
_WINDOW = 5  # jieba's TextRank span: a word and the next four
_DAMPING = 0.85  # jieba's UndirectWeightedGraph.d
_WEIGHT_DIGITS = 12


@dataclass(frozen=True)
class UserWord:
    """One entry of the user dictionary."""

    word: str
    freq: int | None
    tag: str | None


def user_words() -> list[UserWord]:
    """Entries of the bundled user dictionary (local streets, villages, communities, names)."""
    text = resources.files("newsetl").joinpath("data/userdict.txt").read_text(encoding="utf-8")
    words = []
    for line in text.splitlines():
        parts = line.split()
        if not parts or line.startswith("#"):
            continue
        freq = int(parts[1]) if len(parts) > 1 else None
        tag = parts[2] if len(parts) > 2 else None
        words.append(UserWord(parts[0], freq, tag))
    return words


@cache
def _rjieba_ready() -> bool:
    for w in user_words():
        rjieba.add_word(w.word, w.freq, w.tag)
    return True


@cache
def jieba_tokenizer():
    """jieba's own tokenizer with the user dictionary loaded (the reference implementation)."""
    import jieba

    jieba.setLogLevel(60)
    tok = jieba.Tokenizer()
    for w in user_words():
        tok.add_word(w.word, w.freq, w.tag)
    return tok


def tag(text: str) -> list[tuple[str, str]]:
    """(token, part of speech) pairs in text order."""
    _rjieba_ready()
    return rjieba.tag(text)


def cut(text: str, hmm: bool = True) -> list[str]:
    """Tokens in text order, as `jieba.lcut(text, HMM=hmm)` gives them."""
    _rjieba_ready()
    return rjieba.cut(text, hmm)


@cache
def _tfidf_tables() -> tuple[np.ndarray, np.ndarray, float, frozenset[str]]:
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
    return words, weights, median_idf, STOP_WORDS


def _idf(words: list[str]) -> np.ndarray:
    """IDF of each word (the median IDF for words jieba's table lacks)."""
    known, weights, median_idf, _ = _tfidf_tables()
    query = np.array(words, dtype=str)
    at = np.minimum(np.searchsorted(known, query), len(known) - 1)
    return np.where(known[at] == query, weights[at], median_idf)


def tfidf(tokens: Iterable[str], top_k: int = TOP_K) -> list[tuple[str, float]]:
    """jieba.analyse.extract_tags over precomputed tokens, with weights (same arithmetic)."""
    stop = _tfidf_tables()[3]
    freq = {
        w: n for w, n in Counter(tokens).items() if len(w.strip()) >= 2 and w.lower() not in stop
    }
    total = float(sum(freq.values()))
    if not total:
        return []
    words = list(freq)
    weights = np.fromiter(freq.values(), np.float64, len(words)) * (_idf(words) / total)
    top = np.argsort(-weights, kind="stable")[:top_k]  # ties keep first-seen order, as jieba
    return [(words[k], float(weights[k])) for k in top]


def textrank(tagged: list[tuple[str, str]], top_k: int = TOP_K) -> list[tuple[str, float]]:
    """jieba.analyse.textrank over precomputed tags, with weights.

    The co-occurrence graph (a kept word and each kept word among the next four tokens), the
    ten in-place (Gauss-Seidel) PageRank sweeps in sorted word order, the final scaling and
    the tie order are jieba's; the graph is built with array operations and each sweep is
    one triangular solve instead of Python loops, about ten times faster. Only the summation
    order differs, so weights agree with jieba's to about 1e-15; they are rounded to
    `_WEIGHT_DIGITS` places.
    """
    from scipy.linalg.lapack import dtrtrs

    stop = _tfidf_tables()[3]
    good = {
        t
        for t in set(tagged)
        if t[1] in TEXTRANK_POS and len(t[0].strip()) >= 2 and t[0].lower() not in stop
    }
    kept = [k for k, t in enumerate(tagged) if t in good]
    vocab: dict[str, int] = {}
    ids = np.fromiter(
        (vocab.setdefault(tagged[k][0], len(vocab)) for k in kept), np.intp, len(kept)
    )
    at_token = np.asarray(kept, dtype=np.intp)
    codes, order = [], []  # co-occurring pairs, and where jieba meets them
    for step in range(1, _WINDOW):
        first = np.flatnonzero(at_token[step:] - at_token[:-step] < _WINDOW)
        codes.append(ids[first] * len(vocab) + ids[first + step])
        order.append(first * _WINDOW + step)
    pair_codes = np.concatenate(codes)
    if not len(pair_codes):
        return []
    pair_codes = pair_codes[np.argsort(np.concatenate(order), kind="stable")]
    unique, seen_at, counts = np.unique(pair_codes, return_index=True, return_counts=True)
    in_order = np.argsort(seen_at)
    src, dst = np.divmod(unique[in_order], len(vocab))
    weight = counts[in_order].astype(np.float64)
    # Nodes in jieba's graph order (first appearance among the edges): it breaks ties.
    ends = np.column_stack([src, dst]).ravel()
    nodes, node_seen = np.unique(ends, return_index=True)
    graph_order = nodes[np.argsort(node_seen)].tolist()
    names = list(vocab)
    sweep_order = sorted(graph_order, key=names.__getitem__)
    m = len(sweep_order)
    at = np.empty(len(vocab), dtype=np.intp)
    at[sweep_order] = np.arange(m)
    rows, cols = np.concatenate([at[src], at[dst]]), np.concatenate([at[dst], at[src]])
    both = np.concatenate([weight, weight])
    out_sum = np.bincount(rows, weights=both, minlength=m)
    flow = np.zeros((m, m))
    np.add.at(flow, (rows, cols), both / out_sum[cols])
    done = np.tril(flow, -1)  # neighbours updated earlier in the same sweep
    sweep = np.asfortranarray(np.eye(m) - _DAMPING * done)  # LAPACK's layout: no copies
    rest = flow - done
    ws = np.full(m, 1.0 / m)
    for _ in range(10):
        ws, _info = dtrtrs(sweep, (1 - _DAMPING) + _DAMPING * (rest @ ws), lower=1)
    low = min(ws.min(), sys.float_info.max) / 10.0
    high = max(ws.max(), sys.float_info.min)
    scaled = np.round((ws - low) / (high - low), _WEIGHT_DIGITS)[at[graph_order]]
    top = np.argsort(-scaled, kind="stable")[:top_k]
    return [(names[graph_order[k]], float(scaled[k])) for k in top]


def entities(tagged: Iterable[tuple[str, str]]) -> Counter[tuple[str, str]]:
    """Mentions of (name, entity type) found by part-of-speech tags."""
    found: Counter[tuple[str, str]] = Counter()
    for word, pos in tagged:
        kind = ENTITY_POS.get(pos)
        if kind is None or len(word) < 2:
            continue
        if kind == "person" and (len(word) > 4 or word[0] not in SURNAMES):
            continue
        found[(word, kind)] += 1
    return found
