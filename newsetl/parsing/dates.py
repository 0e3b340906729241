"""Event dates printed in a lead (`4月9日`, `2月23日至25日`, `7月22日下午4点`) and their year."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DATE = re.compile(
    r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"
    r"(?:至(?:\d{1,2}月)?\d{1,2}日)?"
    r"(?:上午|下午|晚上|晚|早上|早晨|中午|凌晨|傍晚|夜间)?"
    r"(?:\d{1,2}[点时](?:\d{1,2}分|半)?)?"
)
_YEAR = re.compile(r"((?:19|20)\d{2})年")


@dataclass
class ResolvedDate:
    """A printed date and its ISO form when a year can be inferred."""

    text: str | None
    iso: str | None = None
    confidence: float | None = None
    evidence: str | None = None


def _iso(year: int, month: int, day: int) -> str | None:
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def resolve(lead: str, item_text: str, page_text: str) -> ResolvedDate:
    """The first date in the lead; its year from the lead, the item, then the page (max year)."""
    m = _DATE.search(lead)
    if m is None:
        return ResolvedDate(None)
    text = m.group(0)
    if m.group(1):
        text = text[len(m.group(1)) + 1 :]
        return ResolvedDate(
            text, _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))), 1.0, m.group(0)
        )
    for scope, confidence in ((item_text, 0.6), (page_text, 0.4)):
        years = _YEAR.findall(scope)
        if years:
            year = max(int(y) for y in years)
            return ResolvedDate(
                text,
                _iso(year, int(m.group(2)), int(m.group(3))),
                confidence,
                f"{year}年 mentioned in the {'item' if scope is item_text else 'page'}",
            )
    return ResolvedDate(text)
