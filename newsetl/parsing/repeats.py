"""Telling accidental doubled characters and words from normal Chinese reduplication."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from newsetl.language.tokens import cut, tag
from newsetl.parsing.patterns import CJK
from newsetl.parsing.scan import simplified, traditional_chars

# Distributive or adverbial AA forms that segmentation may split into single characters.
REDUPLICATED = frozenset(
    c + c
    for c in (
        "人家户年月天日周时处事个层步声代世村条件样句字次回片点滴丝双一常渐刚仅往纷默悄慢"
        "好大久紧牢深静高满频依匆轻微稍稳足多早连款朗源蒸欣勃种谢看想试说走聊等妈爸哥姐弟"
        "妹奶爷叔宝星线区重明白平堂恰偏统通色形熙攘浩荡井津念恋累冉熊茫济姗赫落楚"
    )
)
# Characters that end place and organisation names and start compounds (卫东区|区情, 创新|新优势,
# 程庄村|村民): doubled across a word boundary they are two morphemes, not a slip.
AFFIXES = frozenset("区市县镇乡村街路省州局委厅司署处科所院馆校站队组部会新老副总")
# Function words, which Chinese never doubles: doubled, they are a slip.
FUNCTION_CHARS = frozenset("的是在和与对为从把被及并而向于其们")
_CJK_ONE = re.compile(rf"[{CJK}]")
_PAIR = re.compile(rf"([{CJK}])\1")
_WORD = re.compile(rf"([{CJK}]{{2,4}})\1")
_LISTED = re.compile(rf"(?<=、)([{CJK}]{{3,6}})、\1(?=[{CJK}])")  # inside an enumeration


@lru_cache(maxsize=4096)
def _tokens(window: str) -> tuple[str, ...]:
    """Segmentation of a window, read in simplified characters (平頂山山頂 as 平顶山山顶)."""
    if not traditional_chars().isdisjoint(window):
        simple = simplified(window)
        window = simple if len(simple) == len(window) else window
    # HMM off: it would glue a slip's stray character to its neighbour as a new word (字家|家训).
    return tuple(cut(window, hmm=False))


@lru_cache(maxsize=4096)
def _is_word(text: str) -> bool:
    """text is one entry of the dictionary (司长, 教育司), not a phrase of several."""
    return len(cut(text, hmm=False)) == 1


def _between_words(text: str, i: int) -> bool:
    """text[i] ends a dictionary word and text[i+1] starts one (教育司|司长): two morphemes
    that share a character, whatever segmentation the context picks."""
    ends = any(_is_word(text[j : i + 1]) for j in range(max(0, i - 3), i))
    return ends and any(_is_word(text[i + 1 : k]) for k in range(i + 3, min(len(text), i + 5) + 1))


def _joins_next_as_verb(text: str, i: int) -> bool:
    """The second copy, read in context with unknown words guessed, is or starts a verb
    (所有|有需要, 监管|管出): a word of its own, not a stray copy."""
    lo = max(0, i - 4)
    pos = lo
    for tok, tg in tag(text[lo : i + 6]):
        if pos == i + 1:
            return tg.startswith("v")
        pos += len(tok)
    return False


@lru_cache(maxsize=4096)
def _pos(word: str) -> str:
    """Part of speech of a word read alone (the first tag when it splits)."""
    tags = tag(word)
    return tags[0][1] if tags else ""


def _in_one_word(text: str, i: int) -> bool:
    """text[i] and text[i+1] fall inside one word of three or more characters when unknown
    words are guessed too (HMM): a name such as 李晖晖 or 家道颖颖."""
    lo = max(0, i - 4)
    pos = lo
    for tok in cut(text[lo : i + 6], hmm=True):
        if pos <= i and i + 2 <= pos + len(tok):
            return len(tok) >= 3
        pos += len(tok)
    return False


def _boundaries(window: str) -> set[int]:
    """Offsets in window where a segmentation token starts or ends."""
    out, pos = {0}, 0
    for tok in _tokens(window):
        pos += len(tok)
        out.add(pos)
    return out


def _token_at(window: str, k: int) -> tuple[int, int]:
    """(start, end) of the segmentation token covering window[k]."""
    pos = 0
    for tok in _tokens(window):
        if pos <= k < pos + len(tok):
            return pos, pos + len(tok)
        pos += len(tok)
    return k, k + 1


def accidental_pair(text: str, i: int, at_break: bool = False) -> bool:
    """True when text[i] == text[i+1] is a printing slip rather than reduplication.

    `at_break`: the pair straddles a column break, where a character printed again is the
    usual slip; only the forms a dictionary settles (one word, AABB, 一 and a measure word,
    an affix) then clear it, not the readings of doubled verbs, names and measure words."""
    a = text[i]
    if text[i + 1] != a:
        return False
    if text[i + 2 : i + 3] not in ("", a) and text[i + 2 : i + 3] == text[i + 3 : i + 4]:
        return False  # AABB: 实实在在, 家家户户
    if i >= 2 and text[i - 2] == text[i - 1] and text[i - 1] != a:
        return False  # the BB of AABB
    if i >= 1 and text[i - 1] == "一" != a and _pos("一" + a) not in ("d", "r"):
        return False  # 一 and a doubled measure word: 一垄垄, 一片片 (not 一直|直, 一样|样)
    if not at_break and i >= 1 and text[i - 1].isdigit():
        return False  # the first copy is the number's unit: 2017年|年底
    lo = max(0, i - 6)
    window = text[lo : i + 8]
    left = _token_at(window, i - lo)
    right = _token_at(window, i + 1 - lo)
    if left == right:
        return False  # one word: 人人, 层层, 朗朗上口
    left_single = left[1] - left[0] == 1
    right_single = right[1] - right[0] == 1
    if a in AFFIXES and left_single != right_single:
        return False  # suffix of one word, prefix of the next
    if a in FUNCTION_CHARS:
        return True  # 的的, 对对接, 为为民: a function word is never doubled
    if at_break:
        return (
            (a + a not in REDUPLICATED)
            if left_single and right_single
            else left_single or right_single
        )
    if left_single and right_single:
        # Neither copy belongs to a word: nothing shows which one would be extra (西西帕斯,
        # 上上心, 赛赛衔接); a slip leaves one copy in a word and the other stray.
        return False
    if _between_words(text, i) or (not left_single and _joins_next_as_verb(text, i)):
        return False
    verbs = (_pos(a), _pos(window[right[0] : right[1]]))
    if left_single and any(p.startswith("v") for p in verbs):
        return False  # a verb doubled before its object: 充充电, 加加油, 喝喝咖啡
    if (left_single or right_single) and _in_one_word(text, i):
        return False
    return left_single or right_single  # 到|到位, 停车位|位; 学习|习近平 is two words


def _aligned(text: str, i: int, n: int) -> bool:
    """The second copy of text[i:i+n] is whole segmentation tokens (重点项目|项目, 发展|发展),
    not a piece of other words (构建|共建|共治 holds 建共建共)."""
    lo = max(0, i - 4)
    window = text[lo : i + 2 * n + 4]
    return {i - lo + n, i - lo + 2 * n} <= _boundaries(window)


def _starts_token(text: str, i: int) -> bool:
    """A segmentation token starts at text[i]: a doubled phrase that is no dictionary word
    counts only when its first copy ends a longer word (产业链|业链), not when both copies
    stand alone (快来快来, said twice)."""
    lo = max(0, i - 4)
    return i - lo in _boundaries(text[lo : i + 4])


def _repeated_for_effect(m: re.Match[str]) -> bool:
    """A word said twice on purpose: an ongoing action (谈着谈着), one item after another
    (一条一条)."""
    word = m.group(1)
    return word.endswith("着") or word.startswith("一")


def inline_repeats(text: str, spots: Iterable[int] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, kind) of doubled characters, words and listed phrases inside text.

    With `spots` (candidate positions: a repeat starts there, or a listing 、 is there), only
    those places are examined; without, the whole text is.
    """
    words: list[re.Match[str]]
    if spots is None:
        words = list(_WORD.finditer(text))
        listed = list(_LISTED.finditer(text))
        pairs = [m.start() for m in _PAIR.finditer(text)]
    else:
        spots = sorted(set(spots))
        words = []
        for i in spots:  # leftmost, non-overlapping, as a scan of the whole text finds them
            if (not words or i >= words[-1].end()) and (m := _WORD.match(text, i)):
                words.append(m)
        listed = [
            m
            for i in spots
            if text[i : i + 1] == "、" and (m := _LISTED.search(text, max(0, i - 6), i + 8))
        ]
        pairs = [i for i in spots if text[i : i + 1] == text[i + 1 : i + 2] != ""]
    found: list[tuple[int, int, str]] = []
    for m in words:
        word = m.group(1)
        if (
            (len(set(word)) > 1 or len(word) > 2)
            and (_is_word(word) or not _starts_token(text, m.start()))
            and not _repeated_for_effect(m)
            and _aligned(text, m.start(), len(word))
        ):
            found.append((m.start(), m.end(), f"word {word} doubled"))
    for m in listed:
        found.append((m.start(), m.end(), f"phrase {m.group(1)} repeated"))
    covered = [(s, e) for s, e, _ in found]
    for i in pairs:
        if any(s <= i < e for s, e in covered) or not _CJK_ONE.match(text, i):
            continue
        if accidental_pair(text, i):
            found.append((i, i + 2, f"character {text[i]} doubled"))
    return sorted(set(found))


def runs_on(line: str, after: str) -> bool:
    """The line stops inside a word that the text after it finishes (`提升老|年人`, `和5|8个`):
    it was cut, it does not end there."""
    left, right = line[-4:], after[:4]
    if not left or not right:
        return False
    return len(left) not in _boundaries(left + right)


def last_word_whole(text: str) -> bool:
    """The text's last character ends a word of two or more (`参与`, not a bare `与`)."""
    tokens = _tokens(text[-4:])
    return bool(tokens) and len(tokens[-1]) >= 2
