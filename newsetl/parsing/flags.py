"""Text flags: traditional characters, inline repeats, quotes, punctuation width, placeholders."""

from __future__ import annotations

import re
from bisect import bisect_left

import numpy as np

from newsetl.model import Anomaly
from newsetl.parsing import patterns
from newsetl.parsing.repairs import Para
from newsetl.parsing.repeats import inline_repeats
from newsetl.parsing.scan import PageScan, simplified

_JOIN_REPEAT = re.compile(rf"([{patterns.CJK}]{{1,4}})\1")
JOIN_WINDOW = 4


def _line_at(page: str, pos: int) -> tuple[int, int]:
    start = max(page.rfind("\n", 0, pos), page.rfind("\r", 0, pos)) + 1
    ends = [e for e in (page.find("\n", pos), page.find("\r", pos)) if e >= 0]
    return start, min(ends, default=len(page))


NEAR_CHANGE = 3  # characters either side within which another one is traditional


def _standard(char: str) -> bool:
    """The character is one of the standard simplified set (GB 2312) as well."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def traditional_chars(page: str, scan: PageScan) -> list[Anomaly]:
    """One anomaly per traditional character (opencc t2s changes it in its line); one that is
    also a standard simplified character counts only beside another traditional one."""
    out: list[Anomaly] = []
    lines: list[tuple[int, int]] = []
    for pos in scan.traditional:  # ascending, so a line's later characters are skipped
        if not lines or pos >= lines[-1][1]:
            lines.append(_line_at(page, pos))
    if not lines:
        return out
    texts = [page[start:end] for start, end in lines]
    # one opencc call for the page: its phrases never span a line break
    simples = simplified("\n".join(texts)).split("\n")
    if len(simples) != len(texts):
        simples = [simplified(text) for text in texts]
    for (start, _), text, simple in zip(lines, texts, simples, strict=True):
        if simple == text or len(simple) != len(text):
            continue
        changed = [i for i, (a, b) in enumerate(zip(text, simple, strict=True)) if a != b]
        for i in changed:
            a, b = text[i], simple[i]
            if _standard(a) and not any(0 < abs(i - j) <= NEAR_CHANGE for j in changed):
                continue  # 乾 (乾隆), 著 (著名): standard simplified characters on their own
            pos = start + i
            out.append(
                Anomaly("traditional_chars", pos, pos + 1, page[pos : pos + 1], f"{a} → {b}")
            )
    return out


def mixed_width(page: str, scan: PageScan, headlines: list[tuple[int, int]]) -> list[Anomaly]:
    """One page anomaly when half-width CJK punctuation is mixed with full-width marks.

    Marks inside headline lines (`headlines`, page spans) are not counted: online editions
    append column tags to titles in ASCII brackets (`标题(国际视点)`), a convention of the
    edition rather than damage to its text.
    """
    full = scan.full_marks()
    half = scan.half_marks() if full else []
    if half and headlines:
        starts, ends = np.array(sorted(headlines)).T
        at = np.asarray(half)
        k = np.searchsorted(starts, at, side="right") - 1  # the last headline line starting before
        inside = (k >= 0) & (at < ends[np.maximum(k, 0)])
        half = at[~inside].tolist()
    if not half:
        return []
    first = half[0]
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


def _local_spots(para: Para, spots: list[int]) -> list[int]:
    """Paragraph-text positions of the page spots inside the paragraph's spans."""
    local: list[int] = []
    if not spots:
        return local
    base = 0
    for s, e in para.spans:
        lo = bisect_left(spots, s)
        hi = bisect_left(spots, e, lo)
        if lo < hi:
            shift = base - s
            local += [p + shift for p in spots[lo:hi]]
        base += e - s
    return local


def _join_spots(para: Para) -> list[int]:
    """Doubled characters or words straddling a place where fragments were joined."""
    spots: list[int] = []
    k = 0
    for s, e in para.spans[:-1]:
        k += e - s
        lo = max(0, k - JOIN_WINDOW)
        spots += [m.start() for m in _JOIN_REPEAT.finditer(para.text, lo, k + JOIN_WINDOW)]
    return spots


def _page_term(page: str, start: int, stop: int) -> bool:
    """The doubling, with a character either side, is printed again on the page in another
    sentence (耕地地力保护 and 耕地地力补贴): a term of the text, not a one-off slip. A copied
    paragraph repeats its slip in the same sentence, so that does not count."""
    core = page[max(0, start - 1) : stop + 1]
    if len(core) < stop - start + 2:
        return False
    contexts = set()
    at = page.find(core)
    while at >= 0:
        contexts.add(page[at + len(core) : at + len(core) + 4])
        at = page.find(core, at + 1)
    return len(contexts) > 1


def paragraph_flags(page: str, para: Para, scan: PageScan) -> list[Anomaly]:
    """Unbalanced quotes and accidental doubled characters or words in one paragraph."""
    out: list[Anomaly] = []
    # paragraph text is page text, so its quotation marks are the page's marks in its spans
    if scan.quotes and not patterns.quotes_balanced(para.text):
        end = para.page_pos(min(19, len(para.text) - 1)) + 1
        out.append(
            Anomaly(
                "unbalanced_quotes",
                para.anchor,
                end,
                page[para.anchor : end],
                "quotation marks do not pair up in this paragraph",
            )
        )
    spots = _local_spots(para, scan.repeats) + _join_spots(para)
    if not spots:
        return out
    for s, e, detail in inline_repeats(para.text, spots):
        start, stop = para.page_pos(s), para.page_pos(e - 1) + 1
        if _page_term(page, start, stop):
            continue
        out.append(Anomaly("inline_char_repeat", start, stop, page[start:stop], detail))
    return out
