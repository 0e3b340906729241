"""What a page shows of its own conventions: how it spaces paragraphs and items, whether it
marks its headlines, and which heading-like lines are the parallel intertitles of an article.

Read once per page, before its lines are grouped into items; each convention is trusted only
where the page keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsetl.parsing import patterns
from newsetl.parsing.lines import TITLE_MAX, Unit, title_like

PARALLEL_SPAN = 30  # the most lines between two parallel intertitles of one article


@dataclass(frozen=True)
class PageConventions:
    """The conventions one page keeps."""

    paragraph_gap: int  # blank lines before a body line, the median
    spaced_items: bool  # more space between items than between paragraphs, kept throughout
    marked: bool  # every headline marked (`# 主题`)
    parallel: frozenset[int]  # indices of units that are parallel intertitles

    @classmethod
    def read(cls, units: list[Unit]) -> PageConventions:
        gaps = sorted(u.gap for u in units if u.kind == "text" and len(u.text) >= 20)
        paragraph_gap = gaps[len(gaps) // 2] if gaps else 1
        return cls(
            paragraph_gap,
            _spaced_items(units, paragraph_gap),
            _marks_every_headline(units),
            frozenset(_parallel_lines(units, paragraph_gap)),
        )


def _after_paragraph(before: Unit) -> bool:
    """The line before ends a paragraph, or is itself heading-like."""
    return patterns.ends_sentence(before.text) or (
        before.kind == "text" and title_like(before.text)
    )


def _line_shape(text: str) -> tuple[str, int]:
    """What parallel intertitles share: the number of phrases spaced apart, or the length."""
    phrases = patterns.spaced_phrases(text)
    return ("phrases", phrases) if phrases else ("length", len(text))


def _parallel_lines(units: list[Unit], paragraph_gap: int) -> set[int]:
    """Heading-like lines of one shape (one length, or phrases spaced apart alike) printed
    between paragraphs with no more space than paragraphs have, again after more body text
    and no item boundary between (`产业再优化` … `效益上台阶`): the parallel intertitles of
    one article. (Headline couplets of one shape stand together, with no body between.)"""
    found: set[int] = set()
    last: dict[tuple[str, int], int] = {}  # shape -> the latest such line since a boundary
    body_since: dict[tuple[str, int], bool] = {}  # shape -> body text printed since that line
    for k, u in enumerate(units):
        if u.kind in ("dateline", "heading", "byline", "note", "credit", "jump"):
            last.clear()
        elif u.kind == "text" and len(u.text) > TITLE_MAX:
            for shape in body_since:
                body_since[shape] = True
        elif (
            u.kind == "text"
            and k
            and u.gap <= paragraph_gap
            and title_like(u.text)
            and not patterns.ENUMERATOR.match(u.text)  # list entries: `一、黄龙岘茶文化村`
            and _after_paragraph(units[k - 1])
        ):
            shape = _line_shape(u.text)
            j = last.get(shape)
            if j is not None and k - j <= PARALLEL_SPAN and body_since[shape]:
                found.update((j, k))
            last[shape], body_since[shape] = k, False
        elif u.kind == "text" and not title_like(u.text):
            for shape in body_since:
                body_since[shape] = True
    return found


def _marks_every_headline(units: list[Unit]) -> bool:
    """The page marks its headlines (`# 主题`): it starts with one, has more, and one stands
    above every dateline."""
    return (
        bool(units)
        and units[0].kind == "heading"
        and sum(u.kind == "heading" for u in units) >= 2
        and all(
            _marked_above(units, k) for k in range(1, len(units)) if units[k].kind == "dateline"
        )
    )


def _marked_above(units: list[Unit], k: int) -> bool:
    """A marked headline stands above unit k, over summary points (`■…`) if any."""
    k -= 1
    while k > 0 and units[k].kind == "text" and units[k].text[0] in patterns.BULLET:
        k -= 1
    return units[k].kind == "heading"


def _spaced_items(units: list[Unit], paragraph_gap: int) -> bool:
    """The page leaves more space between items than between paragraphs, and never that
    much inside a paragraph (after a line that looks cut off)."""
    wide = [k for k in range(1, len(units)) if units[k].gap > paragraph_gap]
    return bool(wide) and not any(_cut_looking(units[k - 1]) for k in wide)


def _cut_looking(u: Unit) -> bool:
    """A text line that stops as a cut one does: no closing mark or quote, not heading-like."""
    return (
        u.kind == "text"
        and not patterns.ends_sentence(u.text)
        and u.text[-1] not in patterns.CLOSERS
        and not title_like(u.text)
    )
