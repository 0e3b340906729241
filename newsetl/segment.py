"""Chinese segmentation, keywords and names with jieba's dictionary and algorithms.

Tokens come from rjieba (jieba-rs: jieba's dictionary and algorithm, about 20 times faster);
TF-IDF uses jieba's IDF table and TextRank jieba's co-occurrence graph, so the results equal
jieba's own. Both segmenters share the user dictionary in `newsetl/data/userdict.txt`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

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
TOP_K = 10
_WINDOW = 5


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


def cut(text: str) -> list[str]:
    """Tokens in text order, as `jieba.lcut` gives them."""
    _rjieba_ready()
    return rjieba.cut(text)


@cache
def _tfidf_tables() -> tuple[dict[str, float], float, frozenset[str]]:
    from jieba.analyse.tfidf import DEFAULT_IDF, IDFLoader, KeywordExtractor

    loader = IDFLoader(DEFAULT_IDF)
    return loader.idf_freq, loader.median_idf, frozenset(KeywordExtractor.STOP_WORDS)


def tfidf(tokens: Iterable[str], top_k: int = TOP_K) -> list[tuple[str, float]]:
    """jieba.analyse.extract_tags over precomputed tokens, with weights."""
    idf, median_idf, stop = _tfidf_tables()
    freq: Counter[str] = Counter(w for w in tokens if len(w.strip()) >= 2 and w.lower() not in stop)
    total = sum(freq.values())
    if not total:
        return []
    scored = {w: n * idf.get(w, median_idf) / total for w, n in freq.items()}
    return sorted(scored.items(), key=lambda kv: kv[1], reverse=True)[:top_k]


def textrank(tagged: list[tuple[str, str]], top_k: int = TOP_K) -> list[tuple[str, float]]:
    """jieba.analyse.textrank over precomputed tags, with weights."""
    from jieba.analyse.textrank import UndirectWeightedGraph

    _, _, stop = _tfidf_tables()

    def keep(word: str, pos: str) -> bool:
        return pos in TEXTRANK_POS and len(word.strip()) >= 2 and word.lower() not in stop

    graph = UndirectWeightedGraph()
    edges: Counter[tuple[str, str]] = Counter()
    for i, (word, pos) in enumerate(tagged):
        if not keep(word, pos):
            continue
        for other, other_pos in tagged[i + 1 : i + _WINDOW]:
            if keep(other, other_pos):
                edges[(word, other)] += 1
    if not edges:
        return []
    for (a, b), weight in edges.items():
        graph.addEdge(a, b, weight)
    ranks = graph.rank()
    return sorted(ranks.items(), key=lambda kv: kv[1], reverse=True)[:top_k]


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
