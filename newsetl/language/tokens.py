"""Chinese segmentation and names with jieba's dictionary and algorithms.

Tokens come from rjieba (jieba-rs: jieba's dictionary and algorithm, about 20 times faster),
so they equal jieba's own; both segmenters share the user dictionary in
`newsetl/language/userdict.txt`. Keywords are in `newsetl.enrich.keywords`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import rjieba

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


@dataclass(frozen=True)
class UserWord:
    """One entry of the user dictionary."""

    word: str
    freq: int | None
    tag: str | None


def user_words() -> list[UserWord]:
    """Entries of the bundled user dictionary (local streets, villages, communities, names)."""
    text = resources.files("newsetl").joinpath("language/userdict.txt").read_text(encoding="utf-8")
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


def entities(tagged: Iterable[tuple[str, str]]) -> Counter[tuple[str, str]]:
    """Mentions of (name, entity type) found by part-of-speech tags."""
    found: Counter[tuple[str, str]] = Counter()
    # Count the tagged names first (one C-level count), then judge each distinct one.
    for (word, pos), mentions in Counter(t for t in tagged if t[1] in ENTITY_POS).items():
        kind = ENTITY_POS[pos]
        if len(word) < 2 or (kind == "person" and (len(word) > 4 or word[0] not in SURNAMES)):
            continue
        found[(word, kind)] += mentions
    return found
