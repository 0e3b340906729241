"""Telling accidental doubled characters and words from normal Chinese reduplication."""

from __future__ import annotations

import re
from functools import lru_cache

import rjieba

from newsetl.parsing.patterns import CJK

# Distributive or adverbial AA forms that segmentation may split into single characters.
REDUPLICATED = frozenset(
    c + c
    for c in (
        "人家户年月天日周时处事个层步声代世村条件样句字次回片点滴丝双一常渐刚仅往纷默悄慢"
        "好大久紧牢深静高满频依匆轻微稍稳足多早连款朗源蒸欣勃种谢看想试说走聊等妈爸哥姐弟"
        "妹奶爷叔宝星线区重明白平堂恰偏统通色形熙攘浩荡井津念恋累冉熊茫济姗赫落楚"
    )
)
_PAIR = re.compile(rf"([{CJK}])\1")
_WORD = re.compile(rf"([{CJK}]{{2,4}})\1")
_LISTED = re.compile(rf"([{CJK}]{{3,6}})、\1(?=[{CJK}])")


@lru_cache(maxsize=4096)
def _tokens(window: str) -> tuple[str, ...]:
    return tuple(rjieba.cut(window, False))


def _token_at(window: str, k: int) -> tuple[int, int]:
    """(start, end) of the segmentation token covering window[k]."""
    pos = 0
    for tok in _tokens(window):
        if pos <= k < pos + len(tok):
            return pos, pos + len(tok)
        pos += len(tok)
    return k, k + 1


def accidental_pair(text: str, i: int) -> bool:
    """True when text[i] == text[i+1] is a printing slip rather than reduplication."""
    a = text[i]
    if text[i + 1] != a:
        return False
    if text[i + 2 : i + 3] not in ("", a) and text[i + 2 : i + 3] == text[i + 3 : i + 4]:
        return False  # AABB: 实实在在, 家家户户
    if i >= 2 and text[i - 2] == text[i - 1] and text[i - 1] != a:
        return False  # the BB of AABB
    lo = max(0, i - 6)
    window = text[lo : i + 8]
    left = _token_at(window, i - lo)
    right = _token_at(window, i + 1 - lo)
    if left == right:
        return False  # one word: 人人, 层层, 朗朗上口
    left_single = left[1] - left[0] == 1
    right_single = right[1] - right[0] == 1
    if left_single and right_single:
        return a + a not in REDUPLICATED  # 的的 is a slip, 月月 is not
    return left_single or right_single  # 到|到位, 停车位|位; 学习|习近平 is two words


def inline_repeats(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of doubled characters, words and listed phrases inside text."""
    found: list[tuple[int, int, str]] = []
    for m in _WORD.finditer(text):
        word = m.group(1)
        if len(set(word)) > 1 or len(word) > 2:
            found.append((m.start(), m.end(), f"word {word} doubled"))
    for m in _LISTED.finditer(text):
        found.append((m.start(), m.end(), f"phrase {m.group(1)} repeated"))
    covered = [(s, e) for s, e, _ in found]
    for m in _PAIR.finditer(text):
        i = m.start()
        if any(s <= i < e for s, e in covered):
            continue
        if accidental_pair(text, i):
            found.append((i, i + 2, f"character {text[i]} doubled"))
    return sorted(found)
