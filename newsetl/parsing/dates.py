"""Event dates printed in a lead (`4月9日`, `2月23日至25日`, `7月22日下午4点`) and their year.

A lead rarely prints its year, so the year is inferred from what the page says about years:
- years of plans and targets (`2035年远景目标`, `到2025年`, `2021-2025年`) say nothing;
- `今年（2023年）` and `去年（2022年）` name the year outright;
- a whole past year reported as done (`2022年，该区累计…`, `2022年全年`, `2022年度`, `较2022年同期`)
  in a report dated in the first half of a year points at the following year;
- any other year mentioned happened already: the page year is at least that.
The page year is the largest year these allow; evidence inside the item weighs more than
evidence elsewhere on the page. With no evidence the year stays unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

_NUMERAL = "〇零一二三四五六七八九十"
_TIME_WORD = (
    r"(?:上午|下午|晚上|晚|早上|早晨|中午|凌晨|傍晚|夜间|一早|清晨|午后|深夜)?"
    r"(?:\d{1,2}[点时](?:\d{1,2}分|半)?)?"
)
# A date as printed: `2023年4月9日`, `4月9日至12日下午`, in Chinese numerals (`二月十四日`), or a
# day alone (`24日`, the month being the dispatch's), not a span of days (`30日内`).
_DATE = re.compile(
    r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"
    r"(?:至(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日)?"
    + _TIME_WORD
    + rf"|([{_NUMERAL}]{{1,2}})月([{_NUMERAL}]{{1,3}})日"
    + _TIME_WORD
    + r"|(?<![\d月.])(\d{1,2})日(?!内|以|之|左右)"
    + _TIME_WORD
)
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})年")
_PLAN_BEFORE = re.compile(
    r"(?:到|(?<!截)至|力争|争取|确保|预计|计划|将在|将于|目标|规划|[—\-~～]"
    r"|\d年[—\-~～至到])[ \t]*$"
)
_PLAN_AFTER = re.compile(r"^(?:远景|目标|规划|前|以前|之前|底前|年底前|末前|[—\-~～至到]\d{4})")
_THIS_YEAR = re.compile(r"今年[（(]?$")
_LAST_YEAR = re.compile(r"去年[（(]?$")
_COMPARED = re.compile(r"(?:较|比|同比|与)$")
_WHOLE_YEAR = re.compile(
    r"^(?:[,，]\s*(?:该|全|我|[\u4e00-\u9fff]{0,6}(?:累计|共|全年))|全年|度|底|末|累计|共)"
)
_SAME_PERIOD = re.compile(r"^同期")
FIRST_HALF = 6  # a report dated up to June that states a whole past year means the year before
CONFIDENCE = {"named": 0.9, "whole_year": 0.7, "mention": 0.5}
ELSEWHERE = 0.2  # confidence lost when the evidence is in another item of the page


@dataclass
class ResolvedDate:
    """A printed date and its ISO form when a year can be inferred."""

    text: str | None
    iso: str | None = None
    confidence: float | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class YearEvidence:
    """What one year mention says about the page year."""

    year: int
    kind: str  # named | whole_year | mention
    excerpt: str


_DIGITS = {c: k for k, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def _numeral(text: str) -> int:
    """A number up to 39 in Chinese numerals: 二, 十四, 二十三."""
    if "十" not in text:
        return _DIGITS.get(text, 0)
    tens, _, ones = text.partition("十")
    return _DIGITS.get(tens, 1) * 10 + _DIGITS.get(ones, 0)


def _iso(year: int, month: int, day: int) -> str | None:
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _years(text: str) -> Iterator[re.Match[str]]:
    """Matches of `_YEAR` at every 年 of text (a search from each 年, not a scan of the text)."""
    at = text.find("年", 4)
    while at >= 0:
        m = _YEAR.match(text, at - 4)
        if m is not None:
            yield m
        at = text.find("年", at + 1)


@lru_cache(maxsize=16)
def year_evidence(text: str) -> tuple[YearEvidence, ...]:
    """Every year mention of a text that is not a plan or target, classified."""
    out: list[YearEvidence] = []
    for m in _years(text):
        before = text[max(0, m.start() - 6) : m.start()]
        after = text[m.end() : m.end() + 12]
        if _PLAN_BEFORE.search(before) or _PLAN_AFTER.match(after):
            continue
        year = int(m.group(1))
        excerpt = text[max(0, m.start() - 3) : m.end() + 8]
        if _THIS_YEAR.search(before):
            out.append(YearEvidence(year, "named", excerpt))
        elif _LAST_YEAR.search(before) or (_COMPARED.search(before) and _SAME_PERIOD.match(after)):
            out.append(YearEvidence(year + 1, "named", excerpt))
        elif _WHOLE_YEAR.match(after):
            out.append(YearEvidence(year, "whole_year", excerpt))
        else:
            out.append(YearEvidence(year, "mention", excerpt))
    return tuple(out)


def _year_from(evidence: tuple[YearEvidence, ...], month: int) -> tuple[int, YearEvidence] | None:
    """The largest page year the evidence allows, and the evidence that decides it."""
    best: tuple[int, int, YearEvidence] | None = None
    rank = {"named": 2, "whole_year": 1, "mention": 0}
    for ev in evidence:
        year = ev.year + (ev.kind == "whole_year" and month <= FIRST_HALF)
        key = (year, rank[ev.kind], ev)
        if best is None or key[:2] > best[:2]:
            best = key
    return None if best is None else (best[0], best[2])


def resolve(lead: str, item_text: str, page_text: str) -> ResolvedDate:
    """The first date in the lead, with its year printed or inferred from the page's years."""
    m = _DATE.search(lead)
    if m is None:
        return ResolvedDate(None)
    text = m.group(0)
    if m.group(6):  # a day alone: no month to place it in
        return ResolvedDate(text)
    if m.group(4):
        month, day = _numeral(m.group(4)), _numeral(m.group(5))
    else:
        month, day = int(m.group(2)), int(m.group(3))
    if m.group(1):
        return ResolvedDate(text, _iso(int(m.group(1)), month, day), 1.0, text)
    found = _year_from(year_evidence(page_text or item_text), month)
    if found is None:
        return ResolvedDate(text)
    year, ev = found
    confidence = CONFIDENCE[ev.kind] - (0.0 if ev.excerpt in item_text else ELSEWHERE)
    reason = {
        "named": "year named as this year or last year",
        "whole_year": "a whole past year reported"
        + (" early in the next" if year > ev.year else ""),
        "mention": "latest year mentioned",
    }[ev.kind]
    excerpt = " ".join(ev.excerpt.split())
    return ResolvedDate(text, _iso(year, month, day), round(confidence, 2), f"{excerpt} ({reason})")
