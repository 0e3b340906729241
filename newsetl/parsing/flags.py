"""Text flags: traditional characters, inline repeats, quotes, punctuation width, placeholders."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from newsetl.model import Anomaly
from newsetl.parsing import patterns as P
from newsetl.parsing.repairs import Para
from newsetl.parsing.repeats import inline_repeats

_HALF = re.compile(rf"(?<=[{P.CJK}，。、“”])[,;:!?()]|[,;:!?()](?=[{P.CJK}“”])")
_FULL = re.compile(r"[，；：！？（）。、“”]")
_CJK_CHAR = re.compile(rf"[{P.CJK}]")


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def traditional_chars(page: str) -> list[Anomaly]:
    """One anomaly per traditional character (opencc t2s changes it)."""
    out: list[Anomaly] = []
    converter = _t2s()
    for line in re.finditer(r"[^\r\n]+", page):
        text = line.group(0)
        if not _CJK_CHAR.search(text):
            continue
        simple = converter.convert(text)
        if simple == text or len(simple) != len(text):
            continue
        for i, (a, b) in enumerate(zip(text, simple, strict=True)):
            if a != b:
                pos = line.start() + i
                out.append(
                    Anomaly("traditional_chars", pos, pos + 1, page[pos : pos + 1], f"{a} → {b}")
                )
    return out


def mixed_width(page: str) -> list[Anomaly]:
    """One page anomaly when half-width CJK punctuation is mixed with full-width marks."""
    half = list(_HALF.finditer(page))
    full = len(_FULL.findall(page))
    if not half or not full:
        return []
    first = half[0].start()
    end = min(len(page), first + 12)
    return [
        Anomaly(
            "mixed_punctuation_width",
            first,
            end,
            page[first:end],
            f"{len(half)} half-width marks among {full} full-width ones",
        )
    ]


def paragraph_flags(page: str, para: Para) -> list[Anomaly]:
    """Unbalanced quotes and accidental doubled characters or words in one paragraph."""
    out: list[Anomaly] = []
    if not P.quotes_balanced(para.text):
        end = min(para.offsets[-1] + 1, para.offsets[min(19, len(para.offsets) - 1)] + 1)
        out.append(
            Anomaly(
                "unbalanced_quotes",
                para.anchor,
                end,
                page[para.anchor : end],
                "quotation marks do not pair up in this paragraph",
            )
        )
    for s, e, detail in inline_repeats(para.text):
        start, stop = para.offsets[s], para.offsets[e - 1] + 1
        out.append(
            Anomaly(
                "inline_char_repeat",
                start,
                stop,
                page[start:stop],
                detail,
            )
        )
    return out
