"""Page-wide character scans (numpy over code points): comparison text and cheap candidates.

One pass per page classifies every character, so the expensive checks (segmentation of doubled
characters, opencc on traditional characters, quote pairing) run only where a candidate is.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

CJK_BIT, QUOTE_BIT, HALF_BIT, FULL_BIT, SPACE_BIT, TRAD_BIT, LIST_BIT, BEFORE_BIT, AFTER_BIT = (
    1 << k for k in range(9)
)
_HALF_MARKS = ",;:!?()"
_FULL_MARKS = "，；：！？（）。、“”"
_QUOTES = "“”『』「」‘’"
_BEFORE_HALF = "，。、“”"  # besides CJK, what may precede a half-width mark in CJK text
_AFTER_HALF = "“”"
_BMP = 0x10000
_LISTED_AHEAD = np.arange(3, 7)


@cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Text converted to simplified characters (opencc t2s)."""
    return _t2s().convert(text)


@cache
def traditional_chars() -> frozenset[str]:
    """Characters that opencc's t2s conversion changes on their own."""
    chars = [chr(i) for i in (*range(0x3400, 0xA000), *range(0xF900, 0xFB00))]
    simple = simplified("\n".join(chars)).split("\n")
    return frozenset(a for a, b in zip(chars, simple, strict=True) if a != b)


@cache
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """(class bits per BMP code point, width-folded code point per BMP code point)."""
    bits = np.zeros(_BMP, dtype=np.uint16)
    bits[0x3400:0x4DC0] |= CJK_BIT
    bits[0x4E00:0xA000] |= CJK_BIT
    for marks, bit in (
        (_QUOTES, QUOTE_BIT),
        (_HALF_MARKS, HALF_BIT),
        (_FULL_MARKS, FULL_BIT),
        ("、", LIST_BIT),
        (_BEFORE_HALF, BEFORE_BIT),
        (_AFTER_HALF, AFTER_BIT),
    ):
        bits[[ord(c) for c in marks]] |= bit
    bits[[i for i in range(_BMP) if chr(i).isspace()]] |= SPACE_BIT
    bits[[ord(c) for c in traditional_chars()]] |= TRAD_BIT
    fold = np.arange(_BMP, dtype=np.uint32)
    fold[0xFF01:0xFF5F] -= 0xFEE0
    return bits, fold


class PageScan:
    """Character classes of one page, its comparison text and the candidate spots."""

    def __init__(self, text: str) -> None:
        bits_table, fold_table = _tables()
        chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        if len(chars) and chars.max() >= _BMP:  # astral characters: no class, kept as they are
            bmp = np.minimum(chars, _BMP - 1)
            bits = np.where(chars < _BMP, bits_table[bmp], 0).astype(np.uint16)
            folded = np.where(chars < _BMP, fold_table[bmp], chars)
        else:
            bits, folded = bits_table.take(chars), fold_table.take(chars)
        self.bits = bits
        keep = (bits & SPACE_BIT) == 0
        self.norm_text = folded[keep].tobytes().decode("utf-32-le")
        self._norm_pos = np.zeros(len(keep) + 1, dtype=np.intp)
        np.cumsum(keep, out=self._norm_pos[1:])
        self.repeats = _repeat_candidates(chars, bits)
        marked = ((bits & (QUOTE_BIT | TRAD_BIT)) != 0).nonzero()[0]
        kinds = bits[marked]
        self.quotes = marked[(kinds & QUOTE_BIT) != 0].tolist()
        self.traditional = marked[(kinds & TRAD_BIT) != 0].tolist()

    def norm(self, start: int, end: int) -> str:
        """Comparison form of text[start:end]: full-width ASCII folded, whitespace removed."""
        return self.norm_text[self._norm_pos[start] : self._norm_pos[end]]

    def half_marks(self) -> list[int]:
        """Half-width punctuation with CJK text (or full-width marks / quotes) beside it."""
        half = ((self.bits & HALF_BIT) != 0).nonzero()[0]
        if not len(half):
            return []
        padded = np.zeros(len(self.bits) + 2, dtype=np.uint16)  # no class off the page
        padded[1:-1] = self.bits
        before, after = padded[half], padded[half + 2]
        hit = ((before & (CJK_BIT | BEFORE_BIT)) != 0) | ((after & (CJK_BIT | AFTER_BIT)) != 0)
        return half[hit].tolist()

    def full_marks(self) -> int:
        """How many full-width CJK punctuation marks the page holds."""
        return int(np.count_nonzero(self.bits & FULL_BIT))


def _repeat_candidates(chars: np.ndarray, bits: np.ndarray) -> list[int]:
    """Positions where a CJK character, a 2–4 character word or a listed phrase may repeat."""
    n = len(chars)
    cjk = (bits & CJK_BIT) != 0
    spots = [((chars[:-1] == chars[1:]) & cjk[:-1]).nonzero()[0]]
    for width in (2, 3, 4):
        if n < 2 * width:
            break
        same = chars[:-width] == chars[width:]  # same[i]: text[i] == text[i + width]
        start = same[: n - 2 * width + 1].nonzero()[0]
        for k in range(1, width):
            start = start[same[start + k]]
        spots.append(start[cjk[start]])
    marks = ((bits & LIST_BIT) != 0).nonzero()[0]
    marks = marks[(marks > 0) & (marks + 6 < n)]
    if len(marks):  # the character before 、 again 3–6 characters after it
        near = chars[marks[:, None] + _LISTED_AHEAD] == chars[marks - 1][:, None]
        spots.append(marks[near.any(axis=1)])
    return sorted(set(np.concatenate(spots).tolist()))
