"""Rebuilding paragraphs: column-break joins, repeated characters at breaks, repeated copies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from newsetl.model import Anomaly
from newsetl.parsing import patterns
from newsetl.parsing.lines import TITLE_MAX, Unit, title_like
from newsetl.parsing.repeats import AFFIXES, accidental_pair, runs_on
from newsetl.parsing.scan import PageScan

NEAR_DUPLICATE = 0.9
MIN_DUPLICATE = 8
LIST_ENTRY = 40  # the longest line ending in ： read as a list entry, not a cut sentence
SHORT_PHRASES = 24  # the longest heading-like line with commas (`整治一村，建强一村`)
MIN_QUOTED_COPY = 20  # shorter text found inside the item's text is a phrase used again
KEY = 8
_CJK_START = re.compile(rf"[{patterns.CJK}]")


def _keys(norm: str) -> tuple[str, str]:
    """Head and tail of a normalised text: a near copy keeps at least one of them."""
    return "<" + norm[:KEY], ">" + norm[-KEY:]


@dataclass
class Para:
    """A paragraph being assembled, with a page offset for every character."""

    text: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)
    anchor: int = 0  # where the printed paragraph starts (its dateline, if any)

    def add(self, text: str, start: int) -> None:
        self.text += text
        self.spans.append((start, start + len(text)))

    def page_pos(self, k: int) -> int:
        """Page offset of character k of the paragraph text."""
        for s, e in self.spans:
            if k < e - s:
                return s + k
            k -= e - s
        return self.spans[-1][1]


class ParagraphBuilder:
    """Assembles one item's fragments into repaired paragraphs; shares seen copies page-wide."""

    def __init__(self, page: str, scan: PageScan) -> None:
        self.page = page
        self.scan = scan
        self.seen: list[str] = []  # normalised fragments already accepted on the page
        self.seen_set: set[str] = set()
        self.by_key: dict[str, list[int]] = {}  # head / tail -> indices into seen
        self.anomalies: list[Anomaly] = []

    def _flag(self, kind: str, start: int, end: int, detail: str) -> None:
        start, end = max(0, start), min(len(self.page), end)
        self.anomalies.append(Anomaly(kind, start, end, self.page[start:end], detail))

    def _is_copy(self, norm: str, keys: tuple[str, str], item_text: str) -> bool:
        """An exact copy, or a near copy sharing its head or tail with an accepted fragment."""
        if len(norm) < MIN_DUPLICATE:
            return False
        if norm in self.seen_set or (len(norm) >= MIN_QUOTED_COPY and norm in item_text):
            return True
        by_key = self.by_key
        head, tail = by_key.get(keys[0], ()), by_key.get(keys[1], ())
        if not head and not tail:
            return False
        # the fragment is the second sequence: its index is built once for every candidate
        sm = SequenceMatcher(None, autojunk=False)
        sm.set_seq2(norm)
        for k in sorted({*head, *tail}):
            other = self.seen[k]
            if abs(len(other) - len(norm)) <= 0.15 * len(norm):
                sm.set_seq1(other)
                if sm.quick_ratio() >= NEAR_DUPLICATE and sm.ratio() >= NEAR_DUPLICATE:
                    return True
        return False

    def _remember(self, norm: str, keys: tuple[str, str]) -> None:
        self.seen_set.add(norm)
        for key in keys:
            self.by_key.setdefault(key, []).append(len(self.seen))
        self.seen.append(norm)

    def _drop_join_repeat(
        self, text: str, start: int, tail: str, open_para: Para | None
    ) -> tuple[str, int]:
        """A fragment without the character its start prints twice, alone or across the join
        (tail: the end of the open paragraph); flagged when one is dropped."""
        joined, k = tail + text[:8], len(tail)  # text as read across the join
        # a fragment that starts doubled is judged alone, or across the join when the
        # character is an affix (常委|会会议 reads 常委会|会议; 市|容容貌 is a slip)
        across = bool(tail) and text[:1] in AFFIXES
        aabb = len(tail) >= 2 and tail[-2] == tail[-1] != text[:1]  # 热热|闹闹
        if (
            len(text) >= 3
            and text[0] == text[1]
            and not aabb
            and _CJK_START.match(text)
            and accidental_pair(joined if across else text, k if across else 0, at_break=True)
        ):
            self._flag("join_char_repeat", start, start + 2, f"{text[0]} printed twice")
            return text[1:], start + 1
        if (
            tail
            and text[:1] == tail[-1]
            and _CJK_START.match(text)
            and accidental_pair(joined, k - 1, at_break=True)
        ):
            assert open_para is not None
            prev_end = open_para.spans[-1][1]
            self._flag("join_char_repeat", prev_end - 1, start + 1, f"{text[0]} repeated")
            return text[1:], start + 1
        return text, start

    @staticmethod
    def _between(frags: list[Unit], k: int) -> bool:
        """A heading-like line, after a finished paragraph, before another: an intertitle."""
        text = frags[k].text
        nxt = frags[k + 1] if k + 1 < len(frags) else None
        return (
            nxt is not None
            and nxt.kind == "text"
            and not nxt.text.startswith(text[-1:])  # a character printed again at a cut
            and not patterns.DATE_ONLY.match(nxt.text)  # a notice's signature above its date
            and not patterns.table_row(nxt.text)  # a table's title above its rows
            and not patterns.ENUMERATOR.match(text)
            and title_like(text)
            and not runs_on(text, nxt.text)
        )

    @staticmethod
    def _cut(before: str, unit: Unit) -> bool:
        """The open paragraph was cut where this line starts. After a paragraph that reads as
        a whole line (heading-like: short, no sentence mark, or short phrases apart by
        commas), and before a line indented on a page of indented paragraphs, only where the
        cut falls inside a word or prints a character twice (after a line with a mark); a
        character printed again at the cut and dropped (`start` moved) shows it too."""
        text = unit.text
        strict = title_like(before)
        whole = strict or (len(before) <= SHORT_PHRASES and title_like(before, True))
        if not (whole or unit.indented):
            return True
        doubled = not strict and (text[:1] == before[-1:] or text[:1] == text[1:2])
        return doubled or runs_on(before, text)

    def build(self, frags: list[Unit], anchor: int | None) -> tuple[list[Para], list[str]]:
        """Paragraphs and intertitles of one item."""
        paras: list[Para] = []
        intertitles: list[str] = []
        item_norm = ""
        open_para: Para | None = None
        for k, unit in enumerate(frags):
            if unit.kind == "intertitle" or (
                open_para is None
                and paras
                and len(unit.text) <= TITLE_MAX
                and self._between(frags, k)
            ):
                intertitles.append(unit.text)
                open_para = None
                continue
            text, start = unit.text, unit.start
            tail = open_para.text[-6:] if open_para is not None else ""
            if (len(text) >= 3 and text[0] == text[1]) or (tail and text[:1] == tail[-1]):
                text, start = self._drop_join_repeat(text, start, tail, open_para)
            norm = self.scan.norm(start, unit.end)
            keys = _keys(norm)
            if self._is_copy(norm, keys, item_norm):
                self._flag("duplicated_block", unit.start, unit.end, "repeated copy dropped")
                continue
            item_norm += norm
            self._remember(norm, keys)
            row = patterns.table_row(text)
            # a summary point (`■…`) is a paragraph of its own
            point = bool(text) and text[0] in patterns.BULLET
            if (
                row
                or point
                or unit.indent
                or patterns.ENUMERATOR.match(text)
                or patterns.DATE_ONLY.match(text)
            ):
                open_para = None  # an indented line, a list item, a table row, a sign-off date
            if (
                open_para is not None
                and start == unit.start
                and not self._cut(open_para.text, unit)
            ):
                open_para = None
            if open_para is not None:
                prev_end = open_para.spans[-1][1]
                self._flag(
                    "broken_paragraph",
                    max(prev_end - 8, 0),
                    start + 8,
                    "paragraph re-joined across a column break",
                )
                open_para.add(text, start)
            else:
                open_para = Para(anchor=anchor if anchor is not None and not paras else start)
                open_para.add(text, start)
                paras.append(open_para)
            entry = text.endswith(("；", ";", "——")) or (
                len(text) <= LIST_ENTRY and text.endswith(patterns.LIST_ENTRY_END)
            )  # a list entry, or a line that leads into a quote or list (`…让人难忘——`)
            if row or point or entry or patterns.ends_sentence(open_para.text):
                open_para = None
        return [p for p in paras if p.text], intertitles
